"""The frame around every page: sidebar (language, edition, period), navigation, and a guard against tracebacks."""

from __future__ import annotations

import logging

import streamlit as st

from dti.i18n import t
from dti.storage import Actor, StorageUnavailable
from ui import lang as ui_lang
from ui import state, storage_widgets, widgets

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


def run(pages: list[tuple[str, st.Page]], lang: str) -> None:
    sections: dict[str, list[st.Page]] = {}
    for section, page in pages:
        sections.setdefault(t(section, lang), []).append(page)
    with st.sidebar, widgets.guard(lang):
        ui_lang.sidebar_toggle(lang)
        widgets.edition_picker(lang)
        if state.current_actor() is not None:  # chosen once here, for every page (not before a log-in)
            storage_widgets.period_picker(lang)
    current_page = st.navigation(sections, expanded=True)  # every page visible: no "View more" fold
    ui_lang.mark_routed()
    try:
        current_page.run()
    except StorageUnavailable as exc:
        st.error(state.fault_message(exc, lang), icon=":material/database_off:")
    except Exception as exc:  # the last line of defence: a message with what to do, never a traceback
        log.exception("page %s failed", current_page.title)
        st.error(t("common.unexpected_error", lang, error=type(exc).__name__))

