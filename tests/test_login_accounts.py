"""Log-ins that last (server-side sessions, log-out everywhere) and account administration, enforced in Store.

Run on SQLite and on PostgreSQL (the ``store`` fixture of conftest.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from dti.storage import PermissionDenied, StorageError, auth

COORD_PASSWORD = "điều-phối-2026"


@pytest.fixture
def accounts(store):
    """A coordinator, an agency account and a viewer; returns (coordinator actor, agency id)."""
    auth.create_account(store, "dieuphoi", "coordinator", COORD_PASSWORD)
    coordinator = auth.authenticate(store, "dieuphoi", COORD_PASSWORD)
    agency = store.add_agency(coordinator, "Sở Y tế")
    auth.create_account(store, "soyte", "agency", "y-tế-mật-khẩu", agency_id=agency)
    auth.create_account(store, "xem", "viewer", "chỉ-xem-thôi")
    return coordinator, agency


def _cookie_token(store, username: str, hours: float = 8) -> tuple[int, str]:
    session_id, handoff = store.start_login_session(username, timedelta(hours=hours))
    token, _expires = store.claim_handoff(handoff)
    return session_id, token


def test_a_session_token_logs_in_until_log_out_everywhere(store, accounts):
    first_tab, token = _cookie_token(store, "soyte")
    second_browser, other_token = _cookie_token(store, "soyte")
    actor, session_id = auth.session_actor(store, token=token)
    assert (actor.username, actor.role, session_id) == ("soyte", "agency", first_tab)
    assert auth.session_actor(store, session_id=second_browser)[0].username == "soyte"
    assert store.accounts()[1].last_login_at is not None  # sorted: dieuphoi, soyte, xem
    assert store.end_login_sessions("soyte") == 2
    assert auth.session_actor(store, token=token) is None
    assert auth.session_actor(store, token=other_token) is None
    assert auth.session_actor(store, session_id=first_tab) is None


def test_a_handoff_is_used_once_and_a_token_is_not_stored_in_clear(store, accounts):
    _session_id, handoff = store.start_login_session("xem", timedelta(hours=8))
    token, expires = store.claim_handoff(handoff)
    assert store.claim_handoff(handoff) is None  # a second use (e.g. from the browser's history)
    assert store.claim_handoff("made-up") is None
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT token_hash, handoff_hash FROM login_session").all()
    assert token not in str(stored) and handoff not in str(stored)


def test_a_late_handoff_or_an_expired_session_logs_nobody_in(store, accounts):
    _sid, late = store.start_login_session("xem", timedelta(hours=8), handoff_ttl=timedelta(seconds=-1))
    assert store.claim_handoff(late) is None
    sid, handoff = store.start_login_session("xem", timedelta(hours=-0.001))  # expired already
    assert store.claim_handoff(handoff) is None
    assert auth.session_actor(store, session_id=sid) is None


def test_the_login_lifetime_comes_from_the_settings(monkeypatch):
    monkeypatch.delenv("DTI_LOGIN_HOURS", raising=False)
    assert auth.login_lifetime() == timedelta(hours=8)
    assert auth.login_lifetime("0,5") == timedelta(minutes=30)
    monkeypatch.setenv("DTI_LOGIN_HOURS", "12")
    assert auth.login_lifetime() == timedelta(hours=12)
    with pytest.raises(ValueError, match="login_hours"):
        auth.login_lifetime("tám")


def test_the_coordinator_lists_accounts_without_their_passwords(store, accounts):
    listed = {a.username: a for a in store.accounts()}
    assert set(listed) == {"dieuphoi", "soyte", "xem"}
    assert listed["soyte"].agency_name == "Sở Y tế" and listed["soyte"].role == "agency"
    assert listed["xem"].last_login_at is None and not listed["xem"].disabled
    assert "y-tế-mật-khẩu" not in repr(store.accounts()) and "argon2" not in repr(store.accounts())


def test_reset_password_ends_the_old_log_ins_and_refuses_trivial_ones(store, accounts):
    coordinator, _agency = accounts
    _sid, token = _cookie_token(store, "soyte")
    for bad in ("", "        ", "ngắn", "aaaaaaaaaa", "abababab", "soyte"):
        with pytest.raises(StorageError):
            auth.reset_password(store, coordinator, "soyte", bad)
    assert auth.authenticate(store, "soyte", "y-tế-mật-khẩu") is not None  # unchanged by the refusals
    auth.reset_password(store, coordinator, "soyte", "mật-khẩu-mới-2026")
    assert auth.authenticate(store, "soyte", "y-tế-mật-khẩu") is None
    assert auth.authenticate(store, "soyte", "mật-khẩu-mới-2026").username == "soyte"
    assert auth.session_actor(store, token=token) is None


def test_disable_enable_and_role_changes_apply_at_the_next_action(store, accounts):
    coordinator, agency = accounts
    _sid, token = _cookie_token(store, "xem")
    store.update_account(coordinator, "xem", role="agency", agency_id=agency)
    actor, _ = auth.session_actor(store, token=token)
    assert (actor.role, actor.agency_id) == ("agency", agency)
    store.update_account(coordinator, "xem", disabled=True)
    assert auth.session_actor(store, token=token) is None
    assert auth.authenticate(store, "xem", "chỉ-xem-thôi") is None
    store.update_account(coordinator, "xem", disabled=False, role="viewer")
    assert auth.authenticate(store, "xem", "chỉ-xem-thôi").role == "viewer"
    assert store.accounts()[2].agency_id is None  # a viewer holds no agency


def test_an_agency_account_needs_its_agency_and_the_last_coordinator_stays(store, accounts):
    coordinator, _agency = accounts
    with pytest.raises(ValueError, match="agency"):
        store.update_account(coordinator, "xem", role="agency")
    with pytest.raises(StorageError, match="last coordinator"):
        store.update_account(coordinator, "dieuphoi", disabled=True)
    with pytest.raises(StorageError, match="last coordinator"):
        store.update_account(coordinator, "dieuphoi", role="viewer")
    with pytest.raises(StorageError, match="no account"):
        store.update_account(coordinator, "không-có", disabled=True)


def test_only_the_coordinator_administers_accounts_and_agencies(store, accounts):
    _coordinator, agency = accounts
    agency_actor = auth.authenticate(store, "soyte", "y-tế-mật-khẩu")
    viewer = auth.authenticate(store, "xem", "chỉ-xem-thôi")
    for who in (agency_actor, viewer):
        with pytest.raises(PermissionDenied):
            store.update_account(who, "xem", disabled=True)
        with pytest.raises(PermissionDenied):
            auth.reset_password(store, who, "dieuphoi", "chiếm-quyền-2026")
        with pytest.raises(PermissionDenied):
            store.update_agency(who, agency, "Sở Y tế (mới)", "department")
    assert auth.authenticate(store, "dieuphoi", COORD_PASSWORD) is not None


def test_the_coordinator_renames_an_agency_and_changes_its_kind(store, accounts):
    coordinator, agency = accounts
    other = store.add_agency(coordinator, "UBND huyện A")
    store.update_agency(coordinator, agency, "  Sở Y tế tỉnh ", "other")
    assert [(a.name, a.kind) for a in store.agencies() if a.id == agency] == [("Sở Y tế tỉnh", "other")]
    with pytest.raises(StorageError, match="exists already"):
        store.update_agency(coordinator, other, "Sở Y tế tỉnh", "district")
    with pytest.raises(StorageError, match="needs a name"):
        store.update_agency(coordinator, other, "   ", "district")


def test_only_a_coordinator_creates_accounts_once_there_are_some(store, accounts):
    _coordinator, _agency = accounts
    agency_actor = auth.authenticate(store, "soyte", "y-tế-mật-khẩu")
    with pytest.raises(PermissionDenied):
        auth.create_account(store, "moi", "coordinator", "chiếm-quyền-2026", by=agency_actor)
    assert store.user("moi") is None
