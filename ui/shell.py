"""The frame around every page: sidebar (language, edition), navigation, and a guard against tracebacks."""

from __future__ import annotations

import logging

import streamlit as st

from dti.i18n import t
from dti.storage import Actor, StorageUnavailable
from ui import lang as ui_lang
from ui import login, state, widgets
from ui.memo import memo

log = logging.getLogger("dti.app")


def actor_or_stop(lang: str, pages: list[tuple[str, st.Page]]) -> Actor | None:
    """Who is working (None: they must log in first). Asking needs the database: when it cannot be used, the
    fault is said here, before any page, and the run ends; the next run (a click, a reload) asks again."""
    try:
        return state.current_actor()
    except StorageUnavailable as exc:
        ui_lang.sidebar_toggle(lang)  # the message can be read in English too
        st.error(state.fault_message(exc, lang), icon=":material/database_off:")
        # The pages are still declared (hidden, not run), else Streamlit lists the raw pages/ folder in the
        # sidebar, and the address asked for stays valid for the reload that finds the database back.
        st.navigation([page for _, page in pages], position="hidden")
        st.stop()


def run_logged_out(pages: list[tuple[str, st.Page]], lang: str) -> None:
    """The log-in form at whatever address was opened: every page is declared (hidden) with a stand-in of the
    same address that shows the log-in, so a deep link (``/coordinator``, ``/scenarios?scn=…&sc=…``) is no
    "page not found", keeps its parameters, and is where the log-in lands."""

    def show_login() -> None:
        address = state.current_address()
        if address.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] != "login":  # /login keeps the earlier ask
            st.session_state[state.LOGIN_NEXT_KEY] = address
        login.form(lang)

    with st.sidebar:
        ui_lang.sidebar_toggle(lang)
    stand_ins = [st.Page("pages/login.py", title=t("auth.login_title", lang), icon=":material/login:",
                         url_path="login", default=True)]
    by_path = {}
    for _, page in pages:
        # Same address (Streamlit identifies a page by it): only what runs there differs. The app's default
        # page reads url_path "" (it is the root), so its declared path comes from the private field.
        path = page._url_path if page.url_path == "" else page.url_path
        stand_ins.append(st.Page(show_login, title=page.title, icon=page.icon, url_path=path))
        by_path[path] = stand_ins[-1]
        if page.url_path == "":
            by_path[""] = stand_ins[-1]
    memo()[state.LOGIN_PAGES_KEY] = by_path  # where a log-in without the cookie route switches to
    asked = st.navigation(stand_ins, position="hidden")
    ui_lang.mark_routed()
    try:
        asked.run()
    except StorageUnavailable as exc:
        st.error(state.fault_message(exc, lang), icon=":material/database_off:")


def account_sidebar(lang: str) -> None:
    """Who is working (or single-user mode) and the log-out button, on every page."""
    actor = state.current_actor()
    mode = state.auth_mode()
    if mode == "single":
        st.sidebar.caption(t("login.single_user_short", lang))
        return
    if actor is None:
        return
    st.sidebar.caption(t("auth.signed_in_as", lang, name=widgets.plain(actor.display_name or actor.username),
                         role=t(f"auth.role_{actor.role}", lang)))
    if st.sidebar.button(t("auth.logout", lang), key="s_logout", icon=":material/logout:"):
        state.log_out()
        if mode == "oidc":
            st.logout()
        st.rerun()


def run(pages: list[tuple[str, st.Page]], lang: str) -> None:
    sections: dict[str, list[st.Page]] = {}
    for section, page in pages:
        sections.setdefault(t(section, lang), []).append(page)
    with st.sidebar, widgets.guard(lang):
        ui_lang.sidebar_toggle(lang)
        account_sidebar(lang)
        widgets.edition_picker(lang)
    current_page = st.navigation(sections, expanded=True)  # every page visible: no "View more" fold
    ui_lang.mark_routed()
    try:
        current_page.run()
    except StorageUnavailable as exc:
        st.error(state.fault_message(exc, lang), icon=":material/database_off:")
    except Exception as exc:  # the last line of defence: a message with what to do, never a traceback
        log.exception("page %s failed", current_page.title)
        st.error(t("common.unexpected_error", lang, error=type(exc).__name__))

