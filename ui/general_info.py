"""The short 'Thông tin chung' section at the top of the Self-assessment page: the edition's unscored fields
(population, contact person …), each saved as soon as it changes, through ui/state.py."""

from __future__ import annotations

import streamlit as st

from dti.framework.model import Framework, GeneralInfoField
from dti.i18n import NumberError, name, t
from dti.storage.repo import general_info_number_text
from ui import state, widgets


def stored_number(text: str) -> float | None:
    """A number field's stored text ('1250000', '1.5': ``general_info_number_text``) as a number."""
    try:
        return float(text) if text else None
    except ValueError:  # a text kept from before the field became a number: shown blank, not lost until changed
        return None


def _number_to_store(value: float | None) -> str:
    return "" if value is None else general_info_number_text(value)


def _label(f: GeneralInfoField, lang: str) -> str:
    unit = f.unit_en if lang == "en" and f.unit_en else f.unit_vi
    return widgets.plain(f"{name(f, lang)} ({unit})" if unit else name(f, lang))


def section(fw: Framework, lang: str) -> None:
    """One input per field in its kind; collapsed once every field is filled; read-only for a viewer."""
    if not fw.general_info:
        return
    answers = state.get_general_info()
    actor = state.current_actor()
    read_only = actor is None or actor.role == "viewer"
    filled = all(answers.get(f.code) for f in fw.general_info)
    scope = state.form_scope()
    with st.expander(t("geninfo.title", lang), expanded=not filled, icon=":material/info:"):
        st.caption(t("geninfo.readonly" if read_only else "geninfo.intro", lang))
        for f in fw.general_info:
            stored = answers.get(f.code, "")
            shown = stored
            key = f"gi{scope}_{f.code}"
            if f.kind == "number":
                shown = _number_to_store(stored_number(stored))
                text = widgets.number_text(_label(f, lang), stored_number(stored), key=key, lang=lang,
                                           disabled=read_only)
                try:
                    new = _number_to_store(widgets.read_number(text, lang, low=0))
                except NumberError as exc:
                    st.error(t("numbers.refused", lang, problem=widgets.plain(exc.message(lang))),
                             icon=":material/error:")
                    continue
            else:
                new = st.text_input(_label(f, lang), stored, key=key, disabled=read_only).strip()
            if not read_only and new != shown:  # changed by the person, not by a rerun
                reason = state.set_general_info(f.code, new)
                if reason:
                    st.error(t("geninfo.not_saved", lang, field=_label(f, lang), reason=widgets.plain(reason)),
                             icon=":material/error:")
