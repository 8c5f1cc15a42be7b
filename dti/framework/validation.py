"""Load a framework YAML and report every problem as ``file: path → field: what is wrong; the fix``.

Messages follow pre-commit's style: the reader sees where the problem is and what to write instead,
e.g. ``dti-2022-province.yaml: main index 2 → component 2.4 → max_points: -5 is negative; use a number ≥ 0``.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from dti.framework.model import Framework
from dti.limits import FileRefused, read_yaml_file

# Points are compared with a tolerance: a catalogue may carry 0.5-point components.
POINTS_TOLERANCE = 1e-6
# Problems of the path itself (not found, a device): shown with the path as given, not only the file name.
PATH_PROBLEMS = {"not_found", "unreadable", "not_regular"}


@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


class FrameworkError(Exception):
    """A framework file that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _node_label(data: Any, loc: tuple) -> list[str]:
    """Turn a pydantic location into human steps, naming list items by their code where they have one."""
    names = {"main_indices": "main index", "components": "component", "pillars": "pillar", "groups": "group",
             "levels": "level", "steps": "step", "parts": "part", "general_info": "general info field"}
    steps: list[str] = []
    node = data
    i = 0
    while i < len(loc):
        key = loc[i]
        nxt = loc[i + 1] if i + 1 < len(loc) else None
        if isinstance(key, str) and key in names and isinstance(nxt, int):
            item = node.get(key)[nxt] if isinstance(node, dict) and isinstance(node.get(key), list) else None
            code = item.get("code") if isinstance(item, dict) else None
            code = code if code is not None else (item.get("key") if isinstance(item, dict) else None)
            steps.append(f"{names[key]} {code}" if code is not None else f"{names[key]} #{nxt + 1}")
            node = item
            i += 2
            continue
        if isinstance(key, str) and key in RULE_TAGS and i > 0 and loc[i - 1] == "rule":
            i += 1  # pydantic's discriminated-union tag adds no information for the reader
            continue
        steps.append(str(key))
        node = node.get(key) if isinstance(node, dict) else None
        i += 1
    return steps


RULE_TAGS = {"levels", "ratio", "stepped", "parts", "yes_no", "direct", "not_scored"}


def _fix_for(err: dict) -> str:
    """What the reader should write instead, by pydantic error type."""
    kind = err["type"]
    ctx = err.get("ctx", {})
    value = err.get("input")
    if kind == "missing":
        return "is missing; add it"
    if kind == "extra_forbidden":
        return "is not a known field; remove it or correct its spelling (see config/schema/framework.schema.json)"
    if kind in ("greater_than_equal",) and ctx.get("ge") == 0:
        return f"{value!r} is negative; use a number ≥ 0"
    if kind == "greater_than_equal":
        return f"{value!r} is below {_fmt(ctx['ge'])}; use a number ≥ {_fmt(ctx['ge'])}"
    if kind == "greater_than":
        return f"{value!r} is not above {_fmt(ctx['gt'])}; use a number > {_fmt(ctx['gt'])}"
    if kind == "less_than_equal":
        return f"{value!r} is above {_fmt(ctx['le'])}; use a number ≤ {_fmt(ctx['le'])}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return f"{value!r} is not a number; write a number such as 10"
    if kind == "int_from_float":
        return f"{value!r} is not a whole number; write a whole number such as 2022"
    if kind == "union_tag_invalid":
        return (f"rule type {ctx.get('tag')!r} is unknown; use one of {ctx.get('expected_tags')}")
    if kind == "union_tag_not_found":
        return "the rule has no 'type'; add type: levels, ratio, stepped, parts, yes_no, direct or not_scored"
    if kind == "literal_error":
        return f"{value!r} is not allowed; use one of {ctx.get('expected')}"
    if kind == "enum":
        return f"{value!r} is not allowed; use one of {ctx.get('expected')}"
    if kind == "string_pattern_mismatch":
        example = PATTERN_EXAMPLES.get(ctx.get("pattern"), f"text matching {ctx.get('pattern')}")
        return f"{value!r} has the wrong form; write {example}"
    if kind in ("too_short",):
        return f"has too few items; give at least {ctx.get('min_length')}"
    if kind == "string_too_short":
        return "is empty; write a text"
    if kind == "string_type":
        return f"{value!r} is not a text; write a text, in quotes if it looks like a number"
    if kind == "list_type":
        return f"{value!r} is not a list; write one '- item' per line"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{value!r} is not a mapping; write its fields as 'name: value' lines"
    if kind in ("bool_type", "bool_parsing"):
        return f"{value!r} is not true or false; write true or false"
    return f"{err['msg']}; see config/schema/framework.schema.json"


# The fix for a code written in the wrong form, by the pattern of its field in dti.framework.model.
PATTERN_EXAMPLES = {
    r"^\d+(?:\.\d+)+$": "main index and component number, e.g. '2.4' (or '2.4.1' for a deeper level)",
    r"^\d+$": "a number in quotes, e.g. '2'",
    r"^[a-z0-9][a-z0-9-]*$": "lowercase letters, digits and dashes, e.g. 'dti-2025-province'",
}


def problems_from_validation_error(file: str, data: Any, exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        steps = _node_label(data, err["loc"])
        out.append(Problem(file, " → ".join(steps), _fix_for(err)))
    return out


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, abs_tol=POINTS_TOLERANCE)


def _fmt(x: float) -> str:
    return f"{x:g}"


def structural_problems(file: str, fw: Framework) -> list[Problem]:
    """Checks across fields: unique codes, references, sums of points, rule specs."""
    out: list[Problem] = []

    def add(where: str, message: str) -> None:
        out.append(Problem(file, where, message))

    for label, codes in (("main index", [m.code for m in fw.main_indices]),
                         ("component", [c.code for c in fw.components]),
                         ("pillar", [p.code for p in fw.pillars]),
                         ("group", [g.code for g in fw.groups])):
        for code, n in Counter(codes).items():
            if n > 1:
                add(f"{label} {code}", f"code {code!r} is used {n} times; give each {label} its own code")

    groups = {g.code for g in fw.groups}
    for m in fw.main_indices:
        where = f"main index {m.code}"
        if m.group not in groups:
            add(f"{where} → group", f"{m.group!r} is not a group of this edition; use one of {sorted(groups)}")
        if m.max_points is None and fw.complete:
            add(f"{where} → max_points", "is missing; add the official points, or set complete: false on the edition")
        if not m.scored and m.max_points:
            add(f"{where} → max_points", f"{_fmt(m.max_points)} on an unscored main index; use 0 or set scored: true")
        if m.expected_components is not None and fw.complete and len(m.components) != m.expected_components:
            add(f"{where} → components", f"has {len(m.components)} components but the edition has "
                f"{m.expected_components}; add or remove components to match")
        for c in m.components:
            cwhere = f"{where} → component {c.code}"
            if c.main_code != m.code:
                add(f"{cwhere} → code", f"{c.code!r} does not belong to main index {m.code}; "
                    f"use a code starting with '{m.code}.'")
            out.extend(Problem(file, f"{cwhere} → rule", msg) for msg in _rule_problems(c))
            if not m.scored and c.max_points != 0:
                add(f"{cwhere} → max_points", f"{_fmt(c.max_points)} in an unscored main index; use 0")
        if fw.complete and m.components and m.max_points is not None:
            total = sum(c.max_points for c in m.components)
            if not _close(total, m.max_points):
                add(f"{where} → components", f"component points add up to {_fmt(total)} but the main index is "
                    f"worth {_fmt(m.max_points)}; change the component points so they sum to {_fmt(m.max_points)}")
        if fw.complete and not m.components:
            add(f"{where} → components", "has no components; list them, or set complete: false on the edition")

    index_total = sum(m.max_points or 0.0 for m in fw.main_indices)
    if fw.complete and not _close(index_total, fw.total_points):
        add("total_points", f"main-index points add up to {_fmt(index_total)} but total_points is "
            f"{_fmt(fw.total_points)}; make them equal")

    if fw.expected_components is not None and fw.complete and len(fw.components) != fw.expected_components:
        add("main_indices", f"the edition lists {len(fw.components)} components but has {fw.expected_components}; "
            "add or remove components to match")
    if not fw.complete and not (fw.missing_vi.strip() and fw.missing_en.strip()):
        add("missing_vi / missing_en", "an incomplete edition must say what is missing and how to fix it; "
            "write both texts")

    index_codes = {m.code for m in fw.main_indices}
    for p in fw.pillars:
        where = f"pillar {p.code}"
        unknown = [code for code in p.main_indices if code not in index_codes]
        if unknown:
            add(f"{where} → main_indices", f"{unknown} are not main indices of this edition; "
                f"use codes from {sorted(index_codes, key=_code_key)}")
        elif p.max_points is None and fw.complete:
            add(f"{where} → max_points", "is missing; add the points of its main indices, or set complete: false "
                "on the edition")
        elif fw.complete:
            total = sum(fw.main_index_by_code[code].max_points or 0.0 for code in p.main_indices)
            if not _close(total, p.max_points):
                add(f"{where} → max_points", f"{_fmt(p.max_points)} but its main indices add up to "
                    f"{_fmt(total)}; use {_fmt(total)}")
    return out


def _rule_problems(c) -> list[str]:
    rule = c.rule
    out = []
    if rule.type == "not_scored" and c.max_points != 0:
        out.append(f"not_scored but max_points is {_fmt(c.max_points)}; use max_points: 0 or another rule type")
    if rule.type == "levels":
        keys = [lv.key for lv in rule.levels]
        dupes = [k for k, n in Counter(keys).items() if n > 1]
        if dupes:
            out.append(f"level keys {dupes} repeat; give each level its own key")
        if not any(_close(lv.share, 1.0) for lv in rule.levels):
            out.append("no level is worth the full points (share: 1); add one or the maximum is unreachable")
    if rule.type == "stepped":
        mins = [s.min for s in rule.steps]
        if len(set(mins)) != len(mins):
            out.append("two steps have the same min; give each step its own min")
        if not any(_close(s.share, 1.0) for s in rule.steps):
            out.append("no step is worth the full points (share: 1); add one or the maximum is unreachable")
    if rule.type == "parts":
        total = sum(p.share for p in rule.parts)
        if not _close(total, 1.0):
            out.append(f"part shares add up to {_fmt(total)}; make them add up to 1")
        keys = [p.key for p in rule.parts]
        if len(set(keys)) != len(keys):
            out.append("part keys repeat; give each part its own key")
    return out


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(x) for x in code.split(".") if x.isdigit())


def parse_framework(data: Any, file: str) -> Framework:
    """Validate already-parsed YAML data; raise FrameworkError listing every problem."""
    if not isinstance(data, dict):
        raise FrameworkError([Problem(file, "", "is not a framework: the file must be a YAML mapping with id, "
                                      "pillars, main_indices, … (see config/frameworks/dti-2022-province.yaml)")])
    try:
        fw = Framework.model_validate(data)
    except ValidationError as exc:
        raise FrameworkError(problems_from_validation_error(file, data, exc)) from None
    problems = structural_problems(file, fw)
    if problems:
        raise FrameworkError(problems)
    return fw


def load_framework_file(path: str | Path) -> Framework:
    path = Path(path)
    name = path.name
    try:
        data = read_yaml_file(path)  # size, type (not /dev/zero), aliases, nesting, numbers: dti/limits.py
    except FileRefused as exc:
        raise FrameworkError([Problem(str(path) if p.key in PATH_PROBLEMS else p.file, p.place(), p.en)
                              for p in exc.problems]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or "is not valid YAML"
        raise FrameworkError([Problem(name, where, f"{what}; fix the YAML syntax (indentation, colons, quotes)")]) \
            from None
    return parse_framework(data, name)
