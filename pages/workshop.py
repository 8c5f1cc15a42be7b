"""Hội thảo / Workshop: the fictional Tỉnh Minh Họa preloaded, large charts for a projector, a reset button.

Everything here lives under the session-state namespace ``workshop``: the demo never reads or writes the real
assessment (``ui.state``), its scenarios or its goal-seek plan.
"""

import streamlit as st

from dti.decide import demo, peers
from dti.decide.scenarios import Scenario
from dti.i18n import fmt_number, t
from dti.scoring.engine import score
from ui import decide, widgets
from ui import lang as ui_lang

NS = "workshop"
BIG = 600  # chart height for a projector

lang = ui_lang.current()
st.title(t("workshop.title", lang))
fw = widgets.demo_framework(lang)
st.warning(t("workshop.banner", lang), icon=":material/theater_comedy:")

if st.button(t("workshop.reset", lang), key=f"{NS}_reset", icon=":material/restart_alt:"):
    for key in [k for k in st.session_state if str(k).startswith(f"{NS}_")]:
        del st.session_state[key]
    st.toast(t("workshop.reset_done", lang))
responses = st.session_state.setdefault(f"{NS}_responses", {}).setdefault(fw.id, demo.demo_responses(fw))
result = score(fw, responses)
table = peers.load_published()
year, rank_of = decide.year_picker(table, lang, key=NS)

st.header(demo.province_name(lang))
figures = st.columns(1 + len(fw.pillars))
figures[0].metric(t("common.dti", lang), fmt_number(result.dti, lang))
for col, p in zip(figures[1:], fw.pillars):
    col.metric(widgets.plain(p.name(lang)), fmt_number(result.pillars[p.code].value, lang))
decide.band_panel(fw, responses, result, lang, table, year, rank_of, key=f"{NS}_band")

st.subheader(t("workshop.whatif", lang))
st.caption(t("workshop.whatif_help", lang))
sliders = st.columns(4)
values = {m.code: widgets.number_slider(f"{m.code}. {widgets.plain(m.name(lang))}", low=0.0, high=1.0, step=0.01,
                                        digits=2, value=round(result.main_indices[m.code].value, 2),
                                        key=f"{NS}_m{m.code}", lang=lang, container=sliders[i % 4])
          for i, m in enumerate(fw.scored_main_indices)}
changed = {c: v for c, v in values.items() if abs(v - round(result.main_indices[c].value, 2)) > 1e-9}
top = [c for c in result.points_at_stake()[:5] if c.at_stake > 0]
tries = [Scenario(t("workshop.scenario_name", lang), main_values=changed),
         Scenario(t("workshop.weakest_plan", lang, n=len(top)), {c.code: c.max_points for c in top})]
decide.comparison(NS, fw, responses, table, year, rank_of, lang, height=BIG, live=tries)

st.divider()
decide.goal_seek(NS, fw, responses, result, table, year, rank_of, lang)
st.divider()
decide.agency_stakes(NS, fw, result, lang, assignment=demo.demo_agencies(fw), upload=False)
