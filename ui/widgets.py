"""Small widgets shared by the pages: edition picker, provisional mark, error guard, figures in words."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from dti.framework.model import Framework, ProvenanceStatus
from dti.i18n import fmt_number, fmt_points, t
from dti.scoring.engine import Result
from dti.storage import StorageUnavailable
from dti.text import clean_text
from ui import state

log = logging.getLogger("dti.app")


@contextmanager
def guard(lang: str) -> Iterator[None]:
    """Show a message with what to do instead of a traceback (fragments rerun outside the page's guard)."""
    try:
        yield
    except StorageUnavailable as exc:  # the disk, the file or the server: what happened and what to do
        st.error(state.fault_message(exc, lang), icon=":material/database_off:")
    except Exception as exc:  # noqa: BLE001 - any failure becomes a message; the log keeps the details
        log.exception("unexpected error in the app")
        st.error(t("common.unexpected_error", lang, error=type(exc).__name__))


# Characters that start Markdown (or GitHub's extensions: tables, strikethrough, e-mail links, Streamlit's $LaTeX$)
# anywhere in a line; backslash-escaped they are literal. Parentheses need no escape once brackets have one (no
# link or image can form), an underscore between two letters or digits never emphasises ("top_leader"), and
# - + = . ) matter only at the start of a line (lists, headings): ordinary names, codes and file names keep their
# plain spelling.
_ANYWHERE = re.compile(r"([\\`*{}\[\]<>!#|~$&@]|_(?![^\W_])|(?<![^\W_])_)")
_LINE_START = re.compile(r"^(\s*|\s*\d+)([-+=.)])", re.MULTILINE)  # "- x", "+ x", "1. x", "1) x", "===" below
_WWW = re.compile(r"\b(www)\.", re.IGNORECASE)  # GitHub links www.host without http://
# Streamlit turns :name: into an emoji, :red[…] into colour and :material/x: into an icon after Markdown is
# parsed, so an escaped colon would still form them: a word joiner (invisible, not a space) after a colon that
# is followed by anything but a space breaks them (and http:// links with them).
_COLON = re.compile(r":(?=\S)")
_WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """``text`` from a user or a file, made safe to put into anything Streamlit renders as Markdown (st.markdown,
    st.success/error/info/warning, captions, widget labels and help, tabs, expanders, metric labels): shown
    literally, so ``[Verify](http://evil)`` is no link, ``![t](http://host/x.png)`` fetches nothing,
    ``<img src=x>`` is no tag, ``:-1:`` is no emoji and ``$x$`` no formula. Not for plain-text places
    (dataframes, selectbox options, text inputs, st.code), where the escapes would show."""
    escaped = _ANYWHERE.sub(r"\\\1", clean_text(str(text)))
    escaped = _LINE_START.sub(r"\1\\\2", escaped)
    escaped = _WWW.sub(r"\1\\.", escaped)
    return _COLON.sub(":" + _WORD_JOINER, escaped)


def edition_label(fw: Framework, lang: str) -> str:
    label = f"{fw.title(lang)} ({fw.year})"
    return label if fw.complete else f"{label} · {t('common.incomplete', lang)}"


def _on_edition_change() -> None:
    state.set_edition(st.session_state["edition_picker"])


def edition_picker(lang: str) -> None:
    """Sidebar choice of the edition being assessed (shown only when there is more than one)."""
    found, problems = state.editions()
    ids = state.edition_ids()
    if problems:
        with st.expander(t("common.broken_editions", lang, n=len({p.file for p in problems}))):
            for p in problems:
                st.caption(plain(p))  # file names and values of a province's files
    if len(ids) < 2:
        return
    st.session_state["edition_picker"] = state.current_edition_id()
    st.selectbox(t("common.edition", lang), ids, key="edition_picker", on_change=_on_edition_change,
                 format_func=lambda i: edition_label(found[i], lang))


def scorable_framework(lang: str) -> Framework:
    """The current edition if it can be scored; otherwise say why (and what to do) and stop the page."""
    fw = state.current_framework()
    if fw is None:
        st.error(t("common.no_edition", lang))
        st.stop()
    if not fw.complete:
        st.warning(t("common.cannot_score", lang, edition=plain(fw.title(lang)),
                     missing=plain((fw.missing_en if lang == "en" else fw.missing_vi) or "—")))
        st.page_link("pages/framework.py", label=t("nav.framework", lang), icon=":material/menu_book:")
        st.stop()
    return fw


def provisional_badge(status: ProvenanceStatus, lang: str) -> str:
    """Markdown badge for a title/points/rule that is not official ('' when it is)."""
    if status is ProvenanceStatus.official:
        return ""
    return f":orange-badge[⚠ {t('common.' + status.value, lang)}]"


def lowest_sentence(fw: Framework, result: Result, lang: str, count: int = 1) -> str:
    """'Thấp nhất: Thể chế số 0,4200' — the weakest scored main indices named in words."""
    parts = [f"**{plain(fw.main_index_by_code[c].name(lang))}** {fmt_number(result.main_indices[c].value, lang)}"
             for c in result.lowest_main_indices[:count]]
    return t("common.lowest", lang, items=", ".join(parts))


def basis_caption(result: Result, lang: str) -> str:
    answered = t("common.answered", lang, answered=result.answered, total=result.total)
    return answered if result.is_complete else f"{answered} · {t('common.conservative', lang)}"


def dti_text(result: Result, lang: str) -> str:
    return f"{fmt_number(result.dti, lang)} · {fmt_points(result.points, lang)}/{fmt_points(result.max_points, lang)}"


def signed(x: float, lang: str, digits: int = 4) -> str:
    """A delta with its sign, in the language's number format: '+0,0123' / '-0,0040'."""
    return ("+" if x >= 0 else "-") + fmt_number(abs(x), lang, digits)


def delta(x: float, lang: str, digits: int = 4) -> dict:
    """st.metric delta arguments: the signed change, grey and without an arrow when it rounds to nothing."""
    if round(x, digits) == 0:
        return {"delta": "±" + fmt_number(0.0, lang, digits), "delta_color": "off", "delta_arrow": "off"}
    return {"delta": signed(x, lang, digits)}
