"""The appendix as provinces hold it: Word (.docx) and text PDF, generated here (python-docx; chromium printing an
HTML table), read into the same framework as the spreadsheet; and the documents that must be refused, each with a
clear message and nothing written."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest

from dti.framework import registry
from dti.io.catalogue import CatalogueError, framework_from_catalogue
from tests.catalogue_fixtures import HEADER, docx_bytes, html_table, pdf_from_html, table_rows
from tests.test_catalogue_any_shape import check_department_framework


def read(data: bytes, name: str):
    return framework_from_catalogue(data, name, "so-nganh")


def refused(data: bytes, name: str) -> list[str]:
    with pytest.raises(CatalogueError) as exc:
        read(data, name)
    return [str(p) for p in exc.value.problems]


def refused_vi(data: bytes, name: str) -> list[str]:
    with pytest.raises(CatalogueError) as exc:
        read(data, name)
    return [p.text("vi") for p in exc.value.problems]


# --- Word -------------------------------------------------------------------------------------------------


def test_docx_with_merged_headings_and_line_breaks_in_cells():
    data = docx_bytes(table_rows())
    fw = read(data, "phu-luc.docx")
    check_department_framework(fw, "phu-luc.docx")
    # the line breaks of 5.1.2's cell are kept: three clauses, read as thresholds
    assert fw.component_by_code["5.1.2"].scoring_vi.count("\n") == 2


def test_docx_table_continued_after_a_page_break_with_the_header_repeated():
    check_department_framework(read(docx_bytes(table_rows(), split_at=9), "phu-luc.docx"), "phu-luc.docx")


def test_docx_heading_rows_merged_across_the_whole_row():
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=len(HEADER))
    for j, name in enumerate(HEADER):
        table.rows[0].cells[j].text = name
    for row in table_rows():
        cells = table.add_row().cells
        if "." not in row[0]:
            merged = cells[0].merge(cells[-1])
            merged.text = f"{row[0]}. {row[1].upper()} ({row[2]} điểm)"
            continue
        for j, value in enumerate(row):
            cells[j].text = "" if value is None else str(value)
    buf = io.BytesIO()
    document.save(buf)
    fw = read(buf.getvalue(), "phu-luc.docx")
    assert [m.name_vi for m in fw.main_indices][:2] == ["NHẬN THỨC SỐ", "THỂ CHẾ SỐ"]
    assert [m.max_points for m in fw.main_indices] == [40, 20, 10, 10, 10, 10]


# --- PDF ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed_pdf() -> bytes:
    # Tall cells so that the table runs over several pages: chromium repeats the header on each.
    return pdf_from_html(html_table(table_rows(), cell_padding="22px 6px"))


def test_text_pdf_across_page_breaks(printed_pdf):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(printed_pdf)) as pdf:
        assert len(pdf.pages) >= 2  # the table does cross a page break
    check_department_framework(read(printed_pdf, "phu-luc.pdf"), "phu-luc.pdf")


def test_pdf_row_taller_than_a_page_is_joined_back():
    rows = table_rows()
    rows[5][4] = "\n".join(f"Văn bản kiểm chứng số {i}" for i in range(1, 90))  # 2.1's evidence runs over pages
    pdf = pdf_from_html(html_table(rows))
    fw = read(pdf, "phu-luc.pdf")
    check_department_framework(fw, "phu-luc.pdf")
    evidence = fw.component_by_code["2.1"].evidence_vi
    assert evidence.startswith("Văn bản kiểm chứng số 1 ") and evidence.endswith("Văn bản kiểm chứng số 89")
    assert all(f"số {i} " in evidence + " " for i in range(1, 90))


def test_scanned_pdf_is_refused_saying_what_to_do():
    shapes = "".join(f"<rect x='10' y='{20 * i}' width='300' height='12' fill='#333'/>" for i in range(30))
    scan = pdf_from_html(f"<!doctype html><svg width='600' height='700'>{shapes}</svg>")
    assert refused(scan, "scan.pdf") == [
        "scan.pdf: has no text layer: it is a scanned image; load the Word or Excel copy of the appendix, or run text "
        "recognition (OCR) and save it as a searchable PDF"]
    assert refused_vi(scan, "scan.pdf")[0].startswith("scan.pdf: không có lớp chữ: đây là bản quét (ảnh)")


def test_password_protected_pdf_and_docx_are_refused(printed_pdf):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(printed_pdf)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="bi-mat", owner_password="bi-mat")
    locked = io.BytesIO()
    writer.write(locked)
    assert refused(locked.getvalue(), "locked.pdf") == [
        "locked.pdf: is protected by a password; open it, save or print a copy without a password, and load that copy"]

    import msoffcrypto.format.ooxml as ooxml

    encrypted = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(docx_bytes(table_rows()))).encrypt("bi-mat", encrypted)
    found = refused(encrypted.getvalue(), "locked.docx")
    assert len(found) == 1 and found[0].startswith("locked.docx: is protected by a password (encrypted); open it, "
                                                   "remove the password")
    assert refused_vi(encrypted.getvalue(), "locked.docx")[0].startswith("locked.docx: được bảo vệ bằng mật khẩu")


# --- bad documents --------------------------------------------------------------------------------------------


def test_legacy_doc_is_refused_with_save_as_docx():
    found = refused_vi(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "phu-luc.doc")
    assert found == ["phu-luc.doc: là tệp .doc kiểu cũ; hãy mở bằng Word/Excel và lưu lại dưới dạng .docx (Tệp → Lưu "
                     "thành → .docx) rồi nạp tệp đó"]


def test_document_without_a_table():
    import docx

    document = docx.Document()
    document.add_paragraph("Quyết định ban hành Bộ chỉ số; phụ lục kèm theo.")
    buf = io.BytesIO()
    document.save(buf)
    assert refused(buf.getvalue(), "qd.docx") == [
        "qd.docx: has no table; the appendix must be a table with the columns code (STT), indicator (Tên chỉ số), max "
        "points (Điểm tối đa)"]


def test_two_tables_with_different_headers():
    first = docx_bytes(table_rows(), split_at=9)
    # the second table gets another header: Nội dung instead of Chỉ số, an extra column
    import docx

    document = docx.Document(io.BytesIO(first))
    second = document.tables[1]
    second.rows[0].cells[1].text = "Nội dung"
    second.rows[0].cells[3].text = "Minh chứng"
    second.rows[0].cells[4].text = "Cách tính điểm"
    buf = io.BytesIO()
    document.save(buf)
    found = refused(buf.getvalue(), "hai-bang.docx")
    assert len(found) == 1 and found[0].startswith("hai-bang.docx: has two tables with different headers (table 1: ")
    assert found[0].endswith("keep one appendix table per file, with the same columns on every page")


def test_table_without_points_column():
    rows = [[r[0], r[1], r[3]] for r in table_rows()]
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    for j, name in enumerate(["STT", "Chỉ số", "Cách xác định và tính điểm"]):
        table.rows[0].cells[j].text = name
    for row in rows:
        cells = table.add_row().cells
        for j, value in enumerate(row):
            cells[j].text = str(value or "")
    buf = io.BytesIO()
    document.save(buf)
    found = refused(buf.getvalue(), "khong-diem.docx")
    assert len(found) == 1 and found[0].startswith("khong-diem.docx: has no header row with the columns code (STT), "
                                                   "indicator (Tên chỉ số), max points (Điểm tối đa)")


def test_duplicated_codes_in_a_docx_name_the_table_and_row():
    rows = table_rows()
    rows.insert(3, list(rows[2]))
    assert refused(docx_bytes(rows), "phu-luc.docx") == [
        "phu-luc.docx, table 1, row 5, component 1.2: appears again (first on table 1, row 4); keep one row"]


def test_points_that_do_not_add_up_in_a_docx():
    rows = table_rows()
    rows[1][2] = 12
    assert refused(docx_bytes(rows), "phu-luc.docx") == [
        "phu-luc.docx, table 1, row 2, main index 1: component points add up to 42 but main index 1 is worth 40; "
        "correct the points so they sum to 40"]


def test_zip_bomb_is_refused_before_unpacking():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            block = b"\0" * (1 << 20)
            for _ in range(110):
                member.write(block)
    assert len(buf.getvalue()) < 1_000_000
    found = refused(buf.getvalue(), "bom.docx")
    assert len(found) == 1 and found[0].startswith("bom.docx") and "zip bomb" in found[0]


def test_cli_reads_a_docx_and_refuses_a_scan_with_nothing_written(tmp_path):
    src = tmp_path / "phu-luc.docx"
    src.write_bytes(docx_bytes(table_rows()))
    out = tmp_path / "so-nganh.yaml"
    run = [sys.executable, "-m", "dti", "import-catalogue"]
    done = subprocess.run([*run, str(src), "--id", "so-nganh", "-o", str(out)], capture_output=True, text=True,
                          cwd=registry.REPO_ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "6 main indices, 11 components, 100 points" in done.stdout
    legacy = tmp_path / "phu-luc.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    out2 = tmp_path / "other.yaml"
    done = subprocess.run([*run, str(legacy), "--id", "x", "-o", str(out2)], capture_output=True, text=True,
                          cwd=registry.REPO_ROOT, timeout=120)
    assert done.returncode == 1 and not out2.exists()
    assert done.stderr.strip() == ("phu-luc.doc: is a legacy .doc file; open it in Word/Excel and save it as .docx "
                                   "(File → Save As → .docx), then load that file")
