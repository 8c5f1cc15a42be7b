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
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.runtime.state.common import user_key_from_element_id
from streamlit.runtime.state.session_state_proxy import get_session_state

from dti.framework import registry
from dti.framework.model import Framework
from dti.framework.validation import Problem
from dti.i18n import fmt_number, fmt_points, name, plain_number, t
from dti.io.export import ExportContext, file_name
from dti.roles import StorageError
from dti.scoring.appraised import AppraisedResult, score_appraised
from dti.scoring.engine import InputProblems, Response
from dti.storage import (
    Actor,
    AssessmentInfo,
    ConflictError,
    PeriodExists,
    PermissionDenied,
    StorageUnavailable,
    Store,
    StoredResponse,
    auth,
)
from dti.storage import db as storage_db
from dti.storage import evidence as evidence_lib
from dti.storage.repo import EvidenceInfo, ImportPlan, ReplaceNotConfirmed, StoredScenario, UnreadableAnswer
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
# The address mirrors the edition and period (as ?lang= does the language): a refresh or a shared link reopens
# the same assessment. Vietnamese names: the address is read by the province's staff.
EDITION_PARAM, YEAR_PARAM, QUARTER_PARAM = "ed", "nam", "quy"
# Remembered per session in ui.memo's single session-state entry (see there why).
ASSESSMENT_KEY = "assessment"  # ((url, edition, year, quarter), AssessmentInfo or None) of the current period
DATABASE_URL_KEY = "database_url"  # resolved once per session
OIDC_KEY = "oidc"
SEEN_KEY = "seen_versions"  # (url, edition, year, quarter, code) → version of the answer the form was filled from
FORM_SCOPE_KEY = "form_scope"  # ((url, edition, year, quarter, user, role), counter): see form_scope()
EVIDENCE_SETTINGS_KEY = "evidence_settings"
UNSAVED_KEY = "unsaved"  # code → the answer a storage fault kept from being saved, shown again until saved
FIRST_RUN_DONE_KEY = "first_run_done"  # in ui.memo: this session has run once (see renew_form_if_reconnected)
RUN_KEY = "this_run"  # (the run's token, {what: value}): see this_run()

log = logging.getLogger("dti.app")


# --- read once per run ----------------------------------------------------------------------------
# A rerun of the self-assessment form (every answer of every agency) asked the same things dozens of times: who is
# working, the edition list, the store, the stored answers (three queries of one table), each through a cache
# lookup that hashes its arguments. Each is now read once per script run (and per fragment run) and kept only for
# that run, in this session: nothing read here outlives the run, so another edition, period, language, user or
# another session's save is read afresh by the next run.


def this_run() -> dict | None:
    """This script run's memo (None outside a run: a deferred download, a test calling functions directly).

    A run is recognised by an object Streamlit makes anew for every script and fragment run and for nothing else
    (ScriptRunContext.reset creates its ParallelFragmentCoordinator); it is kept here so it cannot be reused.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    token = getattr(ctx, "parallel_coordinator", None)
    if token is None:
        return None
    remembered = memo()
    entry = remembered.get(RUN_KEY)
    if entry is None or entry[0] is not token:
        entry = remembered[RUN_KEY] = (token, {})
    return entry[1]


def _once_per_run(what: tuple, compute: Callable):
    """``compute()``, read once per run; data of the database once per run and per write (see _read_once)."""
    run = this_run()
    if run is None:
        return compute()
    if what not in run:
        run[what] = compute()
    return run[what]


def _read_once(what: tuple, compute: Callable):
    """Database data read once per run, read again after any write through the store (a callback's save, a
    save in the page itself): keyed by the store's commit count as well as by ``what``."""
    database = store()
    return _once_per_run((*what, id(database), database.commits), compute)


def _forget_this_run(*kinds: str) -> None:
    run = this_run()
    for what in [w for w in run or () if w[0] in kinds]:
        del run[what]


def editions() -> tuple[dict[str, Framework], list[Problem]]:
    """Every valid edition under the frameworks folder and the problems of the others."""
    folder = registry.frameworks_dir()
    # once per run: the folder's stamp (a few stat calls) and the cache look-up, not for every question asked
    return _once_per_run(("editions", str(folder)), lambda: _load_editions(str(folder), _folder_stamp(folder)))


def _folder_stamp(folder: Path) -> tuple:
    # Several app processes share the frameworks folder: an edition saved through another process is a new or
    # changed file here, which reload_editions() in this process never heard of. The files' names, sizes and
    # modification times key the parsed editions (a few stat calls per look-up).
    try:
        with os.scandir(folder) as entries:
            return tuple(sorted((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in entries
                                if e.name.endswith(".yaml")))
    except OSError:  # no folder: load_all says so
        return ()


@st.cache_resource(show_spinner=False, max_entries=4)
def _load_editions(folder: str, stamp: tuple = ()) -> tuple[dict[str, Framework], list[Problem]]:
    # Keyed by folder so DTI_FRAMEWORKS_DIR (tests, a province's own editions) gets its own cache entry, and by
    # the folder's stamp so a file saved by another process is read.
    return registry.load_all(Path(folder))


def reload_editions() -> None:
    """Forget the cached editions: a new edition file was saved."""
    _load_editions.clear()
    _forget_this_run("editions")


def edition_ids() -> list[str]:
    """Edition ids, the default first, then newest year first."""
    found = editions()[0]
    return sorted(found, key=lambda i: (i != registry.DEFAULT_EDITION, -found[i].year, i))


def current_edition_id() -> str:
    chosen = st.session_state.get(EDITION_KEY)
    if chosen is not None and chosen in editions()[0]:  # asked several times per run: no sorting when valid
        return chosen
    if chosen is None and st.query_params.get(EDITION_PARAM) in editions()[0]:  # a refresh or a link
        chosen = st.session_state[EDITION_KEY] = st.query_params[EDITION_PARAM]
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
    url, folder, settings = database_url(), os.environ.get("DTI_FRAMEWORKS_DIR", ""), _evidence_settings()
    return _once_per_run(("store", url, folder, settings), lambda: _open_store(url, folder, settings))


@st.cache_resource(show_spinner=False)
def _open_store(url: str, frameworks_dir: str, evidence_settings: tuple = ()) -> Store:  # all are the cache key
    # A failed opening raises StorageUnavailable and st.cache_resource keeps nothing: the next run tries again,
    # so the app recovers by itself once the folder, the disk or the server is back.
    files = evidence_lib.store_from_settings(dict(evidence_settings)) if evidence_settings else None
    return Store.open(url, frameworks=_framework_for, evidence=files)


def _evidence_settings() -> tuple:
    """secrets.toml's [evidence] section (an S3-compatible store), once per session; () when there is none (the
    environment, then the data folder, decide: see dti.storage.evidence)."""
    remembered = memo()
    if EVIDENCE_SETTINGS_KEY not in remembered:
        try:
            section = st.secrets.get("evidence") or {}
        except Exception:  # no secrets.toml at all
            section = {}
        remembered[EVIDENCE_SETTINGS_KEY] = tuple(sorted((str(k), str(v)) for k, v in dict(section).items()))
    return remembered[EVIDENCE_SETTINGS_KEY]


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
    url = database_url()
    return "local" if _once_per_run(("accounts", url), lambda: _account_count(url)) else "single"


@st.cache_data(ttl=3, show_spinner=False)
def _account_count(url: str) -> int:  # keyed by the database (a parameter without a leading underscore)
    # Asked on every read of an answer; a few seconds' cache keeps that off the database. The first account
    # created elsewhere ends single-user mode here within that time.
    return store().user_count()


def reset_account_count() -> None:
    """The first account was just made: log-in mode starts now, not after _account_count's few seconds."""
    _account_count.clear()
    _forget_this_run("accounts")


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
    if PERIOD_KEY not in st.session_state and (from_address := _period_in_address()) is not None:
        st.session_state[PERIOD_KEY] = from_address
    if PERIOD_KEY not in st.session_state:
        latest = store().latest_assessment(current_edition_id())
        today = date.today()
        st.session_state[PERIOD_KEY] = (latest.year, latest.quarter) if latest else (today.year,
                                                                                     (today.month - 1) // 3 + 1)
    return st.session_state[PERIOD_KEY]


def _period_in_address() -> tuple[int, int] | None:
    year, quarter = st.query_params.get(YEAR_PARAM, ""), st.query_params.get(QUARTER_PARAM, "")
    if not (year.isdigit() and quarter.isdigit()):
        return None
    if 2020 <= int(year) <= 2100 and 1 <= int(quarter) <= 4:  # the period picker's own bounds
        return int(year), int(quarter)
    return None


def mirror_in_address() -> None:
    """Put the edition and period shown into the address (every run: a page change starts a new address)."""
    wanted = {EDITION_PARAM: current_edition_id()}
    if PERIOD_KEY in st.session_state:  # chosen (after a log-in); never queried here for a logged-out visitor
        year, quarter = st.session_state[PERIOD_KEY]
        wanted |= {YEAR_PARAM: str(year), QUARTER_PARAM: str(quarter)}
    for param, value in wanted.items():
        if value and st.query_params.get(param) != value:
            st.query_params[param] = value


def set_period(year: int, quarter: int) -> None:
    st.session_state[PERIOD_KEY] = (int(year), int(quarter))
    _forget_widget_values()


def current_assessment() -> AssessmentInfo | None:
    """The assessment of the current edition and period; None while nobody has saved anything in that period.

    Reading never creates it (a quarter chosen to look at leaves no empty period behind); the first write does,
    through assessment_to_write(). Every read of answers passes here, so a page opened by its URL without
    logging in (with accounts set up) shows a log-in message instead of the province's data.
    """
    if current_actor() is None:
        st.warning(t("auth.login_first", ui_lang.current()))
        st.stop()
    key = _assessment_key()
    found = memo().get(ASSESSMENT_KEY)
    # Looked up once per period once it exists; a missing one once per run and after any write (someone may
    # create it meanwhile), not for every component the form draws.
    if found is None or found[0] != key or found[1] is None:
        found = (key, _read_once(("assessment", *key), lambda: store().assessment(key[1], key[2], key[3],
                                                                                   create=False)))
        memo()[ASSESSMENT_KEY] = found
    return found[1]


def assessment_to_write() -> AssessmentInfo:
    """The current assessment, created now if this is the first write into its period."""
    found = current_assessment()
    if found is None:
        key = _assessment_key()
        found = store().assessment(key[1], key[2], key[3])
        memo()[ASSESSMENT_KEY] = (key, found)
    return found


def _assessment_key() -> tuple[str, str, int, int]:
    year, quarter = current_period()
    return (database_url(), current_edition_id(), year, quarter)


def form_scope() -> str:
    """The part of the form's widget keys that names the assessment on screen (see ui.forms.key).

    A browser keeps what a widget shows for as long as its key lives, so the keys change whenever the
    assessment (edition, period) or the person changes, and after a whole assessment was replaced: nothing
    typed or shown in one assessment can then appear in, or be saved into, another. ``""`` for the first
    assessment of a session, then a counter.
    """
    actor = current_actor()
    key = (*_assessment_key(), actor.username if actor else "", actor.role if actor else "")
    remembered = memo()
    scope = remembered.get(FORM_SCOPE_KEY)
    if scope is None or scope[0] != key:
        scope = remembered[FORM_SCOPE_KEY] = (key, 0 if scope is None else scope[1] + 1)
    return str(scope[1] or "")


def _new_form_scope() -> None:
    """The same assessment is shown afresh (replaced by an upload): new keys, new widgets."""
    scope = memo().get(FORM_SCOPE_KEY)
    if scope is not None:
        memo()[FORM_SCOPE_KEY] = (scope[0], scope[1] + 1)


_FORM_WIDGET_KEY = re.compile(r"c\d*_.+_(value|evidence|note|a|b|none|part_.+)")  # ui.forms.key's shape


def renew_form_if_reconnected() -> bool:
    """True once, in this session's first run, when the browser sent values of the form's widgets.

    A browser has such values only if it drew the form in a session this server no longer has: the app process
    that held it stopped or restarted, and the page reconnected. Streamlit calls no on_change callback in a new
    session, so an answer chosen at that moment would show in its field without being saved. The form is drawn
    afresh from storage instead (new widget keys: what the browser holds is not taken), and the page says so.
    """
    remembered = memo()
    if remembered.get(FIRST_RUN_DONE_KEY):
        return False
    remembered[FIRST_RUN_DONE_KEY] = True
    try:  # Streamlit keeps the values the browser sent by widget id, whose end is the widget's key
        sent = list(get_session_state()._state._new_widget_state.states)
    except AttributeError:  # another Streamlit version: nothing to compare
        return False
    if not any(_FORM_WIDGET_KEY.fullmatch(user_key_from_element_id(wid) or "") for wid in sent):
        return False
    form_scope()
    _new_form_scope()
    return True


def period_is_empty() -> bool:
    """True when the current period holds no answer (it may not exist in the database yet)."""
    return not any(r.is_answered for r in get_stored().values())


def previous_answered_period() -> AssessmentInfo | None:
    """The latest earlier period of the current edition that holds answers (to copy into an empty one)."""
    year, quarter = current_period()
    edition_id = current_edition_id()
    for info in store().assessments():  # newest first
        if info.edition_id == edition_id and (info.year, info.quarter) < (year, quarter) \
                and any(r.is_answered for r in store().stored(info.id).values()):
            return info
    return None


def copy_previous_period(source: AssessmentInfo) -> str | None:
    """Fill the (empty) current period with ``source``'s answers and assignments; None when done, else why not."""
    year, quarter = current_period()
    actor = current_actor() or Actor("?", "viewer")
    lang = ui_lang.current()
    try:
        store().copy_period(actor, source.id, year, quarter)
    except PermissionDenied:
        return t("auth.not_allowed", lang, roles=t("auth.role_coordinator", lang))
    except PeriodExists:  # someone saved into it meanwhile: never overwritten
        return t("context.period_taken", lang, period=t("storage.period_label", lang, year=year, quarter=quarter))
    memo().pop(ASSESSMENT_KEY, None)
    _forget_widget_values()
    return None


def agencies() -> list:
    """The province's agencies (``Store.agencies``), read once per run."""
    return list(_read_once(("agencies",), store().agencies))


# --- the province --------------------------------------------------------------------------------


def province_name() -> str:
    """The province's name as the coordinator set it ('' until then): for the report, peers and file names."""
    return _read_once(("province",), store().province)[0]


def set_province_name(new_name: str) -> str | None:
    """Save the province's name (coordinator only); None when saved, else the reason."""
    actor = current_actor() or Actor("?", "viewer")
    try:
        store().set_province(actor, new_name, store().province()[1])
    except PermissionDenied:
        return t("auth.not_allowed", ui_lang.current(), roles=t("auth.role_coordinator", ui_lang.current()))
    return None


# --- general information ('Thông tin chung') -------------------------------------------------------


def get_general_info() -> dict[str, str]:
    """The answers to the edition's general-information fields in the current period, by field code."""
    found = current_assessment()
    return dict(_read_once(("general_info", found.id), lambda: store().general_info(found.id))) if found else {}


def set_general_info(field_code: str, value: str) -> str | None:
    """Save one general-information field (blank clears it); None when saved, else the reason to show."""
    lang = ui_lang.current()
    actor = current_actor() or Actor("?", "viewer")
    if actor.role == "viewer":  # refused without creating the period (Store refuses it too)
        return t("storage.viewer_readonly", lang)
    try:
        store().save_general_info(actor, assessment_to_write().id, field_code, value)
    except PermissionDenied:
        return t("storage.viewer_readonly", lang)
    except InputProblems as exc:
        return "; ".join(p.message_vi if lang != "en" and p.message_vi else p.message for p in exc.problems)
    except StorageUnavailable as exc:
        return fault_message(exc, lang)
    return None


# --- answers -------------------------------------------------------------------------------------


def get_responses() -> dict[str, Response]:
    """Responses of the current edition and period (a copy: change them through set_response)."""
    found = current_assessment()
    if found is None:
        return {}
    return dict(_read_once(("responses", found.id), lambda: store().responses(found.id, _stored(found.id))))


def get_unreadable() -> dict[str, UnreadableAnswer]:
    """Stored answers the edition's current rules no longer read (kept, not scored, to be answered again)."""
    found = current_assessment()
    return dict(_read_once(("unreadable", found.id), lambda: store().unreadable(found.id, _stored(found.id)))) \
        if found else {}


def get_stored() -> dict[str, StoredResponse]:
    """The stored answers with their status, who saved them, when, version and appraisal."""
    found = current_assessment()
    return dict(_stored(found.id)) if found else {}


def _stored(assessment_id: int) -> dict[str, StoredResponse]:
    """The stored answers of an assessment, read once per run (the form, its score and the notice share them)."""
    return _read_once(("stored", assessment_id), lambda: store().stored(assessment_id))


def get_appraised() -> AppraisedResult:
    """The self-assessed and the appraised DTI of the current assessment (``Store.appraised``, one computation)."""
    found = current_assessment()
    if found is not None:
        return store().appraised(found.id)
    return score_appraised(current_framework(), {}, {})


def editable_codes() -> set[str] | None:
    """The components the person working may change here: None for every one (Store decides, as for writes)."""
    actor = current_actor() or Actor("?", "viewer")
    found = current_assessment()
    allowed = _read_once(("editable", actor, found.id if found else None),
                         lambda: store().editable_codes(actor, found.id if found else None))
    return None if allowed is None else set(allowed)


def _seen_key(code: str) -> tuple:
    return (*_assessment_key(), code)


def stored_reader() -> Callable[[], dict[str, StoredResponse]]:
    """A function reading the current period's stored answers later: a deferred download runs outside the
    script run, where session state (the edition, the period, who is logged in) is not available."""
    database, found = store(), current_assessment()
    return lambda: database.stored(found.id) if found else {}


def get_response(code: str) -> Response | None:
    unsaved = memo().get(UNSAVED_KEY, {})
    if code in unsaved:  # a storage fault kept it from being saved: the form shows it again, to save it again
        return unsaved[code]
    found = current_assessment()
    stored = store().stored_response(found.id, code) if found else None
    if forms.key(code, "evidence", form_scope()) not in st.session_state:
        # The form is being filled from this answer now: a later save is based on this version.
        memo().setdefault(SEEN_KEY, {})[_seen_key(code)] = stored.version if stored else 0
    return stored.to_response() if stored and (stored.is_answered or stored.evidence or stored.note) else None


def set_response(code: str, response: Response | None) -> None:
    """Save one component's answer at once; None (or an empty answer) clears it.

    A refused save (someone saved meanwhile, not your component, a viewer account) leaves the stored answer
    as it is, puts the reason where the form shows problems, and puts the stored answer back into the form.
    """
    lang = ui_lang.current()
    scope = form_scope()
    fields = {"value": None, "points": None, "evidence": "", "note": ""}
    if response is not None:
        fields = {"value": response.value, "points": response.points, "evidence": response.evidence,
                  "note": response.note}
    seen = memo().setdefault(SEEN_KEY, {})
    unsaved = memo().setdefault(UNSAVED_KEY, {})
    actor = Actor("?", "viewer")
    try:
        actor = current_actor() or actor
        if current_assessment() is None and actor.role == "viewer":  # refused without creating the period
            _refused(code, t("storage.viewer_readonly", lang, code=code), None)
            return
        assessment_id = assessment_to_write().id
        base = seen.get(_seen_key(code))
        if base is None:  # the form was not filled from a stored answer in this session: base on what is stored now
            stored = store().stored_response(assessment_id, code)
            base = stored.version if stored else 0
        saved = store().save_response(actor, assessment_id, code, base, **fields)
    except StorageUnavailable as exc:
        # Nothing was saved; unlike a refused save the typed answer stays in the field (and comes back if the
        # form is rebuilt) with what happened and what to do, to be saved again once the fault is gone.
        unsaved[code] = response if response is not None else Response(code, None)
        kept = t("faults.answer_kept", lang)
        st.session_state[forms.key(code, "error", scope)] = f"{fault_message(exc, lang)} {kept}"
        st.session_state[forms.key(code, "retry", scope)] = True
        return
    except ConflictError as exc:
        unsaved.pop(code, None)
        other = exc.current
        fw = store().framework_of(assessment_id)
        _refused(code, t("storage.conflict", lang, code=code, who=other.updated_by,
                         time=f"{other.updated_at:%H:%M %d/%m/%Y}", value=_shown(fw, code, other.value, lang),
                         points=fmt_points(other.points, lang), mine=_shown(fw, code, fields["value"], lang)),
                 other)
        return
    except PermissionDenied:
        unsaved.pop(code, None)
        _refused(code, t("storage.viewer_readonly" if actor.role == "viewer" else "storage.denied", lang, code=code),
                 store().stored_response(assessment_id, code))
        return
    except InputProblems as exc:
        st.session_state[forms.key(code, "error", scope)] = "; ".join(
            p.message_vi if lang != "en" and p.message_vi else p.message for p in exc.problems)
        return
    unsaved.pop(code, None)
    st.session_state.pop(forms.key(code, "retry", scope), None)
    seen[_seen_key(code)] = saved.version


def _shown(fw: Framework, code: str, value, lang: str) -> str:
    """A stored value as the form names it: a level's label, not its key."""
    if value is None or value == "":
        return "—"
    comp = fw.component_by_code.get(code)
    if comp is not None and comp.rule.type == "levels":
        for level in comp.rule.levels:
            if level.key == value:
                return name(level, lang)
    if comp is not None and comp.rule.type == "parts" and isinstance(value, str):  # "attend;chair=0.5"
        parts = {p.key: name(p, lang) for p in comp.rule.parts}
        shown = []
        for item in value.split(";"):
            key, _, share = item.strip().partition("=")
            shown.append(parts.get(key.strip(), key.strip()) + (f" ({share.strip()})" if share else ""))
        return "; ".join(shown)
    return str(value)


def _refused(code: str, message: str, stored: StoredResponse | None) -> None:
    """Keep the reason for the form to show, and put the stored answer back into the component's widgets.

    Written into the widgets' state (not only forgotten): the browser keeps a widget's value for as long as its
    key lives, so only a value set here replaces the refused one on the screen.
    """
    scope = form_scope()
    fw = current_framework()
    comp = fw.component_by_code.get(code) if fw else None
    if comp is not None:
        given = stored.to_response() if stored is not None else None
        lang = ui_lang.current()
        for k, v in forms.widget_values(comp, given, scope).items():
            # Number fields are text inputs (ui.widgets.number_text): they hold the number as the language writes it.
            st.session_state[k] = plain_number(v, lang) if isinstance(v, float) else v
    memo().setdefault(SEEN_KEY, {})[_seen_key(code)] = stored.version if stored else 0
    st.session_state[forms.key(code, "error", scope)] = message


def import_plan(responses: Mapping[str, Response], replace: bool) -> ImportPlan | str:
    """What importing checked ``responses`` would add, replace and clear; a str when it would be refused."""
    actor = current_actor() or Actor("?", "viewer")
    if actor.role == "viewer":
        return t("storage.viewer_readonly", ui_lang.current())
    try:
        return store().import_plan(actor, assessment_to_write().id, responses, replace=replace)
    except PermissionDenied as exc:
        return t("storage.denied", ui_lang.current(), code=exc.code)
    except StorageUnavailable as exc:
        return fault_message(exc, ui_lang.current())


def import_answers(responses: Mapping[str, Response], source: str, replace: bool,
                   confirmed: ImportPlan | None) -> str | None:
    """Write an uploaded file's answers (checked by the one reader) in one transaction: merged, or replacing
    the assessment with the plan the user confirmed. Returns None when written, else the reason to show."""
    actor = current_actor() or Actor("?", "viewer")
    lang = ui_lang.current()
    try:
        store().import_responses(actor, assessment_to_write().id, responses, source=source, replace=replace,
                                 confirmed=confirmed)
    except PermissionDenied as exc:
        return t("storage.denied", lang, code=exc.code)
    except ReplaceNotConfirmed as exc:
        return t("files.plan_changed", lang, replaced=len(exc.plan.replaced), cleared=len(exc.plan.cleared))
    except StorageUnavailable as exc:  # nothing was written: the import is one transaction
        return fault_message(exc, lang)
    _forget_widget_values()
    return None


def export_context(lang: str) -> ExportContext:
    """The period and province every export of the current assessment carries."""
    year, quarter = current_period()
    return ExportContext(year, quarter, province_name(), lang, tuple(sorted(get_general_info().items())))


def download_name(kind: str, ext: str) -> str:
    """The name of every downloaded file: edition year, province, period and kind (``dti.io.export.file_name``)."""
    year, quarter = current_period()
    fw = current_framework()
    return file_name(fw.year if fw else year, province_name(), year, quarter, kind, ext)


def _forget_widget_values() -> None:
    """The form shows the assessment afresh: new widget keys, and the old ones dropped from the session."""
    for k in [k for k in st.session_state if str(k).startswith(("c", "w_")) and _is_form_key(str(k))]:
        del st.session_state[k]
    memo().pop(SEEN_KEY, None)
    memo().pop(UNSAVED_KEY, None)
    _new_form_scope()


def _is_form_key(k: str) -> bool:
    if k.startswith("w_"):
        return True
    head = k.split("_", 1)[0]  # "c", "c3", ...: the form's keys (ui.forms.key)
    return head == "c" or (head[:1] == "c" and head[1:].isdigit())


def carry_to_edition(target_id: str, carried: Mapping[str, Response]) -> str | None:
    """Write answers carried from the current edition into ``target_id``'s assessment of the same period.

    Refused (None is returned only when written) when the target already holds answers for the period: carrying
    never overwrites work done in the other edition. On success the app switches to the target edition.
    """
    year, quarter = current_period()
    actor = current_actor() or Actor("?", "viewer")
    lang = ui_lang.current()
    target = store().assessment(target_id, year, quarter, create=False)
    already = [code for code, r in store().stored(target.id).items() if r.is_answered] if target else []
    if already:
        return t("editions.carry_target_busy", lang, n=len(already), period=f"Q{quarter}/{year}")
    target = target or store().assessment(target_id, year, quarter)
    try:
        store().import_responses(actor, target.id, carried, source=f"carried from {current_edition_id()}")
    except PermissionDenied as exc:
        return t("storage.denied", lang, code=exc.code)
    set_edition(target_id)
    return None


def carry_target_busy(target_id: str) -> str | None:
    """Why nothing can be carried into ``target_id`` this period (it already holds answers), else None.

    Asked by the Editions page before it offers the carry button; asking creates no assessment.
    """
    year, quarter = current_period()
    target = store().assessment(target_id, year, quarter, create=False)
    already = [code for code, r in store().stored(target.id).items() if r.is_answered] if target else []
    if already:
        return t("editions.carry_target_busy", ui_lang.current(), n=len(already), period=f"Q{quarter}/{year}")
    return None


# --- evidence files --------------------------------------------------------------------------------


def _refusal(exc: Exception, lang: str, code: str = "") -> str:
    """Why a write of an evidence file or a scenario was refused, in ``lang`` (names shown as text)."""
    from ui.widgets import plain  # ui.widgets imports this module

    if isinstance(exc, StorageUnavailable):
        return fault_message(exc, lang)
    if isinstance(exc, PermissionDenied):
        return t("evidence.denied", lang, code=plain(exc.code or code))
    if isinstance(exc, InputProblems):
        return "; ".join(plain(p.message_vi if lang != "en" and p.message_vi else p.message) for p in exc.problems)
    key = getattr(exc, "key", "")
    if key == "evidence_gone":
        return t("evidence.err_gone", lang)
    # EvidenceRefused, EvidenceUnavailable and the scenario refusals: their text is evidence.err_<key>.
    params = {k: plain(v) if isinstance(v, str) else fmt_number(v, lang, 1) if isinstance(v, float) else v
              for k, v in getattr(exc, "params", {}).items()}
    return t(f"evidence.err_{key}", lang, **params)


def _actor() -> Actor:
    return current_actor() or Actor("?", "viewer")


def evidence_counts() -> dict[str, int]:
    """Component code → its number of evidence files in the current period."""
    found = current_assessment()
    return dict(_read_once(("evidence_counts", found.id), lambda: store().evidence_counts(found.id))) if found else {}


def evidence_files(code: str) -> list[EvidenceInfo]:
    """The evidence files of a component the current user may see (none when they may not)."""
    try:
        found = current_assessment()
        return store().evidence_files(_actor(), found.id, code) if found else []
    except PermissionDenied:
        return []


def can_edit(code: str) -> bool:
    allowed = editable_codes()  # the rule that refuses writes (a period nobody saved into yet included)
    return allowed is None or code in allowed


def add_evidence(code: str, data: bytes, name: str) -> str | None:
    """Store an uploaded evidence file of ``code``; None when stored, else the reason (nothing was stored)."""
    lang = ui_lang.current()
    try:
        store().add_evidence(_actor(), assessment_to_write().id, code, data, name)
    except (StorageError, StorageUnavailable, InputProblems) as exc:
        return _refusal(exc, lang, code)
    return None


def evidence_reader(file_id: int) -> Callable[[], bytes]:
    """A function reading an evidence file's bytes when it is downloaded (outside the script run, where session
    state is not available), with the role check of the user who was shown the button."""
    database, actor, assessment_id = store(), _actor(), current_assessment().id  # a listed file: the period exists
    return lambda: database.evidence_content(actor, assessment_id, file_id)[1]


def delete_evidence(file_id: int) -> str | None:
    lang = ui_lang.current()
    try:
        store().delete_evidence(_actor(), assessment_to_write().id, file_id)
    except (StorageError, StorageUnavailable) as exc:
        return _refusal(exc, lang)
    return None


# --- saved what-if scenarios ----------------------------------------------------------------------


def saved_scenarios() -> list[StoredScenario]:
    """The scenarios saved for the current period."""
    found = current_assessment()
    return store().scenarios(found.id) if found else []


def may_save_scenarios() -> bool:
    return _actor().role != "viewer"


def save_scenario(name: str, component_points: Mapping[str, float], main_values: Mapping[str, float]) -> str | None:
    """Save (create or update) a scenario of the current period; None when saved, else the reason."""
    try:
        store().save_scenario(_actor(), assessment_to_write().id, name, component_points, main_values)
    except (StorageError, StorageUnavailable) as exc:
        return _scenario_refusal(exc, name)
    return None


def rename_scenario(old: str, new: str) -> str | None:
    try:
        store().rename_scenario(_actor(), assessment_to_write().id, old, new)
    except (StorageError, StorageUnavailable) as exc:
        return _scenario_refusal(exc, old)
    return None


def delete_scenario(name: str) -> str | None:
    try:
        store().delete_scenario(_actor(), assessment_to_write().id, name)
    except (StorageError, StorageUnavailable) as exc:
        return _scenario_refusal(exc, name)
    return None


def _scenario_refusal(exc: Exception, name: str) -> str:
    from ui.widgets import plain

    lang = ui_lang.current()
    if isinstance(exc, PermissionDenied):
        if _actor().role == "viewer":
            return t("evidence.scenario_read_only", lang)
        who = next((s.created_by for s in saved_scenarios() if s.name == name), "?")
        return t("evidence.scenario_not_yours", lang, name=plain(name), who=plain(who))
    return _refusal(exc, lang)
