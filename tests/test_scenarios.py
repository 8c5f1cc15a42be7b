"""Named scenarios: overrides re-scored by the engine, compared side by side, shared as a link."""

from __future__ import annotations

import pytest

from dti.decide import demo, peers, scenarios
from dti.decide.scenarios import Scenario
from dti.scoring.engine import InputProblems, Response, score


@pytest.fixture(scope="module")
def demo_responses(fw2022):
    return demo.demo_responses(fw2022)


def test_component_override_equals_engine_on_changed_answers(fw2022, demo_responses):
    sc = Scenario("raise 4.1 and 8.2", {"4.1": fw2022.component_by_code["4.1"].max_points, "8.2": 0.0})
    got = scenarios.apply(fw2022, demo_responses, sc).result
    changed = {**demo_responses, "4.1": Response("4.1", points=sc.component_points["4.1"]),
               "8.2": Response("8.2", points=0.0)}
    want = score(fw2022, changed)
    assert got.dti == pytest.approx(want.dti)
    assert {k: a.value for k, a in got.pillars.items()} == pytest.approx({k: a.value for k, a in want.pillars.items()})
    base = score(fw2022, demo_responses)
    delta = (sc.component_points["4.1"] - base.components["4.1"].points - base.components["8.2"].points)
    assert got.dti - base.dti == pytest.approx(delta / fw2022.total_points)


def test_main_override_replaces_its_components(fw2022, demo_responses):
    sc = Scenario("index 9 at 0.8", {"9.1": 0.0}, {"9": 0.8})
    out = scenarios.apply(fw2022, demo_responses, sc)
    base = score(fw2022, demo_responses)
    main9 = fw2022.main_index_by_code["9"]
    assert out.result.main_indices["9"].value == pytest.approx(0.8)
    assert out.result.dti == pytest.approx(base.dti + (0.8 * main9.max_points - base.main_indices["9"].points)
                                           / fw2022.total_points)
    assert out.ignored == ("9.1",)
    xh = fw2022.pillar_by_code["xh"]
    want_xh = sum(out.result.main_indices[c].points for c in xh.main_indices) / xh.max_points
    assert out.result.pillars["xh"].value == pytest.approx(want_xh)


def test_compare_keeps_baseline_first_and_adds_ranks(fw2022, demo_responses):
    table = peers.load_published()
    scs = [Scenario("all max", {c.code: c.max_points for c in fw2022.components if c.max_points}),
           Scenario("empty")]
    rows = scenarios.compare(fw2022, demo_responses, scs, table, 2022, baseline_name="Hiện trạng")
    assert [r.name for r in rows] == ["Hiện trạng", "all max", "empty"]
    assert rows[1].result.dti == pytest.approx(1.0)
    assert rows[1].rank.rank == 1
    assert rows[2].result.dti == pytest.approx(rows[0].result.dti)
    assert rows[0].rank == table.estimate_rank(rows[0].result.dti, 2022)
    records = scenarios.comparison_table(fw2022, rows, "vi")
    assert records[1]["DTI"] == pytest.approx(1.0) and records[1]["rank"] == 1
    fig = scenarios.comparison_figure(fw2022, rows, "vi")
    assert len(fig.data) == 3
    assert list(fig.data[1].y)[0] == pytest.approx(1.0)
    assert len(fig.data[0].x) == 1 + len(fw2022.pillars) + len(fw2022.scored_main_indices)
    assert fig.layout.xaxis.type == "category"  # codes "1".."9" must not turn the axis numeric


def test_link_round_trip(fw2022):
    sc = Scenario("Kịch bản A", {"7.10": 9.0, "2.4": 4.5}, {"3": 0.8125})
    text = scenarios.encode(sc)
    assert text == "2.4:4.5,7.10:9,m3:0.8125"
    assert scenarios.decode(fw2022, text, "Kịch bản A") == sc


@pytest.mark.parametrize("text, fragment", [
    ("2.4:abc", "cannot be read"),
    ("99.1:3", "is not a component"),
    ("2.4:500", "over the maximum"),
    ("m6:0.5", "is not a scored main index"),
    ("m3:1.5", "out of range"),
])
def test_bad_link_says_what_is_wrong(fw2022, text, fragment):
    with pytest.raises(InputProblems) as err:
        scenarios.decode(fw2022, text)
    assert fragment in str(err.value)


def test_points_for_value_uses_the_rule(fw_all_rules):
    assert scenarios.points_for_value(fw_all_rules, "1.2", "45/60") == pytest.approx(7.5)
    with pytest.raises(InputProblems, match="not a level"):
        scenarios.points_for_value(fw_all_rules, "1.1", "most")


def test_without_removes_one_override():
    sc = Scenario("x", {"1.1": 1.0, "1.2": 2.0}, {"3": 0.5})
    assert sc.without("1.1").component_points == {"1.2": 2.0}
    assert sc.without("m3").main_values == {}
    assert not Scenario("y").with_component("1.1", 3).is_empty
