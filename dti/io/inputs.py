"""Rows of CSV, Excel or JSON files, and main-index values from a file.

``read_rows`` parses a file into rows; the answers in them are read by ``dti.io.excel.read_upload``, the one
reader of answer files (pages and CLI). A file has a column ``code`` and either ``value`` (read through the
component's rule) or ``points`` (points given directly); ``evidence`` and ``note`` are optional.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from dti import limits
from dti.framework.model import Framework
from dti.i18n import NumberError, fmt_number, parse_number
from dti.scoring.engine import InputProblem, InputProblems

MAX_INPUT_BYTES = 10 * 1024 * 1024
KNOWN_COLUMNS = {"code", "value", "points", "evidence", "note", "name", "name_vi", "name_en", "max_points", "status"}


def _rows_from_csv(data: bytes, name: str) -> list[dict[str, Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputProblems([InputProblem("", "is not UTF-8 text; save the CSV as UTF-8", file=name,
                                          message_vi="không phải văn bản UTF-8; hãy lưu tệp CSV dạng UTF-8")]) from None
    return limits.csv_dicts(text, name)[1]


def _rows_from_xlsx(data: bytes, name: str) -> list[dict[str, Any]]:
    wb = limits.open_workbook(data, name, data_only=True)
    if wb is None:
        raise InputProblems([InputProblem("", "is not an Excel workbook (.xlsx); save it as .xlsx or CSV",
                                          file=name,
                                          message_vi="không phải tệp Excel (.xlsx); hãy lưu dạng .xlsx hoặc CSV")]) \
            from None
    rows: list[dict[str, Any]] = []
    for ws in wb.worksheets:
        it = limits.sheet_rows(ws, name)
        header = next(it, None)
        if not header or "code" not in [str(h or "").strip().lower() for h in header]:
            continue  # sheets without a code column (a cover sheet, instructions) are not data
        names = [str(h or "").strip().lower() for h in header]
        for values in it:
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            rows.append(dict(zip(names, values)))
    wb.close()
    if not rows:
        raise InputProblems([InputProblem("", "has no sheet with a 'code' column; add columns code and value "
                                          "(or points)", file=name,
                                          message_vi="không có trang tính nào có cột 'code'; hãy thêm cột code và "
                                                     "value (hoặc points)")])
    return rows


def _rows_from_json(data: bytes, name: str) -> list[dict[str, Any]]:
    try:
        doc = limits.json_loads(data.decode("utf-8-sig"), name)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputProblems([InputProblem("", f"is not valid JSON ({exc}); fix the file", file=name,
                                          message_vi=f"không phải JSON hợp lệ ({exc}); hãy sửa tệp")]) from None
    if isinstance(doc, dict) and isinstance(doc.get("responses"), list):
        doc = doc["responses"]
    if isinstance(doc, list):
        limits.check_records(doc, name)
    if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
        raise InputProblems([InputProblem("", 'must be a list of objects like {"code": "1.1", "value": "full"}, '
                                          'or {"responses": [...]}', file=name,
                                          message_vi='phải là danh sách đối tượng như {"code": "1.1", "value": '
                                                     '"full"}, hoặc {"responses": [...]}')])
    return [{str(k).lower(): v for k, v in r.items()} for r in doc]


def refused_as_input_problems(exc: limits.FileRefused, kind: str = "component") -> InputProblems:
    """A file over a limit (dti/limits.py) as the input problems every caller of these readers handles."""
    return InputProblems([InputProblem("", p.detail("en", with_sheet=True), row=p.row, file=p.file, kind=kind,
                                       message_vi=p.detail("vi", with_sheet=True)) for p in exc.problems])


def read_rows(data: bytes, name: str) -> list[dict[str, Any]]:
    try:
        return _read_rows(data, name)
    except limits.FileRefused as exc:
        raise refused_as_input_problems(exc) from None


def _read_rows(data: bytes, name: str) -> list[dict[str, Any]]:
    if len(data) > MAX_INPUT_BYTES:
        raise InputProblems([InputProblem("", f"is {len(data) / 1e6:.1f} MB, over the {MAX_INPUT_BYTES // 10**6} MB "
                                          "limit; split it or remove unused sheets", file=name,
                                          message_vi=f"nặng {fmt_number(len(data) / 1e6, 'vi', 1)} MB, quá giới hạn "
                                                     f"{MAX_INPUT_BYTES // 10**6} MB; hãy tách tệp hoặc xoá các "
                                                     "trang không dùng")])
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return _rows_from_csv(data, name)
    if suffix in (".xlsx", ".xlsm"):
        return _rows_from_xlsx(data, name)
    if suffix == ".json":
        return _rows_from_json(data, name)
    raise InputProblems([InputProblem("", f"has the extension {suffix or '(none)'!r}; use .csv, .xlsx or .json",
                                      file=name, message_vi=f"có phần mở rộng {suffix or '(không có)'!r}; "
                                                            "hãy dùng .csv, .xlsx hoặc .json")])


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def read_bytes(path: Path) -> bytes:
    try:
        return limits.read_file(path, MAX_INPUT_BYTES)  # a regular file within the limit (not /dev/zero)
    except limits.FileRefused as exc:
        raise refused_as_input_problems(exc) from None


def read_main_values(fw: Framework, path: str | Path) -> dict[str, float]:
    """A CSV ``code,value`` of main-index values 0..1."""
    path = Path(path)
    name = path.name
    rows = read_rows(read_bytes(path), name)
    problems: list[InputProblem] = []
    values: dict[str, float] = {}
    for i, row in enumerate(rows, start=2):
        code = "" if _blank(row.get("code")) else str(row["code"]).strip()
        if code not in fw.main_index_by_code:
            problems.append(InputProblem(code or "?", f"is not a main index of {fw.id}; use "
                                         f"{[m.code for m in fw.main_indices]}", row=i, file=name, kind="main index"))
            continue
        raw = row.get("value")
        try:
            v = parse_number(str(raw), high=1.0) if not _blank(raw) else None
        except NumberError as exc:
            problems.append(InputProblem(code, f"value {exc.input!r} {exc.reason('en')}; write a value from 0 to 1",
                                         row=i, file=name, kind="main index"))
            continue
        if v is None:
            continue
        if not (0 <= v <= 1):
            problems.append(InputProblem(code, f"value {v:g} is out of range; write a value from 0 to 1",
                                         row=i, file=name, kind="main index"))
            continue
        if code in values:
            problems.append(InputProblem(code, "appears twice; keep one row", row=i, file=name, kind="main index"))
            continue
        values[code] = v
    if problems:
        raise InputProblems(problems)
    return values
