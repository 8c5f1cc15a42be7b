"""A department-level index as provinces write it (6 main indices, 100 points), built from the verbatim scoring
rows of /work/shared/reference/scoring-method-examples.md, and writers for it as .xlsx, .csv, .docx and text PDF.

Titles of the main indices are those of the provincial index; component titles are the verbatim district rows.
"""

from __future__ import annotations

import csv
import io
import subprocess
import tempfile
from html import escape
from pathlib import Path

from tests.test_methods import V_1_1, V_1_2, V_B_1_1, V_B_1_2, V_B_1_3, V_THRESHOLD

HEADER = ["STT", "Chỉ số", "Điểm tối đa", "Cách xác định và tính điểm", "Tài liệu kiểm chứng",
          "Nguồn thu thập dữ liệu", "Đơn vị phối hợp xác minh số liệu"]
MINISTRY = "Bộ KH&CN đo lường tự động; đơn vị không tự đánh giá"
UNREAD_TEXT = "Do Hội đồng thẩm định xem xét, quyết định"

# (code, title, points, scoring); main-index rows have no scoring text.
DEPARTMENT_ROWS: list[tuple[str, str, float | None, str]] = [
    ("1", "Nhận thức số", 40, ""),
    ("1.1", "Người đứng đầu huyện, thành phố (Bí thư hoặc Chủ tịch huyện, thành phố) là Trưởng ban Ban chỉ đạo "
            "chuyển đổi số của huyện, thành phố", 10, V_1_1),
    ("1.2", "Người đứng đầu huyện, thành phố (Chủ tịch/Phó Chủ tịch UBND huyện, thành phố) chủ trì, chỉ đạo chuyển "
            "đổi số", 10, V_1_2),
    ("1.3", "Ban chỉ đạo chuyển đổi số cấp huyện tổ chức các cuộc họp trong năm", 20, V_B_1_1),
    ("2", "Thể chế số", 20, ""),
    ("2.1", "Bí thư/Chủ tịch huyện, thị xã, thành phố chủ trì các cuộc họp về CĐS của huyện", 20, V_B_1_2),
    ("3", "Hạ tầng số", 10, ""),
    ("3.1", "Cổng/Trang thông tin điện tử của UBND huyện, thị xã, thành phố có chuyên mục riêng về chuyển đổi số", 5,
     "Có: Điểm tối đa; Không: 0"),
    ("3.2", "Tỷ lệ cán bộ được trang bị máy tính", 5, V_THRESHOLD),
    ("4", "Nhân lực số", 10, ""),
    ("4.1", "Văn bản chỉ đạo chuyên đề về chuyển đổi số do người đứng đầu huyện, thị xã, thành phố ký (Chủ tịch "
            "UBND)", 10, V_B_1_3),
    ("5", "An toàn thông tin mạng", 10, ""),
    ("5.1", "Bảo đảm an toàn hệ thống thông tin theo cấp độ", 10, ""),
    ("5.1.1", "Hệ thống thông tin được phê duyệt cấp độ", 5, "Có: 5 điểm; Không: 0 điểm"),
    ("5.1.2", "Tỷ lệ hệ thống được giám sát an toàn thông tin", 5,
     "≥ 90%: Điểm tối đa\nTừ 70% đến dưới 90%: ½ Điểm tối đa\nDưới 70%: 0"),
    ("6", "Hoạt động chính quyền số", 10, ""),
    ("6.1", "Mức độ sử dụng hệ thống quản lý văn bản", 5, MINISTRY),
    ("6.2", "Chất lượng báo cáo chuyển đổi số", 5, UNREAD_TEXT),
]


def table_rows(rows=DEPARTMENT_ROWS) -> list[list]:
    return [[code, title, points, scoring, "Văn bản, tài liệu chứng minh" if "." in code else "",
             "UBND huyện cung cấp" if "." in code else "", "Sở KH&CN" if "." in code else ""]
            for code, title, points, scoring in rows]


def xlsx_bytes(rows: list[list], header=HEADER) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws.append(["PHỤ LỤC. BỘ CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ CỦA CÁC SỞ, BAN, NGÀNH"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list], header=HEADER) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def docx_bytes(rows: list[list], header=HEADER, split_at: int | None = None, merge_headings: bool = True) -> bytes:
    """A Word appendix: a title paragraph, then the table; main-index rows merged across the text columns, line
    breaks kept inside cells; ``split_at`` starts a second table (header repeated) after a page break there."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph("PHỤ LỤC. BỘ CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ CỦA CÁC SỞ, BAN, NGÀNH")
    chunks = [rows] if split_at is None else [rows[:split_at], rows[split_at:]]
    for n, chunk in enumerate(chunks):
        if n:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        table = document.add_table(rows=1, cols=len(header))
        for j, name in enumerate(header):
            table.rows[0].cells[j].text = name
        for row in chunk:
            cells = table.add_row().cells
            for j, value in enumerate(row):
                if value in (None, ""):
                    continue
                lines = str(value).split("\n")
                paragraph = cells[j].paragraphs[0]
                paragraph.text = lines[0]
                for line in lines[1:]:
                    cells[j].add_paragraph(line)  # a line break inside the cell
            if merge_headings and "." not in str(row[0]):
                cells[3].merge(cells[len(header) - 1])  # a heading row: the text columns merged
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def html_table(rows: list[list], header=HEADER, cell_padding: str = "6px") -> str:
    def cell(value) -> str:
        return "" if value in (None, "") else escape(str(value)).replace("\n", "<br>")

    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    return (f"<!doctype html><meta charset=utf-8><style>table{{border-collapse:collapse;font:11px sans-serif}}"
            f"td,th{{border:1px solid #000;padding:{cell_padding};vertical-align:top}}</style>"
            f"<p>PHỤ LỤC. BỘ CHỈ SỐ</p><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def pdf_from_html(html: str) -> bytes:
    """Print the page with Debian's chromium, as a province prints its appendix to PDF."""
    with tempfile.TemporaryDirectory() as tmp:
        page, out = Path(tmp) / "appendix.html", Path(tmp) / "appendix.pdf"
        page.write_text(html, encoding="utf-8")
        subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
        return out.read_bytes()
