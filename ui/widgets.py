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
from ui import state

log = logging.getLogger("dti.app")


@contextmanager
def guard(lang: str) -> Iterator[None]:
    """Show a message with what to do instead of a traceback (fragments rerun outside the page's guard)."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - any failure becomes a message; the log keeps the details
        log.exception("unexpected error in the app")
        st.error(t("common.unexpected_error", lang, error=type(exc).__name__))


def edition_label(fw: Framework, lang: str) -> str:
    label = f"{fw.title(lang)} ({fw.year})"
    return label if fw.complete else f"{label} · {t('common.incomplete', lang)}"


def edition_short_label(fw: Framework, lang: str, others: list[Framework] = ()) -> str:
    """'DTI 2022 · 922/QĐ-BTTTT' ('DTI 2025 ⚠ chưa chấm được · 405/QĐ-BKHCN'): short enough for the sidebar.

    The full titles share their first forty characters, so a narrow select box showed the same text for every
    edition. The edition id is added when two editions would read the same (e.g. a province's own catalogue).
    """
    decision = re.search(r"\d+/QĐ-[\wĐ]+", fw.legal_basis)
    # The "cannot be scored" mark right after the year: the end of a long label is cut in the sidebar.
    label = f"DTI {fw.year}" + ("" if fw.complete else f" ⚠ {t('polish.incomplete_short', lang)}")
    label += f" · {decision.group(0) if decision else fw.id}"
    if decision and any(o.id != fw.id and o.year == fw.year and decision.group(0) in o.legal_basis for o in others):
        label = f"{label} · {fw.id}"
    return label


def _on_edition_change() -> None:
    state.set_edition(st.session_state["edition_picker"])


def edition_picker(lang: str) -> None:
    """Sidebar choice of the edition being assessed (shown only when there is more than one)."""
    found, problems = state.editions()
    ids = state.edition_ids()
    if problems:
        with st.expander(t("common.broken_editions", lang, n=len({p.file for p in problems}))):
            for p in problems:
                st.caption(str(p))
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
        st.warning(t("polish.cannot_score", lang, edition=fw.title(lang)))
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
    st.caption(t("polish.workshop_edition", lang, edition=edition_short_label(complete[0], lang)))
    return complete[0]


def provisional_badge(status: ProvenanceStatus, lang: str) -> str:
    """Markdown badge for a title/points/rule that is not official ('' when it is)."""
    if status is ProvenanceStatus.official:
        return ""
    return f":orange-badge[⚠ {t('common.' + status.value, lang)}]"


def lowest_sentence(fw: Framework, result: Result, lang: str, count: int = 1) -> str:
    """'Thấp nhất: Thể chế số 0,4200' — the weakest scored main indices named in words."""
    parts = [f"**{fw.main_index_by_code[c].name(lang)}** {fmt_number(result.main_indices[c].value, lang)}"
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
