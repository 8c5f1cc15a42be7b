"""The 2025 edition (structure only, cannot be scored until its catalogue is loaded), comparing editions and
carrying answers from one edition to another."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dti.framework import registry
from dti.io.catalogue import CatalogueError, import_catalogue
from dti.io.editions import carry_responses, compare_editions
from dti.roles import Actor
from dti.scoring.engine import EditionIncompleteError, Response, score, score_main_values
from tests.conftest import read_reference_csv
from tests.test_catalogue import catalogue_rows, xlsx_bytes

# A made-up 2025 catalogue: 47 components and 1000 points as the Decision says, but the split per main index
# is invented for the test (the real one is unknown to this project).
STRUCTURE_2025_FOR_TESTS = [("1", "Nhận thức số", 5, 100), ("2", "Thể chế số", 6, 100), ("3", "Hạ tầng số", 6, 100),
                            ("4", "Nhân lực số", 6, 100), ("5", "An toàn thông tin mạng", 6, 100),
                            ("6", "Hoạt động chính quyền số", 8, 200), ("7", "Hoạt động kinh tế số", 5, 150),
                            ("8", "Hoạt động xã hội số", 5, 150)]


COORDINATOR = Actor("coord", "coordinator")


@pytest.fixture(scope="module")
def fw2025():
    return registry.load("dti-2025-province")


@pytest.fixture(scope="module")
def official2022(fw2022):
    return import_catalogue(xlsx_bytes(catalogue_rows()), "appendix.xlsx", fw2022, new_id="dti-2022-official")


# --- the 2025 edition -----------------------------------------------------------------------------

def test_2025_structure_matches_the_reference(fw2025):
    reference = read_reference_csv("dti-2025-province/structure.csv")
    assert [(m.code, m.name_vi, m.name_en, m.group) for m in fw2025.main_indices] == [
        (r["code"], r["name_vi"], r["name_en"], r["group_en"]) for r in reference]
    for r in reference:
        for pillar in r["pillars"].split():
            assert r["code"] in fw2025.pillar_by_code[pillar].main_indices
    assert fw2025.total_points == 1000 and fw2025.expected_components == 47
    assert [p.code for p in fw2025.pillars] == ["cq", "kt", "xh"]


def test_2025_is_incomplete_and_reuses_no_2022_weight_nor_invents_components(fw2025):
    assert not fw2025.complete
    assert fw2025.components == []
    assert all(m.max_points is None for m in fw2025.main_indices)
    assert all(p.max_points is None for p in fw2025.pillars)
    assert all(m.provenance.points == "provisional" for m in fw2025.main_indices)
    assert "47" in fw2025.missing_vi and "Phụ lục 1" in fw2025.missing_vi
    assert "47 components" in fw2025.missing_en and "Appendix 1" in fw2025.missing_en


def test_2025_refuses_scoring_with_the_edition_what_is_missing_and_the_fix(fw2025):
    with pytest.raises(EditionIncompleteError) as exc:
        score_main_values(fw2025, {"1": 0.5})
    message = str(exc.value)
    assert message.startswith("dti-2025-province: this edition cannot be scored yet: ")
    assert "the points of each main index and the list of the 47 components" in message
    assert "import-catalogue" in message
    with pytest.raises(EditionIncompleteError):
        score(fw2025, {})


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dti", *map(str, args)], capture_output=True, text=True,
                          cwd=registry.REPO_ROOT, timeout=120)


def test_2025_on_the_command_line(tmp_path):
    validated = run("validate", registry.REPO_ROOT / "config" / "frameworks")
    assert validated.returncode == 0
    assert "dti-2025-province: 8 main indices, 0 components, 1000 points (incomplete edition: cannot be scored yet)" \
        in validated.stdout
    described = run("describe", "dti-2025-province")
    assert described.returncode == 0 and "Hoạt động xã hội số / Digital society activities" in described.stdout
    assert "cannot be scored yet" in described.stdout
    values = tmp_path / "mains.csv"
    values.write_text("code,value\n1,0.5\n", encoding="utf-8")
    scored = run("score", "dti-2025-province", "--main-values", values)
    assert scored.returncode == 1 and scored.stdout == "" and "Traceback" not in scored.stderr
    assert scored.stderr.startswith("dti-2025-province: this edition cannot be scored yet")


def test_loading_a_2025_catalogue_completes_the_edition(fw2025):
    fw = import_catalogue(xlsx_bytes(catalogue_rows(STRUCTURE_2025_FOR_TESTS)), "phu-luc-1.xlsx", fw2025)
    assert fw.complete and len(fw.components) == 47 and fw.total_points == 1000
    assert fw.pillar_by_code["cq"].max_points == 700 and fw.pillar_by_code["xh"].max_points == 650
    full = {c.code: Response(c.code, points=c.max_points) for c in fw.components}
    assert score(fw, full).dti == pytest.approx(1.0)


def test_a_2025_catalogue_with_a_missing_component_is_refused(fw2025):
    rows = [r for r in catalogue_rows(STRUCTURE_2025_FOR_TESTS) if r[0] != "8.5"]
    rows[[r[0] for r in rows].index("8.4")][2] = 60  # keep the points consistent: only the count is wrong
    with pytest.raises(CatalogueError) as exc:
        import_catalogue(xlsx_bytes(rows), "phu-luc-1.xlsx", fw2025)
    assert [str(p) for p in exc.value.problems] == [
        "phu-luc-1.xlsx: lists 46 components but dti-2025-province has 47; add the missing rows or remove the extra "
        "ones"]


# --- comparing editions ---------------------------------------------------------------------------

def test_compare_2022_and_2025_pairs_renumbered_main_indices_by_title(fw2022, fw2025):
    cmp = compare_editions(fw2022, fw2025)
    statuses = {(p.code_a, p.code_b): p.status for p in cmp.main_indices}
    assert statuses == {("1", "1"): "both", ("2", "2"): "both", ("3", "3"): "both", ("4", "4"): "both",
                        ("5", "5"): "both", ("6", None): "only_a", ("7", "6"): "same_title",
                        ("8", "7"): "same_title", ("9", "8"): "same_title"}
    smart_city = next(p for p in cmp.main_indices if p.status == "only_a")
    assert smart_city.name_a("vi") == "Đô thị thông minh" and smart_city.name_a("en") == "Smart city"
    assert cmp.count("component", "only_a") == 98 and cmp.count("component", "only_b") == 0


def test_compare_with_the_official_catalogue_pairs_components_by_code(fw2022, official2022):
    cmp = compare_editions(fw2022, official2022)
    assert cmp.count("main index", "both") == 9
    # The catalogue's (made-up) titles differ from the shipped placeholders: same code, other title.
    assert cmp.count("component", "same_code") == 98
    pair = next(p for p in cmp.components if p.code_a == "2.4")
    assert pair.name_b_vi == "Chỉ số thử nghiệm 2.4" and pair.code_b == "2.4"


def test_compare_ignores_case_and_diacritics_in_titles(fw2022):
    cmp = compare_editions(fw2022, fw2022)
    assert {p.status for p in cmp.main_indices + cmp.components} == {"both"}


# --- carrying answers -----------------------------------------------------------------------------

def test_carry_answers_that_still_read_under_the_new_rules(fw2022, official2022):
    answers = {
        "1.3": Response("1.3", points=5, evidence="QĐ số 1"),  # its catalogue text is unread: a points box
        "1.1": Response("1.1", value="top_leader"),  # a level in 2022, yes/no in the catalogue
        "2.4": Response("2.4", points=9),  # within the new maximum
        "1.5": Response("1.5", value=""),  # blank: nothing to carry
    }
    carried, dropped = carry_responses(answers, fw2022, official2022)
    assert set(carried) == {"1.3", "2.4"} and carried["1.3"].evidence == "QĐ số 1"
    assert [(d.code, d.reason) for d in dropped] == [
        ("1.1", "the answer does not fit the rule of dti-2022-official: 'top_leader' is not yes or no; "
                "write có/không (yes/no)")]
    after = score(official2022, carried)
    assert official2022.component_by_code["1.3"].rule.type == "direct"
    assert after.components["1.3"].points == 5


def test_carry_refuses_points_over_the_new_maximum_and_unknown_codes(fw2022, official2022, fw2025):
    carried, dropped = carry_responses({"2.4": Response("2.4", points=50)}, fw2022, official2022)
    assert carried == {} and "points 50 are over the maximum 9" in dropped[0].reason
    carried, dropped = carry_responses({"6.3": Response("6.3", value="x")}, official2022, fw2025)
    assert carried == {} and str(dropped[0]).startswith("component 6.3: dti-2025-province cannot be scored yet")


def test_carry_refuses_a_code_whose_official_title_changed(fw2022, official2022):
    rows = catalogue_rows()
    rows[[r[0] for r in rows].index("2.4")][1] = "Một chỉ số khác hẳn"
    other = import_catalogue(xlsx_bytes(rows), "appendix-v2.xlsx", fw2022, new_id="dti-2022-v2")
    carried, dropped = carry_responses({"2.4": Response("2.4", points=5), "2.5": Response("2.5", points=5)},
                                       official2022, other)
    assert set(carried) == {"2.5"}
    assert str(dropped[0]) == ("component 2.4: has another title in dti-2022-v2 ('Một chỉ số khác hẳn' instead of "
                               "'Chỉ số thử nghiệm 2.4'); answer it again")


def test_save_edition_writes_yaml_that_loads_and_never_overwrites_silently(official2022, tmp_path):
    from dti.framework.validation import load_framework_file
    from dti.io.editions import EditionExists, save_edition

    path = save_edition(official2022, COORDINATOR, folder=tmp_path)
    assert path == tmp_path / "dti-2022-official.yaml"
    assert load_framework_file(path) == official2022
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schema/framework.schema.json"
    assert lines[1:4] == ["id: dti-2022-official", f"title_vi: {official2022.title_vi}",
                          f"title_en: {official2022.title_en}"]
    assert "complete: true" in lines
    path.write_text("edited by hand", encoding="utf-8")
    with pytest.raises(EditionExists):
        save_edition(official2022, COORDINATOR, folder=tmp_path)
    assert path.read_text(encoding="utf-8") == "edited by hand"
    save_edition(official2022, COORDINATOR, folder=tmp_path, overwrite=True)
    assert load_framework_file(path) == official2022
    assert [p.name for p in tmp_path.iterdir()] == ["dti-2022-official.yaml"]  # no temporary file left
