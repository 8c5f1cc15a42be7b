"""A what-if scenario made in a real browser is in the database at once and is still listed after the server
restarts (a fresh session); an evidence file uploaded in the browser is stored. Screenshots go to
test-artifacts/scenarios-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dti.framework import registry
from dti.storage import Store
from tests.browser.conftest import start_streamlit, stop, wait_for_app

pytestmark = pytest.mark.browser

NAME = "Đầu tư hạ tầng số"


def test_a_scenario_survives_a_server_restart(tmp_path, page, screenshot):
    fw = registry.load(registry.DEFAULT_EDITION)
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    proc, base_url, _log = start_streamlit("app.py", tmp_path)
    try:
        page.goto(f"{base_url}/scenarios")
        wait_for_app(page)
        page.get_by_label("Tên kịch bản mới").fill(NAME)
        page.get_by_label("Tên kịch bản mới").press("Enter")
        page.get_by_role("button", name="Tạo kịch bản từ hiện trạng").click()
        expect(page.get_by_label("Kịch bản đang sửa")).to_have_value(NAME, timeout=15_000)
        screenshot("scenarios-1-created")
    finally:
        stop(proc)

    store = Store.open(url)
    assert [s.name for s in store.scenarios(store.latest_assessment(fw.id).id)] == [NAME]
    store.close()

    proc, base_url, _log = start_streamlit("app.py", tmp_path)  # the server restarts on the same database
    try:
        page.goto(f"{base_url}/scenarios")  # no link parameters: the scenario comes from the database
        wait_for_app(page)
        expect(page.get_by_label("Kịch bản đang sửa")).to_have_value(NAME, timeout=15_000)
        screenshot("scenarios-2-after-restart")
    finally:
        stop(proc)


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_an_evidence_file_uploaded_in_the_browser_is_stored_and_listed(tmp_path, page, screenshot):
    fw = registry.load(registry.DEFAULT_EDITION)
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    document = tmp_path / "Quyết định 12.pdf"
    document.write_bytes(PDF)
    proc, base_url, _log = start_streamlit("app.py", tmp_path)
    try:
        page.goto(f"{base_url}/assessment")
        wait_for_app(page)
        page.locator(".st-key-ev_pop_1-1").get_by_role("button").first.click()
        page.locator('[data-testid="stPopoverBody"] [data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            str(document))
        expect(page.get_by_text("Đã lưu tệp minh chứng Quyết định 12.pdf.")).to_be_visible(timeout=15_000)
        expect(page.get_by_text("Tệp minh chứng (1)")).to_be_visible()
        screenshot("evidence-1-uploaded")
    finally:
        stop(proc)
    store = Store.open(url)
    period = store.latest_assessment(fw.id)
    assert [(f.code, f.file_name) for f in store.evidence_files(store_actor(), period.id)] == \
        [("1.1", "Quyết định 12.pdf")]
    store.close()


def store_actor():
    from dti.storage import auth

    return auth.SINGLE_USER
