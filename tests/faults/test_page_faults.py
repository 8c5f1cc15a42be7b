"""Storage faults as the user meets them (AppTest): the page says what happened, that nothing was saved and what
to do (Vietnamese, English in English mode), never a traceback; in the self-assessment form the typed answer stays
in the field and a "Lưu lại" button saves it once the fault is gone; a store that failed to open is not kept, so
the app recovers by itself. Each within seconds, each with the database checked unchanged.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pytest
from pg import _free_port

from dti.storage import db
from tests.apptest_support import all_rules_dir, assert_clean, open_page

FIELD = "c_1.1_value"  # component 1.1 of the all-rules edition: a levels answer


@pytest.fixture(autouse=True)
def routed_through_app_py(monkeypatch):
    """Run pages inside app.py's frame (shell.run) as the server does.

    AppTest resets Streamlit's "pages/ folder" flag before every run, so a switched-to page would run on its own,
    without app.py and its error boundary; a served app clears the flag at its first st.navigation call.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class ServedPagesManager(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", ServedPagesManager)


@pytest.fixture
def sqlite_app(tmp_path, monkeypatch):
    """The all-rules edition on a SQLite file in its own data folder."""
    folder = tmp_path / "db"
    monkeypatch.setenv("DTI_DATABASE_URL", f"sqlite:///{folder / 'dti.sqlite'}")
    monkeypatch.setenv("DTI_DATA_DIR", str(folder))
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(all_rules_dir(tmp_path)))
    return folder / "dti.sqlite"


def _rows(path: Path) -> list[tuple]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute("SELECT component_code, value, version FROM response ORDER BY component_code").fetchall()


def _errors(at) -> str:
    return "\n".join(e.value for e in at.error)


def _timed_run(action, bound: float):
    started = time.monotonic()
    at = action.run()
    elapsed = time.monotonic() - started
    assert elapsed < bound, f"took {elapsed:.1f} s"
    return at


def _save_again(at):
    buttons = [b for b in at.button if b.label == "Lưu lại" or b.label == "Save again"]
    assert buttons, "no save-again button"
    return buttons[0].click().run()


def test_a_locked_database_keeps_the_typed_answer_and_saves_it_once_released(sqlite_app):
    at = open_page("assessment")
    other = sqlite3.connect(sqlite_app, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        at = _timed_run(at.selectbox(key=FIELD).select("half"), bound=db.LOCK_WAIT_SECONDS + 15)
        assert_clean(at)
        shown = _errors(at)
        assert "Chưa lưu giá trị này" in shown and "đang bị một tiến trình khác khóa" in shown
        assert "Không có gì được lưu." in shown and "vẫn còn trong ô" in shown
        assert at.selectbox(key=FIELD).value == "half"  # the answer stays in the field
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _rows(sqlite_app) == []
    at = _save_again(at)
    assert_clean(at)
    assert not _errors(at)
    assert _rows(sqlite_app) == [("1.1", '"half"', 1)]


def test_a_deleted_data_folder_stops_saving_with_a_message_and_keeps_the_answer(sqlite_app):
    at = open_page("assessment")
    at.selectbox(key=FIELD).select("half").run()
    assert _rows(sqlite_app) == [("1.1", '"half"', 1)]
    shutil.rmtree(sqlite_app.parent)  # someone deletes the data folder while the server runs
    at = _timed_run(at.selectbox(key=FIELD).select("full"), bound=15)
    assert_clean(at)
    shown = _errors(at)
    assert "đã bị xóa hoặc bị thay bằng tệp khác" in shown and "khởi động lại ứng dụng" in shown
    assert "Không có gì được lưu." in shown
    assert at.selectbox(key=FIELD).value == "full"
    assert not sqlite_app.exists()  # nothing written anywhere, no new empty database made in its place


def test_a_data_folder_that_cannot_be_created_is_said_at_start_and_the_app_recovers_when_it_can(tmp_path,
                                                                                                 monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder is needed")
    monkeypatch.setenv("DTI_DATABASE_URL", f"sqlite:///{blocker / 'data' / 'dti.sqlite'}")
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(all_rules_dir(tmp_path)))
    from streamlit.testing.v1 import AppTest

    from tests.apptest_support import APP
    at = _timed_run(AppTest.from_file(APP, default_timeout=60), bound=15)
    assert_clean(at)
    shown = _errors(at)
    assert "Không tạo hoặc không mở được thư mục dữ liệu" in shown and str(blocker / "data") in shown.replace("\\", "")
    assert "Không có gì được lưu." in shown and "DTI_DATA_DIR" in shown
    assert blocker.is_file()
    blocker.unlink()  # the administrator fixes it: the next run opens the database, no restart
    at.run()
    assert_clean(at)
    assert not _errors(at)
    assert (blocker / "data" / "dti.sqlite").is_file()


@pytest.mark.parametrize("url,reason_vi,reason_en", [
    ("postgresql://postgres@127.0.0.1:{port}/dti", "Không kết nối được máy chủ cơ sở dữ liệu",
     "cannot be reached"),
    ("postgresql://ai_do:mat-khau@127.0.0.1:cong/dti", "Địa chỉ cơ sở dữ liệu", "address"),
    ("khong-phai-url", "Địa chỉ cơ sở dữ liệu", "address"),
])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_bad_database_url_or_an_unreachable_server_at_start_is_a_message_not_a_traceback(
        tmp_path, monkeypatch, url, reason_vi, reason_en, lang):
    monkeypatch.setenv("DTI_DATABASE_URL", url.format(port=_free_port()))
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(all_rules_dir(tmp_path)))
    from streamlit.testing.v1 import AppTest

    from tests.apptest_support import APP
    at = AppTest.from_file(APP, default_timeout=60)
    if lang == "en":
        at.session_state["lang"] = "en"
    at = _timed_run(at, bound=db.CONNECT_TIMEOUT_SECONDS + 15)
    assert_clean(at)
    shown = _errors(at)
    if lang == "vi":
        assert reason_vi in shown and "Không có gì được lưu." in shown
    else:
        assert reason_en in shown and "Nothing was saved." in shown
    assert "mat-khau" not in shown


@pytest.mark.postgres
def test_postgres_stopped_mid_session_the_answer_comes_back_and_is_saved_when_the_server_is(own_postgres, tmp_path,
                                                                                            monkeypatch):
    import psycopg

    url = own_postgres.new_database()
    monkeypatch.setenv("DTI_DATABASE_URL", url)
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(all_rules_dir(tmp_path)))
    name = url.rsplit("/", 1)[1]

    def rows():
        with psycopg.connect(f"host=127.0.0.1 port={own_postgres.port} user=postgres dbname={name}") as conn:
            return conn.execute("SELECT component_code, value #>> '{}', version FROM response").fetchall()

    at = open_page("assessment")
    own_postgres.stop_server()
    try:
        at = _timed_run(at.selectbox(key=FIELD).select("half"), bound=db.CONNECT_TIMEOUT_SECONDS + 15)
        assert_clean(at)
        shown = _errors(at)
        assert "Không kết nối được máy chủ cơ sở dữ liệu" in shown and "Không có gì được lưu." in shown
    finally:
        own_postgres.start_server()
    assert rows() == []
    at.run()  # the server is back: the form is shown again, with the answer that was not saved
    assert_clean(at)
    assert at.selectbox(key=FIELD).value == "half"
    at = _save_again(at)
    assert_clean(at)
    assert rows() == [("1.1", "half", 1)]


def test_a_full_disk_keeps_the_typed_evidence_and_saves_it_once_space_is_freed(sqlite_app):
    folder = sqlite_app.parent
    folder.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
                             capture_output=True).returncode == 0
    if not mounted:  # the store-level test fills the disk without root (SQLite's max_page_count)
        pytest.skip("mounting a small tmpfs needs root")
    try:
        at = open_page("assessment")
        ballast = folder / "ballast"
        with open(ballast, "wb", buffering=0) as fh:
            try:
                while True:
                    fh.write(b"\0" * 4096)
                    fh.flush()
            except OSError:
                pass
        # Below the evidence length limit, and no longer than the pages SQLite already has: new pages are needed.
        evidence = "Quyết định " + "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(75))
        at = _timed_run(at.text_input(key="c_1.1_evidence").set_value(evidence), bound=db.LOCK_WAIT_SECONDS + 15)
        assert_clean(at)
        shown = _errors(at)
        assert "đã đầy" in shown and "Không có gì được lưu." in shown and "vẫn còn trong ô" in shown
        assert at.text_input(key="c_1.1_evidence").value == evidence
        assert _rows(sqlite_app) == []
        ballast.unlink()  # the administrator frees space
        at = _save_again(at)
        assert_clean(at)
        assert not _errors(at)
        with closing(sqlite3.connect(sqlite_app)) as conn:
            stored = conn.execute("SELECT evidence FROM response WHERE component_code = '1.1'").fetchone()
        assert stored == (evidence.strip(),)
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.mark.postgres
def test_a_database_name_that_does_not_exist_on_the_server_is_said_at_start(own_postgres, tmp_path, monkeypatch):
    monkeypatch.setenv("DTI_DATABASE_URL", own_postgres.url("khong_co_csdl_nay"))
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(all_rules_dir(tmp_path)))
    from streamlit.testing.v1 import AppTest

    from tests.apptest_support import APP
    at = _timed_run(AppTest.from_file(APP, default_timeout=60), bound=db.CONNECT_TIMEOUT_SECONDS + 15)
    assert_clean(at)
    shown = _errors(at)
    assert "không tồn tại hoặc không phải cơ sở dữ liệu của ứng dụng DTI" in shown
    assert "khong\\_co\\_csdl\\_nay" in shown  # the name shown literally (escaped for Markdown)
    assert "Không có gì được lưu." in shown
