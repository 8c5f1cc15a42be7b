"""Storage faults on PostgreSQL, injected for real on a server of this module's own (tests/pg.py), so stopping
it mid-session disturbs no other test: each fault raises StorageUnavailable with its reason and the Vietnamese
message, within seconds (connect and lock waits are bounded), leaves the database unchanged, and the same Store
works again once the fault is gone.
"""

from __future__ import annotations

import hashlib
import itertools
import shutil
import socket
import subprocess
import time

import psycopg
import pytest
from pg import PostgresServer, _free_port

from dti.storage import Actor, StorageUnavailable, Store, db

pytestmark = pytest.mark.postgres
COORD = Actor("coord", "coordinator")
_names = itertools.count(1)
BOUND = db.CONNECT_TIMEOUT_SECONDS + db.LOCK_WAIT_SECONDS + 3  # seconds, whatever the fault


def _rows(srv: PostgresServer, url: str) -> list[tuple]:
    """Every stored answer, read with plain psycopg (not through the store under test)."""
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"host=127.0.0.1 port={srv.port} user=postgres dbname={name}") as conn:
        return conn.execute("SELECT component_code, value #>> '{}', version FROM response "
                            "ORDER BY component_code").fetchall()


def _fails_with(reason: str, call) -> StorageUnavailable:
    started = time.monotonic()
    with pytest.raises(StorageUnavailable) as caught:
        call()
    elapsed = time.monotonic() - started
    assert elapsed < BOUND, f"took {elapsed:.1f} s"
    fault = caught.value
    assert fault.reason == reason, (fault.reason, fault.detail)
    assert "Không có gì được lưu." in fault.message("vi") and "Nothing was saved." in fault.message("en")
    assert "password" not in fault.where
    return fault


@pytest.fixture
def opened(own_postgres, fw_all_rules):
    url = own_postgres.new_database()
    store = Store.open(url, frameworks={fw_all_rules.id: fw_all_rules}.__getitem__)
    a = store.assessment("all-rules", 2025, 1)
    first = store.save_response(COORD, a.id, "2.2", 0, value="có")
    yield store, url, a, first
    store.close()


def test_a_server_stopped_mid_session_is_reported_and_the_store_reconnects_when_it_is_back(own_postgres, opened):
    store, url, a, first = opened
    before = _rows(own_postgres, url)
    own_postgres.stop_server()
    try:
        fault = _fails_with("unreachable", lambda: store.save_response(COORD, a.id, "2.2", first.version,
                                                                       value="không"))
        assert "Không kết nối được máy chủ" in fault.message("vi") and f"{own_postgres.port}" in fault.message("vi")
        _fails_with("unreachable", lambda: store.stored(a.id))  # reading says the same, no traceback
    finally:
        own_postgres.start_server()
    assert _rows(own_postgres, url) == before
    assert store.save_response(COORD, a.id, "2.2", first.version, value="không").version == 2  # no restart
    assert _rows(own_postgres, url) == [("2.2", "không", 2)]


def test_an_unreachable_port_a_wrong_database_and_a_wrong_url_are_told_apart(own_postgres, fw_all_rules):
    port = _free_port()
    fault = _fails_with("unreachable", lambda: Store.open(f"postgresql://postgres@127.0.0.1:{port}/dti"))
    assert f"127.0.0.1:{port}/dti" in fault.message("vi")
    fault = _fails_with("wrong_database", lambda: Store.open(own_postgres.url("khong_co_csdl_nay")))
    assert "khong_co_csdl_nay" in fault.message("vi") and "DTI_DATABASE_URL" in fault.message("vi")
    for wrong in ("postgresql://postgres@127.0.0.1:cong/dti", "khong-phai-url", "mysql://a@b/c",
                  f"postgresql://ai_do:mat-khau-bi-mat@127.0.0.1:{own_postgres.port}/postgres",
                  "postgresql://postgres@may-chu-khong-co.invalid/dti"):
        fault = _fails_with("bad_url", lambda url=wrong: Store.open(url))
        assert "mat-khau-bi-mat" not in fault.message("vi") + fault.message("en") + str(fault)  # str: the log
        assert "postgresql://người_dùng:mật_khẩu@máy_chủ:cổng/tên_cơ_sở_dữ_liệu" in fault.message("vi")


def test_a_row_locked_by_another_session_is_waited_for_seconds_then_reported(own_postgres, opened):
    store, url, a, first = opened
    before = _rows(own_postgres, url)
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"host=127.0.0.1 port={own_postgres.port} user=postgres dbname={name}") as other:
        other.execute("LOCK TABLE response IN ACCESS EXCLUSIVE MODE")  # e.g. a long maintenance job
        fault = _fails_with("locked", lambda: store.save_response(COORD, a.id, "2.2", first.version, value="không"))
        assert f"{db.LOCK_WAIT_SECONDS} giây" in fault.message("vi")
        other.rollback()
    assert _rows(own_postgres, url) == before
    assert store.save_response(COORD, a.id, "2.2", first.version, value="không").version == 2


def test_a_read_only_database_refuses_the_save_then_saves_once_writable(own_postgres, opened):
    store, url, a, first = opened
    before = _rows(own_postgres, url)
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"host=127.0.0.1 port={own_postgres.port} user=postgres dbname=postgres",
                         autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        store.engine.dispose()  # settings apply to new connections (as after a fail-over to a standby)
        fault = _fails_with("read_only", lambda: store.save_response(COORD, a.id, "2.2", first.version,
                                                                     value="không"))
        assert "chỉ cho đọc" in fault.message("vi")
        assert store.stored(a.id)["2.2"].value == "có"
        admin.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
    store.engine.dispose()
    assert _rows(own_postgres, url) == before
    assert store.save_response(COORD, a.id, "2.2", first.version, value="không").version == 2


def test_a_server_that_accepts_but_never_answers_is_given_up_after_the_connect_timeout():
    # A host that swallows packets, a hung server or a firewall: the TCP handshake succeeds (the kernel's backlog)
    # and nothing ever answers. Without a connect timeout libpq waits for ever and so does the page.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        started = time.monotonic()
        fault = _fails_with("unreachable", lambda: Store.open(f"postgresql://postgres@127.0.0.1:{port}/dti"))
        assert time.monotonic() - started >= db.CONNECT_TIMEOUT_SECONDS - 1  # it did wait, for the bound only
    assert f"127.0.0.1:{port}/dti" in fault.message("vi")


def test_a_full_disk_under_the_database_refuses_the_save_then_saves_once_space_is_freed(own_postgres, fw_all_rules):
    # The database's tables on a small tmpfs of their own (a tablespace); the server's WAL stays elsewhere, so a
    # full disk is an ERROR (53100 "could not extend file"), as when a data disk fills.
    name = f"dti_full_{next(_names)}"
    disk = own_postgres.tmp / name  # where the own_postgres's user may go (pytest's own temp folder is private)
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("mounting a small tmpfs needs root; the SQLite test fills a disk without it")
    try:
        if own_postgres._as_postgres:
            shutil.chown(disk, "postgres", "postgres")
        with psycopg.connect(f"host=127.0.0.1 port={own_postgres.port} user=postgres dbname=postgres",
                             autocommit=True) as admin:
            admin.execute(f"CREATE TABLESPACE {name} LOCATION '{disk}'")
            admin.execute(f'CREATE DATABASE "{name}" TABLESPACE {name}')
        url = own_postgres.url(name)
        store = Store.open(url, frameworks={fw_all_rules.id: fw_all_rules}.__getitem__)
        a = store.assessment("all-rules", 2025, 1)
        first = store.save_response(COORD, a.id, "2.2", 0, value="có")
        before = _rows(own_postgres, url)
        ballast = disk / "ballast"
        with open(ballast, "wb", buffering=0) as fh:
            try:
                while True:
                    fh.write(b"\0" * 4096)
            except OSError:
                pass
        # 4,800 characters (below the evidence limit) that do not compress: stored out of line, in new pages
        evidence = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(75))
        fault = _fails_with("disk_full", lambda: store.save_response(COORD, a.id, "2.2", first.version,
                                                                     value="không", evidence=evidence))
        assert "đã đầy" in fault.message("vi")
        ballast.unlink()
        assert _rows(own_postgres, url) == before
        assert store.save_response(COORD, a.id, "2.2", first.version, value="không", evidence=evidence).version == 2
        store.close()
        with psycopg.connect(f"host=127.0.0.1 port={own_postgres.port} user=postgres dbname=postgres",
                             autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}"')
            admin.execute(f"DROP TABLESPACE {name}")
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
