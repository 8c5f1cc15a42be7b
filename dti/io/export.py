"""The one writer of answer exports (CSV, Excel, JSON) and the one function that names downloaded files.

Every download of answers (Self-assessment page, Import/export page) goes through ``answers_csv``,
``answers_xlsx`` or ``answers_json``. The rows are for people and for machines at once: a level is written as
its label (``Đạt một nửa``, not ``half``), a status as its label, times in the province's local time, with the
earned points, the appraised points and their difference, the edition, the period and the province; and the
same file uploads back unchanged (``dti.io.excel.read_upload`` reads labels and keys alike and ignores the
columns it does not need). Text that a spreadsheet would run as a formula is kept as text and control
characters (which make openpyxl refuse a whole workbook) are removed, in every writer.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from dti.framework.model import Component, Framework
from dti.i18n import name, plain_number, t
from dti.scoring.rules import NO, YES, is_blank

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # the province's time: every time shown or exported to people
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What openpyxl refuses in a cell (IllegalCharacterError) plus DEL: nobody means them in evidence or a title.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ("code", "main_index", "name", "provenance", "max_points", "value", "points", "appraisal_points",
           "difference", "status", "evidence", "links", "note", "updated_by", "updated_at", "version",
           "edition", "period", "province")


def safe_text(value: Any) -> Any:
    """A value safe for a spreadsheet cell or a CSV field: control characters removed, and text that a
    spreadsheet would run as a formula (= + - @, tab or CR first) kept as text with a leading apostrophe."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START):
        return "'" + CONTROL_CHARACTERS.sub("", value)
    return CONTROL_CHARACTERS.sub("", value)


def local_time(moment: datetime | None) -> datetime | None:
    """``moment`` in the province's local time (a naive time from the database is UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ)


def fmt_time(moment: datetime | None, lang: str = "vi") -> str:
    """A time for people, in local time: 29/11/2026 22:48 (vi) or 2026-11-29 22:48 (en)."""
    local = local_time(moment)
    if local is None:
        return ""
    return local.strftime("%d/%m/%Y %H:%M" if lang == "vi" else "%Y-%m-%d %H:%M")


def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-': 'Gia Lai' → 'gia-lai', 'Tự đánh giá' → 'tu-danh-gia'."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def file_name(edition_year: int, province: str, year: int, quarter: int, kind: str, ext: str) -> str:
    """``dti-<edition year>-<province>-<year>-q<quarter>-<kind>.<ext>``; without a province that part is left out.

    >>> file_name(2022, "Gia Lai", 2026, 4, "tự đánh giá", "xlsx")
    'dti-2022-gia-lai-2026-q4-tu-danh-gia.xlsx'
    """
    parts = ["dti", str(edition_year), slug(province), str(year), f"q{quarter}", slug(kind)]
    return "-".join(p for p in parts if p) + "." + ext.lstrip(".")


@dataclass(frozen=True)
class ExportContext:
    """Where the answers belong: the period, the province (may be empty) and the language of the labels."""

    year: int
    quarter: int
    province: str = ""
    lang: str = "vi"
    # The answers to the edition's general-information fields (field code, value as stored), in the workbook's
    # header block and the JSON document; the CSV has no header block, so it carries answers only.
    general_info: tuple[tuple[str, str], ...] = ()

    def period(self) -> str:
        return t("files.period", self.lang, year=self.year, quarter=self.quarter)


def value_label(comp: Component, value: Any, lang: str = "vi") -> Any:
    """The stored value as people read it and as the reader reads it back: a level's or yes/no's label;
    ratios and parts given as objects become JSON text."""
    if is_blank(value):
        return ""
    rule = comp.rule
    if rule.type == "levels":
        text = str(value).strip().lower()
        for level in rule.levels:
            if text in (level.key.lower(), level.label_vi.lower(), level.label_en.lower()):
                return level.label_vi if lang == "vi" else level.label_en
    if rule.type == "yes_no":
        text = str(value).strip().lower()
        if value is True or text in YES:
            return "có" if lang == "vi" else "yes"
        if value is False or text in NO:
            return "không" if lang == "vi" else "no"
    if rule.type == "stepped" and isinstance(value, str):
        # The form keeps a count as text ("3"); a spreadsheet needs the number for the template's preview.
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def answer_rows(fw: Framework, stored: Mapping[str, Any], ctx: ExportContext) -> list[dict[str, Any]]:
    """One row per component of the edition (answered or not), safe for spreadsheets.

    ``stored``: code → an object with value, points, appraisal_points, status, evidence, links, note,
    updated_by, updated_at and version (``dti.storage.StoredResponse``).
    """
    lang = ctx.lang
    rows = []
    for comp in fw.components:
        r = stored.get(comp.code)
        points = getattr(r, "points", None) if r else None
        appraisal = getattr(r, "appraisal_points", None) if r else None
        row = {
            "code": comp.code, "main_index": comp.main_code, "name": comp.name(lang),
            "provenance": "" if comp.provenance.is_official else t("common.provisional", lang),
            "max_points": comp.max_points, "value": value_label(comp, r.value if r else None, lang),
            "points": points, "appraisal_points": appraisal,
            "difference": None if points is None or appraisal is None else round(appraisal - points, 6),
            "status": t(f"storage.status_{getattr(r, 'status', None) or 'not_started'}", lang),
            "evidence": r.evidence if r else "", "links": getattr(r, "links", "") if r else "",
            "note": r.note if r else "", "updated_by": getattr(r, "updated_by", "") if r else "",
            "updated_at": fmt_time(getattr(r, "updated_at", None), lang) if r else "",
            "version": getattr(r, "version", 0) if r else 0,
            "edition": fw.id, "period": ctx.period(), "province": ctx.province,
        }
        rows.append({k: safe_text(v) for k, v in row.items()})
    return rows


def header_lines(fw: Framework, ctx: ExportContext, now: datetime | None = None) -> list[str]:
    """The block at the top of a workbook: province, period, edition, and when it was exported (local time)."""
    lang = ctx.lang
    lines = [t("files.export_title", lang, province=ctx.province or "—", period=ctx.period()),
             t("files.export_edition", lang, edition=fw.title(lang), id=fw.id),
             t("files.export_when", lang, time=fmt_time(now or datetime.now(UTC), lang))]
    return [safe_text(line) for line in lines]


def general_info_lines(fw: Framework, ctx: ExportContext) -> list[str]:
    """'Dân số (người): 1250000' for each filled general-information field, in the edition's order."""
    answers, lines = dict(ctx.general_info), []
    for f in fw.general_info:
        value = answers.get(f.code, "")
        if not value:
            continue
        if f.kind == "number":
            try:
                value = plain_number(float(value), ctx.lang)
            except ValueError:
                pass
        unit = f.unit_en if ctx.lang == "en" and f.unit_en else f.unit_vi
        lines.append(f"{name(f, ctx.lang)}{f' ({unit})' if unit else ''}: {value}")
    return [safe_text(line) for line in lines]


def answers_csv(fw: Framework, stored: Mapping[str, Any], ctx: ExportContext) -> bytes:
    """UTF-8 with a BOM (Excel then shows the Vietnamese letters); keys as the header row, so it uploads back."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in answer_rows(fw, stored, ctx):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def answers_json(fw: Framework, stored: Mapping[str, Any], ctx: ExportContext) -> bytes:
    doc = {"edition": fw.id, "year": ctx.year, "quarter": ctx.quarter, "province": ctx.province,
           "exported_at": local_time(datetime.now(UTC)).isoformat(timespec="seconds"),
           "general_info": {k: safe_text(v) for k, v in ctx.general_info},
           "responses": answer_rows(fw, stored, ctx)}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def answers_xlsx(fw: Framework, stored: Mapping[str, Any], ctx: ExportContext) -> bytes:
    """One sheet: the header block (row 1), column labels (row 2), the keys the upload reads (row 3), then a
    row per component. Codes are text cells, so 1.10 stays 1.10."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    lang = ctx.lang
    wb = Workbook()
    ws = wb.active
    ws.title = t("excel.export_sheet", lang)[:31]
    ws.append([" · ".join(header_lines(fw, ctx) + general_info_lines(fw, ctx))])
    ws["A1"].font = Font(bold=True)
    ws.append([t(f"excel.col_{k}", lang) if k in _EXCEL_LABELS else t(f"files.col_{k}", lang) for k in COLUMNS])
    for cell in ws[2]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    ws.append(list(COLUMNS))
    for cell in ws[3]:
        cell.font = Font(color="808080", size=8)
    for row in answer_rows(fw, stored, ctx):
        ws.append([row[k] for k in COLUMNS])
        ws.cell(ws.max_row, 1).number_format = "@"
    ws.freeze_panes = "B4"
    for col, width in zip("ABCDEFGHIJKLMNOPQRS", (8, 6, 60, 10, 8, 20, 8, 10, 10, 22, 40, 30, 30, 14, 16, 6,
                                                  18, 12, 16)):
        ws.column_dimensions[col].width = width
    wb.properties.title = safe_text(f"{fw.id} {ctx.province} {ctx.period()}".strip())
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_EXCEL_LABELS = {"code", "main_index", "name", "provenance", "max_points", "value", "points", "appraisal_points",
                 "difference", "status", "evidence", "links", "note", "updated_by", "updated_at", "version"}

WRITERS = {"csv": (answers_csv, "text/csv"), "xlsx": (answers_xlsx, XLSX_MIME),
           "json": (answers_json, "application/json")}


ASSIGNMENT_COLUMNS = ("code", "name", "lead", "supporting", "due_date")


def assignments_xlsx(fw: Framework, assigned: Mapping[str, tuple[str, list[str]]], due: date | None,
                     ctx: ExportContext) -> bytes:
    """The assignment as a workbook read back by ``dti.io.excel.read_assignments``: a row of keys (code, name,
    lead, supporting, due_date), then a row per component with agency names (supporting ones joined by '; ')
    and the period's due date (dd/mm/yyyy; one date per period, see ``read_assignments``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = t("appraisal.sheet_assignment", ctx.lang)[:31]
    ws.append(list(ASSIGNMENT_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    shown_due = f"{due:%d/%m/%Y}" if due else ""
    for comp in fw.components:
        lead, supporting = assigned.get(comp.code, ("", []))
        ws.append([comp.code, safe_text(comp.name(ctx.lang)), safe_text(lead or ""),
                   safe_text("; ".join(supporting)), shown_due])
        ws.cell(ws.max_row, 1).number_format = "@"
        ws.cell(ws.max_row, 5).number_format = "@"
    for col, width in zip("ABCDE", (8, 60, 30, 40, 12)):
        ws.column_dimensions[col].width = width
    wb.properties.title = safe_text(f"{fw.id} {ctx.province} {ctx.period()}".strip())
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
