"""Điều phối / Coordinator: the provincial estimate, progress per agency, assignments, periods, appraisal."""

import streamlit as st

from dti.i18n import fmt_number, t
from dti.storage import PeriodExists, StorageError, next_period, views
from ui import accounts, state, storage_widgets, widgets
from ui import lang as ui_lang

lang = ui_lang.current()
fw = widgets.scorable_framework(lang)
storage_widgets.period_picker(lang)
storage_widgets.who_is_working(lang)
actor = storage_widgets.require_role(lang, "coordinator", "viewer")
store = state.store()
period = state.current_assessment()
editable = actor.role == "coordinator"

st.title(t("coordinator.title", lang))
st.caption(t("coordinator.intro", lang, period=t("storage.period_label", lang, year=period.year,
                                                   quarter=period.quarter)))

result = store.result(period.id)
cols = st.columns(3)
cols[0].metric(t("coordinator.estimate", lang), fmt_number(result.dti, lang), help=widgets.basis_caption(result, lang))
cols[1].metric(t("coordinator.answered", lang), f"{result.answered}/{result.total}")
lowest = [fw.main_index_by_code[c] for c in result.lowest_main_indices[:1]]
cols[2].metric(t("coordinator.lowest", lang), ", ".join(f"{m.code}. {m.name(lang)}" for m in lowest) or "—")

progress, assign, agencies, periods, appraisal, history = st.tabs(
    [t(f"coordinator.tab_{k}", lang) for k in ("progress", "assign", "agencies", "periods", "appraisal", "history")])

with progress:
    due = st.date_input(t("coordinator.due_date", lang), value=period.due_date, disabled=not editable,
                        key=f"s_due_{period.id}")
    if editable and due != period.due_date:
        store.set_due_date(actor, period.id, due)
        st.rerun()
    rows = views.progress_rows(store, period.id, lang)
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.info(t("coordinator.nothing_assigned", lang))

with assign:
    names = [a.name for a in store.agencies()]
    before = views.assignment_rows(fw, store, period.id, lang)
    edited = st.data_editor(
        before, key=f"s_assign_{period.id}", hide_index=True, width="stretch",
        disabled=["code", "name"] if editable else True,
        column_config={
            "code": st.column_config.TextColumn(t("excel.col_code", lang), width="small"),
            "name": st.column_config.TextColumn(t("excel.col_name", lang), width="large"),
            "lead": st.column_config.SelectboxColumn(t("coordinator.lead", lang), options=names),
            "supporting": st.column_config.MultiselectColumn(t("coordinator.supporting", lang), options=names),
        })
    if editable and st.button(t("coordinator.save_assignments", lang), type="primary"):
        n = views.save_assignment_rows(actor, store, period.id, before, edited)
        st.success(t("coordinator.saved_assignments", lang, n=n))

with agencies:
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

with periods:
    year, quarter = next_period(period.year, period.quarter)
    target = t("storage.period_label", lang, year=year, quarter=quarter)
    if editable and st.button(t("coordinator.copy_period", lang, target=target)):
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
        st.plotly_chart(views.comparison_figure(fw, cmp, lang), width="stretch")

with appraisal:
    before_appraisal = views.appraisal_rows(fw, store, period.id, lang)
    edited_appraisal = st.data_editor(
        before_appraisal, key=f"s_appraisal_{period.id}", hide_index=True, width="stretch",
        disabled=["code", "name", "max_points", "points", "difference"] if editable else True,
        column_config={
            "code": st.column_config.TextColumn(t("excel.col_code", lang), width="small"),
            "name": st.column_config.TextColumn(t("excel.col_name", lang), width="large"),
            "max_points": st.column_config.NumberColumn(t("excel.col_max_points", lang)),
            "points": st.column_config.NumberColumn(t("excel.col_points", lang)),
            "appraisal": st.column_config.NumberColumn(t("excel.col_appraisal_points", lang), min_value=0),
            "difference": st.column_config.NumberColumn(t("excel.col_difference", lang)),
        })
    if editable and st.button(t("coordinator.save_appraisal", lang), type="primary"):
        problems = []
        for old, new in zip(before_appraisal, edited_appraisal):
            if old["appraisal"] != new["appraisal"]:
                try:
                    store.set_appraisal(actor, period.id, new["code"], new["appraisal"])
                except (StorageError, ValueError) as exc:
                    problems.append(storage_widgets.explain(exc, lang))
        for p in problems:
            st.error(p)
        if not problems:
            st.rerun()

with history:
    st.dataframe(views.history_rows(store, period.id, lang), hide_index=True, width="stretch")
