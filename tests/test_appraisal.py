"""Issue 12, assignment and appraisal: bulk assignment, all-or-nothing appraisal, the appraised DTI, drill-down."""

from __future__ import annotations

import pytest

from dti.scoring.appraised import score_appraised
from dti.scoring.engine import InputProblems, Response, score
from dti.storage import Actor, PermissionDenied, StorageError, Store

COORD = Actor("coord", "coordinator")


@pytest.fixture
def province_store(db_url):
    """A Store on SQLite, then PostgreSQL, scoring the shipped 2022 edition (98 components)."""
    s = Store.open(db_url)
    yield s
    s.close()


def test_bulk_assignment_of_main_index_7_to_one_agency(province_store, fw2022):
    store = province_store
    period = store.assessment(fw2022.id, 2026, 4)
    lead = store.add_agency(COORD, "Sở Khoa học và Công nghệ")
    support = store.add_agency(COORD, "Công an tỉnh")
    codes = [c.code for c in fw2022.main_index_by_code["7"].components]
    assert len(codes) > 1

    assert store.assign_many(COORD, period.id, codes, lead, [support]) == len(codes)

    assigned = store.assignments(period.id)
    assert set(assigned) == set(codes)
    assert all(assigned[c] == (lead, [support]) for c in codes)
    assert store.components_of(period.id, lead) == set(codes)
    agency = Actor("kh", "agency", lead)
    assert store.editable_codes(agency, period.id) == set(codes)
    progress = {p.agency_id: p for p in store.progress(period.id)}
    assert progress[lead].assigned == len(codes) and progress[support].assigned == len(codes)


def test_bulk_assignment_is_all_or_nothing_and_the_coordinators(province_store, fw2022):
    store = province_store
    period = store.assessment(fw2022.id, 2026, 4)
    lead = store.add_agency(COORD, "Sở Nội vụ")
    first = fw2022.main_index_by_code["7"].components[0].code
    with pytest.raises(StorageError, match="99.9"):
        store.assign_many(COORD, period.id, [first, "99.9"], lead)
    with pytest.raises(StorageError, match="do not exist"):
        store.assign_many(COORD, period.id, [first], lead, [lead + 1000])
    with pytest.raises(PermissionDenied):
        store.assign_many(Actor("a", "agency", lead), period.id, [first], lead)
    assert store.assignments(period.id) == {}
    # Reassigning replaces the supporting agencies too; None unassigns.
    other = store.add_agency(COORD, "Sở Tài chính")
    store.assign_many(COORD, period.id, [first], lead, [other])
    store.assign_many(COORD, period.id, [first], other)
    assert store.assignments(period.id) == {first: (other, [])}
    store.assign_many(COORD, period.id, [first], None)
    assert store.assignments(period.id) == {}


def test_an_appraisal_with_a_bad_row_saves_nothing(store):
    period = store.assessment("all-rules", 2025, 1)
    store.save_response(COORD, period.id, "1.3", 0, value=4)  # 20 points of 20
    store.save_response(COORD, period.id, "1.1", 0, value="full")  # 10 of 10
    with pytest.raises(InputProblems) as exc:
        store.set_appraisals(COORD, period.id, {"1.1": (5.0, "thiếu minh chứng"), "1.3": (25.0, ""),
                                                "2.3": (-1.0, "")})
    assert [p.code for p in exc.value.problems] == ["1.3", "2.3"]
    text = "\n".join(p.text("vi") for p in exc.value.problems)
    assert "chỉ số 1.3" in text and "chỉ số 2.3" in text
    stored = store.stored(period.id)
    assert stored["1.1"].appraisal_points is None and stored["1.1"].appraisal_note == ""
    assert stored["1.3"].appraisal_points is None
    assert "2.3" not in stored
    assert [h.action for h in store.history(period.id)] == ["save", "save"]

    assert store.set_appraisals(COORD, period.id, {"1.1": (5.0, "thiếu minh chứng"), "1.3": (15.0, "")}) == 2
    stored = store.stored(period.id)
    assert (stored["1.1"].appraisal_points, stored["1.1"].appraisal_note) == (5.0, "thiếu minh chứng")
    assert stored["1.3"].appraisal_points == 15.0
    # The same rows again change nothing and add no history.
    assert store.set_appraisals(COORD, period.id, {"1.1": (5.0, "thiếu minh chứng")}) == 0
    with pytest.raises(PermissionDenied):
        store.set_appraisals(Actor("v", "viewer"), period.id, {"1.1": (1.0, "")})


def test_the_appraised_dti_is_the_engines_score_of_the_mixed_points(store, fw_all_rules):
    period = store.assessment("all-rules", 2025, 1)
    store.save_response(COORD, period.id, "1.3", 0, value=4)  # self 20
    store.save_response(COORD, period.id, "1.1", 0, value="full")  # self 10
    store.save_response(COORD, period.id, "2.3", 0, points=7.5)  # self 7.5, not appraised
    store.set_appraisals(COORD, period.id, {"1.3": (12.0, ""), "1.1": (10.0, "đúng")})

    got = store.appraised(period.id)

    mixed = {"1.3": Response("1.3", points=12.0), "1.1": Response("1.1", points=10.0),
             "2.3": Response("2.3", points=7.5)}
    expected = score(fw_all_rules, mixed)
    assert got.appraised.dti == pytest.approx(expected.dti)
    assert got.appraised.points == pytest.approx(expected.points)
    assert {c: a.value for c, a in got.appraised.main_indices.items()} == pytest.approx(
        {c: a.value for c, a in expected.main_indices.items()})
    assert got.self_assessed.dti == pytest.approx(store.result(period.id).dti)
    assert got.appraised.points == pytest.approx(got.self_assessed.points - 8)
    assert got.appraised_codes == {"1.1", "1.3"}
    lowered = got.lowered_most()
    assert [c.code for c in lowered] == ["1"]
    assert lowered[0].delta == pytest.approx(-8 / fw_all_rules.main_index_by_code["1"].max_points)


def test_appraisal_of_a_component_not_self_answered_counts_and_none_leaves_the_self_score(fw_all_rules):
    responses = {"1.1": Response("1.1", value="full")}
    result = score_appraised(fw_all_rules, responses, {"1.3": 5.0, "1.1": None})
    assert result.appraised.points == pytest.approx(15.0)
    assert result.self_assessed.points == pytest.approx(10.0)
    assert result.appraised_codes == {"1.3"}
    assert result.lowered_most() == []  # raising a score lowers nothing


def test_both_reports_show_the_appraised_dti_and_where_appraisal_lowered_most(fw2022):
    import io
    from dataclasses import replace

    from openpyxl import load_workbook

    from dti.decide import demo, report
    from dti.i18n import fmt_number

    responses = demo.demo_responses(fw2022)
    top = max(fw2022.main_index_by_code["5"].components, key=lambda c: c.max_points)
    appraisal = {top.code: 0.0}
    mixed = {**responses, top.code: Response(top.code, points=0.0)}
    expected = score(fw2022, mixed)
    data = report.ReportData(fw2022, responses, score(fw2022, responses), lang="vi", appraisal=appraisal)

    page = report.html_report(data)
    assert "DTI sau thẩm định" in page and f"<b>{fmt_number(expected.dti, 'vi')}</b>" in page
    assert "Thẩm định hạ điểm nhiều nhất ở: 5. " in page

    summary = load_workbook(io.BytesIO(report.excel_report(data))).worksheets[0]
    rows = {r[0]: r for r in summary.iter_rows(values_only=True) if r and r[0]}
    assert rows["DTI sau thẩm định"][1] == pytest.approx(expected.dti, abs=1e-6)
    main5 = next(r for k, r in rows.items() if str(k).startswith("5. "))
    assert main5[4] == pytest.approx(expected.main_indices["5"].value, abs=1e-6)

    plain = report.html_report(replace(data, appraisal=None))
    assert "DTI sau thẩm định" not in plain


def test_the_assignment_spreadsheet_round_trip_and_a_bad_file_writes_nothing(province_store, fw2022):
    import io
    from datetime import date

    from openpyxl import load_workbook

    from dti.io.excel import ImportRefused
    from dti.io.export import ExportContext, assignments_xlsx

    store = province_store
    period = store.assessment(fw2022.id, 2026, 4)
    a = store.add_agency(COORD, "Sở Tài chính")
    b = store.add_agency(COORD, "Sở Nội vụ")
    store.assign_many(COORD, period.id, ["1.1", "1.2"], a, [b])
    store.set_due_date(COORD, period.id, date(2026, 12, 15))
    names = {x.id: x.name for x in store.agencies()}
    shown = {c: (names[lead], sorted(names[i] for i in sup)) for c, (lead, sup) in store.assignments(period.id).items()}
    data = assignments_xlsx(fw2022, shown, date(2026, 12, 15), ExportContext(2026, 4, "Gia Lai", "vi"))
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("code", "name", "lead", "supporting", "due_date")
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["1.1"][2:] == ("Sở Tài chính", "Sở Nội vụ", "15/12/2026")
    assert by_code["2.1"][2:4] == (None, None) and len(by_code) == len(fw2022.components)

    # Edited offline: 1.2 goes to Sở Nội vụ alone, 1.3 to Sở Tài chính; read back through the one reader.
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "1.2":
            row[2].value, row[3].value = "Sở Nội vụ", ""
        if row[0].value == "1.3":
            row[2].value = "sở tài chính"  # names match whatever the case
    edited = io.BytesIO()
    wb.save(edited)
    store.import_assignments(COORD, period.id, edited.getvalue(), "phan-cong.xlsx")
    got = store.assignments(period.id)
    assert got == {"1.1": (a, [b]), "1.2": (b, []), "1.3": (a, [])}
    assert store.assessment_by_id(period.id).due_date == date(2026, 12, 15)

    bad = ("code,lead,supporting,due_date\n2.1,Sở Tài chính,,31/12/2026\n2.2,Sở Không Có,,31/12/2026\n"
           "2.3,Sở Tài chính,,30/12/2026\n").encode()
    with pytest.raises(ImportRefused) as exc:
        store.import_assignments(COORD, period.id, bad, "phan-cong.csv")
    texts = [p.text("vi") for p in exc.value.problems]
    assert texts[0] == ("phan-cong.csv, dòng 3, chỉ số 2.2: không có đơn vị nào tên «Sở Không Có»; ghi đúng tên như "
                        "ở thẻ Đơn vị và tài khoản, hoặc thêm đơn vị trước")
    assert "30/12/2026 (4), 31/12/2026 (2)" in texts[1]
    assert store.assignments(period.id) == got  # nothing written
    assert store.assessment_by_id(period.id).due_date == date(2026, 12, 15)
