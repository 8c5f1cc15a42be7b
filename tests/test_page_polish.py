"""Small display defects found by users on main (issue 10), each reproduced here first."""

from __future__ import annotations

import pytest

from tests.apptest_support import assert_clean, isolate, open_page


@pytest.fixture(autouse=True)
def own_database(tmp_path, monkeypatch):
    isolate(tmp_path, monkeypatch)


def test_sidebar_edition_picker_names_each_edition_shortly_by_year():
    at = open_page()
    picker = at.sidebar.selectbox(key="edition_picker")
    labels = picker.options
    assert len(set(labels)) == len(labels) >= 2
    assert picker.value == "dti-2022-province"
    for label, year, decision in zip(labels, ("2022", "2025"), ("922/QĐ-BTTTT", "405/QĐ-BKHCN")):
        assert year in label and decision in label, labels
        assert len(label.split(" · chưa")[0]) <= 30, label  # fits the sidebar: no shared truncated title
    assert "chưa đủ để chấm điểm" in labels[1]


def test_edition_short_label_adds_the_id_when_two_editions_would_read_the_same(fw2022):
    from ui.widgets import edition_short_label

    own = fw2022.model_copy(update={"id": "tinh-x-2022"})
    both = [fw2022, own]
    assert edition_short_label(fw2022, "vi", both) != edition_short_label(own, "vi", both)
    assert edition_short_label(own, "vi", both) == "DTI 2022 · 922/QĐ-BTTTT · tinh-x-2022"


def test_not_scored_main_index_says_it_once(fw2022):
    """Main index 6 is collected for information: its components say 'không tính điểm' once, plainly."""
    at = open_page("assessment")
    main6 = fw2022.main_index_by_code["6"]
    at.session_state["a_tab"] = f"6. {main6.name_vi}"
    at.run()
    assert_clean(at)
    for comp in main6.components:
        label = at.text_input(key=f"c_{comp.code}_value").label
        assert label.lower().count("không tính điểm") == 1, label
        assert "Thông tin (không tính điểm)" not in label
