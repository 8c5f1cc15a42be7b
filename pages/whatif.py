"""Mô phỏng / What-if: move main-index values or fix chosen components, see DTI and pillars vs the saved assessment."""

import streamlit as st

from dti.decide import charts
from dti.i18n import fmt_number, fmt_points, t
from dti.scoring.engine import Response, score, score_main_values
from ui import context, state, widgets
from ui import lang as ui_lang

lang = ui_lang.current()
fw = widgets.scorable_framework(lang)
responses = state.get_responses()
saved = score(fw, responses)


def reset_scenario() -> None:
    for key in [k for k in st.session_state if str(k).startswith("w_")]:
        del st.session_state[key]


st.title(t("whatif.title", lang))
context.show(fw, lang)
st.caption(t("whatif.intro", lang))
modes = {"quick": t("whatif.mode_quick", lang), "components": t("whatif.mode_components", lang)}
mode = st.segmented_control(t("whatif.mode", lang), list(modes), format_func=modes.__getitem__, default="quick",
                            key="wm_mode") or "quick"
st.button(t("whatif.reset", lang), on_click=reset_scenario, icon=":material/restart_alt:")

controls, outcome = st.columns([2, 3])
with controls:
    if mode == "quick":
        values = {}
        for m in fw.scored_main_indices:
            key = f"w_main_{m.code}"
            st.session_state.setdefault(key, round(saved.main_indices[m.code].value or 0.0, 4))
            values[m.code] = widgets.number_slider(f"{m.code}. {widgets.plain(m.name(lang))}", low=0.0, high=1.0,
                                                   step=0.01, digits=2, key=key, lang=lang,
                                                   help=t("whatif.saved_value", lang,
                                                          value=fmt_number(saved.main_indices[m.code].value, lang)))
        scenario = score_main_values(fw, values)
    else:
        scored_codes = [c.code for c in fw.components if c.rule.type != "not_scored"]
        chosen = st.multiselect(t("whatif.choose_components", lang), scored_codes, key="w_components",
                                format_func=lambda c: f"{c} {fw.component_by_code[c].name(lang)}",
                                placeholder=t("whatif.choose_placeholder", lang))
        overrides = dict(responses)
        for code in chosen:
            comp = fw.component_by_code[code]
            key = f"w_pts_{code}"
            st.session_state.setdefault(key, float(comp.max_points))  # "what if we fixed it": full points first
            points = widgets.number_slider(
                f"{code} · {t('common.points', lang)} (0–{fmt_points(comp.max_points, lang)})", low=0.0,
                high=float(comp.max_points), step=0.5, key=key, lang=lang,
                help=t("whatif.saved_points", lang, points=fmt_points(saved.components[code].points, lang)))
            overrides[code] = Response(code, points=points)
        scenario = score(fw, overrides)

with outcome:
    delta_cols = st.columns(1 + len(fw.pillars))
    delta_cols[0].metric(t("common.dti", lang), fmt_number(scenario.dti, lang),
                         **widgets.delta(scenario.dti - saved.dti, lang))
    for col, pillar in zip(delta_cols[1:], fw.pillars):
        new, old = scenario.pillars[pillar.code].value, saved.pillars[pillar.code].value
        col.metric(widgets.plain(pillar.name(lang)), fmt_number(new, lang), **widgets.delta(new - old, lang))
    st.plotly_chart(charts.compare_bars(fw, saved, scenario, lang), key="w_compare_chart")
    st.caption(t("whatif.saved_is", lang, dti=fmt_number(saved.dti, lang)) + " · "
               + widgets.basis_caption(saved, lang))
