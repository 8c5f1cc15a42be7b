"""The scoring engine: each rule type, aggregation, and the published 2022 results reproduced."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from dti.scoring.batch import BatchScorer
from dti.scoring.engine import InputProblems, Response, score, score_main_values
from tests.conftest import read_reference_csv


def pts(fw, code, value):
    return score(fw, {code: Response(code, value=value)}).components[code].points


@pytest.mark.parametrize("code,value,expected", [
    ("1.1", "full", 10), ("1.1", "half", 5), ("1.1", "Một nửa", 5), ("1.1", "none", 0),
    ("1.2", "45/60", 7.5), ("1.2", "70/60", 10), ("1.2", "0/0", 10), ("1.2", {"a": 3, "b": 4}, 7.5),
    ("3.1", "0/0", 0), ("3.1", "1/4", 5),
    ("1.3", 4, 20), ("1.3", "5", 20), ("1.3", 3, 15), ("1.3", "2,5", 10), ("1.3", 1, 5), ("1.3", 0, 0),
    ("2.1", "attend", 10), ("2.1", "attend;chair", 20), ("2.1", "chair=0.5", 5), ("2.1", ["chair"], 10),
    ("2.2", "có", 10), ("2.2", "không", 0), ("2.2", True, 10), ("2.2", "yes", 10),
    ("2.3", 7.5, 7.5),
])
def test_each_rule_type_reads_its_input(fw_all_rules, code, value, expected):
    assert pts(fw_all_rules, code, value) == pytest.approx(expected)


@pytest.mark.parametrize("code,value,fragment", [
    ("1.1", "excellent", "not a level"), ("1.2", "abc", "not a ratio"), ("1.2", "-1/4", "negative"),
    ("1.3", "many", "not a number"), ("1.3", -2, "negative"), ("2.1", "lead", "not a part"),
    ("2.1", "chair=2", "out of range"), ("2.2", "maybe", "not yes or no"),
    ("2.3", 11, "over the maximum"), ("2.3", -1, "negative"), ("2.3", "mười", "not a number"),
])
def test_bad_inputs_are_refused_with_the_fix(fw_all_rules, code, value, fragment):
    with pytest.raises(InputProblems) as exc:
        score(fw_all_rules, {code: Response(code, value=value)})
    [problem] = exc.value.problems
    assert problem.code == code and fragment in problem.message


def test_unanswered_is_not_zero_but_counted_in_a_conservative_estimate(fw_all_rules):
    result = score(fw_all_rules, {"1.1": Response("1.1", value="full")})
    assert result.answered == 1 and result.total == 7  # 4.1 is not scored, so not counted
    assert result.basis == "conservative"
    assert result.components["1.2"].status == "missing" and result.components["1.2"].points is None
    assert result.dti == pytest.approx(10 / 100)
    assert result.components["2.3"].status == "missing"


def test_aggregation_and_ranking(fw_all_rules):
    answers = {"1.1": "full", "1.2": "1/2", "1.3": 3, "2.1": "attend", "2.2": "no", "2.3": None, "3.1": "1/1"}
    responses = {c: Response(c, value=v) for c, v in answers.items()}
    responses["2.3"] = Response("2.3", points=4)
    r = score(fw_all_rules, responses)
    # index 1: 10 + 5 + 15 = 30 / 40; index 2: 10 + 0 + 4 = 14 / 40; index 3: 20 / 20
    assert r.main_indices["1"].value == pytest.approx(0.75)
    assert r.main_indices["2"].value == pytest.approx(0.35)
    assert r.main_indices["3"].value == pytest.approx(1.0)
    assert r.main_indices["4"].value is None
    assert r.pillars["p1"].value == pytest.approx((30 + 20) / 60)
    assert r.pillars["p2"].value == pytest.approx((14 + 20) / 60)
    assert r.dti == pytest.approx(64 / 100)
    assert r.lowest_main_indices == ["2", "1", "3"]
    assert r.lowest_pillars == ["p2", "p1"]
    assert r.components["2.3"].status == "estimate"  # measured by the Ministry: the province only estimates
    assert r.basis == "complete"
    stake = r.points_at_stake()
    assert [(c.code, c.at_stake) for c in stake[:3]] == [("2.1", 10), ("2.2", 10), ("2.3", 6)]


def published_2022_full_rows():
    """Provinces whose 2022 DTI and all eight scored main-index values are published."""
    by_province = defaultdict(dict)
    for row in read_reference_csv("published/dti-province-results.csv"):
        if row["year"] == "2022" and row["value"]:
            by_province[row["province"]][row["measure"]] = float(row["value"])
    return {p: m for p, m in by_province.items() if "dti" in m and len(m) >= 9}


def test_published_2022_dti_is_reproduced_from_main_index_values(fw2022):
    provinces = published_2022_full_rows()
    assert {"Đà Nẵng", "Hồ Chí Minh"} <= set(provinces)
    measure_of = {m.published_measure: m.code for m in fw2022.scored_main_indices}
    for province, measures in provinces.items():
        values = {measure_of[k]: v for k, v in measures.items() if k in measure_of}
        result = score_main_values(fw2022, values)
        assert result.dti == pytest.approx(measures["dti"], abs=1e-4), province
        for pillar in fw2022.pillars:
            if pillar.published_measure in measures:
                assert result.pillars[pillar.code].value == pytest.approx(measures[pillar.published_measure],
                                                                          abs=1e-4)


def test_batch_path_agrees_with_the_engine(fw2022):
    scorer = BatchScorer(fw2022)
    rng = np.random.default_rng(7)
    values = rng.random((50, len(scorer.main_codes)))
    batch = scorer.score_main_values(values)
    for i in (0, 17, 49):
        one = score_main_values(fw2022, dict(zip(scorer.main_codes, values[i])))
        assert batch.dti[i] == pytest.approx(one.dti)
        for j, code in enumerate(scorer.pillar_codes):
            assert batch.pillars[i, j] == pytest.approx(one.pillars[code].value)
    points = rng.random((20, len(scorer.component_codes))) * scorer.component_max
    from_points = scorer.score_component_points(points)
    responses = {c: Response(c, points=float(p)) for c, p in zip(scorer.component_codes, points[3])}
    assert from_points.dti[3] == pytest.approx(score(fw2022, responses).dti)
    np.testing.assert_allclose(scorer.dti_from_main_values(values), batch.dti)


def test_problems_read_in_vietnamese_and_english(fw_all_rules):
    from dti.io.excel import read_upload

    with pytest.raises(InputProblems) as exc:
        read_upload(fw_all_rules, b"code,value\n1.3,many\n9.9,1\n", "so-lieu.csv")
    bad_count, unknown = exc.value.problems  # in the file's order
    assert bad_count.text("vi") == ("so-lieu.csv, dòng 2, chỉ số 1.3: số lần 'many' không phải là số; "
                                    "hãy nhập một số, ví dụ 3")
    assert str(bad_count) == "so-lieu.csv, row 2, component 1.3: count 'many' is not a number; write a number such as 3"
    assert unknown.text("vi") == ("so-lieu.csv, dòng 3, chỉ số 9.9: không phải chỉ số thành phần của all-rules; "
                                  "kiểm tra lại mã (ví dụ 2.4)")
