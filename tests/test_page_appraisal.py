"""Issue 12 on the pages (AppTest): bulk assignment, the all-or-nothing appraisal grid with notes, the appraised
DTI beside the self-assessed one, the per-agency drill-down."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from dti.framework import registry
from dti.i18n import fmt_number
from dti.storage import Actor
from tests.apptest_support import open_page, run_page

COORD = Actor("coord", "coordinator")
EDITION = registry.DEFAULT_EDITION






def edit_rows(at: AppTest, key: str, rows: dict[int, dict]) -> AppTest:
    """What the browser sends when cells of an st.data_editor are edited."""
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return at.run()


def test_bulk_assignment_of_main_index_7_to_one_agency(db, fw2022):
    pid = db.assessment(EDITION, 2026, 4).id
    db.save_response(COORD, pid, "1.1", 0, value="deputy")  # the page shows this period
    lead = db.add_agency(COORD, "Sở Khoa học và Công nghệ")
    db.add_agency(COORD, "Sở Nội vụ")
    codes = [c.code for c in fw2022.main_index_by_code["7"].components]
    at = run_page("coordinator.py")

    at.multiselect(key="s_bulk_mains").set_value(["7"])
    at.selectbox(key="s_bulk_lead").set_value(lead)
    next(b for b in at.button if b.label == "Phân công").click().run()

    assert not at.exception and not at.error
    done = f"Đã phân công {len(codes)} chỉ số thành phần cho Sở Khoa học và Công nghệ."
    assert [s.value for s in at.success] == [done]
    assert db.assignments(pid) == {c: (lead, []) for c in codes}
    # Progress refreshed in the same run: the agency and its count are in the table.
    progress = at.dataframe[0].value
    assert list(progress["Đơn vị"]) == ["Sở Khoa học và Công nghệ"]
    assert list(progress["Được giao"]) == [len(codes)]
    # The assignment grid shows the agency's name where assigned and an empty cell elsewhere, never None.
    grid = next(d.value for d in at.dataframe if "lead" in d.value.columns)
    leads = grid.set_index("code")["lead"]
    assert all(leads[c] == "Sở Khoa học và Công nghệ" for c in codes)
    assert leads["1.1"] == "" and not any(v is None or v == "None" for v in leads)
    # The assignment can be downloaded as a spreadsheet (read back by Store.import_assignments).
    assert any(b.proto.label == "Tải xuống bảng phân công (.xlsx)" for b in at.get("download_button"))


def test_bulk_assignment_without_a_lead_writes_nothing_and_says_why(db):
    pid = db.assessment(EDITION, 2026, 4).id
    db.save_response(COORD, pid, "1.1", 0, value="deputy")
    db.add_agency(COORD, "Sở Nội vụ")
    at = run_page("coordinator.py")
    at.multiselect(key="s_bulk_mains").set_value(["7"])
    next(b for b in at.button if b.label == "Phân công").click().run()
    assert [w.value for w in at.warning] == ["Chọn ít nhất một chỉ số chính hoặc chỉ số thành phần, và đơn vị chủ trì."]
    assert db.assignments(pid) == {}


def test_an_appraisal_grid_with_a_bad_row_saves_nothing(db):
    pid = db.assessment(EDITION, 2026, 4).id
    db.save_response(COORD, pid, "1.1", 0, value="top_leader")  # 10 of 10 points
    db.save_response(COORD, pid, "1.2", 0, points=5)
    at = run_page("coordinator.py")
    grid = next(d.value for d in at.dataframe if "appraisal" in d.value.columns)
    row_of = {code: i for i, code in enumerate(grid["code"])}
    max_12 = grid.set_index("code").loc["1.2", "max_points"]
    at = edit_rows(at, f"s_appraisal_{pid}", {
        row_of["1.1"]: {"appraisal": "7,5", "appraisal_note": "Thiếu quyết định bổ nhiệm"},
        row_of["1.2"]: {"appraisal": "999"}})
    at = next(b for b in at.button if b.label == "Lưu điểm thẩm định").click().run()

    assert not at.exception
    assert [w.value for w in at.warning] == ["Không lưu gì: sửa các dòng dưới đây rồi lưu lại."]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("chỉ số 1.2: điểm 999 vượt mức tối đa " + max_12)
    stored = db.stored(pid)
    assert stored["1.1"].appraisal_points is None and stored["1.1"].appraisal_note == ""
    assert stored["1.2"].appraisal_points is None
    assert [h.action for h in db.history(pid)] == ["save", "save"]

    # Fixed, the same grid saves both rows with the note, and the appraised DTI shows beside the self one.
    at = edit_rows(at, f"s_appraisal_{pid}", {
        row_of["1.1"]: {"appraisal": "7,5", "appraisal_note": "Thiếu quyết định bổ nhiệm"},
        row_of["1.2"]: {"appraisal": "2"}})
    at = next(b for b in at.button if b.label == "Lưu điểm thẩm định").click().run()
    assert not at.error
    stored = db.stored(pid)
    assert (stored["1.1"].appraisal_points, stored["1.1"].appraisal_note) == (7.5, "Thiếu quyết định bổ nhiệm")
    assert stored["1.2"].appraisal_points == 2.0
    appraised = db.appraised(pid)
    labels = {m.label: m.value for m in at.metric}
    assert labels["DTI sau thẩm định"] == fmt_number(appraised.appraised.dti, "vi")
    assert labels["DTI tự đánh giá"] == fmt_number(appraised.self_assessed.dti, "vi")
    assert appraised.appraised.points == pytest.approx(appraised.self_assessed.points - 2.5 - 3)


@pytest.mark.parametrize(("page", "lang", "self_label", "appraised_label"), [
    ("overview", "vi", "DTI tự đánh giá", "DTI sau thẩm định"),
    ("results", "en", "Self-assessed DTI", "Appraised DTI")])
def test_the_appraised_dti_shows_next_to_the_self_assessed_one(db, page, lang, self_label, appraised_label):
    pid = db.assessment(EDITION, 2026, 4).id
    db.save_response(COORD, pid, "1.1", 0, value="top_leader")
    db.set_appraisals(COORD, pid, {"1.1": (4.0, "")})
    at = open_page(page, lang)  # through app.py: the pages link to each other
    labels = {m.label: m.value for m in at.metric}
    appraised = db.appraised(pid)
    assert labels[appraised_label] == fmt_number(appraised.appraised.dti, lang)
    assert labels[self_label] == fmt_number(appraised.self_assessed.dti, lang)
    shown = " ".join(m.value for m in at.markdown)
    assert "1. " in shown and ("lowered the score most" in shown or "hạ điểm nhiều nhất" in shown)


def test_drill_down_per_agency_counts_and_overdue_rows(db, fw2022):
    pid = db.assessment(EDITION, 2026, 4).id
    so = db.add_agency(COORD, "Sở Thông tin")
    db.assign_many(COORD, pid, ["1.1", "1.2", "1.3"], so)
    db.save_response(COORD, pid, "1.1", 0, value="top_leader", evidence="QĐ 1", status="done")
    db.save_response(COORD, pid, "1.2", 0, points=2)
    db.set_due_date(COORD, pid, date(2026, 1, 1))  # passed
    at = run_page("coordinator.py")
    table = next(d.value for d in at.dataframe if "Quá hạn" in d.value.columns)
    assert list(table["Mã"]) == ["1.1", "1.2", "1.3"]
    assert list(table["Đã trả lời"]) == ["có", "có", "chưa"]
    assert list(table["Có minh chứng"]) == ["có", "chưa", "chưa"]
    assert [bool(x) for x in table["Quá hạn"]] == [False, True, True]
    max12 = fw2022.component_by_code["1.2"].max_points
    max13 = fw2022.component_by_code["1.3"].max_points
    at_stake = max12 - 2 + max13
    assert any(c.value.startswith("2/3 chỉ số đã trả lời · 1 có minh chứng · 2 quá hạn") for c in at.caption)
    assert any(fmt_number(at_stake, "vi", 0) in c.value or str(int(at_stake)) in c.value for c in at.caption)


def test_saving_the_assignment_grid_refreshes_the_progress_at_once(db):
    pid = db.assessment(EDITION, 2026, 4).id
    db.save_response(COORD, pid, "1.1", 0, value="deputy")
    so = db.add_agency(COORD, "Sở Tư pháp")
    at = run_page("coordinator.py")
    assert not any("Đơn vị" in d.value.columns and "Được giao" in d.value.columns for d in at.dataframe)
    grid = next(d.value for d in at.dataframe if "lead" in d.value.columns)
    row = list(grid["code"]).index("1.2")
    at = edit_rows(at, f"s_assign_{pid}", {row: {"lead": "Sở Tư pháp"}})
    at = next(b for b in at.button if b.label == "Lưu phân công").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Đã lưu 1 thay đổi phân công."]
    assert db.assignments(pid) == {"1.2": (so, [])}
    progress = next(d.value for d in at.dataframe if "Được giao" in d.value.columns)
    assert list(progress["Đơn vị"]) == ["Sở Tư pháp"] and list(progress["Được giao"]) == [1]
