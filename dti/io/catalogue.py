"""Import an appendix table (the official catalogue, or a province's own index) into a validated framework.

A province holds the table as .xlsx, .csv, .docx or a text PDF: code · indicator · maximum points · how it is
determined and scored · evidence documents · data source · verifying unit, with Vietnamese or English headers in any
order (``dti.io.documents`` reads the file). Two ways in:

- ``import_catalogue(data, name, base_edition)`` checks the table against a base edition's official structure
  (component count and points per main index, the total) and returns that edition completed;
- ``framework_from_catalogue(data, name, new_id)`` takes the structure from the table itself: main indices from
  heading rows (``1``, ``2`` … or Roman numerals) or from a group column, any depth of codes (the deepest level is
  scored, the levels above add up), any total, no pillars needed.

Titles and points read from a file are ``from_file`` (source: the file name and its SHA-256) unless the caller
states that the file is the official appendix of a Decision, which is recorded. Each scoring text is kept verbatim
in ``scoring_vi`` and read by ``dti.io.methods``; what is not read with confidence becomes a points box with the
reason in ``scoring_review_vi`` for the coordinator to review, never a made-up scale. Nothing is returned unless
every row is good.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dti import limits
from dti.framework.model import Component, Framework, MainIndex
from dti.framework.validation import FrameworkError, Problem, parse_framework
from dti.io.documents import DocumentError, Table, read_tables
from dti.io.methods import MethodReading, read_method

HEADER_SEARCH_ROWS = 20
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/framework.schema.json\n"

# Column → accepted header names, normalised (lowercase, no diacritics, single spaces, no punctuation).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("stt", "so tt", "tt", "ma", "ma so", "ma chi so", "code", "no", "number"),
    "title": ("ten chi so", "chi so", "ten chi so thanh phan", "chi so thanh phan", "chi so chi so thanh phan",
              "chi tieu", "ten chi tieu", "noi dung", "noi dung chi so", "tieu chi", "ten tieu chi", "indicator",
              "title", "name"),
    "group": ("nhom", "nhom chi so", "chi so chinh", "ten chi so chinh", "group", "main index"),
    "title_en": ("ten tieng anh", "ten chi so tieng anh", "indicator en", "indicator english", "title en",
                 "english title", "name en"),
    "points": ("diem toi da", "diem", "thang diem", "so diem", "diem chuan", "max points", "maximum points",
               "points", "max_points"),
    "scoring": ("cach xac dinh va tinh diem", "cach xac dinh va cham diem", "cach tinh diem", "cach xac dinh",
                "phuong phap tinh diem", "phuong phap", "phuong phap tinh", "phuong phap danh gia",
                "how it is scored", "scoring", "scoring method", "how scored", "method"),
    "evidence": ("tai lieu kiem chung", "tai lieu minh chung", "minh chung", "evidence", "evidence documents"),
    "data_source": ("nguon so lieu", "nguon du lieu", "nguon thu thap du lieu", "nguon thu thap so lieu",
                    "data source", "source"),
    "verifier": ("don vi tham dinh", "co quan tham dinh", "don vi phoi hop xac minh so lieu", "don vi xac minh",
                 "don vi phoi hop xac minh", "verifier", "verified by", "verifying unit"),
}
REQUIRED = ("code", "title", "points")
COLUMN_LABELS = {"code": "code (STT)", "title": "indicator (Tên chỉ số)", "points": "max points (Điểm tối đa)"}

CODE = re.compile(r"^\d+(?:\.\d+)*$")
MAIN_CODE = re.compile(r"^\d+$")
COMPONENT_CODE = re.compile(r"^\d+(?:\.\d+)+$")
ROMAN_CODE = re.compile(r"^[IVXLC]+$")
LETTER_CODE = re.compile(r"^[A-Z]$")
# 'I. NHẬN THỨC SỐ (100 điểm)', '1.2 Tên chỉ số': a code and a title in one (merged) cell.
CODE_AND_TITLE = re.compile(r"^((?:\d+(?:\.\d+)*)|[IVXLC]+|[A-Z])[.):]?\s+(.+)$")
INFO_HEADING = re.compile(r"^(?:thong tin chung|thong tin co ban|general information)\b")
POINTS_IN_TITLE = re.compile(r"\s*[(\[]\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|đ|points?)\s*[)\]]\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class CatalogueProblem(Problem):
    """``appendix.xlsx, row 14, component 2.4: <what is wrong>; <the fix>``; ``message_vi`` for the UI."""

    message_vi: str = ""

    def __str__(self) -> str:
        return f"{self.file}, {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"

    def text(self, lang: str) -> str:
        message = self.message if lang == "en" or not self.message_vi else self.message_vi
        where = self.where if lang == "en" else _where_vi(self.where)
        return f"{self.file}, {where}: {message}" if where else f"{self.file}: {message}"


def _where_vi(where: str) -> str:
    for en, vi in (("main index", "chỉ số chính"), ("component", "chỉ số thành phần"), ("sheet", "trang tính"),
                   ("table", "bảng"), ("page", "trang"), ("row", "dòng")):
        where = re.sub(rf"\b{en}\b", vi, where)
    return where


class CatalogueError(FrameworkError):
    """The catalogue cannot be imported; ``problems`` lists every reason, nothing was written."""


@dataclass
class CatalogueRow:
    where: str  # 'row 14', 'table 1, row 5', 'page 2, row 3'
    code: str
    title: str
    title_en: str
    points: float | None
    scoring: str
    evidence: str
    data_source: str
    verifier: str
    group: str = ""
    kind: str = "item"  # item (a numeric code), roman, letter (headings), total


def normalise(text: Any) -> str:
    """Lowercase, without diacritics or punctuation: 'Điểm tối đa' → 'diem toi da'."""
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return " ".join(re.sub(r"[^a-z0-9_]+", " ", text).split())


def file_checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- reading the table ----------------------------------------------------------------------------


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, column → position) for the first row naming the required columns."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [normalise(c) for c in row]
        found: dict[str, int] = {}
        # Exact names first, so 'chi so' does not take the 'chi so chinh' column; then a name that starts with
        # an accepted one ('Điểm tối đa (điểm)'), longest first.
        for key, aliases in COLUMNS.items():
            for j, name in enumerate(names):
                if name in aliases and j not in found.values():
                    found[key] = j
                    break
        for key, aliases in COLUMNS.items():
            if key in found:
                continue
            for alias in sorted(aliases, key=len, reverse=True):
                j = next((j for j, name in enumerate(names) if len(alias) > 3 and name.startswith(alias + " ")
                          and j not in found.values()), None)
                if j is not None:
                    found[key] = j
                    break
        if all(k in found for k in REQUIRED):
            return i, found
    return None


def _problem(filename: str, where: str, en: str, vi: str = "") -> CatalogueProblem:
    return CatalogueProblem(filename, where, en, vi)


def _document_tables(data: bytes, filename: str) -> list[Table]:
    try:
        return read_tables(data, filename)
    except DocumentError as exc:
        raise CatalogueError([_problem(filename, "", exc.message_en, exc.message_vi)]) from None


def _header_names(row: list[Any], cols: dict[str, int]) -> str:
    return " | ".join(str(row[j]).replace("\n", " ") for j in sorted(cols.values()) if j < len(row))


def _appendix_table(tables: list[Table], filename: str, spreadsheet: bool) -> tuple[list[list[Any]], list[str],
                                                                                      dict[str, int], set[int]]:
    """The appendix rows below the header, their labels, the columns, and the rows where a page/table begins.

    A spreadsheet: the first sheet with the header. A document: the first table with the header, followed by the
    tables that continue it (the same header repeated, or no header and the same number of columns); a later
    table with another header is refused, as the file would hold two appendices.
    """
    rows: list[list[Any]] = []
    labels: list[str] = []
    breaks: set[int] = set()
    cols: dict[str, int] | None = None
    width = 0
    first_part = ""
    header_text = ""
    for table in tables:
        found = _find_header(table.rows)
        if cols is None:
            if found is None:
                continue
            at, cols = found
            width, first_part = len(table.rows[at]), table.part
            header_text = _header_names(table.rows[at], cols)
            rows.extend(table.rows[at + 1:])
            labels.extend(table.labels[at + 1:])
            if spreadsheet:
                break
            continue
        if found is not None:
            at, other = found
            if other != cols:
                raise CatalogueError([_problem(
                    filename, "", f"has two tables with different headers ({first_part or 'first'}: {header_text}; "
                    f"{table.part}: {_header_names(table.rows[at], other)}); keep one appendix table per file, with "
                    "the same columns on every page",
                    f"có hai bảng với tiêu đề cột khác nhau ({_where_vi(first_part) or 'bảng đầu'}: {header_text}; "
                    f"{_where_vi(table.part)}: {_header_names(table.rows[at], other)}); mỗi tệp chỉ giữ một bảng phụ "
                    "lục, các trang cùng một dòng tiêu đề")])
            breaks.add(len(rows))
            rows.extend(table.rows[at + 1:])
            labels.extend(table.labels[at + 1:])
        elif table.rows and len(table.rows[0]) == width:
            breaks.add(len(rows))
            rows.extend(table.rows)
            labels.extend(table.labels)
    if cols is None:
        seen = [str(c).strip() for t in tables for row in t.rows[:HEADER_SEARCH_ROWS] for c in row
                if c not in (None, "")]
        wanted = ", ".join(COLUMN_LABELS[c] for c in REQUIRED)
        if not any(t.rows for t in tables):
            raise CatalogueError([_problem(filename, "", "has no table; the appendix must be a table with the "
                                           f"columns {wanted}",
                                           "không có bảng nào; phụ lục phải là một bảng có các cột STT, Tên chỉ số, "
                                           "Điểm tối đa")])
        raise CatalogueError([_problem(
            filename, "", f"has no header row with the columns {wanted} in its first {HEADER_SEARCH_ROWS} rows "
            f"(found: {seen[:12]}); name the columns as in Appendix 1",
            f"không có dòng tiêu đề với các cột STT, Tên chỉ số, Điểm tối đa trong {HEADER_SEARCH_ROWS} dòng đầu "
            f"(thấy: {seen[:12]}); hãy đặt tên cột như trong Phụ lục 1")])
    return rows, labels, cols, breaks


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _lines(value: Any) -> str:
    """Text keeping its line breaks (a scoring method over several lines is several clauses)."""
    if value is None:
        return ""
    lines = (" ".join(line.split()) for line in str(value).split("\n"))
    return "\n".join(line for line in lines if line)


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
    raw = " ".join(str(value).split())
    # '10 điểm', '7,5' and '7.5' are all numbers as written in Vietnamese tables.
    candidate = raw.lower().replace("điểm", "").replace("đ", "").strip().replace(",", ".")
    try:
        return float(candidate)
    except ValueError:
        return raw


def _merge_continuation(previous: list[Any], row: list[Any]) -> list[Any]:
    """A row cut by a page break: its cells continue the cells of the row before it."""
    merged = list(previous) + [None] * max(0, len(row) - len(previous))
    for j, value in enumerate(row):
        if value not in (None, ""):
            merged[j] = value if merged[j] in (None, "") else f"{merged[j]}\n{value}"
    return merged


def _is_column_numbering(row: list[Any]) -> bool:
    """A row numbering the columns, '(1) | (2) | (3) …' or '1 | 2 | 3 …', as appendices print under the header."""
    cells = [str(int(v) if isinstance(v, float) and v.is_integer() else v).strip() for v in row
             if v not in (None, "")]
    numbers = [re.fullmatch(r"\(?(\d{1,2})\)?", c) for c in cells]
    if len(cells) < 3 or not all(numbers):
        return False
    values = [int(m.group(1)) for m in numbers]
    return values == list(range(values[0], values[0] + len(values)))


def read_catalogue(data: bytes, filename: str) -> list[CatalogueRow]:
    """The heading, main-index and component rows with their place in the file; raises CatalogueError."""
    spreadsheet = Path(filename).suffix.lower() in (".xlsx", ".xlsm", ".csv")
    try:
        tables = _document_tables(data, filename)
    except limits.FileRefused as exc:
        raise CatalogueError([_problem(filename, p.place(), p.en, p.vi) for p in exc.problems]) from None
    rows, labels, cols, breaks = _appendix_table(tables, filename, spreadsheet)
    out: list[CatalogueRow] = []
    problems: list[Problem] = []

    def cell(row: list[Any], key: str) -> Any:
        j = cols.get(key)
        return row[j] if j is not None and j < len(row) else None

    # Join rows that a page break cut in two: no code and no points, first row of a page, after a kept row.
    joined: list[tuple[str, list[Any]]] = []
    for i, row in enumerate(rows):
        if _is_column_numbering(row):
            continue  # '(1) (2) (3) …' under the header (on every page of a document): not an indicator
        if i in breaks and joined and not _code(cell(row, "code")) and cell(row, "points") in (None, "") \
                and any(v not in (None, "") for v in row):
            joined[-1] = (joined[-1][0], _merge_continuation(joined[-1][1], row))
            continue
        joined.append((labels[i], row))

    in_info = False
    for where, row in joined:
        code = _code(cell(row, "code"))
        title = _text(cell(row, "title"))
        if not code and not title:
            continue  # blank lines and notes under a row
        points = _points(cell(row, "points"))
        split = CODE_AND_TITLE.match(code) if not CODE.match(code) else None
        if split and (not title or normalise(title) == normalise(code)):
            if isinstance(points, str) and normalise(points) == normalise(code):
                points = None  # the same merged cell repeats in the points column
            code, title = split.group(1), _text(split.group(2))  # a heading merged across the row
        if INFO_HEADING.match(normalise(title)) and points is None:
            in_info = True  # 'Thông tin chung': unscored fields until the next heading or scored row
            continue
        if in_info:
            if points is None and not COMPONENT_CODE.match(code) and not ROMAN_CODE.match(code) \
                    and not LETTER_CODE.match(code) and title:
                out.append(CatalogueRow(where, code, title, "", None, "", "", "", "", kind="info"))
                continue
            in_info = False
        in_title = POINTS_IN_TITLE.search(title)
        if in_title and points is None:
            points, title = float(in_title.group(1).replace(",", ".")), title[:in_title.start()].strip()
        group = _text(cell(row, "group"))
        if not code:
            if normalise(title).startswith(("tong", "total")) and isinstance(points, float):
                out.append(CatalogueRow(where, "", title, "", points, "", "", "", "", kind="total"))
                continue
            if not (group and title and points is not None):
                continue  # a continuation line or a note, as merged cells export
            # a tracker naming the main index on every row may leave the code blank: numbered under it later
        if ROMAN_CODE.match(code) or LETTER_CODE.match(code):
            out.append(CatalogueRow(where, code, title, "", points if isinstance(points, float) else None, "", "", "",
                                    "", kind="roman" if ROMAN_CODE.match(code) else "letter"))
            continue
        if code and not CODE.match(code):
            problems.append(_problem(filename, where, f"code {code!r} is neither a main index (1) nor a component "
                                     "(1.1); write the code as in Appendix 1, as text",
                                     f"mã {code!r} không phải chỉ số chính (1) hay chỉ số thành phần (1.1); hãy ghi "
                                     "mã như trong Phụ lục 1, dạng văn bản"))
            continue
        what = f"{where}, {'component' if '.' in code or not code else 'main index'} {code}".rstrip()
        if isinstance(points, str):
            problems.append(_problem(filename, what, f"max points {points!r} is not a number; write a number such as "
                                     "10", f"điểm tối đa {points!r} không phải là số; hãy ghi một số, ví dụ 10"))
            continue
        if points is not None and points < 0:
            problems.append(_problem(filename, what, f"max points {points:g} is negative; write a number ≥ 0",
                                     f"điểm tối đa {points:g} là số âm; hãy ghi một số ≥ 0"))
            continue
        if not title:
            problems.append(_problem(filename, what, "has no indicator title; copy the title from Appendix 1",
                                     "không có tên chỉ số; hãy chép tên từ Phụ lục 1"))
            continue
        if too_long := limits.text_problem(code, "title", title):
            problems.append(_problem(filename, what, too_long.en, too_long.vi))
            continue
        out.append(CatalogueRow(where, code, title, _text(cell(row, "title_en")), points,
                                _lines(cell(row, "scoring")), _text(cell(row, "evidence")),
                                _text(cell(row, "data_source")), _text(cell(row, "verifier")),
                                group=group))
    if problems:
        raise CatalogueError(problems)
    if not any(r.kind == "item" for r in out):
        raise CatalogueError([_problem(filename, "", "has no indicator rows under its header; check that this is the "
                                       "appendix table", "không có dòng chỉ số nào dưới dòng tiêu đề; hãy kiểm tra "
                                       "đây có đúng là bảng phụ lục")])
    if all(r.points is None for r in out if r.kind == "item"):
        raise CatalogueError([_problem(filename, "", "has no points: the column of maximum points is empty; write "
                                       "the points of every component (Điểm tối đa)",
                                       "không có điểm: cột Điểm tối đa để trống; hãy ghi điểm tối đa của từng chỉ số")])
    return out


# --- scoring text → rule --------------------------------------------------------------------------


def rule_from_text(text: str, max_points: float) -> dict | None:
    """The rule a scoring text describes when it is read with confidence, else None (see dti.io.methods)."""
    reading = read_method(text, max_points)
    return reading.rule if reading.confident else None


def _rule_fields(reading: MethodReading, max_points: float, trusted: str) -> dict:
    """rule, measured_by, the review note and the rule's provenance for one component."""
    if max_points == 0:
        review = "" if reading.kind == "not_scored" or not reading.reason_en else reading.reason_en
        return {"rule": {"type": "not_scored"}, "measured_by": reading.measured_by, "rule_status": trusted,
                "scoring_review_en": review, "scoring_review_vi": reading.reason_vi if review else ""}
    if reading.confident and reading.rule["type"] != "not_scored":
        return {"rule": reading.rule, "measured_by": reading.measured_by, "rule_status": trusted,
                "scoring_review_en": "", "scoring_review_vi": ""}
    return {"rule": {"type": "direct"}, "measured_by": reading.measured_by, "rule_status": "provisional",
            "scoring_review_en": reading.reason_en or "the scoring method was not read; choose the rule",
            "scoring_review_vi": reading.reason_vi or "chưa đọc được cách tính điểm; hãy chọn quy tắc"}


def _source(filename: str, checksum: str, official: str) -> str:
    stated = f"; stated by the user to be the official appendix of Decision {official}" if official else ""
    return f"{filename} (sha256 {checksum}){stated}"


# --- against a base edition -----------------------------------------------------------------------


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(x) for x in code.split("."))


def _fmt(x: float) -> str:
    return f"{x:g}"


def _duplicates(rows: list[CatalogueRow], filename: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, CatalogueRow] = {}
    for r in rows:
        kind = "component" if "." in r.code else "main index"
        if r.code in seen:
            problems.append(_problem(filename, f"{r.where}, {kind} {r.code}", f"appears again (first on "
                                     f"{seen[r.code].where}); keep one row",
                                     f"xuất hiện lần nữa (lần đầu ở {_where_vi(seen[r.code].where)}); chỉ giữ một "
                                     "dòng"))
        else:
            seen[r.code] = r
    return problems


def _structure_problems(rows: list[CatalogueRow], base: Framework, filename: str) -> list[Problem]:
    problems: list[Problem] = _duplicates(rows, filename)

    def add(where: str, message: str, message_vi: str = "") -> None:
        problems.append(CatalogueProblem(filename, where, message, message_vi))

    for r in rows:
        kind = "component" if "." in r.code else "main index"
        main_code = r.code.split(".")[0]
        if not r.code:
            add(r.where, "has no code; write the code of the component as in Appendix 1 (e.g. 2.4)",
                "không có mã; hãy ghi mã chỉ số như trong Phụ lục 1 (ví dụ 2.4)")
        elif main_code not in base.main_index_by_code:
            codes = [m.code for m in base.main_indices]
            add(f"{r.where}, {kind} {r.code}", f"main index {main_code} is not in {base.id} (main indices "
                f"{codes[0]}–{codes[-1]}); check the code",
                f"chỉ số chính {main_code} không có trong {base.id} (chỉ số chính {codes[0]}–{codes[-1]}); hãy kiểm "
                "tra mã")
        elif kind == "component" and base.main_index_by_code[main_code].components \
                and r.code not in base.component_by_code:
            known = base.main_index_by_code[main_code].components
            add(f"{r.where}, component {r.code}", f"is not a component of {base.id} (main index {main_code} has "
                f"{known[0].code}–{known[-1].code}); check the code", f"không phải chỉ số thành phần của {base.id} "
                f"(chỉ số chính {main_code} gồm {known[0].code}–{known[-1].code}); hãy kiểm tra mã")
        elif kind == "component" and r.points is None and base.main_index_by_code[main_code].scored:
            add(f"{r.where}, component {r.code}", "max points are missing; write the points from Appendix 1",
                "thiếu điểm tối đa; hãy ghi điểm theo Phụ lục 1")
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
        where = f"{main_row.where}, main index {m.code}" if main_row else f"main index {m.code}"
        for c in m.components:
            if c.code not in {r.code for r in comps}:
                add(f"component {c.code}", f"is missing from the catalogue; add its row (main index {m.code} has "
                    f"{len(m.components)} components)", f"chưa có trong phụ lục; hãy thêm dòng của chỉ số này (chỉ số "
                    f"chính {m.code} có {len(m.components)} chỉ số thành phần)")
        expected = m.expected_components
        if expected is not None and len(comps) != expected and not m.components:
            add(where, f"the catalogue lists {len(comps)} components but the edition has {expected}; add the "
                "missing rows", f"phụ lục có {len(comps)} chỉ số thành phần nhưng bộ chỉ số có {expected}; hãy thêm "
                "các dòng còn thiếu")
        if not m.components and not comps and m.scored:
            add(where, "has no component rows in the catalogue; add its rows (codes like "
                f"{m.code}.1, {m.code}.2 …)", f"không có dòng chỉ số thành phần nào; hãy thêm (mã {m.code}.1, "
                f"{m.code}.2 …)")
        comp_sum = sum(r.points or 0.0 for r in comps)
        official = m.max_points if (m.max_points is not None and m.provenance.points == "official") else None
        if main_row is not None and main_row.points is not None and official is not None \
                and abs(main_row.points - official) > 1e-6:
            add(where, f"max points {_fmt(main_row.points)} differ from the official {_fmt(official)} of "
                f"{base.id}; correct the points", f"điểm tối đa {_fmt(main_row.points)} khác điểm chính thức "
                f"{_fmt(official)} của {base.id}; hãy sửa điểm")
        target = official if official is not None else (main_row.points if main_row and main_row.points is not None
                                                        else None)
        if target is not None and comps and abs(comp_sum - target) > 1e-6:
            add(where, f"component points add up to {_fmt(comp_sum)} but main index {m.code} is worth "
                f"{_fmt(target)}; correct the points so they sum to {_fmt(target)}",
                f"điểm các chỉ số thành phần cộng lại {_fmt(comp_sum)} nhưng chỉ số chính {m.code} được "
                f"{_fmt(target)} điểm; hãy sửa điểm cho khớp {_fmt(target)}")
        total += target if target is not None else comp_sum
    if not problems and abs(total - base.total_points) > 1e-6:
        add("", f"main-index points add up to {_fmt(total)} but {base.id} is worth {_fmt(base.total_points)}; "
            "correct the points", f"điểm các chỉ số chính cộng lại {_fmt(total)} nhưng {base.id} là "
            f"{_fmt(base.total_points)} điểm; hãy sửa điểm")
    if base.expected_components is not None:
        n = sum(len(v) for v in by_main.values())
        if n != base.expected_components:
            add("", f"lists {n} components but {base.id} has {base.expected_components}; add the missing rows or "
                "remove the extra ones", f"có {n} chỉ số thành phần nhưng {base.id} có "
                f"{base.expected_components}; hãy thêm dòng còn thiếu hoặc bỏ dòng thừa")
    return problems


def import_catalogue(data: bytes, filename: str, base_edition: Framework, new_id: str | None = None,
                     official: str = "") -> Framework:
    """A complete edition from the catalogue, checked against ``base_edition``; raises CatalogueError.

    ``official``: the Decision whose official appendix the user states this file is (titles and points are then
    ``official``); empty, they are ``from_file``.
    """
    filename = Path(filename).name
    rows = [r for r in read_catalogue(data, filename) if r.kind == "item"]
    problems = _structure_problems(rows, base_edition, filename)
    if problems:
        raise CatalogueError(problems)
    status = "official" if official else "from_file"
    source = _source(filename, file_checksum(data), official)
    main_rows = {r.code: r for r in rows if "." not in r.code}
    mains = []
    for m in base_edition.main_indices:
        comps = sorted((r for r in rows if r.code.split(".")[0] == m.code and "." in r.code),
                       key=lambda r: _code_key(r.code))
        mains.append(_main_index(m, main_rows.get(m.code), comps, base_edition, source, status))
    points_of = {m["code"]: m["max_points"] for m in mains}
    data_out = base_edition.model_dump(mode="json", exclude={"main_indices", "pillars"})
    suffix_vi, suffix_en = (("Phụ lục 1 chính thức", "official Appendix 1") if official else
                            ("Phụ lục nạp từ tệp", "appendix loaded from a file"))
    data_out.update(
        id=new_id or f"{base_edition.id}-official",
        title_vi=f"{base_edition.title_vi} ({suffix_vi})",
        title_en=f"{base_edition.title_en} ({suffix_en})",
        complete=True, missing_vi="", missing_en="",
        expected_components=len(rows) - len(main_rows),
        sources=[source, *base_edition.sources],
        official_appendix=official,
        main_indices=mains,
        pillars=[{**p.model_dump(mode="json"), "max_points": sum(points_of[c] for c in p.main_indices)}
                 for p in base_edition.pillars],
    )
    try:
        return parse_framework(data_out, filename)
    except FrameworkError as exc:  # a rule of the base edition that no longer fits, for instance
        raise CatalogueError(exc.problems) from None


def _component(r: CatalogueRow, code: str, max_points: float, source: str, status: str,
               base_comp: Component | None = None) -> dict:
    """One component: titles and points as read, the rule from its scoring text (or kept, or sent to review)."""
    reading = read_method(r.scoring, max_points)
    fields = _rule_fields(reading, max_points, status)
    kept = ""
    if fields["rule_status"] == "provisional" and base_comp is not None and max_points > 0 \
            and base_comp.provenance.rule != "provisional" and base_comp.rule.type != "not_scored":
        # The base edition's rule is itself sourced (not a placeholder scale): keep it rather than a points box.
        fields.update(rule=base_comp.rule.model_dump(mode="json"), rule_status=base_comp.provenance.rule.value)
        kept = f"; rule kept from the base edition ({base_comp.provenance.rule.value})"
    measured_by = "ministry" if reading.measured_by == "ministry" else (
        base_comp.measured_by if base_comp else "province")
    return {
        "code": code, "name_vi": r.title, "name_en": r.title_en or r.title, "max_points": max_points,
        "rule": fields["rule"], "evidence_vi": r.evidence, "data_source_vi": r.data_source,
        "verifier_vi": r.verifier, "scoring_vi": r.scoring,
        "scoring_review_vi": fields["scoring_review_vi"], "scoring_review_en": fields["scoring_review_en"],
        "measured_by": measured_by,
        "provenance": {"title": status, "points": status, "rule": fields["rule_status"], "source": source + kept},
    }


def _main_index(m: MainIndex, main_row: CatalogueRow | None, comps: list[CatalogueRow], base: Framework,
                source: str, status: str) -> dict:
    points = sum(r.points or 0.0 for r in comps) if m.scored else 0.0
    components = [_component(r, r.code, (r.points or 0.0) if m.scored else 0.0, source, status,
                             base.component_by_code.get(r.code)) for r in comps]
    return {
        **m.model_dump(mode="json", exclude={"components", "provenance", "max_points", "expected_components",
                                             "name_vi"}),
        "name_vi": main_row.title if main_row else m.name_vi,
        "max_points": points,
        "expected_components": len(comps),
        "provenance": {"title": status, "points": status, "rule": status, "source": source},
        "components": components,
    }


# --- a framework of any shape, from the table alone ------------------------------------------------

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(code: str) -> int:
    values = [_ROMAN[ch] for ch in code]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


_GROUP_TEXT = re.compile(r"^\s*(?:chỉ số\s+)?((?:\d+)|[IVXLC]+)[.):]?\s+(.+)$", re.IGNORECASE)


@dataclass
class _Main:
    code: str
    title: str
    where: str
    points: float | None
    group: str
    items: list[CatalogueRow]


def _mains_from_rows(rows: list[CatalogueRow], filename: str, problems: list[Problem]) -> tuple[list[_Main],
                                                                                               list[dict]]:
    """Main indices (with their rows) and groups, from heading rows or a group column."""
    add = problems.append
    items = [r for r in rows if r.kind == "item"]
    headings = [r for r in rows if r.kind in ("roman", "letter")]
    arabic_mains = [r for r in items if MAIN_CODE.match(r.code)]
    has_group_column = any(r.group for r in items)
    groups: list[dict] = []
    mains: dict[str, _Main] = {}
    if has_group_column and not arabic_mains:
        # The main index named on every row: '1. Nhận thức số' or 'Nhận thức số'.
        by_name: dict[str, _Main] = {}
        for r in items:
            if not r.group:
                add(_problem(filename, f"{r.where}, component {r.code}", "has no main index in the group column; "
                             "write the main index on every row", "cột nhóm (chỉ số chính) để trống; hãy ghi chỉ số "
                             "chính ở mọi dòng"))
                continue
            named = _GROUP_TEXT.match(r.group)
            key = normalise(named.group(2) if named else r.group)
            if key not in by_name:
                number = named.group(1) if named else ""
                code = str(_roman(number.upper())) if number and ROMAN_CODE.match(number.upper()) else (
                    number or str(len(by_name) + 1))
                by_name[key] = _Main(code, _text(named.group(2) if named else r.group), r.where, None, "main", [])
            by_name[key].items.append(r)
        mains = {m.code: m for m in by_name.values()}
        for m in mains.values():  # codes numbered within the group ('1', '2') or none: placed under the main index
            for k, r in enumerate(m.items, start=1):
                if not r.code.startswith(m.code + ".") or "." not in r.code:
                    r.code = f"{m.code}.{r.code if MAIN_CODE.match(r.code) else k}"
    else:
        romans_are_mains = not arabic_mains and any(r.kind == "roman" for r in headings)
        current: _Main | None = None
        group = "main"
        for r in rows:
            if r.kind in ("total", "info"):
                continue
            if r.kind in ("roman", "letter") and not romans_are_mains:
                group = normalise(r.code)
                groups.append({"code": group, "name_vi": r.title or r.code, "name_en": r.title or r.code})
                continue
            if r.kind == "roman" or MAIN_CODE.match(r.code) and (current is None or not romans_are_mains):
                code = str(_roman(r.code)) if r.kind == "roman" else r.code
                if code in mains:
                    add(_problem(filename, f"{r.where}, main index {code}", f"appears again (first on "
                                 f"{mains[code].where}); keep one row", f"xuất hiện lần nữa (lần đầu ở "
                                 f"{_where_vi(mains[code].where)}); chỉ giữ một dòng"))
                    continue
                current = mains[code] = _Main(code, r.title, r.where, r.points, group, [])
                continue
            if r.kind == "letter":
                continue
            if romans_are_mains and current is not None and MAIN_CODE.match(r.code):
                r.code = f"{current.code}.{r.code}"  # numbered within its Roman section
            main_code = r.code.split(".")[0]
            if main_code not in mains:
                add(_problem(filename, f"{r.where}, component {r.code}", f"main index {main_code} has no heading "
                             f"row; add a row '{main_code} | <name of the main index>' above it, or a group column",
                             f"chỉ số chính {main_code} không có dòng tiêu đề; hãy thêm dòng '{main_code} | <tên chỉ "
                             "số chính>' phía trên, hoặc thêm cột nhóm"))
                continue
            mains[main_code].items.append(r)
    if not groups:
        groups = [{"code": "main", "name_vi": "Chỉ số chính", "name_en": "Main indices"}]
    return list(mains.values()), groups


def framework_from_catalogue(data: bytes, filename: str, new_id: str, title_vi: str = "", title_en: str = "",
                             official: str = "", year: int | None = None) -> Framework:
    """A new framework whose structure comes from the table itself; raises CatalogueError listing every problem."""
    filename = Path(filename).name
    rows = read_catalogue(data, filename)
    problems: list[Problem] = []
    mains, groups = _mains_from_rows(rows, filename, problems)
    problems.extend(_duplicates([r for m in mains for r in m.items], filename))
    if problems:
        raise CatalogueError(problems)
    status = "official" if official else "from_file"
    source = _source(filename, file_checksum(data), official)
    main_docs = []
    for m in mains:
        leaves, points = _leaves(m, filename, problems)
        if not leaves:
            problems.append(_problem(filename, f"{m.where}, main index {m.code}", "has no component rows; add its "
                                     f"components (codes like {m.code}.1, {m.code}.2 …)",
                                     f"không có chỉ số thành phần; hãy thêm các dòng chỉ số thành phần (mã "
                                     f"{m.code}.1, {m.code}.2 …)"))
            continue
        if m.points is not None and abs(m.points - points) > 1e-6:
            problems.append(_problem(
                filename, f"{m.where}, main index {m.code}", f"component points add up to {_fmt(points)} but main "
                f"index {m.code} is worth {_fmt(m.points)}; correct the points so they sum to {_fmt(m.points)}",
                f"điểm các chỉ số thành phần cộng lại {_fmt(points)} nhưng chỉ số chính {m.code} được "
                f"{_fmt(m.points)} điểm; hãy sửa điểm cho khớp {_fmt(m.points)}"))
        main_docs.append({
            "code": m.code, "name_vi": m.title or f"Chỉ số chính {m.code}",
            "name_en": m.title or f"Main index {m.code}",
            "group": m.group, "max_points": points, "scored": points > 0, "expected_components": len(leaves),
            "provenance": {"title": status, "points": status, "rule": status, "source": source},
            "components": [_component(r, r.code, r.points or 0.0 if points > 0 else 0.0, source, status)
                           for r in leaves],
        })
    total = sum(m["max_points"] for m in main_docs)
    for r in rows:
        if r.kind == "total" and abs(r.points - total) > 1e-6:
            problems.append(_problem(filename, r.where, f"the total says {_fmt(r.points)} points but the main indices "
                                     f"add up to {_fmt(total)}; correct the points",
                                     f"dòng tổng ghi {_fmt(r.points)} điểm nhưng các chỉ số chính cộng lại "
                                     f"{_fmt(total)}; hãy sửa điểm"))
    if not problems and total <= 0:
        problems.append(_problem(filename, "", "no component is worth any points; write the maximum points",
                                 "không chỉ số nào có điểm; hãy ghi điểm tối đa"))
    if problems:
        raise CatalogueError(problems)
    stem = Path(filename).stem
    doc = {
        "id": new_id,
        "title_vi": title_vi or stem, "title_en": title_en or title_vi or stem,
        "legal_basis": (f"Quyết định {official}" if official else
                        f"Tệp {filename} do người dùng nạp (chưa xác nhận là văn bản chính thức)"),
        "year": year or datetime.date.today().year,
        "status": "in_force" if official else "draft",
        "complete": True,
        "total_points": total,
        "expected_components": sum(len(m["components"]) for m in main_docs),
        "sources": [source],
        "official_appendix": official,
        "general_info": _general_info([r for r in rows if r.kind == "info"], status),
        "groups": [g for g in groups if any(m["group"] == g["code"] for m in main_docs)],
        "pillars": [],
        "main_indices": main_docs,
    }
    try:
        return parse_framework(doc, filename)
    except FrameworkError as exc:
        raise CatalogueError(exc.problems) from None


_NUMBER_FIELD = re.compile(r"^(?:so|dan so|tong so|ty le|dien tich|number|population)\b")
_UNIT = re.compile(r"\s*\(([^()]{1,30})\)\s*$")


def _general_info(rows: list[CatalogueRow], status: str) -> list[dict]:
    """The unscored fields of 'Thông tin chung' (population, contact person …): a number when the title counts
    something ('Số …', 'Dân số', 'Tỷ lệ …'), else a text; a unit in closing brackets ('Dân số (người)')."""
    fields, used = [], set()
    for r in rows:
        number = bool(_NUMBER_FIELD.match(normalise(r.title)))
        unit = _UNIT.search(r.title) if number else None
        name = r.title[:unit.start()].strip() if unit else r.title
        code = "-".join(normalise(name).split()[:6]) or f"info-{len(fields) + 1}"
        while code in used:
            code += "-2"
        used.add(code)
        fields.append({"code": code, "name_vi": name, "name_en": name, "kind": "number" if number else "text",
                       "unit_vi": unit.group(1) if unit else "", "unit_en": unit.group(1) if unit else "",
                       "provenance": "official" if status == "official" else "from_file"})
    return fields


def _leaves(m: _Main, filename: str, problems: list[Problem]) -> tuple[list[CatalogueRow], float]:
    """The deepest rows under a main index (they are scored) and their points; the levels above must add up."""
    codes = {r.code for r in m.items}
    leaves = [r for r in m.items if not any(c.startswith(r.code + ".") for c in codes)]
    for r in leaves:
        if r.points is None and m.points != 0:  # under a main index worth 0 (not scored), points may be blank
            problems.append(_problem(filename, f"{r.where}, component {r.code}", "max points are missing; write the "
                                     "points of this component", "thiếu điểm tối đa; hãy ghi điểm của chỉ số này"))
    for r in m.items:
        if r in leaves or r.points is None:
            continue
        below = sum(x.points or 0.0 for x in leaves if x.code.startswith(r.code + "."))
        if abs(below - r.points) > 1e-6:
            problems.append(_problem(filename, f"{r.where}, component {r.code}", f"the rows under it add up to "
                                     f"{_fmt(below)} but it is worth {_fmt(r.points)}; correct the points",
                                     f"các dòng bên dưới cộng lại {_fmt(below)} nhưng chỉ số này được "
                                     f"{_fmt(r.points)} điểm; hãy sửa điểm"))
    leaves.sort(key=lambda r: _code_key(r.code))
    return leaves, sum(r.points or 0.0 for r in leaves)


def framework_to_yaml(fw: Framework) -> str:
    """The edition as YAML for ``config/frameworks/``, pointing editors to the JSON Schema."""
    short = fw.model_dump(mode="json", exclude_defaults=True)
    # Fields in the model's order; `complete` always written, even when true, so the file reads on its own.
    doc = {k: v for k, v in fw.model_dump(mode="json").items() if k in short or k == "complete"}
    doc.update({k: v for k, v in short.items() if k in doc})
    return SCHEMA_LINE + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)
