"""The language toggle: Vietnamese by default, kept in ``st.session_state["lang"]`` and mirrored in the URL.

The URL (``?lang=en``) makes a link open in the same language; the session state carries it across pages.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from dti.i18n import DEFAULT_LANG, LANGS, t
from ui.memo import memo

LANG_KEY = "lang"
_TOGGLE_KEY = "lang_toggle"


def current() -> str:
    """The chosen language, for pages (every page calls this first, so it also routes them through app.py)."""
    route_through_app()
    return chosen()


def chosen() -> str:
    """The chosen language: session state first, then ``?lang=`` of the URL, else Vietnamese."""
    if LANG_KEY not in st.session_state:
        from_url = st.query_params.get(LANG_KEY, DEFAULT_LANG)
        st.session_state[LANG_KEY] = from_url if from_url in LANGS else DEFAULT_LANG
    return st.session_state[LANG_KEY]


ROUTED_KEY = "routed_by_app"  # in ui.memo's session entry


def mark_routed() -> None:
    """Called by app.py's shell once its navigation has run in this session."""
    memo()[ROUTED_KEY] = True


def route_through_app() -> None:
    """Make sure app.py routes the request.

    Because a ``pages/`` folder exists, Streamlit starts in its old pages-folder mode: until some session has run
    ``st.navigation``, a deep link (``…/results``) as the first request after a server start would run
    ``pages/results.py`` alone, skipping app.py (navigation, layout, log-in). Then switch that mode off and rerun.
    A session app.py has already routed (callbacks run before app.py in every rerun) is left alone.
    """
    if PagesManager.uses_pages_directory and not memo().get(ROUTED_KEY):
        PagesManager.uses_pages_directory = False
        st.rerun()


def _on_toggle() -> None:
    st.session_state[LANG_KEY] = "en" if st.session_state[_TOGGLE_KEY] else "vi"


def sidebar_toggle(lang: str) -> None:
    """English on/off in the sidebar; switching reruns the app with every label in the new language."""
    st.session_state[_TOGGLE_KEY] = lang == "en"
    st.sidebar.toggle("English", key=_TOGGLE_KEY, on_change=_on_toggle, help=t("common.language", lang))
    if st.query_params.get(LANG_KEY) != lang:
        st.query_params[LANG_KEY] = lang
