"""Read a component's input through its scoring rule.

Inputs arrive from forms, CSV cells or JSON, so each rule accepts the plain forms a person would write
(``45/60`` for a ratio, ``có`` for yes, a level's key or label) and refuses anything else with a message
that says what to write instead. Nothing here knows about particular indicators.
"""

from __future__ import annotations

import math
from typing import Any

from dti.framework.model import Component
from dti.i18n import NumberError, parse_number, plain_number

YES = {"yes", "y", "true", "1", "có", "co", "đạt", "dat", "x"}
NO = {"no", "n", "false", "0", "không", "khong", "chưa", "chua", "chưa đạt", "không đạt"}


class InputError(ValueError):
    """An input that cannot be read for a component; the message says what to write instead.

    ``str()`` is the English message (CLI, logs); ``text(lang)`` gives the Vietnamese one in the UI.
    """

    def __init__(self, en: str, vi: str | None = None):
        super().__init__(en)
        self.en, self.vi = en, vi or en

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


# What a number is, in the messages: English → Vietnamese.
_WHAT_VI = {"value": "giá trị", "count": "số lần", "points": "điểm", "a": "a", "b": "b"}


def _what_vi(what: str) -> str:
    if what.startswith("part "):
        return "phần " + what[5:]
    return _WHAT_VI.get(what, what)


def _vi(x: float) -> str:
    """A number inside a Vietnamese message: 12,5 (the decimal comma), every digit kept."""
    return plain_number(x, "vi")


def _number(value: Any, what: str = "value", high: float | None = None) -> float:
    if isinstance(value, bool):
        raise InputError(f"{what} {value!r} is not a number; write a number such as 3",
                         f"{_what_vi(what)} {value!r} không phải là số; hãy nhập một số, ví dụ 3")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        # The one parser of numbers meant for people: 1,5 and 1.5 alike; '1.500' (1500 or 1,5?) is refused.
        try:
            number = parse_number(str(value), high=high)  # a known top ('1.000' of 10 points) settles 1000 vs 1
        except NumberError as exc:
            if exc.key == "malformed":
                raise InputError(f"{what} {exc.input!r} is not a number; write a number such as 3",
                                 f"{_what_vi(what)} {exc.input!r} không phải là số; hãy nhập một số, ví dụ 3") from None
            raise InputError(f"{what} {exc.input!r} {exc.reason('en')}",
                             f"{_what_vi(what)} {exc.input!r} {exc.reason('vi')}") from None
    if not math.isfinite(number):
        raise InputError(f"{what} {value!r} is not a finite number; write a number such as 3",
                         f"{_what_vi(what)} {value!r} không phải là số hữu hạn; hãy nhập một số, ví dụ 3")
    return number


def read_number(value: Any, what: str = "value", high: float | None = None) -> float:
    """A number typed in a form or read from a file (text through ``dti.i18n.parse_number``).

    Raises InputError naming ``what`` (value, count, points, a, b); ``high`` is the largest sensible value.
    """
    return _number(value, what, high)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def points_from_value(component: Component, value: Any) -> float:
    """Points earned for ``value`` read through the component's rule. Raises InputError."""
    rule = component.rule
    top = component.max_points
    if rule.type == "not_scored":
        return 0.0
    if rule.type == "direct":
        return check_points(component, value)
    if rule.type == "yes_no":
        if isinstance(value, bool):
            return top if value else 0.0
        text = str(value).strip().lower()
        if text in YES:
            return top
        if text in NO:
            return 0.0
        raise InputError(f"{str(value)!r} is not yes or no; write có/không (yes/no)",
                         f"{str(value)!r} không phải có hay không; hãy ghi có hoặc không")
    if rule.type == "levels":
        level = find_level(component, value)
        return level.share * top
    if rule.type == "ratio":
        a, b = ratio_parts(value)
        if b == 0:
            return top if rule.on_zero_denominator == "full" else 0.0
        return min(a / b, 1.0) * top
    if rule.type == "stepped":
        count = _number(value, "count")
        if count < 0:
            raise InputError(f"count {count:g} is negative; write a count ≥ 0",
                             f"số lần {_vi(count)} là số âm; hãy nhập số lần ≥ 0")
        reached = [s.share for s in rule.steps if count >= s.min]
        return (max(reached) if reached else 0.0) * top
    if rule.type == "parts":
        met = parts_met(component, value)
        return sum(p.share * met.get(p.key, 0.0) for p in rule.parts) * top
    raise InputError(f"rule type {rule.type!r} cannot be scored")  # unreachable: the schema forbids it


def check_points(component: Component, value: Any) -> float:
    points = _number(value, "points", high=component.max_points)
    if points < 0:
        raise InputError(f"points {points:g} are negative; write points from 0 to {component.max_points:g}",
                         f"điểm {_vi(points)} là số âm; hãy nhập điểm từ 0 đến {_vi(component.max_points)}")
    if points > component.max_points + 1e-9:
        raise InputError(f"points {points:g} are over the maximum {component.max_points:g}; "
                         f"write points from 0 to {component.max_points:g}",
                         f"điểm {_vi(points)} vượt mức tối đa {_vi(component.max_points)}; "
                         f"hãy nhập điểm từ 0 đến {_vi(component.max_points)}")
    return points


def find_level(component: Component, value: Any):
    text = str(value).strip().lower()
    for level in component.rule.levels:
        if text in (level.key.lower(), level.label_vi.lower(), level.label_en.lower()):
            return level
    keys = ", ".join(level.key for level in component.rule.levels)
    raise InputError(f"{str(value)!r} is not a level of this component; write one of: {keys}",
                     f"{str(value)!r} không phải là một mức của chỉ số này; hãy ghi một trong: {keys}")


def ratio_parts(value: Any) -> tuple[float, float]:
    """A ratio as (a, b): from ``{"a": .., "b": ..}``, ``[a, b]`` or the text ``a/b``."""
    if isinstance(value, dict):
        a, b = value.get("a"), value.get("b")
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        a, b = value
    elif isinstance(value, str) and "/" in value:
        a, b = value.split("/", 1)
    else:
        raise InputError(f"{str(value)!r} is not a ratio; write achieved/required, e.g. 45/60",
                         f"{str(value)!r} không phải là tỷ lệ; hãy ghi số đạt/số phải đạt, ví dụ 45/60")
    a_num, b_num = _number(a, "a"), _number(b, "b")
    if a_num < 0 or b_num < 0:
        raise InputError(f"ratio {a_num:g}/{b_num:g} has a negative part; write counts ≥ 0, e.g. 45/60",
                         f"tỷ lệ {_vi(a_num)}/{_vi(b_num)} có số âm; hãy nhập các số ≥ 0, ví dụ 45/60")
    return a_num, b_num


def parts_met(component: Component, value: Any) -> dict[str, float]:
    """Which parts are met, each 0..1: from a dict, a list of keys, or ``key1;key2=0.5``."""
    keys = {p.key for p in component.rule.parts}
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, (list, tuple)):
        items = [(k, 1.0) for k in value]
    else:
        text = str(value).strip()
        items = []
        for chunk in filter(None, (c.strip() for c in text.replace(",", ";").split(";"))):
            key, _, share = chunk.partition("=")
            items.append((key.strip(), share.strip() or 1.0))
    met: dict[str, float] = {}
    for key, share in items:
        if key not in keys:
            raise InputError(f"{key!r} is not a part of this component; use parts {sorted(keys)}, "
                             f"e.g. {next(iter(sorted(keys)))};…",
                             f"{key!r} không phải là một phần của chỉ số này; hãy dùng các phần {sorted(keys)}, "
                             f"ví dụ {next(iter(sorted(keys)))};…")
        if isinstance(share, bool):
            fraction = 1.0 if share else 0.0
        else:
            fraction = _number(share, f"part {key}")
        if not 0 <= fraction <= 1:
            raise InputError(f"part {key} = {fraction:g} is out of range; write a share from 0 to 1",
                             f"phần {key} = {_vi(fraction)} nằm ngoài khoảng; hãy nhập tỷ lệ từ 0 đến 1")
        met[key] = fraction
    return met


def is_blank(value: Any) -> bool:
    return _is_blank(value)
