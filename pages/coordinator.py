"""Điều phối / Coordinator: the provincial estimate, progress per agency, assignments, periods, appraisal."""

import streamlit as st

from dti.decide import charts
from dti.i18n import fmt_number, fmt_points, t
from dti.scoring.engine import InputProblems, score
from dti.storage import PeriodExists, StorageError, auth, next_period, views
from ui import context, state, storage_widgets, widgets
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
        with st.form("s_add_user", clear_on_submit=True):
            st.markdown(t("coordinator.new_account", lang))
            username = st.text_input(t("auth.username", lang))
            password = st.text_input(t("auth.password", lang), type="password",
                                     help=t("coordinator.password_help", lang))
            role = st.selectbox(t("coordinator.role", lang), ["agency", "coordinator", "viewer"],
                                format_func=lambda r: t(f"auth.role_{r}", lang))
            agency = st.selectbox(t("coordinator.agency", lang), [None, *store.agencies()],
                                  format_func=lambda a: "—" if a is None else a.name)
            if st.form_submit_button(t("coordinator.add_account", lang)):
                try:
                    auth.create_account(store, username, role, password or None,
                                        agency_id=agency.id if agency else None)
                    st.success(t("coordinator.account_added", lang, name=widgets.plain(username)))
                except (StorageError, ValueError) as exc:
                    st.error(storage_widgets.explain(exc, lang))
    st.dataframe([{t("coordinator.agency", lang): a.name, t("coordinator.agency_kind", lang):
                   t(f"coordinator.kind_{a.kind}", lang)} for a in store.agencies()], hide_index=True)



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

with assign:
    names = [a.name for a in store.agencies()]
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
        st.success(t("coordinator.saved_assignments", lang, n=n))

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
        })
    if editable and st.button(t("coordinator.save_appraisal", lang), type="primary") and edited_appraisal is not None:
        problems = []
        for old, new in zip(before_appraisal, edited_appraisal):
            if old["appraisal"] != new["appraisal"]:
                try:
                    store.set_appraisal(actor, state.assessment_to_write().id, new["code"], new["appraisal"])
                except InputProblems as exc:  # the rule's reason, in the UI's language
                    problems.extend(p.text(lang) for p in exc.problems)
                except (StorageError, ValueError) as exc:
                    problems.append(storage_widgets.explain(exc, lang))
        for p in problems:
            st.error(p)
        if not problems:
            st.rerun()

with history:
    st.dataframe(views.history_rows(store, pid, lang) if period else [], hide_index=True, width="stretch")
