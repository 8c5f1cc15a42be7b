"""Properties of the engine and the batch path on random assessments of the shipped 2022 edition.

Bounds (every value in 0..1, points within their maximum), monotonicity (more points never lower a value),
sums (DTI points = main-index points = component points; pillar points = its indices' points) and
batch = engine, for any points hypothesis can find.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dti.framework import registry
from dti.scoring.batch import BatchScorer
from dti.scoring.engine import Response, score, score_main_values

FW = registry.load("dti-2022-province")
SCORED = [c for c in FW.components if c.rule.type != "not_scored"]
TOL = 1e-9

settings.register_profile("dti", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dti")


@st.composite
def assessments(draw, allow_missing: bool = True) -> dict[str, float]:
    """Points per scored component: any share of the maximum, some components left unanswered."""
    points = {}
    for comp in SCORED:
        if allow_missing and draw(st.booleans()) and draw(st.booleans()):
            continue  # about a quarter unanswered
        share = draw(st.floats(min_value=0, max_value=1, allow_nan=False))
        points[comp.code] = share * comp.max_points
    return points


def responses(points: dict[str, float]) -> dict[str, Response]:
    return {code: Response(code, points=p) for code, p in points.items()}


@given(assessments())
def test_bounds(points):
    result = score(FW, responses(points))
    assert 0 <= result.dti <= 1 + TOL
    assert 0 <= result.points <= result.max_points + TOL
    for a in [*result.main_indices.values(), *result.pillars.values()]:
        assert a.value is None or 0 <= a.value <= 1 + TOL
        assert 0 <= a.points <= a.max_points + TOL
    for c in result.components.values():
        assert c.points is None or 0 <= c.points <= c.max_points + TOL


@given(assessments(), st.sampled_from(SCORED), st.floats(min_value=0, max_value=1, allow_nan=False))
def test_raising_a_component_never_lowers_any_value(points, comp, raise_share):
    before = score(FW, responses(points))
    current = points.get(comp.code, 0.0)
    raised = dict(points, **{comp.code: current + raise_share * (comp.max_points - current)})
    after = score(FW, responses(raised))
    assert after.dti >= before.dti - TOL
    for code, a in after.pillars.items():
        assert a.value >= before.pillars[code].value - TOL
    for code, a in after.main_indices.items():
        if a.value is not None:
            assert a.value >= before.main_indices[code].value - TOL


@given(assessments())
def test_sums(points):
    result = score(FW, responses(points))
    component_total = sum(c.points or 0.0 for c in result.components.values())
    main_total = sum(a.points for a in result.main_indices.values())
    assert result.points == pytest.approx(main_total, abs=1e-9)
    assert result.points == pytest.approx(component_total, abs=1e-9)
    assert result.dti == pytest.approx(result.points / FW.total_points)
    for pillar in FW.pillars:
        expected = sum(result.main_indices[code].points for code in pillar.main_indices)
        assert result.pillars[pillar.code].points == pytest.approx(expected, abs=1e-9)
    for m in FW.main_indices:
        expected = sum(result.components[c.code].points or 0.0 for c in m.components)
        assert result.main_indices[m.code].points == pytest.approx(expected, abs=1e-9)


@given(st.lists(assessments(allow_missing=False), min_size=1, max_size=5))
def test_batch_component_points_equal_engine(many):
    batch = BatchScorer(FW)
    matrix = np.array([[p.get(code, 0.0) for code in batch.component_codes] for p in many])
    out = batch.score_component_points(matrix)
    for i, points in enumerate(many):
        result = score(FW, responses(points))
        assert out.dti[i] == pytest.approx(result.dti, abs=1e-12)
        for j, code in enumerate(batch.pillar_codes):
            assert out.pillars[i, j] == pytest.approx(result.pillars[code].value, abs=1e-12)
        for j, code in enumerate(batch.main_codes):
            assert out.main_indices[i, j] == pytest.approx(result.main_indices[code].value, abs=1e-12)


@given(st.lists(st.fixed_dictionaries({m.code: st.floats(0, 1) for m in FW.scored_main_indices}),
                min_size=1, max_size=5))
def test_batch_main_values_equal_engine(many):
    batch = BatchScorer(FW)
    matrix = np.array([[values[code] for code in batch.main_codes] for values in many])
    out = batch.score_main_values(matrix)
    only_dti = batch.dti_from_main_values(matrix)
    for i, values in enumerate(many):
        result = score_main_values(FW, values)
        assert out.dti[i] == pytest.approx(result.dti, abs=1e-12)
        assert only_dti[i] == pytest.approx(result.dti, abs=1e-12)
        for j, code in enumerate(batch.pillar_codes):
            assert out.pillars[i, j] == pytest.approx(result.pillars[code].value, abs=1e-12)
        assert 0 <= out.dti[i] <= 1 + TOL


@given(st.fixed_dictionaries({m.code: st.floats(0, 1) for m in FW.scored_main_indices}),
       st.sampled_from([m.code for m in FW.scored_main_indices]), st.floats(0, 1))
def test_raising_a_main_value_never_lowers_dti_or_pillars(values, code, raise_share):
    before = score_main_values(FW, values)
    raised = dict(values, **{code: values[code] + raise_share * (1 - values[code])})
    after = score_main_values(FW, raised)
    assert after.dti >= before.dti - TOL
    for p, a in after.pillars.items():
        assert a.value >= before.pillars[p].value - TOL
