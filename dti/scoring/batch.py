"""Vectorised scoring of many scenarios at once (what-if sweeps, Monte Carlo bands).

Every figure of the DTI is linear in points, so a batch is one matrix product: scenarios × components
(or × main indices) times a weight matrix whose columns are the DTI, each pillar and each main index.
The weights are built once per framework from the same definitions as ``dti.scoring.engine``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dti.framework.model import Framework
from dti.scoring.engine import require_complete


@dataclass(frozen=True)
class BatchScores:
    dti: np.ndarray  # (n,)
    pillars: np.ndarray  # (n, pillars)
    main_indices: np.ndarray  # (n, scored main indices)
    pillar_codes: tuple[str, ...]
    main_codes: tuple[str, ...]


class BatchScorer:
    """Weights of one framework for scoring arrays of main-index values or component points."""

    def __init__(self, fw: Framework):
        require_complete(fw)
        self.framework = fw
        mains = fw.scored_main_indices
        self.main_codes = tuple(m.code for m in mains)
        self.pillar_codes = tuple(p.code for p in fw.pillars)
        self.main_max = np.array([m.max_points for m in mains], dtype=float)
        self.component_codes = tuple(c.code for m in mains for c in m.components)
        self.component_max = np.array([c.max_points for m in mains for c in m.components], dtype=float)
        col = {code: i for i, code in enumerate(self.main_codes)}
        # Output columns: [DTI, pillars..., main indices...], from main-index values (0..1).
        n_out = 1 + len(self.pillar_codes) + len(self.main_codes)
        w = np.zeros((len(self.main_codes), n_out))
        w[:, 0] = self.main_max / fw.total_points
        for j, p in enumerate(fw.pillars):
            members = [c for c in p.main_indices if c in col]
            top = sum(fw.main_index_by_code[c].max_points for c in p.main_indices)
            for c in members:
                w[col[c], 1 + j] = fw.main_index_by_code[c].max_points / top if top else 0.0
        w[:, 1 + len(self.pillar_codes):] = np.eye(len(self.main_codes))
        self.value_weights = w
        # From component points: points → main-index values is a membership matrix scaled by 1 / max.
        member = np.zeros((len(self.component_codes), len(self.main_codes)))
        for i, code in enumerate(self.component_codes):
            main = code.split(".", 1)[0]
            member[i, col[main]] = 1.0 / self.main_max[col[main]] if self.main_max[col[main]] else 0.0
        self.points_weights = member @ w

    def _split(self, out: np.ndarray) -> BatchScores:
        n_p = len(self.pillar_codes)
        return BatchScores(out[:, 0], out[:, 1:1 + n_p], out[:, 1 + n_p:], self.pillar_codes, self.main_codes)

    def score_main_values(self, values: np.ndarray) -> BatchScores:
        """values: (n, scored main indices) in ``main_codes`` order, each 0..1."""
        values = np.asarray(values, dtype=float)
        return self._split(values @ self.value_weights)

    def score_component_points(self, points: np.ndarray) -> BatchScores:
        """points: (n, components of scored main indices) in ``component_codes`` order."""
        points = np.asarray(points, dtype=float)
        return self._split(points @ self.points_weights)

    def dti_from_main_values(self, values: np.ndarray) -> np.ndarray:
        """Only the DTI column: the cheapest path for large sweeps."""
        return np.asarray(values, dtype=float) @ self.value_weights[:, 0]
