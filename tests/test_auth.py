"""Accounts and modes: single-user by default, argon2 local accounts, OIDC identities mapped to roles."""

from __future__ import annotations

import pytest

from dti.storage import Actor, PermissionDenied, StorageError, Store, auth


@pytest.fixture
def store(tmp_path, fw_all_rules):
    s = Store.open(f"sqlite:///{tmp_path / 'a.sqlite'}", frameworks={fw_all_rules.id: fw_all_rules}.__getitem__)
    yield s
    s.close()


def test_single_user_until_the_first_account_then_local_and_oidc_when_configured(store):
    assert auth.mode(store) == "single"
    assert auth.SINGLE_USER.role == "coordinator"
    auth.create_account(store, "dieuphoi", "coordinator", "mật-khẩu-dài")
    assert auth.mode(store) == "local"
    assert auth.mode(store, oidc_configured=True) == "oidc"


def test_the_first_account_must_be_a_coordinator(store):
    with pytest.raises(StorageError, match="first account must be a coordinator"):
        auth.create_account(store, "xem", "viewer", "đủ-dài-rồi")
    assert auth.mode(store) == "single"


def test_passwords_are_stored_as_argon2_hashes_and_checked(store):
    auth.create_account(store, "dieuphoi", "coordinator", "mật-khẩu-dài")
    agency = store.add_agency(auth.SINGLE_USER, "Sở Giáo dục và Đào tạo")
    auth.create_account(store, "sogd", "agency", "đúng-mật-khẩu", agency_id=agency)
    stored = store.user("sogd").password_hash
    assert stored.startswith("$argon2id$") and "đúng-mật-khẩu" not in stored
    assert auth.authenticate(store, "sogd", "đúng-mật-khẩu") == Actor("sogd", "agency", agency, "sogd")
    assert auth.authenticate(store, "sogd", "sai-mật-khẩu") is None
    assert auth.authenticate(store, "không-có", "đúng-mật-khẩu") is None
    assert auth.authenticate(store, "", "") is None


def test_a_short_password_or_taken_name_is_refused(store):
    auth.create_account(store, "dieuphoi", "coordinator", "mật-khẩu-dài")
    with pytest.raises(StorageError, match="at least 8 characters"):
        auth.create_account(store, "a", "viewer", "ngắn")
    auth.create_account(store, "a", "viewer", "đủ-dài-rồi")
    with pytest.raises(StorageError, match="taken"):
        auth.create_account(store, "a", "viewer", "đủ-dài-rồi")


def test_oidc_identity_gets_the_role_of_its_account_and_none_without_one(store):
    auth.create_account(store, "dieuphoi@tinh.gov.vn", "coordinator")
    auth.create_account(store, "Xem@Tinh.gov.vn", "viewer")
    viewer = auth.actor_for_email(store, "xem@tinh.gov.VN")
    assert viewer.role == "viewer" and viewer.username == "xem@tinh.gov.vn"
    assert auth.actor_for_email(store, "la@tinh.gov.vn") is None
    assert auth.authenticate(store, "xem@tinh.gov.vn", "") is None  # an OIDC account has no password
    a = store.assessment("all-rules", 2025, 1)
    with pytest.raises(PermissionDenied):
        store.save_response(viewer, a.id, "1.1", 0, value="full")
