"""The app over the database (Streamlit AppTest): autosave across sessions and restarts, conflicts, roles, log-in.

Each test points the app at its own SQLite file; a second AppTest is a second browser tab (or a reload).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dti.framework import registry
from dti.storage import Actor, Store, auth
from ui import files, state

COORD = Actor("coord", "coordinator")
APP = str(registry.REPO_ROOT / "app.py")


@pytest.fixture
def db(db_url, monkeypatch):
    """The app's database for this test: a fresh SQLite file, then a fresh PostgreSQL database."""
    url = db_url
    monkeypatch.setenv("DTI_DATABASE_URL", url)
    monkeypatch.delenv("DTI_DATA_DIR", raising=False)
    store = Store.open(url)
    yield store
    store.close()


def open_page(page: str, actor: Actor | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if actor is not None:
        at.session_state["actor"] = actor
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def period_id(db: Store) -> int:
    return db.latest_assessment("dti-2022-province").id


def test_answers_are_saved_at_once_and_survive_a_reload_and_a_restart(db):
    at = open_page("pages/assessment.py")
    at.selectbox(key="c_1.1_value").set_value("deputy").run()
    at.radio(key="c_1.3_value").set_value("có").run()
    at.text_input(key="c_1.3_evidence").input("Công văn 123/UBND").run()
    stored = db.stored(period_id(db))
    assert stored["1.1"].value == "deputy" and stored["1.1"].updated_by == "local"
    assert stored["1.3"].value == "có" and stored["1.3"].evidence == "Công văn 123/UBND"

    reloaded = open_page("pages/assessment.py")  # a new session: what a refresh or a new tab gets
    assert reloaded.selectbox(key="c_1.1_value").value == "deputy"
    assert reloaded.text_input(key="c_1.3_evidence").value == "Công văn 123/UBND"

    state._open_store.clear()  # the server restarts: a new engine on the same file
    restarted = open_page("pages/assessment.py")
    assert restarted.radio(key="c_1.3_value").value == "có"


def test_a_stale_edit_is_refused_with_the_other_value_and_the_form_shows_it(db):
    at = open_page("pages/assessment.py")
    at.selectbox(key="c_1.1_value").set_value("deputy").run()
    pid = period_id(db)
    # Meanwhile someone else saves 1.1 from their own, newer view.
    db.save_response(Actor("bob", "coordinator"), pid, "1.1", 1, value="top_leader")
    at.selectbox(key="c_1.1_value").set_value("none").run()
    errors = " ".join(e.value for e in at.error)
    # Levels named by their labels, as the form shows them, not by their keys.
    assert "bob" in errors and "«Bí thư hoặc Chủ tịch tỉnh là Trưởng ban»" in errors and "«Chưa có / khác»" in errors
    assert "top_leader" not in errors
    assert db.stored(pid)["1.1"].value == "top_leader" and db.stored(pid)["1.1"].version == 2
    assert at.selectbox(key="c_1.1_value").value == "top_leader"  # the form now shows what is stored
    at.selectbox(key="c_1.1_value").set_value("none").run()  # entering it again is based on version 2
    assert db.stored(pid)["1.1"].value == "none" and not at.error


def test_an_agency_cannot_save_another_agencys_component_from_the_ui(db):
    pid = db.assessment("dti-2022-province", 2025, 4).id
    mine = db.add_agency(COORD, "Sở Thông tin và Truyền thông")
    db.assign(COORD, pid, "1.1", mine)
    agency = Actor("sott", "agency", mine)

    at = open_page("pages/assessment.py", agency)
    # The agency filter starts on the agency's own components; the others are shown read-only (disabled).
    assert {w.key for w in at.selectbox if w.key and w.key.startswith("c_")} == {"c_1.1_value"}
    at.selectbox(key="a_agency").select_index(0).run()  # every agency
    assert at.selectbox(key="c_1.2_value").disabled and at.text_input(key="c_1.2_evidence").disabled
    assert not at.selectbox(key="c_1.1_value").disabled
    assert "1.2" not in db.stored(pid)
    at.selectbox(key="c_1.1_value").set_value("top_leader").run()
    assert db.stored(pid)["1.1"].updated_by == "sott"

    mine_page = open_page("pages/agency.py", agency)
    shown = {w.key for w in mine_page.selectbox if w.key and w.key.startswith("c_")}
    assert shown == {"c_1.1_value"}


def test_an_agencys_upload_touching_another_agencys_component_is_refused_whole(db):
    pid = db.assessment("dti-2022-province", 2025, 4).id
    mine = db.add_agency(COORD, "Sở Nội vụ")
    db.assign(COORD, pid, "1.1", mine)
    agency = Actor("sonv", "agency", mine)
    at = open_page("pages/assessment.py", agency)
    at.session_state["a_files"] = True  # open the download/upload panel
    at.run()
    upload = b"code,value\n1.1,top_leader\n1.2,chair\n"
    at.file_uploader(key=files.upload_key("a")).set_value(("so-noi-vu.csv", upload, "text/csv")).run()
    assert not at.exception
    assert not at.success  # no "loaded" message for a refused file
    shown = " ".join(e.value for e in at.error) + " ".join(m.value for m in at.markdown)
    assert "so-noi-vu.csv" in shown and "1.2" in shown and "không được giao" in shown
    assert db.stored(pid) == {}  # nothing written, not even the agency's own 1.1


def test_with_accounts_only_the_login_page_is_reachable_until_a_correct_login(db):
    agency = db.add_agency(COORD, "UBND huyện Đông")
    auth.create_account(db, "dieuphoi", "coordinator", "mật-khẩu-khác-nữa")
    auth.create_account(db, "dong", "agency", "mật-khẩu-đủ-dài", agency_id=agency)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    at.text_input[0].input("dong")
    at.text_input[1].input("sai-mật-khẩu")
    at.button[0].click().run()
    assert any("Sai tên đăng nhập" in e.value for e in at.error)
    assert "actor" not in at.session_state
    at.text_input[1].input("mật-khẩu-đủ-dài")
    at.button[0].click().run()
    assert at.session_state["actor"] == Actor("dong", "agency", agency, "dong")


def test_coordinator_page_shows_estimate_progress_and_viewer_cannot_edit(db):
    pid = db.assessment("dti-2022-province", 2025, 1).id
    a = db.add_agency(COORD, "Sở Nội vụ")
    db.assign(COORD, pid, "1.3", a)
    db.save_response(COORD, pid, "1.3", 0, value="có", status="done")
    at = open_page("pages/coordinator.py")
    assert any("Chế độ một người dùng" in i.value for i in at.sidebar.info)  # the UI says it is single-user
    dti = next(m for m in at.metric if m.label == "DTI ước tính của tỉnh")
    assert dti.value == f"{db.result(pid).dti:.4f}".replace(".", ",")
    progress = at.dataframe[0].value
    assert list(progress["Đơn vị"]) == ["Sở Nội vụ"] and list(progress["Hoàn thành"]) == [1]

    viewer = open_page("pages/assessment.py", Actor("xem", "viewer"))
    assert viewer.radio(key="c_1.3_value").value == "có" and viewer.radio(key="c_1.3_value").disabled
    assert all(w.disabled for w in [*viewer.radio, *viewer.text_input] if str(w.key).startswith("c_"))
    assert db.stored(pid)["1.3"].value == "có"


@pytest.mark.parametrize("page", ["assessment", "results", "coordinator", "agency", "import_export"])
def test_a_page_opened_by_its_url_without_login_shows_no_data(db, page):
    """Opening /results etc. directly runs the page script alone (Streamlit's pages/ folder): still no data."""
    pid = db.assessment("dti-2022-province", 2025, 1).id
    db.save_response(COORD, pid, "1.3", 0, value="có", evidence="bí mật")
    auth.create_account(db, "dieuphoi", "coordinator", "mật-khẩu-đủ-dài")
    at = AppTest.from_file(str(registry.REPO_ROOT / "pages" / f"{page}.py"), default_timeout=60).run()
    assert not at.exception
    assert any("đăng nhập" in w.value.lower() or "dành cho" in w.value for w in at.warning)
    assert not at.metric and not at.dataframe
    assert not any("bí mật" in str(getattr(e, "value", "")) for e in at.text_input)


def test_coordinator_adds_an_agency_copies_the_period_and_compares(db):
    pid = db.assessment("dti-2022-province", 2025, 3).id
    db.save_response(COORD, pid, "1.1", 0, value="deputy")
    # Buttons click in AppTest only when the page script runs on its own (not after switch_page).
    at = AppTest.from_file(str(registry.REPO_ROOT / "pages" / "coordinator.py"), default_timeout=60).run()
    next(w for w in at.text_input if w.label.startswith("Tên đơn vị")).input("Sở Tài chính")
    next(b for b in at.button if b.label == "Thêm đơn vị").click().run()
    assert [s.value for s in at.success] == ["Đã thêm Sở Tài chính."]
    assert [a.name for a in db.agencies()] == ["Sở Tài chính"]

    next(b for b in at.button if b.label == "Sao chép kỳ này sang Quý 4/2025").click().run()
    assert not at.exception
    q4 = db.assessment("dti-2022-province", 2025, 4, create=False)
    assert db.stored(q4.id)["1.1"].value == "deputy"
    assert at.session_state["period"] == (2025, 4)
    assert "Quý 4/2025" in at.caption[0].value
    db.save_response(COORD, q4.id, "1.1", 1, value="top_leader")
    at.run()
    dti = next(m for m in at.metric if m.label == "DTI")
    assert dti.delta == "+0,0050"  # 5 more points of 1,000
    assert at.get("plotly_chart")


def test_an_agency_marks_its_component_done_with_an_evidence_link(db):
    pid = db.assessment("dti-2022-province", 2025, 2).id
    mine = db.add_agency(COORD, "Sở Văn hóa")
    db.assign(COORD, pid, "1.3", mine)
    agency = Actor("sovh", "agency", mine)
    at = open_page("pages/agency.py", agency)
    at.radio(key="c_1.3_value").set_value("có").run()
    at.text_input(key="s_links_1.3").input("https://vanban.tinh.gov.vn/123").run()
    at.selectbox(key="s_status_1.3").set_value("done").run()
    assert not at.error
    saved = db.stored(pid)["1.3"]
    assert (saved.value, saved.status, saved.links, saved.updated_by) == ("có", "done", "https://vanban.tinh.gov.vn/123",
                                                                          "sovh")
    assert any("1 hoàn thành" in c.value for c in at.caption)
    progress = {p.name: p for p in db.progress(pid)}["Sở Văn hóa"]
    assert (progress.answered, progress.with_evidence, progress.finished) == (1, 1, 1)


def test_account_form_refuses_an_agency_as_first_account_in_vietnamese_then_creates_the_coordinator(db):
    at = AppTest.from_file(str(registry.REPO_ROOT / "pages" / "coordinator.py"), default_timeout=60).run()
    name, password = (next(w for w in at.text_input if w.label == label) for label in ("Tên đăng nhập", "Mật khẩu"))
    name.input("sotc")
    password.input("mật-khẩu-đủ-dài")
    at.checkbox(key="s_switch_confirm").check()  # the switch to log-in mode is confirmed
    next(b for b in at.button if b.label == "Tạo tài khoản").click().run()  # role: the first option, agency
    assert any("Tài khoản đầu tiên phải là của điều phối viên" in e.value for e in at.error)
    assert db.user_count() == 0

    at = AppTest.from_file(str(registry.REPO_ROOT / "pages" / "coordinator.py"), default_timeout=60).run()
    next(w for w in at.text_input if w.label == "Tên đăng nhập").input("DieuPhoi")
    next(w for w in at.text_input if w.label == "Mật khẩu").input("mật-khẩu-đủ-dài")
    next(w for w in at.selectbox if w.label == "Vai trò").set_value("coordinator")
    at.checkbox(key="s_switch_confirm").check()
    next(b for b in at.button if b.label == "Tạo tài khoản").click().run()
    assert at.session_state["actor"].username == "dieuphoi"  # logged in at once (tests/test_page_login.py)
    assert db.user("dieuphoi").role == "coordinator" and auth.authenticate(db, "dieuphoi", "mật-khẩu-đủ-dài")
