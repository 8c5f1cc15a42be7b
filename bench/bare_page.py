"""The baseline of bench/load.py: a bare Streamlit page with the Self-assessment page's inputs and no app logic.

The same widgets as the app's page showed for the edition used (captured from it by ``bench/load.py``, written
to the JSON file named by ``DTI_BARE_SPEC``): the sidebar's and the page's inputs, the tabs (same labels, key
``a_tab``, only the open one built, as the app does), and in the open tab one fragment with a horizontal row per
component holding its answer (selectbox/radio with the same formatted options, labels and help), evidence and
note, under the same keys. No database, no scoring, no metrics or captions: what Streamlit itself costs for these
inputs, so that the app's cost per answer is read as a ratio to it in the same run.

    DTI_BARE_SPEC=spec.json streamlit run bench/bare_page.py
"""

import json
import os
import re
from pathlib import Path

import streamlit as st


@st.cache_resource
def page_spec(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def show(widget: dict, where=st) -> None:
    kind, key, label = widget["kind"], widget["key"], widget["label"]
    common = {"key": key, "help": widget.get("help") or None}
    if kind == "selectbox":
        where.selectbox(label, widget["options"], index=None, placeholder=widget.get("placeholder") or None,
                        **common)
    elif kind == "radio":
        where.radio(label, widget["options"], index=None, horizontal=True, **common)
    elif kind == "text_input":
        where.text_input(label, max_chars=widget.get("max_chars") or None,
                         placeholder=widget.get("placeholder") or None, **common)
    elif kind == "checkbox":
        (where.toggle if widget.get("toggle") else where.checkbox)(label, **common)


def component_of(key: str) -> str:
    """'c_1.10_value' → '1.10' (one row per component, as the app's form has)."""
    found = re.fullmatch(r"c\d*_(.+)_[a-z]+(?:_[a-z]+)?", key)
    return found.group(1) if found else key


@st.fragment
def form(widgets: list[dict]) -> None:
    rows: dict[str, list[dict]] = {}
    for widget in widgets:
        rows.setdefault(component_of(widget["key"]), []).append(widget)
    for row in rows.values():
        with st.container(horizontal=True, vertical_alignment="bottom"):
            for widget in row:
                show(widget)


spec = page_spec(os.environ["DTI_BARE_SPEC"])
st.title("Bare page")
for widget in spec["sidebar"]:
    show(widget, st.sidebar)
for widget in spec["top"]:
    show(widget)
labels = spec["tabs"]
tabs = st.tabs(labels, key="a_tab", on_change="rerun")
for tab, label in zip(tabs, labels):
    if tab.open is False:
        continue
    with tab:
        form(spec["forms"].get(label, []))
