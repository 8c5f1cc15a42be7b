"""Nothing is lost: answers chosen in a real browser are in the database at once and are still shown after
a page reload and after the server restarts. Screenshots go to test-artifacts/persistence-*.png."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from dti.framework import registry
from dti.storage import Store
from tests.browser.conftest import answer_box, choose_level, save_screenshot, start_streamlit, stop, wait_for_app

pytestmark = pytest.mark.browser

ANSWERS = {"1.1": "deputy", "1.2": "chair"}


def level_label(fw, code: str, key: str) -> str:
    return next(lv.label_vi for lv in fw.component_by_code[code].rule.levels if lv.key == key)


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

    from dti.io import excel

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
        # The upload panel checks a file as soon as it is uploaded: a bad one is refused whole, with no button.
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
        wait_for_app(page)
        main = page.locator('[data-testid="stMain"]')
        expect(main).to_contain_text("Không nạp so-tt-loi.xlsx: 2 lỗi, không dòng nào được nạp")
        expect(main.get_by_role("button", name="Nhập (gộp vào kỳ này)")).to_have_count(0)
        expect(main).to_contain_text("dòng 4, chỉ số 1.2: ô F4 (value) chứa công thức '=A1'")
        expect(main).to_contain_text("dòng 3, chỉ số 1.1: 'gần đủ' không phải là một mức của chỉ số này")
        screenshot("persistence-4-bad-file")
        store = Store.open(url)
        assert store.latest_assessment(fw.id) is None  # nothing written: a period is created on its first write
        store.close()

        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
        wait_for_app(page)
        expect(main).to_contain_text("Tệp so-tt.xlsx hợp lệ. Gộp vào kỳ này: 2 chỉ số được trả lời mới, 0 câu trả lời")
        page.get_by_role("button", name="Nhập (gộp vào kỳ này)").click()
        wait_for_app(page)
        expect(main).to_contain_text("Đã nhập so-tt.xlsx: 2 mới, 0 được thay, 0 bị xoá.")
        screenshot("persistence-5-good-file")
    finally:
        stop(proc)
    store = Store.open(url)
    stored = store.stored(store.latest_assessment(fw.id).id)
    store.close()
    assert {code: stored[code].points for code in stored} == {"1.1": 5.0, "1.2": 10.0}


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url)
    wait_for_app(page)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    wait_for_app(page)


def open_nav(page, name: str) -> None:
    more = page.get_by_text(re.compile(r"^View \d+ more$"))
    if more.count():
        more.first.click()
    page.get_by_role("link", name=name).click()
    wait_for_app(page)


def test_an_agency_answers_its_component_and_the_coordinator_sees_it(tmp_path, browser, page, screenshot):
    from datetime import date

    from dti.storage import Actor, auth
    from tests.browser.conftest import VIEWPORT

    fw = registry.load(registry.DEFAULT_EDITION)
    store = Store.open(f"sqlite:///{tmp_path / 'dti.sqlite'}")
    auth.create_account(store, "dieuphoi", "coordinator", "mật-khẩu-điều-phối")
    agency = store.add_agency(Actor("dieuphoi", "coordinator"), "Sở Thông tin và Truyền thông")
    auth.create_account(store, "sott", "agency", "mật-khẩu-sở-tt", agency_id=agency)
    period = store.assessment(fw.id, date.today().year, (date.today().month - 1) // 3 + 1)
    store.assign(Actor("dieuphoi", "coordinator"), period.id, "1.1", agency)
    store.close()

    proc, base_url, _log = start_streamlit("app.py", tmp_path)
    try:
        log_in(page, base_url, "sott", "sai-mật-khẩu")
        expect(page.locator('[data-testid="stMain"]')).to_contain_text("Sai tên đăng nhập hoặc mật khẩu.")
        log_in(page, base_url, "sott", "mật-khẩu-sở-tt")
        open_nav(page, "Chỉ số của tôi")
        choose_level(page, "1.1", level_label(fw, "1.1", "deputy"))
        assert answer_box(page, "1.2").count() == 0  # only the agency's own component is on its page
        screenshot("persistence-6-agency")

        coordinator = browser.new_context(viewport=VIEWPORT, locale="vi-VN").new_page()  # another person
        log_in(coordinator, base_url, "dieuphoi", "mật-khẩu-điều-phối")
        open_nav(coordinator, "Điều phối")
        main = coordinator.locator('[data-testid="stMain"]')
        expect(main.locator('[data-testid="stMetric"]', has_text="DTI ước tính của tỉnh")).to_contain_text("0,0050")
        expect(main.locator('[data-testid="stDataFrame"]').first).to_be_visible()
        save_screenshot(coordinator, "persistence-7-coordinator")
        coordinator.context.close()
    finally:
        stop(proc)
    store = Store.open(f"sqlite:///{tmp_path / 'dti.sqlite'}")
    saved = store.stored(period.id)
    store.close()
    assert (saved["1.1"].value, saved["1.1"].updated_by) == ("deputy", "sott")
