"""The current assessment: which edition is being scored and the responses entered so far.

EVERY read and write of the assessment goes through this module, so that storage can change (today
``st.session_state``; later a database with autosave) without touching the pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from dti import registry
from dti.engine import Response
from dti.framework import Framework
from dti.validation import Problem

EDITION_KEY = "edition_id"
RESPONSES_KEY = "responses"  # edition id → {component code → Response}


def editions() -> tuple[dict[str, Framework], list[Problem]]:
    """Every valid edition under the frameworks folder and the problems of the others."""
    return _load_editions(str(registry.frameworks_dir()))


@st.cache_resource(show_spinner=False)
def _load_editions(folder: str) -> tuple[dict[str, Framework], list[Problem]]:
    # Keyed by folder so DTI_FRAMEWORKS_DIR (tests, a province's own editions) gets its own cache entry.
    return registry.load_all(Path(folder))


def edition_ids() -> list[str]:
    """Edition ids, the default first, then newest year first."""
    found = editions()[0]
    return sorted(found, key=lambda i: (i != registry.DEFAULT_EDITION, -found[i].year, i))


def current_edition_id() -> str:
    ids = edition_ids()
    chosen = st.session_state.get(EDITION_KEY)
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


def _store() -> dict[str, dict[str, Response]]:
    return st.session_state.setdefault(RESPONSES_KEY, {})


def get_responses() -> dict[str, Response]:
    """Responses of the current edition (a copy: change them through set_response / replace_responses)."""
    return dict(_store().get(current_edition_id(), {}))


def get_response(code: str) -> Response | None:
    return _store().get(current_edition_id(), {}).get(code)


def set_response(code: str, response: Response | None) -> None:
    """Save one component's response; None (or an empty answer without evidence or note) removes it."""
    answers = _store().setdefault(current_edition_id(), {})
    if response is None or (not response.is_answered and not response.evidence and not response.note):
        answers.pop(code, None)
    else:
        answers[code] = response


def replace_responses(responses: Mapping[str, Response]) -> None:
    """Replace the whole assessment of the current edition (after an upload that passed every check)."""
    _store()[current_edition_id()] = dict(responses)
    _forget_widget_values()


def _forget_widget_values() -> None:
    """Form widgets (keys ``c_…``, ``w_…``) showing the previous assessment re-read the new one on the next run."""
    for k in [k for k in st.session_state if str(k).startswith(("c_", "w_"))]:
        del st.session_state[k]
