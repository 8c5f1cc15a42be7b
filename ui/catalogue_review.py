"""The Editions page's review of an uploaded appendix: read it once, show each row with the rule read from its
scoring text, let the coordinator correct the rules in a table editor, and preview the form row they give.

The reading is ``dti.io.catalogue`` (a new framework from the file, or checked against a base edition); the edited
rows go back through ``dti.io.review.apply_review`` (all or nothing); the form-row preview is the assessment form's
own ``answer_input``, disabled, so what the coordinator sees is what agencies will fill in.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pandas as pd
import streamlit as st

from dti.framework.model import Component, Framework
from dti.framework.validation import FrameworkError
from dti.i18n import fmt_points, t
from dti.io.catalogue import framework_from_catalogue, import_catalogue, normalise
from dti.io.review import EDITABLE_TYPES, review_rows
from ui import assessment_form, forms

EDITOR_KEY = "ed_review"
PREVIEW_SCOPE = "preview"  # widget keys of the preview row, apart from any assessment's form keys
_READ_KEY = "ed_read"  # session state: the last file read and what it gave


def default_id(filename: str) -> str:
    """An edition id from the file name: 'Bộ chỉ số Sở ngành 2025.docx' → 'bo-chi-so-so-nganh-2025'."""
    stem = filename.rsplit(".", 1)[0]
    return "-".join(normalise(stem).replace("_", " ").split())[:60].strip("-") or "bo-chi-so-moi"


def read_upload(data: bytes, filename: str, base: Framework | None, new_id: str, title_vi: str,
                official: str) -> Framework:
    """The framework the upload describes (a new one when ``base`` is None); raises FrameworkError listing every
    problem. Read once per file and settings: a rerun of the page does not parse the document again."""
    checksum = hashlib.sha256(data).hexdigest()
    wanted = (checksum, filename, base.id if base else "", new_id, title_vi, official)
    cached = st.session_state.get(_READ_KEY)
    if cached is not None and cached[0] == wanted:
        if isinstance(cached[1], FrameworkError):
            raise cached[1]
        return cached[1]
    try:
        if base is None:
            found: Framework | FrameworkError = framework_from_catalogue(data, filename, new_id, title_vi=title_vi,
                                                                         official=official)
        else:
            found = import_catalogue(data, filename, base, new_id=new_id, official=official)
    except FrameworkError as exc:
        found = exc
    if cached is None or cached[0][0] != checksum:
        st.session_state.pop(EDITOR_KEY, None)  # another file: the review starts over
    st.session_state[_READ_KEY] = (wanted, found)
    if isinstance(found, FrameworkError):
        raise found
    return found


def problem_lines(exc: FrameworkError, lang: str) -> list[str]:
    """Each problem in the UI's language when it has a Vietnamese text (file, row, indicator, the fix)."""
    return [p.text(lang) if hasattr(p, "text") else str(p) for p in exc.problems]


def rule_type_label(rule_type: str, lang: str) -> str:
    return t(f"catui.rule_{rule_type}", lang)


def _review_text(comp: Component, lang: str) -> str:
    return (comp.scoring_review_en if lang == "en" else comp.scoring_review_vi) or ""


def review_frame(fw: Framework, lang: str) -> pd.DataFrame:
    """One row per component: what was read (code, title, points, rule) beside the original text and why it
    waits for review. Texts stay plain text: a table editor never renders Markdown."""
    rows = review_rows(fw)
    for row in rows:
        comp = fw.component_by_code[row["code"]]
        row["rule_type"] = rule_type_label(row["rule_type"], lang)
        row["review_vi"] = _review_text(comp, lang)
        if lang == "en" and comp.name_en:
            row["name_vi"] = comp.name_en
    return pd.DataFrame(rows)


def review_editor(fw: Framework, lang: str) -> list[dict[str, Any]]:
    """The review table (st.data_editor); returns the rows as edited, with rule types as their keys again."""
    labels = {rule_type_label(k, lang): k for k in EDITABLE_TYPES}
    frame = review_frame(fw, lang)
    col = st.column_config
    edited = st.data_editor(
        frame, key=EDITOR_KEY, hide_index=True, num_rows="fixed", width="stretch",
        disabled=["code", "name_vi", "max_points", "scoring_vi", "review_vi"],
        column_config={
            "code": col.TextColumn(t("editions.col_code", lang), width="small"),
            "name_vi": col.TextColumn(t("editions.col_name", lang), width="medium"),
            "max_points": col.NumberColumn(t("editions.col_points", lang), width="small"),
            "rule_type": col.SelectboxColumn(t("catui.col_rule_type", lang), options=list(labels), required=True,
                                             help=t("catui.col_rule_type_help", lang)),
            "rule_text": col.TextColumn(t("catui.col_rule_text", lang), width="large",
                                        help=t("catui.col_rule_text_help", lang)),
            "unit_vi": col.TextColumn(t("catui.col_unit", lang), width="small", help=t("catui.col_unit_help", lang)),
            "scoring_vi": col.TextColumn(t("catui.col_scoring", lang), width="large"),
            "review_vi": col.TextColumn(t("catui.col_review", lang), width="medium"),
            "confirmed": col.CheckboxColumn(t("catui.col_confirmed", lang), help=t("catui.col_confirmed_help", lang)),
        },
    )
    rows = edited.to_dict("records")
    for row in rows:
        row["rule_type"] = labels.get(row["rule_type"], row["rule_type"])
        row["code"] = str(row["code"])
    return rows


def form_row_preview(comp: Component, lang: str) -> None:
    """The component's row as agencies will see it in the self-assessment form (disabled: nothing is saved)."""
    texts = assessment_form.fixed_texts(comp, lang)
    header = texts.title + f"—/{fmt_points(comp.max_points, lang)} {t('common.points', lang)}"
    initial = forms.widget_values(comp, None, PREVIEW_SCOPE)
    with st.container(border=True):
        assessment_form.answer_input(comp, initial, header, texts.help, lang, PREVIEW_SCOPE, disabled=True)
        assessment_form.method_caption(comp, lang)


def review_count(fw: Framework) -> int:
    return sum(bool(c.scoring_review_vi) for c in fw.components)


def official_number(text: str) -> str:
    """The Decision number as typed, trimmed ('405/QĐ-BKHCN'); '' when only spaces."""
    return re.sub(r"\s+", " ", text or "").strip()

