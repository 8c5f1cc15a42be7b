"""Who is using the app: single-user local mode, local accounts (argon2 hashes), or OIDC via ``st.login``.

The mode follows the set-up, so one person on a laptop needs nothing: with no OIDC configured and no account
created yet, the app runs in single-user mode as the coordinator (and says so). Creating the first account
switches to local log-in. With ``[auth]`` in Streamlit's secrets, ``st.login`` identifies people by e-mail
and their role comes from an account of the same name (without a password). Streamlit is not imported here:
the UI passes in whether OIDC is configured and the e-mail it got.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from dti.storage import Actor, StorageError, Store

MIN_PASSWORD_LENGTH = 8
SINGLE_USER = Actor("local", "coordinator", display_name="Người dùng trên máy này")
_hasher = PasswordHasher()
# Verifying against a real hash when the user does not exist keeps a wrong name as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StorageError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters", "short_password",
                           n=MIN_PASSWORD_LENGTH)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def mode(store: Store, oidc_configured: bool = False) -> str:
    """'oidc' when st.login is configured, 'local' once an account exists, else 'single'."""
    if oidc_configured:
        return "oidc"
    return "local" if store.user_count() else "single"


def create_account(store: Store, username: str, role: str, password: str | None = None,
                   agency_id: int | None = None, display_name: str = "") -> int:
    """A local account (with a password) or an OIDC account (e-mail as user name, no password).

    User names are case-insensitive (stored in lower case), as e-mail addresses are.
    """
    if role != "coordinator" and store.user_count() == 0:
        # The first account ends single-user mode; without a coordinator nobody could assign or add accounts.
        raise StorageError("the first account must be a coordinator's; create yours first", "first_coordinator")
    hashed = hash_password(password) if password is not None else None
    return store.add_user(username.strip().lower(), role, password_hash=hashed, agency_id=agency_id,
                          display_name=display_name)


def _actor(user) -> Actor:
    return Actor(user.username, user.role, user.agency_id, user.display_name)


def authenticate(store: Store, username: str, password: str) -> Actor | None:
    """The actor for a correct local user name and password, else None (never says which one was wrong)."""
    user = store.user(username.strip().lower()) if username.strip() else None
    if user is None or not user.password_hash:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    return _actor(user)


def actor_for_email(store: Store, email: str | None) -> Actor | None:
    """The actor of an OIDC identity: the account named by its e-mail, None if the coordinator has not made one."""
    if not email:
        return None
    user = store.user(email.strip().lower())
    return _actor(user) if user else None
