"""The Monte Carlo band: contains the point estimate, narrows as confidence rises, uses the batch path."""

from __future__ import annotations

import numpy as np
import pytest

from dti.decide import demo, peers, uncertainty
from dti.scoring.batch import BatchScorer
from dti.scoring.engine import Response, score


@pytest.fixture(scope="module")
def demo_case(fw2022):
    responses = demo.demo_responses(fw2022)
    return responses, score(fw2022, responses)


def _band(fw, responses, result, appraised=(), **kw):
    levels = uncertainty.confidence(fw, responses, appraised)
    return uncertainty.band(fw, result, uncertainty.downside(fw, levels), **kw)


def test_confidence_levels(fw_all_rules):
    responses = {"1.1": Response("1.1", "half", evidence="QĐ 12"), "1.2": Response("1.2", "3/4")}
    levels = uncertainty.confidence(fw_all_rules, responses, appraised={"3.1"})
    assert levels["1.1"] == "evidence" and levels["1.2"] == "self"
    assert levels["2.3"] == "ministry" and levels["3.1"] == "appraised"
    assert "4.1" not in levels  # not scored
    d = uncertainty.downside(fw_all_rules, levels)
    # Every rule of the fixture is provisional: the extra width applies, appraised stays certain.
    assert d["1.1"] == pytest.approx(0.35) and d["1.2"] == pytest.approx(0.6) and d["3.1"] == 0.0


def test_band_contains_the_point_estimate(fw2022, demo_case):
    responses, result = demo_case
    u = _band(fw2022, responses, result)
    assert u.dti.low <= result.dti <= u.dti.high
    assert u.dti.low < u.dti.median < u.dti.high
    for code, b in u.pillars.items():
        assert b.low <= result.pillars[code].value <= b.high
        assert b.point == result.pillars[code].value
    assert u.dti.median < result.dti  # self-scores lean optimistic: the model leans down


def test_band_narrows_when_confidence_rises(fw2022, demo_case):
    responses, result = demo_case
    widths = []
    for appraised_share in (0.0, 0.5, 0.9):
        codes = [c.code for c in fw2022.components][: int(appraised_share * len(fw2022.components))]
        u = _band(fw2022, responses, result, appraised=codes)
        widths.append(u.dti.high - u.dti.low)
    with_evidence = {c: Response(c, points=r.points, evidence="BC 1") for c, r in responses.items()}
    widths_ev = _band(fw2022, with_evidence, result).dti
    assert widths[0] > widths[1] > widths[2] > 0
    assert widths_ev.high - widths_ev.low < widths[0]
    everything = _band(fw2022, responses, result, appraised=[c.code for c in fw2022.components])
    assert everything.dti.low == pytest.approx(result.dti) == pytest.approx(everything.dti.high)
    assert everything.sensitivity == []


def test_band_matches_the_batch_path(fw2022, demo_case):
    """The band is percentiles of the batch scorer applied to the same draws."""
    responses, result = demo_case
    scorer = BatchScorer(fw2022)
    d = uncertainty.downside(fw2022, uncertainty.confidence(fw2022, responses))
    u = uncertainty.band(fw2022, result, d, n=2000, seed=7, scorer=scorer)
    pts = np.array([result.components[c].points or 0.0 for c in scorer.component_codes])
    dv = np.array([d.get(c, 0.0) for c in scorer.component_codes])
    sims = uncertainty.draw_points(scorer, pts, dv, 2000, rng=np.random.default_rng(7))
    dti = sims.sum(axis=1) / fw2022.total_points
    assert u.dti.low == pytest.approx(np.percentile(dti, 5))
    assert u.dti.high == pytest.approx(np.percentile(dti, 95))
    assert ((sims >= 0) & (sims <= scorer.component_max + 1e-12)).all()


def test_rank_band_and_sensitivity(fw2022, demo_case):
    responses, result = demo_case
    table = peers.load_published()
    u = _band(fw2022, responses, result, table=table, year=2024, rank_of=34)
    among = len(table.values(2024, rank_of=34)) + 1
    assert u.rank_among == among
    assert 1 <= u.rank_low <= u.rank_high <= among
    point_rank = table.estimate_rank(result.dti, 2024, rank_of=34).rank
    assert u.rank_low <= point_rank <= u.rank_high
    shares = dict(u.sensitivity)
    assert sum(shares.values()) == pytest.approx(1.0, abs=0.02)
    # The component with the most points and the widest downside moves the DTI most.
    d = uncertainty.downside(fw2022, uncertainty.confidence(fw2022, responses))
    spread = {c: (result.components[c].points or 0) * d[c] for c in d}
    assert u.sensitivity[0][0] in sorted(spread, key=spread.get, reverse=True)[:10]
