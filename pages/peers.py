"""So sánh các tỉnh / Peer comparison: the estimate among published results, best provinces, merged provinces."""

import html

import pandas as pd
import streamlit as st

from dti.decide import peers
from dti.i18n import fmt_number, t
from dti.io.excel import read_upload
from dti.scoring.engine import InputProblems, score
from ui import context, decide, state, widgets
from ui import lang as ui_lang

lang = ui_lang.current()
fw = widgets.scorable_framework(lang)
responses = state.get_responses()
result = score(fw, responses)

st.title(t("peers.title", lang))
context.show(fw, lang)
st.caption(t("peers.intro", lang))

table = peers.load_published()
upload = st.file_uploader(t("peers.upload", lang), type=["csv"], key="peers_upload")
if upload is not None:
    try:
        table = peers.read_published_bytes(upload.getvalue(), upload.name)
        st.success(t("peers.uploaded", lang, file=widgets.plain(upload.name), n=len(table.facts)))
    except peers.PublishedTableError as exc:
        st.error(t("peers.upload_bad", lang) + "\n\n" + "\n".join(f"- {widgets.plain(p)}" for p in exc.problems[:20]))
year, rank_of = decide.year_picker(table, lang, key="peers")

estimate = None if result.is_empty else table.estimate_rank(result.dti, year, "dti", rank_of)
rank_col, dti_col, national_col = st.columns(3)
dti_col.metric(t("common.dti", lang), fmt_number(result.dti, lang))
if result.is_empty:  # nothing answered ranks nowhere
    rank_col.info(t("context.no_rank_empty", lang))
elif estimate is None:
    rank_col.info(t("decide.no_values_year", lang, year=year))
else:
    rank_col.metric(t("peers.estimate_rank", lang), f"{estimate.rank}/{estimate.among}",
                    help=t("peers.among", lang, n=estimate.among))
    rank_col.caption(t("peers.among", lang, n=estimate.among))
    if estimate.full_rank_low:
        st.caption(t("peers.full_rank", lang, rank_of=estimate.rank_of, low=estimate.full_rank_low,
                     high=estimate.full_rank_high))
average = table.national_average(year)
national_col.metric(t("peers.national", lang), fmt_number(average, lang) if average is not None
                    else t("peers.national_unknown", lang))
st.caption(widgets.basis_caption(result, lang))

st.subheader(t("peers.chart_title", lang, year=year))
province = html.escape(state.province_name())  # Plotly reads tags in labels: the name is shown as typed
you = t("context.estimate_of", lang, name=province) if province else t("peers.you", lang)
st.plotly_chart(peers.peer_figure(table, year, rank_of, None if result.is_empty else result.dti, you, lang),
                key="peers_chart")

st.subheader(t("peers.best", lang))
labels = {m.published_measure: f"{m.code}. {m.name(lang)}" for m in fw.scored_main_indices if m.published_measure}
labels = {"dti": "DTI", **{p.published_measure: p.name(lang) for p in fw.pillars if p.published_measure}, **labels}
best_rows = []
for measure, label in labels.items():
    best = table.best(year, measure, rank_of)
    if best:
        best_rows.append({t("peers.col_measure", lang): label, t("peers.col_province", lang): best[0],
                          t("peers.col_value", lang): fmt_number(best[1], lang),
                          t("peers.col_source", lang): ", ".join(table.sources(year, best[0], measure)[:2])})
st.dataframe(pd.DataFrame(best_rows), hide_index=True, key="peers_best",
             column_config={t("peers.col_source", lang): st.column_config.TextColumn(width="large")})

with st.expander(t("peers.values_table", lang)):
    ranks = table.ranks(year, "dti", rank_of)
    values = table.values(year, "dti", rank_of)
    rows = [{t("peers.col_province", lang): p, t("peers.col_rank", lang): ranks.get(p),
             t("peers.col_value", lang): fmt_number(values.get(p), lang),
             t("peers.col_source", lang): ", ".join(table.sources(year, p))}
            for p in sorted(set(ranks) | set(values), key=lambda p: (ranks.get(p) or 999, p))]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="peers_values")

st.subheader(t("peers.merge", lang))
st.caption(t("peers.merge_intro", lang))
parts: list[dict[str, float]] = []
if st.checkbox(t("peers.merge_current", lang), key="peers_merge_current"):
    parts.append(peers.result_profile(fw, result))
for file in st.file_uploader(t("peers.merge_files", lang), type=["csv", "xlsx", "json"], accept_multiple_files=True,
                             key="peers_merge_files") or []:
    try:
        parts.append(peers.result_profile(fw, score(fw, read_upload(fw, file.getvalue(), file.name))))
    except InputProblems as exc:
        st.error(t("peers.merge_bad_file", lang) + "\n\n"
                 + "\n".join(f"- {widgets.plain(p)}" for p in exc.problems[:20]))
provinces = sorted(table.values(year, "dti", rank_of))  # only rows with a published value can be merged
chosen = st.multiselect(t("peers.merge_published", lang, year=year), provinces, max_selections=3,
                        key="peers_merge_provinces", placeholder=t("polish.choose_provinces", lang))
parts += [peers.published_profile(table, year, p, rank_of) for p in chosen]
if not 2 <= len(parts) <= 3:
    st.info(t("peers.merge_need", lang))
else:
    merged = peers.merge_values(parts)
    if "dti" in merged:
        st.success(t("peers.merge_result", lang, dti=fmt_number(merged["dti"], lang)))
    st.caption(t("peers.merge_measures", lang,
                 measures=widgets.plain(", ".join(labels.get(m, m) for m in merged) or "—")))
    st.dataframe(pd.DataFrame([{t("peers.col_measure", lang): labels.get(m, m), t("peers.col_value", lang):
                                fmt_number(v, lang)} for m, v in merged.items()]), hide_index=True, key="peers_merged")
