"""The review of the rules read from an appendix: rows a table editor shows, edited and read back."""

from __future__ import annotations

import pytest

from dti.framework.validation import FrameworkError
from dti.io.catalogue import framework_from_catalogue
from dti.io.review import apply_review, review_rows
from dti.scoring.engine import Response, score
from tests.catalogue_fixtures import table_rows, xlsx_bytes


@pytest.fixture(scope="module")
def fw():
    return framework_from_catalogue(xlsx_bytes(table_rows()), "phu-luc.xlsx", "so-nganh")


def row_of(rows, code):
    return next(r for r in rows if r["code"] == code)


def test_rows_show_the_rule_read_and_the_original_text(fw):
    rows = review_rows(fw)
    assert [r["code"] for r in rows] == [c.code for c in fw.components]
    assert row_of(rows, "1.1")["rule_text"] == ("Trưởng ban là Bí thư/Chủ tịch = 1; là Phó Bí thư/Phó Chủ tịch = 0,5; "
                                                "chưa có BCĐ hoặc Trưởng ban không phải lãnh đạo huyện = 0")
    assert row_of(rows, "1.3")["rule_text"] == "1 = 0,25; 2 = 0,5; 3 = 0,75; 4 = 1"
    assert row_of(rows, "2.1")["rule_text"] == ("a = số cuộc họp CĐS có Bí thư/Chủ tịch chủ trì; "
                                                "b = tổng số cuộc họp CĐS")
    pending = row_of(rows, "6.2")
    assert pending["rule_type"] == "direct" and pending["review_vi"] and pending["scoring_vi"]


def test_unchanged_rows_change_nothing(fw):
    assert apply_review(fw, review_rows(fw)) == fw


def test_the_coordinator_chooses_levels_for_a_text_not_read(fw):
    rows = review_rows(fw)
    row = row_of(rows, "6.2")
    row.update(rule_type="levels", rule_text="Báo cáo đầy đủ, đúng hạn = 1; Báo cáo chậm = 0,5; Không báo cáo = 0")
    reviewed = apply_review(fw, rows)
    comp = reviewed.component_by_code["6.2"]
    assert comp.rule.type == "levels" and [lv.share for lv in comp.rule.levels] == [1, 0.5, 0]
    assert comp.scoring_review_vi == "" and comp.provenance.rule == "from_file"
    assert "reviewed by the coordinator" in comp.provenance.source
    assert score(reviewed, {"6.2": Response("6.2", value="level_2")}).points == pytest.approx(2.5)
    # a confirmed row keeps its rule and drops the review note
    rows = review_rows(fw)
    row_of(rows, "6.2")["confirmed"] = True
    assert apply_review(fw, rows).component_by_code["6.2"].scoring_review_vi == ""


def test_a_row_that_cannot_be_read_changes_nothing(fw):
    rows = review_rows(fw)
    row_of(rows, "1.3").update(rule_text="bốn lần = 1")
    row_of(rows, "2.1").update(rule_text="số cuộc họp")
    row_of(rows, "1.1").update(rule_text="Bí thư = 0,5; Phó = 0,25")
    with pytest.raises(FrameworkError) as exc:
        apply_review(fw, rows)
    found = [str(p) for p in exc.value.problems]
    assert "review: component 1.3: steps are 'count = share', e.g. '4 = 1; 3 = 0,75; 2 = 0,5'" in found
    assert "review: component 2.1: a ratio needs 'a = …; b = …'; write what a and b count" in found
    assert any("component 1.1 → rule: no level is worth the full points" in p for p in found)


def test_a_row_that_cannot_be_read_is_explained_in_vietnamese_too(fw):
    """The Editions page shows review problems in the UI's language: each has its Vietnamese text."""
    rows = review_rows(fw)
    row_of(rows, "1.3").update(rule_text="bốn lần là đủ")
    row_of(rows, "2.1").update(rule_text="số cuộc họp")
    row_of(rows, "1.2").update(rule_type="levels", rule_text="Đạt = một nửa")
    row_of(rows, "3.1").update(rule_type="thang điểm")
    with pytest.raises(FrameworkError) as exc:
        apply_review(fw, rows, "phu-luc.xlsx")
    found = {p.where: (p.text("vi"), p.text("en")) for p in exc.value.problems}
    assert found["component 1.3"][0] == ("phu-luc.xlsx, chỉ số thành phần 1.3: 'bốn lần là đủ' không đúng dạng "
                                         "'số lần = tỷ lệ'; hãy viết ví dụ '4 = 1; 3 = 0,75; 2 = 0,5'")
    assert found["component 2.1"][0] == ("phu-luc.xlsx, chỉ số thành phần 2.1: quy tắc tỷ lệ cần 'a = …; b = …'; "
                                         "hãy viết a và b đếm gì")
    assert "'một nửa' trong 'Đạt = một nửa' không phải là tỷ lệ; hãy ghi một số từ 0 đến 1" in found["component 1.2"][0]
    assert "loại quy tắc 'thang điểm' không có; hãy chọn một trong" in found["component 3.1"][0]
    assert found["component 2.1"][1] == ("phu-luc.xlsx, component 2.1: a ratio needs 'a = …; b = …'; write what a "
                                         "and b count")
