"""Which assessment a page shows, in one line: province · edition · period, and what an empty period means.

Every page that shows assessment data calls ``show()`` under its title, so nobody mistakes one quarter or
edition for another, and a period with no answers says so (with the coordinator's way to start from the
previous one) instead of looking like lost data.
"""

from __future__ import annotations

import streamlit as st

from dti.framework.model import Framework
from dti.i18n import t
from dti.storage import AssessmentInfo
from ui import state

COPY_ERROR_KEY = "ctx_copy_error"


def period_text(year: int, quarter: int, lang: str) -> str:
    return t("storage.period_label", lang, year=year, quarter=quarter)


def province_text(lang: str) -> str:
    return state.province_name() or t("context.province_unset", lang)


def line(fw: Framework, lang: str) -> str:
    """'Gia Lai · Bộ chỉ số … (2022) · Quý 4/2026' (plain text: the province's name is shown as typed)."""
    year, quarter = state.current_period()
    return " · ".join([province_text(lang), f"{fw.title(lang)} ({fw.year})", period_text(year, quarter, lang)])


def show(fw: Framework, lang: str, notice: bool = True) -> None:
    """The context line, and (``notice``) for an empty period its notice and the coordinator's copy action.

    The Self-assessment page passes ``notice=False`` and shows the notice inside its form's fragment instead: an
    answer reruns only the fragment, and a notice outside it would still say "no answers" after the first one.
    """
    st.text(line(fw, lang))  # st.text: a province name like "*x*" is shown, never rendered as Markdown
    if notice:
        empty_period_notice(lang)


def empty_period_notice(lang: str) -> None:
    """'Quý 1/2027 chưa có câu trả lời nào; sao chép từ Quý 4/2026?' and, for the coordinator, the copy button."""
    if COPY_ERROR_KEY in st.session_state:  # a refused copy: the period may no longer be empty
        st.error(st.session_state.pop(COPY_ERROR_KEY))
    if not state.period_is_empty():
        return
    year, quarter = state.current_period()
    period = period_text(year, quarter, lang)
    previous = state.previous_answered_period()
    if previous is None:
        st.info(t("context.empty_period", lang, period=period), icon=":material/inbox:")
        return
    source = period_text(previous.year, previous.quarter, lang)
    st.info(t("context.empty_period_copy", lang, period=period, previous=source), icon=":material/inbox:")
    actor = state.current_actor()
    if actor is not None and actor.role == "coordinator":
        # A callback: it runs even when the period stopped being empty before the click (then says so).
        st.button(t("context.copy_from", lang, previous=source), key="ctx_copy", on_click=_copy, args=(previous,),
                  icon=":material/content_copy:")


def _copy(previous: AssessmentInfo) -> None:
    problem = state.copy_previous_period(previous)
    if problem:  # refused (someone saved into the period meanwhile): nothing was overwritten
        st.session_state[COPY_ERROR_KEY] = problem
