"""Khung chỉ số / Framework: browse an edition's pillars, main indices and components, with their provenance."""

import pandas as pd
import streamlit as st

from dti.framework.search import search
from dti.i18n import fmt_points, name, t
from ui import lang as ui_lang
from ui import state, widgets

lang = ui_lang.current()
found, problems = state.editions()
if not found:
    st.error(t("common.no_edition", lang))
    st.stop()

st.title(t("framework.title", lang))
ids = state.edition_ids()
browse_id = st.selectbox(t("framework.browse_edition", lang), ids, index=ids.index(state.current_edition_id()),
                         format_func=lambda i: widgets.edition_label(found[i], lang), key="f_edition")
fw = found[browse_id]
st.caption(f"{widgets.plain(fw.legal_basis)} · {fw.year} · {t('framework.status_' + fw.status, lang)}")
if not fw.complete:
    st.warning(t("framework.incomplete", lang,
                 missing=widgets.plain((fw.missing_en if lang == "en" else fw.missing_vi) or "—")))
if browse_id != state.current_edition_id():
    st.button(t("framework.use_edition", lang), on_click=state.set_edition, args=(browse_id,), key="f_use")

counts = st.columns(4)
counts[0].metric(t("framework.main_indices", lang), len(fw.main_indices))
counts[1].metric(t("framework.components", lang), len(fw.components))
counts[2].metric(t("framework.total_points", lang), fmt_points(fw.total_points, lang))
counts[3].metric(t("framework.provisional_count", lang), len(fw.provisional_components))

st.subheader(t("framework.pillars", lang))
for pillar in fw.pillars:
    mains = ", ".join(f"{c}. {widgets.plain(fw.main_index_by_code[c].name(lang))}"
                      for c in pillar.main_indices
                      if c in fw.main_index_by_code)
    st.markdown(f"**{widgets.plain(pillar.name(lang))}** ({fmt_points(pillar.max_points, lang)} "
                f"{t('common.points', lang)}): {mains}")

query = st.text_input(t("framework.search", lang), key="f_search", placeholder=t("framework.search_hint", lang),
                      help=t("polish.search_help", lang))
searching = bool(query.strip())
found_mains = search(fw, query)
if searching and not found_mains:
    st.info(t("polish.search_none", lang))


def rule_text(comp) -> str:
    rule = comp.rule
    if rule.type == "levels":
        return " / ".join(f"{name(lv, lang)} {lv.share:.0%}" for lv in rule.levels)
    if rule.type == "parts":
        return " + ".join(f"{name(p, lang)} {p.share:.0%}" for p in rule.parts)
    if rule.type == "stepped":
        return ", ".join(f"≥{s.min:g} → {s.share:.0%}" for s in rule.steps)
    return t(f"framework.rule_{rule.type}", lang)


for m, comps in found_mains:
    points = (f"{fmt_points(m.max_points, lang)} {t('common.points', lang)}" if m.scored
              else t("assessment.not_scored", lang))
    with st.expander(f"{m.code}. {widgets.plain(m.name(lang))} · {points} · "
                     f"{len(m.components)} {t('framework.components', lang).lower()}", expanded=searching):
        rows = [{t("results.col_code", lang): c.code,
                 t("results.col_name", lang): c.name(lang),
                 t("results.col_max", lang): fmt_points(c.max_points, lang),
                 t("framework.col_rule", lang): rule_text(c),
                 t("framework.col_provenance", lang): ("" if c.provenance.is_official else "⚠ ")
                 + t(f"common.{c.provenance.status.value}", lang),
                 t("framework.col_measured_by", lang): t(f"framework.measured_{c.measured_by}", lang),
                 t("framework.col_evidence", lang): c.evidence_en if lang == "en" else c.evidence_vi,
                 t("framework.col_source", lang): c.data_source_en if lang == "en" else c.data_source_vi,
                 t("framework.col_provenance_source", lang): c.provenance.source}
                for c in comps]
        if rows:
            st.dataframe(pd.DataFrame(rows), hide_index=True, key=f"f_table_{m.code}")
        else:
            st.caption(t("framework.no_components", lang))

if problems:
    st.subheader(t("framework.problems", lang))
    for p in problems:
        st.code(str(p), language=None)
