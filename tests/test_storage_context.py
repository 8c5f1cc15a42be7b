"""Store behaviour behind "which assessment is shown" (SQLite and PostgreSQL): reading never creates a period,
what an actor may edit comes from the one rule that also refuses writes, copying into a period left empty."""

from __future__ import annotations

import pytest

from dti.scoring.engine import Response
from dti.storage import Actor, PeriodExists, PermissionDenied

COORD = Actor("coord", "coordinator")
VIEWER = Actor("viewer", "viewer")
EDITION = "all-rules"


def test_reading_a_period_that_does_not_exist_creates_nothing(store):
    assert store.assessment(EDITION, 2027, 1, create=False) is None
    assert store.assessments() == []
    created = store.assessment(EDITION, 2027, 1)
    assert store.assessment(EDITION, 2027, 1, create=False) == created
    assert [a.id for a in store.assessments()] == [created.id]


def test_editable_codes_are_what_writes_accept(store, fw_all_rules):
    pid = store.assessment(EDITION, 2025, 1).id
    mine = store.add_agency(COORD, "Sở Nội vụ")
    other = store.add_agency(COORD, "Sở Tài chính")
    store.assign(COORD, pid, "1.1", mine)
    store.assign(COORD, pid, "2.2", other, [mine])  # supporting: may edit too
    store.assign(COORD, pid, "1.3", other)
    agency = Actor("snv", "agency", mine)

    assert store.editable_codes(COORD, pid) is None  # every component
    assert store.editable_codes(VIEWER, pid) == set()
    assert store.editable_codes(agency, pid) == {"1.1", "2.2"}
    assert store.editable_codes(agency, None) == set()  # a period nobody saved into: nothing assigned yet
    for comp in fw_all_rules.components:
        allowed = comp.code in store.editable_codes(agency, pid)
        assert store.can_edit(agency, pid, comp.code) is allowed
        if not allowed:
            with pytest.raises(PermissionDenied):
                store.save_response(agency, pid, comp.code, 0, note="x")
    store.save_response(agency, pid, "2.2", 0, value="có")
    with pytest.raises(PermissionDenied):
        store.save_response(VIEWER, pid, "2.2", 1, value="không")
    with pytest.raises(PermissionDenied) as refused:
        store.import_responses(agency, pid, {"1.1": Response("1.1", "full"), "1.3": Response("1.3", "3")})
    assert refused.value.code == "1.3" and store.stored(pid)["2.2"].value == "có" and "1.1" not in store.stored(pid)


def test_copy_fills_a_period_that_exists_but_holds_nothing(store):
    q1 = store.assessment(EDITION, 2025, 1).id
    store.save_response(COORD, q1, "1.1", 0, value="half", evidence="QĐ 1")
    empty_q2 = store.assessment(EDITION, 2025, 2)  # opened by an older version of the app, never used
    copied = store.copy_period(COORD, q1, 2025, 2)
    assert copied.id == empty_q2.id
    assert store.stored(copied.id)["1.1"].value == "half" and store.stored(copied.id)["1.1"].evidence == "QĐ 1"


def test_copy_never_overwrites_a_period_that_holds_anything(store):
    q1 = store.assessment(EDITION, 2025, 1).id
    store.save_response(COORD, q1, "1.1", 0, value="half")
    q2 = store.assessment(EDITION, 2025, 2).id
    store.save_response(COORD, q2, "1.1", 0, value="full")
    with pytest.raises(PeriodExists):
        store.copy_period(COORD, q1, 2025, 2)
    assert store.stored(q2)["1.1"].value == "full"
    agency = store.add_agency(COORD, "Sở Nội vụ")
    q3 = store.assessment(EDITION, 2025, 3).id
    store.assign(COORD, q3, "1.1", agency)  # assignments only: still work someone did
    with pytest.raises(PeriodExists):
        store.copy_period(COORD, q1, 2025, 3)
    with pytest.raises(PermissionDenied):
        store.copy_period(VIEWER, q1, 2025, 4)
    assert store.assessment(EDITION, 2025, 4, create=False) is None
