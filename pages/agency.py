"""Chỉ số của tôi / My components: an agency answers only the components assigned to it, with status."""

import streamlit as st

from dti.i18n import fmt_number, t
from dti.scoring.engine import score
from dti.storage import ConflictError, StorageError, StorageUnavailable
from dti.storage.models import STATUSES
from ui import assessment_form, context, state, storage_widgets, widgets
from ui import lang as ui_lang

lang = ui_lang.current()
fw = widgets.scorable_framework(lang)
storage_widgets.who_is_working(lang)
actor = storage_widgets.require_role(lang, "agency", "coordinator")
store = state.store()
period = state.current_assessment()

st.title(t("agency.title", lang))
context.show(fw, lang)
if actor.role == "agency":
    agency_id = actor.agency_id
else:  # the coordinator sees (and can fill) any agency's list
    agencies = store.agencies()
    if not agencies:
        st.info(t("agency.no_agencies", lang))
        st.stop()
    agency_id = st.selectbox(t("agency.view_as", lang), [a.id for a in agencies],
                             format_func={a.id: a.name for a in agencies}.__getitem__, key="s_view_as")

mine = store.components_of(period.id, agency_id) if period else set()  # no period yet: nothing assigned
if not mine:
    st.info(t("agency.nothing_assigned", lang))
    st.stop()

responses = state.get_responses()
result = score(fw, responses)
stored = state.get_stored()
done = sum(stored[c].status == "done" for c in mine if c in stored)
st.caption(t("agency.summary", lang, n=len(mine), done=done, dti=fmt_number(result.dti, lang)))


def _save_status(code: str) -> None:
    try:
        current = store.stored_response(period.id, code)
        store.save_response(actor, period.id, code, current.version if current else 0,
                            status=st.session_state[f"s_status_{code}"],
                            links=st.session_state.get(f"s_links_{code}", ""))
    except (ConflictError, StorageError, StorageUnavailable) as exc:
        st.session_state[f"s_status_error_{code}"] = storage_widgets.explain(exc, lang)


stale = state.get_unreadable()
files = state.evidence_counts()
for comp in (c for c in fw.components if c.code in mine):
    assessment_form.component_form(comp, result.components[comp.code], responses.get(comp.code), lang,
                                   stale.get(comp.code), files=files.get(comp.code, 0))
    saved = stored.get(comp.code)
    left, right = st.columns([1, 2])
    st.session_state[f"s_status_{comp.code}"] = saved.status if saved else "not_started"
    left.selectbox(t("excel.col_status", lang), STATUSES, key=f"s_status_{comp.code}",
                   format_func=lambda s: t(f"storage.status_{s}", lang), on_change=_save_status, args=(comp.code,))
    st.session_state.setdefault(f"s_links_{comp.code}", saved.links if saved else "")
    right.text_input(t("excel.col_links", lang), key=f"s_links_{comp.code}", on_change=_save_status,
                     args=(comp.code,))
    if f"s_status_error_{comp.code}" in st.session_state:
        st.error(st.session_state.pop(f"s_status_error_{comp.code}"))
