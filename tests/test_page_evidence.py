"""Evidence files and saved scenarios in the app (Streamlit AppTest), over a fresh database each test."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dti.framework import registry
from dti.storage import Actor, Store
from ui import state

COORD = Actor("coord", "coordinator")
APP = str(registry.REPO_ROOT / "app.py")
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)


@pytest.fixture
def db(db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DTI_DATABASE_URL", db_url)
    monkeypatch.delenv("DTI_DATA_DIR", raising=False)
    monkeypatch.setenv("DTI_EVIDENCE_DIR", str(tmp_path / "evidence"))
    state._open_store.clear()
    store = Store.open(db_url)
    yield store
    store.close()
    state._open_store.clear()


def open_page(page: str, actor: Actor | None = None, state_values: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if actor is not None:
        at.session_state["actor"] = actor
    for k, v in (state_values or {}).items():
        at.session_state[k] = v
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def test_an_agency_uploads_lists_and_deletes_evidence_of_its_component_from_the_form(db):
    pid = db.assessment("dti-2022-province", 2025, 4).id
    mine = db.add_agency(COORD, "Sở Nội vụ")
    db.assign(COORD, pid, "1.1", mine)
    agency = Actor("sonv", "agency", mine)
    at = open_page("pages/assessment.py", agency, {"ev_pop_1.1": True})
    at.file_uploader(key="ev_up_0_1.1").set_value(("Quyết định [x](a).pdf", PDF, "application/pdf")).run()
    assert not at.exception
    [saved] = db.evidence_files(COORD, pid)
    assert (saved.code, saved.file_name, saved.uploaded_by) == ("1.1", "Quyết định [x](a).pdf", "sonv")
    shown = " ".join(s.value for s in at.success)
    assert "Quyết định \\[x\\]" in shown  # the user's name is shown as text, not as a link
    assert [h.action for h in db.history(pid, "1.1")] == ["evidence_add"]

    at.file_uploader(key="ev_up_1_1.1").set_value(("setup.pdf", EXE, "application/pdf")).run()
    assert any("setup.pdf" in e.value and "nội dung" in e.value for e in at.error)
    assert len(db.evidence_files(COORD, pid)) == 1

    at.button(key=f"ev_del_{saved.id}_1.1").click().run()
    assert db.evidence_files(COORD, pid) == []
    assert [h.action for h in db.history(pid, "1.1")] == ["evidence_add", "evidence_delete"]


def test_another_agencys_component_shows_no_files_and_no_uploader(db):
    pid = db.assessment("dti-2022-province", 2025, 4).id
    mine = db.add_agency(COORD, "Sở Nội vụ")
    other = db.add_agency(COORD, "Sở Tài chính")
    db.assign(COORD, pid, "1.1", mine)
    db.assign(COORD, pid, "1.2", other)
    db.add_evidence(Actor("stc", "agency", other), pid, "1.2", PDF, "tai-chinh.pdf")
    # "All agencies" chosen in the filter (an agency starts on its own components): 1.2 is shown, read-only.
    at = open_page("pages/assessment.py", Actor("sonv", "agency", mine), {"ev_pop_1.2": True, "a_agency": None})
    assert not [u for u in at.get("file_uploader") if u.key and u.key.startswith("ev_up_")]
    assert "tai-chinh.pdf" not in " ".join(c.value for c in at.caption)
    assert any("1.2" in c.value for c in at.caption)  # says it is read-only


def run_scenarios(actor: Actor | None = None, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(registry.REPO_ROOT / "pages" / "scenarios.py"), default_timeout=60)
    if actor is not None:
        at.session_state["actor"] = actor
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_scenario_survives_a_server_restart_and_is_renamed_and_deleted(db):
    at = run_scenarios()
    at.text_input(key="decide_new_name").input("Nâng hạ tầng").run()
    at.button(key="decide_create").click().run()
    pid = db.latest_assessment("dti-2022-province").id
    assert [s.name for s in db.scenarios(pid)] == ["Nâng hạ tầng"]
    # An edit of the scenario (main index 4 at 0,9) is saved at once.
    editor_key = next(k for k in at.session_state if str(k).startswith("decide_ed_") and str(k).endswith("_m"))
    at.session_state[editor_key] = {"edited_rows": {3: {"Giá trị kịch bản": 0.9}}, "added_rows": [],
                                    "deleted_rows": []}
    at.run()
    assert not at.exception
    assert db.scenarios(pid)[0].main_values == {"4": 0.9}

    state._open_store.clear()  # the server restarts: a new process, a new engine, a fresh session
    fresh = run_scenarios()
    assert fresh.selectbox(key="decide_selected").options == ["Nâng hạ tầng"]
    assert "Nâng hạ tầng" in str(fresh.query_params["scn"]) and "m4:0.9" in str(fresh.query_params["sc"])

    fresh.text_input(key="decide_rename_Nâng hạ tầng").input("Hạ tầng số").run()
    fresh.button(key="decide_rename_go_Nâng hạ tầng").click().run()
    assert [s.name for s in db.scenarios(pid)] == ["Hạ tầng số"]
    assert fresh.selectbox(key="decide_selected").value == "Hạ tầng số"
    fresh.button(key="decide_delete").click().run()
    assert db.scenarios(pid) == []
    assert any("Chưa có kịch bản nào" in i.value for i in run_scenarios().info)


def test_a_shared_link_still_opens_and_a_viewer_saves_nothing(db):
    pid = db.assessment("dti-2022-province", 2025, 4).id
    db.save_scenario(COORD, pid, "Kịch bản A", {}, {"9": 0.5})
    viewer = Actor("xem", "viewer")
    at = run_scenarios(viewer, {"scn": "Kịch bản A", "sc": "m9:0.8"})
    assert any("Kịch bản A (2)" in s.value for s in at.success)  # beside the saved one, never over it
    assert set(at.selectbox(key="decide_selected").options) == {"Kịch bản A", "Kịch bản A (2)"}
    assert any("chỉ xem" in c.value.lower() for c in at.caption)
    assert [(s.name, s.main_values) for s in db.scenarios(pid)] == [("Kịch bản A", {"9": 0.5})]

    agency = Actor("so", "agency", db.add_agency(COORD, "Sở Nội vụ"))
    at = run_scenarios(agency, {"scn": "Của sở", "sc": "m9:0.7"})
    assert [(s.name, s.created_by) for s in db.scenarios(pid)] == [("Kịch bản A", "coord"), ("Của sở", "so")]


def test_the_coordinator_sees_evidence_files_in_progress_and_history(db):
    pid = db.assessment("dti-2022-province", 2025, 1).id
    a = db.add_agency(COORD, "Sở Nội vụ")
    db.assign(COORD, pid, "1.3", a)
    db.assign(COORD, pid, "1.4", a)
    db.save_response(COORD, pid, "1.3", 0, value="có")
    db.add_evidence(Actor("snv", "agency", a), pid, "1.3", PDF, "cong-van.pdf")
    at = open_page("pages/coordinator.py")
    progress = at.dataframe[0].value
    assert list(progress["Có tệp minh chứng"]) == [1] and list(progress["Thiếu minh chứng"]) == [1]
    history = next(d.value for d in at.dataframe if "Thao tác" in d.value.columns)
    assert "Thêm tệp minh chứng" in list(history["Thao tác"])
    assert any("cong-van.pdf" in str(w) for w in history.iloc[:, -1])


def test_the_agency_page_has_the_evidence_button_of_each_own_component(db):
    pid = db.assessment("dti-2022-province", 2025, 4).id
    mine = db.add_agency(COORD, "Sở Nội vụ")
    db.assign(COORD, pid, "1.1", mine)
    agency = Actor("sonv", "agency", mine)
    at = open_page("pages/agency.py", agency, {"ev_pop_1.1": True})
    at.file_uploader(key="ev_up_0_1.1").set_value(("bao-cao.pdf", PDF, "application/pdf")).run()
    assert not at.exception
    assert [f.file_name for f in db.evidence_files(agency, pid, "1.1")] == ["bao-cao.pdf"]
