"""General information of an assessment ('Thông tin chung': population, contact person …): stored, role-checked,
shown at the top of the Self-assessment page, and the sidebar label of a province's own framework."""

import pytest

from dti.framework.model import GeneralInfoField
from dti.io.limits import MAX_TEXT_CHARS
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


def test_the_answers_go_with_their_assessment(info_store, fw_info):
    first = info_store.assessment(fw_info.id, 2025, 1).id
    second = info_store.assessment(fw_info.id, 2025, 2).id
    info_store.save_general_info(COORD, first, "dan-so", "1")
    assert info_store.general_info(second) == {}
