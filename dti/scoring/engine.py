"""The scoring engine: component inputs → points → main indices → pillars → DTI.

Aggregation (Decision 922/QĐ-BTTTT, checked against published 2022 values to 4 decimals):
main-index value = its points / its maximum; pillar value = points of its main indices / their maximum;
DTI = total points / total maximum. Because every step is linear in points, the same weights serve the
component path, the main-values path and the vectorised batch path (``dti.scoring.batch``).

"Not answered yet" is not 0: results carry answered/total, and the figures they show with unanswered
components counted as 0 are named for what they are, a conservative estimate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dti.framework.model import Framework
from dti.scoring.rules import InputError, check_points, is_blank, points_from_value


class EditionIncompleteError(ValueError):
    """The edition lacks the points or components needed to score it."""

    def __init__(self, fw: Framework):
        self.framework = fw
        # The edition's own text says what is missing and how to complete it; a generic fix otherwise.
        why = fw.missing_en or ("its points are not known. Load the official catalogue "
                                "(python -m dti import-catalogue) or choose a complete edition.")
        super().__init__(f"{fw.id}: this edition cannot be scored yet: {why}")


@dataclass(frozen=True)
class Response:
    """What a user entered for one component: a value read through its rule, or points given directly."""

    code: str
    value: Any = None
    points: float | None = None
    evidence: str = ""
    note: str = ""

    @property
    def is_answered(self) -> bool:
        return self.points is not None or not is_blank(self.value)


@dataclass(frozen=True)
class InputProblem:
    """One unreadable input: ``file, row 4, component 1.5: <what is wrong; the fix>``.

    ``code`` is empty for a problem of the whole file; ``kind`` names what the code is (a component, or a
    main index in a file of main-index values).
    """

    code: str
    message: str
    row: int | None = None
    file: str = ""
    kind: str = "component"
    message_vi: str = ""  # the same message in Vietnamese, for the UI (English when not given)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        """``file, row 4, component 1.5: …`` in English; ``file, dòng 4, chỉ số 1.5: …`` in Vietnamese."""
        vi = lang != "en"
        kind = {"component": "chỉ số", "main index": "chỉ số chính"}.get(self.kind, self.kind) if vi else self.kind
        row = ("dòng " if vi else "row ") + str(self.row) if self.row else ""
        where = ", ".join(x for x in (self.file, row, f"{kind} {self.code}" if self.code else "") if x)
        message = self.message_vi if (vi and self.message_vi) else self.message
        return f"{where}: {message}" if where else message


class InputProblems(ValueError):
    def __init__(self, problems: list[InputProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class ComponentScore:
    code: str
    points: float | None  # None: not answered yet
    max_points: float
    status: str  # answered | estimate (measured by the Ministry) | missing | not_scored

    @property
    def at_stake(self) -> float:
        """Points not (yet) earned: the maximum for an unanswered component."""
        return self.max_points - (self.points or 0.0)


@dataclass(frozen=True)
class Aggregate:
    value: float | None  # 0..1, None for an unscored main index
    points: float
    max_points: float
    answered: int = 0
    total: int = 0


@dataclass(frozen=True)
class Result:
    framework_id: str
    dti: float
    points: float
    max_points: float
    answered: int
    total: int
    main_indices: dict[str, Aggregate]
    pillars: dict[str, Aggregate]
    components: dict[str, ComponentScore] = field(default_factory=dict)

    @property
    def is_complete(self) -> bool:
        return self.answered >= self.total

    @property
    def basis(self) -> str:
        """'complete' when every component is answered, else the conservative estimate (unanswered = 0)."""
        return "complete" if self.is_complete else "conservative"

    @property
    def is_empty(self) -> bool:
        """Nothing answered yet: every value is 0, so nothing is "lowest", ranked, or shown as a weakness."""
        return self.answered == 0

    @property
    def lowest_main_indices(self) -> list[str]:
        """Scored main indices from the lowest up; none while nothing is answered (all zeros name nothing)."""
        if self.is_empty:
            return []
        scored = [(a.value, code) for code, a in self.main_indices.items() if a.value is not None]
        return [code for _, code in sorted(scored, key=lambda t: (t[0], _order(t[1])))]

    @property
    def lowest_pillars(self) -> list[str]:
        """Pillars from the lowest up; none while nothing is answered."""
        if self.is_empty:
            return []
        return [code for code, _ in sorted(self.pillars.items(), key=lambda kv: (kv[1].value or 0.0))]

    def points_at_stake(self) -> list[ComponentScore]:
        """Components losing the most points first (scored components only)."""
        scored = [c for c in self.components.values() if c.max_points > 0]
        return sorted(scored, key=lambda c: (-c.at_stake, _order(c.code)))

    def to_json(self) -> dict:
        return {
            "framework": self.framework_id,
            "dti": round(self.dti, 6),
            "points": round(self.points, 6),
            "max_points": self.max_points,
            "answered": self.answered,
            "total": self.total,
            "basis": self.basis,
            "pillars": {code: {"value": _r(a.value), "points": round(a.points, 6), "max_points": a.max_points}
                        for code, a in self.pillars.items()},
            "main_indices": {code: {"value": _r(a.value), "points": round(a.points, 6), "max_points": a.max_points,
                                    "answered": a.answered, "total": a.total}
                             for code, a in self.main_indices.items()},
            "components": {code: {"points": _r(c.points), "max_points": c.max_points, "status": c.status}
                           for code, c in self.components.items()},
            "lowest_main_indices": self.lowest_main_indices,
            "lowest_pillars": self.lowest_pillars,
        }


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def _order(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split(".") if p.isdigit())


def require_complete(fw: Framework) -> None:
    if not fw.complete:
        raise EditionIncompleteError(fw)


def component_scores(fw: Framework, responses: Mapping[str, Response]) -> dict[str, ComponentScore]:
    """Points per component; raises InputProblems listing every unreadable input (none is half-applied)."""
    require_complete(fw)
    problems = [InputProblem(code, "is not a component of this edition; check the code (e.g. 2.4)")
                for code in responses if code not in fw.component_by_code]
    scores: dict[str, ComponentScore] = {}
    for comp in fw.components:
        resp = responses.get(comp.code)
        if comp.rule.type == "not_scored":
            scores[comp.code] = ComponentScore(comp.code, 0.0, 0.0, "not_scored")
            continue
        if resp is None or not resp.is_answered:
            scores[comp.code] = ComponentScore(comp.code, None, comp.max_points, "missing")
            continue
        try:
            points = (check_points(comp, resp.points) if resp.points is not None
                      else points_from_value(comp, resp.value))
        except InputError as exc:
            problems.append(InputProblem(comp.code, exc.en, message_vi=exc.vi))
            continue
        status = "estimate" if comp.measured_by == "ministry" else "answered"
        scores[comp.code] = ComponentScore(comp.code, points, comp.max_points, status)
    if problems:
        raise InputProblems(problems)
    return scores


def aggregate(fw: Framework, index_points: Mapping[str, float], index_answered: Mapping[str, tuple[int, int]],
              components: dict[str, ComponentScore] | None = None) -> Result:
    """Main indices, pillars and DTI from the points of each main index."""
    mains: dict[str, Aggregate] = {}
    for m in fw.main_indices:
        pts = float(index_points.get(m.code, 0.0))
        answered, total = index_answered.get(m.code, (0, 0))
        value = pts / m.max_points if (m.scored and m.max_points > 0) else None
        mains[m.code] = Aggregate(value, pts, m.max_points, answered, total)
    pillars = {}
    for p in fw.pillars:
        pts = sum(mains[c].points for c in p.main_indices)
        top = sum(mains[c].max_points for c in p.main_indices)
        answered = sum(mains[c].answered for c in p.main_indices)
        total = sum(mains[c].total for c in p.main_indices)
        pillars[p.code] = Aggregate(pts / top if top else 0.0, pts, top, answered, total)
    points = sum(a.points for a in mains.values())
    answered = sum(a.answered for a in mains.values())
    total = sum(a.total for a in mains.values())
    return Result(fw.id, points / fw.total_points, points, fw.total_points, answered, total, mains, pillars,
                  components or {})


def score(fw: Framework, responses: Mapping[str, Response]) -> Result:
    """Score a self-assessment: the full result, with unanswered components counted as 0 (conservative)."""
    comps = component_scores(fw, responses)
    index_points: dict[str, float] = {}
    index_answered: dict[str, tuple[int, int]] = {}
    for m in fw.main_indices:
        scored = [comps[c.code] for c in m.components if c.rule.type != "not_scored"]
        index_points[m.code] = sum(s.points or 0.0 for s in scored)
        index_answered[m.code] = (sum(s.points is not None for s in scored), len(scored))
    return aggregate(fw, index_points, index_answered, comps)


def score_main_values(fw: Framework, values: Mapping[str, float]) -> Result:
    """Score from main-index values (0..1 each), for quick what-if and for checking published results.

    A scored main index without a value counts as unanswered (0 in the conservative estimate).
    """
    require_complete(fw)
    problems = []
    for code, v in values.items():
        m = fw.main_index_by_code.get(code)
        if m is None:
            problems.append(InputProblem(code, "is not a main index of this edition; use codes "
                                         f"{[x.code for x in fw.main_indices]}", kind="main index"))
        elif not m.scored:
            continue
        elif not 0 <= v <= 1:
            problems.append(InputProblem(code, f"value {v:g} is out of range; write a value from 0 to 1",
                                         kind="main index"))
    if problems:
        raise InputProblems(problems)
    index_points = {m.code: values.get(m.code, 0.0) * m.max_points for m in fw.scored_main_indices}
    index_answered = {m.code: (int(m.code in values), 1) for m in fw.scored_main_indices}
    return aggregate(fw, index_points, index_answered)
