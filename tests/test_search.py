"""Framework search: diacritic-insensitive, over main-index names and component texts."""

from __future__ import annotations

from dti.framework.search import fold, search


def test_fold_removes_vietnamese_diacritics():
    assert fold("An toàn thông tin MẠNG") == "an toan thong tin mang"
    assert fold("Đô thị số") == "do thi so"


def test_main_index_name_without_diacritics_keeps_all_its_components(fw2022):
    found = search(fw2022, "an toan")
    codes = [m.code for m, _ in found]
    assert "5" in codes
    cyber = dict((m.code, comps) for m, comps in found)["5"]
    assert cyber == fw2022.main_index_by_code["5"].components


def test_component_code_and_no_match(fw2022):
    assert [(m.code, [c.code for c in comps]) for m, comps in search(fw2022, "2.4")] == [("2", ["2.4"])]
    assert search(fw2022, "zzzz") == []
    assert len(search(fw2022, "  ")) == len(fw2022.main_indices)
