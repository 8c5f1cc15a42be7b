"""Điều phối / Coordinator: the provincial estimate, progress per agency, assignments, periods, appraisal."""

import pandas as pd
import streamlit as st

from dti.decide import charts
from dti.i18n import fmt_number, fmt_points, t
from dti.io.export import XLSX_MIME, assignments_xlsx
from dti.scoring.engine import InputProblems, score
from dti.storage import PeriodExists, StorageError, next_period, views
from ui import accounts, context, state, storage_widgets, widgets
from ui import appraisal as appraisal_ui
from ui import lang as ui_lang

lang = ui_lang.current()
fw = widgets.scorable_framework(lang, stop=False)  # None: the edition cannot be scored, accounts still can be managed
storage_widgets.who_is_working(lang)
actor = storage_widgets.require_role(lang, "coordinator", "viewer")
store = state.store()
editable = actor.role == "coordinator"


def agencies_and_accounts() -> None:
    """Agencies and log-in accounts: independent of the edition, so kept when it cannot be scored."""
    if editable:
        with st.form("s_add_agency", clear_on_submit=True):
            name = st.text_input(t("coordinator.agency_name", lang))
            kind = st.selectbox(t("coordinator.agency_kind", lang), ["department", "district", "other"],
                                format_func=lambda k: t(f"coordinator.kind_{k}", lang))
            if st.form_submit_button(t("coordinator.add_agency", lang)):
                try:
                    store.add_agency(actor, name, kind)
                    st.success(t("coordinator.agency_added", lang, name=widgets.plain(name)))
                except StorageError as exc:
                    st.error(storage_widgets.explain(exc, lang))
        accounts.new_account_form(lang, actor)
    st.dataframe([{t("coordinator.agency", lang): a.name, t("coordinator.agency_kind", lang):
                   t(f"coordinator.kind_{a.kind}", lang)} for a in store.agencies()], hide_index=True)
    accounts.administration(lang, actor if editable else None)



def _province_changed() -> None:
    problem = state.set_province_name(st.session_state["s_province"])
    if problem:
        st.session_state["s_province_error"] = problem


st.title(t("coordinator.title", lang))
if fw is None:
    st.subheader(t("coordinator.tab_agencies", lang))
    agencies_and_accounts()
    st.stop()
period = state.current_assessment()  # None: nobody has saved anything in this period yet
pid = period.id if period else None  # reads of a missing period are empty; writes create it
year_now, quarter_now = state.current_period()
context.show(fw, lang)
st.caption(t("coordinator.intro", lang, period=t("storage.period_label", lang, year=year_now, quarter=quarter_now)))
st.session_state["s_province"] = state.province_name()
st.text_input(t("context.province_name", lang), key="s_province", max_chars=120, disabled=not editable,
              help=t("context.province_help", lang), on_change=_province_changed)
if "s_province_error" in st.session_state:
    st.error(st.session_state.pop("s_province_error"))

result = score(fw, state.get_responses())
cols = st.columns(3)
cols[0].metric(t("coordinator.estimate", lang), fmt_number(result.dti, lang), help=widgets.basis_caption(result, lang))
cols[1].metric(t("coordinator.answered", lang), f"{result.answered}/{result.total}")
lowest = [fw.main_index_by_code[c] for c in result.lowest_main_indices[:1]]  # none while nothing is answered
cols[2].metric(t("coordinator.lowest", lang),
               widgets.plain(", ".join(f"{m.code}. {m.name(lang)}" for m in lowest) or "—"))

appraisal_ui.appraised_panel(fw, lang, key="c_appraised")

progress, assign, agencies, periods, appraisal, history = st.tabs(
    [t(f"coordinator.tab_{k}", lang) for k in ("progress", "assign", "agencies", "periods", "appraisal", "history")])

with progress:
    due_before = period.due_date if period else None
    due = st.date_input(t("coordinator.due_date", lang), value=due_before, disabled=not editable,
                        key=f"s_due_{pid}", format="DD/MM/YYYY")  # Vietnamese order: day/month/year
    if editable and due != due_before:
        store.set_due_date(actor, state.assessment_to_write().id, due)
        st.rerun()
    rows = views.progress_rows(store, pid, lang) if period else []
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.info(t("coordinator.nothing_assigned", lang))
    if rows:
        st.subheader(t("appraisal.drill_title", lang))
        drill_agencies = {p.agency_id: p.name for p in store.progress(pid) if p.assigned}
        drill_id = st.selectbox(t("appraisal.drill_pick", lang), list(drill_agencies),
                                format_func=drill_agencies.__getitem__, key=f"s_drill_{pid}")
        drill = views.agency_drilldown(fw, store, pid, drill_id, lang)
        st.caption(t("appraisal.drill_summary", lang, answered=drill.answered, n=len(drill.rows),
                     evidence=drill.with_evidence, overdue=drill.overdue, at_stake=fmt_points(drill.at_stake, lang)))
        drill_table = views.drilldown_rows(drill, lang)
        overdue_column = t("appraisal.col_overdue", lang)
        st.dataframe(pd.DataFrame(drill_table).style.apply(
            lambda row: ["background-color: #fdecea" if row[overdue_column] else "" for _ in row], axis=1),
            hide_index=True, width="stretch", key=f"s_drill_table_{pid}")

with assign:
    agency_list = store.agencies()
    if editable and not agency_list:
        st.info(t("appraisal.no_agencies", lang))
    elif editable:
        with st.form("s_bulk_assign"):
            st.markdown(t("appraisal.bulk_title", lang))
            bulk_mains = st.multiselect(t("appraisal.bulk_main", lang), [m.code for m in fw.main_indices],
                                        format_func=lambda c: f"{c}. {fw.main_index_by_code[c].name(lang)}",
                                        key="s_bulk_mains")
            bulk_codes = st.multiselect(t("appraisal.bulk_components", lang), [c.code for c in fw.components],
                                        format_func=lambda c: f"{c} {fw.component_by_code[c].name(lang)}",
                                        key="s_bulk_codes")
            agency_names = {a.id: a.name for a in agency_list}
            bulk_lead = st.selectbox(t("appraisal.bulk_lead", lang), list(agency_names), index=None,
                                     format_func=agency_names.__getitem__, key="s_bulk_lead")
            bulk_support = st.multiselect(t("appraisal.bulk_supporting", lang), list(agency_names),
                                          format_func=agency_names.__getitem__, key="s_bulk_support")
            if st.form_submit_button(t("appraisal.bulk_button", lang), type="primary"):
                chosen = [c.code for c in fw.components
                          if c.main_code in bulk_mains or c.code in bulk_codes]
                if not chosen or bulk_lead is None:
                    st.warning(t("appraisal.bulk_nothing", lang))
                else:
                    try:
                        n = store.assign_many(actor, state.assessment_to_write().id, chosen, bulk_lead, bulk_support)
                        st.session_state["s_bulk_done"] = t("appraisal.bulk_done", lang, n=n,
                                                            agency=widgets.plain(agency_names[bulk_lead]))
                        st.rerun()  # the grid and the progress show the new assignment at once
                    except StorageError as exc:
                        st.error(storage_widgets.explain(exc, lang))
        if "s_bulk_done" in st.session_state:
            st.success(st.session_state.pop("s_bulk_done"))
    if agency_list:
        agency_name = {a.id: a.name for a in agency_list}
        shown_assignment = {code: (agency_name.get(lead, ""), sorted(agency_name[i] for i in sup if i in agency_name))
                            for code, (lead, sup) in (store.assignments(pid) if pid else {}).items()}
        st.download_button(t("appraisal.download_assignment", lang), icon=":material/table:", mime=XLSX_MIME,
                           data=assignments_xlsx(fw, shown_assignment, period.due_date if period else None,
                                                 state.export_context(lang)),
                           file_name=state.download_name("phân công", "xlsx"), key="s_assign_download",
                           on_click="ignore")
    if editable and agency_list:
        assignment_file = st.file_uploader(t("appraisal.upload_assignment", lang), type=["xlsx", "csv"],
                                           key="s_assign_upload")
        if assignment_file is not None and st.button(t("appraisal.import_assignment", lang), key="s_assign_import"):
            try:
                n = store.import_assignments(actor, state.assessment_to_write().id, assignment_file.getvalue(),
                                             assignment_file.name)
                st.session_state["s_bulk_done"] = t("appraisal.imported_assignment", lang, n=n,
                                                    file=widgets.plain(assignment_file.name))
                st.rerun()
            except InputProblems as exc:  # every row refused, with its row, component and fix; nothing written
                st.error(t("assessment.upload_failed", lang, file=widgets.plain(assignment_file.name),
                           n=len(exc.problems)))
                st.text("\n".join(f"• {p.text(lang)}" for p in exc.problems[:100]))  # file text: shown as text
            except StorageError as exc:
                st.error(storage_widgets.explain(exc, lang))
    names = [a.name for a in agency_list]
    before = views.assignment_rows(fw, store, pid, lang)
    edited = st.data_editor(
        before, key=f"s_assign_{pid}", hide_index=True, width="stretch",
        disabled=["code", "name"] if editable else True,
        column_config={
            "code": st.column_config.TextColumn(t("excel.col_code", lang), width="small"),
            "name": st.column_config.TextColumn(t("excel.col_name", lang), width="large"),
            "lead": st.column_config.SelectboxColumn(t("coordinator.lead", lang), options=names),
            "supporting": st.column_config.MultiselectColumn(t("coordinator.supporting", lang), options=names),
        })
    if editable and st.button(t("coordinator.save_assignments", lang), type="primary"):
        n = views.save_assignment_rows(actor, store, state.assessment_to_write().id, before, edited)
        st.session_state["s_bulk_done"] = t("coordinator.saved_assignments", lang, n=n)
        st.rerun()  # the progress tab and the grid read the saved assignment

with agencies:
    agencies_and_accounts()

with periods:
    year, quarter = next_period(year_now, quarter_now)
    target = t("storage.period_label", lang, year=year, quarter=quarter)
    if editable and period is not None and st.button(t("coordinator.copy_period", lang, target=target)):
        try:
            store.copy_period(actor, period.id, year, quarter)
            state.set_period(year, quarter)
            st.rerun()
        except PeriodExists:
            st.warning(t("coordinator.period_exists", lang, target=target))
    choices = [a for a in store.assessments() if a.edition_id == fw.id]
    label = {a.id: t("storage.period_label", lang, year=a.year, quarter=a.quarter) for a in choices}
    if len(choices) < 2:
        st.info(t("coordinator.compare_need_two", lang))
    else:
        left, right = st.columns(2)
        before_id = left.selectbox(t("coordinator.compare_before", lang), [a.id for a in choices][1:] +
                                   [choices[0].id], format_func=label.__getitem__)
        after_id = right.selectbox(t("coordinator.compare_after", lang), [a.id for a in choices],
                                   format_func=label.__getitem__)
        cmp = store.compare(before_id, after_id)
        st.metric("DTI", fmt_number(cmp.dti.after, lang), delta=widgets.signed(cmp.dti.delta or 0.0, lang))
        st.plotly_chart(charts.localize(views.comparison_figure(fw, cmp, lang), lang), width="stretch")

with appraisal:
    before_appraisal = views.appraisal_rows(fw, store, pid, lang)
    shown_appraisal = [{**r, **{k: fmt_points(r[k], lang) if r[k] is not None else "" for k in
                                ("max_points", "points", "difference")}} for r in before_appraisal]
    # Text cells read by the one number parser: a grid's number cell reads '1,5' as 15.
    edited_appraisal = widgets.number_grid(
        shown_appraisal, key=f"s_appraisal_{pid}", lang=lang, editable={"appraisal": (0.0, None)},
        row_label="code", labels={"appraisal": t("excel.col_appraisal_points", lang)}, hide_index=True,
        width="stretch", disabled=["code", "name", "max_points", "points", "difference"] if editable else True,
        column_config={
            "code": st.column_config.TextColumn(t("excel.col_code", lang), width="small"),
            "name": st.column_config.TextColumn(t("excel.col_name", lang), width="large"),
            "max_points": st.column_config.TextColumn(t("excel.col_max_points", lang)),
            "points": st.column_config.TextColumn(t("excel.col_points", lang)),
            "difference": st.column_config.TextColumn(t("excel.col_difference", lang)),
            "appraisal_note": st.column_config.TextColumn(t("appraisal.col_note", lang), width="large"),
        })
    if editable and st.button(t("coordinator.save_appraisal", lang), type="primary") and edited_appraisal is not None:
        # Every changed row is checked before anything is written (Store.set_appraisals): all or nothing.
        changed_rows = {new["code"]: (new["appraisal"], new["appraisal_note"] or "")
                        for old, new in zip(before_appraisal, edited_appraisal)
                        if (old["appraisal"], old["appraisal_note"] or "") != (new["appraisal"],
                                                                                 new["appraisal_note"] or "")}
        if not changed_rows:
            st.info(t("appraisal.appraisal_unchanged", lang))
        else:
            try:
                n = store.set_appraisals(actor, state.assessment_to_write().id, changed_rows)
                st.session_state["s_appraisal_done"] = t("appraisal.appraisal_saved", lang, n=n)
                st.rerun()
            except InputProblems as exc:  # the rule's reason, in the UI's language, naming each component
                st.warning(t("appraisal.appraisal_refused", lang))
                for problem in exc.problems:
                    st.error(problem.text(lang))
            except (StorageError, ValueError) as exc:
                st.error(storage_widgets.explain(exc, lang))
    if "s_appraisal_done" in st.session_state:
        st.success(st.session_state.pop("s_appraisal_done"))

with history:
    st.dataframe(views.history_rows(store, pid, lang) if period else [], hide_index=True, width="stretch")
