"""Between a component's widgets and its ``Response``: widget keys, initial widget values, and the answer.

Pure functions (no Streamlit) so they are tested directly. Answers are stored in the plain text forms the
rules and the CSV/XLSX files use (``45/60``, ``attend;chair``, ``có``), so a downloaded file re-uploads as is.
Widget keys are ``c<scope>_<code>_value`` (or ``_a``/``_b`` for a ratio, ``_part_<key>`` and ``_none`` for
parts), ``c<scope>_<code>_evidence`` and ``c<scope>_<code>_note``. The scope (``ui.state.form_scope()``) changes
whenever the form shows another assessment: a browser keeps a widget's value as long as its key is the same, so
keys that outlive an edition or period would carry what was typed there into the next one.
"""

from __future__ import annotations

from typing import Any

from dti.framework.model import Component
from dti.scoring import rules
from dti.scoring.engine import Response
from dti.scoring.rules import (
    InputError,
    check_points,
    find_level,
    is_blank,
    parts_met,
    points_from_value,
    ratio_parts,
    read_number,
)

YES, NO = "có", "không"


class IncompleteAnswer(InputError):
    """Half of an answer (a ratio with only a or only b): not saved, the user is told what is missing."""


def key(code: str, field: str, scope: str = "") -> str:
    return f"c{scope}_{code}_{field}"


def value_keys(comp: Component, scope: str = "") -> list[str]:
    """Keys of the widgets that hold the component's answer (not evidence or note)."""
    rule = comp.rule
    if rule.type == "ratio":
        return [key(comp.code, "a", scope), key(comp.code, "b", scope)]
    if rule.type == "parts":
        return [key(comp.code, f"part_{p.key}", scope) for p in rule.parts] + [key(comp.code, "none", scope)]
    return [key(comp.code, "value", scope)]


def all_keys(comp: Component, scope: str = "") -> list[str]:
    return value_keys(comp, scope) + [key(comp.code, "evidence", scope), key(comp.code, "note", scope)]


def _as_number(x: Any) -> float | None:
    """A stored value as the number its field shows; None when blank or unreadable (the field starts empty)."""
    try:
        return None if is_blank(x) else read_number(x)
    except InputError:
        return None


def _typed(x: Any, what: str, high: float | None = None) -> float | None:
    """What a number field holds (the text typed, in either language's format, or a number); None when blank."""
    return None if is_blank(x) else read_number(x, what, high)


def widget_values(comp: Component, resp: Response | None, scope: str = "") -> dict[str, Any]:
    """Initial widget values that show ``resp`` (None, or an answer read from a file, in any accepted form)."""
    code, rule = comp.code, comp.rule
    values: dict[str, Any] = {key(code, "evidence", scope): resp.evidence if resp else "",
                              key(code, "note", scope): resp.note if resp else ""}
    raw = resp.value if resp else None
    given_points = resp.points if resp else None
    if rule.type == "parts":
        met: dict[str, float] = {}
        if not is_blank(raw):
            try:
                met = parts_met(comp, raw)
            except InputError:
                met = {}
        for p in rule.parts:
            values[key(code, f"part_{p.key}", scope)] = met.get(p.key, 0.0) >= 1.0
        values[key(code, "none", scope)] = given_points == 0 and not any(met.values())
        return values
    if rule.type == "ratio":
        a = b = None
        if not is_blank(raw):
            try:
                a, b = ratio_parts(raw)
            except InputError:
                pass
        values[key(code, "a", scope)], values[key(code, "b", scope)] = a, b
        return values
    value: Any = None
    if rule.type == "levels" and not is_blank(raw):
        try:
            value = find_level(comp, raw).key
        except InputError:
            value = None
    elif rule.type == "yes_no" and not is_blank(raw):
        text = str(raw).strip().lower() if not isinstance(raw, bool) else ("yes" if raw else "no")
        value = YES if text in rules.YES else NO if text in rules.NO else None
    elif rule.type == "direct":
        value = _as_number(given_points if given_points is not None else raw)
    elif rule.type == "stepped":
        value = _as_number(raw)
    elif rule.type == "not_scored":
        value = "" if is_blank(raw) else str(raw)
    values[key(code, "value", scope)] = value
    return values


def response_from_widgets(comp: Component, values: dict[str, Any], scope: str = "") -> Response | None:
    """The answer the widgets hold; None when nothing is entered. Raises InputError for a bad value.

    The returned response is checked through the component's rule, so what is saved always scores.
    """
    code, rule = comp.code, comp.rule
    evidence = str(values.get(key(code, "evidence", scope)) or "").strip()
    note = str(values.get(key(code, "note", scope)) or "").strip()
    value: Any = None
    points: float | None = None
    if rule.type == "ratio":
        a, b = _typed(values.get(key(code, "a", scope)), "a"), _typed(values.get(key(code, "b", scope)), "b")
        if a is not None and b is not None:
            value = f"{_plain(a)}/{_plain(b)}"
        elif a is not None or b is not None:
            raise IncompleteAnswer("enter both a and b", "hãy nhập cả a và b")
    elif rule.type == "parts":
        chosen = [p.key for p in rule.parts if values.get(key(code, f"part_{p.key}", scope))]
        if chosen:
            value = ";".join(chosen)
        elif values.get(key(code, "none", scope)):
            points = 0.0  # "no part met" is an answer worth 0, not a blank
    elif rule.type == "direct":
        points = _typed(values.get(key(code, "value", scope)), "points", high=comp.max_points)
    elif rule.type == "stepped":
        count = _typed(values.get(key(code, "value", scope)), "count")
        value = None if count is None else _plain(count)
    else:
        raw = values.get(key(code, "value", scope))
        if isinstance(raw, float):
            raw = _plain(raw)
        value = None if is_blank(raw) else raw
    if value is None and points is None and not evidence and not note:
        return None
    response = Response(code, value=value, points=points, evidence=evidence, note=note)
    if points is not None:
        check_points(comp, points)
    elif value is not None:
        points_from_value(comp, value)
    return response


def _plain(x: float) -> str:
    """3.0 → '3', 2.5 → '2.5', 1234567.0 → '1234567' (the form the rules and files read; every digit kept)."""
    return f"{float(x):.15g}"
