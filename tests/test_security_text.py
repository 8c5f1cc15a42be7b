"""Control characters (BEL, ESC, NUL, C1, bidi overrides) are removed when text comes in: Store writes,
agency and user names, framework editions and uploaded catalogues (issue 11)."""

from __future__ import annotations

import pytest
import yaml

from dti.framework import registry
from dti.framework.validation import parse_framework
from dti.io.catalogue import import_catalogue
from dti.scoring.engine import Response
from dti.storage import Actor, auth
from dti.text import clean_text
from tests.test_catalogue import catalogue_rows, csv_bytes

COORD = Actor("coord", "coordinator")
HOSTILE = "Sở\x07 TT\x1b[31m&TT\x00\u202e\x9b"


def test_clean_text_removes_controls_and_keeps_words_and_line_breaks():
    assert clean_text(HOSTILE) == "Sở TT[31m&TT"
    assert clean_text("dòng 1\r\ndòng 2\rdòng 3\tcột") == "dòng 1\ndòng 2\ndòng 3\tcột"
    assert clean_text("tên\n  hai\tdòng", one_line=True) == "tên   hai dòng"
    assert clean_text("Đạt đầy đủ 👍🏽 👨‍👩‍👧") == "Đạt đầy đủ 👍🏽 👨‍👩‍👧"  # emoji joiners are not controls


@pytest.fixture
def period(store):
    return store.assessment("all-rules", 2025, 1)


def test_save_response_stores_no_control_characters(store, period):
    saved = store.save_response(COORD, period.id, "1.1", 0, value="full\x07", evidence=f"Quyết định {HOSTILE}",
                                note="ghi\x1bchú")
    assert (saved.value, saved.evidence, saved.note) == ("full", "Quyết định Sở TT[31m&TT", "ghichú")
    stored = store.stored(period.id)["1.1"]
    assert "\x07" not in stored.evidence and "\x1b" not in stored.note
    history = store.history(period.id, "1.1")[-1].changes
    assert "\x1b" not in repr(history) and "\x07" not in repr(history)


def test_import_stores_no_control_characters(store, period):
    store.import_responses(COORD, period.id, {"1.2": Response("1.2", "3/4\x07", evidence="bằng\x1b chứng",
                                                              note="\x00ghi chú")})
    stored = store.stored(period.id)["1.2"]
    assert (stored.value, stored.evidence, stored.note) == ("3/4", "bằng chứng", "ghi chú")


def test_agency_user_and_province_names_store_no_control_characters(store):
    agency = store.add_agency(COORD, "Sở\x07 Y\x1b tế\n")
    assert [a.name for a in store.agencies() if a.id == agency] == ["Sở Y tế"]
    auth.create_account(store, "dieu\x07phoi", "coordinator", "mật-khẩu-dài", display_name="Chị\x1b Lan")
    user = store.user("dieuphoi")
    assert user is not None and user.display_name == "Chị Lan"
    store.set_province(COORD, "Tỉnh\x07 Minh\u202e Họa")
    assert store.province()[0] == "Tỉnh Minh Họa"


def test_an_edition_yaml_with_control_characters_loads_clean():
    data = yaml.safe_load((registry.DEFAULT_FRAMEWORKS_DIR / "dti-2022-province.yaml").read_text(encoding="utf-8"))
    data["title_vi"] = "Bộ chỉ số\x07 \x1b[2J DTI"
    data["main_indices"][0]["components"][0]["name_vi"] = "Chỉ số\x00 thử\u202e"
    fw = parse_framework(data, "hostile.yaml")
    assert fw.title_vi == "Bộ chỉ số [2J DTI"
    assert fw.main_indices[0].components[0].name_vi == "Chỉ số thử"


def test_an_uploaded_catalogue_with_control_characters_imports_clean():
    rows = catalogue_rows()
    rows[1][1] = "Tên\x07 chỉ\x1b số"
    fw = import_catalogue(csv_bytes(rows), "phu-luc-1.csv", registry.load("dti-2022-province"), new_id="x-official")
    names = [c.name_vi for c in fw.components]
    assert "Tên chỉ số" in names and not any("\x07" in n or "\x1b" in n for n in names)
