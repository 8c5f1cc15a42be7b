"""The self-assessment form of one main index: one input per component, chosen by its rule type.

Each main index is a ``st.fragment``: typing in a component reruns only that main index (its points, its
value and the DTI estimate shown in it), not the whole page. Answers are saved through ``ui.state`` in the
widgets' on_change callbacks, after the component's rule has accepted them; a rejected value stays in the
field with the engine's message beside it and is not saved.
"""

from __future__ import annotations

import streamlit as st

from dti.engine import ComponentScore, score
from dti.framework import Component, Framework, MainIndex
from dti.i18n import fmt_number, fmt_points, name, t
from dti.rules import InputError
from ui import forms, state, widgets


def tab_label(m: MainIndex, lang: str) -> str:
    return f"{m.code}. {m.name(lang)}"


def error_key(code: str) -> str:
    return forms.key(code, "error")


def save_component(comp: Component) -> None:
    """on_change of every widget of a component: read its widgets, check the answer, save it or say why not."""
    values = {k: st.session_state.get(k) for k in forms.all_keys(comp)}
    try:
        response = forms.response_from_widgets(comp, values)
    except InputError as exc:
        st.session_state[error_key(comp.code)] = str(exc)
        return
    st.session_state.pop(error_key(comp.code), None)
    state.set_response(comp.code, response)


@st.fragment
def main_index_form(fw: Framework, main_code: str, lang: str, only_unanswered: bool) -> None:
    with widgets.guard(lang):
        main_index = fw.main_index_by_code[main_code]
        responses = state.get_responses()
        result = score(fw, responses)
        agg = result.main_indices[main_code]
        cols = st.columns(3)
        if main_index.scored:
            cols[0].metric(t("assessment.main_value", lang), fmt_number(agg.value, lang),
                           help=t("assessment.main_value_help", lang))
        else:
            cols[0].metric(t("assessment.main_value", lang), t("assessment.not_scored_main", lang))
        cols[1].metric(t("assessment.answered_here", lang), f"{agg.answered}/{agg.total}")
        cols[2].metric(t("assessment.dti_estimate", lang), fmt_number(result.dti, lang),
                       help=widgets.basis_caption(result, lang))
        shown = 0
        for comp in main_index.components:
            if only_unanswered and comp.code in responses and responses[comp.code].is_answered:
                continue
            component_form(comp, result.components[comp.code], lang)
            shown += 1
        if shown == 0:
            st.success(t("assessment.all_answered_here", lang))


def component_form(comp: Component, scored: ComponentScore, lang: str) -> None:
    code = comp.code
    for k, v in forms.widget_values(comp, state.get_response(code)).items():
        if k not in st.session_state:
            st.session_state[k] = v
    with st.container(border=True, key=f"comp_{code.replace('.', '_')}"):
        head, pts = st.columns([5, 1])
        badge = widgets.provisional_badge(comp.provenance.status, lang)
        head.markdown(f"**{code}** {comp.name(lang)} {badge}",
                      help=(f"{t('common.provisional_help', lang)}\n\n{comp.provenance.source}" if badge else None))
        pts.markdown(points_text(scored, lang))
        if comp.measured_by == "ministry":
            st.caption(":material/info: " + t("assessment.ministry", lang))
        answer_input(comp, lang)
        given = state.get_response(code)
        if given is not None and given.points is not None and comp.rule.type not in ("direct", "parts"):
            st.caption(t("assessment.points_from_file", lang, points=fmt_points(given.points, lang)))
        if error_key(code) in st.session_state:
            st.error(t("assessment.not_saved", lang, problem=st.session_state[error_key(code)]))
        ev, note = st.columns(2)
        ev.text_input(t("assessment.evidence", lang), key=forms.key(code, "evidence"),
                      on_change=save_component, args=(comp,),
                      placeholder=(comp.evidence_en if lang == "en" else comp.evidence_vi) or None)
        note.text_input(t("assessment.note", lang), key=forms.key(code, "note"),
                        on_change=save_component, args=(comp,))


def points_text(scored: ComponentScore, lang: str) -> str:
    if scored.status == "not_scored":
        return t("assessment.not_scored", lang)
    top = fmt_points(scored.max_points, lang)
    if scored.points is None:
        return f":gray[—/{top} {t('common.points', lang)}]"
    text = f"**{fmt_points(scored.points, lang)}**/{top} {t('common.points', lang)}"
    return text + (f" ({t('assessment.estimate', lang)})" if scored.status == "estimate" else "")


def answer_input(comp: Component, lang: str) -> None:
    """The input of one component, chosen by its rule type; every widget saves through save_component."""
    code, rule = comp.code, comp.rule
    common = {"on_change": save_component, "args": (comp,)}
    label = t("assessment.answer", lang)
    if rule.type == "levels":
        labels = {lv.key: f"{name(lv, lang)} ({fmt_points(lv.share * comp.max_points, lang)})" for lv in rule.levels}
        st.selectbox(label, list(labels), format_func=labels.__getitem__, key=forms.key(code, "value"),
                     placeholder=t("assessment.choose", lang), index=None, **common)
    elif rule.type == "yes_no":
        yes_no = {forms.YES: t("assessment.yes", lang), forms.NO: t("assessment.no", lang)}
        st.radio(label, list(yes_no), format_func=yes_no.__getitem__, key=forms.key(code, "value"),
                 horizontal=True, index=None, **common)
    elif rule.type == "ratio":
        a, b = st.columns(2)
        a.number_input(name_of(rule, "a", lang), key=forms.key(code, "a"), value=None, step=1.0,
                       placeholder="a", **common)
        b.number_input(name_of(rule, "b", lang), key=forms.key(code, "b"), value=None, step=1.0,
                       placeholder="b", **common)
    elif rule.type == "stepped":
        steps = ", ".join(f"≥{s.min:g} → {s.share:.0%}" for s in rule.steps)
        st.number_input(f"{label} ({rule.unit_en if lang == 'en' else rule.unit_vi})", key=forms.key(code, "value"),
                        value=None, step=1.0, help=steps, **common)
    elif rule.type == "parts":
        st.caption(t("assessment.parts_hint", lang))
        cols = st.columns(len(rule.parts) + 1)
        for col, part in zip(cols, rule.parts):
            col.checkbox(f"{name(part, lang)} ({part.share:.0%})", key=forms.key(code, f"part_{part.key}"), **common)
        cols[-1].checkbox(t("assessment.no_part", lang), key=forms.key(code, "none"), **common)
    elif rule.type == "direct":
        st.number_input(t("assessment.points_input", lang, top=fmt_points(comp.max_points, lang)),
                        key=forms.key(code, "value"), value=None, step=0.5, **common)
    else:  # not_scored: collected for information only
        st.text_input(t("assessment.info", lang), key=forms.key(code, "value"), **common)


def name_of(rule, part: str, lang: str) -> str:
    return getattr(rule, f"{part}_label_{'en' if lang == 'en' else 'vi'}")
