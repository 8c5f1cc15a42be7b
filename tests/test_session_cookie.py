"""The cookie routes of serve.py (ui/session_cookie.py), called with Starlette requests: the cookie is
HttpOnly and set only for a valid one-time handoff, log-out clears it and ends the log-ins, and the address to
go to afterwards never leaves the app."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from dti.storage import Store, auth
from ui import session_cookie


@pytest.fixture
def client(tmp_path, monkeypatch):
    """(call(path, params, cookie) → response of the route, store)."""
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    monkeypatch.setenv("DTI_DATABASE_URL", url)
    store = Store.open(url)
    auth.create_account(store, "dieuphoi", "coordinator", "mật-khẩu-điều-phối")
    session_cookie._store.cache_clear()
    # routes() marks the process as serving them: undone after the test, else in-process AppTests would redirect.
    monkeypatch.setattr(session_cookie, "ROUTES_MOUNTED", False)
    handlers = {route.path: route.endpoint for route in session_cookie.routes()}

    def call(path: str, params: dict | None = None, cookie: str = ""):
        headers = [(b"cookie", f"{auth.SESSION_COOKIE}={cookie}".encode())] if cookie else []
        return handlers[path](Request({"type": "http", "method": "GET", "path": path, "headers": headers,
                                       "query_string": urlencode(params or {}).encode(), "scheme": "http",
                                       "server": ("127.0.0.1", 8501)}))

    yield call, store
    session_cookie._store.cache_clear()
    store.close()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x",
                                    "scenarios", ""])
def test_the_address_after_the_log_in_stays_in_the_app(target):
    assert session_cookie.safe_next(target) == "/"


def test_a_local_address_with_its_parameters_is_kept():
    assert session_cookie.safe_next("/scenarios?scn=A&sc=1.1%3A5") == "/scenarios?scn=A&sc=1.1%3A5"


def test_a_valid_handoff_sets_an_http_only_cookie_once_and_log_out_clears_it(client):
    call, store = client
    _sid, handoff = store.start_login_session("dieuphoi", timedelta(hours=8))
    response = call(session_cookie.SESSION_PATH, {"h": handoff, "next": "/coordinator"})
    assert response.status_code == 303 and response.headers["location"] == "/coordinator"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{auth.SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    token = cookie.split(";", 1)[0].split("=", 1)[1]
    assert auth.session_actor(store, token=token)[0].username == "dieuphoi"

    again = call(session_cookie.SESSION_PATH, {"h": handoff, "next": "https://evil.example/"})
    assert again.headers["location"] == "/" and "set-cookie" not in again.headers

    out = call(session_cookie.LOGOUT_PATH, cookie=token)
    assert out.status_code == 303 and f'{auth.SESSION_COOKIE}=""' in out.headers["set-cookie"]
    assert auth.session_actor(store, token=token) is None  # ended everywhere
