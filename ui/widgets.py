"""Small widgets shared by the pages: edition picker, provisional mark, error guard, figures in words, number field."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from dti.framework.model import Framework, ProvenanceStatus
from dti.i18n import MAX_NUMBER_CHARS, NumberError, fmt_number, fmt_points, parse_number, plain_number, t
from dti.scoring.engine import Result
from dti.storage import StorageUnavailable
from dti.text import clean_text
from ui import state
from ui.memo import memo

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


def edition_short_label(fw: Framework, lang: str, others: list[Framework] = ()) -> str:
    """'DTI 2022 · 922/QĐ-BTTTT' ('DTI 2025 ⚠ chưa chấm được · 405/QĐ-BKHCN'): short enough for the sidebar.

    The full titles share their first forty characters, so a narrow select box showed the same text for every
    edition. A province's own framework has no Decision number: its title, shortened, names it ('DTI 2026 ·
    Bộ chỉ số CĐS các sở…'), not its file id. The edition id is added when two editions would read the same.
    Plain text (a select box option): put it into Markdown through ``plain``, the title came from a file.
    """
    def own(f: Framework) -> str:
        decision = re.search(r"\d+/QĐ-[\wĐ]+", f.legal_basis)
        return decision.group(0) if decision else _shortened(f.title(lang), EDITION_TITLE_CHARS)

    # The "cannot be scored" mark right after the year: the end of a long label is cut in the sidebar.
    label = f"DTI {fw.year}" + ("" if fw.complete else f" ⚠ {t('polish.incomplete_short', lang)}")
    label += f" · {own(fw)}"
    if any(o.id != fw.id and o.year == fw.year and own(o) == own(fw) for o in others):
        label = f"{label} · {fw.id}"
    return label


EDITION_TITLE_CHARS = 32  # of a province's own framework's title in the sidebar label


def _shortened(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters with '…' when longer."""
    text = " ".join(clean_text(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:-–·") + "…"


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
    others = list(found.values())
    st.selectbox(t("common.edition", lang), ids, key="edition_picker", on_change=_on_edition_change,
                 format_func=lambda i: edition_short_label(found[i], lang, others),
                 help=edition_label(found[state.current_edition_id()], lang))


def scorable_framework(lang: str, stop: bool = True) -> Framework | None:
    """The current edition if it can be scored; otherwise say why and where to complete it, and stop the page.

    With ``stop=False`` the page goes on without a score (None is returned): accounts and agencies do not
    depend on the edition.
    """
    fw = state.current_framework()
    if fw is None:
        st.error(t("common.no_edition", lang))
        st.stop()
    if not fw.complete:
        st.warning(t("polish.cannot_score", lang, edition=plain(fw.title(lang))))
        st.page_link("pages/editions.py", label=t("editions.nav", lang), icon=":material/library_books:")
        if stop:
            st.stop()
        return None
    return fw


def demo_framework(lang: str) -> Framework:
    """The edition the workshop's fictional province is scored with: the current one when it can be scored, else
    the newest complete edition (the demo's own data, never blocked by the edition chosen for real work)."""
    fw = state.current_framework()
    if fw is not None and fw.complete:
        return fw
    found = state.editions()[0]
    complete = [found[i] for i in state.edition_ids() if found[i].complete]
    if not complete:
        return scorable_framework(lang)  # nothing can be scored at all: says why and stops
    st.caption(t("polish.workshop_edition", lang, edition=plain(edition_short_label(complete[0], lang))))
    return complete[0]


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


def number_text(label: str, value: float | None, *, key: str, lang: str, container=None, **kwargs) -> str:
    """The one input of a number a person types: a text input showing ``value`` in the language's format.

    Not ``st.number_input``: the browser reads '1,5' there as 15. The text shown has no thousands separator
    (1500, 1,5), so it reads back unchanged; what is typed goes through ``dti.i18n.parse_number`` (directly or
    through the rules), and the typed text stays in the field whatever it is. ``kwargs`` go to ``st.text_input``.
    Returns the text in the field.
    """
    _follow_language(key, lang)
    shown = "" if value is None else plain_number(value, lang)
    return (container or st).text_input(label, shown, key=key, max_chars=MAX_NUMBER_CHARS, **kwargs)


NUMBER_LANGS_KEY = "number_field_langs"  # in ui.memo's session entry: field key → language its text is written in


def _follow_language(key: str, lang: str) -> None:
    """After a language switch, write the number in a field as the new language does (0,45 → 0.45).

    The browser keeps a widget's text for as long as its key lives, so without this an English page showed 0,45.
    A text that is not a number in the language it was typed in stays as typed (never guessed).
    """
    langs = memo().setdefault(NUMBER_LANGS_KEY, {})
    before = langs.get(key, lang)
    langs[key] = lang
    text = st.session_state.get(key)
    if before == lang or not isinstance(text, str) or not text.strip():
        return
    try:
        st.session_state[key] = plain_number(parse_number(text, before), lang)
    except NumberError:
        pass


def read_number(text: str | None, lang: str, *, low: float | None = None, high: float | None = None,
                integer: bool = False) -> float | None:
    """The number in a field's text (None when blank); NumberError when malformed, ambiguous or out of range."""
    if text is None or not str(text).strip():
        return None
    value = parse_number(text, lang, low=low, high=high)
    if integer and value != int(value):
        raise NumberError(str(text), "not_integer")
    if (low is not None and value < low) or (high is not None and value > high):
        key = "out_of_range" if low is not None and high is not None else "too_small" if low is not None else "too_big"
        raise NumberError(str(text), key, low=lambda lg: fmt_points(low, lg), high=lambda lg: fmt_points(high, lg))
    return value


def number_field(label: str, value: float | None, *, key: str, lang: str, low: float | None = None,
                 high: float | None = None, integer: bool = False, container=None, **kwargs) -> float | None:
    """A number field that reads itself: the number typed, or None (blank, or refused with a message at the field).

    A refused text stays in the field with the reason under it; the caller gets None and uses nothing.
    """
    box = container or st
    text = number_text(label, value, key=key, lang=lang, container=box, **kwargs)
    try:
        return read_number(text, lang, low=low, high=high, integer=integer)
    except NumberError as exc:
        box.error(t("numbers.refused", lang, problem=plain(exc.message(lang))), icon=":material/error:")
        return None


def number_grid(rows: list[dict], *, key: str, lang: str, editable: Mapping[str, tuple[float | None, float | None]],
                row_label: str, labels: Mapping[str, str] | None = None, **editor_kwargs) -> list[dict] | None:
    """An editable table whose ``editable`` columns (name → (low, high)) are number cells read by the one parser.

    The cells are text (a grid's number cell reads '1,5' as 15, and shows 7.5 in Vietnamese): they show the
    values in the language's format and accept '1,5' and '1.5' alike. Returns the rows with those cells as
    floats (None when blank), or None when a cell is refused: the message under the table names the row's
    ``row_label`` (the component), the column (its ``labels`` entry) and the fix, and the caller uses and saves
    nothing. Read-only number columns are given by the caller already formatted (``fmt_points``/``fmt_number``).
    """
    def cell(value) -> str:
        return "" if value is None or (isinstance(value, float) and math.isnan(value)) else plain_number(value, lang)

    shown = pd.DataFrame([{k: cell(v) if k in editable else v for k, v in r.items()} for r in rows])
    labels = dict(labels or {})
    config = {col: st.column_config.TextColumn(labels.get(col, col), max_chars=MAX_NUMBER_CHARS) for col in editable}
    config.update(editor_kwargs.pop("column_config", {}))
    edited = st.data_editor(shown, key=key, column_config=config, **editor_kwargs)
    parsed, problems = read_number_cells(edited.to_dict("records"), lang=lang, editable=editable, row_label=row_label,
                                         labels=labels)
    if problems:
        st.error("\n\n".join(problems), icon=":material/error:")
        return None
    return parsed


def read_number_cells(records: list[dict], *, lang: str, editable: Mapping[str, tuple[float | None, float | None]],
                      row_label: str, labels: Mapping[str, str] | None = None) -> tuple[list[dict], list[str]]:
    """The rows of a number grid with its ``editable`` text cells read as numbers, and one message per refused cell."""
    parsed, problems = [], []
    for number, record in enumerate(records, start=1):
        out = dict(record)
        for col, (low, high) in editable.items():
            text = record.get(col)
            try:
                out[col] = read_number(None if text is None or pd.isna(text) else str(text), lang, low=low, high=high)
            except NumberError as exc:
                # The code and the typed text are outside text: escaped here, the message is shown as Markdown.
                problems.append(t("numbers.cell_refused", lang, row=number, what=plain(record.get(row_label)),
                                  column=(labels or {}).get(col, col), problem=plain(exc.message(lang))))
        parsed.append(out)
    return parsed, problems


def number_slider(label: str, *, low: float, high: float, step: float, key: str, lang: str, keep: Iterable[float] = (),
                  digits: int | None = None, container=None, **kwargs) -> float:
    """A slider whose figures are in the language's format (0,85; st.slider only shows 0.85).

    The stops are ``low``..``high`` by ``step``, plus the values in ``keep`` (a saved 0,5815 stays exact, so an
    untouched slider changes nothing). Figures show ``digits`` decimals (0,50), or as many as they have when
    ``digits`` is None (7,5 · 10) or when a kept value has more (0,5815). ``kwargs`` go to ``st.select_slider``.
    """
    def shown(v: float) -> str:
        return fmt_number(v, lang, digits) if digits is not None and round(v, digits) == v else plain_number(v, lang)

    count = int(round((high - low) / step))
    stops = {round(low + i * step, 6) for i in range(count + 1)}
    stops |= {round(float(v), 6) for v in keep if low <= v <= high}
    if "value" in kwargs:
        kwargs["value"] = round(float(kwargs["value"]), 6)
        stops.add(kwargs["value"])
    if key in st.session_state:  # the position already chosen (or preset by the page) is always a stop
        stops.add(st.session_state[key])
    return (container or st).select_slider(label, sorted(stops), key=key, format_func=shown,
                                           **kwargs)
