"""Read self-assessment inputs from CSV, Excel or JSON files (the CLI's and the app's file formats).

A file has a column ``code`` and either ``value`` (read through the component's rule) or ``points``
(points given directly); ``evidence`` and ``note`` are optional. Reading is all-or-nothing: every
problem is collected with its file, row and component, and nothing is returned unless all rows are good.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dti.framework.model import Framework
from dti.i18n import NumberError, fmt_number, parse_number
from dti.scoring.engine import InputProblem, InputProblems, Response, component_scores

MAX_INPUT_BYTES = 10 * 1024 * 1024
KNOWN_COLUMNS = {"code", "value", "points", "evidence", "note", "name", "name_vi", "name_en", "max_points", "status"}


def _rows_from_csv(data: bytes, name: str) -> list[dict[str, Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputProblems([InputProblem("", "is not UTF-8 text; save the CSV as UTF-8", file=name,
                                          message_vi="không phải văn bản UTF-8; hãy lưu tệp CSV dạng UTF-8")]) from None
    reader = csv.DictReader(io.StringIO(text))
    return [{(k or "").strip().lower(): v for k, v in row.items()} for row in reader]


def _rows_from_xlsx(data: bytes, name: str) -> list[dict[str, Any]]:
    from openpyxl import load_workbook  # imported here: only Excel inputs need it

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a non-workbook; all mean the same to the user
        raise InputProblems([InputProblem("", "is not an Excel workbook (.xlsx); save it as .xlsx or CSV",
                                          file=name,
                                          message_vi="không phải tệp Excel (.xlsx); hãy lưu dạng .xlsx hoặc CSV")]) \
            from None
    rows: list[dict[str, Any]] = []
    for ws in wb.worksheets:
        it = ws.iter_rows(values_only=True)
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
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputProblems([InputProblem("", f"is not valid JSON ({exc}); fix the file", file=name,
                                          message_vi=f"không phải JSON hợp lệ ({exc}); hãy sửa tệp")]) from None
    if isinstance(doc, dict) and isinstance(doc.get("responses"), list):
        doc = doc["responses"]
    if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
        raise InputProblems([InputProblem("", 'must be a list of objects like {"code": "1.1", "value": "full"}, '
                                          'or {"responses": [...]}', file=name,
                                          message_vi='phải là danh sách đối tượng như {"code": "1.1", "value": '
                                                     '"full"}, hoặc {"responses": [...]}')])
    return [{str(k).lower(): v for k, v in r.items()} for r in doc]


def read_rows(data: bytes, name: str) -> list[dict[str, Any]]:
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


def responses_from_rows(fw: Framework, rows: Iterable[dict[str, Any]], name: str,
                        first_row: int = 2) -> dict[str, Response]:
    """Turn rows into responses and check each through its rule; raise InputProblems listing them all."""
    rows = list(rows)
    problems: list[InputProblem] = []
    if not rows:
        raise InputProblems([InputProblem("", "has no rows; add one row per component with code and value",
                                          file=name, message_vi="không có dòng nào; hãy thêm mỗi chỉ số thành "
                                                                "phần một dòng với code và value")])
    columns = set().union(*(r.keys() for r in rows))
    if "code" not in columns or not ({"value", "points"} & columns):
        raise InputProblems([InputProblem("", f"needs columns 'code' and 'value' (or 'points'); it has "
                                          f"{sorted(c for c in columns if c)}", file=name,
                                          message_vi="cần các cột 'code' và 'value' (hoặc 'points'); tệp có "
                                                     f"{sorted(c for c in columns if c)}")])
    responses: dict[str, Response] = {}
    rows_of: dict[str, int] = {}
    for i, row in enumerate(rows, start=first_row):
        code = "" if _blank(row.get("code")) else str(row["code"]).strip()
        if not code:
            problems.append(InputProblem("?", "has no code; write the component code, e.g. 1.1", row=i, file=name,
                                         message_vi="thiếu mã; hãy ghi mã chỉ số thành phần, ví dụ 1.1"))
            continue
        if code not in fw.component_by_code:
            problems.append(InputProblem(code, f"is not a component of {fw.id}; check the code", row=i, file=name,
                                         message_vi=f"không phải chỉ số thành phần của {fw.id}; hãy kiểm tra mã"))
            continue
        if code in responses:
            problems.append(InputProblem(code, f"appears again (first on row {rows_of[code]}); keep one row",
                                         row=i, file=name, message_vi=f"bị lặp lại (lần đầu ở dòng {rows_of[code]}); "
                                                                      "hãy giữ một dòng"))
            continue
        value = None if _blank(row.get("value")) else row.get("value")
        raw_points = None if _blank(row.get("points")) else row.get("points")
        responses[code] = Response(code, value=value, points=raw_points,
                                   evidence="" if _blank(row.get("evidence")) else str(row["evidence"]),
                                   note="" if _blank(row.get("note")) else str(row["note"]))
        rows_of[code] = i
    try:
        component_scores(fw, responses)
    except InputProblems as exc:
        problems += [InputProblem(p.code, p.message, row=rows_of.get(p.code), file=name, message_vi=p.message_vi)
                     for p in exc.problems]
    if problems:
        raise InputProblems(problems)
    return responses


def read_responses(fw: Framework, path: str | Path) -> dict[str, Response]:
    path = Path(path)
    return responses_from_bytes(fw, _read_bytes(path), path.name)


def responses_from_bytes(fw: Framework, data: bytes, name: str) -> dict[str, Response]:
    return responses_from_rows(fw, read_rows(data, name), name)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputProblems([InputProblem("", "file not found; check the path", file=str(path))]) from None
    except OSError as exc:
        raise InputProblems([InputProblem("", f"cannot be read ({exc.strerror})", file=str(path))]) from None


def read_main_values(fw: Framework, path: str | Path) -> dict[str, float]:
    """A CSV ``code,value`` of main-index values 0..1."""
    path = Path(path)
    name = path.name
    rows = read_rows(_read_bytes(path), name)
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


def responses_to_rows(fw: Framework, responses: dict[str, Response]) -> list[dict[str, Any]]:
    """The inverse of ``responses_from_rows``: one row per component of the framework, in order."""
    rows = []
    for comp in fw.components:
        r = responses.get(comp.code)
        value = r.value if r else None
        if isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False)
        rows.append({"code": comp.code, "name_vi": comp.name_vi, "value": "" if value is None else value,
                     "points": "" if (r is None or r.points is None) else r.points,
                     "evidence": r.evidence if r else "", "note": r.note if r else ""})
    return rows
