"""The current assessment: which edition is being scored and the responses entered so far.

EVERY read and write of the assessment goes through this module, so that storage can change without
touching the pages. Answers live in the database (``dti.storage``; a SQLite file by default): every change
is saved at once, so a refresh, a closed tab or a server restart loses nothing. A save based on an older
version than the stored one (someone else saved meanwhile) is refused with the other value, and the form
then shows the stored value; an agency's save of a component not assigned to it is refused the same way.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import streamlit as st
from streamlit.errors import StreamlitAPIException

from dti.framework import registry
from dti.framework.model import Framework
from dti.framework.validation import Problem
from dti.i18n import fmt_points, t
from dti.scoring.engine import InputProblems, Response
from dti.storage import (
    Actor,
    AssessmentInfo,
    ConflictError,
    PermissionDenied,
    StorageUnavailable,
    Store,
    StoredResponse,
    auth,
)
from dti.storage import db as storage_db
from dti.storage.repo import UnreadableAnswer
from ui import forms
from ui import lang as ui_lang
from ui.memo import memo

EDITION_KEY = "edition_id"
ACTOR_KEY = "actor"  # the logged-in Actor (local accounts); single-user and OIDC modes derive it
LOGIN_SESSION_KEY = "login_session"  # id of the lasting log-in (dti.storage login_session) of this tab
LOGIN_NEXT_KEY = "login_next"  # the page (path and query) asked for before logging in
LOGIN_PAGES_KEY = "login_pages"  # in ui.memo: url path → the logged-out stand-in page of that address
LOGIN_CHECK_SECONDS = 1.0  # how often a tab re-reads its log-in (ended elsewhere? role changed?)
PERIOD_KEY = "period"  # (year, quarter) being assessed
# Remembered per session in ui.memo's single session-state entry (see there why).
ASSESSMENT_KEY = "assessment"  # ((url, edition, year, quarter), AssessmentInfo) of the current period
DATABASE_URL_KEY = "database_url"  # resolved once per session
OIDC_KEY = "oidc"
SEEN_KEY = "seen_versions"  # (assessment id, code) → version of the answer the form was filled from
UNSAVED_KEY = "unsaved"  # code → the answer a storage fault kept from being saved, shown again until saved

log = logging.getLogger("dti.app")


def editions() -> tuple[dict[str, Framework], list[Problem]]:
    """Every valid edition under the frameworks folder and the problems of the others."""
    return _load_editions(str(registry.frameworks_dir()))


@st.cache_resource(show_spinner=False)
def _load_editions(folder: str) -> tuple[dict[str, Framework], list[Problem]]:
    # Keyed by folder so DTI_FRAMEWORKS_DIR (tests, a province's own editions) gets its own cache entry.
    return registry.load_all(Path(folder))


def reload_editions() -> None:
    """Forget the cached editions: a new edition file was saved."""
    _load_editions.clear()


def edition_ids() -> list[str]:
    """Edition ids, the default first, then newest year first."""
    found = editions()[0]
    return sorted(found, key=lambda i: (i != registry.DEFAULT_EDITION, -found[i].year, i))


def current_edition_id() -> str:
    chosen = st.session_state.get(EDITION_KEY)
    if chosen is not None and chosen in editions()[0]:  # asked several times per run: no sorting when valid
        return chosen
    ids = edition_ids()
    if chosen not in ids:
        chosen = registry.DEFAULT_EDITION if registry.DEFAULT_EDITION in ids else (ids[0] if ids else "")
        st.session_state[EDITION_KEY] = chosen
    return chosen


def set_edition(edition_id: str) -> None:
    st.session_state[EDITION_KEY] = edition_id
    _forget_widget_values()


def current_framework() -> Framework | None:
    """The edition being assessed, or None when no edition file is valid (the page says why)."""
    edition_id = current_edition_id()
    return editions()[0].get(edition_id)


# --- the database ---------------------------------------------------------------------------------


def database_url() -> str:
    """``database_url`` from Streamlit secrets, else DTI_DATABASE_URL, else the SQLite file in DTI_DATA_DIR.

    Looked up once per browser session: reading st.secrets searches the secrets files, and every read or save
    of an answer asks for the database.
    """
    remembered = memo()
    if DATABASE_URL_KEY not in remembered:
        try:
            secret = st.secrets.get("database_url")
        except Exception:  # no secrets.toml at all: the embedded default
            secret = None
        remembered[DATABASE_URL_KEY] = storage_db.database_url(secret)
    return remembered[DATABASE_URL_KEY]


def store() -> Store:
    """The database, opened (and migrated to the latest schema) once per server process."""
    return _open_store(database_url(), os.environ.get("DTI_FRAMEWORKS_DIR", ""))


@st.cache_resource(show_spinner=False)
def _open_store(url: str, frameworks_dir: str) -> Store:  # both are the cache key
    # A failed opening raises StorageUnavailable and st.cache_resource keeps nothing: the next run tries again,
    # so the app recovers by itself once the folder, the disk or the server is back.
    return Store.open(url, frameworks=_framework_for)


def fault_message(exc: StorageUnavailable, lang: str) -> str:
    """A storage fault as the pages show it (st.error renders Markdown: the file or server is shown literally)."""
    log.warning("storage unavailable: %s", exc)
    return exc.message(lang, where=re.sub(r"([\\`*_{}\[\]()#+\-.!|~<>$])", r"\\\1", exc.where))


def _framework_for(edition_id: str) -> Framework:
    found = editions()[0]
    return found[edition_id] if edition_id in found else registry.load(edition_id)


# --- who is working ------------------------------------------------------------------------------


def oidc_configured() -> bool:
    remembered = memo()
    if OIDC_KEY not in remembered:  # once per session, like database_url()
        try:
            remembered[OIDC_KEY] = "auth" in st.secrets
        except Exception:  # no secrets.toml: no OIDC
            remembered[OIDC_KEY] = False
    return remembered[OIDC_KEY]


def auth_mode() -> str:
    """'single' (one person on this computer), 'local' (accounts with passwords) or 'oidc' (st.login)."""
    if oidc_configured():
        return "oidc"
    return "local" if _account_count(database_url()) else "single"


@st.cache_data(ttl=3, show_spinner=False)
def _account_count(url: str) -> int:  # keyed by the database (a parameter without a leading underscore)
    # Asked on every read of an answer; a few seconds' cache keeps that off the database. The first account
    # created elsewhere ends single-user mode here within that time.
    return store().user_count()


def reset_account_count() -> None:
    """The first account was just made: log-in mode starts now, not after _account_count's few seconds."""
    _account_count.clear()


def current_actor() -> Actor | None:
    """Who is working now; None when they still have to log in.

    A local log-in is re-read from the database at most every LOGIN_CHECK_SECONDS: a log-out in another tab
    (log-out everywhere), a disabled account or a changed role applies at this tab's next action. A new tab
    or a refresh finds the log-in through the browser's HttpOnly cookie (see ui/session_cookie.py).
    """
    if ACTOR_KEY in st.session_state:
        session_id = st.session_state.get(LOGIN_SESSION_KEY)
        if session_id is None:  # single-user or OIDC, or a log-in made before lasting log-ins
            return st.session_state[ACTOR_KEY]
        checked = memo().get("login_checked")
        if checked and checked[0] == session_id and time.monotonic() - checked[1] < LOGIN_CHECK_SECONDS:
            return st.session_state[ACTOR_KEY]
        found = auth.session_actor(store(), session_id=session_id)
        if found is None:
            _forget_login()
            return None
        memo()["login_checked"] = (session_id, time.monotonic())
        if found[0] != st.session_state[ACTOR_KEY]:
            st.session_state[ACTOR_KEY] = found[0]
        return found[0]
    mode = auth_mode()
    if mode == "single":
        return auth.SINGLE_USER
    if mode == "oidc" and st.user.is_logged_in:
        return auth.actor_for_email(store(), st.user.get("email"))
    token = st.context.cookies.get(auth.SESSION_COOKIE) if mode == "local" else None
    if isinstance(token, str) and token:  # (AppTest has no real cookies)
        found = auth.session_actor(store(), token=token)
        if found is not None:
            log_in(*found)
            return found[0]
    return None


def login_lifetime():
    """How long a log-in lasts: ``login_hours`` in the app's settings (secrets.toml), else DTI_LOGIN_HOURS, else 8."""
    try:
        setting = st.secrets.get("login_hours")
    except Exception:  # no secrets.toml
        setting = None
    return auth.login_lifetime(setting)


def log_in(actor: Actor, session_id: int | None = None) -> None:
    st.session_state[ACTOR_KEY] = actor
    if session_id is not None:
        st.session_state[LOGIN_SESSION_KEY] = session_id
        memo()["login_checked"] = (session_id, time.monotonic())
    _forget_widget_values()


def start_lasting_login(actor: Actor) -> None:
    """After a correct password: record the log-in, then land on the page asked for before logging in.

    Served by serve.py the browser goes through the cookie route (the log-in then lasts across refreshes and
    tabs); served by app.py alone the log-in lasts for this tab. Either way the run ends here.
    """
    from ui import session_cookie

    session_id, handoff = store().start_login_session(actor.username, login_lifetime())
    log_in(actor, session_id)
    target = session_cookie.safe_next(st.session_state.pop(LOGIN_NEXT_KEY, None))
    if session_cookie.ROUTES_MOUNTED:
        _browser_to(session_cookie.session_url(_base_path(), handoff, _base_prefixed(target)))
        st.stop()
    path, _, query = target.partition("?")
    page = memo().get(LOGIN_PAGES_KEY, {}).get(path.strip("/"))
    if page is not None:  # the page asked for, with its parameters (the stand-in shares its address)
        try:
            st.switch_page(page, query_params=parse_qsl(query))
        except StreamlitAPIException:  # this run was not routed by app.py's navigation: stay where it is
            log.info("log-in without navigation: staying on the current page")
    st.rerun()


def log_out() -> None:
    """End this account's log-ins everywhere (every tab and browser), then forget it here."""
    from ui import session_cookie

    actor = st.session_state.get(ACTOR_KEY)
    if actor is not None and st.session_state.get(LOGIN_SESSION_KEY) is not None:
        store().end_login_sessions(actor.username)
    _forget_login()
    if session_cookie.ROUTES_MOUNTED and auth_mode() == "local":
        _browser_to(session_cookie.logout_url(_base_path()))  # the route deletes the HttpOnly cookie


def _forget_login() -> None:
    st.session_state.pop(ACTOR_KEY, None)
    st.session_state.pop(LOGIN_SESSION_KEY, None)
    memo().pop("login_checked", None)
    _forget_widget_values()


def current_address() -> str:
    """This page's path (without the server's base path) and query, e.g. ``/scenarios?scn=A&sc=1.1%3A5``."""
    path = urlsplit(st.context.url).path if isinstance(st.context.url, str) else "/"
    base = "/" + _base_path().strip("/")
    if base != "/" and path.startswith(base):
        path = path[len(base):] or "/"  # put back by _base_prefixed when the address is used
    params = st.query_params.to_dict()
    return (path or "/") + (f"?{urlencode(params)}" if params else "")


def _base_path() -> str:
    return st.get_option("server.baseUrlPath") or ""


def _base_prefixed(path: str) -> str:
    base = _base_path().strip("/")
    return f"/{base}{path}" if base else path


def _browser_to(url: str) -> None:
    """Send the browser to ``url`` (a path of this server), as st.login and st.logout do."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is not None:
        msg = ForwardMsg()
        msg.auth_redirect.url = url
        ctx.enqueue(msg)


# --- the period being assessed -------------------------------------------------------------------


def current_period() -> tuple[int, int]:
    """(year, quarter): the chosen one, else the latest period of the edition, else this quarter."""
    if PERIOD_KEY not in st.session_state:
        latest = store().latest_assessment(current_edition_id())
        today = date.today()
        st.session_state[PERIOD_KEY] = (latest.year, latest.quarter) if latest else (today.year,
                                                                                     (today.month - 1) // 3 + 1)
    return st.session_state[PERIOD_KEY]


def set_period(year: int, quarter: int) -> None:
    st.session_state[PERIOD_KEY] = (int(year), int(quarter))
    _forget_widget_values()


def current_assessment() -> AssessmentInfo:
    """The assessment of the current edition and period (created on first use).

    Every read of answers passes here, so a page opened by its URL without logging in (with accounts set up)
    shows a log-in message instead of the province's data.
    """
    if current_actor() is None:
        st.warning(t("auth.login_first", ui_lang.current()))
        st.stop()
    year, quarter = current_period()
    edition_id = current_edition_id()
    key = (database_url(), edition_id, year, quarter)
    found = memo().get(ASSESSMENT_KEY)
    if found is None or found[0] != key:  # looked up (or created) once per period, not on every read
        found = (key, store().assessment(edition_id, year, quarter))
        memo()[ASSESSMENT_KEY] = found
    return found[1]


# --- answers -------------------------------------------------------------------------------------


def get_responses() -> dict[str, Response]:
    """Responses of the current edition and period (a copy: change them through set_response)."""
    return store().responses(current_assessment().id)


def get_unreadable() -> dict[str, UnreadableAnswer]:
    """Stored answers the edition's current rules no longer read (kept, not scored, to be answered again)."""
    return store().unreadable(current_assessment().id)


def get_stored() -> dict[str, StoredResponse]:
    """The stored answers with their status, who saved them, when, version and appraisal."""
    return store().stored(current_assessment().id)


def get_response(code: str) -> Response | None:
    unsaved = memo().get(UNSAVED_KEY, {})
    if code in unsaved:  # a storage fault kept it from being saved: the form shows it again, to save it again
        return unsaved[code]
    assessment_id = current_assessment().id
    stored = store().stored_response(assessment_id, code)
    if forms.key(code, "evidence") not in st.session_state:
        # The form is being filled from this answer now: a later save is based on this version.
        memo().setdefault(SEEN_KEY, {})[(assessment_id, code)] = stored.version if stored else 0
    return stored.to_response() if stored and (stored.is_answered or stored.evidence or stored.note) else None


def set_response(code: str, response: Response | None) -> None:
    """Save one component's answer at once; None (or an empty answer) clears it.

    A refused save (someone saved meanwhile, not your component, a viewer account) leaves the stored answer
    as it is, puts the reason where the form shows problems, and refills the form with the stored answer.
    """
    lang = ui_lang.current()
    fields = {"value": None, "points": None, "evidence": "", "note": ""}
    if response is not None:
        fields = {"value": response.value, "points": response.points, "evidence": response.evidence,
                  "note": response.note}
    seen = memo().setdefault(SEEN_KEY, {})
    unsaved = memo().setdefault(UNSAVED_KEY, {})
    actor = Actor("?", "viewer")
    try:
        actor = current_actor() or actor
        assessment_id = current_assessment().id
        base = seen.get((assessment_id, code))
        if base is None:  # the form was not filled from a stored answer in this session: base on what is stored now
            stored = store().stored_response(assessment_id, code)
            base = stored.version if stored else 0
        saved = store().save_response(actor, assessment_id, code, base, **fields)
    except StorageUnavailable as exc:
        # Nothing was saved; unlike a refused save the typed answer stays in the field (and comes back if the
        # form is rebuilt) with what happened and what to do, to be saved again once the fault is gone.
        unsaved[code] = response if response is not None else Response(code, None)
        st.session_state[forms.key(code, "error")] = f"{fault_message(exc, lang)} {t('faults.answer_kept', lang)}"
        st.session_state[forms.key(code, "retry")] = True
        return
    except ConflictError as exc:
        unsaved.pop(code, None)
        other = exc.current
        _refused(code, t("storage.conflict", lang, code=code, who=other.updated_by,
                         time=f"{other.updated_at:%H:%M %d/%m/%Y}", value=_shown(other.value),
                         points=fmt_points(other.points, lang), mine=_shown(fields["value"])))
        return
    except PermissionDenied:
        unsaved.pop(code, None)
        _refused(code, t("storage.viewer_readonly" if actor.role == "viewer" else "storage.denied", lang, code=code))
        return
    except InputProblems as exc:
        st.session_state[forms.key(code, "error")] = "; ".join(
            p.message_vi if lang != "en" and p.message_vi else p.message for p in exc.problems)
        return
    unsaved.pop(code, None)
    st.session_state.pop(forms.key(code, "retry"), None)
    seen[(assessment_id, code)] = saved.version


def _shown(value) -> str:
    return "—" if value is None or value == "" else str(value)


def _refused(code: str, message: str) -> None:
    """Keep the reason for the form to show, and let the form re-read the stored answer on the next run."""
    for k in [k for k in st.session_state if str(k).startswith(forms.key(code, ""))]:
        del st.session_state[k]
    st.session_state[forms.key(code, "error")] = message


def replace_responses(responses: Mapping[str, Response]) -> str | None:
    """Replace the assessment with an uploaded one (that passed every check) in one transaction.

    Only the components the user may edit are cleared; a file touching another agency's component is
    refused as a whole (nothing is written). Returns None when written, else the reason, for the caller to show.
    """
    try:
        actor = current_actor() or Actor("?", "viewer")
        store().import_responses(actor, current_assessment().id, responses, source="upload", replace=True)
    except PermissionDenied as exc:
        return t("storage.denied", ui_lang.current(), code=exc.code)
    except StorageUnavailable as exc:  # nothing was written: the import is one transaction
        return fault_message(exc, ui_lang.current())
    _forget_widget_values()
    return None


def _forget_widget_values() -> None:
    """Form widgets (keys ``c_…``, ``w_…``) showing the previous assessment re-read the new one on the next run."""
    for k in [k for k in st.session_state if str(k).startswith(("c_", "w_"))]:
        del st.session_state[k]
    memo().pop(SEEN_KEY, None)
    memo().pop(UNSAVED_KEY, None)


def carry_to_edition(target_id: str, carried: Mapping[str, Response]) -> str | None:
    """Write answers carried from the current edition into ``target_id``'s assessment of the same period.

    Refused (None is returned only when written) when the target already holds answers for the period: carrying
    never overwrites work done in the other edition. On success the app switches to the target edition.
    """
    year, quarter = current_period()
    actor = current_actor() or Actor("?", "viewer")
    lang = ui_lang.current()
    target = store().assessment(target_id, year, quarter)
    already = [code for code, r in store().stored(target.id).items() if r.is_answered]
    if already:
        return t("editions.carry_target_busy", lang, n=len(already), period=f"Q{quarter}/{year}")
    try:
        store().import_responses(actor, target.id, carried, source=f"carried from {current_edition_id()}")
    except PermissionDenied as exc:
        return t("storage.denied", lang, code=exc.code)
    set_edition(target_id)
    return None
