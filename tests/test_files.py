"""Answer files: one reader for every upload, one writer for every export, merge vs replace, file names."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook

from dti.decide import report
from dti.io import excel, export
from dti.io.excel import ImportRefused, read_upload
from dti.scoring.engine import Response, score
from dti.storage import Actor, ImportPlan, ReplaceNotConfirmed, Store

COORD = Actor("coord", "coordinator")


def test_a_blank_row_for_a_component_never_saved_does_not_break_a_replacing_import(store):
    a = store.assessment("all-rules", 2025, 1)
    store.save_response(COORD, a.id, "1.1", 0, value="full")
    # A re-uploaded partial download: 1.1 answered, 1.2 a blank row never saved in this period.
    upload = {"1.1": Response("1.1", "half"), "1.2": Response("1.2", None)}
    plan = store.import_plan(COORD, a.id, upload, replace=True)
    changed = store.import_responses(COORD, a.id, upload, source="a.csv", replace=True, confirmed=plan)
    assert changed == 1
    stored = store.stored(a.id)
    assert stored["1.1"].value == "half" and "1.2" not in stored


def test_replacing_needs_the_confirmed_plan_and_merging_is_the_default(store):
    a = store.assessment("all-rules", 2025, 1)
    store.save_response(COORD, a.id, "1.1", 0, value="full", evidence="QĐ 1")
    store.save_response(COORD, a.id, "1.2", 0, value="1/2")
    store.save_response(COORD, a.id, "2.2", 0, value="có")
    one_row = {"1.2": Response("1.2", "2/2")}

    plan = store.import_plan(COORD, a.id, one_row, replace=True)
    assert plan == ImportPlan(replaced=("1.2",), cleared=("1.1", "2.2"))
    with pytest.raises(ReplaceNotConfirmed) as refused:
        store.import_responses(COORD, a.id, one_row, replace=True)
    assert refused.value.plan == plan
    stale = ImportPlan(replaced=("1.2",), cleared=("1.1",))
    with pytest.raises(ReplaceNotConfirmed):
        store.import_responses(COORD, a.id, one_row, replace=True, confirmed=stale)
    assert store.stored(a.id)["1.2"].value == "1/2"  # nothing written

    # merging (the default) touches only the file's rows
    assert store.import_plan(COORD, a.id, one_row) == ImportPlan(replaced=("1.2",))
    assert store.import_responses(COORD, a.id, one_row) == 1
    stored = store.stored(a.id)
    assert stored["1.1"].evidence == "QĐ 1" and stored["2.2"].points == 10 and stored["1.2"].points == 10

    plan = store.import_plan(COORD, a.id, {"1.3": Response("1.3", "2")}, replace=True)
    assert plan == ImportPlan(added=("1.3",), cleared=("1.1", "1.2", "2.2"))
    assert store.import_responses(COORD, a.id, {"1.3": Response("1.3", "2")}, replace=True, confirmed=plan) == 4
    assert {c for c, r in store.stored(a.id).items() if r.is_answered} == {"1.3"}
    assert not store.stored(a.id)["1.1"].evidence


# --- the one writer: labels, points, appraisal, period, province, local time --------------------------


def _stored_with_appraisal(store):
    a = store.assessment("all-rules", 2026, 4)
    store.set_province(COORD, "Gia Lai")
    store.save_response(COORD, a.id, "1.1", 0, value="half", evidence="QĐ 5/QĐ-UBND", status="done")
    store.set_appraisal(COORD, a.id, "1.1", 4)
    return a


def test_exports_for_people_show_labels_points_appraisal_period_province_and_local_time(store, fw_all_rules):
    a = _stored_with_appraisal(store)
    stored = store.stored(a.id)
    ctx = export.ExportContext(2026, 4, store.province()[0])
    text = export.answers_csv(fw_all_rules, stored, ctx).decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["code"] == "1.1")
    assert (row["value"], row["status"]) == ("Một nửa", "Hoàn thành")
    assert (row["points"], row["appraisal_points"], row["difference"]) == ("5.0", "4.0", "-1.0")
    assert (row["edition"], row["period"], row["province"]) == ("all-rules", "Quý 4/2026", "Gia Lai")
    saved_at = stored["1.1"].updated_at
    local = saved_at.replace(tzinfo=saved_at.tzinfo or UTC).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert row["updated_at"] == local.strftime("%d/%m/%Y %H:%M")
    unanswered = next(r for r in csv.DictReader(io.StringIO(text)) if r["code"] == "1.2")
    assert unanswered["status"] == "Chưa thực hiện" and unanswered["value"] == ""

    english = export.answers_csv(fw_all_rules, stored, export.ExportContext(2026, 4, "Gia Lai", "en"))
    row = next(r for r in csv.DictReader(io.StringIO(english.decode("utf-8-sig"))) if r["code"] == "1.1")
    assert (row["value"], row["status"], row["period"]) == ("Half", "Done", "2026 Q4")

    ws = load_workbook(io.BytesIO(export.answers_xlsx(fw_all_rules, stored, ctx))).active
    assert "Gia Lai" in ws["A1"].value and "Quý 4/2026" in ws["A1"].value and "giờ Việt Nam" in ws["A1"].value
    assert ws["A2"].value == "Mã" and ws["A3"].value == "code"
    first = dict(zip(export.COLUMNS, next(ws.iter_rows(min_row=4, values_only=True))))
    assert (first["value"], first["points"], first["appraisal_points"], first["difference"]) == ("Một nửa", 5, 4, -1)

    doc = json.loads(export.answers_json(fw_all_rules, stored, ctx))
    assert (doc["edition"], doc["year"], doc["quarter"], doc["province"]) == ("all-rules", 2026, 4, "Gia Lai")
    assert doc["exported_at"].endswith("+07:00") and doc["responses"][0]["value"] == "Một nửa"


def test_times_for_people_are_in_vietnam_time():
    noon_utc = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
    assert export.fmt_time(noon_utc, "vi") == "29/11/2026 17:00"
    assert export.fmt_time(noon_utc.replace(tzinfo=None), "en") == "2026-11-29 17:00"  # naive = UTC (SQLite)
    assert export.fmt_time(datetime(2026, 12, 31, 20, 30, tzinfo=UTC)) == "01/01/2027 03:30"


def test_history_shows_labels_and_local_time(store):
    from dti.storage import views

    a = store.assessment("all-rules", 2026, 4)
    saved = store.save_response(COORD, a.id, "1.1", 0, value="half")
    row = views.history_rows(store, a.id, "vi")[0]
    assert row["Thời điểm (giờ Việt Nam)"] == export.fmt_time(saved.updated_at, "vi")
    assert "Giá trị: — → Một nửa" in row["Thay đổi (trước → sau)"]
    assert "Trạng thái: Chưa thực hiện → Đang thực hiện" in row["Thay đổi (trước → sau)"]
    assert "half" not in row["Thay đổi (trước → sau)"] and "in_progress" not in row["Thay đổi (trước → sau)"]


@pytest.mark.parametrize("args, name", [
    ((2022, "Gia Lai", 2026, 4, "tự đánh giá", "xlsx"), "dti-2022-gia-lai-2026-q4-tu-danh-gia.xlsx"),
    ((2022, "", 2026, 4, "tự đánh giá", "csv"), "dti-2022-2026-q4-tu-danh-gia.csv"),
    ((2025, "Thừa Thiên Huế", 2025, 1, "báo cáo", ".html"), "dti-2025-thua-thien-hue-2025-q1-bao-cao.html"),
    ((2022, "Đắk Lắk / <x>", 2024, 2, "mẫu nhập", "xlsx"), "dti-2022-dak-lak-x-2024-q2-mau-nhap.xlsx"),
])
def test_one_function_names_every_downloaded_file(args, name):
    assert export.file_name(*args) == name


# --- formula-like text and control characters, in every writer ----------------------------------------

DANGEROUS = '=HYPERLINK("http://x","bấm")\x07'
CONTROL = "Biên bản\x1b[31m số 3\x07"


def _all_cells(data: bytes) -> list:
    wb = load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_every_writer_keeps_formula_like_text_as_text_and_drops_control_characters(store, fw_all_rules):
    a = store.assessment("all-rules", 2026, 4)
    store.save_response(COORD, a.id, "1.1", 0, value="full", evidence=DANGEROUS, note=CONTROL)
    store.save_response(COORD, a.id, "1.2", 0, value="1/2", evidence="+84 912 345 678", note="@mention")
    stored = store.stored(a.id)
    ctx = export.ExportContext(2026, 4, "Gia\x07 Lai")
    books = {"answers": export.answers_xlsx(fw_all_rules, stored, ctx),
             "template": excel.template(fw_all_rules, stored=stored)}
    responses = {c: r.to_response() for c, r in stored.items()}
    data = report.ReportData(fw_all_rules, responses, score(fw_all_rules, responses), province="Gia\x07 Lai",
                             period="Quý 4/2026")
    books["report"] = report.excel_report(data)
    for name, book in books.items():
        cells = _all_cells(book)  # a workbook is produced at all (openpyxl refuses control characters)
        texts = [c.value for c in cells if isinstance(c.value, str)]
        assert any(v == "'" + DANGEROUS[:-1] for v in texts), name
        assert any(v == "Biên bản[31m số 3" for v in texts), name
        assert not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", v) for v in texts), name
        formulas = [c for c in cells if c.data_type == "f"]
        assert all(name == "template" and c.column == 7 for c in formulas), name  # only the points preview
    for raw in (export.answers_csv(fw_all_rules, stored, ctx), export.answers_json(fw_all_rules, stored, ctx)):
        text = raw.decode("utf-8-sig")
        assert "\x07" not in text and "\x1b" not in text
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(export.answers_csv(fw_all_rules, stored, ctx)
                                                             .decode("utf-8-sig")))}
    assert rows["1.1"]["evidence"] == "'" + DANGEROUS[:-1] and rows["1.2"]["evidence"] == "'+84 912 345 678"
    assert rows["1.2"]["note"] == "'@mention" and rows["1.1"]["province"] == "Gia Lai"


# --- the one reader: codes as text, labels and keys alike ---------------------------------------------


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_numeric_code_that_could_be_two_components_is_refused_naming_the_cell(fw2022):
    typed = _xlsx([["code", "value"], ["1.10", "full"], [1.1, "top_leader"], [2.1, "chair"]])
    with pytest.raises(ImportRefused) as refused:
        read_upload(fw2022, typed, "so-tt.xlsx")
    problems = [p.text("vi") for p in refused.value.problems]
    assert len(problems) == 2
    assert "ô A3" in problems[0] and "1.1, 1.10" in problems[0] and "Văn bản (Text)" in problems[0]
    assert "ô A4" in problems[1] and "2.1, 2.10" in problems[1]
    assert "cell A3" in refused.value.problems[0].text("en")


def test_a_numeric_code_naming_one_component_is_that_component(fw_all_rules):
    responses = read_upload(fw_all_rules, _xlsx([["code", "value"], [1.1, "Một nửa"], [2.3, 7]]), "a.xlsx")
    assert responses["1.1"].value == "half" and responses["2.3"].value == 7  # labels stored as keys


def test_labels_and_keys_are_read_alike(fw_all_rules):
    by_label = read_upload(fw_all_rules, "code,value\n1.1,Một nửa\n2.2,không\n".encode(), "a.csv")
    by_key = read_upload(fw_all_rules, b"code,value\n1.1,half\n2.2,no\n", "a.csv")
    english = read_upload(fw_all_rules, b"code,value\n1.1,Half\n2.2,No\n", "a.csv")
    assert by_label["1.1"] == by_key["1.1"] == english["1.1"] == Response("1.1", "half")
    assert score(fw_all_rules, by_label).points == score(fw_all_rules, by_key).points


def test_the_template_is_prefilled_with_labels_its_dropdown_and_preview_know(store, fw_all_rules):
    a = store.assessment("all-rules", 2026, 4)
    store.save_response(COORD, a.id, "1.1", 0, value="half")
    store.save_response(COORD, a.id, "2.2", 0, value="yes")
    wb = load_workbook(io.BytesIO(excel.template(fw_all_rules, "vi", stored=store.stored(a.id))))
    first, second = wb["1. Chỉ số một"], wb["2. Chỉ số hai"]
    assert first["F3"].value == "Một nửa" and first["A3"].number_format == "@"
    dropdown = [wb["_lists"].cell(r, 1).value for r in (1, 2, 3)]  # what the VLOOKUP of G3 searches
    assert first["F3"].value in dropdown and "VLOOKUP(F3" in first["G3"].value
    assert second["F4"].value == "có"  # the yes/no dropdown's own word
    english = load_workbook(io.BytesIO(excel.template(fw_all_rules, "en", stored=store.stored(a.id))))
    assert english["1. Chỉ số một"]["F3"].value == "Half"


def test_the_command_line_reads_a_downloaded_file(tmp_path, fw2022, capsys):
    from dti import cli

    stored = {"1.1": SimpleNamespace(value="deputy", points=None, evidence="", note="", status="in_progress"),
              "1.3": SimpleNamespace(value="có", points=None, evidence="", note="", status="done")}
    path = tmp_path / "dti-2022-2026-q4-tu-danh-gia.csv"
    path.write_bytes(export.answers_csv(fw2022, stored, export.ExportContext(2026, 4)))
    assert cli.main(["score", "dti-2022-province", "--input", str(path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    expected = score(fw2022, {"1.1": Response("1.1", "deputy"), "1.3": Response("1.3", "có")})
    assert shown == json.loads(json.dumps(expected.to_json()))


# --- round trips: download → upload → identical answers -----------------------------------------------

FULL = {"1.1": {"value": "half", "evidence": '=HYPERLINK("http://x")'}, "1.2": {"value": "45/60", "note": "+ghi chú"},
        "1.3": {"value": "3"}, "2.1": {"value": "attend;chair=0.5"}, "2.2": {"value": "có", "evidence": "CV 12"},
        "2.3": {"value": None, "points": 7.5}, "3.1": {"value": "0/0"}, "4.1": {"evidence": "chỉ có minh chứng"}}
PARTIAL = {code: FULL[code] for code in ("1.1", "2.3", "4.1")}


def _answers(stored) -> dict[str, tuple]:
    return {c: (r.value, r.points, r.evidence, r.note) for c, r in stored.items()}


def _save(store, assessment_id: int, answers: dict[str, dict]) -> None:
    for code, fields in answers.items():
        store.save_response(COORD, assessment_id, code, 0, **fields)


@pytest.mark.parametrize("kind", ["partial", "full"])
@pytest.mark.parametrize("ext", ["csv", "xlsx", "json"])
def test_a_download_uploads_back_to_identical_answers_through_the_store(store, fw_all_rules, kind, ext):
    source = store.assessment("all-rules", 2026, 4)
    _save(store, source.id, PARTIAL if kind == "partial" else FULL)
    before = store.stored(source.id)
    write = export.WRITERS[ext][0]
    data = write(fw_all_rules, before, export.ExportContext(2026, 4, "Gia Lai"))
    name = export.file_name(fw_all_rules.year, "Gia Lai", 2026, 4, "tự đánh giá", ext)

    assert store.import_file(COORD, source.id, data, name) == 0  # the same period: nothing changes, no error
    plan = store.import_plan(COORD, source.id, read_upload(fw_all_rules, data, name), replace=True)
    assert plan == ImportPlan()
    assert store.import_file(COORD, source.id, data, name, replace=True, confirmed=plan) == 0
    assert store.stored(source.id) == before

    target = store.assessment("all-rules", 2026, 3)  # an empty period gets the same answers
    assert store.import_file(COORD, target.id, data, name) == len(before)
    assert _answers(store.stored(target.id)) == _answers(before)


def _recording_downloads(monkeypatch) -> list:
    """AppTest's media file managers, to build a deferred download as a click would."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import app_test

    managers = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test, "MediaFileManager", Recording)
    return managers


def _download(at, managers, key: str) -> tuple[str, bytes]:
    button = next(b for b in at.get("download_button") if b.key == key)
    entry = managers[-1]._deferred_callables[button.proto.deferred_file_id]
    return entry["filename"], entry["callable"]()


def _upload(at, prefix: str, name: str, data: bytes):
    n = at.session_state[f"{prefix}_upload_n"] if f"{prefix}_upload_n" in at.session_state else 0
    return at.file_uploader(key=f"{prefix}_upload_{n}").set_value((name, data, "application/octet-stream")).run()


@pytest.fixture
def app_db(tmp_path, monkeypatch, fw_all_rules):
    from tests.apptest_support import all_rules_dir, isolate
    from ui import state

    isolate(tmp_path, monkeypatch)
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(all_rules_dir(tmp_path)))
    state._open_store.clear()
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    database = Store.open(url, frameworks={fw_all_rules.id: fw_all_rules}.__getitem__)
    database.set_province(COORD, "Gia Lai")
    yield database
    database.close()
    state._open_store.clear()


def _page(name: str, period: tuple[int, int]):
    from tests.apptest_support import assert_clean, open_page

    at = open_page()
    at.session_state["period"] = period
    at.switch_page(f"pages/{name}.py").run()
    if name == "assessment":
        at.session_state["a_files"] = True  # open the download/upload panel
        at.run()
    assert_clean(at)
    return at


@pytest.mark.parametrize("kind", ["partial", "full"])
@pytest.mark.parametrize("ext", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("page, prefix", [("assessment", "a"), ("import_export", "s")])
def test_a_download_uploads_back_to_identical_answers_through_both_pages(app_db, monkeypatch, page, prefix, ext, kind):
    from tests.apptest_support import assert_clean

    source = app_db.assessment("all-rules", 2026, 4)
    _save(app_db, source.id, PARTIAL if kind == "partial" else FULL)
    before = app_db.stored(source.id)
    managers = _recording_downloads(monkeypatch)

    at = _page(page, (2026, 4))
    name, data = _download(at, managers, f"{prefix}_dl_{ext}")
    assert name == f"dti-2024-gia-lai-2026-q4-tu-danh-gia.{ext}"
    _upload(at, prefix, name, data)  # the same period: the crash of issue 10
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert any("0 chỉ số được trả lời mới, 0 câu trả lời được thay" in i.value for i in at.info)
    at.button(key=f"{prefix}_import").click().run()
    assert_clean(at)
    assert not at.error and any(name in s.value for s in at.success)
    assert app_db.stored(source.id) == before

    other = _page(page, (2026, 3))  # an empty period gets the same answers
    _upload(other, prefix, name, data)
    other.button(key=f"{prefix}_import").click().run()
    assert_clean(other)
    target = app_db.assessment("all-rules", 2026, 3, create=False)
    assert _answers(app_db.stored(target.id)) == _answers(before)


def test_merging_is_the_default_and_replacing_says_what_it_changes_first(app_db):
    from tests.apptest_support import assert_clean

    pid = app_db.assessment("all-rules", 2026, 4).id
    _save(app_db, pid, PARTIAL)
    one_row = "code,value\n1.1,Đầy đủ\n".encode()
    at = _page("assessment", (2026, 4))
    _upload(at, "a", "mot-dong.csv", one_row)
    assert any("1 câu trả lời được thay; các câu trả lời khác giữ nguyên" in i.value for i in at.info)
    at.button(key="a_import").click().run()
    assert_clean(at)
    stored = app_db.stored(pid)
    assert stored["1.1"].value == "full" and stored["2.3"].points == 7.5 and stored["4.1"].evidence

    _upload(at, "a", "mot-dong.csv", "code,value\n1.1,Một nửa\n".encode())
    at.toggle(key="a_replace").set_value(True).run()
    warning = " ".join(w.value for w in at.warning)
    assert "1 câu trả lời được thay, 2 câu trả lời bị xoá" in warning
    confirm = at.button(key="a_import")
    assert "thay 1, xoá 2" in confirm.label
    assert app_db.stored(pid)["2.3"].points == 7.5  # nothing is cleared before the confirmation
    confirm.click().run()
    assert_clean(at)
    answered = {c: r for c, r in app_db.stored(pid).items() if r.is_answered or r.evidence}
    assert list(answered) == ["1.1"] and answered["1.1"].value == "half"
    assert any("1 được thay, 2 bị xoá" in s.value for s in at.success)


def test_control_characters_in_a_catalogues_titles_still_give_every_workbook(tmp_path, fw_all_rules):
    from dti.framework.registry import load_framework_file
    from tests.apptest_support import TESTS

    text = (TESTS / "data" / "all-rules.yaml").read_text(encoding="utf-8")
    text = text.replace("title_vi: Bộ thử mọi loại quy tắc", 'title_vi: "Bộ thử\\a mọi loại quy tắc"')
    text = text.replace("name_vi: Cấp độ", 'name_vi: "Cấp\\e độ"')
    text = text.replace("label_vi: Một nửa", 'label_vi: "Một\\a nửa"')
    text = text.replace("  name_vi: Chỉ số một", '  name_vi: "Chỉ số\\a một"')
    path = tmp_path / "all-rules.yaml"
    path.write_text(text, encoding="utf-8")
    fw = load_framework_file(path)
    # Loading the edition already removes them (dti.text.clean_text); the evidence below still carries some, for
    # the writers' own removal.
    assert fw.title_vi == "Bộ thử mọi loại quy tắc" and "\x1b" not in fw.component_by_code["1.1"].name_vi
    stored = {"1.1": SimpleNamespace(value="half", points=5.0, evidence="e\x07\x1b[31m", note="\x08", status="done")}
    responses = {"1.1": Response("1.1", "half")}
    books = [excel.template(fw, stored=stored), excel.template(fw, "en"),
             export.answers_xlsx(fw, stored, export.ExportContext(2026, 4)),
             report.excel_report(report.ReportData(fw, responses, score(fw, responses)))]
    for book in books:
        texts = [c.value for c in _all_cells(book) if isinstance(c.value, str)]
        assert texts and not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", v) for v in texts)
    template = load_workbook(io.BytesIO(books[0]))
    assert template["1. Chỉ số một"]["F3"].value == "Một nửa"
    assert "Bộ thử mọi loại quy tắc" in template.worksheets[0]["A1"].value


def test_every_download_button_is_named_by_the_one_function(tmp_path, monkeypatch):
    from tests.apptest_support import assert_clean, isolate, open_page
    from ui import state

    isolate(tmp_path, monkeypatch)
    state._open_store.clear()
    database = Store.open(f"sqlite:///{tmp_path / 'dti.sqlite'}")
    database.set_province(COORD, "Gia Lai")
    pid = database.assessment("dti-2022-province", 2026, 4).id
    database.save_response(COORD, pid, "1.1", 0, value="deputy")
    database.set_appraisal(COORD, pid, "1.1", 2)
    managers = _recording_downloads(monkeypatch)
    names = {}
    for page in ("assessment", "import_export", "report"):
        at = open_page()
        at.session_state["period"] = (2026, 4)
        at.session_state["a_files"] = True
        at.switch_page(f"pages/{page}.py").run()
        assert_clean(at)
        for button in at.get("download_button"):
            names[button.key], data = _download(at, managers, button.key)
            if button.key == "report_xlsx":
                report_book = load_workbook(io.BytesIO(data))
    assert names == {
        **{f"{p}_dl_{ext}": f"dti-2022-gia-lai-2026-q4-tu-danh-gia.{ext}" for p in "as" for ext in export.WRITERS},
        "s_dl_template": "dti-2022-gia-lai-2026-q4-mau-nhap.xlsx",
        "report_html": "dti-2022-gia-lai-2026-q4-bao-cao.html", "report_xlsx": "dti-2022-gia-lai-2026-q4-bao-cao.xlsx"}
    summary, components = report_book.worksheets[:2]
    assert [summary["B1"].value, summary["C1"].value] == ["Gia Lai", "Quý 4/2026"]
    header = [c.value for c in components[1]]
    first = dict(zip(header, next(components.iter_rows(min_row=2, values_only=True))))
    assert first["Giá trị nhập"] == "Phó Bí thư hoặc Phó Chủ tịch là Trưởng ban"  # the label, not "deputy"
    assert (first["Điểm thẩm định"], first["Chênh lệch"]) == (2, 2 - first["Điểm"])
    database.close()
    state._open_store.clear()


def test_the_template_previews_points_of_a_stored_count(store, fw_all_rules):
    a = store.assessment("all-rules", 2026, 4)
    store.save_response(COORD, a.id, "1.3", 0, value="3")  # the form keeps a count as text
    sheet = load_workbook(io.BytesIO(excel.template(fw_all_rules, stored=store.stored(a.id))))["1. Chỉ số một"]
    assert sheet["F5"].value == 3 and sheet["F5"].data_type == "n"  # a number: the preview's F5>=4 compares numbers
    data = export.answers_xlsx(fw_all_rules, store.stored(a.id), export.ExportContext(2026, 4))
    assert read_upload(fw_all_rules, data, "a.xlsx")["1.3"].value == "3"  # back as the form stores it
    assert store.import_file(COORD, a.id, data, "a.xlsx") == 0
