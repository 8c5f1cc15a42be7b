"""One reader with limits for every file the app or the CLI reads: uploads, catalogues, editions, tables.

A hostile or broken file must cost seconds, not minutes or gigabytes, and end in a message that names the
file (and the row, cell or member when known) and the fix. Every limit is checked *before* the expensive
step: the size before reading, the zip directory before openpyxl inflates anything, aliases and nesting
while YAML is composed (before it is constructed), nesting before JSON is walked, each CSV field as it is
split, each cell as a sheet is streamed.

This is a leaf module: it imports nothing from ``dti`` but ``dti.i18n`` (a top-level helper), so the
framework layer may read its YAML through it without importing the rest of ``dti.io``.

Why these numbers (a real file is far below each one; a hostile one is far above):
- Uploads: 10 MB (the existing limit). Edition YAML: 2 MB (the 2022 edition is 71 KB).
- Zip (.xlsx, later .docx): 10 MB inflated in all (the template inflates to 0.2 MB; openpyxl streams
  a sheet at 1 to 5 MB a second, so 10 MB is read in seconds), and no member
  larger than 1 MB that inflates more than 100 times (Excel's XML compresses 5 to 20 times; a bomb 1000
  times and more); 2000 members.
- Rows: 10,000 a sheet or file (a framework has about a hundred components); 200 columns.
- A cell or CSV field: 10,000 characters (an official scoring method is at most a page, ~3,000).
- Evidence, note, links: 5,000 characters, about two A4 pages: a list of documents and links, or a few
  sentences; longer material belongs in the documents themselves, named or linked here.
- A number: 30 digits (a float keeps 17 significant digits; more is a mistake or an attack, and Python
  refuses to convert integers of 4,300 digits and more).
- Nesting: 64 levels of YAML, 32 of JSON (an edition nests 6 deep, an answers file 3).
- YAML aliases: 1,000, and the document with its aliases expanded: 1,000,000 nodes (the 2022 edition has
  90 aliases and expands to ~15,000 nodes; a 389-byte alias bomb expands to billions).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dti.i18n import fmt_number, t

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_ZIP_INFLATED_BYTES = 10 * 1024 * 1024
MAX_ZIP_RATIO = 100
ZIP_RATIO_FROM_BYTES = 1024 * 1024  # small members (styles, a short sheet) may compress well: only big ones count
MAX_ZIP_MEMBERS = 2000
MAX_ROWS = 10_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
MAX_TEXT_CHARS = 5_000
MAX_NUMBER_DIGITS = 30
MAX_YAML_DEPTH = 64
MAX_JSON_DEPTH = 32
MAX_YAML_ALIASES = 1_000
MAX_YAML_NODES = 1_000_000
TEXT_FIELDS = ("value", "evidence", "note", "links", "appraisal_note")
MAX_TITLE_CHARS = 1_000  # the longest official component title is about 250 characters

# Text that reads as one number: a sign, digits with separators, an exponent; no space inside (a list of numbers
# "12, 15, 18" in a note is text).
NUMBER_TEXT = re.compile(r"^\s*[+-]?(?:\d[\d.,]*|[.,]\d[\d.,]*)(?:[eE][+-]?\d+)?\s*$")


@dataclass(frozen=True)
class LimitProblem:
    """One reason a file was refused: ``answers.csv, row 4: <what>; <the fix>`` in vi or en."""

    file: str
    key: str  # hostile.<key> in config/i18n.yaml
    params: dict = field(default_factory=dict, hash=False, compare=False)
    row: int | None = None
    sheet: str = ""
    cell: str = ""  # a spreadsheet address, C4
    line: int | None = None  # a line of a text file (YAML)
    member: str = ""  # a member of a zip, xl/worksheets/sheet1.xml

    def message(self, lang: str) -> str:
        params = {k: fmt_number(v, lang, 0) if isinstance(v, int) and not isinstance(v, bool) else
                  fmt_number(v, lang, 1) if isinstance(v, float) else v for k, v in self.params.items()}
        if "field" in params:
            params["field"] = t(f"hostile.field_{params['field']}", lang)
        return t(f"hostile.{self.key}", lang, **params)

    @property
    def en(self) -> str:
        return self.message("en")

    @property
    def vi(self) -> str:
        return self.message("vi")

    def place(self, lang: str = "en", with_row: bool = True, with_sheet: bool = True) -> str:
        """Where in the file (without the file's name): ``sheet 1. Nhận thức số, row 4, cell C4``."""
        parts = []
        if self.sheet and with_sheet:
            parts.append(t("hostile.where_sheet", lang, sheet=self.sheet))
        if self.row and with_row:
            parts.append(t("hostile.where_row", lang, row=self.row))
        if self.cell:
            parts.append(t("hostile.where_cell", lang, cell=self.cell))
        if self.line:
            parts.append(t("hostile.where_line", lang, line=self.line))
        if self.member:
            parts.append(t("hostile.where_member", lang, member=self.member))
        return ", ".join(parts)

    def detail(self, lang: str = "en", with_sheet: bool = False) -> str:
        """The message led by the place within the row (``cell C4 holds …``), for the problem types of the
        readers that show the file, the sheet and the row themselves."""
        place = self.place(lang, with_row=False, with_sheet=with_sheet)
        return f"{place} {self.message(lang)}" if place else self.message(lang)

    def text(self, lang: str = "en") -> str:
        place = self.place(lang)
        return f"{self.file}, {place}: {self.message(lang)}" if place else f"{self.file}: {self.message(lang)}"

    def __str__(self) -> str:
        return self.text("en")


class FileRefused(ValueError):
    """A file over a limit; nothing of it was used. ``problems`` says where and what to do."""

    def __init__(self, problems: list[LimitProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def refuse(file: str, key: str, row: int | None = None, sheet: str = "", cell: str = "", line: int | None = None,
           member: str = "", **params: Any) -> FileRefused:
    return FileRefused([LimitProblem(file, key, params, row, sheet, cell, line, member)])


# --- bytes ----------------------------------------------------------------------------------------------


def check_size(data: bytes, name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    if len(data) > max_bytes:
        raise refuse(name, "too_big", mb=len(data) / 1e6, limit=max_bytes // 10**6)
    return data


def read_file(path: str | Path, max_bytes: int = MAX_UPLOAD_BYTES, name: str | None = None) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; a device (/dev/zero), a folder or a pipe is
    refused before a byte is read, and never more than ``max_bytes + 1`` bytes are read (a file may grow)."""
    path = Path(path)
    name = name or str(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise refuse(name, "not_regular")
        if info.st_size > max_bytes:
            raise refuse(name, "too_big", mb=info.st_size / 1e6, limit=max_bytes // 10**6)
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise refuse(name, "not_found") from None
    except OSError as exc:
        raise refuse(name, "unreadable", reason=exc.strerror or str(exc)) from None
    return check_size(data, name, max_bytes)


# --- zip containers (.xlsx, .docx) ---------------------------------------------------------------------


def check_zip(data: bytes, name: str, max_inflated: int = MAX_ZIP_INFLATED_BYTES) -> None:
    """Refuse a zip whose members would inflate too far, read from its central directory only.

    Python's zipfile stops inflating a member at the size its directory declares (and then fails its
    CRC), so a member cannot inflate past what is checked here. A file that is not a zip passes: the
    caller's own reader says it is not a workbook.
    """
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return
    if len(infos) > MAX_ZIP_MEMBERS:
        raise refuse(name, "zip_members", n=len(infos), limit=MAX_ZIP_MEMBERS)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > ZIP_RATIO_FROM_BYTES and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise refuse(name, "zip_ratio", member=info.filename, mb=info.file_size / 1e6,
                         ratio=info.file_size // max(info.compress_size, 1), limit=MAX_ZIP_RATIO)
    if total > max_inflated:
        raise refuse(name, "zip_inflated", mb=total / 1e6, limit=max_inflated // 10**6)


def open_workbook(data: bytes, name: str, data_only: bool = True):
    """An openpyxl workbook in streaming (read-only) mode, after the zip checks; None when the bytes are
    not a workbook (each caller says so in its own words)."""
    from openpyxl import load_workbook  # only spreadsheets need it

    check_zip(data, name)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception:  # openpyxl raises many types for a non-workbook; all mean the same to the user
        return None


def sheet_rows(ws, name: str, min_row: int = 1, max_row: int | None = None,
               max_rows: int = MAX_ROWS) -> Iterator[tuple]:
    """The values of a sheet's rows, streamed: at most ``max_rows`` rows and MAX_COLUMNS columns, every
    cell checked (text length, digits of a number). A cell openpyxl cannot read refuses the file."""
    title = getattr(ws, "title", "")
    last = max_rows + 1 if max_row is None else min(max_row, max_rows + 1)  # one more: to see it is over
    r = min_row - 1
    rows = ws.iter_rows(min_row=min_row, max_row=last, max_col=MAX_COLUMNS, values_only=True)
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception:  # e.g. a 5000-digit number openpyxl fails to convert: the sheet cannot be read
            raise refuse(name, "bad_cell", row=r + 1, sheet=title) from None
        r += 1
        if r > max_rows:
            raise refuse(name, "too_many_rows", sheet=title, limit=max_rows)
        if any(values):  # an empty row (a gap openpyxl fills in) has nothing to check
            for col, value in enumerate(values, start=1):
                # Only long text and integers can be over a limit; the cell's name is built only for them.
                if (value.__class__ is str and len(value) > MAX_NUMBER_DIGITS) or value.__class__ is int:
                    check_cell(value, name, r, _cell_name(col, r), title)
        yield values


def _cell_name(col: int, row: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def check_cell(value: Any, name: str, row: int | None, cell: str = "", sheet: str = "") -> None:
    """A cell or field: text of at most MAX_CELL_CHARS, a number of at most MAX_NUMBER_DIGITS digits."""
    if isinstance(value, str):
        if len(value) > MAX_CELL_CHARS:
            raise refuse(name, "cell_too_long", row=row, sheet=sheet, cell=cell, n=len(value), limit=MAX_CELL_CHARS)
        check_number_text(value, name, row, sheet, cell)
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 100:
        raise refuse(name, "number_too_long", row=row, sheet=sheet, cell=cell, limit=MAX_NUMBER_DIGITS)


def check_number_text(text: str, name: str, row: int | None = None, sheet: str = "", cell: str = "") -> None:
    if len(text) > MAX_NUMBER_DIGITS and NUMBER_TEXT.match(text):
        digits = sum(ch.isdigit() for ch in text)
        if digits > MAX_NUMBER_DIGITS:
            raise refuse(name, "number_too_long", row=row, sheet=sheet, cell=cell, limit=MAX_NUMBER_DIGITS)


# --- CSV -----------------------------------------------------------------------------------------------


def csv_rows(text: str, name: str, max_rows: int = MAX_ROWS) -> list[list[str]]:
    """The rows of a CSV text (an empty line is an empty row, so row numbers stay those of a spreadsheet),
    each field checked; at most ``max_rows`` + a header."""
    reader = csv.reader(io.StringIO(text))
    rows: list[list[str]] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error:  # e.g. a field over csv's own limit (131,072 characters)
            raise refuse(name, "csv_field", row=reader.line_num, limit=MAX_CELL_CHARS) from None
        if len(rows) > max_rows:
            raise refuse(name, "too_many_rows", limit=max_rows)
        if len(row) > MAX_COLUMNS:
            raise refuse(name, "too_many_columns", row=reader.line_num, n=len(row), limit=MAX_COLUMNS)
        for value in row:
            check_cell(value, name, reader.line_num)
        rows.append(row)


def csv_dicts(text: str, name: str, max_rows: int = MAX_ROWS) -> tuple[list[str], list[dict[str, Any]]]:
    """The header (stripped, lower case) and one dict per row, like csv.DictReader, through ``csv_rows``."""
    rows = csv_rows(text, name, max_rows)
    if not rows:
        return [], []
    header = [h.strip().lower() for h in rows[0]]
    out = []
    for row in rows[1:]:
        if not row:
            continue  # an empty line, as csv.DictReader skips it
        record: dict[str, Any] = {h: (row[i] if i < len(row) else None) for i, h in enumerate(header)}
        if len(row) > len(header):
            record.setdefault("", row[len(header):])
        out.append(record)
    return header, out


# --- JSON ----------------------------------------------------------------------------------------------


def _json_number(name: str, kind):
    def parse(token: str):
        if sum(ch.isdigit() for ch in token) > MAX_NUMBER_DIGITS:
            raise refuse(name, "number_too_long", limit=MAX_NUMBER_DIGITS)
        return kind(token)
    return parse


def json_loads(text: str, name: str, depth_key: str = "json_depth") -> Any:
    """JSON with at most MAX_JSON_DEPTH levels and numbers of at most MAX_NUMBER_DIGITS digits.

    The depth is counted on the text before parsing (strings removed), so a deep file never reaches the
    parser's recursion."""
    depth = _json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise refuse(name, depth_key, limit=MAX_JSON_DEPTH)
    try:
        return json.loads(text, parse_int=_json_number(name, int), parse_float=_json_number(name, float))
    except RecursionError:  # depth hidden from the count above (inside a broken string): the same refusal
        raise refuse(name, depth_key, limit=MAX_JSON_DEPTH) from None


def check_records(records: list, name: str, first_row: int = 2) -> None:
    """Rows read from JSON (a list of objects): at most MAX_ROWS, MAX_COLUMNS keys, every text and number
    within the cell limits, at any depth (JSON nests at most MAX_JSON_DEPTH)."""
    if len(records) > MAX_ROWS:
        raise refuse(name, "too_many_rows", limit=MAX_ROWS)
    for row, record in enumerate(records, start=first_row):
        if isinstance(record, dict) and len(record) > MAX_COLUMNS:
            raise refuse(name, "too_many_columns", row=row, n=len(record), limit=MAX_COLUMNS)
        stack = [record]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                stack.extend(value.keys())
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
            else:
                check_cell(value, name, row)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKETS = re.compile(r"[\[\]{}]")


def _json_depth(text: str) -> int:
    depth = deepest = 0
    for m in _JSON_BRACKETS.finditer(_JSON_STRING.sub("", text)):
        if m.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    break
        else:
            depth -= 1
    return deepest


# --- YAML ----------------------------------------------------------------------------------------------


class _YamlLimit(Exception):
    def __init__(self, key: str, mark, **params: Any):
        self.key, self.mark, self.params = key, mark, params


class _LimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader that counts aliases and nesting while composing and the expanded size before
    constructing: an alias bomb or 20,000 nested brackets stop here, before any object is built."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise _YamlLimit("yaml_aliases", self.peek_event().start_mark, limit=MAX_YAML_ALIASES)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise _YamlLimit("yaml_depth", self.peek_event().start_mark, limit=MAX_YAML_DEPTH)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None:
            _check_expanded_size(node)
        return node

    def construct_yaml_int(self, node):
        _check_yaml_number(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):
        _check_yaml_number(node)
        return super().construct_yaml_float(node)


_LimitedLoader.add_constructor("tag:yaml.org,2002:int", _LimitedLoader.construct_yaml_int)
_LimitedLoader.add_constructor("tag:yaml.org,2002:float", _LimitedLoader.construct_yaml_float)


def _check_yaml_number(node) -> None:
    if sum(ch.isdigit() for ch in str(node.value)) > MAX_NUMBER_DIGITS:
        raise _YamlLimit("number_too_long", node.start_mark, limit=MAX_NUMBER_DIGITS)


def _check_expanded_size(root) -> None:
    """Nodes of the document with every alias expanded, counted once per node (memoised, iterative); and
    no text longer than a cell may be (a title, a scoring method: the longest shipped one has 290 characters)."""
    size: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in size:
            continue
        if isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_CELL_CHARS:
            raise _YamlLimit("yaml_text", node.start_mark, n=len(node.value), limit=MAX_CELL_CHARS)
        children = _children(node)
        if done:
            size[id(node)] = 1 + sum(size[id(c)] for c in children)
            if size[id(node)] > MAX_YAML_NODES:
                raise _YamlLimit("yaml_nodes", node.start_mark, limit=MAX_YAML_NODES)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [x for pair in node.value for x in pair]
    return []


def yaml_load(data: bytes | str, name: str, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """Parse YAML safely within the limits; FileRefused for a limit, yaml.YAMLError for a syntax error."""
    text = data if isinstance(data, str) else data.decode("utf-8-sig")
    if len(text.encode("utf-8")) > max_bytes:
        raise refuse(name, "too_big", mb=len(text.encode("utf-8")) / 1e6, limit=max_bytes // 10**6)
    loader = _LimitedLoader(text)
    try:
        return loader.get_single_data()
    except _YamlLimit as exc:
        raise refuse(name, exc.key, line=exc.mark.line + 1 if exc.mark else None, **exc.params) from None
    finally:
        loader.dispose()


def read_yaml_file(path: str | Path, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """A YAML file: a regular file within ``max_bytes``, UTF-8, within the YAML limits."""
    path = Path(path)
    data = read_file(path, max_bytes, name=path.name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refuse(path.name, "not_utf8") from None
    return yaml_load(text, path.name, max_bytes)


# --- text fields ---------------------------------------------------------------------------------------


def text_problem(component: str, field_name: str, text: Any, file: str = "", row: int | None = None
                 ) -> LimitProblem | None:
    """Evidence, notes, links (and a value typed as text) are capped at MAX_TEXT_CHARS, a title at
    MAX_TITLE_CHARS (see the module's docstring for why). The message names the field; the caller shows
    the component (and file and row) in its own way."""
    limit = MAX_TITLE_CHARS if field_name == "title" else MAX_TEXT_CHARS
    if isinstance(text, str) and len(text) > limit:
        return LimitProblem(file, "text_too_long", {"field": field_name, "n": len(text), "limit": limit}, row)
    return None


def text_problems(component: str, fields: dict[str, Any], file: str = "", row: int | None = None
                  ) -> list[LimitProblem]:
    """``text_problem`` for every capped field of ``fields`` (TEXT_FIELDS)."""
    return [p for f in TEXT_FIELDS if (p := text_problem(component, f, fields.get(f), file, row))]
