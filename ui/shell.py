"""The frame around every page: sidebar (language, edition, period), navigation, and a guard against tracebacks."""

from __future__ import annotations

import logging

import streamlit as st

from dti.i18n import t
from ui import lang as ui_lang
from ui import state, storage_widgets, widgets

log = logging.getLogger("dti.app")


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
    except Exception as exc:  # the last line of defence: a message with what to do, never a traceback
        log.exception("page %s failed", current_page.title)
        st.error(t("common.unexpected_error", lang, error=type(exc).__name__))

