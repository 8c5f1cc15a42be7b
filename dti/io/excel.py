"""Spreadsheets in and out: the offline template, the all-or-nothing import, and the exports.

The template has a sheet per main index with a dropdown for every levels or yes/no component and a locked
"points" preview formula where a spreadsheet can compute it; the app recomputes the points on import.
Import checks every row first and returns responses only when all of them are good; each problem names the
file, sheet, row, component and the fix. Exports neutralise text that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dti import limits
from dti.framework.model import Component, Framework
from dti.i18n import fmt_number, fmt_points, t
from dti.io.export import FORMULA_START, safe_text, value_label
from dti.io.inputs import MAX_INPUT_BYTES, read_bytes, read_rows
from dti.scoring.engine import InputProblems, Response
from dti.scoring.rules import InputError, check_points, find_level, is_blank, points_from_value

MAX_UPLOAD_BYTES = MAX_INPUT_BYTES
READ_COLUMNS = ("code", "value", "points", "evidence", "note")
# Template columns: (key read back on import, width). Row 1 shows labels from config/i18n.yaml, row 2 the keys.
TEMPLATE_COLUMNS = (("code", 8), ("name", 60), ("max_points", 10), ("provenance", 12), ("how", 40),
                    ("value", 22), ("points_preview", 12), ("evidence", 40), ("note", 30))
INPUT_COLUMNS = ("value", "evidence", "note")
ZIP_MAGIC = b"PK\x03\x04"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")


@dataclass(frozen=True)
class ImportProblem:
    """One reason a file was refused. ``message`` is English; ``text(lang)`` says it in the UI's language
    (messages of this module come from config/i18n.yaml, ``excel.err_<key>``; a rule's own message is kept)."""

    file: str
    message: str
    sheet: str = ""
    row: int | None = None
    code: str = ""
    key: str = ""
    params: dict = field(default_factory=dict, compare=False, hash=False)
    message_vi: str = ""  # a rule's own message in Vietnamese (messages with a key come from config/i18n.yaml)

    def text(self, lang: str = "en") -> str:
        where = [self.file]
        if self.sheet:
            where.append(t("excel.where_sheet", lang, sheet=self.sheet))
        if self.row:
            where.append(t("excel.where_row", lang, row=self.row))
        if self.code:
            where.append(t("excel.where_component", lang, code=self.code))
        params = {k: fmt_number(v, lang, 1) if isinstance(v, float) else v for k, v in self.params.items()}
        own = self.message_vi if (lang != "en" and self.message_vi) else self.message
        message = t(_message_key(self.key), lang, **params) if self.key else own
        return f"{', '.join(where)}: {message}"

    def __str__(self) -> str:
        return self.text("en")


def _message_key(key: str) -> str:
    """``excel.err_<key>``, or the key itself when it names its section (``files.err_…``)."""
    return key if "." in key else f"excel.err_{key}"


def _problem(file: str, key: str, sheet: str = "", row: int | None = None, code: str = "",
             **params: Any) -> ImportProblem:
    shown = {k: fmt_number(v, "en", 1) if isinstance(v, float) else v for k, v in params.items()}
    return ImportProblem(file, t(_message_key(key), "en", **shown), sheet, row, code, key, params)


class ImportRefused(InputProblems):
    """The file was not imported; ``problems`` lists every reason with where it is and the fix.

    An InputProblems, so every caller of the one reader (pages, CLI) handles it the same way."""

    def __init__(self, problems: list[ImportProblem]):
        super().__init__(problems)  # type: ignore[arg-type]  # ImportProblem has the same text()/str()


neutralise = safe_text  # one rule for every cell written: dti.io.export.safe_text


def _sheet_title(fw: Framework, code: str) -> str:
    main = fw.main_index_by_code[code]
    return re.sub(r"[\[\]:*?/\\]", " ", safe_text(f"{code}. {main.name_vi}"))[:31]


# --- Template -----------------------------------------------------------------------------------------


def _how_to_answer(comp: Component, lang: str) -> str:
    rule = comp.rule
    if rule.type == "levels":
        return t("excel.how_levels", lang, levels="; ".join(f"{lv.label_vi if lang == 'vi' else lv.label_en}"
                                                            for lv in rule.levels))
    if rule.type == "stepped":
        return t("excel.how_stepped", lang, unit=rule.unit_vi if lang == "vi" else rule.unit_en)
    if rule.type == "parts":
        return t("excel.how_parts", lang, parts=";".join(p.key for p in rule.parts))
    return t(f"excel.how_{rule.type}", lang, max=fmt_points(comp.max_points, lang))


def _points_formula(comp: Component, row: int, lists: dict[str, str]) -> str | None:
    """A spreadsheet formula previewing the points from the value in column F, or None when it cannot."""
    v, top = f"F{row}", f"C{row}"
    rule = comp.rule
    if rule.type == "levels":
        return f'=IF({v}="","",IFERROR({top}*VLOOKUP({v},{lists[comp.code]},2,FALSE),""))'
    if rule.type == "yes_no":
        return f'=IF({v}="","",IF(OR(LOWER({v})="có",LOWER({v})="yes"),{top},0))'
    if rule.type == "direct":
        return f'=IF({v}="","",{v})'
    if rule.type == "stepped":
        expr = "0"
        for step in sorted(rule.steps, key=lambda s: s.min):
            expr = f"IF({v}>={step.min:g},{step.share:g},{expr})"
        return f'=IF({v}="","",{top}*{expr})'
    if rule.type == "ratio":
        a = f'VALUE(LEFT({v},FIND("/",{v})-1))'
        b = f'VALUE(MID({v},FIND("/",{v})+1,99))'
        zero = top if rule.on_zero_denominator == "full" else "0"
        return f'=IF({v}="","",IFERROR(IF({b}=0,{zero},{top}*MIN(1,{a}/{b})),""))'
    if rule.type == "not_scored":
        return "=0"
    return None  # parts: computed by the app on import


def template(fw: Framework, lang: str = "vi", codes: set[str] | None = None,
             stored: Mapping[str, Any] | None = None) -> bytes:
    """The offline workbook for ``fw``: only ``codes`` when given (an agency's components), prefilled from
    ``stored`` (code → an object with value/evidence/note) when given."""
    wb = Workbook()
    guide = wb.active
    guide.title = t("excel.guide_sheet", lang)[:31]
    guide.column_dimensions["A"].width = 110
    for i, key in enumerate(("guide_1", "guide_2", "guide_3", "guide_4", "guide_5"), start=1):
        guide.cell(i, 1, neutralise(t(f"excel.{key}", lang, edition=fw.title(lang))))
    guide["A1"].font = Font(bold=True, size=13)

    lists = wb.create_sheet("_lists")
    lists.sheet_state = "hidden"
    list_ranges: dict[str, str] = {}
    next_row = 1
    for comp in fw.components:
        if comp.rule.type != "levels":
            continue
        first = next_row
        for level in comp.rule.levels:
            lists.cell(next_row, 1, neutralise(level.label_vi if lang == "vi" else level.label_en))
            lists.cell(next_row, 2, level.share)
            next_row += 1
        list_ranges[comp.code] = f"'_lists'!$A${first}:$B${next_row - 1}"
    yes_no = ('"có,không"' if lang == "vi" else '"yes,no"')

    for main in fw.main_indices:
        comps = [c for c in main.components if codes is None or c.code in codes]
        if not comps:
            continue
        ws = wb.create_sheet(_sheet_title(fw, main.code))
        for col, (key, width) in enumerate(TEMPLATE_COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
            head = ws.cell(1, col, t(f"excel.col_{key}", lang))
            head.font, head.fill = Font(bold=True), HEADER_FILL
            head.alignment = Alignment(wrap_text=True, vertical="top")
            ws.cell(2, col, key).font = Font(color="808080", size=8)
        ws.freeze_panes = "C3"
        for row, comp in enumerate(comps, start=3):
            old = (stored or {}).get(comp.code)
            mark = "" if comp.provenance.is_official else t("common.provisional", lang)
            ws.cell(row, 1, comp.code).number_format = "@"  # a text cell: 1.10 stays 1.10
            ws.cell(row, 2, neutralise(comp.name(lang))).alignment = Alignment(wrap_text=True, vertical="top")
            ws.cell(row, 3, comp.max_points)
            ws.cell(row, 4, mark)
            how = ws.cell(row, 5, neutralise(_how_to_answer(comp, lang)))
            how.alignment = Alignment(wrap_text=True, vertical="top")
            if old is not None:
                ws.cell(row, 6, neutralise(value_label(comp, old.value, lang)))
                ws.cell(row, 8, neutralise(old.evidence))
                ws.cell(row, 9, neutralise(old.note))
            formula = _points_formula(comp, row, list_ranges)
            if formula:
                ws.cell(row, 7, formula)
            for col in (6, 8, 9):
                cell = ws.cell(row, col)
                cell.protection = Protection(locked=False)
                cell.fill = INPUT_FILL
            _add_validation(ws, comp, f"F{row}", list_ranges, yes_no, lang)
        # Locked sheet: only value, evidence and note can be typed in; no password, a user may unprotect.
        ws.protection.sheet = True
        ws.protection.formatColumns = False
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _add_validation(ws, comp: Component, cell: str, lists: dict[str, str], yes_no: str, lang: str) -> None:
    rule = comp.rule
    if rule.type == "levels":
        dv = DataValidation(type="list", formula1=lists[comp.code].replace(":$B$", ":$A$"), allow_blank=True)
    elif rule.type == "yes_no":
        dv = DataValidation(type="list", formula1=yes_no, allow_blank=True)
    elif rule.type == "stepped":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    elif rule.type == "direct":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=f"{comp.max_points:g}",
                            allow_blank=True)
    else:
        return
    dv.error = safe_text(t("excel.validation_error", lang, how=_how_to_answer(comp, lang)))[:255]  # Excel's limit
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(cell)


# --- Import -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    sheet: str
    row: int
    cells: dict[str, Any]
    code_cell: str = ""  # where the code is, e.g. A7 (spreadsheets only)


def _is_formula(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    return value is not None and not isinstance(value, int | float | bool) and type(value).__name__ != "datetime"


def _xlsx_rows(data: bytes, name: str) -> tuple[list[_Row], list[ImportProblem]]:
    """The filled rows of every data sheet, and the problems of the rows that cannot be read (formulas)."""
    if not data.startswith(ZIP_MAGIC):
        raise ImportRefused([_problem(name, "not_workbook")])
    wb = limits.open_workbook(data, name, data_only=False)  # zip checked first: no bomb reaches openpyxl
    if wb is None:
        raise ImportRefused([_problem(name, "damaged")])
    rows: list[_Row] = []
    problems: list[ImportProblem] = []
    data_sheets = 0
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            header_row, names = 0, []
            # The last row of the first five holding 'code': an export has a row of labels ("Code" in English)
            # above the row of keys.
            for r, values in enumerate(limits.sheet_rows(ws, name, min_row=1, max_row=5), start=1):
                keys = [str(v).strip().lower() if v is not None else "" for v in values]
                if "code" in keys:
                    header_row, names = r, keys
            if not names:
                continue  # the guide or a sheet of the user's own: not data
            data_sheets += 1
            if not ({"value", "points"} & set(names)):
                problems.append(_problem(name, "no_value_column", sheet=ws.title))
                continue
            for r, values in enumerate(limits.sheet_rows(ws, name, min_row=header_row + 1), start=header_row + 1):
                cells = {k: v for k, v in zip(names, values) if k in READ_COLUMNS}
                if _unfilled(cells):
                    continue
                formulas = [(key, v) for key, v in cells.items() if _is_formula(v)]
                for key, v in formulas:
                    col = get_column_letter(names.index(key) + 1)
                    problems.append(_problem(name, "formula", sheet=ws.title, row=r, code=str(cells.get("code") or ""),
                                             cell=f"{col}{r}", column=key, formula=repr(str(v)[:40])))
                if not formulas:
                    rows.append(_Row(ws.title, r, cells, f"{get_column_letter(names.index('code') + 1)}{r}"))
    finally:
        wb.close()
    if not data_sheets and not problems:
        raise ImportRefused([_problem(name, "no_code_sheet")])
    return rows, problems


def _flat_rows(data: bytes, name: str) -> list[_Row]:
    try:
        raw = read_rows(data, name)
    except InputProblems as exc:
        raise ImportRefused([ImportProblem(name, p.message, row=p.row, message_vi=p.message_vi)
                             for p in exc.problems]) from None
    columns = set().union(*(r.keys() for r in raw)) if raw else set()
    if raw and ("code" not in columns or not ({"value", "points"} & columns)):
        raise ImportRefused([_problem(name, "columns", columns=sorted(c for c in columns if c))])
    rows = [_Row("", i, {k: v for k, v in r.items() if k in READ_COLUMNS}) for i, r in enumerate(raw, start=2)]
    return [r for r in rows if not _unfilled(r.cells)]


def _unfilled(cells: dict[str, Any]) -> bool:
    """A row with nothing but its code (an unanswered template row) is not an answer."""
    return all(is_blank(v) for k, v in cells.items() if k != "code")


def _from_limit(p: limits.LimitProblem, sheet: str = "", code: str = "") -> ImportProblem:
    """A limit of dti/limits.py (a zip bomb, a huge cell, a text too long) as an import problem."""
    return ImportProblem(p.file, p.detail("en"), sheet=sheet or p.sheet, row=p.row, code=code,
                         message_vi=p.detail("vi"))


def _unquoted(value: Any) -> Any:
    """Text as typed before an export kept it from running as a formula ('=x back to =x): a re-upload of a
    download gives the same answers."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def _codes_equal_to(fw: Framework, number: float) -> list[str]:
    found = []
    for code in fw.component_by_code:
        try:
            if float(code) == number:
                found.append(code)
        except ValueError:
            continue
    return found


def _code_text(fw: Framework, raw: Any) -> str | None:
    """A component code as text. A spreadsheet may have stored a typed code as a number (1.10 becomes 1.1):
    a number equal to exactly one code is that code; equal to several (1.1 and 1.10) it is ambiguous (None)."""
    if is_blank(raw):
        return ""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        found = _codes_equal_to(fw, float(raw))
        if len(found) > 1:
            return None
        return found[0] if found else f"{raw:g}"
    return str(raw).strip()


def read_answer_file(fw: Framework, path: str | Path) -> dict[str, Response]:
    """``read_upload`` of a file on disk (the CLI's ``score --input``)."""
    path = Path(path)
    return read_upload(fw, read_bytes(path), path.name)


def read_upload(fw: Framework, data: bytes, name: str) -> dict[str, Response]:
    """Responses from an uploaded .xlsx, .csv or .json, or ImportRefused listing every problem.

    The one reader of answer files: the Self-assessment and Import/export pages (through Store.import_file)
    and the CLI read with it. Values are read through each rule (a level's key or label, có/không, …).
    Rows whose value, points, evidence and note are all blank are skipped (an unfilled template row or a
    component never answered in a downloaded assessment).
    """
    if not data:
        raise ImportRefused([_problem(name, "empty")])
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused([_problem(name, "too_big", mb=len(data) / 1e6, limit=MAX_UPLOAD_BYTES // 10**6)])
    lower = name.lower()
    try:
        rows, problems = _xlsx_rows(data, name) if lower.endswith((".xlsx", ".xlsm")) else (_flat_rows(data, name), [])
    except limits.FileRefused as exc:
        raise ImportRefused([_from_limit(p) for p in exc.problems]) from None
    if not rows and not problems:
        raise ImportRefused([_problem(name, "no_rows")])
    responses: dict[str, Response] = {}
    first_seen: dict[str, _Row] = {}
    for row in rows:
        where = {"sheet": row.sheet, "row": row.row}
        c = row.cells
        code = _code_text(fw, c.get("code"))
        if code is None:
            problems.append(_problem(name, "files.err_ambiguous_code", cell=row.code_cell or "code",
                                     number=f"{c['code']:g}", codes=", ".join(_codes_equal_to(fw, c["code"])),
                                     **where))
            continue
        comp = fw.component_by_code.get(code)
        if not code:
            problems.append(_problem(name, "no_code", **where))
            continue
        if comp is None:
            problems.append(_problem(name, "unknown_code", edition=fw.id,
                                          code=code, **where))
            continue
        if code in first_seen:
            seen = first_seen[code]
            if seen.sheet:
                problems.append(_problem(name, "duplicate_sheet", code=code, first_row=seen.row,
                                         first_sheet=seen.sheet, **where))
            else:
                problems.append(_problem(name, "duplicate", code=code, first_row=seen.row, **where))
            continue
        first_seen[code] = row
        value = None if is_blank(c.get("value")) else _unquoted(c.get("value"))
        points = None if is_blank(c.get("points")) else c.get("points")
        if isinstance(value, str):
            value = value.strip()
            if value[:1] in "[{":  # ratios and parts exported as JSON
                try:
                    value = limits.json_loads(value, name, depth_key="value_depth")
                except json.JSONDecodeError:
                    pass
                except limits.FileRefused as exc:  # nested too deep, a number of thousands of digits
                    problems += [ImportProblem(name, p.en, code=code, message_vi=p.vi, **where) for p in exc.problems]
                    continue
        try:  # a value is read through the rule; a 'points' column counts only where there is no value
            if value is not None:
                points_from_value(comp, value)
                points = None
                if comp.rule.type == "levels":  # a label (Đạt một nửa) is stored as its key (half)
                    value = find_level(comp, value).key
                elif comp.rule.type == "stepped" and isinstance(value, int | float) and not isinstance(value, bool):
                    value = f"{float(value):g}"  # a count as the form stores it: 3 → "3"
            elif points is not None:
                points = check_points(comp, points)
        except InputError as exc:
            problems.append(ImportProblem(name, exc.en, code=code, message_vi=exc.vi, **where))
            continue
        too_long = limits.text_problems(code, c, name, row.row)
        if too_long:
            problems += [_from_limit(p, row.sheet, code) for p in too_long]
            continue
        evidence, note = ("" if is_blank(c.get(k)) else _unquoted(str(c[k]).strip()) for k in ("evidence", "note"))
        responses[code] = Response(code, value=value, points=points, evidence=evidence, note=note)
    if problems:
        raise ImportRefused(problems)
    return responses


@dataclass(frozen=True)
class AssignmentUpload:
    """An assignment file read and checked: code → (lead agency id or None, supporting ids), and its due date."""

    rows: dict[str, tuple[int | None, list[int]]]
    due_date: date | None


def _due_date(raw: Any) -> date | None:
    """A due date cell: a spreadsheet date, or text dd/mm/yyyy (Vietnamese order) or yyyy-mm-dd."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def read_assignments(fw: Framework, data: bytes, name: str, agencies: Mapping[str, int]) -> AssignmentUpload:
    """The assignment in an uploaded .xlsx/.csv (columns code, lead, supporting, due_date; ``assignments_xlsx``
    writes them), or ImportRefused listing every problem with its row, component and fix; nothing half-read.

    Agencies are named as on the Coordinator page (``agencies``: name → id); supporting agencies are separated
    by ';'. A blank lead unassigns the component. The due date is one per period (the progress table and the
    drill-down count late against it): every filled due_date cell must hold the same date.
    """
    if not data:
        raise ImportRefused([_problem(name, "empty")])
    try:
        raw = read_rows(data, name)
    except InputProblems as exc:
        raise ImportRefused([ImportProblem(name, p.message, row=p.row, message_vi=p.message_vi)
                             for p in exc.problems]) from None
    columns = set().union(*(r.keys() for r in raw)) if raw else set()
    if "code" not in columns or "lead" not in columns:
        raise ImportRefused([_problem(name, "appraisal.err_columns",
                                      columns=", ".join(sorted(str(c) for c in columns if c)) or "—")])
    by_name = {n.strip().casefold(): i for n, i in agencies.items()}
    problems: list[ImportProblem] = []
    rows: dict[str, tuple[int | None, list[int]]] = {}
    first_row: dict[str, int] = {}
    dues: dict[date, int] = {}
    for number, record in enumerate(raw, start=2):
        code = _code_text(fw, record.get("code"))
        if not code:
            if any(not is_blank(v) for v in record.values()):
                problems.append(_problem(name, "no_code", row=number))
            continue
        if code not in fw.component_by_code:
            problems.append(_problem(name, "unknown_code", row=number, code=code, edition=fw.id))
            continue
        if code in first_row:
            problems.append(_problem(name, "duplicate", row=number, code=code, first_row=first_row[code]))
            continue
        first_row[code] = number
        lead_name = "" if is_blank(record.get("lead")) else _unquoted(str(record["lead"]).strip())
        support_names = [] if is_blank(record.get("supporting")) else [
            _unquoted(s.strip()) for s in str(record["supporting"]).split(";") if s.strip()]
        unknown = [n for n in [lead_name, *support_names] if n and n.casefold() not in by_name]
        for agency in unknown:
            problems.append(_problem(name, "appraisal.err_unknown_agency", row=number, code=code, agency=agency))
        if support_names and not lead_name:
            problems.append(_problem(name, "appraisal.err_support_without_lead", row=number, code=code))
        if not is_blank(record.get("due_date")):
            try:
                dues.setdefault(_due_date(record["due_date"]), number)
            except ValueError:
                problems.append(_problem(name, "appraisal.err_due_date", row=number, code=code,
                                         text=str(record["due_date"])[:40]))
        if unknown:
            continue
        rows[code] = (by_name[lead_name.casefold()] if lead_name else None,
                      [by_name[n.casefold()] for n in support_names])
    if len(dues) > 1:
        problems.append(_problem(name, "appraisal.err_due_dates", dates=", ".join(
            f"{d:%d/%m/%Y} ({r})" for d, r in sorted(dues.items()))))
    if not rows and not problems:
        raise ImportRefused([_problem(name, "appraisal.err_no_rows")])
    if problems:
        raise ImportRefused(problems)
    return AssignmentUpload(rows, next(iter(dues)) if dues else None)
