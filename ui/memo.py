"""One session-state entry for what the app's modules remember per browser session (not user input).

Streamlit walks every entry of ``st.session_state`` for every widget it draws, so each extra entry makes every
rerun of a form a little slower; internal memory (database URL, OIDC, current assessment, versions seen,
routing) therefore shares this one dict instead of taking an entry each.
"""

from __future__ import annotations

import streamlit as st

SESSION_KEY = "s_session"


def memo() -> dict:
    """This session's dict (created on first use)."""
    found = st.session_state.get(SESSION_KEY)
    if found is None:
        found = st.session_state[SESSION_KEY] = {}
    return found
