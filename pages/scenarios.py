"""Kịch bản & mục tiêu / Scenarios & goals: what-if scenarios beside the current state, goal seek, agencies."""

import streamlit as st

from dti.decide import peers
from dti.i18n import t
from dti.scoring.engine import score
from ui import context, decide, state, widgets
from ui import lang as ui_lang

NS = "decide"  # the real assessment's scenarios; the workshop page uses its own namespace

lang = ui_lang.current()
fw = widgets.scorable_framework(lang)
responses = state.get_responses()
baseline = score(fw, responses)
table = peers.load_published()

st.title(t("scenarios.title", lang))
context.show(fw, lang)
st.caption(t("scenarios.intro", lang))
if not responses:
    st.warning(t("scenarios.empty_assessment", lang))
decide.open_shared_link(NS, fw, lang)
year, rank_of = decide.year_picker(table, lang, key=f"{NS}_sc")

decide.scenario_editor(NS, fw, baseline, lang)
st.subheader(t("scenarios.compare", lang))
decide.comparison(NS, fw, responses, table, year, rank_of, lang)

st.divider()
decide.goal_seek(NS, fw, responses, baseline, table, year, rank_of, lang)

st.divider()
decide.agency_stakes(NS, fw, baseline, lang, assignment=decide.stored_assignment())
