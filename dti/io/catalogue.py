"""Import the official catalogue (Appendix 1 of the Decision) into a validated framework edition.

A province holds the official table: code · indicator · maximum points · how it is determined and scored ·
evidence documents · data source · verifying unit. ``import_catalogue`` reads that table from .xlsx or .csv
(Vietnamese or English headers, case and diacritics ignored), checks it against the official structure of a
base edition (component count and points per main index, the total), and returns a new ``Framework`` whose
titles and points are marked ``official`` with the file as source. The scoring text is kept verbatim in
``scoring_vi``; where it reads as a known idiom (yes/no) it becomes the rule, otherwise the base edition's
rule is kept and marked provisional. Nothing is returned unless every row is good.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dti.framework.model import Component, Framework, MainIndex
from dti.framework.validation import FrameworkError, Problem, parse_framework
from dti.io import limits

MAX_CATALOGUE_BYTES = 5 * 1024 * 1024
MAX_CATALOGUE_ROWS = 5000
HEADER_SEARCH_ROWS = 20
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/framework.schema.json\n"

# Column → accepted header names, normalised (lowercase, no diacritics, single spaces, no punctuation).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("stt", "so tt", "ma", "ma so", "ma chi so", "code", "no", "number"),
    "title": ("ten chi so", "chi so", "ten chi so thanh phan", "noi dung", "indicator", "title", "name"),
    "title_en": ("ten tieng anh", "ten chi so tieng anh", "indicator en", "indicator english", "title en",
                 "english title", "name en"),
    "points": ("diem toi da", "diem", "thang diem", "so diem", "max points", "maximum points", "points",
               "max_points"),
    "scoring": ("cach xac dinh va tinh diem", "cach xac dinh va cham diem", "cach tinh diem", "cach xac dinh",
                "phuong phap tinh diem", "how it is scored", "scoring", "scoring method", "how scored"),
    "evidence": ("tai lieu kiem chung", "tai lieu minh chung", "minh chung", "evidence", "evidence documents"),
    "data_source": ("nguon so lieu", "nguon du lieu", "data source", "source"),
    "verifier": ("don vi tham dinh", "co quan tham dinh", "verifier", "verified by", "verifying unit"),
}
REQUIRED = ("code", "title", "points")
COLUMN_LABELS = {"code": "code (STT)", "title": "indicator (Tên chỉ số)", "points": "max points (Điểm tối đa)"}

MAIN_CODE = re.compile(r"^\d+$")
COMPONENT_CODE = re.compile(r"^\d+\.\d+$")
# Group headings of the official table (I, II, A, B …) carry no points: skipped.
HEADING_CODE = re.compile(r"^(?:[IVX]+|[A-Z])$")


@dataclass(frozen=True)
class CatalogueProblem(Problem):
    """``appendix.xlsx, row 14, component 2.4: <what is wrong>; <the fix>``."""

    def __str__(self) -> str:
        return f"{self.file}, {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


class CatalogueError(FrameworkError):
    """The catalogue cannot be imported; ``problems`` lists every reason, nothing was written."""


@dataclass
class CatalogueRow:
    row: int
    code: str
    title: str
    title_en: str
    points: float | None
    scoring: str
    evidence: str
    data_source: str
    verifier: str


def normalise(text: Any) -> str:
    """Lowercase, without diacritics or punctuation: 'Điểm tối đa' → 'diem toi da'."""
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return " ".join(re.sub(r"[^a-z0-9_]+", " ", text).split())


# --- reading the table ----------------------------------------------------------------------------


def _table_rows(data: bytes, filename: str) -> list[list[Any]]:
    """All rows of the first sheet that has the catalogue's header (any sheet for CSV: the file)."""
    if len(data) > MAX_CATALOGUE_BYTES:
        raise CatalogueError([CatalogueProblem(filename, "", f"is {len(data) / 1e6:.1f} MB, over the "
                              f"{MAX_CATALOGUE_BYTES // 10**6} MB limit for a catalogue; keep only the Appendix 1 "
                              "table")])
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CatalogueError([CatalogueProblem(filename, "", "is not UTF-8 text; save the CSV as UTF-8")]) \
                from None
        sheets = [limits.csv_rows(text, filename, MAX_CATALOGUE_ROWS)]
    elif suffix in (".xlsx", ".xlsm"):
        wb = limits.open_workbook(data, filename, data_only=True)  # zip checked first: no bomb reaches openpyxl
        if wb is None:
            raise CatalogueError([CatalogueProblem(filename, "", "is not an Excel workbook; save the Appendix 1 "
                                  "table as .xlsx or .csv")])
        sheets = []
        for ws in wb.worksheets:
            rows = []
            for values in limits.sheet_rows(ws, filename, max_rows=MAX_CATALOGUE_ROWS):
                rows.append(list(values))
                if len(rows) > MAX_CATALOGUE_ROWS:
                    break
            sheets.append(rows)
        wb.close()
    else:
        raise CatalogueError([CatalogueProblem(filename, "", f"has the extension {suffix or '(none)'!r}; the "
                              "catalogue must be a spreadsheet: save the Appendix 1 table as .xlsx or .csv")])
    for rows in sheets:
        if len(rows) > MAX_CATALOGUE_ROWS:
            raise CatalogueError([CatalogueProblem(filename, "", f"has more than {MAX_CATALOGUE_ROWS} rows; the "
                                  "catalogue has about a hundred: keep only the Appendix 1 table")])
        if _find_header(rows) is not None:
            return rows
    seen = [str(c).strip() for rows in sheets for row in rows[:HEADER_SEARCH_ROWS] for c in row if c not in (None, "")]
    wanted = ", ".join(COLUMN_LABELS[c] for c in REQUIRED)
    raise CatalogueError([CatalogueProblem(filename, "", f"has no header row with the columns {wanted} in its first "
                          f"{HEADER_SEARCH_ROWS} rows (found: {seen[:12]}); name the columns as in Appendix 1")])


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, column → position) for the first row naming the required columns."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [normalise(c) for c in row]
        found: dict[str, int] = {}
        for key, aliases in COLUMNS.items():
            # Exact names first, so 'chi so' does not take the 'ten chi so tieng anh' column.
            for j, name in enumerate(names):
                if name in aliases and j not in found.values():
                    found[key] = j
                    break
        if all(k in found for k in REQUIRED):
            return i, found
    return None


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _code(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _text(value).rstrip(".")


def _points(value: Any) -> float | str | None:
    """A number, None when blank, or the raw text when it is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raw = str(value).strip()
    # '10 điểm', '7,5' and '7.5' are all numbers as written in Vietnamese tables.
    candidate = raw.lower().replace("điểm", "").replace("đ", "").strip().replace(",", ".")
    try:
        return float(candidate)
    except ValueError:
        return raw


def read_catalogue(data: bytes, filename: str) -> list[CatalogueRow]:
    """The rows of main indices and components, with spreadsheet row numbers; raises CatalogueError."""
    try:
        rows = _table_rows(data, filename)
    except limits.FileRefused as exc:
        raise CatalogueError([CatalogueProblem(p.file, p.place(), p.en) for p in exc.problems]) from None
    header_index, cols = _find_header(rows)
    out: list[CatalogueRow] = []
    problems: list[Problem] = []

    def cell(row: list[Any], key: str) -> Any:
        j = cols.get(key)
        return row[j] if j is not None and j < len(row) else None

    for i, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        code = _code(cell(row, "code"))
        title = _text(cell(row, "title"))
        if not code and not title:
            continue  # blank lines and notes under a row
        if HEADING_CODE.match(code):
            continue
        if not (MAIN_CODE.match(code) or COMPONENT_CODE.match(code)):
            if not code and title:
                continue  # a continuation line or a note, as merged cells export
            problems.append(CatalogueProblem(filename, f"row {i}", f"code {code!r} is neither a main index (1) nor "
                                             "a component (1.1); write the code as in Appendix 1, as text"))
            continue
        what = f"row {i}, {'component' if '.' in code else 'main index'} {code}"
        points = _points(cell(row, "points"))
        if isinstance(points, str):
            problems.append(CatalogueProblem(filename, what, f"max points {points!r} is not a number; write a "
                                             "number such as 10"))
            continue
        if points is not None and points < 0:
            problems.append(CatalogueProblem(filename, what, f"max points {points:g} is negative; write a number "
                                             "≥ 0"))
            continue
        if not title:
            problems.append(CatalogueProblem(filename, what, "has no indicator title; copy the title from "
                                             "Appendix 1"))
            continue
        if too_long := limits.text_problem(code, "title", title):
            problems.append(CatalogueProblem(filename, what, too_long.en))
            continue
        out.append(CatalogueRow(i, code, title, _text(cell(row, "title_en")), points, _text(cell(row, "scoring")),
                                _text(cell(row, "evidence")), _text(cell(row, "data_source")),
                                _text(cell(row, "verifier"))))
    if problems:
        raise CatalogueError(problems)
    if not any("." in r.code for r in out):
        raise CatalogueError([CatalogueProblem(filename, "", "has no component rows (codes like 1.1); check that "
                                               "this is the Appendix 1 table")])
    return out


# --- scoring text → rule --------------------------------------------------------------------------

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_YES_NO = re.compile(r"\b(?:co|dat|yes)\b.*?" + _NUMBER + r"\s*(?:diem|d\b|points?).*?\b(?:khong|chua|no)\b.*?\b0\b")
_STEP = re.compile(r"(\d+)\s*(?:lan|cuoc|buoi|times?)\b[^;:\d]*[:=]?\s*" + _NUMBER + r"\s*(?:diem|points?)")
_NOT_SCORED = re.compile(r"\bkhong tinh diem\b|\bnot scored\b")


def _plain(text: str) -> str:
    """Lowercase without diacritics, punctuation kept (decimals like 7,5 and separators matter here)."""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower().split())


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def rule_from_text(text: str, max_points: float) -> dict | None:
    """A rule when the official scoring text reads as a known idiom, else None (keep the base rule).

    Recognised: not scored ("Không tính điểm"); counts in steps ("4 lần: 20 điểm; 3 lần: 15 điểm; …") when the
    top step is worth the maximum; yes/no ("Có: 10 điểm; không: 0 điểm") when "yes" is worth the maximum.
    """
    t = _plain(text)
    if not t:
        return None
    if _NOT_SCORED.search(t) and max_points == 0:
        return {"type": "not_scored"}
    if max_points <= 0:
        return None
    steps = {int(count): _num(points) for count, points in _STEP.findall(t)}
    if len(steps) >= 2 and max(steps.values()) == max_points and all(p <= max_points for p in steps.values()):
        return {"type": "stepped", "steps": [{"min": count, "share": points / max_points}
                                             for count, points in sorted(steps.items())]}
    match = _YES_NO.search(t)
    if match and _num(match.group(1)) == max_points:
        return {"type": "yes_no"}
    return None


# --- building the edition -------------------------------------------------------------------------


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(x) for x in code.split("."))


def _fmt(x: float) -> str:
    return f"{x:g}"


def _base_rule(base_comp: Component | None, max_points: float, scored: bool) -> dict:
    if not scored or max_points == 0:
        return {"type": "not_scored"}
    if base_comp is not None and base_comp.rule.type != "not_scored":
        return base_comp.rule.model_dump(mode="json")
    return {"type": "direct"}  # points entered directly, read off the official method shown beside it


def _structure_problems(rows: list[CatalogueRow], base: Framework, filename: str) -> list[Problem]:
    problems: list[Problem] = []

    def add(where: str, message: str) -> None:
        problems.append(CatalogueProblem(filename, where, message))

    seen: dict[str, int] = {}
    for r in rows:
        kind = "component" if "." in r.code else "main index"
        if r.code in seen:
            add(f"row {r.row}, {kind} {r.code}", f"appears again (first on row {seen[r.code]}); keep one row")
            continue
        seen[r.code] = r.row
        main_code = r.code.split(".")[0]
        if main_code not in base.main_index_by_code:
            codes = [m.code for m in base.main_indices]
            add(f"row {r.row}, {kind} {r.code}", f"main index {main_code} is not in {base.id} (main indices "
                f"{codes[0]}–{codes[-1]}); check the code")
        elif kind == "component" and base.main_index_by_code[main_code].components \
                and r.code not in base.component_by_code:
            known = base.main_index_by_code[main_code].components
            add(f"row {r.row}, component {r.code}", f"is not a component of {base.id} (main index {main_code} has "
                f"{known[0].code}–{known[-1].code}); check the code")
        elif kind == "component" and r.points is None and base.main_index_by_code[main_code].scored:
            add(f"row {r.row}, component {r.code}", "max points are missing; write the points from Appendix 1")
    if problems:
        return problems

    by_main: dict[str, list[CatalogueRow]] = {}
    main_rows = {r.code: r for r in rows if "." not in r.code}
    for r in rows:
        if "." in r.code:
            by_main.setdefault(r.code.split(".")[0], []).append(r)
    total = 0.0
    for m in base.main_indices:
        comps = by_main.get(m.code, [])
        main_row = main_rows.get(m.code)
        where = f"row {main_row.row}, main index {m.code}" if main_row else f"main index {m.code}"
        for c in m.components:
            if c.code not in {r.code for r in comps}:
                add(f"component {c.code}", f"is missing from the catalogue; add its row (main index {m.code} has "
                    f"{len(m.components)} components)")
        expected = m.expected_components
        if expected is not None and len(comps) != expected and not m.components:
            add(where, f"the catalogue lists {len(comps)} components but the edition has {expected}; add the "
                "missing rows")
        if not m.components and not comps and m.scored:
            add(where, "has no component rows in the catalogue; add its rows (codes like "
                f"{m.code}.1, {m.code}.2 …)")
        comp_sum = sum(r.points or 0.0 for r in comps)
        official = m.max_points if (m.max_points is not None and m.provenance.points == "official") else None
        if main_row is not None and main_row.points is not None and official is not None \
                and abs(main_row.points - official) > 1e-6:
            add(where, f"max points {_fmt(main_row.points)} differ from the official {_fmt(official)} of "
                f"{base.id}; correct the points")
        target = official if official is not None else (main_row.points if main_row and main_row.points is not None
                                                        else None)
        if target is not None and comps and abs(comp_sum - target) > 1e-6:
            add(where, f"component points add up to {_fmt(comp_sum)} but main index {m.code} is worth "
                f"{_fmt(target)}; correct the points so they sum to {_fmt(target)}")
        total += target if target is not None else comp_sum
    if not problems and abs(total - base.total_points) > 1e-6:
        add("", f"main-index points add up to {_fmt(total)} but {base.id} is worth {_fmt(base.total_points)}; "
            "correct the points")
    if base.expected_components is not None:
        n = sum(len(v) for v in by_main.values())
        if n != base.expected_components:
            add("", f"lists {n} components but {base.id} has {base.expected_components}; add the missing rows or "
                "remove the extra ones")
    return problems


def import_catalogue(data: bytes, filename: str, base_edition: Framework, new_id: str | None = None) -> Framework:
    """A complete edition from the official catalogue, checked against ``base_edition``; raises CatalogueError."""
    filename = Path(filename).name
    rows = read_catalogue(data, filename)
    problems = _structure_problems(rows, base_edition, filename)
    if problems:
        raise CatalogueError(problems)
    source = f"{filename} (official catalogue loaded by the province)"
    main_rows = {r.code: r for r in rows if "." not in r.code}
    mains = []
    for m in base_edition.main_indices:
        comps = sorted((r for r in rows if r.code.split(".")[0] == m.code and "." in r.code),
                       key=lambda r: _code_key(r.code))
        mains.append(_main_index(m, main_rows.get(m.code), comps, base_edition, source))
    points_of = {m["code"]: m["max_points"] for m in mains}
    data_out = base_edition.model_dump(mode="json", exclude={"main_indices", "pillars"})
    data_out.update(
        id=new_id or f"{base_edition.id}-official",
        title_vi=f"{base_edition.title_vi} (Phụ lục 1 chính thức)",
        title_en=f"{base_edition.title_en} (official Appendix 1)",
        complete=True, missing_vi="", missing_en="",
        expected_components=len(rows) - len(main_rows),
        sources=[source, *base_edition.sources],
        main_indices=mains,
        pillars=[{**p.model_dump(mode="json"), "max_points": sum(points_of[c] for c in p.main_indices)}
                 for p in base_edition.pillars],
    )
    try:
        return parse_framework(data_out, filename)
    except FrameworkError as exc:  # a rule of the base edition that no longer fits, for instance
        raise CatalogueError(exc.problems) from None


def _main_index(m: MainIndex, main_row: CatalogueRow | None, comps: list[CatalogueRow], base: Framework,
                source: str) -> dict:
    points = sum(r.points or 0.0 for r in comps) if m.scored else 0.0
    components = []
    for r in comps:
        max_points = (r.points or 0.0) if m.scored else 0.0
        base_comp = base.component_by_code.get(r.code)
        parsed = rule_from_text(r.scoring, max_points) if m.scored else {"type": "not_scored"}
        rule = parsed or _base_rule(base_comp, max_points, m.scored)
        rule_source = "" if parsed else (
            f"; rule: the scoring text could not be read as a rule, so the {base.id} rule is kept (provisional): "
            "apply the official method shown in scoring_vi")
        components.append({
            "code": r.code, "name_vi": r.title, "name_en": r.title_en or r.title, "max_points": max_points,
            "rule": rule, "evidence_vi": r.evidence, "data_source_vi": r.data_source, "verifier_vi": r.verifier,
            "scoring_vi": r.scoring,
            "measured_by": base_comp.measured_by if base_comp else "province",
            "provenance": {"title": "official", "points": "official",
                           "rule": "official" if parsed else "provisional", "source": source + rule_source},
        })
    return {
        **m.model_dump(mode="json", exclude={"components", "provenance", "max_points", "expected_components",
                                             "name_vi"}),
        "name_vi": main_row.title if main_row else m.name_vi,
        "max_points": points,
        "expected_components": len(comps),
        "provenance": {"title": "official", "points": "official", "rule": "official", "source": source},
        "components": components,
    }


def framework_to_yaml(fw: Framework) -> str:
    """The edition as YAML for ``config/frameworks/``, pointing editors to the JSON Schema."""
    short = fw.model_dump(mode="json", exclude_defaults=True)
    # Fields in the model's order; `complete` always written, even when true, so the file reads on its own.
    doc = {k: v for k, v in fw.model_dump(mode="json").items() if k in short or k == "complete"}
    doc.update({k: v for k, v in short.items() if k in doc})
    return SCHEMA_LINE + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)
