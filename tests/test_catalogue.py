"""Importing the official catalogue (Appendix 1): a good table becomes an edition that loads and scores; a bad
one is refused with row-numbered messages and nothing is written.

The catalogues are built here with openpyxl: made-up titles, but the official counts and points of 2022.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys

import pytest
from openpyxl import Workbook

from dti.framework import registry
from dti.framework.validation import load_framework_file
from dti.io.catalogue import CatalogueError, framework_to_yaml, import_catalogue, normalise, rule_from_text
from dti.scoring.engine import Response, score

HEADER_VI = ["STT", "Tên chỉ số", "Điểm tối đa", "Cách xác định và tính điểm", "Tài liệu kiểm chứng",
             "Nguồn số liệu", "Đơn vị thẩm định"]
HEADER_EN = ["Code", "Indicator", "Max points", "How it is scored", "Evidence", "Data source", "Verifier"]


def official_2022_structure() -> list[tuple[str, str, int, int]]:
    """(code, name, components, points) of the 9 main indices, from the reference data."""
    from tests.conftest import read_reference_csv

    return [(r["code"], r["name_vi"], int(r["components"]), int(r["max_points"]))
            for r in read_reference_csv("dti-2022-province/structure.csv")]


def catalogue_rows(structure=None) -> list[list]:
    """Main-index rows and component rows; component points split so they sum to the main index exactly."""
    rows = []
    for code, name, n, points in structure or official_2022_structure():
        rows.append([code, name, points, "", "", "", ""])
        share, rest = divmod(points, n)
        for k in range(1, n + 1):
            pts = share + (rest if k == n else 0)
            half = f"{pts / 2:g}".replace(".", ",")
            scoring = ("Không tính điểm" if points == 0 else
                       f"Có: {pts} điểm; Không: 0 điểm" if k == 1 else
                       f"Họp 4 lần/năm: {pts} điểm; 2 lần: {half} điểm; không họp: 0 điểm" if k == 2 else
                       f"Tỷ lệ a/b nhân {pts} điểm (cách tính chính thức số {code}.{k})")
            rows.append([f"{code}.{k}", f"Chỉ số thử nghiệm {code}.{k}", pts if points else None, scoring,
                         f"Văn bản {code}.{k}", "Sở KH&CN", "Bộ KH&CN"])
    return rows


def xlsx_bytes(rows: list[list], header=HEADER_VI, title_rows: int = 2) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục 1"
    for _ in range(title_rows):  # the decision's heading above the table
        ws.append(["PHỤ LỤC 1. BỘ CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ CẤP TỈNH"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list], header=HEADER_EN) -> bytes:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def good_catalogue_xlsx() -> bytes:
    return xlsx_bytes(catalogue_rows())


@pytest.fixture(scope="module")
def base():
    return registry.load("dti-2022-province")


def first_row_of(code: str, rows: list[list]) -> int:
    """Spreadsheet row number of ``code``: two heading rows and the header come first."""
    return 4 + next(i for i, r in enumerate(rows) if r[0] == code)


# --- the good catalogue ---------------------------------------------------------------------------

def test_good_catalogue_becomes_an_official_edition_that_loads_and_scores(base, tmp_path):
    fw = import_catalogue(good_catalogue_xlsx(), "appendix.xlsx", base, new_id="dti-2022-official",
                          official="922/QĐ-BTTTT")
    assert fw.id == "dti-2022-official" and fw.complete and fw.official_appendix == "922/QĐ-BTTTT"
    assert len(fw.components) == 98 and fw.total_points == 1000
    assert [m.max_points for m in fw.main_indices] == [100, 100, 100, 100, 100, 0, 200, 150, 150]
    assert {c.provenance.title for c in fw.components} == {"official"}
    assert {c.provenance.points for c in fw.components} == {"official"}
    assert all("appendix.xlsx" in c.provenance.source for c in fw.components)
    c24 = fw.component_by_code["2.4"]
    assert c24.name_vi == "Chỉ số thử nghiệm 2.4" and c24.evidence_vi == "Văn bản 2.4"
    assert c24.verifier_vi == "Bộ KH&CN" and c24.data_source_vi == "Sở KH&CN"
    assert c24.scoring_vi.startswith("Tỷ lệ a/b nhân")  # the official method is kept for users to read
    # yes/no text became the rule, officially; an unreadable text is a points box sent to review with the
    # reason, not the 2022 placeholder scale
    c21 = fw.component_by_code["2.1"]
    assert c21.rule.type == "yes_no" and c21.provenance.rule == "official" and not c21.scoring_review_en
    assert base.component_by_code["2.4"].provenance.rule == "provisional"
    assert c24.rule.type == "direct" and c24.provenance.rule == "provisional"
    assert "not one of the known idioms" in c24.scoring_review_en and c24.scoring_review_vi
    assert "sha256 " in c24.provenance.source and "922/QĐ-BTTTT" in c24.provenance.source
    c12 = fw.component_by_code["1.2"]
    assert c12.rule.type == "stepped" and c12.provenance.rule == "official"
    assert fw.component_by_code["6.1"].rule.type == "not_scored"
    assert fw.pillar_by_code["cq"].max_points == 700 and fw.pillar_by_code["kt"].max_points == 650

    path = tmp_path / "dti-2022-official.yaml"
    path.write_text(framework_to_yaml(fw), encoding="utf-8")
    loaded = load_framework_file(path)
    assert loaded == fw
    answers = {c.code: Response(c.code, points=c.max_points) for c in loaded.components if c.max_points > 0}
    assert score(loaded, answers).dti == pytest.approx(1.0)
    some = score(loaded, {"1.1": Response("1.1", value="có"), "1.2": Response("1.2", value=3)})
    assert some.points == pytest.approx(loaded.component_by_code["1.1"].max_points
                                        + loaded.component_by_code["1.2"].max_points / 2)


def test_a_file_not_stated_official_is_from_file(base):
    data = good_catalogue_xlsx()
    fw = import_catalogue(data, "appendix.xlsx", base, new_id="dti-2022-loaded")
    assert {c.provenance.title for c in fw.components} == {"from_file"}
    assert {c.provenance.points for c in fw.components} == {"from_file"}
    assert {m.provenance.title for m in fw.main_indices} == {"from_file"}
    assert fw.official_appendix == "" and not any(c.provenance.is_official for c in fw.components)
    digest = hashlib.sha256(data).hexdigest()
    assert fw.sources[0] == f"appendix.xlsx (sha256 {digest})"


def test_english_headers_in_csv_and_tolerant_header_spelling(base):
    fw = import_catalogue(csv_bytes(catalogue_rows()), "appendix.csv", base)
    assert fw.id == "dti-2022-province-official" and len(fw.components) == 98
    header = ["stt", "TEN CHI SO", "Điểm  tối đa", "cách xác định và tính điểm"]
    fw2 = import_catalogue(xlsx_bytes([r[:4] for r in catalogue_rows()], header=header), "a.xlsx", base)
    assert fw2.component_by_code["9.8"].max_points == pytest.approx(150 - 7 * 18)


@pytest.mark.parametrize("text,points,expected", [
    ("Có: 10 điểm; Không: 0 điểm", 10, "yes_no"), ("có 5 điểm, không có 0 điểm", 5, "yes_no"),
    ("Yes: 10 points; no: 0", 10, "yes_no"), ("Có: 10 điểm; Không: 0 điểm", 5, None),
    ("Có: 7,5 điểm; Không: 0 điểm", 7.5, "yes_no"),
    ("Không tính điểm", 0, "not_scored"), ("Tỷ lệ a/b × 10", 10, None), ("", 10, None),
    ("Tổ chức 4 lần/năm: 20 điểm; 3 lần: 15 điểm; 2 lần: 10 điểm; 1 lần: 5 điểm; không tổ chức: 0 điểm", 20,
     "stepped"),
    ("4 lần: 20 điểm; 3 lần: 15 điểm", 10, None),  # top step not worth the maximum: not a rule we can trust
])
def test_scoring_text_patterns(text, points, expected):
    rule = rule_from_text(text, points)
    assert (rule or {}).get("type") == expected


def test_stepped_text_becomes_steps_that_score():
    rule = rule_from_text("Tổ chức 4 lần/năm: 20 điểm; 3 lần: 15 điểm; 2 lần: 10 điểm; 1 lần: 5 điểm", 20)
    assert rule["type"] == "stepped" and rule["unit_vi"] == "lần"
    assert rule["steps"] == [{"min": 1, "share": 0.25}, {"min": 2, "share": 0.5}, {"min": 3, "share": 0.75},
                             {"min": 4, "share": 1.0}]


def test_normalise_headers():
    assert normalise("Điểm tối đa") == "diem toi da"
    assert normalise("  Cách xác định và tính điểm ") == "cach xac dinh va tinh diem"


# --- bad catalogues: every message names file, row and component, and says the fix -----------------

def messages(data: bytes, filename: str, base) -> list[str]:
    with pytest.raises(CatalogueError) as exc:
        import_catalogue(data, filename, base)
    return [str(p) for p in exc.value.problems]


def test_text_in_points(base):
    rows = catalogue_rows()
    rows[first_row_of("2.4", rows) - 4][2] = "mười"
    assert messages(xlsx_bytes(rows), "appendix.xlsx", base) == [
        f"appendix.xlsx, row {first_row_of('2.4', rows)}, component 2.4: max points 'mười' is not a number; "
        "write a number such as 10"]


def test_wrong_headers(base):
    found = messages(xlsx_bytes(catalogue_rows(), header=["A", "B", "C"]), "appendix.xlsx", base)
    assert len(found) == 1
    assert found[0].startswith("appendix.xlsx: has no header row with the columns code (STT), indicator (Tên chỉ số), "
                               "max points (Điểm tối đa) in its first 20 rows")
    assert found[0].endswith("; name the columns as in Appendix 1")


def test_unknown_component_code(base):
    rows = catalogue_rows()
    rows.insert(first_row_of("3.1", rows) - 4, ["2.12", "Thừa", 0, "", "", "", ""])
    assert messages(xlsx_bytes(rows), "appendix.xlsx", base) == [
        f"appendix.xlsx, row {first_row_of('2.12', rows)}, component 2.12: is not a component of dti-2022-province "
        "(main index 2 has 2.1–2.11); check the code"]


def test_unknown_main_index(base):
    rows = catalogue_rows() + [["10.1", "Thừa", 5, "", "", "", ""]]
    assert messages(xlsx_bytes(rows), "appendix.xlsx", base)[0] == (
        f"appendix.xlsx, row {first_row_of('10.1', rows)}, component 10.1: main index 10 is not in dti-2022-province "
        "(main indices 1–9); check the code")


def test_missing_component(base):
    rows = catalogue_rows()
    del rows[first_row_of("2.4", rows) - 4]
    found = messages(xlsx_bytes(rows), "appendix.xlsx", base)
    assert "appendix.xlsx, component 2.4: is missing from the catalogue; add its row (main index 2 has 11 " \
           "components)" in found


def test_duplicate_code(base):
    rows = catalogue_rows()
    at = first_row_of("2.4", rows) - 4
    rows.insert(at + 1, list(rows[at]))
    assert messages(xlsx_bytes(rows), "appendix.xlsx", base) == [
        f"appendix.xlsx, row {at + 5}, component 2.4: appears again (first on row {at + 4}); keep one row"]


def test_points_not_summing_to_the_main_index(base):
    rows = catalogue_rows()
    rows[first_row_of("2.4", rows) - 4][2] = 19
    assert messages(xlsx_bytes(rows), "appendix.xlsx", base) == [
        f"appendix.xlsx, row {first_row_of('2', rows)}, main index 2: component points add up to 110 but main index 2 "
        "is worth 100; correct the points so they sum to 100"]


def test_main_index_points_differing_from_the_official_ones(base):
    rows = catalogue_rows()
    rows[first_row_of("7", rows) - 4][2] = 250
    assert f"appendix.xlsx, row {first_row_of('7', rows)}, main index 7: max points 250 differ from the official " \
           "200 of dti-2022-province; correct the points" in messages(xlsx_bytes(rows), "appendix.xlsx", base)


def test_negative_and_missing_points_and_title(base):
    rows = catalogue_rows()
    rows[first_row_of("1.2", rows) - 4][2] = -5
    rows[first_row_of("1.3", rows) - 4][1] = ""
    found = messages(xlsx_bytes(rows), "appendix.xlsx", base)
    assert found == [
        f"appendix.xlsx, row {first_row_of('1.2', rows)}, component 1.2: max points -5 is negative; write a number ≥ 0",
        f"appendix.xlsx, row {first_row_of('1.3', rows)}, component 1.3: has no indicator title; copy the title from "
        "Appendix 1"]


def test_not_a_spreadsheet(base):
    assert messages(b"PK\x03\x04 not really a zip", "appendix.xlsx", base) == [
        "appendix.xlsx: is not an Excel workbook; save the Appendix 1 table as .xlsx or .csv"]
    assert messages(b"%PDF-1.7", "appendix.pdf", base) == [
        "appendix.pdf: is not a readable PDF; open it and save or print it again as PDF, or load the Word or Excel "
        "copy of the appendix"]
    assert messages(b"name,points", "appendix.txt", base) == [
        "appendix.txt: has the extension '.txt'; load the appendix as .xlsx, .csv, .docx or a PDF with text"]


def test_huge_file_refused_before_reading(base):
    found = messages(b"x" * (5 * 1024 * 1024 + 1), "appendix.csv", base)
    assert found == ["appendix.csv: is 5.2 MB, over the 5 MB limit; remove what is not needed or split the file"]


# --- the command line -----------------------------------------------------------------------------

def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dti", *args], capture_output=True, text=True,
                          cwd=registry.REPO_ROOT, timeout=120)


def test_cli_import_writes_a_valid_yaml(tmp_path):
    src = tmp_path / "appendix.xlsx"
    src.write_bytes(good_catalogue_xlsx())
    out = tmp_path / "my-edition.yaml"
    done = run_cli("import-catalogue", str(src), "--edition", "dti-2022-province", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert load_framework_file(out).id == "my-edition"
    again = run_cli("import-catalogue", str(src), "--edition", "dti-2022-province", "-o", str(out))
    assert again.returncode == 1 and "already exists" in again.stderr  # never overwritten silently


def test_cli_import_writes_nothing_on_error(tmp_path):
    rows = catalogue_rows()
    rows[first_row_of("2.4", rows) - 4][2] = "mười"
    src = tmp_path / "appendix.xlsx"
    src.write_bytes(xlsx_bytes(rows))
    out = tmp_path / "out.yaml"
    done = run_cli("import-catalogue", str(src), "--edition", "dti-2022-province", "-o", str(out))
    assert done.returncode == 1
    assert "appendix.xlsx, row" in done.stderr and "component 2.4: max points 'mười' is not a number" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_problems_read_in_vietnamese_for_the_ui(base):
    rows = catalogue_rows()
    rows[first_row_of("2.4", rows) - 4][2] = 19
    with pytest.raises(CatalogueError) as exc:
        import_catalogue(xlsx_bytes(rows), "appendix.xlsx", base)
    assert [p.text("vi") for p in exc.value.problems] == [
        f"appendix.xlsx, dòng {first_row_of('2', rows)}, chỉ số chính 2: điểm các chỉ số thành phần cộng lại 110 "
        "nhưng chỉ số chính 2 được 100 điểm; hãy sửa điểm cho khớp 100"]
