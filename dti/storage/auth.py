"""Who is using the app: single-user local mode, local accounts (argon2 hashes), or OIDC via ``st.login``.

The mode follows the set-up, so one person on a laptop needs nothing: with no OIDC configured and no account
created yet, the app runs in single-user mode as the coordinator (and says so). Creating the first account
switches to local log-in. With ``[auth]`` in Streamlit's secrets, ``st.login`` identifies people by e-mail
and their role comes from an account of the same name (without a password). Streamlit is not imported here:
the UI passes in whether OIDC is configured and the e-mail it got.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Iterable
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from dti.roles import require_coordinator
from dti.storage import Actor, StorageError, Store

MIN_PASSWORD_LENGTH = 8
DEFAULT_LOGIN_HOURS = 8.0
SESSION_COOKIE = "dti_session"
SINGLE_USER = Actor("local", "coordinator", display_name="Người dùng trên máy này")
_hasher = PasswordHasher()
# Verifying against a real hash when the user does not exist keeps a wrong name as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def hash_password(password: str, username: str = "") -> str:
    """The argon2 hash of an acceptable password: at least MIN_PASSWORD_LENGTH characters, not blank, not
    one or two characters repeated (``aaaaaaaa``, ``abababab``), not the user name."""
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        raise StorageError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters", "short_password",
                           n=MIN_PASSWORD_LENGTH)
    if len(set(password)) < 3 or password.strip().lower() == username.strip().lower():
        raise StorageError("the password is too easy to guess (a repeated character or the user name)",
                           "trivial_password")
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
                   agency_id: int | None = None, display_name: str = "", by: Actor | None = None) -> int:
    """A local account (with a password) or an OIDC account (e-mail as user name, no password).

    User names are case-insensitive (stored in lower case), as e-mail addresses are. ``by``: who creates it
    (the app always says; only a coordinator may, once accounts exist).
    """
    if by is not None and store.user_count():
        require_coordinator(by, "accounts")
    if role != "coordinator" and store.user_count() == 0:
        # The first account ends single-user mode; without a coordinator nobody could assign or add accounts.
        raise StorageError("the first account must be a coordinator's; create yours first", "first_coordinator")
    hashed = hash_password(password, username) if password is not None else None
    return store.add_user(username.strip().lower(), role, password_hash=hashed, agency_id=agency_id,
                          display_name=display_name)


def _actor(user) -> Actor:
    return Actor(user.username, user.role, user.agency_id, user.display_name)


def account_actor(store: Store, username: str) -> Actor | None:
    """The actor of an account (None if there is none): the first coordinator, logged in as it is created."""
    user = store.user(username.strip().lower())
    return _actor(user) if user else None


class LoginThrottled(StorageError):
    """Too many failed log-ins for this user name or from this client: wait ``seconds`` before trying again."""

    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(f"too many failed log-ins; wait {seconds} seconds, then try again", "login_wait",
                         seconds=seconds)


class LoginThrottle:
    """Slows down guessing: after ``free`` failed log-ins for a user name (``free_per_client`` from one client
    address) each further attempt waits twice as long as the last, from ``first_delay`` seconds up to
    ``max_delay``. An attempt while waiting is refused unchecked and does not count; a correct log-in clears
    the user name's count (not the client's, or one's own account would reset guessing at others); a count
    is forgotten ``forget_after`` seconds after its last failure. In memory, per server process: the
    app is one process, and a restart forgetting the counts costs an attacker a restart per few guesses.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, free: int = 3, free_per_client: int = 10,
                 first_delay: float = 2.0, max_delay: float = 300.0, forget_after: float = 900.0):
        self.clock, self.free, self.free_per_client = clock, free, free_per_client
        self.first_delay, self.max_delay, self.forget_after = first_delay, max_delay, forget_after
        self._failures: dict[tuple[str, str], tuple[int, float]] = {}  # key → (count, time of the last failure)
        self._lock = threading.Lock()  # sessions log in from several threads

    @staticmethod
    def keys(username: str, client: str | None) -> list[tuple[str, str]]:
        keys = [("user", username.strip().lower())]
        return [*keys, ("client", client)] if client else keys

    def _delay(self, key: tuple[str, str], count: int) -> float:
        over = count - (self.free if key[0] == "user" else self.free_per_client)
        return 0.0 if over < 0 else min(self.first_delay * 2 ** over, self.max_delay)

    def wait(self, keys: Iterable[tuple[str, str]]) -> int:
        """Whole seconds to wait before the next attempt may be checked (0: go ahead)."""
        now = self.clock()
        longest = 0.0
        with self._lock:
            for key in keys:
                count, last = self._failures.get(key, (0, now))
                if now - last >= self.forget_after:
                    self._failures.pop(key, None)
                    continue
                longest = max(longest, last + self._delay(key, count) - now)
        return math.ceil(longest) if longest > 0 else 0

    def failed(self, keys: Iterable[tuple[str, str]]) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                count, last = self._failures.get(key, (0, now))
                self._failures[key] = (1 if now - last >= self.forget_after else count + 1, now)

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(("user", username.strip().lower()), None)


LOGIN_THROTTLE = LoginThrottle()


def authenticate(store: Store, username: str, password: str, client: str | None = None,
                 throttle: LoginThrottle = LOGIN_THROTTLE) -> Actor | None:
    """The actor for a correct local user name and password, else None (never says which one was wrong).

    ``client`` is the address the attempt comes from (None when unknown or local). Repeated failures for the
    user name or from the client raise LoginThrottled, without checking the password, until the wait is over.
    """
    keys = throttle.keys(username, client)
    if seconds := throttle.wait(keys):
        raise LoginThrottled(seconds)
    user = store.user(username.strip().lower()) if username.strip() else None
    if user is None or not user.password_hash:
        verify_password(_DUMMY_HASH, password)
        throttle.failed(keys)
        return None
    if not verify_password(user.password_hash, password) or user.disabled:
        # A disabled account answers like a wrong password: a guesser learns nothing from it.
        throttle.failed(keys)
        return None
    throttle.succeeded(username)
    return _actor(user)


def actor_for_email(store: Store, email: str | None) -> Actor | None:
    """The actor of an OIDC identity: the account named by its e-mail, None if the coordinator has not made one."""
    if not email:
        return None
    user = store.user(email.strip().lower())
    return _actor(user) if user else None


def reset_password(store: Store, actor: Actor, username: str, password: str) -> None:
    """The coordinator gives an account a new password (checked, hashed; the account's log-ins end)."""
    store.set_password_hash(actor, username, hash_password(password, username))


def login_lifetime(setting: object = None) -> timedelta:
    """How long a log-in lasts: ``login_hours`` from the app's settings (Streamlit secrets, passed in), else
    DTI_LOGIN_HOURS, else 8 hours. A value that is not a positive number of hours is refused at start."""
    raw = setting if setting not in (None, "") else os.environ.get("DTI_LOGIN_HOURS", "")
    if raw in (None, ""):
        return timedelta(hours=DEFAULT_LOGIN_HOURS)
    try:
        hours = float(str(raw).replace(",", "."))
    except ValueError:
        hours = -1.0
    if not (0 < hours <= 24 * 90):
        raise ValueError(f"login_hours must be a number of hours above 0 and at most 2160, not {raw!r}")
    return timedelta(hours=hours)


def session_actor(store: Store, *, token: str | None = None, session_id: int | None = None
                  ) -> tuple[Actor, int] | None:
    """The actor of a lasting log-in (the cookie's token, or the session id a tab keeps) and its session id;
    None when it ended (log-out everywhere), expired or the account was disabled. The role and agency are
    read afresh, so a change by the coordinator applies at the user's next action."""
    found = store.session_user(token=token, session_id=session_id)
    return (_actor(found[0]), found[1]) if found else None
