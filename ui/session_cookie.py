"""The HttpOnly cookie that makes a local log-in last across refreshes and tabs.

A Streamlit page cannot set an HttpOnly cookie: it talks to the browser over a WebSocket, and a cookie set by
JavaScript is readable by any script on the page. So ``serve.py`` mounts two plain HTTP routes next to the app
(``st.App(routes=…)``, Streamlit's ASGI entry point):

- ``/_dti/session?h=<handoff>&next=<page>``: exchanges the one-time handoff token a page got at log-in (usable
  once, for 60 s) for a session token, sets it as the ``dti_session`` cookie (HttpOnly, SameSite=Lax, Secure over
  HTTPS, expiring with the log-in) and redirects to the page the user asked for;
- ``/_dti/logout``: ends every log-in of the cookie's account (every tab and browser) and deletes the cookie.

Every run of the app reads the cookie (``st.context.cookies``) and checks its session in the database
(``Store.session_user``), so a log-out anywhere ends the other tabs at their next action. Run by plain
``streamlit run app.py`` (no routes), a log-in lasts for the tab only, as before; ``ROUTES_MOUNTED`` says which.
"""

from __future__ import annotations

import functools
import logging
import threading
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from dti.storage import Store, auth
from dti.storage import db as storage_db

log = logging.getLogger("dti.app")

SESSION_PATH = "/_dti/session"
LOGOUT_PATH = "/_dti/logout"
ROUTES_MOUNTED = False  # set by routes(): the server serving this process has the cookie routes
_lock = threading.Lock()


def safe_next(target: str | None) -> str:
    """A path of this app to go to after the log-in; anything else (another site, ``//host``) becomes ``/``."""
    target = (target or "/").strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def session_url(base_path: str, handoff: str, next_path: str) -> str:
    return f"{_prefix(base_path)}{SESSION_PATH}?{urlencode({'h': handoff, 'next': next_path})}"


def logout_url(base_path: str) -> str:
    return f"{_prefix(base_path)}{LOGOUT_PATH}"


def _prefix(base_path: str) -> str:
    base_path = (base_path or "").strip("/")
    return f"/{base_path}" if base_path else ""


@functools.cache
def _store(url: str) -> Store:
    return Store.open(url)


def _route_store() -> Store:
    import streamlit as st  # the settings live in Streamlit's secrets, as for the app itself

    try:
        secret = st.secrets.get("database_url")
    except Exception:  # no secrets.toml
        secret = None
    with _lock:
        return _store(storage_db.database_url(secret))


def routes() -> list:
    """The two routes for ``st.App(routes=…)``."""
    from starlette.responses import RedirectResponse
    from starlette.routing import Route

    global ROUTES_MOUNTED
    ROUTES_MOUNTED = True

    def start(request):
        target = safe_next(request.query_params.get("next"))
        response = RedirectResponse(target, status_code=303)
        try:
            claimed = _route_store().claim_handoff(request.query_params.get("h", ""))
        except Exception:  # the database is down: the page says so; the log-in lasts for the tab only
            log.exception("could not set the log-in cookie")
            return response
        if claimed is not None:
            token, expires = claimed
            response.set_cookie(auth.SESSION_COOKIE, token, max_age=max(int((expires - datetime.now(UTC))
                                                                            .total_seconds()), 0),
                                path="/", httponly=True, samesite="lax", secure=request.url.scheme == "https")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"  # the handoff is not passed on
        return response

    def end(request):
        token = request.cookies.get(auth.SESSION_COOKIE)
        if token:
            try:
                store = _route_store()
                if found := store.session_user(token=token):
                    store.end_login_sessions(found[0].username)
            except Exception:
                log.exception("could not end the log-ins of a cookie")
        response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
        response.delete_cookie(auth.SESSION_COOKIE, path="/", httponly=True, samesite="lax")
        response.headers["Cache-Control"] = "no-store"
        return response

    return [Route(SESSION_PATH, start, methods=["GET"]), Route(LOGOUT_PATH, end, methods=["GET"])]
