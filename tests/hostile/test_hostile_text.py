"""CSV and JSON (answers uploads, ``score --input/--main-values``, the peers table, the agency table): deep
nesting, a 200,000-character field, 5000-digit numbers. Refused with a message, in seconds, exit 1 in the
CLI, nothing written; and the text caps enforced by Store for every write."""

from __future__ import annotations

import pytest

from dti.decide.peers import PublishedTableError, read_published_bytes
from dti.io.excel import ImportRefused
from dti.scoring.engine import InputProblems
from dti.storage.repo import Actor
from tests.hostile.conftest import run_cli, snapshot, within

pytestmark = pytest.mark.timeout(120)

DEEP_JSON = b"[" * 100_000 + b"]" * 100_000
LONG_FIELD_CSV = b"code,value,evidence\n1.1,full,\"" + b"e" * 200_000 + b"\"\n"
BIG_NUMBER_CSV = b"code,value\n1.3," + b"9" * 5000 + b"\n"
BIG_NUMBER_JSON = b'[{"code": "1.3", "value": ' + b"9" * 5000 + b"}]"

# name, bytes, the English message (after "file[, row n]: ")
CASES = {
    "deep.json": (DEEP_JSON, "deep.json: is nested deeper than 32 levels; an answers file is a list of objects "
                             '{"code": …, "value": …}'),
    "big.json": (BIG_NUMBER_JSON, "big.json: has a number longer than 30 digits; write the actual number "
                                  "(e.g. 0.75 or 12)"),
    "long.csv": (LONG_FIELD_CSV, "long.csv, row 2: has a field far too long or an unclosed quote (limit 10,000 "
                                 "characters a cell); close the quote and shorten the text"),
    "big.csv": (BIG_NUMBER_CSV, "big.csv, row 2: has a number longer than 30 digits; write the actual number "
                                "(e.g. 0.75 or 12)"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_score_input_refuses_with_one_line_and_exit_1(tmp_path, name):
    data, message = CASES[name]
    (tmp_path / name).write_bytes(data)
    done = run_cli("score", "tests/data/all-rules.yaml", "--input", tmp_path / name)
    assert done.returncode == 1
    assert done.stderr.strip() == message


def test_score_main_values_refuses_a_5000_digit_value(tmp_path):
    (tmp_path / "main.csv").write_bytes(b"code,value\n1,0." + b"5" * 5000 + b"\n")
    done = run_cli("score", "tests/data/all-rules.yaml", "--main-values", tmp_path / "main.csv")
    assert done.returncode == 1
    assert done.stderr.strip() == ("main.csv, row 2: has a number longer than 30 digits; write the actual number "
                                   "(e.g. 0.75 or 12)")


def test_score_input_refuses_a_device():
    done = run_cli("score", "tests/data/all-rules.yaml", "--input", "/dev/zero")
    assert done.returncode == 1 and "/dev/zero: is not a regular file" in done.stderr


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_upload_is_refused_and_nothing_changes(store, period, name):
    data, message = CASES[name]
    actor, assessment_id = period
    before = snapshot(store, assessment_id)
    with within(), pytest.raises(ImportRefused) as exc:
        store.import_file(actor, assessment_id, data, name)
    assert snapshot(store, assessment_id) == before
    assert [p.text("en") for p in exc.value.problems] == [message]
    assert all(p.text("vi") != p.text("en") for p in exc.value.problems)  # said in Vietnamese too


def test_the_peers_table_refuses_a_huge_field():
    data = b"year,province,measure,value,rank,rank_of,source_url\n2024,X,dti,0.5,1,63,\"" + b"u" * 200_000 + b"\"\n"
    with within(), pytest.raises(PublishedTableError) as exc:
        read_published_bytes(data, "peers.csv")
    assert exc.value.problems == ["peers.csv, row 2: has a field far too long or an unclosed quote (limit 10,000 "
                                  "characters a cell); close the quote and shorten the text"]


def test_the_agency_table_refuses_a_huge_field(fw_all_rules):
    from ui.decide import read_assignment

    with within(), pytest.raises(ValueError) as exc:
        read_assignment(fw_all_rules, b"code,agency\n1.1,\"" + b"a" * 200_000 + b"\"\n", "agencies.csv")
    assert "agencies.csv, row 2: has a field far too long" in str(exc.value)


# --- Store: the text caps hold for every write, not only for files ------------------------------------------

def test_store_refuses_evidence_over_the_cap_and_keeps_the_answer(store, period):
    actor, assessment_id = period
    before = snapshot(store, assessment_id)
    with pytest.raises(InputProblems) as exc:
        store.save_response(actor, assessment_id, "1.1", 1, value="full", evidence="x" * 200_000)
    assert snapshot(store, assessment_id) == before
    problem = exc.value.problems[0]
    assert str(problem) == ("component 1.1: evidence is 200,000 characters long, over the limit of 5,000 (about "
                            "two A4 pages); shorten it, name or link the documents instead of copying them")
    assert problem.text("vi").startswith("chỉ số 1.1: minh chứng dài 200.000 ký tự")


@pytest.mark.parametrize("field", ["note", "links"])
def test_store_refuses_a_note_or_links_over_the_cap(store, period, field):
    actor, assessment_id = period
    with pytest.raises(InputProblems, match=f"{field} is 5,001 characters long"):
        store.save_response(actor, assessment_id, "1.2", 0, value="1/2", **{field: "n" * 5001})
    assert "1.2" not in store.stored(assessment_id)


def test_store_refuses_an_appraisal_note_over_the_cap(store, period):
    actor, assessment_id = period
    before = snapshot(store, assessment_id)
    with pytest.raises(InputProblems, match="appraisal note is 9,000 characters long"):
        store.set_appraisal(actor, assessment_id, "1.1", 5, note="a" * 9000)
    assert snapshot(store, assessment_id) == before


def test_store_import_refuses_every_too_long_text_in_one_go(store, period):
    from dti.scoring.engine import Response

    actor, assessment_id = period
    before = snapshot(store, assessment_id)
    with pytest.raises(InputProblems, match="note is 6,000 characters long"):
        store.import_responses(actor, assessment_id, {"1.2": Response("1.2", "1/2", note="n" * 6000)})
    assert snapshot(store, assessment_id) == before


def test_text_at_the_cap_is_saved(store, period):
    actor, assessment_id = period
    saved = store.save_response(actor, assessment_id, "1.2", 0, value="1/2", evidence="é" * 5000)
    assert saved.evidence == "é" * 5000 and Actor  # exactly the limit is allowed


def test_a_deeply_nested_json_value_in_a_cell_is_refused_with_its_row(store, period):
    # Parts and ratios may be written as JSON in a cell: a cell of 5,000 '[' must not reach the recursion limit.
    actor, assessment_id = period
    before = snapshot(store, assessment_id)
    data = b"code,value\n1.1,full\n2.1," + b"[" * 5000 + b"\n"
    with within(), pytest.raises(ImportRefused) as exc:
        store.import_file(actor, assessment_id, data, "parts.csv")
    assert snapshot(store, assessment_id) == before
    assert [p.text("en") for p in exc.value.problems] == [
        "parts.csv, row 3, component 2.1: the value is nested deeper than 32 levels; write parts as "
        "attend;chair=0.5, a ratio as 45/60"]


def test_a_json_upload_with_more_rows_than_the_limit_is_refused(store, period):
    actor, assessment_id = period
    before = snapshot(store, assessment_id)
    data = ("[" + ",".join('{"code": "1.1", "value": "full"}' for _ in range(10_001)) + "]").encode()
    with within(), pytest.raises(ImportRefused) as exc:
        store.import_file(actor, assessment_id, data, "many.json")
    assert snapshot(store, assessment_id) == before
    assert [p.text("en") for p in exc.value.problems] == [
        "many.json: has more than 10,000 rows; keep only the data rows (a framework has about a hundred components)"]


def test_a_json_text_over_the_cell_limit_is_refused_with_its_row(store, period):
    actor, assessment_id = period
    data = ('[{"code": "1.1", "value": "full"}, {"code": "1.2", "value": "1/2", "note": "' + "n" * 20_000
            + '"}]').encode()
    with within(), pytest.raises(ImportRefused) as exc:
        store.import_file(actor, assessment_id, data, "long.json")
    assert [p.text("en") for p in exc.value.problems] == [
        "long.json, row 3: holds 20,000 characters, over the limit of 10,000 for a cell; shorten it and keep long "
        "material in the attached evidence"]


def test_a_list_of_numbers_in_a_note_is_text_not_a_long_number(store, period):
    # Only one number of more than 30 digits is refused; a note listing document numbers is kept as written.
    actor, assessment_id = period
    note = ", ".join(str(1000 + i) for i in range(20))  # 80 digits, spaces between
    assert store.import_file(actor, assessment_id, f"code,value,note\n1.2,1/2,\"{note}\"\n".encode(), "ok.csv") == 1
    assert store.stored(assessment_id)["1.2"].note == note


@pytest.mark.parametrize("data, message", [
    (b"code,value\n" + b"1.1,full\n" * 10_001,
     "rows.csv: has more than 10,000 rows; keep only the data rows (a framework has about a hundred components)"),
    (b"code,value" + b",x" * 300 + b"\n1.1,full\n",
     "rows.csv, row 1: has 302 columns, over the limit of 200; use the template's columns"),
])
def test_a_csv_over_the_row_or_column_limit_is_refused(store, period, data, message):
    actor, assessment_id = period
    before = snapshot(store, assessment_id)
    with within(), pytest.raises(ImportRefused) as exc:
        store.import_file(actor, assessment_id, data, "rows.csv")
    assert snapshot(store, assessment_id) == before
    assert [p.text("en") for p in exc.value.problems] == [message]
