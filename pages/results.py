"""Kết quả / Results: the estimated DTI, main indices from the lowest up, radar, pillars, points at stake."""

import pandas as pd
import streamlit as st

from dti.decide import charts
from dti.i18n import fmt_number, fmt_points, t
from dti.scoring.engine import score
from ui import appraisal as appraisal_ui
from ui import charts as chart_ui
from ui import context, decide, state, widgets
from ui import lang as ui_lang

lang = ui_lang.current()
fw = widgets.scorable_framework(lang)
result = score(fw, state.get_responses())

st.title(t("results.title", lang))
context.show(fw, lang)
st.caption(widgets.basis_caption(result, lang))
interactive = chart_ui.interactive_toggle(lang, key="r_interactive")
gauge, figures = st.columns([1, 2])
chart_ui.show(gauge, interactive, lambda: charts.dti_gauge(result, lang), lambda: charts.dti_gauge_svg(result, lang),
              key="r_gauge")
figures.metric(t("common.dti", lang), fmt_number(result.dti, lang))
figures.metric(t("common.dti_points", lang, top=fmt_points(result.max_points, lang)),
               fmt_points(round(result.points, 2), lang))
appraisal_ui.appraised_panel(fw, lang, key="r_appraised")
with st.container(key="r_lowest"):
    if result.is_empty:  # all zeros: a "lowest" index would only repeat the code order
        st.info(t("context.nothing_answered", lang))
    else:
        st.error(widgets.lowest_sentence(fw, result, lang, count=1), icon=":material/arrow_downward:")

# How far appraisal may move the estimate (Monte Carlo band, explained in its expander).
decide.band_panel(fw, state.get_responses(), result, lang, key="r_band", appraised=decide.appraised_codes())

bars, radar = st.columns(2)
chart_ui.show(bars, interactive, lambda: charts.main_index_bars(fw, result, lang),
              lambda: charts.main_index_bars_svg(fw, result, lang), key="r_mains")
chart_ui.show(radar, interactive, lambda: charts.radar(fw, result, lang), lambda: charts.radar_svg(fw, result, lang),
              key="r_radar")
chart_ui.show(st, interactive, lambda: charts.pillar_bars(fw, result, lang),
              lambda: charts.pillar_bars_svg(fw, result, lang), key="r_pillars")

st.subheader(t("results.at_stake", lang))
st.caption(t("results.at_stake_help", lang))
rows = [{t("results.col_code", lang): c.code,
         t("results.col_name", lang): fw.component_by_code[c.code].name(lang),
         t("results.col_points", lang): fmt_points(c.points, lang),
         t("results.col_max", lang): fmt_points(c.max_points, lang),
         t("results.col_at_stake", lang): fmt_points(c.at_stake, lang),
         t("results.col_status", lang): t(f"results.status_{c.status}", lang)}
        for c in result.points_at_stake()[:20]]
st.dataframe(pd.DataFrame(rows), hide_index=True, key="r_at_stake")
