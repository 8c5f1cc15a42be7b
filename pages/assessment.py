"""Tự đánh giá / Self-assessment: one form per main index, generated from the framework edition."""

import streamlit as st

from dti.i18n import t
from ui import assessment_form, context, files, general_info, widgets
from ui import lang as ui_lang

lang = ui_lang.current()
fw = widgets.scorable_framework(lang)

st.title(t("assessment.title", lang))
context.show(fw, lang, notice=False)  # the notice is in the form's fragment, which answers rerun
general_info.section(fw, lang)
st.caption(t("assessment.intro", lang))
files.download_upload_panel(fw, lang)
only_unanswered = st.toggle(t("assessment.only_unanswered", lang), key="a_only_unanswered")
agency_codes = assessment_form.agency_filter(lang)

# Lazy tabs: only the open main index is built, so a page of 98 components stays quick.
tabs = st.tabs([assessment_form.tab_label(m, lang) for m in fw.main_indices], key="a_tab", on_change="rerun")
for tab, main_index in zip(tabs, fw.main_indices):
    if tab.open is False:
        continue
    with tab:
        assessment_form.main_index_form(fw, main_index.code, lang, only_unanswered, agency_codes)
