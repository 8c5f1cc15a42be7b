"""General information of an assessment ('Thông tin chung': population, contact person …): stored, role-checked,
shown at the top of the Self-assessment page, and the sidebar label of a province's own framework."""

from types import SimpleNamespace

import pytest

from dti.framework.model import GeneralInfoField
from dti.limits import MAX_TEXT_CHARS
from dti.scoring.engine import InputProblems
from dti.storage import Actor, PermissionDenied, StorageError, Store
from dti.storage.repo import GENERAL_INFO

COORD = Actor("coord", "coordinator")
VIEWER = Actor("viewer", "viewer")


@pytest.fixture
def fw_info(fw_all_rules):
    """The all-rules edition with two general-information fields, a number and a text."""
    return fw_all_rules.model_copy(update={"general_info": [
        GeneralInfoField(code="dan-so", name_vi="Dân số", name_en="Population", kind="number", unit_vi="người",
                         unit_en="people"),
        GeneralInfoField(code="nguoi-lien-he-ho-ten-chuc", name_vi="Người liên hệ", name_en="Contact person",
                         kind="text")]})


@pytest.fixture
def info_store(db_url, fw_info):
    s = Store.open(db_url, frameworks={fw_info.id: fw_info}.__getitem__)
    yield s
    s.close()


def test_a_saved_field_is_read_back_cleaned_and_logged(info_store, fw_info):
    aid = info_store.assessment(fw_info.id, 2025, 1).id
    assert info_store.general_info(aid) == {}
    assert info_store.save_general_info(COORD, aid, "nguoi-lien-he-ho-ten-chuc", "  Nguyễn Văn A\x00, 0912 ") is True
    assert info_store.save_general_info(COORD, aid, "dan-so", "1250000") is True
    assert info_store.general_info(aid) == {"nguoi-lien-he-ho-ten-chuc": "Nguyễn Văn A, 0912", "dan-so": "1250000"}
    assert info_store.save_general_info(COORD, aid, "dan-so", "1250000") is False  # unchanged: no history row
    assert info_store.save_general_info(COORD, aid, "dan-so", "1300000") is True
    logged = info_store.history(aid, GENERAL_INFO)
    assert [(h.action, h.changes, h.actor) for h in logged] == [
        ("general_info", {"nguoi-lien-he-ho-ten-chuc": ["", "Nguyễn Văn A, 0912"]}, "coord"),
        ("general_info", {"dan-so": ["", "1250000"]}, "coord"),
        ("general_info", {"dan-so": ["1250000", "1300000"]}, "coord")]
    assert info_store.save_general_info(COORD, aid, "dan-so", "  ") is True  # blank clears it
    assert info_store.general_info(aid) == {"nguoi-lien-he-ho-ten-chuc": "Nguyễn Văn A, 0912"}


def test_an_agency_may_write_and_a_viewer_is_refused(info_store, fw_info):
    aid = info_store.assessment(fw_info.id, 2025, 1).id
    agency = Actor("so-a", "agency", info_store.add_agency(COORD, "Sở A"))
    assert info_store.save_general_info(agency, aid, "dan-so", "900000")
    with pytest.raises(PermissionDenied):
        info_store.save_general_info(VIEWER, aid, "dan-so", "1")
    assert info_store.general_info(aid) == {"dan-so": "900000"}
    assert len(info_store.history(aid, GENERAL_INFO)) == 1


def test_an_unknown_field_or_a_too_long_text_is_refused_and_nothing_saved(info_store, fw_info):
    aid = info_store.assessment(fw_info.id, 2025, 1).id
    with pytest.raises(StorageError):
        info_store.save_general_info(COORD, aid, "khong-co", "x")
    with pytest.raises(InputProblems) as refused:
        info_store.save_general_info(COORD, aid, "nguoi-lien-he-ho-ten-chuc", "x" * (MAX_TEXT_CHARS + 1))
    assert "nguoi-lien-he-ho-ten-chuc" in refused.value.problems[0].code
    assert info_store.general_info(aid) == {}
    assert info_store.history(aid) == []


def test_a_number_field_keeps_one_language_free_form_and_refuses_a_non_number(info_store, fw_info):
    aid = info_store.assessment(fw_info.id, 2025, 1).id
    info_store.save_general_info(COORD, aid, "dan-so", 1250000.0)
    assert info_store.general_info(aid) == {"dan-so": "1250000"}
    info_store.save_general_info(COORD, aid, "dan-so", "1.125")  # the stored form: '.' is the decimal point
    assert info_store.general_info(aid) == {"dan-so": "1.125"}
    for bad in ("một triệu", "nan", "inf"):
        with pytest.raises(InputProblems) as refused:
            info_store.save_general_info(COORD, aid, "dan-so", bad)
        message = refused.value.problems[0].message_vi
        assert bad in message and "không phải là số" in message
    assert info_store.general_info(aid) == {"dan-so": "1.125"}


def test_the_answers_go_with_their_assessment(info_store, fw_info):
    first = info_store.assessment(fw_info.id, 2025, 1).id
    second = info_store.assessment(fw_info.id, 2025, 2).id
    info_store.save_general_info(COORD, first, "dan-so", "1")
    assert info_store.general_info(second) == {}


# --- the section on the Self-assessment page (AppTest over the shipped 2022 edition, which has such fields) ------


@pytest.fixture
def app_db(db_url, monkeypatch):
    monkeypatch.setenv("DTI_DATABASE_URL", db_url)
    monkeypatch.delenv("DTI_DATA_DIR", raising=False)
    store = Store.open(db_url)
    yield store
    store.close()


def open_assessment(actor: Actor | None = None, lang: str = "vi"):
    from streamlit.testing.v1 import AppTest

    from dti.framework import registry

    at = AppTest.from_file(str(registry.REPO_ROOT / "app.py"), default_timeout=60)
    if actor is not None:
        at.session_state["actor"] = actor
    if lang != "vi":
        at.session_state["lang"] = lang
    at.switch_page("pages/assessment.py")
    at.run()
    assert not at.exception, at.exception
    return at


def info_input(at, code: str):
    found = [w for w in at.text_input if str(w.key).startswith("gi") and str(w.key).endswith(f"_{code}")]
    assert len(found) == 1, [w.key for w in at.text_input]
    return found[0]


def test_a_field_filled_on_the_page_is_there_in_a_fresh_session(app_db):
    at = open_assessment()
    assert [e.label for e in at.expander][:1] == ["Thông tin chung"]
    info_input(at, "population").input("1.250.000").run()  # Vietnamese thousands separators
    info_input(at, "contact").input("Nguyễn Văn A, Phó Giám đốc Sở TT&TT, 0912 345 678").run()
    assert not at.exception
    aid = app_db.latest_assessment("dti-2022-province").id
    assert app_db.general_info(aid) == {"population": "1250000",
                                        "contact": "Nguyễn Văn A, Phó Giám đốc Sở TT&TT, 0912 345 678"}
    again = open_assessment()  # a reload, a new tab
    assert info_input(again, "population").value == "1250000"
    assert info_input(again, "contact").value == "Nguyễn Văn A, Phó Giám đốc Sở TT&TT, 0912 345 678"
    assert app_db.general_info(aid) == {"population": "1250000",  # showing it saved nothing new
                                        "contact": "Nguyễn Văn A, Phó Giám đốc Sở TT&TT, 0912 345 678"}
    assert len(app_db.history(aid, GENERAL_INFO)) == 2
    english = open_assessment(lang="en")
    assert [e.label for e in english.expander][:1] == ["General information"]
    assert info_input(english, "population").value == "1250000"


def test_a_malformed_number_is_refused_at_the_field_and_nothing_saved(app_db):
    at = open_assessment()
    info_input(at, "districts").input("mười").run()
    assert not at.exception
    assert any("mười" in e.value for e in at.error), [e.value for e in at.error]
    assert info_input(at, "districts").value == "mười"  # the typed text stays, to be corrected
    found = app_db.latest_assessment("dti-2022-province")
    assert found is None or app_db.general_info(found.id) == {}


def test_a_viewer_sees_the_fields_read_only(app_db):
    aid = app_db.assessment("dti-2022-province", 2026, 4).id
    app_db.save_general_info(COORD, aid, "contact", "Trần Thị B")
    at = open_assessment(Actor("xem", "viewer"))
    assert info_input(at, "contact").value == "Trần Thị B"
    assert all(w.disabled for w in at.text_input if str(w.key).startswith("gi"))


# --- the sidebar label of a province's own framework ---------------------------------------------------------


def test_a_framework_without_a_decision_is_labelled_by_its_shortened_title_not_its_id(fw2022):
    from ui.widgets import EDITION_TITLE_CHARS, edition_short_label

    own = fw2022.model_copy(update={
        "id": "so-nganh-2026", "year": 2026, "legal_basis": "Kế hoạch của UBND tỉnh (không số)",
        "title_vi": "Bộ chỉ số đánh giá chuyển đổi số của các sở, ban, ngành tỉnh X", "title_en": "Own index"})
    label = edition_short_label(own, "vi", [fw2022, own])
    assert label == "DTI 2026 · Bộ chỉ số đánh giá chuyển đổi…"
    assert "so-nganh-2026" not in label
    assert len(label.split(" · ", 1)[1]) <= EDITION_TITLE_CHARS
    assert edition_short_label(own, "en", [fw2022, own]) == "DTI 2026 · Own index"  # short: whole
    # Two own frameworks of one year with the same title still read apart.
    twin = own.model_copy(update={"id": "so-nganh-2026-b"})
    assert edition_short_label(own, "vi", [own, twin]) != edition_short_label(twin, "vi", [own, twin])
    assert edition_short_label(twin, "vi", [own, twin]).endswith(" · so-nganh-2026-b")


# --- the answer exports --------------------------------------------------------------------------------------


def test_the_workbook_header_and_the_json_carry_the_general_information(fw2022):
    import io
    import json

    from openpyxl import load_workbook

    from dti.io.excel import read_upload
    from dti.io.export import ExportContext, answers_json, answers_xlsx

    ctx = ExportContext(2026, 2, "Tỉnh X", "vi", (("contact", "=HYPERLINK(\"http://x\")"), ("population", "1250000.5")))
    header = load_workbook(io.BytesIO(answers_xlsx(fw2022, {}, ctx))).active["A1"].value
    assert "Dân số của tỉnh (người): 1250000,5" in header
    assert "Đầu mối liên hệ (họ tên, chức vụ, điện thoại): =HYPERLINK" in header and not header.startswith("=")
    assert "Số đơn vị hành chính cấp huyện" not in header  # blank fields are left out
    english = load_workbook(io.BytesIO(answers_xlsx(fw2022, {}, ExportContext(2026, 2, "", "en", ctx.general_info))))
    assert "Population of the province (people): 1250000.5" in english.active["A1"].value
    doc = json.loads(answers_json(fw2022, {}, ctx))
    assert doc["general_info"] == {"contact": "'=HYPERLINK(\"http://x\")", "population": "1250000.5"}
    # The files still upload back: the header block is not read as answers.
    stored = {"1.3": SimpleNamespace(value="có", points=None, evidence="Công văn 1", note="")}
    for write, file in ((answers_xlsx, "a.xlsx"), (answers_json, "a.json")):
        back = read_upload(fw2022, write(fw2022, stored, ctx), file)
        assert list(back) == ["1.3"] and back["1.3"].evidence == "Công văn 1"


def test_the_section_is_open_until_every_field_is_filled_then_folded(app_db, fw2022):
    aid = app_db.assessment("dti-2022-province", 2026, 4).id
    app_db.save_general_info(COORD, aid, "contact", "Trần Thị B")
    section = [e for e in open_assessment().expander if e.label == "Thông tin chung"]
    assert len(section) == 1 and section[0].proto.expanded
    for f in fw2022.general_info:
        if f.kind == "number":
            app_db.save_general_info(COORD, aid, f.code, 12)
    section = [e for e in open_assessment().expander if e.label == "Thông tin chung"]
    assert len(section) == 1 and not section[0].proto.expanded
