"""Storage faults of the SQLite file, injected for real: each raises StorageUnavailable with its reason, the
Vietnamese message (what happened, nothing saved, what to do), within seconds, and leaves the database unchanged.

Read-only and disk-full use a small tmpfs (remounted read-only, or filled) when the tests run as root, as they do
on this project's machines; without root the read-only case chmods the folder, and disk-full lowers SQLite's
max_page_count, which makes SQLite report the very error a full disk gives (SQLITE_FULL).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import event

from dti.storage import Actor, StorageUnavailable, Store, db

COORD = Actor("coord", "coordinator")
AS_ROOT = os.geteuid() == 0


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    return AS_ROOT and subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                                      capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A folder on its own small file system when possible (root), else a plain folder; unmounted afterwards."""
    where = tmp_path / "disk"
    mounted = _mount_tmpfs(where, "2m")
    yield where, mounted
    if mounted:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _open(folder: Path, fw) -> tuple[Store, str]:
    url = f"sqlite:///{folder / 'dti.sqlite'}"
    return Store.open(url, frameworks={fw.id: fw}.__getitem__), url


def _rows(url: str) -> list[tuple]:
    """Every stored answer, read with plain sqlite3 (not through the store under test)."""
    path = url.split("///", 1)[1]
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute("SELECT component_code, value, version FROM response ORDER BY component_code").fetchall()


def _fails_with(reason: str, call, bound: float) -> StorageUnavailable:
    started = time.monotonic()
    with pytest.raises(StorageUnavailable) as caught:
        call()
    elapsed = time.monotonic() - started
    assert elapsed < bound, f"took {elapsed:.1f} s"
    fault = caught.value
    assert fault.reason == reason, (fault.reason, fault.detail)
    vi, en = fault.message("vi"), fault.message("en")
    assert "Không có gì được lưu." in vi and "Nothing was saved." in en
    assert "Traceback" not in vi
    return fault


def _make_read_only(folder: Path, mounted: bool, read_only: bool) -> None:
    if mounted:  # root ignores file modes: the file system itself becomes read-only, as after a disk error
        subprocess.run(["mount", "-o", f"remount,{'ro' if read_only else 'rw'}", str(folder)], check=True)
    else:
        os.chmod(folder / "dti.sqlite", 0o444 if read_only else 0o644)
        os.chmod(folder, 0o555 if read_only else 0o755)


def test_a_read_only_database_is_reported_then_used_once_writable_again(small_disk, fw_all_rules):
    folder, mounted = small_disk
    store, url = _open(folder, fw_all_rules)
    a = store.assessment("all-rules", 2025, 1)
    first = store.save_response(COORD, a.id, "1.1", 0, value="half")
    store.close()  # the kernel refuses to make a file system read-only while a file on it is open for writing
    before = _rows(url)
    _make_read_only(folder, mounted, True)

    def open_and_save():  # SQLite opens a read-only WAL file when its -shm is left, then the save fails
        again, _ = _open(folder, fw_all_rules)
        try:
            again.save_response(COORD, a.id, "1.1", first.version, value="full")
        finally:
            again.close()

    fault = _fails_with("read_only", open_and_save, bound=db.LOCK_WAIT_SECONDS + 3)
    assert "chỉ cho đọc" in fault.message("vi") and str(folder) in fault.message("vi")
    assert "read-only" in fault.message("en")
    _make_read_only(folder, mounted, False)
    assert _rows(url) == before
    store, _ = _open(folder, fw_all_rules)  # the fault went away: the same call works, nothing else to do
    assert store.save_response(COORD, a.id, "1.1", first.version, value="full").version == 2
    store.close()


def test_a_data_folder_that_cannot_be_created_is_a_clear_fault_not_an_oserror(tmp_path, fw_all_rules):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder's parent should be")
    folder = blocker / "data"
    fault = _fails_with("folder", lambda: _open(folder, fw_all_rules), bound=3)
    assert str(folder) in fault.message("vi") and "DTI_DATA_DIR" in fault.message("vi")
    assert blocker.read_text().startswith("a file")  # nothing made or changed


@pytest.mark.parametrize("how", ["tmpfs", "max_page_count"])
def test_a_full_disk_refuses_the_save_and_keeps_what_was_stored(small_disk, fw_all_rules, how):
    folder, mounted = small_disk
    if how == "tmpfs" and not mounted:
        how = "max_page_count"  # not root: SQLite's own limit gives the same SQLITE_FULL
    store, url = _open(folder, fw_all_rules)
    a = store.assessment("all-rules", 2025, 1)
    first = store.save_response(COORD, a.id, "2.2", 0, value="có")
    before = _rows(url)
    if how == "tmpfs":
        with open(folder / "ballast", "wb", buffering=0) as fh:  # fill the disk to the last byte
            try:
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
            except OSError:
                pass
        for size in (4096, 512, 1):
            try:
                with open(folder / "ballast", "ab", buffering=0) as fh:
                    while True:
                        fh.write(b"\0" * size)
                        fh.flush()
            except OSError:
                pass
    else:
        @event.listens_for(store.engine, "connect")
        def _tiny(dbapi_conn, _record):
            dbapi_conn.execute("PRAGMA max_page_count=1")
        store.engine.dispose()
    # 4,800 characters (below the evidence limit): more than a page, so new pages are needed
    evidence = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(75))
    fault = _fails_with("disk_full", lambda: store.save_response(COORD, a.id, "2.2", first.version,
                                                                 value="không", evidence=evidence),
                        bound=db.LOCK_WAIT_SECONDS + 3)
    assert "đầy" in fault.message("vi") and "full" in fault.message("en")
    assert _rows(url) == before
    if how == "tmpfs":
        (folder / "ballast").unlink()
    else:
        event.remove(store.engine, "connect", _tiny)
        store.engine.dispose()
    assert store.save_response(COORD, a.id, "2.2", first.version, value="không", evidence=evidence).version == 2
    store.close()


def test_a_lock_held_by_another_program_is_waited_for_seconds_then_reported(tmp_path, fw_all_rules):
    store, url = _open(tmp_path, fw_all_rules)
    a = store.assessment("all-rules", 2025, 1)
    first = store.save_response(COORD, a.id, "2.2", 0, value="có")
    before = _rows(url)
    other = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock (e.g. for 30 s)
    try:
        fault = _fails_with("locked", lambda: store.save_response(COORD, a.id, "2.2", first.version, value="không"),
                            bound=db.LOCK_WAIT_SECONDS + 3)
        assert f"{db.LOCK_WAIT_SECONDS} giây" in fault.message("vi")
        assert store.stored(a.id)["2.2"].value == "có"  # WAL: reading is not blocked by the lock
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _rows(url) == before
    assert store.save_response(COORD, a.id, "2.2", first.version, value="không").version == 2
    store.close()


@pytest.mark.parametrize("how", ["folder deleted", "file replaced"])
def test_a_deleted_or_replaced_database_file_stops_saving_instead_of_writing_to_a_lost_file(tmp_path, fw_all_rules,
                                                                                              how):
    folder = tmp_path / "data"
    store, url = _open(folder, fw_all_rules)
    a = store.assessment("all-rules", 2025, 1)
    first = store.save_response(COORD, a.id, "1.1", 0, value="half")
    if how == "folder deleted":
        shutil.rmtree(folder)
    else:
        shutil.copytree(folder, tmp_path / "copy")
        shutil.rmtree(folder)
        shutil.copytree(tmp_path / "copy", folder)  # same content, another file: not the one this store opened
    started = time.monotonic()
    for _ in range(3):  # the pooled connection and a new one alike
        fault = _fails_with("file_gone", lambda: store.save_response(COORD, a.id, "1.1", first.version,
                                                                     value="full"), bound=3)
    assert time.monotonic() - started < 6
    assert str(folder / "dti.sqlite") in fault.message("vi") and "khởi động lại" in fault.message("vi")
    _fails_with("file_gone", lambda: store.assessment("all-rules", 2025, 2), bound=3)  # no write of any kind
    if how == "file replaced":
        assert _rows(url) == [("1.1", '"half"', 1)]  # the file now at the path is untouched
    else:
        assert not (folder / "dti.sqlite").exists()
    store.close()


def test_moving_the_same_file_back_lets_saving_go_on(tmp_path, fw_all_rules):
    folder = tmp_path / "data"
    store, url = _open(folder, fw_all_rules)
    a = store.assessment("all-rules", 2025, 1)
    first = store.save_response(COORD, a.id, "1.1", 0, value="half")
    folder.rename(tmp_path / "moved")
    _fails_with("file_gone", lambda: store.save_response(COORD, a.id, "1.1", first.version, value="full"), bound=3)
    (tmp_path / "moved").rename(folder)
    assert store.save_response(COORD, a.id, "1.1", first.version, value="full").version == 2
    store.close()
    assert _rows(url)[0][2] == 2


def test_an_oserror_that_is_not_about_the_data_folder_is_not_called_a_storage_fault(tmp_path):
    # A missing edition or migration file is a bug or an installation problem: telling the user "the data folder
    # cannot be created" would send the administrator the wrong way.
    url = f"sqlite:///{tmp_path / 'data' / 'dti.sqlite'}"
    elsewhere = FileNotFoundError(2, "No such file or directory", "/opt/dti/config/frameworks/x.yaml")
    assert db.classify(elsewhere, url) is None
    blocked = NotADirectoryError(20, "Not a directory", str(tmp_path / "data"))
    assert db.classify(blocked, url).reason == "folder"
    full = OSError(28, "No space left on device", str(tmp_path / "data" / "dti.sqlite-wal"))
    assert db.classify(full, url).reason == "disk_full"


@pytest.mark.parametrize("reason", db.REASONS)
def test_every_reason_says_what_happened_and_what_to_do_in_both_languages(reason):
    from dti.i18n import translations

    for key in (f"faults.{reason}", f"faults.fix_{reason}"):
        assert translations()[key]["vi"] and translations()[key]["en"], key
    fault = StorageUnavailable(reason, "/srv/dti/data/dti.sqlite")
    vi, en = fault.message("vi"), fault.message("en")
    assert "faults." not in vi + en and "{" not in vi + en
    assert "Không có gì được lưu." in vi and "Nothing was saved." in en
