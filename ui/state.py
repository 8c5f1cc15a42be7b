"""The current assessment: which edition is being scored and the responses entered so far.

EVERY read and write of the assessment goes through this module, so that storage can change without
touching the pages. Answers live in the database (``dti.storage``; a SQLite file by default): every change
is saved at once, so a refresh, a closed tab or a server restart loses nothing. A save based on an older
version than the stored one (someone else saved meanwhile) is refused with the other value, and the form
then shows the stored value; an agency's save of a component not assigned to it is refused the same way.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import streamlit as st

from dti.framework import registry
from dti.framework.model import Framework
from dti.framework.validation import Problem
from dti.i18n import fmt_points, t
from dti.scoring.engine import InputProblems, Response
from dti.storage import Actor, AssessmentInfo, ConflictError, PermissionDenied, Store, StoredResponse, auth
from dti.storage import db as storage_db
from ui import forms
from ui import lang as ui_lang
from ui.memo import memo

EDITION_KEY = "edition_id"
ACTOR_KEY = "actor"  # the logged-in Actor (local accounts); single-user and OIDC modes derive it
PERIOD_KEY = "period"  # (year, quarter) being assessed
# Remembered per session in ui.memo's single session-state entry (see there why).
ASSESSMENT_KEY = "assessment"  # ((url, edition, year, quarter), AssessmentInfo) of the current period
DATABASE_URL_KEY = "database_url"  # resolved once per session
OIDC_KEY = "oidc"
SEEN_KEY = "seen_versions"  # (assessment id, code) → version of the answer the form was filled from


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
    return Store.open(url, frameworks=_framework_for)


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


def current_actor() -> Actor | None:
    """Who is working now; None when they still have to log in."""
    if ACTOR_KEY in st.session_state:
        return st.session_state[ACTOR_KEY]
    mode = auth_mode()
    if mode == "single":
        return auth.SINGLE_USER
    if mode == "oidc" and st.user.is_logged_in:
        return auth.actor_for_email(store(), st.user.get("email"))
    return None


def log_in(actor: Actor) -> None:
    st.session_state[ACTOR_KEY] = actor
    _forget_widget_values()


def log_out() -> None:
    st.session_state.pop(ACTOR_KEY, None)
    _forget_widget_values()


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


def get_stored() -> dict[str, StoredResponse]:
    """The stored answers with their status, who saved them, when, version and appraisal."""
    return store().stored(current_assessment().id)


def get_response(code: str) -> Response | None:
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
    assessment_id = current_assessment().id
    seen = memo().setdefault(SEEN_KEY, {})
    base = seen.get((assessment_id, code))
    if base is None:  # the form was not filled from a stored answer in this session: base on what is stored now
        stored = store().stored_response(assessment_id, code)
        base = stored.version if stored else 0
    fields = {"value": None, "points": None, "evidence": "", "note": ""}
    if response is not None:
        fields = {"value": response.value, "points": response.points, "evidence": response.evidence,
                  "note": response.note}
    actor = current_actor() or Actor("?", "viewer")
    try:
        saved = store().save_response(actor, assessment_id, code, base, **fields)
    except ConflictError as exc:
        other = exc.current
        _refused(code, t("storage.conflict", lang, code=code, who=other.updated_by,
                         time=f"{other.updated_at:%H:%M %d/%m/%Y}", value=_shown(other.value),
                         points=fmt_points(other.points, lang), mine=_shown(fields["value"])))
        return
    except PermissionDenied:
        _refused(code, t("storage.viewer_readonly" if actor.role == "viewer" else "storage.denied", lang, code=code))
        return
    except InputProblems as exc:
        st.session_state[forms.key(code, "error")] = "; ".join(
            p.message_vi if lang != "en" and p.message_vi else p.message for p in exc.problems)
        return
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
    actor = current_actor() or Actor("?", "viewer")
    try:
        store().import_responses(actor, current_assessment().id, responses, source="upload", replace=True)
    except PermissionDenied as exc:
        return t("storage.denied", ui_lang.current(), code=exc.code)
    _forget_widget_values()
    return None


def _forget_widget_values() -> None:
    """Form widgets (keys ``c_…``, ``w_…``) showing the previous assessment re-read the new one on the next run."""
    for k in [k for k in st.session_state if str(k).startswith(("c_", "w_"))]:
        del st.session_state[k]
    memo().pop(SEEN_KEY, None)


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
