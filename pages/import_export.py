"""Nhập / xuất Excel: the offline template, an all-or-nothing upload, and exports of the assessment."""

import streamlit as st

from dti.i18n import t
from dti.io import excel
from dti.io.excel import ImportRefused
from dti.storage import PermissionDenied
from ui import lang as ui_lang
from ui import state, storage_widgets, widgets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
lang = ui_lang.current()
fw = widgets.scorable_framework(lang)
storage_widgets.who_is_working(lang)
actor = storage_widgets.require_role(lang, "coordinator", "agency", "viewer")
store = state.store()
period = state.current_assessment()  # None until something is saved in this period
year, quarter = state.current_period()
mine = (store.components_of(period.id, actor.agency_id) if period else set()) if actor.role == "agency" else None
stem = f"{fw.id}-{year}-q{quarter}"

st.title(t("import_export.title", lang))
st.subheader(t("import_export.template", lang))
st.caption(t("import_export.template_help", lang))
st.download_button(t("import_export.download_template", lang),
                   lambda: excel.template(fw, lang, codes=mine, stored=state.get_stored()),
                   f"{stem}-mau.xlsx", XLSX, key="s_dl_template", on_click="ignore")

if actor.role != "viewer":
    st.subheader(t("import_export.upload", lang))
    uploaded = st.file_uploader(t("import_export.upload_label", lang), type=["xlsx", "csv", "json"],
                                key="s_upload", help=t("import_export.upload_help", lang,
                                                       mb=excel.MAX_UPLOAD_BYTES // 10**6))
    if uploaded is not None and st.button(t("import_export.import", lang), type="primary"):
        try:
            n = store.import_file(actor, state.assessment_to_write().id, uploaded.getvalue(), uploaded.name)
        except ImportRefused as exc:
            st.error(t("import_export.refused", lang, file=uploaded.name, n=len(exc.problems)))
            st.markdown("\n".join(f"- {p.text(lang)}" for p in exc.problems[:100]))
        except PermissionDenied as exc:
            st.error(t("import_export.denied", lang, file=uploaded.name, codes=exc.code))
        else:
            state.set_period(year, quarter)  # forms re-read the imported answers
            st.success(t("import_export.imported", lang, file=uploaded.name, n=n))

st.subheader(t("import_export.export", lang))
left, right = st.columns(2)
left.download_button("⬇ Excel (.xlsx)", lambda: excel.export_xlsx(fw, state.get_stored(), lang), f"{stem}.xlsx",
                     XLSX, key="s_dl_xlsx", on_click="ignore")
right.download_button("⬇ CSV", lambda: excel.export_csv(fw, state.get_stored(), lang), f"{stem}.csv", "text/csv",
                      key="s_dl_csv", on_click="ignore")
