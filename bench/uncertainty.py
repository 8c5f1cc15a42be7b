"""Benchmark: the 10,000-draw uncertainty band against a bare NumPy draw + matmul of the same size.

Run: .venv/bin/python bench/uncertainty.py
The target is a band in under half a second; the ratio shows what the model (triangular draws, clipping,
percentiles, rank and sensitivity) costs over the minimum any Monte Carlo of this size must pay.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dti.decide import demo, peers, uncertainty
from dti.framework import registry
from dti.scoring.batch import BatchScorer
from dti.scoring.engine import score

DRAWS = 10_000
REPEATS = 7


def best_of(fn) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    fw = registry.load(registry.DEFAULT_EDITION)
    responses = demo.demo_responses(fw)
    result = score(fw, responses)
    table = peers.load_published()
    scorer = BatchScorer(fw)
    downsides = uncertainty.downside(fw, uncertainty.confidence(fw, responses))
    n_comp = len(scorer.component_codes)
    weights = scorer.points_weights
    rng = np.random.default_rng(0)

    def bare():  # the floor: one uniform draw per component and draw, one matrix product
        return rng.random((DRAWS, n_comp)) @ weights

    def band():
        return uncertainty.band(fw, result, downsides, n=DRAWS, seed=None, table=table, year=2022, scorer=scorer)

    t_bare = best_of(bare)
    t_band = best_of(band)
    u = band()
    print(f"components: {n_comp}, draws: {DRAWS}, best of {REPEATS}")
    print(f"bare numpy draw+matmul: {t_bare * 1000:.1f} ms")
    print(f"uncertainty band:       {t_band * 1000:.1f} ms  (target < 500 ms: {'OK' if t_band < 0.5 else 'SLOW'})")
    print(f"ratio band / bare:      {t_band / t_bare:.1f}x")
    print(f"DTI {u.dti.point:.4f}, band {u.dti.low:.4f}–{u.dti.high:.4f}, rank {u.rank_low}–{u.rank_high} "
          f"of {u.rank_among} published 2022 values")


if __name__ == "__main__":
    main()
