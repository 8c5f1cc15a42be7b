"""The Framework editions page in a real browser: open the app, go to the page, upload the official catalogue,
see the preview, save it as a new edition. Screenshots: test-artifacts/editions-*.png. (AppTest tests of the same
page: tests/test_page_editions.py.)"""

from __future__ import annotations

import re
import shutil

import pytest

from dti.framework import registry
from dti.framework.validation import load_framework_file
from tests.browser.conftest import save_screenshot, start_streamlit, stop, wait_for_app
from tests.test_catalogue import good_catalogue_xlsx


@pytest.fixture(scope="module")
def editions_server(tmp_path_factory):
    """app.py served with a frameworks folder of its own (saving writes there, never into config/)."""
    tmp = tmp_path_factory.mktemp("editions-server")
    folder = tmp / "frameworks"
    folder.mkdir()
    for name in ("dti-2022-province.yaml", "dti-2025-province.yaml"):
        shutil.copy(registry.DEFAULT_FRAMEWORKS_DIR / name, folder / name)
    proc, base_url, _log = start_streamlit("app.py", tmp, extra_env={"DTI_FRAMEWORKS_DIR": str(folder)})
    try:
        yield base_url, folder
    finally:
        stop(proc)


@pytest.mark.browser
def test_browser_upload_preview_save(editions_server, page, tmp_path):
    base_url, folder = editions_server
    catalogue = tmp_path / "phu-luc-1.xlsx"
    catalogue.write_bytes(good_catalogue_xlsx())
    page.goto(base_url)  # as a user: open the app, then the page from the navigation
    wait_for_app(page)
    page.get_by_role("link", name="Phiên bản bộ chỉ số").first.click()
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("heading", name="Phiên bản bộ chỉ số").wait_for()
    assert "chưa đủ để chấm điểm" in main.inner_text()
    # The official appendix of the 2022 edition: matched against it as the base (the page's first choice is a
    # new framework whose structure comes from the file).
    base = page.locator(".st-key-ed_base").get_by_role("combobox")
    base.scroll_into_view_if_needed()  # the list closes when the page scrolls: scrolled first, then opened
    page.wait_for_timeout(300)
    base.click()
    page.get_by_role("option", name=re.compile(r"\(2022\)$")).click()
    wait_for_app(page)

    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(catalogue))
    main.get_by_text("phu-luc-1.xlsx hợp lệ: 9 chỉ số chính, 98 chỉ số thành phần").wait_for()
    wait_for_app(page)
    save_screenshot(page, "editions-1-preview")
    assert not (folder / "dti-2022-province-official.yaml").exists()

    main.get_by_role("button", name="Lưu thành phiên bản mới").click()
    main.get_by_text("Đã lưu dti-2022-province-official.yaml").wait_for()
    wait_for_app(page)
    save_screenshot(page, "editions-2-saved")
    assert load_framework_file(folder / "dti-2022-province-official.yaml").complete
    assert "Traceback" not in main.inner_text()
