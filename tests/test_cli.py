"""``python -m dti`` as a user runs it: in a subprocess, reading exit codes, stdout JSON and stderr messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from dti.framework import registry
from tests.conftest import read_reference_csv

FRAMEWORKS = registry.REPO_ROOT / "config" / "frameworks"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "dti", *map(str, args)], capture_output=True, text=True,
                          cwd=registry.REPO_ROOT, timeout=120, env=env)
    assert "Traceback" not in done.stderr, done.stderr
    return done


# --- validate -------------------------------------------------------------------------------------

def test_validate_the_shipped_folder():
    done = run("validate", FRAMEWORKS)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any("dti-2022-province: 9 main indices, 98 components, 1000 points" in line for line in lines)
    assert len(lines) == len(list(FRAMEWORKS.glob("*.yaml")))


def test_validate_a_broken_file_one_line_per_problem(tmp_path):
    text = (FRAMEWORKS / "dti-2022-province.yaml").read_text(encoding="utf-8")
    text = text.replace("status: superseded", "status: active").replace("total_points: 1000", "total_points: -1")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")
    done = run("validate", broken, FRAMEWORKS / "dti-2022-province.yaml")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "broken.yaml: status: 'active' is not allowed; use one of 'in_force', 'superseded' or 'draft'",
        "broken.yaml: total_points: -1 is not above 0; use a number > 0",
    ]
    assert "dti-2022-province.yaml: ok" in done.stdout  # the good file is still reported


def test_validate_a_folder_without_yaml(tmp_path):
    done = run("validate", tmp_path)
    assert done.returncode == 1 and done.stderr.strip() == f"{tmp_path}: no .yaml files in this folder"


def test_validate_a_missing_file(tmp_path):
    done = run("validate", tmp_path / "nowhere.yaml")
    assert done.returncode == 1 and "nowhere.yaml: file not found; check the path" in done.stderr


# --- describe -------------------------------------------------------------------------------------

def test_describe_json_contract():
    done = run("describe", "dti-2022-province", "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert {"id", "title_vi", "title_en", "total_points", "pillars", "main_indices"} <= doc.keys()
    assert doc["id"] == "dti-2022-province" and doc["total_points"] == 1000
    pillars = {p["code"]: p for p in doc["pillars"]}
    for row in read_reference_csv("dti-2022-province/pillars.csv"):
        p = pillars[row["code"]]
        assert {"code", "name_vi", "name_en", "main_indices", "max_points"} <= p.keys()
        assert p["main_indices"] == row["main_indices"].split() and p["max_points"] == float(row["max_points"])
    structure = {r["code"]: r for r in read_reference_csv("dti-2022-province/structure.csv")}
    assert [m["code"] for m in doc["main_indices"]] == list(structure)
    for m in doc["main_indices"]:
        assert {"code", "name_vi", "name_en", "max_points", "scored", "components"} <= m.keys()
        assert m["name_vi"] == structure[m["code"]]["name_vi"]
        assert m["max_points"] == float(structure[m["code"]]["max_points"])
        assert len(m["components"]) == int(structure[m["code"]]["components"])
        assert m["scored"] is (m["code"] != "6")
        for c in m["components"]:
            assert {"code", "name_vi", "name_en", "max_points", "provenance", "rule"} <= c.keys()
            assert c["provenance"] in ("official", "derived", "provisional")
            assert c["rule"]["type"] in ("levels", "ratio", "stepped", "parts", "yes_no", "direct", "not_scored")


def test_describe_text_and_unknown_edition():
    done = run("describe", "dti-2022-province")
    assert done.returncode == 0 and "Nhận thức số / Digital awareness: 10 components, 100 points" in done.stdout
    bad = run("describe", "dti-1999")
    assert bad.returncode == 1 and bad.stderr.startswith("dti-1999: is neither a YAML file nor a known edition")


# --- score ----------------------------------------------------------------------------------------

ROWS = [("1.1", "top_leader"), ("1.3", "có"), ("1.4", "không")]


def write_inputs(tmp_path: Path, rows=ROWS) -> dict[str, Path]:
    csv_path = tmp_path / "answers.csv"
    csv_path.write_text("code,value,evidence\n" + "".join(f"{c},{v},doc {c}\n" for c, v in rows), encoding="utf-8")
    wb = Workbook()
    wb.active.append(["code", "value"])
    for row in rows:
        wb.active.append(list(row))
    xlsx_path = tmp_path / "answers.xlsx"
    wb.save(xlsx_path)
    json_path = tmp_path / "answers.json"
    json_path.write_text(json.dumps([{"code": c, "value": v} for c, v in rows], ensure_ascii=False),
                         encoding="utf-8")
    return {"csv": csv_path, "xlsx": xlsx_path, "json": json_path}


@pytest.mark.parametrize("kind", ["csv", "xlsx", "json"])
def test_score_input_files(tmp_path, kind):
    fw = registry.load("dti-2022-province")
    expected_points = fw.component_by_code["1.1"].max_points + fw.component_by_code["1.3"].max_points
    done = run("score", "dti-2022-province", "--input", write_inputs(tmp_path)[kind], "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert {"framework", "dti", "points", "max_points", "answered", "total", "pillars", "main_indices", "components",
            "lowest_main_indices", "lowest_pillars"} <= doc.keys()
    assert doc["framework"] == "dti-2022-province" and doc["answered"] == 3 and doc["total"] == 95
    assert doc["points"] == pytest.approx(expected_points)
    assert doc["dti"] == pytest.approx(expected_points / 1000)
    assert doc["main_indices"]["1"]["points"] == pytest.approx(expected_points)
    assert doc["components"]["1.4"] == {"points": 0.0, "max_points": fw.component_by_code["1.4"].max_points,
                                        "status": "answered"}
    assert doc["components"]["9.1"]["status"] == "missing"
    assert set(doc["pillars"]) == {"cq", "kt", "xh"}
    assert doc["pillars"]["kt"]["points"] == pytest.approx(expected_points)
    assert doc["pillars"]["kt"]["max_points"] == 650
    assert doc["lowest_main_indices"][-1] == "1"


def test_score_text_table(tmp_path):
    done = run("score", "dti-2022-province", "--input", write_inputs(tmp_path)["csv"])
    assert done.returncode == 0 and "answered 3/95" in done.stdout and "conservative estimate" in done.stdout


def test_score_main_values_reproduces_published_da_nang(tmp_path):
    facts = [r for r in read_reference_csv("published/dti-province-results.csv")
             if r["year"] == "2022" and r["province"] == "Đà Nẵng"]
    assert facts, "Đà Nẵng 2022 is in the reference data"
    fw = registry.load("dti-2022-province")
    measures = {m.published_measure: m.code for m in fw.main_indices if m.published_measure}
    values = {measures[r["measure"]]: r["value"] for r in facts if r["measure"] in measures}
    path = tmp_path / "mains.csv"
    path.write_text("code,value\n" + "".join(f"{c},{v}\n" for c, v in values.items()), encoding="utf-8")
    done = run("score", "dti-2022-province", "--main-values", path, "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    published = next(float(r["value"]) for r in facts if r["measure"] == "dti")
    assert doc["dti"] == pytest.approx(published, abs=6e-5)
    assert doc["main_indices"]["1"]["value"] == pytest.approx(float(values["1"]))
    assert doc["components"] == {}


@pytest.mark.parametrize("content,fragment", [
    ("code,value\n99.1,có\n", "answers.csv, row 2, component 99.1: is not a component of dti-2022-province"),
    ("code,points\n1.3,mười\n", "answers.csv, row 2, component 1.3: points 'mười' is not a number"),
    ("code,points\n1.3,500\n", "answers.csv, row 2, component 1.3: points 500 are over the maximum"),
    ("code,points\n1.3,-1\n", "answers.csv, row 2, component 1.3: points -1 are negative"),
    ("code,answer\n1.3,có\n", "answers.csv: needs columns 'code' and 'value' (or 'points')"),
    ("code,value\n1.1,excellent\n2.1,full\n1.4,maybe\n", "answers.csv, row 4, component 1.4: 'maybe' is not yes or no"),
])
def test_score_bad_inputs(tmp_path, content, fragment):
    path = tmp_path / "answers.csv"
    path.write_text(content, encoding="utf-8")
    done = run("score", "dti-2022-province", "--input", path)
    assert done.returncode == 1 and done.stdout == ""
    assert fragment in done.stderr, done.stderr


def test_score_unreadable_files(tmp_path):
    missing = run("score", "dti-2022-province", "--input", tmp_path / "nowhere.csv")
    assert missing.returncode == 1 and "nowhere.csv: file not found; check the path" in missing.stderr
    fake = tmp_path / "answers.xlsx"
    fake.write_bytes(b"not a workbook")
    done = run("score", "dti-2022-province", "--input", fake)
    assert done.returncode == 1 and "answers.xlsx: is not an Excel workbook (.xlsx)" in done.stderr
    values = tmp_path / "mains.csv"
    values.write_text("code,value\n1,1.7\n", encoding="utf-8")
    out_of_range = run("score", "dti-2022-province", "--main-values", values)
    assert out_of_range.returncode == 1
    assert out_of_range.stderr.startswith("mains.csv, row 2")
    assert "value 1.7 is out of range; write a value from 0 to 1" in out_of_range.stderr


def test_score_needs_exactly_one_input():
    done = run("score", "dti-2022-province")
    assert done.returncode == 2 and "give exactly one of --input FILE or --main-values FILE" in done.stderr


# --- schema ---------------------------------------------------------------------------------------

def test_schema_command_writes_the_committed_schema(tmp_path):
    out = tmp_path / "framework.schema.json"
    done = run("schema", "-o", out)
    assert done.returncode == 0
    committed = registry.REPO_ROOT / "config" / "schema" / "framework.schema.json"
    assert out.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "DTI framework edition"
