"""Batch scoring speed, as a ratio to a bare NumPy ``matrix @ weights`` on the same data in the same run.

    .venv/bin/python bench/engine.py [--n 100000] [--repeat 7]

Absolute times depend on the machine; the ratio does not (much). Targets: 100,000 scenarios well under a second,
and within 3× of the bare product (the batch path adds only input checks, weight lookup and result splitting).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dti.framework import registry
from dti.scoring.batch import BatchScorer

TARGET_SECONDS = 1.0
TARGET_RATIO = 3.0


def best_of_pair(batch, bare, repeat: int) -> tuple[float, float]:
    """Best wall time of each, runs interleaved so that a busy moment of the machine hits both alike."""
    batch(), bare()  # warm-up: first-touch allocations are not what is measured
    batch_times, bare_times = [], []
    for _ in range(repeat):
        for fn, times in ((batch, batch_times), (bare, bare_times)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return min(batch_times), min(bare_times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="scenarios per batch")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--edition", default=registry.DEFAULT_EDITION)
    args = parser.parse_args()

    fw = registry.load(args.edition)
    start = time.perf_counter()
    scorer = BatchScorer(fw)
    setup = time.perf_counter() - start
    rng = np.random.default_rng(2022)
    values = rng.random((args.n, len(scorer.main_codes)))
    points = rng.random((args.n, len(scorer.component_codes))) * scorer.component_max
    # The baseline: the same products with weights already in hand, nothing else.
    value_weights = scorer.value_weights.copy()
    points_weights = scorer.points_weights.copy()

    cases = [
        ("main-index values → all outputs", lambda: scorer.score_main_values(values), lambda: values @ value_weights),
        ("main-index values → DTI only", lambda: scorer.dti_from_main_values(values),
         lambda: values @ value_weights[:, 0]),
        ("component points → all outputs", lambda: scorer.score_component_points(points),
         lambda: points @ points_weights),
    ]
    np.testing.assert_allclose(scorer.score_component_points(points).dti, (points @ points_weights)[:, 0])

    print(f"{fw.id}: {args.n:,} scenarios, {len(scorer.main_codes)} scored main indices, "
          f"{len(scorer.component_codes)} components; best of {args.repeat}; BatchScorer setup {setup * 1e3:.1f} ms")
    print(f"{'case':<34}{'batch':>11}{'bare numpy':>13}{'ratio':>8}")
    ok = True
    for name, batch, bare in cases:
        batch_time, bare_time = best_of_pair(batch, bare, args.repeat)
        ratio = batch_time / bare_time
        ok &= batch_time < TARGET_SECONDS and ratio <= TARGET_RATIO
        print(f"{name:<34}{batch_time * 1e3:>9.2f}ms{bare_time * 1e3:>11.2f}ms{ratio:>7.2f}×")
    print(f"targets: < {TARGET_SECONDS:g} s and ≤ {TARGET_RATIO:g}× bare NumPy: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
