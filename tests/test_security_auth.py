"""Log-in throttling per user name and per client, and no account statement's parameters in a log (issue 11)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from dti.storage import Store, auth
from dti.storage.auth import LoginThrottle, LoginThrottled

PASSWORD = "đúng-mật-khẩu-dài"


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path, fw_all_rules):
    s = Store.open(f"sqlite:///{tmp_path / 'a.sqlite'}", frameworks={fw_all_rules.id: fw_all_rules}.__getitem__)
    auth.create_account(s, "dieuphoi", "coordinator", PASSWORD)
    yield s
    s.close()


def test_thirty_quick_wrong_passwords_then_the_right_one_is_made_to_wait(store):
    clock = FakeClock()
    throttle = LoginThrottle(clock)
    refused = 0
    for _ in range(30):  # one guess a second, as in the report
        try:
            assert auth.authenticate(store, "dieuphoi", "sai-mật-khẩu", client="10.0.0.9", throttle=throttle) is None
        except LoginThrottled:
            refused += 1
        clock.now += 1
    assert refused >= 20  # most guesses never reached the password check
    with pytest.raises(LoginThrottled) as waiting:
        auth.authenticate(store, "dieuphoi", PASSWORD, client="10.0.0.9", throttle=throttle)
    assert waiting.value.seconds > 0 and waiting.value.key == "login_wait"
    clock.now += waiting.value.seconds
    assert auth.authenticate(store, "dieuphoi", PASSWORD, client="10.0.0.9", throttle=throttle).role == "coordinator"


def test_delay_doubles_per_user_name_and_a_correct_log_in_clears_it(store):
    clock = FakeClock()
    throttle = LoginThrottle(clock, free=3, first_delay=2, max_delay=60)
    for _ in range(3):
        assert auth.authenticate(store, "DieuPhoi ", "sai", throttle=throttle) is None  # name as typed
    keys = throttle.keys("dieuphoi", None)
    assert throttle.wait(keys) == 2
    clock.now += 2
    assert auth.authenticate(store, "dieuphoi", "sai", throttle=throttle) is None
    assert throttle.wait(keys) == 4
    clock.now += 4
    assert auth.authenticate(store, "dieuphoi", PASSWORD, throttle=throttle) is not None
    assert throttle.wait(keys) == 0


def test_an_attempt_while_waiting_is_refused_unchecked_and_does_not_count(store):
    clock = FakeClock()
    throttle = LoginThrottle(clock, free=1, first_delay=10)
    auth.authenticate(store, "dieuphoi", "sai", throttle=throttle)
    for _ in range(5):
        with pytest.raises(LoginThrottled, match="wait 10 seconds"):
            auth.authenticate(store, "dieuphoi", PASSWORD, throttle=throttle)
    clock.now += 10
    assert auth.authenticate(store, "dieuphoi", PASSWORD, throttle=throttle) is not None


def test_one_client_guessing_many_user_names_is_slowed_down(store):
    clock = FakeClock()
    throttle = LoginThrottle(clock, free=3, free_per_client=5, first_delay=2)
    for i in range(5):  # each user name fails once only: only the client's count grows
        assert auth.authenticate(store, f"nguoi-{i}", "sai", client="203.0.113.7", throttle=throttle) is None
    with pytest.raises(LoginThrottled):
        auth.authenticate(store, "dieuphoi", PASSWORD, client="203.0.113.7", throttle=throttle)
    # Another client is not slowed down by this one.
    assert auth.authenticate(store, "dieuphoi", PASSWORD, client="198.51.100.2", throttle=throttle) is not None


def test_failures_are_forgotten_after_a_quiet_while(store):
    clock = FakeClock()
    throttle = LoginThrottle(clock, free=1, first_delay=100, forget_after=900)
    auth.authenticate(store, "dieuphoi", "sai", throttle=throttle)
    assert throttle.wait(throttle.keys("dieuphoi", None)) == 100
    clock.now += 900
    assert throttle.wait(throttle.keys("dieuphoi", None)) == 0


def test_login_page_says_to_wait(tmp_path, monkeypatch):
    from tests.apptest_support import isolate, open_page

    isolate(tmp_path, monkeypatch)
    s = Store.open(f"sqlite:///{tmp_path / 'dti.sqlite'}")
    auth.create_account(s, "dieuphoi", "coordinator", PASSWORD)
    s.close()
    at = open_page("login")
    messages = []
    for _ in range(auth.LOGIN_THROTTLE.free + 1):
        at.text_input[0].set_value("dieuphoi")
        at.text_input[1].set_value("sai-mật-khẩu")
        at.button[0].click().run()
        messages += [e.value for e in [*at.error, *at.warning]]
    assert any("hãy chờ" in m and "giây rồi thử lại" in m for m in messages), messages
    at.text_input[1].set_value(PASSWORD)
    at.button[0].click().run()
    assert any("hãy chờ" in e.value for e in at.error)  # the right password waits too
    assert "actor" not in at.session_state


def test_a_failing_account_insert_logs_no_password_hash(tmp_path, caplog):
    s = Store.open(f"sqlite:///{tmp_path / 'a.sqlite'}")
    with s.engine.begin() as conn:  # an insert that fails for another reason than a taken name
        conn.execute(text("ALTER TABLE app_user RENAME TO app_user_elsewhere"))
    password_hash = auth.hash_password(PASSWORD)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # as if the server logged every statement
    try:
        with caplog.at_level(logging.DEBUG):
            with pytest.raises(Exception) as failed:
                s.add_user("dieuphoi", "coordinator", password_hash=password_hash)
            logging.getLogger("dti.app").exception("unexpected error in the app", exc_info=failed.value)
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
        s.close()
    assert password_hash not in str(failed.value)
    assert password_hash not in caplog.text and "$argon2" not in caplog.text
