"""Nhập / xuất Excel: the offline template, the upload of a file of answers, and exports of the assessment."""

import streamlit as st

from dti.i18n import t
from dti.io import excel
from dti.io.export import XLSX_MIME
from ui import files, state, storage_widgets, widgets
from ui import lang as ui_lang

lang = ui_lang.current()
fw = widgets.scorable_framework(lang)
storage_widgets.who_is_working(lang)
actor = storage_widgets.require_role(lang, "coordinator", "agency", "viewer")
store = state.store()
period = state.current_assessment()  # None until something is saved in this period
mine = (store.components_of(period.id, actor.agency_id) if period else set()) if actor.role == "agency" else None

st.title(t("import_export.title", lang))
st.subheader(t("import_export.template", lang))
st.caption(t("import_export.template_help", lang))
read_stored = state.stored_reader()  # the deferred build runs without this session's state
st.download_button(t("import_export.download_template", lang),
                   lambda: excel.template(fw, lang, codes=mine, stored=read_stored()),
                   state.download_name("mẫu nhập", "xlsx"), XLSX_MIME, key="s_dl_template", on_click="ignore")

if actor.role != "viewer":
    st.subheader(t("import_export.upload", lang))
    files.upload_panel(fw, lang, "s")

st.subheader(t("import_export.export", lang))
files.download_buttons(fw, lang, "s")
