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
    at = open_page("pages/assessment.py", Actor("sonv", "agency", mine), {"ev_pop_1.2": True})
    assert not [u for u in at.get("file_uploader") if u.key and u.key.startswith("ev_up_")]
    assert "tai-chinh.pdf" not in " ".join(c.value for c in at.caption)
    assert any("1.2" in c.value for c in at.caption)  # says it is read-only
