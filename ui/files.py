"""Answer files in the UI: the downloads and the upload, the same on every page that has them.

Downloads go through the one writer (``dti.io.export``) and are named by ``state.download_name``; an upload
is read by the one reader (``dti.io.excel.read_upload``), shows what it will change, and is merged unless the
user chooses to replace the assessment, which needs a confirmation naming how many answers it replaces and
clears (Store refuses a replace without that plan).
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from dti.framework.model import Framework
from dti.i18n import t
from dti.io import export
from dti.io.excel import MAX_UPLOAD_BYTES, ImportRefused, read_upload
from ui import state
from ui.widgets import plain

UPLOAD_MESSAGE_KEY = "files_upload_message"  # (prefix, kind, text, details) shown after the rerun
ANSWERS_KIND = "tự đánh giá"


def _message_key(prefix: str) -> str:
    return f"{UPLOAD_MESSAGE_KEY}_{prefix}"


def upload_key(prefix: str) -> str:
    """The uploader's key; it changes after an import so the uploader is empty again."""
    return f"{prefix}_upload_{st.session_state.get(f'{prefix}_upload_n', 0)}"


def download_buttons(fw: Framework, lang: str, prefix: str) -> None:
    """CSV, Excel and JSON of the current assessment, built only when clicked (deferred)."""
    cols = st.columns(3)
    labels = {"csv": "⬇ CSV", "xlsx": "⬇ Excel (.xlsx)", "json": "⬇ JSON"}
    # Everything the file needs is resolved now: the deferred build runs without this session's state.
    read_stored, ctx = state.stored_reader(), state.export_context(lang)
    for col, (ext, (write, mime)) in zip(cols, export.WRITERS.items()):
        col.download_button(labels[ext], partial(_build, write, fw, read_stored, ctx),
                            state.download_name(ANSWERS_KIND, ext), mime, key=f"{prefix}_dl_{ext}", on_click="ignore")


def _build(write, fw: Framework, read_stored, ctx: export.ExportContext) -> bytes:
    return write(fw, read_stored(), ctx)


def upload_panel(fw: Framework, lang: str, prefix: str) -> None:
    """Upload a file of answers: check it whole, show what changes, merge (default) or replace after confirming."""
    done = st.session_state.pop(_message_key(prefix), None)
    if done:
        st.success(done)
    uploaded = st.file_uploader(t("assessment.upload", lang), type=["csv", "xlsx", "json"], key=upload_key(prefix),
                                help=t("files.upload_help", lang, mb=MAX_UPLOAD_BYTES // 10**6))
    if uploaded is None:
        return
    try:
        responses = read_upload(fw, uploaded.getvalue(), uploaded.name)
    except ImportRefused as exc:
        st.error(t("assessment.upload_failed", lang, file=plain(uploaded.name), n=len(exc.problems)))
        st.text("\n".join(f"• {p.text(lang)}" for p in exc.problems[:100]))  # file text: shown as text
        return
    replace = st.toggle(t("files.replace", lang), key=f"{prefix}_replace", help=t("files.replace_help", lang))
    plan = state.import_plan(responses, replace)
    if isinstance(plan, str):  # refused (not your components, a viewer): nothing can be imported
        st.error(t("files.refused", lang, file=plain(uploaded.name), reason=plain(plan)))
        return
    counts = {"file": plain(uploaded.name), "added": len(plan.added), "replaced": len(plan.replaced),
              "cleared": len(plan.cleared)}
    if replace:
        st.warning(t("files.replace_plan", lang, **counts))
        label = t("files.confirm_replace", lang, **counts)
    else:
        st.info(t("files.merge_plan", lang, **counts))
        label = t("files.import_merge", lang)
    if st.button(label, type="primary", key=f"{prefix}_import"):
        refused = state.import_answers(responses, uploaded.name, replace, plan)
        if refused:
            st.error(plain(refused))
            return
        st.session_state[_message_key(prefix)] = t("files.imported", lang, **counts)
        st.session_state[f"{prefix}_upload_n"] = st.session_state.get(f"{prefix}_upload_n", 0) + 1
        st.session_state.pop(f"{prefix}_replace", None)
        st.rerun()


def download_upload_panel(fw: Framework, lang: str) -> None:
    """The Self-assessment page's panel: downloads of the assessment and the upload."""
    # A lazy expander: the assessment is read for the downloads only while the panel is open.
    panel = st.expander(t("assessment.files", lang), key="a_files", on_change="rerun")
    if panel.open is False:
        return
    with panel:
        download_buttons(fw, lang, "a")
        upload_panel(fw, lang, "a")
