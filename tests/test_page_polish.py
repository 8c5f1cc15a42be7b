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
    # What tells them apart fits the sidebar's ~28 characters (the end of a longer label is cut off).
    assert labels[0][:28] == "DTI 2022 · 922/QĐ-BTTTT"
    assert labels[1][:28].startswith("DTI 2025 ⚠ chưa chấm được")


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


def open_with_incomplete_edition(page: str):
    """The user picks the shipped 2025 edition (structure only, cannot be scored) in the sidebar, then opens a page."""
    at = open_page()
    at.sidebar.selectbox(key="edition_picker").set_value("dti-2025-province").run()
    assert_clean(at)
    at.switch_page(f"pages/{page}.py").run()
    assert_clean(at)
    return at


def test_workshop_keeps_its_own_demo_under_an_incomplete_edition(fw2022):
    at = open_with_incomplete_edition("workshop")
    assert at.title, "the workshop page is shown, not stopped"
    assert not [w for w in at.warning if "chưa thể chấm điểm" in w.value]
    assert any(m.label == "DTI ước tính" and m.value == "0,5815" for m in at.metric)
    assert any("DTI 2022" in c.value for c in at.caption), "the workshop says which edition its demo uses"


def test_coordinator_manages_agencies_and_accounts_under_an_incomplete_edition():
    at = open_with_incomplete_edition("coordinator")
    assert any("chưa thể chấm điểm" in w.value for w in at.warning)
    assert not any("python -m dti" in w.value for w in at.warning), "points to the Editions page, not a command"
    agency_name = [ti for ti in at.text_input if ti.label.startswith("Tên đơn vị")]
    assert agency_name, [ti.label for ti in at.text_input]
    agency_name[0].input("Sở Khoa học và Công nghệ")
    at.button[[b.label for b in at.button].index("Thêm đơn vị")].click().run()
    assert_clean(at)
    assert any("Sở Khoa học và Công nghệ" in s.value for s in at.success)
    assert not at.metric  # no score made up for an edition that cannot be scored


def test_carry_button_disabled_when_nothing_can_be_carried():
    at = open_page("editions")
    assert at.button(key="ed_carry_go").disabled  # an empty assessment: nothing to carry
    at.switch_page("pages/assessment.py").run()
    at.selectbox(key="c_1.1_value").select("deputy").run()
    at.switch_page("pages/editions.py").run()
    assert_clean(at)
    assert at.selectbox(key="ed_carry_target").value == "dti-2025-province"
    assert at.button(key="ed_carry_go").disabled  # the only target cannot be scored: the answer is listed, not carried
    assert any("chuyển được 0 câu trả lời" in c.value and "1 câu không chuyển được" in c.value for c in at.caption)


def test_due_date_reads_day_month_year():
    at = open_page("coordinator")
    assert_clean(at)
    assert [d.proto.format for d in at.date_input] == ["DD/MM/YYYY"]


def test_uploader_css_text_is_a_safe_css_string():
    """Our Vietnamese for Streamlit's fixed uploader texts goes into CSS 'content': quotes cannot end the string."""
    from ui.shell import _css_text

    assert _css_text('Tải lên "x" \\ y') == '"Tải lên \\"x\\" \\\\ y"'


def test_single_user_notice_icon_is_a_material_icon():
    """The emoji 💻 showed as an empty box where no emoji font is installed (headless Chromium on Debian)."""
    at = open_page("coordinator")
    icons = [i.icon for i in at.sidebar.info]
    assert icons and all(icon.startswith(":material/") for icon in icons), icons
