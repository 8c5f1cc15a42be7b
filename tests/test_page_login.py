"""Log-in and accounts in the app (AppTest): the switch to log-in mode explained, the first coordinator logged
in at once, deep links kept through the log-in, log-out everywhere, who is logged in on every page, and the
coordinator's account administration. Run on SQLite and PostgreSQL (the ``db`` fixture)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dti.framework import registry
from dti.storage import Actor, Store, auth
from ui import state

APP = str(registry.REPO_ROOT / "app.py")
COORDINATOR_PAGE = str(registry.REPO_ROOT / "pages" / "coordinator.py")
PASSWORD = "mật-khẩu-điều-phối"


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("DTI_DATABASE_URL", db_url)
    monkeypatch.delenv("DTI_DATA_DIR", raising=False)
    monkeypatch.setattr(state, "LOGIN_CHECK_SECONDS", 0.0)  # every run re-reads the log-in
    store = Store.open(db_url)
    yield store
    store.close()


def field(at: AppTest, label: str, kind: str = "text_input"):
    return next(w for w in getattr(at, kind) if w.label == label)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def log_in(at: AppTest, username: str, password: str) -> AppTest:
    field(at, "Tên đăng nhập").input(username)
    field(at, "Mật khẩu").input(password)
    return button(at, "Đăng nhập").click().run()


def test_the_switch_to_log_in_mode_is_explained_and_the_first_coordinator_is_logged_in_at_once(db):
    at = AppTest.from_file(COORDINATOR_PAGE, default_timeout=60).run()
    assert any("chuyển sang chế độ đăng nhập" in i.value for i in at.info)
    field(at, "Tên đăng nhập").input("dieuphoi")
    field(at, "Mật khẩu").input(PASSWORD)
    field(at, "Vai trò", "selectbox").set_value("coordinator")
    button(at, "Tạo tài khoản").click().run()
    assert any("Chưa tạo tài khoản" in e.value for e in at.error)  # not confirmed: nothing changes
    assert db.user_count() == 0

    field(at, "Tên đăng nhập").input("dieuphoi")
    field(at, "Mật khẩu").input(PASSWORD)
    field(at, "Vai trò", "selectbox").set_value("coordinator")
    at.checkbox(key="s_switch_confirm").check()
    button(at, "Tạo tài khoản").click().run()
    assert not at.exception
    assert at.session_state["actor"].username == "dieuphoi" and at.session_state["actor"].role == "coordinator"
    assert auth.session_actor(db, session_id=at.session_state[state.LOGIN_SESSION_KEY])[0].username == "dieuphoi"
    assert at.title[0].value == "Điều phối tự đánh giá của tỉnh" and not at.warning  # no log-in page next
    assert state.auth_mode.__module__ and db.user_count() == 1


def test_an_empty_password_is_refused_without_organisation_log_in(db):
    at = AppTest.from_file(COORDINATOR_PAGE, default_timeout=60).run()
    field(at, "Tên đăng nhập").input("dieuphoi")
    field(at, "Vai trò", "selectbox").set_value("coordinator")
    at.checkbox(key="s_switch_confirm").check()
    button(at, "Tạo tài khoản").click().run()
    assert any("ít nhất 8 ký tự" in e.value for e in at.error)
    assert db.user_count() == 0


def logged_in(db, page: str | None = None) -> AppTest:
    """A tab logged in as the coordinator through a lasting log-in (as the log-in form leaves it)."""
    at = AppTest.from_file(APP, default_timeout=60)
    session_id, _handoff = db.start_login_session("dieuphoi", auth.login_lifetime())
    at.session_state["actor"] = auth.authenticate(db, "dieuphoi", PASSWORD)
    at.session_state[state.LOGIN_SESSION_KEY] = session_id
    if page:
        at.switch_page(page)
    return at.run()


def test_the_log_in_form_starts_a_lasting_log_in(db):
    auth.create_account(db, "dieuphoi", "coordinator", PASSWORD)
    at = log_in(AppTest.from_file(APP, default_timeout=60).run(), "dieuphoi", PASSWORD)
    assert not at.exception
    assert at.session_state["actor"].username == "dieuphoi"
    found = auth.session_actor(db, session_id=at.session_state[state.LOGIN_SESSION_KEY])
    assert found[0].username == "dieuphoi" and db.accounts()[0].last_login_at is not None


def test_log_out_elsewhere_ends_this_tab_at_its_next_action(db):
    auth.create_account(db, "dieuphoi", "coordinator", PASSWORD)
    first = logged_in(db, "pages/results.py")
    assert first.session_state["actor"].username == "dieuphoi"
    db.end_login_sessions("dieuphoi")  # what the log-out button of another tab does (browser test)
    first.run()  # this tab's next action
    assert "actor" not in first.session_state
    assert not first.metric  # no data shown any more


def test_a_disabled_account_is_out_at_its_next_action_and_a_role_change_applies(db):
    auth.create_account(db, "dieuphoi", "coordinator", PASSWORD)
    auth.create_account(db, "phu", "coordinator", "điều-phối-phụ-2026")
    at = logged_in(db, "pages/overview.py")
    coordinator = Actor("phu", "coordinator")
    db.update_account(coordinator, "dieuphoi", role="viewer")
    at.run()
    assert at.session_state["actor"].role == "viewer"
    db.update_account(coordinator, "dieuphoi", disabled=True)
    at.run()
    assert "actor" not in at.session_state


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/results.py", "pages/framework.py"])
def test_who_is_logged_in_and_log_out_are_on_every_page(db, page):
    auth.create_account(db, "dieuphoi", "coordinator", PASSWORD)
    at = logged_in(db, page)
    assert not at.exception
    assert any("Đang đăng nhập: dieuphoi" in c.value for c in at.sidebar.caption)
    assert at.sidebar.button(key="s_logout").label == "Đăng xuất"


def accounts_table(at: AppTest):
    return next(d.value for d in at.dataframe if "Tên đăng nhập" in d.value.columns)


def coordinator_page(db) -> AppTest:
    at = AppTest.from_file(COORDINATOR_PAGE, default_timeout=60)
    at.session_state["actor"] = auth.authenticate(db, "dieuphoi", PASSWORD)
    return at.run()


def test_the_coordinator_resets_a_password_disables_and_changes_a_role(db):
    auth.create_account(db, "dieuphoi", "coordinator", PASSWORD)
    agency = db.add_agency(Actor("dieuphoi", "coordinator"), "Sở Y tế")
    auth.create_account(db, "soyte", "agency", "mật-khẩu-sở-y-tế", agency_id=agency)
    at = coordinator_page(db)
    listed = accounts_table(at)
    assert list(listed["Tên đăng nhập"]) == ["dieuphoi", "soyte"]
    assert list(listed["Đơn vị"]) == ["—", "Sở Y tế"] and list(listed["Trạng thái"]) == ["đang hoạt động"] * 2

    edit = [w for w in at.selectbox if w.label == "Tên đăng nhập"][0]
    edit.set_value(next(a for a in db.accounts() if a.username == "soyte"))
    field(at, "Mật khẩu mới").input("aaaaaaaaaa")
    button(at, "Lưu tài khoản").click().run()
    assert any("quá dễ đoán" in e.value for e in at.error)
    assert auth.authenticate(db, "soyte", "mật-khẩu-sở-y-tế") is not None

    [w for w in at.selectbox if w.label == "Tên đăng nhập"][0].set_value(
        next(a for a in db.accounts() if a.username == "soyte"))
    field(at, "Mật khẩu mới").input("mật-khẩu-mới-2026")
    button(at, "Lưu tài khoản").click().run()
    assert [s.value for s in at.success] == ["Đã lưu tài khoản soyte."]
    at.run()
    assert field(at, "Mật khẩu mới").value == ""  # the form is cleared: the new password is never shown back
    assert "mật-khẩu-mới-2026" not in str(at.main)
    assert auth.authenticate(db, "soyte", "mật-khẩu-mới-2026") is not None

    [w for w in at.selectbox if w.label == "Tên đăng nhập"][0].set_value(
        next(a for a in db.accounts() if a.username == "soyte"))
    field(at, "Trạng thái", "selectbox").set_value(True)
    button(at, "Lưu tài khoản").click().run()
    assert auth.authenticate(db, "soyte", "mật-khẩu-mới-2026") is None
    assert "đã khoá" in list(accounts_table(at)["Trạng thái"])

    [w for w in at.selectbox if w.label == "Tên đăng nhập"][0].set_value(
        next(a for a in db.accounts() if a.username == "dieuphoi"))
    field(at, "Vai trò", "selectbox").set_value("viewer")
    button(at, "Lưu tài khoản").click().run()
    assert any("điều phối viên cuối cùng" in e.value for e in at.error)
    assert db.user("dieuphoi").role == "coordinator"


def test_the_coordinator_renames_an_agency_and_a_viewer_sees_no_forms(db):
    auth.create_account(db, "dieuphoi", "coordinator", PASSWORD)
    agency = db.add_agency(Actor("dieuphoi", "coordinator"), "Sở Y tế")
    auth.create_account(db, "xem", "viewer", "chỉ-xem-thôi-nhé")
    at = coordinator_page(db)
    field(at, "Tên mới").input("Sở Y tế tỉnh")
    [w for w in at.selectbox if w.label == "Loại đơn vị"][-1].set_value("other")
    button(at, "Lưu đơn vị").click().run()
    assert [(a.name, a.kind) for a in db.agencies() if a.id == agency] == [("Sở Y tế tỉnh", "other")]

    viewer = AppTest.from_file(COORDINATOR_PAGE, default_timeout=60)
    viewer.session_state["actor"] = auth.authenticate(db, "xem", "chỉ-xem-thôi-nhé")
    viewer.run()
    assert not viewer.exception
    assert list(accounts_table(viewer)["Tên đăng nhập"]) == ["dieuphoi", "xem"]
    assert not [b for b in viewer.button if b.label in ("Lưu tài khoản", "Lưu đơn vị", "Tạo tài khoản")]
