"""The upload pages (Streamlit AppTest) given hostile files: the page shows the refusal with the file and the fix,
no exception, within the time bound, and the stored assessment is unchanged."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dti.framework import registry
from dti.storage import Actor, Store
from tests.hostile.conftest import raw_xlsx, within
from tests.hostile.test_hostile_text import DEEP_JSON, LONG_FIELD_CSV

pytestmark = pytest.mark.timeout(180)

APP = str(registry.REPO_ROOT / "app.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOMB = raw_xlsx([["code", "value"], ["1.1", "deputy"]], filler_bytes=200 << 20)


@pytest.fixture
def db(tmp_path, monkeypatch):
    """The app's own SQLite file, holding one saved answer, and a frameworks folder of its own."""
    folder = tmp_path / "frameworks"
    folder.mkdir()
    for name in ("dti-2022-province.yaml", "dti-2025-province.yaml"):
        shutil.copy(registry.DEFAULT_FRAMEWORKS_DIR / name, folder / name)
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(folder))
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    monkeypatch.setenv("DTI_DATABASE_URL", url)
    monkeypatch.delenv("DTI_DATA_DIR", raising=False)
    store = Store.open(url)
    info = store.assessment("dti-2022-province", 2025, 4)  # the app opens the latest period: this one
    store.save_response(Actor("local", "coordinator"), info.id, "1.1", 0, value="deputy", evidence="QĐ 1")
    yield store, info.id
    store.close()


def unchanged(db) -> tuple:
    store, assessment_id = db
    return ({c: (r.value, r.evidence, r.version) for c, r in store.stored(assessment_id).items()},
            len(store.history(assessment_id)))


def page(name: str, lang: str = "vi") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.error, *at.markdown, *at.code, *at.caption, *at.text])


@pytest.mark.parametrize("name, data, expected", [
    ("sau.json", DEEP_JSON, "lồng nhau sâu hơn 32 cấp"),
    ("dai.csv", LONG_FIELD_CSV, "dòng 2: có một trường quá dài hoặc dấu ngoặc kép không đóng"),
    ("bom.xlsx", BOMB, "có thể là bom nén"),
])
def test_assessment_page_upload_is_refused_and_changes_nothing(db, name, data, expected):
    before = unchanged(db)
    at = page("assessment")
    at.session_state["a_files"] = True  # open the download/upload panel
    at.run()
    with within(30):
        at.file_uploader(key="a_upload_0").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert not at.success
    text = shown(at)
    assert name in text and expected in text, text
    assert unchanged(db) == before


def test_import_export_page_refuses_a_zip_bomb(db):
    before = unchanged(db)
    at = page("import_export", lang="en")
    with within(30):  # the one upload panel checks the file as soon as it is chosen, before any button
        at.file_uploader(key="s_upload_0").set_value(("bomb.xlsx", BOMB, XLSX)).run()
    assert not at.exception, at.exception
    text = shown(at)
    assert "bomb.xlsx not loaded: 1 problem(s), no row was loaded" in text
    assert "zip member xl/worksheets/sheet1.xml inflates to 209.7 MB" in text and "possibly a zip bomb" in text
    assert unchanged(db) == before


def test_editions_page_refuses_a_catalogue_bomb(db):
    at = page("editions")
    data = raw_xlsx([["STT", "Tên chỉ số", "Điểm tối đa"], ["1", "Nhận thức số", 60]], filler_bytes=100 << 20)
    with within(30):
        at.file_uploader(key="ed_upload").set_value(("phu-luc-1.xlsx", data, XLSX)).run()
    assert not at.exception, at.exception
    assert "phu-luc-1.xlsx, zip member xl/worksheets/sheet1.xml: bung ra 104,9 MB" in shown(at)  # in the UI language


def test_peers_page_refuses_a_huge_field(db):
    at = page("peers")
    data = b"year,province,measure,value,rank,rank_of,source_url\n2024,X,dti,0.5,1,63,\"" + b"u" * 200_000 + b"\"\n"
    with within(30):
        at.file_uploader(key="peers_upload").set_value(("peers.csv", data, "text/csv")).run()
    assert not at.exception, at.exception
    assert "peers.csv, row 2: has a field far too long" in shown(at)


def test_evidence_typed_over_the_cap_is_not_saved_and_says_why(db):
    store, assessment_id = db
    at = page("assessment")
    with within(30):
        at.text_input(key="c_1.1_evidence").input("x" * 6000).run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "minh chứng dài 6.000 ký tự, quá giới hạn 5.000" in errors
    stored = store.stored(assessment_id)["1.1"]
    assert stored.evidence == "QĐ 1" and stored.version == 1
