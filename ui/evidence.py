"""The evidence files of one component on the self-assessment page: a small popover beside the answer.

Its content (the list, download and delete buttons, the uploader) is built only while the popover is open, so
a page of a hundred components costs one button each. Every read and write goes through ``ui.state``; file
names come from users and are shown as text.
"""

from __future__ import annotations

import streamlit as st

from dti.i18n import fmt_number, t
from dti.io.export import fmt_time
from dti.storage import evidence as evidence_lib
from ui import state
from ui.widgets import plain


def _key(code: str, what: str) -> str:
    # "ev_" keys survive ui.state._forget_widget_values (c_/w_): the popover is not a form field of the answer.
    return f"ev_{what}_{code}"


def size_text(size: int, lang: str) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{fmt_number(size / 1024, lang, 0)} KB"
    return f"{fmt_number(size / 2**20, lang, 1)} MB"


def evidence_popover(code: str, count: int, lang: str) -> None:
    """A 📎 button with the number of files; opened, it lists, downloads, deletes and uploads them."""
    box = st.popover(str(count), icon=":material/attach_file:", help=t("evidence.files", lang, n=count),
                     key=_key(code, "pop"), on_change="rerun")
    if not box.open:
        return
    with box:
        _panel(code, lang)


def _panel(code: str, lang: str) -> None:
    message = st.session_state.pop(_key(code, "msg"), None)
    if message is not None:
        (st.success if message[0] == "ok" else st.error)(message[1])
    files = state.evidence_files(code)
    editable = state.can_edit(code)
    st.markdown(f"**{t('evidence.files', lang, n=len(files))}**")
    if not files:
        st.caption(t("evidence.none", lang))
    for f in files:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.caption(t("evidence.file_line", lang, name=plain(f.file_name), size=size_text(f.size, lang),
                         who=plain(f.uploaded_by), when=fmt_time(f.uploaded_at, lang)))
            st.download_button(t("evidence.download", lang), state.evidence_reader(f.id), file_name=f.file_name,
                               mime=f.media_type, key=_key(code, f"dl_{f.id}"), icon=":material/download:",
                               on_click="ignore")
            if editable:
                st.button(t("evidence.delete", lang), key=_key(code, f"del_{f.id}"), icon=":material/delete:",
                          on_click=_delete, args=(code, f.id, f.file_name, lang))
    if not editable:
        st.caption(t("evidence.read_only", lang, code=code))
        return
    generation = st.session_state.get(_key(code, "gen"), 0)
    st.file_uploader(t("evidence.upload", lang), key=_key(code, f"up_{generation}"), on_change=_upload,
                     args=(code, generation, lang),
                     help=t("evidence.upload_help", lang, mb=evidence_lib.MAX_FILE_BYTES // 10**6,
                            total=evidence_lib.MAX_ASSESSMENT_BYTES // 2**20))


def _upload(code: str, generation: int, lang: str) -> None:
    uploaded = st.session_state.get(_key(code, f"up_{generation}"))
    if uploaded is None:
        return
    problem = state.add_evidence(code, uploaded.getvalue(), uploaded.name)
    st.session_state[_key(code, "msg")] = ("ok", t("evidence.uploaded", lang, name=plain(uploaded.name))) \
        if problem is None else ("error", problem)
    st.session_state[_key(code, "gen")] = generation + 1  # a fresh, empty uploader
    _keep_open(code)


def _keep_open(code: str) -> None:
    # The button's label (the number of files) is part of the popover's identity: a new count makes a new
    # widget, closed unless its key says open.
    st.session_state[_key(code, "pop")] = True


def _delete(code: str, file_id: int, name: str, lang: str) -> None:
    problem = state.delete_evidence(file_id)
    st.session_state[_key(code, "msg")] = ("ok", t("evidence.deleted", lang, name=plain(name))) \
        if problem is None else ("error", problem)
    _keep_open(code)
