"""Framework page (AppTest): browse, search, provenance marks, an incomplete edition explained, not crashed."""

from __future__ import annotations

import pytest

from tests.apptest_support import assert_clean, isolate, open_page


@pytest.fixture(autouse=True)
def own_database(tmp_path, monkeypatch):
    isolate(tmp_path, monkeypatch)


def test_browse_shows_every_main_index_with_provenance(fw2022):
    at = open_page("framework")
    assert at.title[0].value == "Khung chỉ số"
    assert len(at.expander) == len(fw2022.main_indices)
    tables = at.dataframe
    assert sum(len(t.value) for t in tables) == len(fw2022.components)
    first = tables[0].value
    assert list(first["Mã"]) == [c.code for c in fw2022.main_indices[0].components]
    assert all(v.startswith("⚠ ") for v, c in zip(first["Độ tin cậy"], fw2022.main_indices[0].components)
               if not c.provenance.is_official)


def test_search_keeps_only_matching_components(fw2022):
    at = open_page("framework")
    at.text_input(key="f_search").input("2.4").run()
    assert_clean(at)
    codes = [code for t in at.dataframe for code in t.value["Mã"]]
    assert codes == ["2.4"]


def test_incomplete_edition_is_explained_and_cannot_be_scored():
    at = open_page("framework")
    editions = at.selectbox(key="f_edition")
    incomplete = [e for e in editions.options if "chưa đủ để chấm điểm" in e]
    assert incomplete, "the shipped 2025 edition (complete: false) should be offered, marked as incomplete"
    editions.select_index(editions.options.index(incomplete[0])).run()
    assert_clean(at)
    assert any("chưa thể chấm điểm" in w.value for w in at.warning)
    at.button(key="f_use").click().run()
    at.switch_page("pages/overview.py").run()
    assert_clean(at)
    assert any("chưa thể chấm điểm" in w.value for w in at.warning)
    assert not at.metric  # no made-up score
    at.switch_page("pages/assessment.py").run()
    assert_clean(at)
    assert not [s for s in at.selectbox if str(s.key).startswith("c_")]  # no form for an unscorable edition


def test_search_ignores_diacritics_and_finds_main_index_names(fw2022):
    """'an toan' (typed without diacritics) finds main index 5 'An toàn thông tin mạng' and all its components."""
    at = open_page("framework")
    at.text_input(key="f_search").input("an toan").run()
    assert_clean(at)
    cyber = fw2022.main_index_by_code["5"]
    assert any(e.label.startswith(f"5. {cyber.name_vi}") for e in at.expander)
    codes = [code for t in at.dataframe for code in t.value["Mã"]]
    assert set(c.code for c in cyber.components) <= set(codes)


def test_search_with_no_match_says_so():
    at = open_page("framework")
    at.text_input(key="f_search").input("zzzz không có").run()
    assert_clean(at)
    assert not at.expander and not at.dataframe
    assert any("Không tìm thấy" in i.value for i in at.info)
