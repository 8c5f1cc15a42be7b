"""Báo cáo / Report: the one-page HTML report for the agency head and the full Excel workbook."""

import streamlit as st

from dti.decide import peers, report, scenarios
from dti.i18n import fmt_number, t
from dti.io.export import XLSX_MIME
from dti.scoring.engine import score
from ui import context, decide, state, widgets
from ui import lang as ui_lang

NS = "decide"  # scenarios and the goal-seek plan of the real assessment (never the workshop's)

lang = ui_lang.current()
fw = widgets.scorable_framework(lang)
responses = state.get_responses()
result = score(fw, responses)
table = peers.load_published()

st.title(t("report.title", lang))
st.caption(t("report.page_intro", lang))
context.show(fw, lang)
province = state.province_name()  # set once on the Coordinator page
year, rank_of = decide.year_picker(table, lang, key="report")

saved = {s.name: s for s in decide.saved_scenarios(NS, fw)}
none = t("report.no_scenario", lang)
picked = st.selectbox(t("report.pick_scenario", lang), [none, *saved], key="report_scenario")
plan = st.session_state.get(f"{NS}_plan")
include_plan = st.checkbox(t("report.include_plan", lang), value=plan is not None, disabled=plan is None,
                           key="report_include_plan")

band = decide.band_panel(fw, responses, result, lang, table, year, rank_of, key="report_band",
                         appraised=decide.appraised_codes())
data = report.ReportData(
    fw, responses, result, province=province, lang=lang, band=band,
    rank=None if result.is_empty else table.estimate_rank(result.dti, year, "dti", rank_of),
    scenario=scenarios.apply(fw, responses, saved[picked]) if picked in saved else None,
    plan=plan if include_plan else None, period=state.export_context(lang).period(),
    appraisal={c: r.appraisal_points for c, r in state.get_stored().items() if r.appraisal_points is not None},
    evidence_files=state.evidence_counts())
st.metric(t("common.dti", lang), fmt_number(result.dti, lang))
st.caption(widgets.basis_caption(result, lang))

html_col, xlsx_col = st.columns(2)
# Deferred: drawing the chart (matplotlib) takes a moment, so the report is built only when downloaded.
html_col.download_button(t("report.download_html", lang), data=lambda: report.html_report(data),
                         file_name=state.download_name("báo cáo", "html"), mime="text/html",
                         icon=":material/description:", key="report_html", on_click="ignore")
xlsx_col.download_button(t("report.download_xlsx", lang), data=lambda: report.excel_report(data),
                         file_name=state.download_name("báo cáo", "xlsx"), icon=":material/table:",
                         key="report_xlsx", on_click="ignore", mime=XLSX_MIME)
