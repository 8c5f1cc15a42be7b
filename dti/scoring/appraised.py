"""The appraised DTI: appraised points where the appraisal (thẩm định) gave them, self-scored points elsewhere.

One function computes it for every page and report: ``score_appraised``. The mixed points are scored by the
engine itself (``engine.score``), so the appraised DTI, pillars and main indices aggregate exactly like the
self-assessed ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dti.framework.model import Framework
from dti.scoring.engine import Response, Result, score


@dataclass(frozen=True)
class IndexChange:
    code: str
    self_value: float
    appraised_value: float

    @property
    def delta(self) -> float:
        return self.appraised_value - self.self_value


@dataclass(frozen=True)
class AppraisedResult:
    self_assessed: Result
    appraised: Result
    appraised_codes: frozenset[str]  # components whose appraised points replaced the self score

    @property
    def has_appraisal(self) -> bool:
        return bool(self.appraised_codes)

    @property
    def delta(self) -> float:
        return self.appraised.dti - self.self_assessed.dti

    def lowered_most(self, count: int = 3) -> list[IndexChange]:
        """The main indices the appraisal lowered, the largest drop first (none when it lowered nothing)."""
        changes = [IndexChange(code, a.value, self.appraised.main_indices[code].value)
                   for code, a in self.self_assessed.main_indices.items() if a.value is not None]
        lowered = sorted((c for c in changes if c.delta < -1e-12), key=lambda c: (c.delta, c.code))
        return lowered[:count]


def mixed_responses(fw: Framework, responses: Mapping[str, Response],
                    appraisal: Mapping[str, float | None]) -> dict[str, Response]:
    """The self answers with the appraised points put in where present (a code not in ``fw`` is left out)."""
    mixed = dict(responses)
    for code, points in appraisal.items():
        if points is None or code not in fw.component_by_code:
            continue
        before = responses.get(code)
        mixed[code] = Response(code, points=points, evidence=before.evidence if before else "",
                               note=before.note if before else "")
    return mixed


def score_appraised(fw: Framework, responses: Mapping[str, Response],
                    appraisal: Mapping[str, float | None]) -> AppraisedResult:
    """The self-assessed and the appraised result of the same answers, scored by the engine."""
    mixed = mixed_responses(fw, responses, appraisal)
    codes = frozenset(c for c, p in appraisal.items() if p is not None and c in fw.component_by_code)
    return AppraisedResult(score(fw, responses), score(fw, mixed), codes)
