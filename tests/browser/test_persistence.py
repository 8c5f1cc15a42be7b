"""Nothing is lost: answers chosen in a real browser are in the database at once and are still shown after
a page reload and after the server restarts. Screenshots go to test-artifacts/persistence-*.png."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from dti import registry
from dti.storage import Store
from tests.browser.conftest import start_streamlit, stop, wait_for_app

pytestmark = pytest.mark.browser

ANSWERS = {"1.1": "deputy", "1.2": "chair"}


def level_label(fw, code: str, key: str) -> str:
    return next(lv.label_vi for lv in fw.component_by_code[code].rule.levels if lv.key == key)


def answer_box(page, code: str):
    return page.locator(".st-key-" + f"c_{code}_value".replace(".", "-"))


def choose_level(page, code: str, label: str) -> None:
    box = answer_box(page, code)
    option = page.get_by_role("option", name=re.compile("^" + re.escape(label)))
    box.get_by_role("combobox").click()
    if not option.is_visible():  # a click landing during a rerun only focuses the box; open the list
        box.get_by_role("button", name="Open").click()
    option.click()
    wait_for_app(page)


def expect_answers_shown(page, fw) -> None:
    """Each answer box shows its stored level (waiting while the page finishes rendering)."""
    for code, key in ANSWERS.items():
        combo = answer_box(page, code).get_by_role("combobox")
        expect(combo).to_have_value(re.compile("^" + re.escape(level_label(fw, code, key))), timeout=15_000)


def test_two_answers_survive_a_reload_and_a_server_restart(tmp_path, page, screenshot):
    fw = registry.load(registry.DEFAULT_EDITION)
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    proc, base_url, _log = start_streamlit("app.py", tmp_path)
    try:
        page.goto(f"{base_url}/assessment")
        wait_for_app(page)
        for code, key in ANSWERS.items():
            choose_level(page, code, level_label(fw, code, key))
        screenshot("persistence-1-answered")

        page.reload()
        wait_for_app(page)
        expect_answers_shown(page, fw)
        screenshot("persistence-2-after-reload")
    finally:
        stop(proc)

    store = Store.open(url)
    stored = store.stored(store.latest_assessment(fw.id).id)
    store.close()
    assert {code: stored[code].value for code in ANSWERS} == ANSWERS

    proc, base_url, _log = start_streamlit("app.py", tmp_path)  # the server restarts on the same database
    try:
        page.goto(f"{base_url}/assessment")
        wait_for_app(page)
        expect_answers_shown(page, fw)
        screenshot("persistence-3-after-restart")
    finally:
        stop(proc)


def test_a_bad_excel_file_is_refused_with_its_rows_then_a_good_one_is_imported(tmp_path, page, screenshot):
    from openpyxl import load_workbook

    from dti import excel

    fw = registry.load(registry.DEFAULT_EDITION)
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    template = load_workbook(io.BytesIO(excel.template(fw)))
    sheet = template["1. Nhận thức số"]
    sheet["F3"], sheet["F4"] = "gần đủ", "=A1"  # 1.1: not a level; 1.2: a formula
    bad = tmp_path / "so-tt-loi.xlsx"
    template.save(bad)
    sheet["F3"], sheet["F4"] = level_label(fw, "1.1", "deputy"), level_label(fw, "1.2", "chair")
    good = tmp_path / "so-tt.xlsx"
    template.save(good)

    proc, base_url, _log = start_streamlit("app.py", tmp_path)
    try:
        page.goto(base_url)  # the home page first: it sets up the app's navigation for the deep link below
        wait_for_app(page)
        page.goto(f"{base_url}/import-export")
        wait_for_app(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
        wait_for_app(page)
        page.get_by_role("button", name="Nhập vào kỳ này").click()
        wait_for_app(page)
        main = page.locator('[data-testid="stMain"]')
        expect(main).to_contain_text("Không nhập so-tt-loi.xlsx: 2 lỗi")
        expect(main).to_contain_text("dòng 4, chỉ số 1.2: ô F4 (value) chứa công thức '=A1'")
        expect(main).to_contain_text("dòng 3, chỉ số 1.1: 'gần đủ' is not a level of this component")
        screenshot("persistence-4-bad-file")
        store = Store.open(url)
        assert store.stored(store.latest_assessment(fw.id).id) == {}  # nothing written
        store.close()

        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
        wait_for_app(page)
        page.get_by_role("button", name="Nhập vào kỳ này").click()
        wait_for_app(page)
        expect(main).to_contain_text("Đã nhập so-tt.xlsx: 2 chỉ số thay đổi.")
        screenshot("persistence-5-good-file")
    finally:
        stop(proc)
    store = Store.open(url)
    stored = store.stored(store.latest_assessment(fw.id).id)
    store.close()
    assert {code: stored[code].points for code in stored} == {"1.1": 5.0, "1.2": 10.0}
