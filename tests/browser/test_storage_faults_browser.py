"""Storage faults in the real app (streamlit run app.py, Debian's chromium): the data folder deleted while the
server runs stops saving with a message and the typed answer stays; a data folder that cannot be created gives the
message and the app recovers by itself once it can; the server process survives both and logs no traceback to the
page. Screenshots go to test-artifacts/faults-*.png.
"""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from dti.framework import registry
from tests.browser.conftest import answer_box, choose_level, start_streamlit, stop, wait_for_app

pytestmark = pytest.mark.browser


def _label(fw, code: str, key: str) -> str:
    return next(lv.label_vi for lv in fw.component_by_code[code].rule.levels if lv.key == key)


def test_deleting_the_data_folder_under_the_running_server_stops_saving_with_a_message(tmp_path, page, screenshot):
    fw = registry.load(registry.DEFAULT_EDITION)
    folder = tmp_path / "db"
    proc, base_url, log = start_streamlit("app.py", tmp_path, {
        "DTI_DATABASE_URL": f"sqlite:///{folder / 'dti.sqlite'}", "DTI_DATA_DIR": str(folder)})
    try:
        page.goto(f"{base_url}/assessment")
        wait_for_app(page)
        choose_level(page, "1.1", _label(fw, "1.1", "deputy"))
        assert (folder / "dti.sqlite").is_file()
        shutil.rmtree(folder)  # the fault sweep's case: saves looked fine and were lost at the next start
        choose_level(page, "1.2", _label(fw, "1.2", "chair"))
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text("đã bị xóa hoặc bị thay bằng tệp khác", timeout=15_000)
        expect(main).to_contain_text("Không có gì được lưu.")
        expect(page.get_by_role("button", name="Lưu lại")).to_be_visible()
        combo = answer_box(page, "1.2").get_by_role("combobox")
        expect(combo).to_have_value(re.compile("^" + re.escape(_label(fw, "1.2", "chair"))))
        assert "Traceback" not in main.inner_text()
        screenshot("faults-1-folder-deleted")
        assert proc.poll() is None  # the server is still serving
        assert not (folder / "dti.sqlite").exists()  # nothing was written to a file that would vanish
    finally:
        stop(proc)
    assert "Traceback" not in log.read_text()


def test_a_data_folder_that_cannot_be_created_is_said_and_a_reload_recovers_once_it_can(tmp_path, page, screenshot):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the data folder should be")
    proc, base_url, _log = start_streamlit("app.py", tmp_path, {
        "DTI_DATABASE_URL": f"sqlite:///{blocker / 'data' / 'dti.sqlite'}"})
    try:
        page.goto(f"{base_url}/")
        page.wait_for_selector('[data-testid="stAlert"]', timeout=30_000)
        body = page.get_by_test_id("stApp")
        expect(body).to_contain_text("Không tạo hoặc không mở được thư mục dữ liệu")
        expect(body).to_contain_text("Không có gì được lưu.")
        assert "Traceback" not in body.inner_text()
        expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)  # no raw list of the pages/ folder
        screenshot("faults-2-folder-cannot-be-created")
        assert proc.poll() is None
        blocker.unlink()  # the administrator removes the obstacle: no restart
        page.reload()
        wait_for_app(page)
        expect(page.get_by_test_id("stMain")).not_to_contain_text("Không tạo hoặc không mở được", timeout=15_000)
        assert (blocker / "data" / "dti.sqlite").is_file()
        screenshot("faults-3-recovered")
    finally:
        stop(proc)
