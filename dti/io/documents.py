"""The tables of an appendix file, as a province holds it: .xlsx, .csv, .docx or a PDF with a text layer.

Each reader returns plain tables (lists of rows of cell texts) with a label per row for messages ("sheet Phụ lục 1,
row 14", "table 2, row 5", "page 3, row 2"). Cells keep their line breaks: a scoring method written on several
lines reads as several clauses. What cannot be read is refused with what to do: a legacy .doc, a password-protected
file, a scanned PDF without text, a file that is not what its name says.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dti import limits

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_TABLE_ROWS = 5000
MAX_PDF_PAGES = 200
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls, and Office files encrypted with a password
SUFFIXES = (".xlsx", ".xlsm", ".csv", ".docx", ".pdf")


class DocumentError(Exception):
    """The file cannot be read as an appendix; ``message_en``/``message_vi`` say why and what to do."""

    def __init__(self, message_en: str, message_vi: str):
        super().__init__(message_en)
        self.message_en, self.message_vi = message_en, message_vi


@dataclass
class Table:
    """One table of the file: ``rows`` of cells, ``labels`` naming each row for messages, ``part`` the page or
    table it starts on ('' for a spreadsheet's only sheet)."""

    part: str
    rows: list[list[Any]]
    labels: list[str]
    # Where a page (PDF) or a Word table begins, as row indices: a row there may continue the row before it.
    breaks: tuple[int, ...] = ()


def read_tables(data: bytes, filename: str) -> list[Table]:
    """Every table of the file, in order; raises DocumentError."""
    limits.check_size(data, filename, MAX_DOCUMENT_BYTES)  # the limits of every file read (FileRefused)
    suffix = Path(filename).suffix.lower()
    if suffix in (".doc", ".xls"):
        modern = "docx" if suffix == ".doc" else "xlsx"
        raise DocumentError(f"is a legacy {suffix} file; open it in Word/Excel and save it as .{modern} "
                            f"(File → Save As → .{modern}), then load that file",
                            f"là tệp {suffix} kiểu cũ; hãy mở bằng Word/Excel và lưu lại dưới dạng .{modern} "
                            f"(Tệp → Lưu thành → .{modern}) rồi nạp tệp đó")
    if suffix in (".xlsx", ".xlsm", ".docx") and data.startswith(OLE2_MAGIC):
        raise DocumentError("is protected by a password (encrypted); open it, remove the password (File → Info → "
                            "Protect → Encrypt with Password, leave it empty), save, and load it again",
                            "được bảo vệ bằng mật khẩu (đã mã hoá); hãy mở tệp, gỡ mật khẩu (Tệp → Thông tin → Bảo vệ "
                            "→ Mã hoá bằng mật khẩu, để trống), lưu lại rồi nạp lại")
    if suffix == ".csv":
        return [_csv_table(data, filename)]
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_tables(data, filename)
    if suffix == ".docx":
        return _docx_tables(data, filename)
    if suffix == ".pdf":
        return _pdf_tables(data)
    raise DocumentError(f"has the extension {suffix or '(none)'!r}; load the appendix as .xlsx, .csv, .docx or a "
                        "PDF with text",
                        f"có phần mở rộng {suffix or '(không có)'!r}; hãy nạp phụ lục dạng .xlsx, .csv, .docx hoặc "
                        "PDF có lớp chữ")


def _cell(value: Any) -> Any:
    """A cell as text with its line breaks (each line stripped), numbers kept as numbers."""
    if value is None or isinstance(value, (int, float)):
        return value
    lines = [" ".join(line.split()) for line in str(value).replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def _csv_table(data: bytes, filename: str) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError("is not UTF-8 text; save the CSV as UTF-8",
                            "không phải văn bản UTF-8; hãy lưu tệp CSV dạng UTF-8") from None
    rows = [[_cell(c) for c in row] for row in limits.csv_rows(text, filename, MAX_TABLE_ROWS)]
    return Table("", rows, [f"row {i}" for i in range(1, len(rows) + 1)])


def _too_many_rows() -> DocumentError:
    return DocumentError(f"has more than {MAX_TABLE_ROWS} rows; the catalogue has about a hundred: keep only the "
                         "Appendix 1 table",
                         f"có hơn {MAX_TABLE_ROWS} dòng; phụ lục chỉ có khoảng một trăm dòng: chỉ giữ lại bảng "
                         "Phụ lục 1")


def _office_package(data: bytes, filename: str, not_a_zip: DocumentError) -> None:
    """An Office file is a zip: refused when it is not one, and checked by dti/limits.py (a zip bomb is refused
    from the zip's directory, before anything is unpacked)."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise not_a_zip
    limits.check_zip(data, filename)


def _xlsx_tables(data: bytes, filename: str) -> list[Table]:
    not_excel = DocumentError("is not an Excel workbook; save the Appendix 1 table as .xlsx or .csv",
                              "không phải tệp Excel; hãy lưu bảng Phụ lục 1 dạng .xlsx hoặc .csv")
    _office_package(data, filename, not_excel)
    wb = limits.open_workbook(data, filename)  # streaming, every cell checked
    if wb is None:
        raise not_excel
    tables = []
    try:
        several = len(wb.worksheets) > 1
        for ws in wb.worksheets:
            rows = [[_cell(v) for v in values] for values in limits.sheet_rows(ws, filename, max_rows=MAX_TABLE_ROWS)]
            part = f"sheet {ws.title}" if several else ""
            labels = [f"{part + ', ' if part else ''}row {i}" for i in range(1, len(rows) + 1)]
            tables.append(Table(part, rows, labels))
    finally:
        wb.close()
    return tables


def _docx_tables(data: bytes, filename: str) -> list[Table]:
    import docx  # python-docx: only Word appendices need it

    not_word = DocumentError("is not a Word document; open it in Word and save it again as .docx",
                             "không phải tài liệu Word; hãy mở bằng Word và lưu lại dạng .docx")
    _office_package(data, filename, not_word)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises several types for a damaged or non-Word package
        raise not_word from None
    tables = []
    for t, table in enumerate(document.tables, start=1):
        rows: list[list[Any]] = []
        for row in table.rows:
            # A cell merged across columns repeats in row.cells; a cell merged down repeats in the rows below.
            rows.append([_cell(cell.text) for cell in row.cells])
            if len(rows) > MAX_TABLE_ROWS:
                raise _too_many_rows()
        tables.append(Table(f"table {t}", rows, [f"table {t}, row {i}" for i in range(1, len(rows) + 1)]))
    return tables


# A PDF wraps long cell text at the column edge; a break is kept only where a clause ends (a value after a colon,
# ';', '.') or a bullet starts: "Điểm tối\nđa" and "2 lần:\n10" read as one phrase, "…: Điểm tối đa\nTừ 70% …" as
# two clauses.
_CLAUSE_END = re.compile(r"(?:[:=][^:=;]*?(?:\d|điểm|tối đa)|[;.])\s*$", re.IGNORECASE)
_BULLET_START = re.compile(r"^\s*(?:[-+•●▪◦*]|[a-zđ]\)|\d+[.)]\s)")


def _unwrap(value: Any) -> Any:
    if not isinstance(value, str) or "\n" not in value:
        return value
    lines = value.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        if _CLAUSE_END.search(out[-1]) or _BULLET_START.match(line):
            out.append(line)
        else:
            out[-1] = f"{out[-1]} {line}"
    return "\n".join(out)


def _closed_at_page_edges(page) -> dict:
    """Table settings that close a table at the top and bottom of its column lines: a row cut by the page break
    has no border there, and without one pdfplumber drops the cut row (its rest is joined back by the reader)."""
    vertical = [e for e in page.edges if e.get("orientation") == "v"]
    if not vertical:
        return {}
    return {"explicit_horizontal_lines": [min(e["top"] for e in vertical), max(e["bottom"] for e in vertical)]}


def _pdf_tables(data: bytes) -> list[Table]:
    import pdfplumber  # only PDF appendices need it
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    password = DocumentError("is protected by a password; open it, save or print a copy without a password, and "
                             "load that copy", "được bảo vệ bằng mật khẩu; hãy mở tệp, lưu hoặc in ra một bản không "
                             "có mật khẩu rồi nạp bản đó")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except PDFPasswordIncorrect:
        raise password from None
    except Exception as exc:  # pdfminer raises many types for a damaged or non-PDF file
        # pdfplumber wraps pdfminer's PDFPasswordIncorrect in its own exception type
        if "password" in repr(exc).lower() or "encrypt" in repr(exc).lower():
            raise password from None
        raise DocumentError("is not a readable PDF; open it and save or print it again as PDF, or load the Word or "
                            "Excel copy of the appendix",
                            "không phải tệp PDF đọc được; hãy mở và lưu hoặc in lại dạng PDF, hoặc nạp bản Word hay "
                            "Excel của phụ lục") from None
    with pdf:
        if len(pages) > MAX_PDF_PAGES:
            raise DocumentError(f"has {len(pages)} pages; keep only the pages of the appendix table",
                                f"có {len(pages)} trang; chỉ giữ lại các trang của bảng phụ lục")
        tables: list[Table] = []
        has_text = False
        for p, page in enumerate(pages, start=1):
            has_text = has_text or bool((page.extract_text() or "").strip())
            for k, found in enumerate(page.extract_tables(_closed_at_page_edges(page)), start=1):
                rows = [[_cell(_unwrap(c)) for c in row] for row in found]
                part = f"page {p}" + (f", table {k}" if k > 1 else "")
                tables.append(Table(part, rows, [f"{part}, row {i}" for i in range(1, len(rows) + 1)]))
        if not has_text:
            raise DocumentError("has no text layer: it is a scanned image; load the Word or Excel copy of the "
                                "appendix, or run text recognition (OCR) and save it as a searchable PDF",
                                "không có lớp chữ: đây là bản quét (ảnh); hãy nạp bản Word hoặc Excel của phụ lục, "
                                "hoặc nhận dạng chữ (OCR) và lưu thành PDF có thể tìm kiếm")
    return tables
