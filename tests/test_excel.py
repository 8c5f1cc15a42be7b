"""Excel template, all-or-nothing import (with a suite of bad files) and safe exports."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from dti.io import excel, export
from dti.io.excel import ImportRefused, read_upload
from dti.storage import Actor

COORD = Actor("coord", "coordinator")
PERIOD = export.ExportContext(2025, 1, "Gia Lai")


def _rows_by_code(wb) -> dict[str, tuple]:
    """Component code → (worksheet, row) in a template."""
    found = {}
    for ws in wb.worksheets:
        for row in range(3, ws.max_row + 1):
            code = ws.cell(row, 1).value
            if ws.cell(2, 1).value == "code" and code:
                found[code] = (ws, row)
    return found


def _fill(template: bytes, values: dict[str, object], evidence: dict[str, str] | None = None) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    where = _rows_by_code(wb)
    for code, value in values.items():
        ws, row = where[code]
        ws.cell(row, 6, value)
    for code, text in (evidence or {}).items():
        ws, row = where[code]
        ws.cell(row, 8, text)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx(rows: list[list[object]], title: str = "Sheet") -> bytes:
    wb = Workbook()
    wb.active.title = title
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- template -----------------------------------------------------------------------------------------


def test_template_has_a_sheet_per_main_index_dropdowns_and_locked_formulas(fw_all_rules):
    wb = load_workbook(io.BytesIO(excel.template(fw_all_rules)))
    assert wb.sheetnames == ["Hướng dẫn", "_lists", "1. Chỉ số một", "2. Chỉ số hai", "3. Chỉ số ba",
                             "4. Không tính điểm"]
    assert wb["_lists"].sheet_state == "hidden"
    ws = wb["1. Chỉ số một"]
    assert [c.value for c in ws[2]] == [k for k, _ in excel.TEMPLATE_COLUMNS]
    assert [ws.cell(r, 1).value for r in (3, 4, 5)] == ["1.1", "1.2", "1.3"]
    lists = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert lists["F3"].type == "list" and lists["F3"].formula1 == "'_lists'!$A$1:$A$3"
    assert [wb["_lists"].cell(r, 1).value for r in (1, 2, 3)] == ["Đầy đủ", "Một nửa", "Không"]
    assert lists["F5"].type == "decimal"  # meetings: a count ≥ 0
    assert ws.protection.sheet
    assert ws["G3"].value.startswith("=IF(F3") and ws["G3"].protection.locked
    assert not ws["F3"].protection.locked and not ws["H3"].protection.locked
    yes_no = {str(dv.sqref): dv for dv in wb["2. Chỉ số hai"].data_validations.dataValidation}
    assert yes_no["F4"].formula1 == '"có,không"'


def test_template_marks_provisional_components_and_can_hold_one_agencys_part(fw2022):
    wb = load_workbook(io.BytesIO(excel.template(fw2022, codes={"2.4", "7.1"})))
    data = [ws for ws in wb.worksheets if ws.cell(2, 1).value == "code"]
    assert [ws.title for ws in data] == ["2. Thể chế số", "7. Hoạt động chính quyền số"]
    assert data[0]["A3"].value == "2.4" and data[0]["A4"].value is None
    provisional = not fw2022.component_by_code["2.4"].provenance.is_official
    assert data[0]["D3"].value == ("tạm đặt" if provisional else "")


def test_a_filled_template_round_trips_through_the_database(store, fw_all_rules):
    a = store.assessment("all-rules", 2025, 1)
    filled = _fill(excel.template(fw_all_rules), {"1.1": "Một nửa", "1.2": "45/60", "1.3": 3, "2.1": "attend",
                                                  "2.2": "có", "2.3": 7.5, "3.1": "0/0"},
                   evidence={"1.1": "Quyết định 5/QĐ-UBND"})
    responses = read_upload(fw_all_rules, filled, "so-tt.xlsx")
    assert responses["1.1"].value == "half" and responses["1.1"].evidence == "Quyết định 5/QĐ-UBND"
    assert store.import_file(COORD, a.id, filled, "so-tt.xlsx") == 7
    points = {code: r.points for code, r in store.stored(a.id).items()}
    assert points == {"1.1": 5, "1.2": 7.5, "1.3": 15, "2.1": 10, "2.2": 10, "2.3": 7.5, "3.1": 0}

    # the export carries the answers back into the template's import format
    exported = export.answers_xlsx(fw_all_rules, store.stored(a.id), PERIOD)
    assert read_upload(fw_all_rules, exported, "export.xlsx") == {
        code: r for code, r in responses.items()}
    # a blank template row does not erase a stored answer
    assert store.import_file(COORD, a.id, _fill(excel.template(fw_all_rules), {"2.2": "không"}), "x.xlsx") == 1
    assert store.stored(a.id)["1.1"].value == "half" and store.stored(a.id)["2.2"].points == 0


def test_csv_and_json_are_imported_too(store, fw_all_rules):
    a = store.assessment("all-rules", 2025, 1)
    store.import_file(COORD, a.id, b"code,value,evidence\n1.1,full,VB 1\n", "a.csv")
    store.import_file(COORD, a.id, json.dumps([{"code": "2.1", "value": {"attend": 1, "chair": 0.5}}]).encode(),
                      "b.json")
    stored = store.stored(a.id)
    assert stored["1.1"].points == 10 and stored["1.1"].evidence == "VB 1"
    assert stored["2.1"].points == 15 and stored["2.1"].value == {"attend": 1, "chair": 0.5}


# --- the bad-file suite -------------------------------------------------------------------------------

BAD_FILES = [
    ("wrong columns (csv)", "a.csv", b"code,answer\n1.1,full\n", ["needs columns 'code' and 'value'"]),
    ("wrong columns (xlsx)", "a.xlsx", _xlsx([["code", "answer"], ["1.1", "full"]], "Số liệu"),
     ["a.xlsx, sheet 'Số liệu': has a 'code' column but no 'value'"]),
    ("text in a number", "a.csv", "code,value\n1.3,bốn\n".encode(),
     ["a.csv, row 2, component 1.3: count 'bốn' is not a number; write a number such as 3"]),
    ("out of range", "a.csv", b"code,value\n2.3,25\n1.2,-1/4\n",
     ["row 2, component 2.3: points 25 are over the maximum 10", "row 3, component 1.2: ratio -1/4 has a negative"]),
    ("duplicate code", "a.csv", b"code,value\n1.1,full\n1.1,half\n",
     ["row 3, component 1.1: appears again (first at row 2); keep one row"]),
    ("unknown code", "a.csv", b"code,value\n9.9,full\n", ["row 2, component 9.9: is not a component of all-rules"]),
    ("unknown level", "a.xlsx", _xlsx([["code", "value"], ["1.1", "gần đủ"]], "CS1"),
     ["a.xlsx, sheet 'CS1', row 2, component 1.1: 'gần đủ' is not a level of this component; write one of"]),
    ("empty file", "a.xlsx", b"", ["a.xlsx: is empty"]),
    ("only headers", "a.csv", b"code,value\n1.1,\n", ["has no filled rows"]),
    ("huge", "a.csv", b"code,value\n" + b"1.1,full\n" * 1_300_000, ["over the 10 MB limit"]),
    ("not a spreadsheet", "a.xlsx", b"%PDF-1.4 not a workbook", ["a.xlsx: is not an Excel workbook (.xlsx)"]),
    ("damaged workbook", "a.xlsx", b"PK\x03\x04garbage" * 10, ["is damaged or not an Excel workbook"]),
    ("another workbook", "a.xlsx", _xlsx([["Họ tên", "Điểm"], ["A", 1]]), ["has no sheet with a 'code' column"]),
    ("wrong extension", "a.docx", b"code,value\n1.1,full\n", ["has the extension '.docx'; use .csv, .xlsx or .json"]),
    ("formula cells", "a.xlsx", _xlsx([["code", "value", "evidence"], ["1.1", "=A1", "ok"],
                                       ["2.2", "có", '=HYPERLINK("http://x","y")'], ["1.3", "bốn", ""]]),
     ["row 2, component 1.1: cell B2 (value) holds a formula '=A1'; type the value itself",
      "row 3, component 2.2: cell C3 (evidence) holds a formula",
      "row 4, component 1.3: count 'bốn' is not a number"]),
]


@pytest.mark.parametrize(("name", "data", "expected"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_refused_with_its_message_and_nothing_changes(store, fw_all_rules, name, data, expected):
    a = store.assessment("all-rules", 2025, 1)
    store.save_response(COORD, a.id, "1.1", 0, value="none", evidence="đã có")
    before, history = store.stored(a.id), len(store.history(a.id))
    with pytest.raises(ImportRefused) as exc:
        store.import_file(COORD, a.id, data, name)
    text = str(exc.value)
    for message in expected:
        assert message in text
    assert store.stored(a.id) == before and len(store.history(a.id)) == history


def test_every_problem_of_a_file_is_listed_at_once(fw_all_rules):
    data = _fill(excel.template(fw_all_rules), {"1.1": "gần đủ", "1.3": "bốn", "2.3": 11, "2.2": "có"})
    with pytest.raises(ImportRefused) as exc:
        read_upload(fw_all_rules, data, "so.xlsx")
    assert [(p.sheet, p.row, p.code) for p in exc.value.problems] == [
        ("1. Chỉ số một", 3, "1.1"), ("1. Chỉ số một", 5, "1.3"), ("2. Chỉ số hai", 5, "2.3")]


# --- exports ------------------------------------------------------------------------------------------


def test_export_has_every_component_with_points_status_appraisal_and_difference(store, fw_all_rules):
    a = store.assessment("all-rules", 2025, 1)
    store.save_response(COORD, a.id, "1.3", 0, value=4, evidence="Biên bản họp", status="done")
    store.set_appraisal(COORD, a.id, "1.3", 15)
    ws = load_workbook(io.BytesIO(export.answers_xlsx(fw_all_rules, store.stored(a.id), PERIOD))).active
    rows = [dict(zip(export.COLUMNS, r)) for r in ws.iter_rows(min_row=4, values_only=True)]
    assert [r["code"] for r in rows] == [c.code for c in fw_all_rules.components]
    meetings = next(r for r in rows if r["code"] == "1.3")
    assert (meetings["points"], meetings["appraisal_points"], meetings["difference"]) == (20, 15, -5)
    assert meetings["status"] == "Hoàn thành" and meetings["evidence"] == "Biên bản họp"
    assert next(r for r in rows if r["code"] == "1.1")["status"] == "Chưa thực hiện"


@pytest.mark.parametrize("dangerous", ["=cmd|' /C calc'!A0", "+SUM(A1)", "-2+3", "@SUM(A1)", "\t=1"])
def test_exports_neutralise_cells_a_spreadsheet_would_run(store, fw_all_rules, dangerous):
    a = store.assessment("all-rules", 2025, 1)
    store.save_response(COORD, a.id, "1.1", 0, value="full", evidence=dangerous, note=dangerous)
    ws = load_workbook(io.BytesIO(export.answers_xlsx(fw_all_rules, store.stored(a.id), PERIOD))).active
    row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "1.1")
    evidence = row[export.COLUMNS.index("evidence")]
    assert evidence.data_type == "s" and evidence.value == "'" + dangerous
    text = export.answers_csv(fw_all_rules, store.stored(a.id), PERIOD).decode("utf-8-sig")
    line = next(r for r in csv.DictReader(io.StringIO(text)) if r["code"] == "1.1")
    assert line["evidence"] == line["note"] == "'" + dangerous
    assert excel.neutralise(12) == 12 and excel.neutralise("Quyết định") == "Quyết định"


def test_problems_are_told_in_vietnamese_rule_messages_too(fw_all_rules):
    data = _xlsx([["code", "value"], ["1.1", "=A1"], ["9.9", "full"], ["1.3", "bốn"]], "Số liệu")
    with pytest.raises(ImportRefused) as exc:
        read_upload(fw_all_rules, data, "so.xlsx")
    assert [p.text("vi") for p in exc.value.problems] == [
        "so.xlsx, trang 'Số liệu', dòng 2, chỉ số 1.1: ô B2 (value) chứa công thức '=A1'; hãy nhập chính giá trị",
        "so.xlsx, trang 'Số liệu', dòng 3, chỉ số 9.9: không phải chỉ số thành phần của all-rules; kiểm tra lại mã "
        "(ví dụ 2.4)",
        "so.xlsx, trang 'Số liệu', dòng 4, chỉ số 1.3: số lần 'bốn' không phải là số; hãy nhập một số, ví dụ 3"]
    assert exc.value.problems[-1].text("en").endswith("count 'bốn' is not a number; write a number such as 3")
    with pytest.raises(ImportRefused) as big:
        read_upload(fw_all_rules, b"x" * (excel.MAX_UPLOAD_BYTES + 1), "lon.csv")
    assert big.value.problems[0].text("vi") == ("lon.csv: nặng 10,5 MB, quá giới hạn 10 MB; xoá các trang không dùng "
                                                "hoặc tách tệp")
