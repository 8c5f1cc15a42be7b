"""The self-assessment form of one main index: one input per component, chosen by its rule type.

Each main index is a ``st.fragment``: typing in a component reruns only that main index (its points, its
value and the DTI estimate shown in it), not the whole page. Answers are saved through ``ui.state`` in the
widgets' on_change callbacks, after the component's rule has accepted them; a rejected value stays in the
field with the engine's message beside it and is not saved.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from dti.framework.model import Component, Framework, MainIndex
from dti.i18n import fmt_number, fmt_points, name, t
from dti.scoring.engine import ComponentScore, Response, score
from dti.scoring.rules import InputError, is_blank
from dti.storage.repo import UnreadableAnswer
from ui import context, forms, state, widgets
from ui import lang as ui_lang
from ui.evidence import evidence_popover

SIDE_WIDTH = 210  # px: evidence and note beside the answer


def tab_label(m: MainIndex, lang: str) -> str:
    return f"{m.code}. {widgets.plain(m.name(lang))}"  # titles come from uploaded catalogues too


def error_key(code: str, scope: str | None = None) -> str:
    """Where a component's refusal is kept; ``scope``: ui.state.form_scope() when the caller has it already."""
    return forms.key(code, "error", state.form_scope() if scope is None else scope)


def save_component(comp: Component) -> None:
    """on_change of every widget of a component: read its widgets, check the answer, save it or say why not."""
    scope = state.form_scope()
    values = {k: st.session_state.get(k) for k in forms.all_keys(comp, scope)}
    try:
        response = forms.response_from_widgets(comp, values, scope)
    except InputError as exc:
        st.session_state[error_key(comp.code, scope)] = exc.text(ui_lang.current())
        return
    st.session_state.pop(error_key(comp.code, scope), None)
    state.set_response(comp.code, response)


def agency_filter(lang: str) -> set[str] | None:
    """Once the coordinator has added agencies: pick one to see only its components (lead or supporting).

    An agency's account starts on its own components. Returns the codes to show, or None for every component.
    """
    agencies = {a.id: a.name for a in state.agencies()}
    if not agencies:
        return None
    actor = state.current_actor()
    options = [None, *agencies]
    own = options.index(actor.agency_id) if actor and actor.role == "agency" and actor.agency_id in agencies else 0
    chosen = st.selectbox(t("assessment.agency", lang), options, key="a_agency", index=own,
                          format_func=lambda i: t("assessment.all_agencies", lang) if i is None else agencies[i])
    if chosen is None:
        return None
    found = state.current_assessment()
    assigned = state.store().assignments(found.id) if found else {}
    return {code for code, (lead, supporting) in assigned.items() if lead == chosen or chosen in supporting}


@st.fragment
def main_index_form(fw: Framework, main_code: str, lang: str, only_unanswered: bool,
                    codes: set[str] | None = None) -> None:
    with widgets.guard(lang):
        context.empty_period_notice(lang)  # here, not above the tabs: the first answer (this fragment) clears it
        main_index = fw.main_index_by_code[main_code]
        responses = state.get_responses()
        stale = state.get_unreadable()
        files = state.evidence_counts()
        result = score(fw, responses)
        agg = result.main_indices[main_code]
        with st.container(horizontal=True):  # three equal metrics in one layout block
            if main_index.scored:
                st.metric(t("assessment.main_value", lang), fmt_number(agg.value, lang),
                          help=t("assessment.main_value_help", lang), width="stretch")
            else:
                st.metric(t("assessment.main_value", lang), t("assessment.not_scored_main", lang), width="stretch")
            st.metric(t("assessment.answered_here", lang), f"{agg.answered}/{agg.total}", width="stretch")
            st.metric(t("assessment.dti_estimate", lang), fmt_number(result.dti, lang),
                      help=widgets.basis_caption(result, lang), width="stretch")
        shown = 0
        editable = state.editable_codes()
        scope = state.form_scope()  # once per run, not per component
        for comp in main_index.components:
            if only_unanswered and comp.code in responses and responses[comp.code].is_answered:
                continue
            if codes is not None and comp.code not in codes:
                continue
            component_form(comp, result.components[comp.code], responses.get(comp.code), lang, stale.get(comp.code),
                           editable, scope, files=files.get(comp.code, 0))
            shown += 1
        if shown == 0 and codes is None:
            st.success(t("assessment.all_answered_here", lang))
        elif shown == 0:
            st.info(t("assessment.none_shown", lang))


def component_form(comp: Component, scored: ComponentScore, given: Response | None, lang: str,
                   stale: UnreadableAnswer | None = None, editable: set[str] | None = None,
                   scope: str | None = None, files: int | None = None) -> None:
    """One component's row; read-only (disabled) unless ``editable`` (None: every component) holds it.

    ``stale``: its stored answer that the current rule no longer reads (said, kept). ``scope``:
    ui.state.form_scope(), the part of the widget keys bound to the assessment on screen. ``files``: its number
    of evidence files (None: no evidence-file button).
    """
    code = comp.code
    scope = state.form_scope() if scope is None else scope
    if forms.key(code, "evidence", scope) not in st.session_state:
        # The form is (re)filled from storage now: first shown, or after an upload, a new period or edition.
        given = state.get_response(code)
    # Widgets take their first value from the stored answer as a parameter (never written into session state),
    # so Streamlit forgets the widgets of other main indices and a rerun stays as cheap as a plain page.
    initial = forms.widget_values(comp, given, scope)
    disabled = editable is not None and code not in editable
    texts = fixed_texts(comp, lang)
    header = texts.title + points_text(scored, lang)
    help_text = texts.help
    # One row per component: the answer (its label is the component's title, mark and points), evidence, note.
    # A single horizontal container (one layout block, where columns need four) keeps a rerun close to the cost
    # of a plain page with the same inputs; the answer stretches, evidence and note keep a fixed width and wrap
    # below it on a narrow screen.
    with st.container(horizontal=True, vertical_alignment="bottom"):
        answer_input(comp, initial, header, help_text, lang, scope, disabled)
        st.text_input(texts.evidence, initial[forms.key(code, "evidence", scope)],
                      key=forms.key(code, "evidence", scope), on_change=save_component, args=(comp,),
                      width=SIDE_WIDTH, placeholder=texts.evidence_hint, disabled=disabled)
        st.text_input(texts.note, initial[forms.key(code, "note", scope)], key=forms.key(code, "note", scope),
                      on_change=save_component, args=(comp,), width=SIDE_WIDTH, disabled=disabled)
        if files is not None:
            evidence_popover(code, files, lang)
    if comp.measured_by == "ministry":
        st.caption(":material/info: " + t("assessment.ministry", lang))
    method_caption(comp, lang)
    if given is not None and given.points is not None and comp.rule.type not in ("direct", "parts"):
        st.caption(t("assessment.points_from_file", lang, points=fmt_points(given.points, lang)))
    if stale is not None:
        shown = stale.value if not is_blank(stale.value) else fmt_points(stale.points, lang)
        st.warning(t("security.stored_unreadable", lang, code=code, value=widgets.plain(shown),
                     reason=widgets.plain(stale.message if lang == "en" else stale.message_vi)))
    if error_key(code, scope) in st.session_state:
        st.error(t("assessment.not_saved", lang, problem=widgets.plain(st.session_state[error_key(code, scope)])))
        if forms.key(code, "retry", scope) in st.session_state:  # a storage fault: the answer in the field, saved again
            st.button(t("faults.save_again", lang), key=forms.key(code, "save_again", scope), on_click=save_component,
                      args=(comp,), icon=":material/save:")


class FixedTexts(NamedTuple):
    """What a component's row shows that depends only on the component and the language."""

    title: str  # code, name and provisional mark, before the points
    help: str | None
    evidence: str
    evidence_hint: str | None
    note: str
    options: list[str]  # level keys (levels rule), else empty
    labels: dict[str, str]  # level key → name with its points
    choose: str


_FIXED: dict[tuple[int, str], tuple[Component, FixedTexts]] = {}


def fixed_texts(comp: Component, lang: str) -> FixedTexts:
    """Built once per component and language (a framework edition never changes once loaded), not on every rerun."""
    found = _FIXED.get((id(comp), lang))
    if found is not None and found[0] is comp:
        return found[1]
    badge = widgets.provisional_badge(comp.provenance.status, lang)
    labels = {}
    if comp.rule.type == "levels":
        labels = {lv.key: f"{name(lv, lang)} ({fmt_points(lv.share * comp.max_points, lang)})"
                  for lv in comp.rule.levels}
    texts = FixedTexts(
        title=f"**{comp.code}** {widgets.plain(comp.name(lang))} {badge} · ",
        help=help_text(comp, badge, lang),
        evidence=t("assessment.evidence", lang),
        evidence_hint=(comp.evidence_en if lang == "en" else comp.evidence_vi) or None,
        note=t("assessment.note", lang),
        options=list(labels),
        labels=labels,
        choose=t("assessment.choose", lang),
    )
    _FIXED[(id(comp), lang)] = (comp, texts)  # the component is kept, so its id is never reused meanwhile
    return texts


def help_text(comp: Component, badge: str, lang: str) -> str | None:
    """The ⓘ help of a component: its scoring method verbatim (as the appendix words it), then, for a title,
    point value or rule that is not official, where it comes from. Texts from a file are shown as text."""
    parts = []
    method = (comp.scoring_en if lang == "en" else "") or comp.scoring_vi
    if method:
        lines = "  \n".join(widgets.plain(line) for line in method.splitlines() if line.strip())
        parts.append(f"**{t('catui.method', lang)}**  \n{lines}")
    if badge:
        parts.append(f"{t('common.provisional_help', lang)}\n\n{widgets.plain(comp.provenance.source)}")
    return "\n\n".join(parts) or None


def method_caption(comp: Component, lang: str) -> None:
    """Under a component whose rule read from the appendix waits for the coordinator's review: why, in a line."""
    reason = (comp.scoring_review_en if lang == "en" else "") or comp.scoring_review_vi
    if reason:
        st.caption(":material/rate_review: " + t("catui.awaits_review", lang, reason=widgets.plain(reason)))


def points_text(scored: ComponentScore, lang: str) -> str:
    if scored.status == "not_scored":
        return f":gray[{t('polish.info_not_scored', lang)}]"
    top = fmt_points(scored.max_points, lang)
    if scored.points is None:
        return f":gray[—/{top} {t('common.points', lang)}]"
    text = f"**{fmt_points(scored.points, lang)}**/{top} {t('common.points', lang)}"
    return text + (f" ({t('assessment.estimate', lang)})" if scored.status == "estimate" else "")


def answer_input(comp: Component, initial: dict, header: str, help_text: str | None, lang: str, scope: str = "",
                 disabled: bool = False) -> None:
    """The input of one component, chosen by its rule type; every widget saves through save_component.

    A one-widget answer carries the component's header as its label; a ratio or parts answer gets the header
    above its widgets.
    """
    code, rule = comp.code, comp.rule
    common = {"on_change": save_component, "args": (comp,), "disabled": disabled}
    value_key = forms.key(code, "value", scope)
    if rule.type == "levels":
        texts = fixed_texts(comp, lang)
        st.selectbox(header, texts.options, format_func=texts.labels.__getitem__, key=value_key, help=help_text,
                     index=_index(texts.options, initial[value_key]), placeholder=texts.choose, **common)
    elif rule.type == "yes_no":
        yes_no = {forms.YES: t("assessment.yes", lang), forms.NO: t("assessment.no", lang)}
        st.radio(header, list(yes_no), format_func=yes_no.__getitem__, key=value_key, horizontal=True,
                 width="stretch", help=help_text, index=_index(list(yes_no), initial[value_key]), **common)
    elif rule.type == "ratio":
        box = st.container()  # the header above its two inputs, in the row beside evidence and note
        box.markdown(header, help=help_text)
        a, b = box.columns(2)
        for col, part in ((a, "a"), (b, "b")):
            widgets.number_text(widgets.plain(name_of(rule, part, lang)), initial[forms.key(code, part, scope)],
                                key=forms.key(code, part, scope), lang=lang, container=col, placeholder=part, **common)
    elif rule.type == "stepped":
        steps = ", ".join(f"≥{fmt_points(s.min, lang)} → {fmt_points(s.share * 100, lang)}%" for s in rule.steps)
        unit = widgets.plain(rule.unit_en if lang == "en" else rule.unit_vi)
        widgets.number_text(f"{header} ({unit}: {steps})", initial[value_key], key=value_key, lang=lang,
                            help=help_text, **common)
    elif rule.type == "parts":
        box = st.container()
        box.markdown(header, help=help_text)
        box.caption(t("assessment.parts_hint", lang))
        cols = box.columns(len(rule.parts) + 1)
        for col, part in zip(cols, rule.parts):
            part_key = forms.key(code, f"part_{part.key}", scope)
            col.checkbox(f"{widgets.plain(name(part, lang))} ({part.share:.0%})", initial[part_key], key=part_key,
                         **common)
        none_key = forms.key(code, "none", scope)
        cols[-1].checkbox(t("assessment.no_part", lang), initial[none_key], key=none_key, **common)
    elif rule.type == "direct":
        top = fmt_points(comp.max_points, lang)
        widgets.number_text(f"{header} — {t('assessment.points_input', lang, top=top)}", initial[value_key],
                            key=value_key, lang=lang, help=help_text, **common)
    else:  # not_scored: collected for information only (the header already says so, once)
        st.text_input(header, initial[value_key], key=value_key,
                      help=help_text, **common)


def _index(options: list[str], value) -> int | None:
    return options.index(value) if value in options else None


def name_of(rule, part: str, lang: str) -> str:
    return getattr(rule, f"{part}_label_{'en' if lang == 'en' else 'vi'}")
