"""A log-in that lasts (HttpOnly cookie set by serve.py's route), log-out everywhere, and deep links surviving
the log-in, in a real browser against ``streamlit run serve.py``."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dti.storage import Actor, Store, auth
from tests.browser.conftest import start_streamlit, stop, wait_for_app


@pytest.fixture
def served(tmp_path):
    """serve.py with a coordinator and an agency account; yields the base URL."""
    store = Store.open(f"sqlite:///{tmp_path / 'dti.sqlite'}")
    auth.create_account(store, "dieuphoi", "coordinator", "mật-khẩu-điều-phối")
    agency = store.add_agency(Actor("dieuphoi", "coordinator"), "Sở Y tế")
    auth.create_account(store, "soyte", "agency", "mật-khẩu-sở-y-tế", agency_id=agency)
    store.close()
    proc, base_url, _log = start_streamlit("serve.py", tmp_path)
    try:
        yield base_url
    finally:
        stop(proc)


def submit_login(page, username: str, password: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    wait_for_app(page)


def test_a_scenario_link_opened_logged_out_lands_on_the_scenario_after_the_log_in(served, page, screenshot):
    page.goto(f"{served}/scenarios?scn=Nâng+hạ+tầng&sc=1.1:5")
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main).to_contain_text("Đăng nhập")
    expect(main).to_contain_text("scenarios")  # the page asked for is named
    assert page.get_by_text("Page not found").count() == 0
    screenshot("login-1-deep-link")
    submit_login(page, "dieuphoi", "mật-khẩu-điều-phối")
    expect(page).to_have_url(re.compile(r"/scenarios\?.*scn=N%C3%A2ng\+h%E1%BA%A1\+t%E1%BA%A7ng"))
    assert "sc=1.1%3A5" in page.url or "sc=1.1:5" in page.url
    expect(main.get_by_role("heading", name="Kịch bản & mục tiêu")).to_be_visible(timeout=20_000)
    screenshot("login-2-landed")


def test_the_log_in_survives_a_refresh_and_a_new_tab_and_log_out_ends_every_tab(served, page, screenshot):
    page.goto(f"{served}/coordinator")
    wait_for_app(page)
    submit_login(page, "dieuphoi", "mật-khẩu-điều-phối")
    expect(page).to_have_url(re.compile(r"/coordinator(\?lang=vi)?$"))
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text("Đang đăng nhập: dieuphoi")

    cookie = next(c for c in page.context.cookies() if c["name"] == auth.SESSION_COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["expires"] > 0
    assert page.evaluate("document.cookie").find(auth.SESSION_COOKIE) == -1  # scripts cannot read it

    page.reload()
    wait_for_app(page)
    expect(sidebar).to_contain_text("Đang đăng nhập: dieuphoi")
    expect(page.locator('[data-testid="stMain"]').get_by_role("heading", name="Điều phối")).to_be_visible()

    other = page.context.new_page()
    other.goto(f"{served}/results")
    wait_for_app(other)
    expect(other.locator('[data-testid="stSidebar"]')).to_contain_text("Đang đăng nhập: dieuphoi")
    screenshot("login-3-new-tab")
    other.locator('[data-testid="stSidebar"]').get_by_role("button", name="Đăng xuất").click()
    # The log-out run ends the account's sessions, then sends the browser through /_dti/logout (which deletes
    # the HttpOnly cookie) to the home page; the run's own log-in form can show before that navigation, so
    # wait for the home page's address rather than for the form.
    other.wait_for_url(re.compile(re.escape(served) + r"/(\?.*)?$"))
    other.wait_for_load_state()
    wait_for_app(other)
    expect(other.locator('[data-testid="stMain"]')).to_contain_text("Tên đăng nhập")
    assert not [c for c in page.context.cookies() if c["name"] == auth.SESSION_COOKIE]

    # The first tab is still on its page; its next action finds the log-in ended.
    page.wait_for_timeout(1200)
    page.locator('[data-testid="stSidebar"]').get_by_text("English").click()
    wait_for_app(page)
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("User name")
    expect(sidebar).not_to_contain_text("dieuphoi")
    screenshot("login-4-logged-out-elsewhere")


def test_the_first_coordinator_account_is_explained_then_logged_in_at_once_and_lasts(tmp_path, page, screenshot):
    proc, base_url, _log = start_streamlit("serve.py", tmp_path)  # no account yet: single-user mode
    try:
        page.goto(f"{base_url}/coordinator")
        wait_for_app(page)
        main = page.locator('[data-testid="stMain"]')
        main.get_by_role("tab", name="Đơn vị và tài khoản").click()
        expect(main).to_contain_text("chuyển sang chế độ đăng nhập", timeout=20_000)
        form = main.locator('[data-testid="stForm"]', has_text="Tài khoản mới")
        form.get_by_label("Tên đăng nhập").fill("dieuphoi")
        form.get_by_role("textbox", name="Mật khẩu").fill("mật-khẩu-điều-phối")
        role_box = form.locator('[data-testid="stSelectbox"]', has_text="Vai trò")
        coordinator_option = page.get_by_role("option", name="điều phối viên")
        role_box.get_by_role("combobox").click()
        if not coordinator_option.is_visible():  # the first click scrolls the form and only focuses the box
            role_box.get_by_role("button", name="Open").click()
        coordinator_option.click()
        form.get_by_text("Tôi đã hiểu: chuyển sang chế độ đăng nhập").click()
        screenshot("login-5-first-account")
        form.get_by_role("button", name="Tạo tài khoản").click()
        page.wait_for_load_state()
        wait_for_app(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect(sidebar).to_contain_text("Đang đăng nhập: dieuphoi", timeout=20_000)  # no log-in page between
        expect(page).to_have_url(re.compile(r"/coordinator"))
        page.reload()
        wait_for_app(page)
        expect(sidebar).to_contain_text("Đang đăng nhập: dieuphoi")
        screenshot("login-6-first-coordinator-logged-in")
    finally:
        stop(proc)
