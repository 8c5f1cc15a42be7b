"""Named what-if scenarios stored per period, on SQLite and PostgreSQL: saved, listed, renamed, deleted, kept
across a restart; who may write them is enforced by the Store."""

from __future__ import annotations

import pytest

from dti.roles import StorageError
from dti.storage import Actor, PermissionDenied, Store

COORD = Actor("coord", "coordinator")
VIEWER = Actor("viewer", "viewer")


@pytest.fixture
def period(store):
    return store.assessment("all-rules", 2025, 1)


def test_a_scenario_is_kept_across_a_restart(db_url, fw_all_rules):
    frameworks = {fw_all_rules.id: fw_all_rules}.__getitem__
    first = Store.open(db_url, frameworks=frameworks)
    a = first.assessment("all-rules", 2025, 1)
    first.save_scenario(COORD, a.id, "Đầu tư hạ tầng", {"1.1": 10.0}, {"1": 0.8})
    first.close()
    second = Store.open(db_url, frameworks=frameworks)
    [saved] = second.scenarios(a.id)
    assert (saved.name, saved.component_points, saved.main_values, saved.created_by) == \
        ("Đầu tư hạ tầng", {"1.1": 10.0}, {"1": 0.8}, "coord")
    assert second.scenarios(second.assessment("all-rules", 2025, 2).id) == []  # per period
    second.close()


def test_saving_again_updates_renaming_and_deleting(store, period):
    store.save_scenario(COORD, period.id, "A", {"1.1": 5.0}, {})
    store.save_scenario(COORD, period.id, "B", {}, {"1": 0.5})
    store.save_scenario(COORD, period.id, "A", {"1.1": 10.0}, {})
    assert [(s.name, s.component_points) for s in store.scenarios(period.id)] == [("A", {"1.1": 10.0}), ("B", {})]
    with pytest.raises(StorageError) as exc:
        store.rename_scenario(COORD, period.id, "A", "B")
    assert exc.value.key == "scenario_exists"
    store.rename_scenario(COORD, period.id, "A", "Kịch bản 1")
    assert [s.name for s in store.scenarios(period.id)] == ["Kịch bản 1", "B"]
    store.delete_scenario(COORD, period.id, "B")
    assert [s.name for s in store.scenarios(period.id)] == ["Kịch bản 1"]


def test_a_viewer_saves_no_scenario_and_an_agency_changes_only_its_own(store, period):
    agency_id = store.add_agency(COORD, "Sở Y tế")
    health = Actor("yte", "agency", agency_id)
    other = Actor("yte2", "agency", agency_id)
    with pytest.raises(PermissionDenied):
        store.save_scenario(VIEWER, period.id, "V", {}, {})
    store.save_scenario(COORD, period.id, "Của tỉnh", {}, {"1": 0.9})
    store.save_scenario(health, period.id, "Của sở", {"1.1": 5.0}, {})
    store.save_scenario(health, period.id, "Của sở", {"1.1": 10.0}, {})  # its own: updated
    for write in (lambda: store.save_scenario(health, period.id, "Của tỉnh", {}, {}),
                  lambda: store.rename_scenario(other, period.id, "Của sở", "X"),
                  lambda: store.delete_scenario(health, period.id, "Của tỉnh"),
                  lambda: store.delete_scenario(VIEWER, period.id, "Của sở")):
        with pytest.raises(PermissionDenied):
            write()
    store.delete_scenario(COORD, period.id, "Của sở")  # the coordinator manages every scenario
    assert [s.name for s in store.scenarios(period.id)] == ["Của tỉnh"]


@pytest.mark.parametrize(("name", "comps", "mains", "key"), [
    ("", {}, {}, "scenario_name"),
    ("x" * 61, {}, {}, "scenario_name"),
    ("Sai mã", {"99.9": 1.0}, {}, "scenario_invalid"),
    ("Không phải số", {"1.1": float("nan")}, {}, "scenario_invalid"),
])
def test_a_bad_scenario_is_refused(store, period, name, comps, mains, key):
    with pytest.raises(StorageError) as exc:
        store.save_scenario(COORD, period.id, name, comps, mains)
    assert exc.value.key == key
    assert store.scenarios(period.id) == []
