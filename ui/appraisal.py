"""The appraised DTI beside the self-assessed one: shown alike on Overview, Results and Coordinator."""

from __future__ import annotations

import streamlit as st

from dti.framework.model import Framework
from dti.i18n import fmt_number, t
from ui import state, widgets


def appraised_panel(fw: Framework, lang: str, key: str) -> None:
    """Self-assessed and appraised DTI side by side, how many components the appraisal fixed, and the main
    indices it lowered most. Before any appraisal, one line says the appraised DTI is not there yet."""
    found = state.get_appraised()
    with st.container(key=key):
        if not found.has_appraisal:
            st.caption(t("appraisal.none_yet", lang))
            return
        left, right = st.columns(2)
        left.metric(t("appraisal.self_dti", lang), fmt_number(found.self_assessed.dti, lang))
        right.metric(t("appraisal.appraised_dti", lang), fmt_number(found.appraised.dti, lang),
                     **widgets.delta(found.delta, lang))
        st.caption(t("appraisal.marked", lang, n=len(found.appraised_codes),
                     total=found.appraised.total))
        lowered = found.lowered_most(3)
        if lowered:
            items = "; ".join(f"{c.code}. {widgets.plain(fw.main_index_by_code[c.code].name(lang))} "
                              f"{fmt_number(c.self_value, lang)} → {fmt_number(c.appraised_value, lang)}"
                              for c in lowered)
            st.markdown(t("appraisal.lowered_most", lang, items=items))
