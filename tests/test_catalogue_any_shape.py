"""Frameworks of any shape from an appendix table, without a base edition: a department-level index (6 main
indices, 100 points) written with the verbatim scoring rows of real appendices, as heading rows, Roman numerals or a
group column, with deeper codes, and through the command line contract."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys

import pytest
import yaml

from dti.framework import registry
from dti.framework.validation import load_framework_file
from dti.io.catalogue import CatalogueError, framework_from_catalogue, framework_to_yaml
from dti.scoring.engine import Response, score
from tests.catalogue_fixtures import DEPARTMENT_ROWS, csv_bytes, table_rows, xlsx_bytes
from tests.test_methods import A_MEETINGS, B_MEETINGS

# Answers and what they earn: levels 'half' 5, parts one of two 5, stepped 3 meetings 15, ratio 3/4 of 20 = 15,
# yes 5, 80 % → half of 5 = 2.5, ratio 1/2 of 10 = 5, yes 5, 95 % → 5, Ministry's estimate 4, points box 3.
ANSWERS = {"1.1": "half", "1.2": "part_2", "1.3": 3, "2.1": "3/4", "3.1": "có", "3.2": 80, "4.1": "1/2",
           "5.1.1": "có", "5.1.2": 95, "6.1": 4}
EXPECTED = {"1.1": 5, "1.2": 5, "1.3": 15, "2.1": 15, "3.1": 5, "3.2": 2.5, "4.1": 5, "5.1.1": 5, "5.1.2": 5,
            "6.1": 4, "6.2": 3}


def check_department_framework(fw, source_name: str) -> None:
    """What every reading of the department index (whatever the file type) must give."""
    assert [m.code for m in fw.main_indices] == ["1", "2", "3", "4", "5", "6"]
    assert [m.name_vi for m in fw.main_indices] == ["Nhận thức số", "Thể chế số", "Hạ tầng số", "Nhân lực số",
                                                    "An toàn thông tin mạng", "Hoạt động chính quyền số"]
    assert [m.max_points for m in fw.main_indices] == [40, 20, 10, 10, 10, 10] and fw.total_points == 100
    assert fw.pillars == [] and fw.complete
    assert [c.code for c in fw.components] == ["1.1", "1.2", "1.3", "2.1", "3.1", "3.2", "4.1", "5.1.1", "5.1.2",
                                               "6.1", "6.2"]
    types = {c.code: c.rule.type for c in fw.components}
    assert types == {"1.1": "levels", "1.2": "parts", "1.3": "stepped", "2.1": "ratio", "3.1": "yes_no",
                     "3.2": "stepped", "4.1": "ratio", "5.1.1": "yes_no", "5.1.2": "stepped", "6.1": "direct",
                     "6.2": "direct"}
    c11 = fw.component_by_code["1.1"]
    assert [(lv.label_vi, lv.share) for lv in c11.rule.levels] == [
        ("Trưởng ban là Bí thư/Chủ tịch", 1.0), ("là Phó Bí thư/Phó Chủ tịch", 0.5),
        ("chưa có BCĐ hoặc Trưởng ban không phải lãnh đạo huyện", 0.0)]
    assert [p.share for p in fw.component_by_code["1.2"].rule.parts] == [0.5, 0.5]
    assert [(s.min, s.share) for s in fw.component_by_code["1.3"].rule.steps] == [(1, 0.25), (2, 0.5), (3, 0.75),
                                                                                  (4, 1.0)]
    c21 = fw.component_by_code["2.1"]
    assert (c21.rule.a_label_vi, c21.rule.b_label_vi) == (A_MEETINGS, B_MEETINGS)
    assert fw.component_by_code["3.2"].rule.unit_vi == "%"
    assert fw.component_by_code["6.1"].measured_by == "ministry"
    # verbatim text beside the rule; what is not read is said, for review
    assert "Tỷ lệ = a/b" in c21.scoring_vi and not c21.scoring_review_en
    c62 = fw.component_by_code["6.2"]
    assert c62.scoring_review_vi and c62.scoring_review_en and c62.provenance.rule == "provisional"
    assert {c.provenance.title for c in fw.components} == {"from_file"}
    assert all(source_name in c.provenance.source and "sha256" in c.provenance.source for c in fw.components)
    answers = {code: Response(code, value=value) for code, value in ANSWERS.items()}
    answers["6.2"] = Response("6.2", points=3)
    result = score(fw, answers)
    assert {code: c.points for code, c in result.components.items()} == pytest.approx(EXPECTED)
    assert result.points == pytest.approx(69.5) and result.dti == pytest.approx(0.695)


def test_department_index_from_heading_rows(tmp_path):
    data = xlsx_bytes(table_rows())
    fw = framework_from_catalogue(data, "chi-so-so-nganh.xlsx", "so-nganh-2025", title_vi="Bộ chỉ số sở, ngành")
    check_department_framework(fw, "chi-so-so-nganh.xlsx")
    assert fw.sources == [f"chi-so-so-nganh.xlsx (sha256 {hashlib.sha256(data).hexdigest()})"]
    assert fw.title_vi == "Bộ chỉ số sở, ngành" and fw.status == "draft" and fw.official_appendix == ""
    path = tmp_path / "so-nganh-2025.yaml"
    path.write_text(framework_to_yaml(fw), encoding="utf-8")
    assert load_framework_file(path) == fw


def test_roman_numeral_headings_and_components_numbered_within_them():
    romans = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V", "6": "VI"}
    rows = table_rows()
    for row in rows:
        if row[0] in romans:
            row[0] = romans[row[0]]
    fw = framework_from_catalogue(csv_bytes(rows), "phu-luc.csv", "so-nganh")
    check_department_framework(fw, "phu-luc.csv")


def test_main_index_named_in_a_group_column_with_headers_in_another_order():
    header = ["Nhóm chỉ số", "Phương pháp tính điểm", "Mã số", "Nội dung", "Minh chứng", "Điểm"]
    names = {code: title for code, title, _, _ in DEPARTMENT_ROWS if "." not in code}
    rows = [[f"{code.split('.')[0]}. {names[code.split('.')[0]]}", scoring, code, title, "Văn bản", points]
            for code, title, points, scoring in DEPARTMENT_ROWS if "." in code and code != "5.1"]
    fw = framework_from_catalogue(xlsx_bytes(rows, header=header), "tracker.xlsx", "so-nganh")
    check_department_framework(fw, "tracker.xlsx")
    assert fw.component_by_code["1.1"].evidence_vi == "Văn bản"


def test_main_points_from_the_sum_of_components_when_the_heading_has_none():
    rows = [[c, t, None if "." not in c else p, s, "", "", ""] for c, t, p, s in DEPARTMENT_ROWS]
    fw = framework_from_catalogue(xlsx_bytes(rows), "a.xlsx", "so-nganh")
    assert [m.max_points for m in fw.main_indices] == [40, 20, 10, 10, 10, 10]


def test_a_commune_index_with_another_total():
    rows = [["1", "Nhận thức số", 30, "", "", "", ""],
            ["1.1", "UBND xã có kế hoạch chuyển đổi số", 30, "Có: 30 điểm; Không: 0 điểm", "", "", ""],
            ["2", "Hạ tầng số", 20, "", "", "", ""],
            ["2.1", "Tỷ lệ thôn có cáp quang", 20, V_THRESHOLD_20, "", "", ""],
            ["", "Tổng cộng", 50, "", "", "", ""]]
    fw = framework_from_catalogue(xlsx_bytes(rows), "xa.xlsx", "xa-2025")
    assert fw.total_points == 50 and [c.rule.type for c in fw.components] == ["yes_no", "stepped"]
    assert score(fw, {"2.1": Response("2.1", value=75)}).points == pytest.approx(10)


V_THRESHOLD_20 = "≥ 90%: 20 điểm; từ 70% đến dưới 90%: 10 điểm; dưới 70%: 0 điểm"


def problems_of(data: bytes, name: str) -> list[str]:
    with pytest.raises(CatalogueError) as exc:
        framework_from_catalogue(data, name, "x")
    return [str(p) for p in exc.value.problems]


def test_points_that_do_not_add_up_are_refused_with_the_row():
    rows = table_rows()
    rows[1][2] = 15  # 1.1: the main index still says 40
    assert problems_of(xlsx_bytes(rows), "a.xlsx") == [
        "a.xlsx, row 3, main index 1: component points add up to 45 but main index 1 is worth 40; correct the points "
        "so they sum to 40"]
    rows = table_rows()
    rows[14][2] = 4  # 5.1.2: 5.1 says 10
    found = problems_of(xlsx_bytes(rows), "a.xlsx")
    assert "a.xlsx, row 15, component 5.1: the rows under it add up to 9 but it is worth 10; correct the points" \
        in found
    rows = table_rows() + [["", "Tổng cộng", 90, "", "", "", ""]]
    assert problems_of(xlsx_bytes(rows), "a.xlsx") == [
        "a.xlsx, row 21: the total says 90 points but the main indices add up to 100; correct the points"]


def test_duplicated_codes_and_missing_headings_and_points():
    rows = table_rows()
    rows.insert(3, list(rows[2]))  # 1.2 twice
    assert problems_of(xlsx_bytes(rows), "a.xlsx") == [
        "a.xlsx, row 6, component 1.2: appears again (first on row 5); keep one row"]
    rows = [r for r in table_rows() if r[0] != "3"]
    assert problems_of(xlsx_bytes(rows), "a.xlsx")[0] == (
        "a.xlsx, row 9, component 3.1: main index 3 has no heading row; add a row '3 | <name of the main index>' "
        "above it, or a group column")
    rows = table_rows()
    rows[2][2] = None
    assert "a.xlsx, row 5, component 1.2: max points are missing; write the points of this component" in \
        problems_of(xlsx_bytes(rows), "a.xlsx")
    rows = [[c, t, None, s, "", "", ""] for c, t, _, s in DEPARTMENT_ROWS]
    assert problems_of(xlsx_bytes(rows), "a.xlsx") == [
        "a.xlsx: has no points: the column of maximum points is empty; write the points of every component "
        "(Điểm tối đa)"]


# --- the command line contract ------------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dti", *args], capture_output=True, text=True,
                          cwd=registry.REPO_ROOT, timeout=120)


def test_cli_writes_a_new_framework_that_describe_and_score_accept(tmp_path):
    src = tmp_path / "chi-so-so-nganh.xlsx"
    src.write_bytes(xlsx_bytes(table_rows()))
    out = tmp_path / "so-nganh-2025.yaml"  # an edition's file is named after its id
    done = run_cli("import-catalogue", str(src), "--id", "so-nganh-2025", "--title-vi", "Bộ chỉ số sở, ngành 2025",
                   "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "10 scoring methods read into rules, 1 to review" in done.stdout
    assert "component 6.2: scoring method to review" in done.stdout
    check_department_framework(load_framework_file(out), "chi-so-so-nganh.xlsx")
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert doc["id"] == "so-nganh-2025" and doc["title_vi"] == "Bộ chỉ số sở, ngành 2025"

    text = run_cli("describe", str(out)).stdout
    assert "10 of 11 components are read from a file not stated to be the official appendix" in text
    assert "1 scoring methods wait for review" in text and "provisional" in text  # 6.2's rule is provisional
    described = run_cli("describe", str(out), "--json")
    assert described.returncode == 0, described.stderr
    info = json.loads(described.stdout)
    assert info["total_points"] == 100 and info["pillars"] == []
    comp = info["main_indices"][1]["components"][0]
    assert comp["rule"]["a_label_vi"] == A_MEETINGS and comp["provenance"] == "from_file"

    answers = tmp_path / "answers.csv"
    with answers.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["code", "value", "points"])
        writer.writerows([[code, value, ""] for code, value in ANSWERS.items()] + [["6.2", "", 3]])
    scored = run_cli("score", str(out), "--input", str(answers), "--json")
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["dti"] == pytest.approx(0.695)


def test_cli_official_flag_is_recorded(tmp_path):
    src = tmp_path / "phu-luc.xlsx"
    src.write_bytes(xlsx_bytes(table_rows()))
    out = tmp_path / "so-nganh.yaml"
    done = run_cli("import-catalogue", str(src), "--id", "so-nganh", "--official", "209/QĐ-UBND", "-o", str(out))
    assert done.returncode == 0, done.stderr
    fw = load_framework_file(out)
    assert fw.official_appendix == "209/QĐ-UBND" and fw.legal_basis == "Quyết định 209/QĐ-UBND"
    assert {c.provenance.title for c in fw.components} == {"official"}
    assert "official appendix of Decision 209/QĐ-UBND" in fw.components[0].provenance.source


def test_cli_refuses_with_one_line_per_problem_and_writes_nothing(tmp_path):
    rows = table_rows()
    rows[1][2] = 15
    rows[2][2] = "mười"
    src = tmp_path / "bad.xlsx"
    src.write_bytes(xlsx_bytes(rows))
    out = tmp_path / "out.yaml"
    done = run_cli("import-catalogue", str(src), "--id", "x", "-o", str(out))
    assert done.returncode == 1 and not out.exists()
    assert done.stderr.splitlines() == [
        "bad.xlsx, row 5, component 1.2: max points 'mười' is not a number; write a number such as 10"]
    assert "Traceback" not in done.stderr


def test_the_provincial_922_table_without_a_base_edition():
    from tests.test_catalogue import catalogue_rows
    from tests.test_catalogue import xlsx_bytes as xlsx_922

    fw = framework_from_catalogue(xlsx_922(catalogue_rows()), "phu-luc-1.xlsx", "dti-2022-from-file")
    assert (len(fw.main_indices), len(fw.components), fw.total_points) == (9, 98, 1000)
    unscored = fw.main_index_by_code["6"]
    assert not unscored.scored and {c.rule.type for c in unscored.components} == {"not_scored"}
    assert fw.component_by_code["2.1"].rule.type == "yes_no" and fw.component_by_code["2.2"].rule.type == "stepped"
    # 'Tỷ lệ a/b nhân 9 điểm' defines neither a nor b: a points box, sent to review
    assert fw.component_by_code["2.4"].rule.type == "direct" and fw.component_by_code["2.4"].scoring_review_vi


def test_a_tracker_with_the_main_index_on_every_row_and_no_codes():
    header = ["STT", "Chỉ số chính", "Chỉ tiêu", "Điểm", "Cách tính điểm"]
    rows = [["", "Nhận thức số", "Có kế hoạch chuyển đổi số năm", 10, "Có: Điểm tối đa; Không: 0"],
            ["", "Nhận thức số", "Họp Ban chỉ đạo", 20, "4 lần/năm: 20; 2 lần: 10; còn lại: 0"],
            ["", "Hạ tầng số", "Tỷ lệ thôn có cáp quang", 20, V_THRESHOLD_20]]
    fw = framework_from_catalogue(xlsx_bytes(rows, header=header), "tracker.xlsx", "xa")
    assert [(m.code, m.name_vi, m.max_points) for m in fw.main_indices] == [("1", "Nhận thức số", 30),
                                                                            ("2", "Hạ tầng số", 20)]
    assert [c.code for c in fw.components] == ["1.1", "1.2", "2.1"]
    assert [c.rule.type for c in fw.components] == ["yes_no", "stepped", "stepped"]


def test_roman_group_headings_above_numbered_main_indices():
    rows = table_rows()
    rows.insert(0, ["I", "Nhóm chỉ số nền tảng", None, "", "", "", ""])
    rows.insert(7, ["II", "Nhóm chỉ số hoạt động", None, "", "", "", ""])  # above main index 3
    fw = framework_from_catalogue(xlsx_bytes(rows), "a.xlsx", "so-nganh")
    assert [(g.code, g.name_vi) for g in fw.groups] == [("i", "Nhóm chỉ số nền tảng"), ("ii", "Nhóm chỉ số hoạt động")]
    assert [m.group for m in fw.main_indices] == ["i", "i", "ii", "ii", "ii", "ii"]
    check_department_framework(fw, "a.xlsx")


@pytest.mark.parametrize("numbering", [["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"], [1, 2, 3, 4, 5, 6, 7]])
def test_a_row_numbering_the_columns_under_the_header_is_skipped(numbering):
    fw = framework_from_catalogue(xlsx_bytes([numbering, *table_rows()]), "a.xlsx", "so-nganh")
    check_department_framework(fw, "a.xlsx")


def test_general_information_fields_are_read_from_their_section():
    info = [["A", "THÔNG TIN CHUNG", None, "", "", "", ""],
            ["1", "Dân số (người)", None, "", "", "", ""],
            ["2", "Số cơ quan, đơn vị trực thuộc (đơn vị)", None, "", "", "", ""],
            ["3", "Người liên hệ (họ tên, chức vụ, điện thoại)", None, "", "", "", ""],
            ["B", "CÁC CHỈ SỐ ĐÁNH GIÁ", None, "", "", "", ""]]
    fw = framework_from_catalogue(xlsx_bytes(info + table_rows()), "a.xlsx", "so-nganh")
    assert [(f.code, f.name_vi, f.kind, f.unit_vi, f.provenance) for f in fw.general_info] == [
        ("dan-so", "Dân số", "number", "người", "from_file"),
        ("so-co-quan-don-vi-truc", "Số cơ quan, đơn vị trực thuộc", "number", "đơn vị", "from_file"),
        ("nguoi-lien-he-ho-ten-chuc", "Người liên hệ (họ tên, chức vụ, điện thoại)", "text", "", "from_file")]
    check_department_framework(fw, "a.xlsx")
