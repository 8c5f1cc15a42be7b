"""Widgets of the storage pages: the period picker, who is working (and the mode), role gates."""

from __future__ import annotations

import streamlit as st

from dti.i18n import t, translations
from dti.storage import Actor, StorageUnavailable
from ui import state, widgets

PERIOD_YEAR_KEY = "s_period_year"
PERIOD_QUARTER_KEY = "s_period_quarter"


def _on_period_change() -> None:
    state.set_period(st.session_state[PERIOD_YEAR_KEY], st.session_state[PERIOD_QUARTER_KEY])


def period_picker(lang: str) -> None:
    """Year and quarter being assessed, in the sidebar."""
    year, quarter = state.current_period()
    st.session_state[PERIOD_YEAR_KEY], st.session_state[PERIOD_QUARTER_KEY] = year, quarter
    left, right = st.sidebar.columns(2)
    left.number_input(t("storage.year", lang), min_value=2020, max_value=2100, step=1, key=PERIOD_YEAR_KEY,
                      on_change=_on_period_change)
    right.selectbox(t("storage.quarter", lang), [1, 2, 3, 4], key=PERIOD_QUARTER_KEY, on_change=_on_period_change)


def who_is_working(lang: str) -> Actor | None:
    """Explain single-user mode where accounts are managed; who is logged in and the log-out button are in
    every page's sidebar (ui.shell.account_sidebar)."""
    actor = state.current_actor()
    if state.auth_mode() == "single":
        st.sidebar.info(t("auth.single_user", lang), icon=":material/computer:")  # no emoji font needed
    return actor


def require_role(lang: str, *roles: str) -> Actor:
    """The actor if their role is one of ``roles``; otherwise a message and the page stops."""
    actor = state.current_actor()
    if actor is None or actor.role not in roles:
        st.warning(t("auth.not_allowed", lang, roles=", ".join(t(f"auth.role_{r}", lang) for r in roles)))
        st.stop()
    return actor


def explain(exc: Exception, lang: str) -> str:
    """A refusal of the storage layer in the UI's language (its English message when it has no text)."""
    if isinstance(exc, StorageUnavailable):
        return state.fault_message(exc, lang)
    key = getattr(exc, "key", "")
    # Names and values in a refusal are what someone typed: shown as text.
    if not key:
        return widgets.plain(exc)
    text_key = f"storage.err_{key}" if f"storage.err_{key}" in translations() else f"login.err_{key}"
    return t(text_key, lang, **{k: widgets.plain(v) for k, v in exc.params.items()})
