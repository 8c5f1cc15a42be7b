"""Every validation message: start from the shipped 2022 edition as data, break one field, read the exact message.

A message is the path to the problem plus the fix, e.g.
``dti-2022-province.yaml: main index 2 → component 2.4 → max_points: -5 is negative; use a number ≥ 0``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
import yaml

from dti.framework import registry
from dti.framework.validation import FrameworkError, load_framework_file, parse_framework

FILE = "dti-2022-province.yaml"
SCHEMA_HINT = "(see config/schema/framework.schema.json)"


@pytest.fixture(scope="module")
def data2022() -> dict:
    with open(registry.resolve("dti-2022-province"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def main(d: dict, code: str) -> dict:
    return next(m for m in d["main_indices"] if m["code"] == code)


def comp(d: dict, code: str) -> dict:
    return next(c for c in main(d, code.split(".")[0])["components"] if c["code"] == code)


def pillar(d: dict, code: str) -> dict:
    return next(p for p in d["pillars"] if p["code"] == code)


def problems_after(data: dict, breaks: Callable[[dict], None]) -> list[str]:
    broken = copy.deepcopy(data)
    breaks(broken)
    with pytest.raises(FrameworkError) as exc:
        parse_framework(broken, FILE)
    return [str(p) for p in exc.value.problems]


def test_the_shipped_edition_is_valid(data2022):
    fw = parse_framework(copy.deepcopy(data2022), FILE)
    assert len(fw.components) == 98 and fw.total_points == 1000


# --- pydantic error kinds, each mapped to "path: what is wrong; the fix" ------------------------------

FIELD_BREAKS = [
    # negative number (greater_than_equal 0)
    ("negative", lambda d: comp(d, "2.4").update(max_points=-5),
     "main index 2 → component 2.4 → max_points: -5 is negative; use a number ≥ 0"),
    # greater_than_equal other than 0
    ("below", lambda d: d.update(year=1999), "year: 1999 is below 2000; use a number ≥ 2000"),
    # greater_than
    ("not above", lambda d: d.update(total_points=0), "total_points: 0 is not above 0; use a number > 0"),
    # less_than_equal, inside a rule (the discriminator tag is not shown)
    ("above", lambda d: comp(d, "1.1")["rule"]["levels"][0].update(share=1.5),
     "main index 1 → component 1.1 → rule → level top_leader → share: 1.5 is above 1; use a number ≤ 1"),
    # float_parsing
    ("text number", lambda d: comp(d, "2.4").update(max_points="mười"),
     "main index 2 → component 2.4 → max_points: 'mười' is not a number; write a number such as 10"),
    # int_parsing
    ("int", lambda d: d.update(year="năm"), "year: 'năm' is not a number; write a number such as 10"),
    # int_from_float
    ("whole", lambda d: d.update(year=2022.5), "year: 2022.5 is not a whole number; write a whole number such as 2022"),
    # missing
    ("missing", lambda d: comp(d, "2.4").pop("name_vi"), "main index 2 → component 2.4 → name_vi: is missing; add it"),
    # extra_forbidden (unknown field)
    ("unknown field", lambda d: comp(d, "2.4").update(colour="red"),
     f"main index 2 → component 2.4 → colour: is not a known field; remove it or correct its spelling {SCHEMA_HINT}"),
    # union_tag_invalid (unknown rule type)
    ("rule type", lambda d: comp(d, "2.4").update(rule={"type": "scale"}),
     "main index 2 → component 2.4 → rule: rule type 'scale' is unknown; use one of 'levels', 'ratio', 'stepped', "
     "'parts', 'yes_no', 'direct', 'not_scored'"),
    # union_tag_not_found
    ("no rule type", lambda d: comp(d, "2.4").update(rule={"levels": []}),
     "main index 2 → component 2.4 → rule: the rule has no 'type'; add type: levels, ratio, stepped, parts, yes_no, "
     "direct or not_scored"),
    # model_attributes_type
    ("rule not a mapping", lambda d: comp(d, "2.4").update(rule="yes_no"),
     "main index 2 → component 2.4 → rule: 'yes_no' is not a mapping; write its fields as 'name: value' lines"),
    # literal_error
    ("literal", lambda d: d.update(status="active"),
     "status: 'active' is not allowed; use one of 'in_force', 'superseded' or 'draft'"),
    # enum
    ("enum", lambda d: comp(d, "1.1")["provenance"].update(title="verified"),
     "main index 1 → component 1.1 → provenance → title: 'verified' is not allowed; use one of 'official', "
     "'from_file', 'derived' or 'provisional'"),
    # string_pattern_mismatch, one per pattern
    ("component code form", lambda d: comp(d, "2.4").update(code="2-4"),
     "main index 2 → component 2-4 → code: '2-4' has the wrong form; write main index and component number, "
     "e.g. '2.4' (or '2.4.1' for a deeper level)"),
    ("main code form", lambda d: main(d, "2").update(code="II"),
     "main index II → code: 'II' has the wrong form; write a number in quotes, e.g. '2'"),
    ("id form", lambda d: d.update(id="DTI 2022"),
     "id: 'DTI 2022' has the wrong form; write lowercase letters, digits and dashes, e.g. 'dti-2025-province'"),
    # too_short
    ("too short", lambda d: comp(d, "1.1")["rule"].update(levels=comp(d, "1.1")["rule"]["levels"][:1]),
     "main index 1 → component 1.1 → rule → levels: has too few items; give at least 2"),
    # string_too_short
    ("empty text", lambda d: comp(d, "2.4").update(name_vi=""),
     "main index 2 → component 2.4 → name_vi: is empty; write a text"),
    # string_type
    ("not text", lambda d: d.update(title_vi=5), "title_vi: 5 is not a text; write a text, in quotes if it looks "
     "like a number"),
    # list_type
    ("not a list", lambda d: pillar(d, "cq").update(main_indices="1"),
     "pillar cq → main_indices: '1' is not a list; write one '- item' per line"),
    # model_type
    ("not a mapping", lambda d: d["groups"].__setitem__(0, "foundation"),
     "group #1: 'foundation' is not a mapping; write its fields as 'name: value' lines"),
    # bool_parsing
    ("bool", lambda d: main(d, "2").update(scored="maybe"),
     "main index 2 → scored: 'maybe' is not true or false; write true or false"),
]


@pytest.mark.parametrize("breaks,expected", [(b, e) for _, b, e in FIELD_BREAKS], ids=[i for i, _, _ in FIELD_BREAKS])
def test_field_problem_reads_as_path_plus_fix(data2022, breaks, expected):
    assert f"{FILE}: {expected}" in problems_after(data2022, breaks)


# --- structural checks across fields --------------------------------------------------------------

def _duplicate_component(d):
    main(d, "2")["components"][4]["code"] = "2.4"


STRUCTURAL_BREAKS = [
    ("component sum", lambda d: comp(d, "2.4").update(max_points=comp(d, "2.4")["max_points"] + 10),
     "main index 2 → components: component points add up to 110 but the main index is worth 100; change the "
     "component points so they sum to 100"),
    ("total", lambda d: d.update(total_points=900),
     "total_points: main-index points add up to 1000 but total_points is 900; make them equal"),
    ("pillar sum", lambda d: pillar(d, "kt").update(max_points=600),
     "pillar kt → max_points: 600 but its main indices add up to 650; use 650"),
    ("pillar reference", lambda d: pillar(d, "xh")["main_indices"].append("10"),
     "pillar xh → main_indices: ['10'] are not main indices of this edition; use codes from "
     "['1', '2', '3', '4', '5', '6', '7', '8', '9']"),
    ("duplicate component", _duplicate_component,
     "component 2.4: code '2.4' is used 2 times; give each component its own code"),
    ("duplicate main index", lambda d: main(d, "9").update(code="8"),
     "main index 8: code '8' is used 2 times; give each main index its own code"),
    ("duplicate pillar", lambda d: pillar(d, "xh").update(code="kt"),
     "pillar kt: code 'kt' is used 2 times; give each pillar its own code"),
    ("duplicate group", lambda d: d["groups"][1].update(code="foundation"),
     "group foundation: code 'foundation' is used 2 times; give each group its own code"),
    ("group reference", lambda d: main(d, "2").update(group="basics"),
     "main index 2 → group: 'basics' is not a group of this edition; use one of ['activity', 'foundation']"),
    ("component not under its main index", lambda d: comp(d, "2.4").update(code="3.12"),
     "main index 2 → component 3.12 → code: '3.12' does not belong to main index 2; use a code starting with '2.'"),
    ("unscored main index with points", lambda d: main(d, "6").update(max_points=10),
     "main index 6 → max_points: 10 on an unscored main index; use 0 or set scored: true"),
    ("unscored component with points", lambda d: comp(d, "6.1").update(max_points=5),
     "main index 6 → component 6.1 → max_points: 5 in an unscored main index; use 0"),
    ("not_scored rule with points", lambda d: comp(d, "6.1").update(max_points=5),
     "main index 6 → component 6.1 → rule: not_scored but max_points is 5; use max_points: 0 or another rule type"),
    ("component count", lambda d: main(d, "3")["components"].pop(),
     "main index 3 → components: has 6 components but the edition has 7; add or remove components to match"),
    ("no components", lambda d: main(d, "9").update(components=[]),
     "main index 9 → components: has no components; list them, or set complete: false on the edition"),
    ("levels without full share", lambda d: comp(d, "1.1")["rule"]["levels"][0].update(share=0.9),
     "main index 1 → component 1.1 → rule: no level is worth the full points (share: 1); add one or the maximum "
     "is unreachable"),
    ("level keys repeat", lambda d: comp(d, "1.1")["rule"]["levels"][1].update(key="top_leader"),
     "main index 1 → component 1.1 → rule: level keys ['top_leader'] repeat; give each level its own key"),
    ("steps without full share", lambda d: comp(d, "1.1").update(rule={"type": "stepped", "steps": [
        {"min": 1, "share": 0.5}, {"min": 2, "share": 0.8}]}),
     "main index 1 → component 1.1 → rule: no step is worth the full points (share: 1); add one or the maximum "
     "is unreachable"),
    ("steps repeat", lambda d: comp(d, "1.1").update(rule={"type": "stepped", "steps": [
        {"min": 2, "share": 0.5}, {"min": 2, "share": 1}]}),
     "main index 1 → component 1.1 → rule: two steps have the same min; give each step its own min"),
    ("part shares", lambda d: comp(d, "1.1").update(rule={"type": "parts", "parts": [
        {"key": "a", "label_vi": "A", "label_en": "A", "share": 0.5},
        {"key": "b", "label_vi": "B", "label_en": "B", "share": 0.3}]}),
     "main index 1 → component 1.1 → rule: part shares add up to 0.8; make them add up to 1"),
    ("part keys repeat", lambda d: comp(d, "1.1").update(rule={"type": "parts", "parts": [
        {"key": "a", "label_vi": "A", "label_en": "A", "share": 0.5},
        {"key": "a", "label_vi": "B", "label_en": "B", "share": 0.5}]}),
     "main index 1 → component 1.1 → rule: part keys repeat; give each part its own key"),
    ("main points missing in a complete edition", lambda d: main(d, "2").pop("max_points"),
     "main index 2 → max_points: is missing; add the official points, or set complete: false on the edition"),
    ("pillar points missing in a complete edition", lambda d: pillar(d, "cq").pop("max_points"),
     "pillar cq → max_points: is missing; add the points of its main indices, or set complete: false on the edition"),
    ("edition component count", lambda d: d.update(expected_components=47),
     "main_indices: the edition lists 98 components but has 47; add or remove components to match"),
    ("incomplete without saying why", lambda d: d.update(complete=False),
     "missing_vi / missing_en: an incomplete edition must say what is missing and how to fix it; write both texts"),
]


@pytest.mark.parametrize("breaks,expected", [(b, e) for _, b, e in STRUCTURAL_BREAKS],
                         ids=[i for i, _, _ in STRUCTURAL_BREAKS])
def test_structural_problem_reads_as_path_plus_fix(data2022, breaks, expected):
    assert f"{FILE}: {expected}" in problems_after(data2022, breaks)


def test_every_problem_is_reported_at_once(data2022):
    def two_breaks(d):
        comp(d, "2.4").update(max_points=-5)
        d.update(status="active")

    found = problems_after(data2022, two_breaks)
    assert len(found) == 2


def test_incomplete_edition_may_leave_points_and_components_out(data2022):
    d = copy.deepcopy(data2022)
    d.update(complete=False, missing_vi="Chưa có điểm", missing_en="Points not known")
    for m in d["main_indices"]:
        m.pop("max_points")
        m["components"] = []
    for p in d["pillars"]:
        p.pop("max_points")
    fw = parse_framework(d, FILE)
    assert not fw.complete and fw.components == [] and fw.main_indices[0].max_points is None


# --- the file itself ------------------------------------------------------------------------------

def test_not_a_mapping():
    with pytest.raises(FrameworkError) as exc:
        parse_framework(["a", "list"], FILE)
    assert [str(p) for p in exc.value.problems] == [
        f"{FILE}: is not a framework: the file must be a YAML mapping with id, pillars, main_indices, … "
        "(see config/frameworks/dti-2022-province.yaml)"]


def test_broken_yaml_syntax_names_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\ntitle_vi: [unclosed\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as exc:
        load_framework_file(path)
    [message] = [str(p) for p in exc.value.problems]
    assert message.startswith("broken.yaml: line 3, column 1: ")
    assert message.endswith("; fix the YAML syntax (indentation, colons, quotes)")


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(FrameworkError) as exc:
        load_framework_file(path)
    assert [str(p) for p in exc.value.problems] == [f"{path}: file not found; check the path"]


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("title_vi: Chỉ số".encode("utf-16"))
    with pytest.raises(FrameworkError) as exc:
        load_framework_file(path)
    assert [str(p) for p in exc.value.problems] == ["latin.yaml: is not UTF-8 text; save it as UTF-8"]


def test_committed_json_schema_equals_the_generated_one():
    from dti.cli import schema_text

    committed = (registry.REPO_ROOT / "config" / "schema" / "framework.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "regenerate: python -m dti schema -o config/schema/framework.schema.json"


def test_shipped_yaml_points_editors_to_the_schema():
    first_line = registry.resolve("dti-2022-province").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schema/framework.schema.json"
    assert (registry.REPO_ROOT / "config" / "frameworks" / "../schema/framework.schema.json").is_file()
