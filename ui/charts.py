"""The Results page's charts: static SVGs by default, Plotly on demand (issue 13).

A Plotly chart makes the browser fetch and compile Streamlit's 4.7 MB plotly.js chunk, which made the Results
page load in 2 to 5 seconds; the SVGs (``dti.decide.charts.*_svg``) need no script. A person who wants to zoom or
hover turns the interactive charts on; the choice is kept for the session.
"""

from __future__ import annotations

import streamlit as st

from dti.i18n import t
from ui.memo import memo

INTERACTIVE_KEY = "svgcharts_interactive"


def _remember(widget_key: str) -> None:
    memo()[INTERACTIVE_KEY] = bool(st.session_state[widget_key])


def interactive_toggle(lang: str, key: str) -> bool:
    """The "Interactive charts" switch, off unless turned on earlier in this session (on any visit of the page:
    Streamlit forgets a widget's value once a page without it has run, so the choice is kept in the memo)."""
    return st.toggle(t("svgcharts.interactive", lang), value=memo().get(INTERACTIVE_KEY, False), key=key,
                     help=t("svgcharts.interactive_help", lang), on_change=_remember, args=(key,))


def show(container, interactive: bool, figure, svg, key: str) -> None:
    """One chart in ``container``: ``figure()`` (a Plotly figure) when interactive, else ``svg()`` (an SVG
    string, shown as an image: no script runs in it). Both are callables so only the shown form is drawn."""
    if interactive:
        container.plotly_chart(figure(), key=key)
    else:
        container.image(svg(), width="stretch")
