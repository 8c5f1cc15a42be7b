"""Results page (AppTest) and its Plotly figures (dti.decide.charts)."""

from __future__ import annotations

import pytest

from dti.decide import charts
from dti.i18n import fmt_number, fmt_points
from dti.scoring.engine import Response, score
from tests.apptest_support import assert_clean, isolate, metric, open_page

ANSWERS = {"1.1": "top_leader", "1.2": "vice", "2.1": "full", "2.4": "half", "3.1": "most", "5.2": "some",
           "7.1": "full", "8.1": "half", "9.1": "full"}


@pytest.fixture(autouse=True)
def own_database(tmp_path, monkeypatch):
    isolate(tmp_path, monkeypatch)


def answered_app(fw, answers: dict[str, str], lang: str = "vi"):
    """The app with ``answers`` entered through the self-assessment form, then on the results page."""
    at = open_page("assessment", lang=lang)
    for code, level in answers.items():
        main = fw.component_by_code[code].main_code
        at.session_state["a_tab"] = f"{main}. {fw.main_index_by_code[main].name(lang)}"
        at.run()
        at.selectbox(key=f"c_{code}_value").select(level).run()
        assert_clean(at)
    at.switch_page("pages/results.py").run()
    assert_clean(at)
    return at


def test_results_show_the_engines_dti_and_highlight_its_lowest_main_index(fw2022):
    at = answered_app(fw2022, ANSWERS)
    expected = score(fw2022, {c: Response(c, v) for c, v in ANSWERS.items()})
    assert metric(at, "DTI ước tính") == fmt_number(expected.dti)
    lowest = fw2022.main_index_by_code[expected.lowest_main_indices[0]]
    assert [e.value for e in at.error] == [
        f"Thấp nhất: **{lowest.name_vi}** {fmt_number(expected.main_indices[lowest.code].value)}"]
    assert "Đã trả lời 9/95" in at.caption[0].value
    table = at.dataframe[-1].value  # the points-at-stake table closes the page
    stakes = expected.points_at_stake()[:20]
    assert list(table["Mã"]) == [c.code for c in stakes]
    assert list(table["Còn thiếu"]) == [fmt_points(c.at_stake, "vi") for c in stakes]


def test_results_in_english():
    at = open_page("results", lang="en")
    assert at.title[0].value == "Results"
    assert metric(at, "Estimated DTI") == "0.0000"
    assert not at.error  # nothing answered: no "lowest" to name
    assert any(i.value.startswith("No component is answered yet") for i in at.info)


def test_main_index_bars_are_sorted_lowest_first_and_the_lowest_is_red(fw2022):
    result = score(fw2022, {c: Response(c, v) for c, v in ANSWERS.items()})
    fig = charts.main_index_bars(fw2022, result, "vi")
    bar = fig.data[0]
    assert list(bar.x) == sorted(bar.x)
    assert list(bar.marker.color).count(charts.LOW) == 1 and bar.marker.color[0] == charts.LOW
    assert fw2022.main_index_by_code[result.lowest_main_indices[0]].name_vi in bar.y[0]
    assert list(bar.text) == [fmt_number(v, "vi") for v in bar.x]
    assert fig.layout.separators == ",."


def test_radar_and_pillars_use_the_chosen_language(fw2022):
    result = score(fw2022, {c: Response(c, v) for c, v in ANSWERS.items()})
    radar = charts.radar(fw2022, result, "en")
    assert len(radar.data[0].r) == len(fw2022.scored_main_indices) + 1  # closed polygon
    assert radar.data[0].theta[0].replace("<br>", " ") == "1. " + fw2022.main_index_by_code["1"].name_en
    pillars = charts.pillar_bars(fw2022, result, "en")
    assert list(pillars.data[0].x) == [p.name_en for p in fw2022.pillars]
    assert list(pillars.data[0].y) == [result.pillars[p.code].value for p in fw2022.pillars]
    assert charts.dti_gauge(result, "en").data[0].value == result.dti


@pytest.mark.parametrize("lang, lowest_words", [("vi", "thấp nhất"), ("en", "lowest")])
def test_with_nothing_answered_no_chart_title_promises_a_lowest_in_red(fw2022, lang, lowest_words):
    """Issue 10: with nothing answered no bar is red, so the titles do not say "(lowest in red)" either."""
    empty = score(fw2022, {})
    for fig in (charts.main_index_bars(fw2022, empty, lang), charts.pillar_bars(fw2022, empty, lang)):
        assert charts.LOW not in list(fig.data[0].marker.color)
        assert fig.layout.title.text and lowest_words not in fig.layout.title.text.lower()
    answered = score(fw2022, {c: Response(c, v) for c, v in ANSWERS.items()})
    for fig in (charts.main_index_bars(fw2022, answered, lang), charts.pillar_bars(fw2022, answered, lang)):
        assert lowest_words in fig.layout.title.text.lower()  # a red bar is explained by its title
