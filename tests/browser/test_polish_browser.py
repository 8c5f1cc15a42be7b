"""Streamlit's own English strings in the Vietnamese app, and the app's own 'page not found' (issue 10)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

ENGLISH_LEFTOVERS = ("Page not found", "per file", "Drag and drop", "Choose options", "Choose an option")


def visible_text(page) -> str:
    return page.inner_text("body")


def test_unknown_address_shows_the_apps_own_vietnamese_page(app_server, page, screenshot):
    # Streamlit serves the very first session after a server start in its old pages-folder mode (a pages/ folder
    # exists), where its own modal cannot be avoided; every later session is routed by app.py.
    page.goto(app_server)
    wait_for_app(page)
    page.goto(f"{app_server}/khong-co-trang-nay")
    wait_for_app(page)
    page.wait_for_function("() => document.body.innerText.includes('Không tìm thấy trang')", timeout=20_000)
    text = visible_text(page)
    assert "Page not found" not in text and "You have requested page" not in text
    assert "khong-co-trang-nay" in text  # says which address was not found
    screenshot("polish-page-not-found", full_page=False)
    page.get_by_role("link", name="Tổng quan").last.click()  # the way back to the overview
    wait_for_app(page)
    assert "Không tìm thấy trang" not in visible_text(page)


def test_file_uploader_and_multiselect_speak_vietnamese(app_server, page, screenshot):
    page.goto(f"{app_server}/peers")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stFileUploaderDropzone"]')
    main = page.locator('[data-testid="stMain"]')
    text = main.inner_text()
    for english in ENGLISH_LEFTOVERS:
        assert english not in text, english
    assert "Tải lên" in text and "Kéo thả tệp vào đây" in text and "MB mỗi tệp" in text
    main.get_by_text("Chọn tỉnh", exact=False).first.scroll_into_view_if_needed()
    screenshot("polish-uploader-multiselect-vi", full_page=False)


def test_due_date_reads_day_month_year(app_server, page, screenshot):
    page.goto(f"{app_server}/coordinator")
    wait_for_app(page)
    box = page.locator('[data-testid="stDateInput"] input').first
    value = box.input_value()
    assert value == "" or (value[2] == "/" and value[5] == "/"), value  # dd/mm/yyyy, not yyyy/mm/dd
    assert box.get_attribute("placeholder") in ("DD/MM/YYYY", None, ""), box.get_attribute("placeholder")
