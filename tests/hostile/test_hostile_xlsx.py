""".xlsx uploads (answers and catalogues): decompression bombs within the byte limit, huge cells, a last row
a million rows down, numbers of thousands of digits. Each is refused in seconds with its place and the fix,
and the database (answers and history) is exactly as before; on SQLite and on PostgreSQL."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest

from dti import limits
from dti.framework import registry
from dti.io.catalogue import CatalogueError, import_catalogue
from dti.io.excel import ImportRefused
from tests.hostile.conftest import raw_xlsx, run_cli, snapshot, within

pytestmark = pytest.mark.timeout(120)

HEADER = ["code", "value", "evidence", "note"]


def refused(store, period, data: bytes, name: str = "bom.xlsx") -> list[str]:
    """Import ``data``; assert it is refused in time and nothing changed; the problems in vi and en."""
    actor, assessment_id = period
    before = snapshot(store, assessment_id)
    with within(), pytest.raises(ImportRefused) as exc:
        store.import_file(actor, assessment_id, data, name)
    assert snapshot(store, assessment_id) == before
    return [p.text("vi") for p in exc.value.problems] + [p.text("en") for p in exc.value.problems]


def test_a_zip_bomb_within_the_byte_limit_is_refused_from_its_directory(store, period):
    data = raw_xlsx([HEADER, ["1.2", "45/60", "", ""]], filler_bytes=200 << 20)
    assert len(data) < 1_000_000 < 200 * len(data)  # small on the wire, 200 MB inflated
    vi, en = refused(store, period, data)
    assert en.startswith("bom.xlsx: zip member xl/worksheets/sheet1.xml inflates to 209.7 MB, ")
    assert "possibly a zip bomb" in en and "open it in Excel and save it again" in en
    assert "bom.xlsx: thành phần nén xl/worksheets/sheet1.xml bung ra 209,7 MB" in vi


def test_too_much_inflated_in_all_is_refused(store, period):
    # Many members each under the ratio check, together over the 10 MB inflated limit.
    buf = BytesIO(raw_xlsx([HEADER, ["1.2", "45/60", "", ""]]))
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
        for i in range(25):
            z.writestr(f"xl/media/image{i}.bin", bytes(range(256)) * 4096)  # 1 MB each, compresses ~100x
    _, en = refused(store, period, buf.getvalue())
    assert "over the 10 MB limit; delete unused sheets and pictures" in en


def test_a_megabyte_of_evidence_in_one_shared_string_is_refused(store, period):
    # The report's case: 200 KB of file, 200 MB of evidence stored twice (answer + history).
    huge = "x" * 1_000_000
    rows = [HEADER] + [[f"1.{i}", "", ("shared", 0), ""] for i in (1, 2, 3)]
    data = raw_xlsx(rows, shared=[huge])
    assert len(data) < 200_000
    vi, en = refused(store, period, data)
    assert en == ("bom.xlsx, sheet 'Data', row 2: cell C2 holds 1,000,000 characters, over the limit of 10,000 "
                  "for a cell; shorten it and keep long material in the attached evidence")
    assert "dòng 2: ô C2 chứa 1.000.000 ký tự" in vi


def test_evidence_over_the_text_cap_names_the_component_and_row(store, period):
    rows = [HEADER, ["1.1", "full", "ok", ""], ["1.2", "45/60", "y" * 6000, ""]]
    vi, en = refused(store, period, raw_xlsx(rows))
    assert en == ("bom.xlsx, sheet 'Data', row 3, component 1.2: evidence is 6,000 characters long, over the limit of "
                  "5,000 (about two A4 pages); shorten it, name or link the documents instead of copying them")
    assert vi.startswith("bom.xlsx, trang 'Data', dòng 3, chỉ số 1.2: minh chứng dài 6.000 ký tự")


def test_a_last_row_a_million_rows_down_is_refused_without_reading_them(store, period):
    data = raw_xlsx([HEADER, ["1.2", "45/60", "", ""]], last_row=1_048_576, dimension="A1:XFD1048576")
    _, en = refused(store, period, data)
    assert en == ("bom.xlsx, sheet 'Data': has more than 10,000 rows; keep only the data rows (a framework has about "
                  "a hundred components)")


@pytest.mark.parametrize("digits", [4000, 5000])
def test_a_number_of_thousands_of_digits_is_refused(store, period, digits):
    # 5000 digits: openpyxl itself cannot convert it (Python's 4300-digit limit); 4000: converted, then refused.
    data = raw_xlsx([HEADER, ["1.3", ("num", "9" * digits), "", ""]])
    _, en = refused(store, period, data)
    assert en.startswith("bom.xlsx, sheet 'Data', row 2: ")
    assert ("has a number longer than 30 digits" in en) if digits == 4000 else ("cannot be read" in en)


def test_a_good_raw_workbook_still_imports(store, period):
    # The generator makes real workbooks: the same file without the hostile part is imported.
    actor, assessment_id = period
    n = store.import_file(actor, assessment_id, raw_xlsx([HEADER, ["1.2", "45/60", "báo cáo", ""]]), "ok.xlsx")
    assert n == 1 and store.stored(assessment_id)["1.2"].evidence == "báo cáo"


# --- catalogues (Editions page, import-catalogue) ----------------------------------------------------------

CATALOGUE_HEADER = ["STT", "Tên chỉ số", "Điểm tối đa"]


def test_a_catalogue_bomb_is_refused_before_openpyxl():
    data = raw_xlsx([CATALOGUE_HEADER, ["1", "Nhận thức số", 60]], filler_bytes=1500 << 20 >> 3)
    assert len(data) < 1_500_000
    base = registry.load("dti-2022-province")
    with within(), pytest.raises(CatalogueError) as exc:
        import_catalogue(data, "phu-luc-1.xlsx", base)
    assert "phu-luc-1.xlsx, zip member xl/worksheets/sheet1.xml: inflates to" in str(exc.value)


def test_import_catalogue_cli_refuses_a_bomb_and_writes_nothing(tmp_path):
    source = tmp_path / "phu-luc-1.xlsx"
    source.write_bytes(raw_xlsx([CATALOGUE_HEADER, ["1", "Nhận thức số", 60]], filler_bytes=100 << 20))
    out = tmp_path / "mine.yaml"
    done = run_cli("import-catalogue", source, "-o", out)
    assert done.returncode == 1 and not out.exists()
    assert done.stderr.startswith("phu-luc-1.xlsx, zip member xl/worksheets/sheet1.xml: inflates to 104.9 MB")


def test_import_catalogue_cli_refuses_a_device(tmp_path):
    done = run_cli("import-catalogue", "/dev/zero", "-o", tmp_path / "x.yaml")
    assert done.returncode == 1 and "/dev/zero: is not a regular file" in done.stderr


def test_a_catalogue_title_over_the_cap_is_refused_with_its_row():
    data = raw_xlsx([CATALOGUE_HEADER, ["1", "Nhận thức số", 60], ["1.1", "t" * 2000, 10]])
    with within(), pytest.raises(CatalogueError) as exc:
        import_catalogue(data, "phu-luc-1.xlsx", registry.load("dti-2022-province"))
    assert "phu-luc-1.xlsx, row 3, component 1.1: title is 2,000 characters long, over the limit of 1,000" \
        in str(exc.value)


def test_the_zip_check_reads_only_the_directory():
    # A zip whose directory declares 200 MB is refused without inflating a byte: fast even for many members.
    data = raw_xlsx([HEADER], filler_bytes=200 << 20)
    with within(1.0), pytest.raises(limits.FileRefused):
        limits.check_zip(data, "x.xlsx")


def test_a_workbook_just_within_every_limit_is_read_in_seconds(fw_all_rules):
    # The worst a file can cost once it passes the checks: ~9.5 MB of incompressible sheet XML, 6,500 rows.
    # openpyxl itself streams 1 to 5 MB a second: this bounds the cost, and is why the inflated limit is 10 MB.
    import base64
    import os

    from dti.io.excel import read_upload

    rows = [HEADER + ["a", "b", "c", "d", "e"]]
    rows += [[f"9.{i}"] + [base64.b64encode(os.urandom(90)).decode() for _ in range(8)] for i in range(6500)]
    data = raw_xlsx(rows)
    inflated = sum(i.file_size for i in zipfile.ZipFile(BytesIO(data)).infolist())
    assert 9e6 < inflated < limits.MAX_ZIP_INFLATED_BYTES and len(data) < limits.MAX_UPLOAD_BYTES
    with within(30), pytest.raises(ImportRefused) as exc:
        read_upload(fw_all_rules, data, "big.xlsx")
    assert len(exc.value.problems) == 6500  # read to the end: every unknown code listed


def test_a_zip_of_thousands_of_members_is_refused(store, period):
    buf = BytesIO(raw_xlsx([HEADER, ["1.2", "45/60", "", ""]]))
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_STORED) as z:
        for i in range(2500):
            z.writestr(f"xl/media/m{i}.bin", b"")
    _, en = refused(store, period, buf.getvalue())
    assert en == "bom.xlsx: holds 2,506 zipped members, over the limit of 2,000; save the file again from Excel or Word"
