"""Goal seek reaches the target with a minimal set (checked by brute force) and says when it cannot."""

from __future__ import annotations

from itertools import combinations

import pytest

from dti.decide import demo, goalseek, peers
from dti.decide.goalseek import GoalSeekError
from dti.scoring.engine import Response, score


def _partial(fw):
    """A half-done assessment of the all-rules edition: 1.1 half, 1.3 at 2 meetings, 2.2 yes."""
    return {"1.1": Response("1.1", "half"), "1.3": Response("1.3", 2), "2.2": Response("2.2", "có")}


def _brute_force(cands, needed, cost_of):
    best = None
    for k in range(len(cands) + 1):
        for subset in combinations(cands, k):
            if sum(c.gain for c in subset) >= needed - 1e-9:
                cost = cost_of(subset)
                if best is None or cost < best - 1e-9:
                    best = cost
    return best


@pytest.mark.parametrize("target", [0.3, 0.45, 0.6, 0.8, 0.95, 1.0])
def test_equal_effort_uses_fewest_components(fw_all_rules, target):
    responses = _partial(fw_all_rules)
    plan = goalseek.seek(fw_all_rules, responses, target)
    base = score(fw_all_rules, responses)
    assert plan.reachable and plan.method == "greedy"
    assert plan.result_dti >= target - 1e-9
    cands = goalseek.candidates(fw_all_rules, base)
    needed = target * fw_all_rules.total_points - base.points
    assert len(plan.steps) == _brute_force(cands, needed, len)
    # The plan's DTI is the engine's score of the improved assessment.
    improved = {**responses, **{s.code: Response(s.code, points=s.to_points) for s in plan.steps}}
    assert score(fw_all_rules, improved).dti == pytest.approx(plan.result_dti)


@pytest.mark.parametrize("target", [0.45, 0.6, 0.75, 0.9])
def test_with_efforts_the_knapsack_is_cheapest(fw_all_rules, target):
    responses = _partial(fw_all_rules)
    efforts = {"1.1": 1, "1.2": 4, "1.3": 2.5, "2.1": 6, "2.2": 1, "2.3": 3, "3.1": 5}
    plan = goalseek.seek(fw_all_rules, responses, target, efforts=efforts)
    base = score(fw_all_rules, responses)
    assert plan.reachable and plan.method == "knapsack"
    assert plan.result_dti >= target - 1e-9
    cands = goalseek.candidates(fw_all_rules, base, efforts)
    needed = target * fw_all_rules.total_points - base.points
    assert plan.total_effort == pytest.approx(_brute_force(cands, needed, lambda s: sum(c.effort for c in s)))
    ratios = [s.gain_per_effort for s in plan.steps]
    assert ratios == sorted(ratios, reverse=True)  # ranked by points gained per effort


def test_unreachable_target_is_said_plainly(fw_all_rules):
    responses = _partial(fw_all_rules)
    caps = {"1.2": 5, "2.1": 10, "3.1": 10}  # chosen levels below the maximum
    plan = goalseek.seek(fw_all_rules, responses, 0.95, targets=caps)
    assert not plan.reachable and plan.method == "none"
    assert plan.best_possible_dti < 0.95
    assert plan.result_dti == pytest.approx(plan.best_possible_dti)


def test_already_reached(fw_all_rules):
    plan = goalseek.seek(fw_all_rules, _partial(fw_all_rules), 0.1)
    assert plan.reachable and plan.steps == () and plan.method == "already"


def test_target_rank_among_published(fw2022):
    table = peers.load_published()
    responses = demo.demo_responses(fw2022)
    needed = table.value_for_rank(2, 2022)
    plan = goalseek.seek(fw2022, responses, needed)
    assert plan.reachable
    assert table.estimate_rank(plan.result_dti, 2022).rank <= 2
    assert len(plan.steps) >= 1
    assert plan.scenario("goal").component_points == {s.code: s.to_points for s in plan.steps}


@pytest.mark.parametrize("kwargs, fragment", [
    ({"target_dti": 1.2}, "out of range"),
    ({"target_dti": 0.5, "efforts": {"1.1": 0}}, "effort 0 must be a number > 0"),
    ({"target_dti": 0.5, "targets": {"1.1": 11}}, "outside 0..10"),
])
def test_bad_goal_inputs(fw_all_rules, kwargs, fragment):
    with pytest.raises(GoalSeekError, match=fragment):
        goalseek.seek(fw_all_rules, {}, **kwargs)


def test_points_at_stake_per_agency(fw2022):
    responses = demo.demo_responses(fw2022)
    result = score(fw2022, responses)
    agencies = demo.demo_agencies(fw2022)
    stakes = goalseek.stakes_by_agency(result, agencies)
    assert stakes == sorted(stakes, key=lambda s: -s.points_at_stake)
    for s in stakes:
        want = sum(result.components[c].at_stake for c, a in agencies.items() if a == s.agency)
        assert s.points_at_stake == pytest.approx(want)
        assert list(s.components) == sorted(s.components, key=lambda x: -x[1])
    top = result.points_at_stake()[0].code
    partial = goalseek.stakes_by_agency(result, {top: "Sở A"}, unassigned="(chưa giao)")
    assert {s.agency for s in partial} == {"Sở A", "(chưa giao)"}


def test_random_cases_match_brute_force(fw_all_rules):
    """Seeded random assessments, efforts and targets: greedy and knapsack agree with exhaustive search."""
    import random

    rng = random.Random(922)
    scored = [c for c in fw_all_rules.components if c.max_points > 0]
    seen = set()
    for _ in range(60):
        responses = {c.code: Response(c.code, points=round(rng.uniform(0, c.max_points), 2))
                     for c in scored if rng.random() < 0.7}
        efforts = {c.code: rng.choice([1, 1.5, 2, 3, 5]) for c in scored} if rng.random() < 0.6 else {}
        target = round(rng.uniform(0, 1), 3)
        plan = goalseek.seek(fw_all_rules, responses, target, efforts=efforts)
        seen.add(plan.method)
        base = score(fw_all_rules, responses)
        cands = goalseek.candidates(fw_all_rules, base, efforts)
        needed = target * fw_all_rules.total_points - base.points
        if needed <= 1e-9:
            assert plan.method == "already"
            continue
        assert plan.reachable == (sum(c.gain for c in cands) >= needed - 1e-9)
        if not plan.reachable:
            continue
        assert plan.result_dti >= target - 1e-9
        cost = (lambda s: sum(c.effort for c in s)) if len(set(efforts.values())) > 1 else len
        best = _brute_force(cands, needed, cost)
        got = plan.total_effort if cost is not len else len(plan.steps)
        assert got == pytest.approx(best)
    assert {"greedy", "knapsack"} <= seen  # both methods were exercised
