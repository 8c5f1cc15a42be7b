"""What-if page (AppTest): sliders of main-index values and component overrides vs the saved assessment."""

from __future__ import annotations

import pytest

from dti.i18n import fmt_number
from dti.scoring.engine import Response, score, score_main_values
from tests.apptest_support import assert_clean, isolate, metric, open_page
from ui import widgets


@pytest.fixture(autouse=True)
def own_database(tmp_path, monkeypatch):
    isolate(tmp_path, monkeypatch)


def saved_app():
    at = open_page("assessment")
    at.selectbox(key="c_1.1_value").select("deputy").run()
    at.switch_page("pages/whatif.py").run()
    assert_clean(at)
    return at


def test_sliders_start_at_the_saved_values_and_move_dti_and_pillars(fw2022):
    at = saved_app()
    saved = score(fw2022, {"1.1": Response("1.1", "deputy")})
    assert at.select_slider(key="w_main_1").value == pytest.approx(saved.main_indices["1"].value)
    assert metric(at, "DTI ước tính") == fmt_number(saved.dti)
    at.select_slider(key="w_main_2").set_value(0.8).run()
    at.select_slider(key="w_main_9").set_value(0.5).run()
    assert_clean(at)
    values = {m.code: saved.main_indices[m.code].value for m in fw2022.scored_main_indices}
    scenario = score_main_values(fw2022, {**values, "2": 0.8, "9": 0.5})
    shown = {m.label: m for m in at.metric}
    assert shown["DTI ước tính"].value == fmt_number(scenario.dti)
    assert shown["DTI ước tính"].delta == widgets.signed(scenario.dti - saved.dti, "vi")
    for pillar in fw2022.pillars:
        assert shown[pillar.name_vi].value == fmt_number(scenario.pillars[pillar.code].value)
    assert len(at.get("plotly_chart")) == 1


def test_fixing_chosen_components_scores_them_at_full_points(fw2022):
    at = saved_app()
    at.segmented_control(key="wm_mode").set_value("components").run()
    at.multiselect(key="w_components").select("2.1").select("1.1").run()
    assert_clean(at)
    scenario = score(fw2022, {"1.1": Response("1.1", points=10), "2.1": Response("2.1", points=10)})
    assert metric(at, "DTI ước tính") == fmt_number(scenario.dti)
    at.select_slider(key="w_pts_2.1").set_value(2.5).run()
    scenario = score(fw2022, {"1.1": Response("1.1", points=10), "2.1": Response("2.1", points=2.5)})
    assert metric(at, "DTI ước tính") == fmt_number(scenario.dti)
    # The saved assessment is untouched by the scenario.
    at.switch_page("pages/overview.py").run()
    assert metric(at, "DTI ước tính") == fmt_number(score(fw2022, {"1.1": Response("1.1", "deputy")}).dti)


def test_whatif_in_english():
    at = open_page("whatif", lang="en")
    assert at.title[0].value == "What-if"
    assert at.select_slider(key="w_main_1").label.startswith("1. Digital awareness")
