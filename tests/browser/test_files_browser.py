"""Issue 10 in a real browser: the Self-assessment page's own download of a partial assessment, uploaded back
on the same page, imports with nothing changed (it crashed with an IntegrityError), and the file is named
``dti-<edition year>-<province>-<year>-q<quarter>-tu-danh-gia.<ext>``. Screenshots: test-artifacts/files-*.png."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from dti.framework import registry
from dti.storage import Actor, Store
from tests.browser.conftest import start_streamlit, stop, wait_for_app

pytestmark = pytest.mark.browser
COORD = Actor("coord", "coordinator")


@pytest.mark.parametrize("ext, label", [("xlsx", "⬇ Excel (.xlsx)"), ("csv", "⬇ CSV")])
def test_a_partial_download_uploads_back_on_the_same_page(tmp_path, page, screenshot, ext, label):
    fw = registry.load(registry.DEFAULT_EDITION)
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    store = Store.open(url)
    store.set_province(COORD, "Gia Lai")
    pid = store.assessment(fw.id, 2026, 4).id
    store.save_response(COORD, pid, "1.1", 0, value="deputy", evidence='=HYPERLINK("http://x")')
    store.save_response(COORD, pid, "1.3", 0, value="có")
    before = store.stored(pid)
    proc, base_url, log = start_streamlit("app.py", tmp_path)
    try:
        page.goto(f"{base_url}/assessment")
        wait_for_app(page)
        page.get_by_text("Tải xuống / tải lên bản tự đánh giá").click()
        wait_for_app(page)
        with page.expect_download() as info:
            page.get_by_role("button", name=label).click()
        download = info.value
        assert download.suggested_filename == f"dti-2022-gia-lai-2026-q4-tu-danh-gia.{ext}"
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        data = saved.read_bytes()
        deputy = next(lv.label_vi for lv in fw.component_by_code["1.1"].rule.levels if lv.key == "deputy")
        if ext == "xlsx":
            sheet = load_workbook(io.BytesIO(data)).active
            row = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] == "1.1")
            value, evidence = row[5], row[10]
        else:
            line = next(r for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))) if r["code"] == "1.1")
            value, evidence = line["value"], line["evidence"]
        assert value == deputy  # the label, not the key
        assert evidence == "'=HYPERLINK(\"http://x\")"  # kept as text

        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(saved))
        wait_for_app(page)
        screenshot(f"files-uploaded-{ext}")
        expect(page.get_by_text("0 chỉ số được trả lời mới, 0 câu trả lời được thay")).to_be_visible(timeout=15_000)
        page.get_by_role("button", name="Nhập (gộp vào kỳ này)").click()
        wait_for_app(page)
        expect(page.get_by_text(f"Đã nhập {saved.name}")).to_be_visible()
        screenshot(f"files-reupload-{ext}")
        assert "IntegrityError" not in page.content() and "Traceback" not in log.read_text()
        assert store.stored(pid) == before
    finally:
        stop(proc)
        store.close()
