"""The coordinator's review of the rules read from an appendix, as rows of plain text a table editor can show.

One row per component: the code, title, points, the rule type, the rule written as text (``Trưởng ban là Bí thư =
1; là Phó Bí thư = 0,5; còn lại = 0`` for levels or parts, ``4 = 1; 3 = 0,75`` for steps, ``a = …; b = …`` for a
ratio), the unit of a stepped rule, the original scoring text and why it goes to review. ``apply_review`` reads the
edited rows back into a framework: a rule the coordinator changed or confirmed (``confirmed``) loses its review
note; a row that cannot be read is refused with the component and the fix, and nothing is changed.
"""

from __future__ import annotations

import re
from typing import Any

from dti.framework.model import Component, Framework
from dti.framework.validation import FrameworkError, Problem, parse_framework
from dti.io.catalogue import CatalogueProblem

REVIEW_COLUMNS = ("code", "name_vi", "max_points", "rule_type", "rule_text", "unit_vi", "scoring_vi", "review_vi",
                  "confirmed")
EDITABLE_TYPES = ("levels", "ratio", "stepped", "parts", "yes_no", "direct", "not_scored")


class ReviewRowError(ValueError):
    """A review row that cannot be read: what to write instead, in English (``str``) and Vietnamese (``vi``)."""

    def __init__(self, en: str, vi: str):
        super().__init__(en)
        self.vi = vi


class ReviewProblem(CatalogueProblem):
    """A review row's problem: written as any framework problem (``file: component 1.3: …``), with
    ``text(lang)`` in Vietnamese or English for the UI."""

    def __str__(self) -> str:
        return Problem.__str__(self)


def _share_text(share: float) -> str:
    return f"{share:.6g}".replace(".", ",")


def rule_text(comp: Component) -> str:
    """The rule as the text a reviewer edits."""
    rule = comp.rule
    if rule.type == "levels":
        return "; ".join(f"{lv.label_vi} = {_share_text(lv.share)}" for lv in rule.levels)
    if rule.type == "parts":
        return "; ".join(f"{p.label_vi} = {_share_text(p.share)}" for p in rule.parts)
    if rule.type == "stepped":
        return "; ".join(f"{s.min:g} = {_share_text(s.share)}" for s in rule.steps)
    if rule.type == "ratio":
        return f"a = {_strip_name(rule.a_label_vi, 'a')}; b = {_strip_name(rule.b_label_vi, 'b')}"
    return ""


def _strip_name(label: str, name: str) -> str:
    return re.sub(rf"^\s*{name}\s*=\s*", "", label)


def review_rows(fw: Framework) -> list[dict[str, Any]]:
    """One row per component, in the framework's order."""
    return [{"code": c.code, "name_vi": c.name_vi, "max_points": c.max_points, "rule_type": c.rule.type,
             "rule_text": rule_text(c), "unit_vi": c.rule.unit_vi if c.rule.type == "stepped" else "",
             "scoring_vi": c.scoring_vi, "review_vi": c.scoring_review_vi, "confirmed": False}
            for c in fw.components]


def _pairs(text: str, stepped: bool = False) -> list[tuple[str, float]]:
    """'label = 0,5; other = 1' → [(label, 0.5), (other, 1.0)]; raises ReviewRowError naming the piece."""
    out = []
    for piece in filter(None, (p.strip() for p in re.split(r"[;\n]", text or ""))):
        label, sep, share = piece.rpartition("=")
        if not sep or not label.strip():
            if stepped:
                raise ReviewRowError(f"'{piece}' is not 'count = share'; write e.g. '4 = 1; 3 = 0,75; 2 = 0,5'",
                                     f"'{piece}' không đúng dạng 'số lần = tỷ lệ'; hãy viết ví dụ "
                                     "'4 = 1; 3 = 0,75; 2 = 0,5'")
            raise ReviewRowError(f"'{piece}' is not 'label = share'; write e.g. 'Đạt = 1; Chưa đạt = 0'",
                                 f"'{piece}' không đúng dạng 'nhãn = tỷ lệ'; hãy viết ví dụ 'Đạt = 1; Chưa đạt = 0'")
        try:
            value = float(share.strip().replace(",", ".").rstrip("%")) / (100 if share.strip().endswith("%") else 1)
        except ValueError:
            raise ReviewRowError(f"'{share.strip()}' in '{piece}' is not a share; write a number from 0 to 1, e.g. "
                                 "0,5", f"'{share.strip()}' trong '{piece}' không phải là tỷ lệ; hãy ghi một số từ 0 "
                                 "đến 1, ví dụ 0,5") from None
        out.append((label.strip(), value))
    return out


def rule_from_review(rule_type: str, text: str, unit_vi: str = "") -> dict:
    """The rule a review row describes; raises ReviewRowError with what to write instead."""
    if rule_type not in EDITABLE_TYPES:
        raise ReviewRowError(f"rule type '{rule_type}' is unknown; choose one of {', '.join(EDITABLE_TYPES)}",
                             f"loại quy tắc '{rule_type}' không có; hãy chọn một trong {', '.join(EDITABLE_TYPES)}")
    if rule_type in ("yes_no", "direct", "not_scored"):
        return {"type": rule_type}
    if rule_type == "ratio":
        parts = dict(re.findall(r"(?:^|;)\s*([ab])\s*=\s*([^;]+)", text or ""))
        if "a" not in parts or "b" not in parts:
            raise ReviewRowError("a ratio needs 'a = …; b = …'; write what a and b count",
                                 "quy tắc tỷ lệ cần 'a = …; b = …'; hãy viết a và b đếm gì")
        return {"type": "ratio", "a_label_vi": f"a = {parts['a'].strip()}", "a_label_en": f"a = {parts['a'].strip()}",
                "b_label_vi": f"b = {parts['b'].strip()}", "b_label_en": f"b = {parts['b'].strip()}",
                "on_zero_denominator": "zero"}
    pairs = _pairs(text, stepped=rule_type == "stepped")
    if rule_type == "stepped":
        try:
            steps = [{"min": float(label.replace(",", ".")), "share": share} for label, share in pairs]
        except ValueError:
            raise ReviewRowError("steps are 'count = share', e.g. '4 = 1; 3 = 0,75; 2 = 0,5'",
                                 "các bậc có dạng 'số lần = tỷ lệ', ví dụ '4 = 1; 3 = 0,75; 2 = 0,5'") from None
        return {"type": "stepped", "unit_vi": unit_vi or "lần", "unit_en": unit_vi or "times", "steps": steps}
    key = "level" if rule_type == "levels" else "part"
    items = [{"key": f"{key}_{i}", "label_vi": label, "label_en": label, "share": share}
             for i, (label, share) in enumerate(pairs, start=1)]
    return {"type": rule_type, "levels" if rule_type == "levels" else "parts": items}


def apply_review(fw: Framework, rows: list[dict[str, Any]], file: str = "review") -> Framework:
    """``fw`` with the reviewed rules; raises FrameworkError listing every row that cannot be read."""
    problems: list[Problem] = []
    by_code = {str(r.get("code")): r for r in rows}
    data = fw.model_dump(mode="json")
    for main in data["main_indices"]:
        for comp in main["components"]:
            row = by_code.get(comp["code"])
            if row is None:
                continue
            current = fw.component_by_code[comp["code"]]
            wanted_type = str(row.get("rule_type") or "")
            wanted_text = str(row.get("rule_text") or "")
            unit = str(row.get("unit_vi") or "")
            untouched = wanted_type == current.rule.type and wanted_text == rule_text(current) \
                and (wanted_type != "stepped" or unit == current.rule.unit_vi)
            if untouched and not row.get("confirmed"):
                continue  # a row left as it was keeps its rule and, if it had one, its review note
            try:
                comp["rule"] = rule_from_review(wanted_type, wanted_text, unit)
            except ReviewRowError as exc:
                problems.append(ReviewProblem(file, f"component {comp['code']}", str(exc), exc.vi))
                continue
            comp["scoring_review_vi"] = comp["scoring_review_en"] = ""
            trusted = comp["provenance"]["title"]  # the coordinator's decision is as good as the file's titles
            comp["provenance"]["rule"] = trusted
            comp["provenance"]["source"] += "; rule reviewed by the coordinator"
    try:
        reviewed = parse_framework(data, file)  # the rules that were read, checked as any edition is
    except FrameworkError as exc:
        problems.extend(exc.problems)
    if problems:
        raise FrameworkError(problems)
    return reviewed
