"""Download the assessment as CSV/JSON/XLSX and upload it back (all-or-nothing, every problem listed)."""

from __future__ import annotations

import csv
import io
import json
from functools import partial

import streamlit as st

from dti.framework.model import Framework
from dti.i18n import t
from dti.io.inputs import responses_from_bytes, responses_to_rows
from dti.scoring.engine import InputProblems, Response
from ui import lang as ui_lang
from ui import state
from ui.widgets import plain

UPLOAD_KEY = "a_upload"
UPLOAD_MESSAGE_KEY = "a_upload_message"
COLUMNS = ["code", "name_vi", "value", "points", "evidence", "note"]


def to_csv(fw: Framework, responses: dict[str, Response]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(responses_to_rows(fw, responses))
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel open Vietnamese text correctly


def to_json(fw: Framework, responses: dict[str, Response]) -> bytes:
    doc = {"framework": fw.id, "responses": responses_to_rows(fw, responses)}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def to_xlsx(fw: Framework, responses: dict[str, Response]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "assessment"
    ws.append(COLUMNS)
    for row in responses_to_rows(fw, responses):
        ws.append([row[c] for c in COLUMNS])
    ws.column_dimensions["B"].width = 60
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _on_upload(fw: Framework) -> None:
    uploaded = st.session_state.get(UPLOAD_KEY)
    if uploaded is None:
        return
    try:
        responses = responses_from_bytes(fw, uploaded.getvalue(), uploaded.name)
    except InputProblems as exc:
        lang = ui_lang.current()
        st.session_state[UPLOAD_MESSAGE_KEY] = ("error", uploaded.name, [p.text(lang) for p in exc.problems])
        return
    refused = state.replace_responses(responses)
    if refused:
        st.session_state[UPLOAD_MESSAGE_KEY] = ("error", uploaded.name, [refused])
        return
    answered = sum(r.is_answered for r in responses.values())
    st.session_state[UPLOAD_MESSAGE_KEY] = ("ok", uploaded.name, [str(answered)])


def download_upload_panel(fw: Framework, lang: str) -> None:
    message = st.session_state.get(UPLOAD_MESSAGE_KEY)
    # A lazy expander: the assessment is read for the downloads only while the panel is open.
    # It stays as the user left it (open after an upload, so the upload's messages are seen).
    panel = st.expander(t("assessment.files", lang), key="a_files", on_change="rerun")
    if panel.open is False:
        return
    with panel:
        responses = state.get_responses()
        cols = st.columns(3)
        stem = f"{fw.id}-tu-danh-gia"
        # Files are built only when a button is clicked (deferred data), not on every rerun.
        downloads = [("⬇ CSV", to_csv, "csv", "text/csv"),
                     ("⬇ Excel (.xlsx)", to_xlsx, "xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                     ("⬇ JSON", to_json, "json", "application/json")]
        for col, (label, build, ext, mime) in zip(cols, downloads):
            col.download_button(label, partial(build, fw, responses), f"{stem}.{ext}", mime, key=f"a_dl_{ext}",
                                on_click="ignore")
        st.file_uploader(t("assessment.upload", lang), type=["csv", "xlsx", "json"], key=UPLOAD_KEY,
                         on_change=_on_upload, args=(fw,), help=t("assessment.upload_help", lang))
        if message:
            kind, filename, details = message
            if kind == "ok":
                st.success(t("assessment.upload_ok", lang, file=plain(filename), answered=details[0]))
            else:
                st.error(t("assessment.upload_failed", lang, file=plain(filename), n=len(details)))
                st.markdown("\n".join(f"- {plain(d)}" for d in details[:50]))
