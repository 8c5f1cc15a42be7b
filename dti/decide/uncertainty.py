"""How far a self-score may move once the Ministry appraises it: a Monte Carlo band for DTI, pillars and rank.

The model, kept simple enough to explain on screen:

* Each answered component has a *downside* d: the share of its self-scored points that appraisal may take away.
  d comes from its confidence: appraised → 0 (certain); evidence attached → 0,15; measured by the Ministry
  (our figure is an estimate of theirs) → 0,20; self-declared without evidence → 0,40. A provisional scoring
  rule (not the official method) adds 0,20, up to 0,80 at most.
* In each draw, the true points of a component are ``s × (1 − d × X)`` (clipped to 0..max), where s is the
  self score and X is drawn from a triangular distribution on [−0,5, 1] with its mode at 0: most likely the
  appraisal confirms the self score, it may cut up to d of it, and sometimes (one draw in three) it credits
  more than was claimed, by at most half of d. The model leans down, as self-scores do.
* Appraisal strictness is partly shared (the same appraisers look at every component), so X mixes one common
  draw per simulated appraisal (weight ``shared`` = 0,7) with one independent draw per component. Without the
  shared part the errors of 90 components would cancel out and the band would look falsely narrow.
* Unanswered components stay at 0 (the conservative estimate) and add no width.

Draws are scored with the engine's batch path (one matrix product); the band is the 5th–95th percentile.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np

from dti.decide.peers import PublishedTable
from dti.framework.model import Framework
from dti.scoring.batch import BatchScorer
from dti.scoring.engine import Response, Result

DOWNSIDE = {"appraised": 0.0, "evidence": 0.15, "ministry": 0.20, "self": 0.40}
PROVISIONAL_EXTRA = 0.20
MAX_DOWNSIDE = 0.80
X_LOW, X_MODE, X_HIGH = -0.5, 0.0, 1.0
SHARED = 0.7
LOW_Q, HIGH_Q = 5.0, 95.0


def confidence(fw: Framework, responses: Mapping[str, Response], appraised: Collection[str] = ()) -> dict[str, str]:
    """Component code → appraised | evidence | ministry | self (scored components only)."""
    out = {}
    for comp in fw.components:
        if comp.rule.type == "not_scored":
            continue
        resp = responses.get(comp.code)
        if comp.code in appraised:
            out[comp.code] = "appraised"
        elif comp.measured_by == "ministry":
            out[comp.code] = "ministry"
        elif resp is not None and resp.evidence.strip():
            out[comp.code] = "evidence"
        else:
            out[comp.code] = "self"
    return out


def downside(fw: Framework, levels: Mapping[str, str]) -> dict[str, float]:
    """Component code → d, the share of its self score appraisal may take away."""
    out = {}
    for code, level in levels.items():
        d = DOWNSIDE[level]
        comp = fw.component_by_code[code]
        if d > 0 and comp.provenance.rule != "official":
            d += PROVISIONAL_EXTRA  # the official method may score the same facts differently
        out[code] = min(d, MAX_DOWNSIDE)
    return out


@dataclass(frozen=True)
class Band:
    point: float  # the self-score estimate
    low: float
    high: float
    median: float


@dataclass(frozen=True)
class Uncertainty:
    draws: int
    dti: Band
    pillars: dict[str, Band]
    main_indices: dict[str, Band]
    rank_low: int | None  # best (smallest) rank within the band
    rank_high: int | None
    rank_among: int | None
    sensitivity: list[tuple[str, float]]  # (component, share of DTI variance), largest first


def draw_points(scorer: BatchScorer, points: np.ndarray, d: np.ndarray, n: int, shared: float = SHARED,
                rng: np.random.Generator | None = None) -> np.ndarray:
    """(n, components) simulated true points around the self scores ``points`` with downsides ``d``."""
    rng = rng or np.random.default_rng()
    common = rng.triangular(X_LOW, X_MODE, X_HIGH, size=(n, 1))
    own = rng.triangular(X_LOW, X_MODE, X_HIGH, size=(n, points.size))
    x = shared * common + (1.0 - shared) * own
    return np.clip(points * (1.0 - d * x), 0.0, scorer.component_max)


def band(fw: Framework, result: Result, downsides: Mapping[str, float], n: int = 10_000, seed: int | None = 0,
         table: PublishedTable | None = None, year: int | None = None, rank_of: int | None = None,
         scorer: BatchScorer | None = None, shared: float = SHARED) -> Uncertainty:
    """The band of DTI, pillars, main indices and rank, and which components drive it."""
    scorer = scorer or BatchScorer(fw)
    codes = scorer.component_codes
    points = np.array([result.components[c].points or 0.0 for c in codes])
    d = np.array([downsides.get(c, 0.0) for c in codes])
    sims = draw_points(scorer, points, d, n, shared, np.random.default_rng(seed))
    scores = scorer.score_component_points(sims)

    def make(point: float, column: np.ndarray) -> Band:
        lo, med, hi = np.percentile(column, [LOW_Q, 50.0, HIGH_Q])
        return Band(point, float(lo), float(hi), float(med))

    pillars = {code: make(result.pillars[code].value, scores.pillars[:, j])
               for j, code in enumerate(scorer.pillar_codes)}
    mains = {code: make(result.main_indices[code].value, scores.main_indices[:, j])
             for j, code in enumerate(scorer.main_codes)}
    rank_low = rank_high = among = None
    if table is not None and year is not None:
        rank_of = rank_of or table.default_ranking(year)
        published = np.array(sorted(table.values(year, "dti", rank_of).values()))
        if published.size:
            ranks = 1 + published.size - np.searchsorted(published, scores.dti, side="right")
            rank_low, rank_high = (int(v) for v in np.percentile(ranks, [LOW_Q, HIGH_Q], method="nearest"))
            among = int(published.size + 1)
    return Uncertainty(n, make(result.dti, scores.dti), pillars, mains, rank_low, rank_high, among,
                       sensitivity(codes, sims, scorer.points_weights[:, 0], scores.dti))


def sensitivity(codes, sims: np.ndarray, dti_weights: np.ndarray, dti: np.ndarray) -> list[tuple[str, float]]:
    """Share of the DTI's variance due to each component: cov(w·points_i, DTI) / var(DTI); shares sum to 1."""
    var = float(dti.var())
    if var <= 1e-18:
        return []
    centred = sims - sims.mean(axis=0)
    contrib = (centred * dti_weights).T @ (dti - dti.mean()) / dti.size / var
    order = np.argsort(-contrib)
    return [(codes[i], float(contrib[i])) for i in order if contrib[i] > 1e-6]
