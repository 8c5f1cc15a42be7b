"""Goal seek: the smallest set of component improvements that brings the DTI to a target.

Every component contributes its points to the DTI linearly (DTI = total points / total maximum), so reaching
a target DTI means gaining ``target × total − current`` points. Each candidate improvement raises one
component to its maximum (or to a chosen level) and gains a known number of points at a known effort.

* Equal effort (the default, 1 per component): taking the largest gains first is optimal in the number of
  components, because any k components gain at most as much as the k largest gains.
* With efforts: the cheapest set is a 0/1 knapsack (min-cost cover). We solve it exactly by dynamic programming
  on gains counted in hundredths of a point, each rounded DOWN: the chosen set is guaranteed to reach the target,
  and no other set costs less among those whose rounded-down gains reach it (a set that only reaches the
  target through the discarded fractions of a hundredth of a point may be missed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from dti.decide.scenarios import Scenario
from dti.framework.model import Framework
from dti.scoring.engine import Response, Result, score

RESOLUTION = 100  # knapsack units per point: gains are counted in hundredths of a point
MAX_UNITS = 2_000_000  # beyond this many units the DP table is too large for an interactive answer


@dataclass(frozen=True)
class Improvement:
    code: str
    from_points: float
    to_points: float
    effort: float

    @property
    def gain(self) -> float:
        return self.to_points - self.from_points

    @property
    def gain_per_effort(self) -> float:
        return self.gain / self.effort


@dataclass(frozen=True)
class GoalPlan:
    target_dti: float
    start_dti: float
    reachable: bool
    steps: tuple[Improvement, ...]  # ranked by points gained per effort
    result_dti: float  # the engine's DTI with the steps applied (for an unreachable target: everything raised)
    best_possible_dti: float  # every candidate raised
    method: str  # 'already' | 'greedy' | 'knapsack' | 'none'

    @property
    def total_effort(self) -> float:
        return sum(s.effort for s in self.steps)

    @property
    def points_gained(self) -> float:
        return sum(s.gain for s in self.steps)

    def scenario(self, name: str) -> Scenario:
        return Scenario(name, {s.code: s.to_points for s in self.steps})


class GoalSeekError(ValueError):
    """A target or effort that cannot be used; the message says what to write instead."""


def candidates(fw: Framework, baseline: Result, efforts: Mapping[str, float] | None = None,
               targets: Mapping[str, float] | None = None) -> list[Improvement]:
    """One improvement per scored component that can still gain points: up to its max or its chosen target."""
    efforts = efforts or {}
    targets = targets or {}
    problems = []
    out = []
    for comp in fw.components:
        if comp.rule.type == "not_scored" or comp.max_points <= 0:
            continue
        now = baseline.components[comp.code].points or 0.0
        goal = float(targets.get(comp.code, comp.max_points))
        if not 0 <= goal <= comp.max_points + 1e-9:
            problems.append(f"component {comp.code}: target {goal:g} points is outside 0..{comp.max_points:g}")
            continue
        effort = float(efforts.get(comp.code, 1.0))
        if not effort > 0 or not np.isfinite(effort):
            problems.append(f"component {comp.code}: effort {effort:g} must be a number > 0 (default 1)")
            continue
        if goal > now + 1e-9:
            out.append(Improvement(comp.code, now, goal, effort))
    if problems:
        raise GoalSeekError("; ".join(problems))
    return out


def seek(fw: Framework, responses: Mapping[str, Response], target_dti: float,
         efforts: Mapping[str, float] | None = None, targets: Mapping[str, float] | None = None) -> GoalPlan:
    """The plan reaching ``target_dti`` with the fewest components (equal effort) or least effort."""
    if not 0 <= target_dti <= 1:
        raise GoalSeekError(f"target DTI {target_dti:g} is out of range; write a value from 0 to 1")
    baseline = score(fw, responses)
    cands = candidates(fw, baseline, efforts, targets)
    best_possible = (baseline.points + sum(c.gain for c in cands)) / fw.total_points
    needed = target_dti * fw.total_points - baseline.points
    if needed <= 1e-9:
        return GoalPlan(target_dti, baseline.dti, True, (), baseline.dti, best_possible, "already")
    if best_possible * fw.total_points < target_dti * fw.total_points - 1e-9:
        everything = _dti_with(fw, responses, cands)
        return GoalPlan(target_dti, baseline.dti, False, tuple(_rank(cands)), everything, best_possible, "none")
    equal_effort = len({c.effort for c in cands}) <= 1
    chosen = _greedy(cands, needed) if equal_effort else _knapsack(cands, needed)
    method = "greedy" if equal_effort else "knapsack"
    return GoalPlan(target_dti, baseline.dti, True, tuple(_rank(chosen)), _dti_with(fw, responses, chosen),
                    best_possible, method)


def _rank(steps: list[Improvement]) -> list[Improvement]:
    return sorted(steps, key=lambda s: (-s.gain_per_effort, -s.gain, _order(s.code)))


def _order(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split("."))


def _greedy(cands: list[Improvement], needed: float) -> list[Improvement]:
    chosen, gained = [], 0.0
    for c in sorted(cands, key=lambda c: (-c.gain, _order(c.code))):
        if gained >= needed - 1e-9:
            break
        chosen.append(c)
        gained += c.gain
    return chosen


def _knapsack(cands: list[Improvement], needed: float) -> list[Improvement]:
    """Min-cost set whose gains (rounded down to 1/RESOLUTION point) reach ``needed`` (rounded up)."""
    need = int(np.ceil(needed * RESOLUTION - 1e-6))
    gains = [int(np.floor(c.gain * RESOLUTION + 1e-6)) for c in cands]
    if need > MAX_UNITS:
        raise GoalSeekError(f"the gap of {needed:g} points is too large for the exact method; "
                            "leave efforts at 1 to use the greedy plan")
    if sum(gains) < need:  # reachable only through the rounded-off fractions: fall back to everything
        return list(cands)
    inf = np.inf
    cost = np.full(need + 1, inf)  # cost[u]: least effort gaining at least u units (u capped at need)
    cost[0] = 0.0
    take = np.zeros((len(cands), need + 1), dtype=bool)
    units = np.arange(need + 1)
    for i, (c, g) in enumerate(zip(cands, gains)):
        if g <= 0:
            continue
        prev = cost[np.maximum(units - g, 0)] + c.effort
        better = prev < cost - 1e-12
        take[i] = better
        cost = np.where(better, prev, cost)
    chosen, u = [], need
    for i in range(len(cands) - 1, -1, -1):
        if u > 0 and take[i, u]:
            chosen.append(cands[i])
            u = max(u - gains[i], 0)
    return chosen


def _dti_with(fw: Framework, responses: Mapping[str, Response], steps: list[Improvement]) -> float:
    changed = dict(responses)
    for s in steps:
        old = responses.get(s.code)
        changed[s.code] = Response(s.code, points=s.to_points, evidence=old.evidence if old else "")
    return score(fw, changed).dti


# --- Points at stake per agency ----------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyStake:
    agency: str
    points_at_stake: float
    components: tuple[tuple[str, float], ...]  # (code, points at stake), most first


def stakes_by_agency(result: Result, assignment: Mapping[str, str], unassigned: str = "") -> list[AgencyStake]:
    """Which agency's components lose the most points: ``assignment`` maps component code → agency name.

    Components without an agency are grouped under ``unassigned`` (left out when it is empty).
    """
    groups: dict[str, list[tuple[str, float]]] = {}
    for comp in result.points_at_stake():
        if comp.at_stake <= 1e-9:
            continue
        agency = assignment.get(comp.code) or unassigned
        if agency:
            groups.setdefault(agency, []).append((comp.code, comp.at_stake))
    stakes = [AgencyStake(a, sum(p for _, p in items), tuple(items)) for a, items in groups.items()]
    return sorted(stakes, key=lambda s: (-s.points_at_stake, s.agency))
