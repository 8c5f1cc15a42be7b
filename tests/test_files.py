"""Answer files: one reader for every upload, one writer for every export, merge vs replace, file names."""

from __future__ import annotations

import pytest

from dti.scoring.engine import Response
from dti.storage import Actor, ImportPlan, ReplaceNotConfirmed

COORD = Actor("coord", "coordinator")


def test_a_blank_row_for_a_component_never_saved_does_not_break_a_replacing_import(store):
    a = store.assessment("all-rules", 2025, 1)
    store.save_response(COORD, a.id, "1.1", 0, value="full")
    # A re-uploaded partial download: 1.1 answered, 1.2 a blank row never saved in this period.
    upload = {"1.1": Response("1.1", "half"), "1.2": Response("1.2", None)}
    plan = store.import_plan(COORD, a.id, upload, replace=True)
    changed = store.import_responses(COORD, a.id, upload, source="a.csv", replace=True, confirmed=plan)
    assert changed == 1
    stored = store.stored(a.id)
    assert stored["1.1"].value == "half" and "1.2" not in stored


def test_replacing_needs_the_confirmed_plan_and_merging_is_the_default(store):
    a = store.assessment("all-rules", 2025, 1)
    store.save_response(COORD, a.id, "1.1", 0, value="full", evidence="QĐ 1")
    store.save_response(COORD, a.id, "1.2", 0, value="1/2")
    store.save_response(COORD, a.id, "2.2", 0, value="có")
    one_row = {"1.2": Response("1.2", "2/2")}

    plan = store.import_plan(COORD, a.id, one_row, replace=True)
    assert plan == ImportPlan(replaced=("1.2",), cleared=("1.1", "2.2"))
    with pytest.raises(ReplaceNotConfirmed) as refused:
        store.import_responses(COORD, a.id, one_row, replace=True)
    assert refused.value.plan == plan
    stale = ImportPlan(replaced=("1.2",), cleared=("1.1",))
    with pytest.raises(ReplaceNotConfirmed):
        store.import_responses(COORD, a.id, one_row, replace=True, confirmed=stale)
    assert store.stored(a.id)["1.2"].value == "1/2"  # nothing written

    # merging (the default) touches only the file's rows
    assert store.import_plan(COORD, a.id, one_row) == ImportPlan(replaced=("1.2",))
    assert store.import_responses(COORD, a.id, one_row) == 1
    stored = store.stored(a.id)
    assert stored["1.1"].evidence == "QĐ 1" and stored["2.2"].points == 10 and stored["1.2"].points == 10

    plan = store.import_plan(COORD, a.id, {"1.3": Response("1.3", "2")}, replace=True)
    assert plan == ImportPlan(added=("1.3",), cleared=("1.1", "1.2", "2.2"))
    assert store.import_responses(COORD, a.id, {"1.3": Response("1.3", "2")}, replace=True, confirmed=plan) == 4
    assert {c for c, r in store.stored(a.id).items() if r.is_answered} == {"1.3"}
    assert not store.stored(a.id)["1.1"].evidence
