"""Tổng quan / Overview: the estimated DTI, how much is answered, the pillars, the weakest spots, what next."""

import streamlit as st

from dti.i18n import fmt_number, fmt_points, t
from dti.scoring.engine import score
from ui import appraisal as appraisal_ui
from ui import context, state, widgets
from ui import lang as ui_lang

lang = ui_lang.current()
fw = widgets.scorable_framework(lang)
result = score(fw, state.get_responses())

st.title(t("overview.title", lang))
context.show(fw, lang)
st.caption(widgets.plain(fw.title(lang) + " · " + fw.legal_basis))
dti_col, points_col, answered_col = st.columns(3)
dti_col.metric(t("common.dti", lang), fmt_number(result.dti, lang))
points_col.metric(t("common.dti_points", lang, top=fmt_points(result.max_points, lang)),
                  fmt_points(round(result.points, 2), lang))
answered_col.metric(t("overview.answered", lang), f"{result.answered}/{result.total}")
if result.is_complete:
    st.success(t("common.complete", lang))
else:
    st.info(t("common.conservative", lang))
appraisal_ui.appraised_panel(fw, lang, key="o_appraised")
if stale := state.get_unreadable():  # answers the edition's changed rules no longer read: kept, not scored
    codes = sorted(stale, key=lambda c: [int(x) for x in c.split(".") if x.isdigit()])
    st.warning(t("security.unreadable_summary", lang, n=len(stale), codes=", ".join(codes)))

if fw.pillars:  # a province's own index may have none
    st.subheader(t("overview.pillars", lang))
    for col, pillar in zip(st.columns(len(fw.pillars)), fw.pillars):
        col.metric(widgets.plain(pillar.name(lang)), fmt_number(result.pillars[pillar.code].value, lang))

st.subheader(t("overview.weakest", lang))
with st.container(key="o_lowest"):
    if result.is_empty:  # all zeros: naming a "lowest" index would only repeat the code order
        st.markdown(t("overview.nothing_answered", lang))
    else:
        st.markdown(widgets.lowest_sentence(fw, result, lang, count=3))
        for weakest_pillar in result.lowest_pillars[:1]:  # none when the index has no pillars
            pillar_name = widgets.plain(fw.pillar_by_code[weakest_pillar].name(lang))
            st.markdown(t("common.lowest_pillar", lang, items=f"**{pillar_name}** "
                          f"{fmt_number(result.pillars[weakest_pillar].value, lang)}"))
if fw.provisional_components:
    st.caption("⚠ " + t("overview.provisional", lang, n=len(fw.provisional_components), total=len(fw.components)))

st.subheader(t("overview.next", lang))
st.page_link("pages/assessment.py", label=t("overview.go_assessment", lang), icon=":material/edit_note:")
st.page_link("pages/results.py", label=t("overview.go_results", lang), icon=":material/bar_chart:")
st.page_link("pages/whatif.py", label=t("overview.go_whatif", lang), icon=":material/tune:")
st.page_link("pages/framework.py", label=t("overview.go_framework", lang), icon=":material/menu_book:")
