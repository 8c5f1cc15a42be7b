"""Storage on SQLite and PostgreSQL: migrations, autosave and restart, conflicts, roles, periods, history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect

from dti.scoring.engine import InputProblems, Response, score
from dti.storage import Actor, ConflictError, ImportPlan, PeriodExists, PermissionDenied, Store, db

COORD = Actor("coord", "coordinator")
VIEWER = Actor("viewer", "viewer")


@pytest.fixture
def period(store):
    return store.assessment("all-rules", 2025, 1)


def test_migrations_create_every_table_from_empty(db_url):
    engine = db.make_engine(db_url)
    assert db.current_revision(engine) is None
    db.upgrade(engine)
    head = db.current_revision(engine)
    assert head == db.head_revision() is not None
    tables = set(inspect(engine).get_table_names())
    assert {"province_profile", "agency", "app_user", "assessment", "assignment", "response", "history",
            "evidence_file", "scenario", "general_info_answer", "login_session"} <= tables
    db.upgrade(engine)  # a second start is a no-op, not an error
    assert db.current_revision(engine) == head
    engine.dispose()


def test_every_save_is_kept_across_a_restart(db_url, fw_all_rules):
    frameworks = {fw_all_rules.id: fw_all_rules}.__getitem__
    first = Store.open(db_url, frameworks=frameworks)
    a = first.assessment("all-rules", 2025, 2)
    first.save_response(COORD, a.id, "1.1", 0, value="half", evidence="Quyết định 12/QĐ-UBND")
    first.save_response(COORD, a.id, "1.2", 0, value="45/60")
    first.close()  # the server stops: a new engine on the same database must see everything

    second = Store.open(db_url, frameworks=frameworks)
    assert second.assessment("all-rules", 2025, 2, create=False) == a
    stored = second.stored(a.id)
    assert stored["1.1"].value == "half" and stored["1.1"].points == 5.0
    assert stored["1.1"].evidence == "Quyết định 12/QĐ-UBND" and stored["1.1"].status == "in_progress"
    assert stored["1.2"].points == pytest.approx(7.5)
    assert second.result(a.id).points == pytest.approx(12.5)
    second.close()


def test_saving_the_same_value_again_makes_no_new_version(store, period):
    first = store.save_response(COORD, period.id, "2.2", 0, value="có")
    again = store.save_response(COORD, period.id, "2.2", first.version, value="có")
    assert again.version == first.version == 1
    assert len(store.history(period.id, "2.2")) == 1


def test_a_save_from_an_older_version_is_refused_and_shows_the_other_value(store, period):
    ann = Actor("ann", "coordinator")
    bob = Actor("bob", "coordinator")
    base = store.save_response(ann, period.id, "1.1", 0, value="none")
    store.save_response(ann, period.id, "1.1", base.version, value="full")  # Ann saves again: version 2
    with pytest.raises(ConflictError) as exc:
        store.save_response(bob, period.id, "1.1", base.version, value="half")  # Bob still edits version 1
    assert exc.value.current.value == "full" and exc.value.current.updated_by == "ann"
    assert "'full'" in str(exc.value) and "ann" in str(exc.value)
    assert store.stored(period.id)["1.1"].value == "full"  # nothing overwritten


def test_two_people_creating_the_same_answer_second_is_refused(store, period):
    store.save_response(Actor("ann", "coordinator"), period.id, "2.2", 0, value="có")
    with pytest.raises(ConflictError) as exc:
        store.save_response(Actor("bob", "coordinator"), period.id, "2.2", 0, value="không")
    assert exc.value.current.points == 10.0
    assert store.stored(period.id)["2.2"].value == "có"


def test_an_unreadable_value_is_refused_with_the_fix_and_nothing_saved(store, period):
    with pytest.raises(InputProblems) as exc:
        store.save_response(COORD, period.id, "1.1", 0, value="mostly")
    assert "write one of: full, half, none" in str(exc.value)
    assert store.stored(period.id) == {}


def test_an_agency_writes_only_its_own_components(store, period):
    so_tt = store.add_agency(COORD, "Sở Thông tin và Truyền thông")
    so_nv = store.add_agency(COORD, "Sở Nội vụ")
    store.assign(COORD, period.id, "1.1", so_tt, supporting=[so_nv])
    store.assign(COORD, period.id, "2.1", so_nv)
    tt, nv = Actor("tt", "agency", so_tt), Actor("nv", "agency", so_nv)

    store.save_response(tt, period.id, "1.1", 0, value="full")
    with pytest.raises(PermissionDenied, match="not assigned to your agency"):
        store.save_response(tt, period.id, "2.1", 0, value="attend")
    with pytest.raises(PermissionDenied, match="viewer"):
        store.save_response(VIEWER, period.id, "1.1", 1, value="none")
    with pytest.raises(PermissionDenied, match="coordinator"):
        store.assign(tt, period.id, "2.1", so_tt)
    with pytest.raises(PermissionDenied, match="coordinator"):
        store.set_appraisal(tt, period.id, "1.1", 5)
    store.save_response(nv, period.id, "1.1", 1, evidence="Báo cáo phối hợp")  # a supporting agency may add
    assert store.can_edit(tt, period.id, "1.1") and not store.can_edit(tt, period.id, "2.1")
    assert set(store.stored(period.id)) == {"1.1"}
    assert store.assignments(period.id) == {"1.1": (so_tt, [so_nv]), "2.1": (so_nv, [])}
    assert store.components_of(period.id, so_nv) == {"1.1", "2.1"}


def test_an_agency_import_touching_another_agencys_component_writes_nothing(store, period):
    mine = store.add_agency(COORD, "UBND huyện A")
    store.assign(COORD, period.id, "1.1", mine)
    agency = Actor("a", "agency", mine)
    with pytest.raises(PermissionDenied) as exc:
        store.import_responses(agency, period.id, {"1.1": Response("1.1", "full"), "2.2": Response("2.2", "có"),
                                                   "1.3": Response("1.3", 4)})
    assert exc.value.code == "1.3, 2.2"
    assert store.stored(period.id) == {}
    assert store.import_responses(agency, period.id, {"1.1": Response("1.1", "full")}, source="a.xlsx") == 1
    assert store.stored(period.id)["1.1"].points == 10.0
    assert store.history(period.id, "1.1")[-1].changes["source"] == [None, "a.xlsx"]


def test_import_with_points_only_keeps_the_points(store, period):
    store.import_responses(COORD, period.id, {"2.3": Response("2.3", points=7.5)})
    assert store.responses(period.id)["2.3"] == Response("2.3", value=None, points=7.5)
    assert store.result(period.id).main_indices["2"].points == 7.5


def test_appraisal_and_its_difference_to_the_self_score(store, period):
    saved = store.save_response(COORD, period.id, "1.3", 0, value=4)
    assert saved.points == 20 and saved.appraisal_difference is None
    appraised = store.set_appraisal(COORD, period.id, "1.3", 15, note="Thiếu biên bản họp quý 4")
    assert appraised.appraisal_points == 15 and appraised.appraisal_difference == -5
    assert appraised.version == 2
    with pytest.raises(InputProblems, match="over the maximum 20"):
        store.set_appraisal(COORD, period.id, "1.3", 25)


def test_history_is_appended_for_every_change(store, period):
    v1 = store.save_response(COORD, period.id, "1.1", 0, value="none")
    v2 = store.save_response(Actor("ann", "coordinator"), period.id, "1.1", v1.version, value="full", note="đã sửa")
    store.set_appraisal(COORD, period.id, "1.1", 5)
    history = store.history(period.id, "1.1")
    assert [(h.action, h.actor, h.version) for h in history] == [
        ("save", "coord", 1), ("save", "ann", 2), ("appraisal", "coord", 3)]
    assert history[1].changes == {"value": ["none", "full"], "points": [0.0, 10.0], "note": ["", "đã sửa"]}
    assert v2.version == 2


def test_progress_per_agency_and_who_is_late(store):
    period = store.assessment("all-rules", 2025, 3, due_date=date(2025, 9, 30))
    early = store.add_agency(COORD, "Sở Tài chính")
    late = store.add_agency(COORD, "Sở Y tế")
    idle = store.add_agency(COORD, "Sở Xây dựng")
    for code in ("1.1", "1.2"):
        store.assign(COORD, period.id, code, early)
    store.assign(COORD, period.id, "2.2", late)
    store.save_response(COORD, period.id, "1.1", 0, value="full", evidence="http://vb.gov.vn/1", status="done")
    store.save_response(COORD, period.id, "1.2", 0, value="1/2", status="done")
    store.save_response(COORD, period.id, "2.2", 0, value="có")
    progress = {p.name: p for p in store.progress(period.id, today=date(2025, 10, 1))}
    e, lt, i = progress["Sở Tài chính"], progress["Sở Y tế"], progress["Sở Xây dựng"]
    assert (e.assigned, e.answered, e.with_evidence, e.finished, e.late) == (2, 2, 1, 2, False)
    assert (lt.assigned, lt.answered, lt.with_evidence, lt.finished, lt.late) == (1, 1, 0, 0, True)
    assert (i.assigned, i.late) == (0, False)
    assert not {p.name: p for p in store.progress(period.id, today=date(2025, 9, 30))}["Sở Y tế"].late
    _ = idle


def test_copy_last_quarter_then_compare_the_two(store, period, fw_all_rules):
    agency = store.add_agency(COORD, "Sở Công Thương")
    store.assign(COORD, period.id, "1.1", agency)
    store.save_response(COORD, period.id, "1.1", 0, value="half", evidence="VB 1")
    store.save_response(COORD, period.id, "2.2", 0, value="không")

    q2 = store.copy_period(COORD, period.id, 2025, 2)
    assert (q2.year, q2.quarter, q2.edition_id) == (2025, 2, "all-rules")
    copied = store.stored(q2.id)
    assert copied["1.1"].value == "half" and copied["1.1"].evidence == "VB 1" and copied["1.1"].version == 1
    assert store.assignments(q2.id) == {"1.1": (agency, [])}
    with pytest.raises(PeriodExists):
        store.copy_period(COORD, period.id, 2025, 2)

    store.save_response(COORD, q2.id, "1.1", 1, value="full")
    store.save_response(COORD, q2.id, "2.2", 1, value="có")
    assert store.stored(period.id)["1.1"].value == "half"  # the old quarter is untouched

    cmp = store.compare(period.id, q2.id)
    expected_before = score(fw_all_rules, {"1.1": Response("1.1", "half"), "2.2": Response("2.2", "không")})
    expected_after = score(fw_all_rules, {"1.1": Response("1.1", "full"), "2.2": Response("2.2", "có")})
    assert cmp.dti.before == pytest.approx(expected_before.dti) and cmp.dti.after == pytest.approx(expected_after.dti)
    mains = {d.code: d for d in cmp.main_indices}
    assert mains["1"].delta == pytest.approx(5 / 40) and mains["2"].delta == pytest.approx(10 / 40)
    assert "4" not in mains  # the unscored main index has no value to compare
    pillars = {d.code: d.delta for d in cmp.pillars}
    assert pillars == pytest.approx({"p1": 5 / 60, "p2": 10 / 60})


def test_agencies_and_users_and_province(store):
    store.set_province(COORD, "Tỉnh Thử nghiệm", "TN")
    assert store.province() == ("Tỉnh Thử nghiệm", "TN")
    agency = store.add_agency(COORD, "Sở Khoa học và Công nghệ")
    with pytest.raises(Exception, match="exists already"):
        store.add_agency(COORD, "Sở Khoa học và Công nghệ")
    store.add_user("khcn", "agency", agency_id=agency, password_hash="x")
    assert store.user("khcn").agency_id == agency and store.user_count() == 1
    with pytest.raises(ValueError, match="needs its agency"):
        store.add_user("nobody", "agency")


def test_points_without_a_value_are_checked_and_kept(store, period):
    saved = store.save_response(COORD, period.id, "2.1", 0, value=None, points=0.0)  # "no part met"
    assert saved.is_answered and saved.points == 0.0 and store.responses(period.id)["2.1"].points == 0.0
    with pytest.raises(InputProblems, match="over the maximum 10"):
        store.save_response(COORD, period.id, "2.3", 0, value=None, points=12)


def test_replacing_clears_the_answers_missing_from_the_file_but_only_the_actors_own(store, period):
    mine = store.add_agency(COORD, "Sở A")
    for code in ("1.1", "1.2"):
        store.assign(COORD, period.id, code, mine)
    store.save_response(COORD, period.id, "1.1", 0, value="full")
    store.save_response(COORD, period.id, "1.2", 0, value="1/2")
    store.save_response(COORD, period.id, "2.2", 0, value="có")
    agency = Actor("a", "agency", mine)
    upload = {"1.2": Response("1.2", "2/2")}
    plan = store.import_plan(agency, period.id, upload, replace=True)
    assert plan == ImportPlan(replaced=("1.2",), cleared=("1.1",))
    assert store.import_responses(agency, period.id, upload, replace=True, confirmed=plan) == 2
    stored = store.stored(period.id)
    assert not stored["1.1"].is_answered and stored["1.2"].points == 10 and stored["2.2"].points == 10


def test_assignment_table_rows_are_written_back_only_where_changed(store, period, fw_all_rules):
    from dti.storage import views

    a = store.add_agency(COORD, "Sở A")
    b = store.add_agency(COORD, "Sở B")
    before = views.assignment_rows(fw_all_rules, store, period.id, "vi")
    assert before[0] == {"code": "1.1", "name": "Cấp độ ⚠ tạm đặt", "lead": "", "supporting": []}  # no "None"
    after = [dict(r) for r in before]
    after[0] |= {"lead": "Sở A", "supporting": ["Sở B"]}
    after[3] |= {"lead": "Sở B"}
    assert views.save_assignment_rows(COORD, store, period.id, before, after) == 2
    assert store.assignments(period.id) == {"1.1": (a, [b]), "2.1": (b, [])}
    again = views.assignment_rows(fw_all_rules, store, period.id, "vi")
    assert (again[0]["lead"], again[0]["supporting"], again[3]["lead"]) == ("Sở A", ["Sở B"], "Sở B")


def test_history_rows_show_the_latest_change_first(store, period):
    from dti.storage import views

    v1 = store.save_response(COORD, period.id, "1.1", 0, value="none")
    store.save_response(Actor("ann", "coordinator"), period.id, "1.1", v1.version, value="full")
    rows = views.history_rows(store, period.id, "vi")
    assert [(r["Người sửa"], r["Mã"]) for r in rows] == [("ann", "1.1"), ("coord", "1.1")]
    assert "Giá trị: Không → Đầy đủ" in rows[0]["Thay đổi (trước → sau)"]
    assert "Trạng thái: Chưa thực hiện → Đang thực hiện" in rows[1]["Thay đổi (trước → sau)"]
    assert rows[0]["Thao tác"] == "Lưu"


def test_simultaneous_saves_from_the_same_version_one_wins_the_other_is_told(db_url, fw_all_rules):
    """Two servers (engines) save the same component from version 1 at the same moment, many times over."""
    import threading

    frameworks = {fw_all_rules.id: fw_all_rules}.__getitem__
    stores = [Store.open(db_url, frameworks=frameworks) for _ in range(2)]
    pid = stores[0].assessment("all-rules", 2025, 1).id
    code = "1.3"

    def save(store, who, value, base_version, start, outcomes):
        start.wait()
        try:
            store.save_response(Actor(who, "coordinator"), pid, code, base_version, value=value)
            outcomes.append("saved")
        except ConflictError as exc:
            outcomes.append(f"conflict:{exc.current.updated_by}")

    for round_ in range(15):
        base = stores[0].stored_response(pid, code)
        base_version = base.version if base else 0
        start, outcomes = threading.Barrier(2), []
        threads = [threading.Thread(target=save, args=(s, f"user{i}", round_ * 2 + i, base_version, start, outcomes))
                   for i, s in enumerate(stores)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert sorted(outcomes)[1] == "saved" and sorted(outcomes)[0].startswith("conflict:user"), outcomes
        assert stores[0].stored_response(pid, code).version == base_version + 1
    assert len(stores[0].history(pid, "1.3")) == 15
    for s in stores:
        s.close()


def test_the_models_match_the_migrated_schema(db_url):
    """The SQLAlchemy models and the Alembic migrations describe the same tables (no drift either way)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from dti.storage.models import Base

    engine = db.make_engine(db_url)
    db.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
