"""A framework read from a province's appendix, in the self-assessment form (AppTest): the scoring method verbatim in
each component's help, the reason where its rule awaits review, and several frameworks kept at once, each assessed
in its own periods."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dti.framework import registry
from dti.io.catalogue import framework_from_catalogue
from dti.io.editions import save_edition
from dti.roles import Actor
from dti.storage import Store
from tests.apptest_support import APP, assert_clean, form_widget
from tests.catalogue_fixtures import UNREAD_TEXT, V_B_1_1, docx_bytes, table_rows

DEPT = "so-nganh-2026"
REASON = "cách tính không thuộc dạng đã biết"


@pytest.fixture
def setup(tmp_path, monkeypatch):
    """The shipped 2022 edition and a department-level index read from a .docx appendix, saved as the app does."""
    folder = tmp_path / "frameworks"
    folder.mkdir()
    shutil.copy(registry.DEFAULT_FRAMEWORKS_DIR / "dti-2022-province.yaml", folder / "dti-2022-province.yaml")
    fw = framework_from_catalogue(docx_bytes(table_rows()), "chi-so-so-nganh.docx", DEPT,
                                  title_vi="Bộ chỉ số chuyển đổi số sở, ngành")
    save_edition(fw, Actor("coord", "coordinator"), folder)
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(folder))
    monkeypatch.setenv("DTI_DATABASE_URL", url)
    db = Store.open(url, frameworks=lambda i: registry.load(i, folder))
    yield fw, db
    db.close()


def open_form(edition: str, period: tuple[int, int], lang: str = "vi") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["edition_id"] = edition
    at.session_state["period"] = period
    at.session_state["lang"] = lang
    at.switch_page("pages/assessment.py").run()
    assert_clean(at)
    return at


def choose(at: AppTest, edition: str, period: tuple[int, int]) -> None:
    """What the sidebar's edition and period pickers set (AppTest draws the sidebar in its first run only)."""
    at.session_state["edition_id"] = edition
    at.session_state["period"] = period
    at.run()
    assert_clean(at)


def test_help_shows_the_scoring_method_and_a_rule_awaiting_review_says_why(setup):
    at = open_form(DEPT, (2026, 4))
    assert [tab.label for tab in at.tabs][0].startswith("1. Nhận thức số")
    stepped = form_widget(at.text_input, "1.3", "value")
    assert "Cách xác định và tính điểm:" in stepped.help
    assert "4 lần/năm (mỗi quý 1 lần): 20" in stepped.help and V_B_1_1.startswith("4 lần/năm")
    assert "Quy tắc chờ" not in " ".join(c.value for c in at.caption)  # main index 1's rules were all read


def test_the_unread_rule_says_it_awaits_review(setup):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["edition_id"] = DEPT
    at.session_state["period"] = (2026, 4)
    at.session_state["a_tab"] = "6. Hoạt động chính quyền số"
    at.switch_page("pages/assessment.py").run()
    assert_clean(at)
    direct = form_widget(at.text_input, "6.2", "value")
    assert UNREAD_TEXT in direct.help
    awaiting = [c.value for c in at.caption if c.value.startswith(":material/rate_review: Quy tắc chờ")]
    assert len(awaiting) == 1 and REASON in awaiting[0]


def test_two_frameworks_each_in_its_own_periods(setup):
    fw, db = setup
    at = open_form(DEPT, (2026, 4))
    form_widget(at.text_input, "1.3", "value").input("3").run()  # 3 meetings a year: 15 of 20
    assert_clean(at)
    choose(at, "dti-2022-province", (2026, 2))
    form_widget(at.selectbox, "1.1", "value").set_value("top_leader").run()
    assert_clean(at)
    choose(at, DEPT, (2027, 1))  # the department index, another quarter: nothing there yet
    assert form_widget(at.text_input, "1.3", "value").value == ""
    choose(at, DEPT, (2026, 4))
    assert form_widget(at.text_input, "1.3", "value").value == "3"

    periods = {(a.edition_id, a.year, a.quarter) for a in db.assessments()}
    assert {(DEPT, 2026, 4), ("dti-2022-province", 2026, 2)} <= periods
    dept = db.assessment(DEPT, 2026, 4, create=False)
    national = db.assessment("dti-2022-province", 2026, 2, create=False)
    assert {c: r.points for c, r in db.stored(dept.id).items()} == {"1.3": 15}
    assert set(db.stored(national.id)) == {"1.1"}
    assert db.assessment(DEPT, 2026, 2, create=False) is None  # answering 2022 created nothing for the other


def test_a_scoring_text_from_the_file_is_shown_as_text(tmp_path, monkeypatch):
    """Markdown, a link or a tag in the appendix's scoring text never renders in the form's help."""
    from tests.catalogue_fixtures import DEPARTMENT_ROWS
    from ui.widgets import plain

    hostile = "Do Hội đồng xem xét [Bấm vào đây](http://evil.example) <img src=x> **đậm**"
    rows = [(c, title, p, hostile if c == "6.2" else s) for c, title, p, s in DEPARTMENT_ROWS]
    folder = tmp_path / "frameworks"
    folder.mkdir()
    fw = framework_from_catalogue(docx_bytes(table_rows(rows)), "phu-luc.docx", DEPT)
    assert fw.component_by_code["6.2"].scoring_vi == hostile  # kept verbatim
    save_edition(fw, Actor("coord", "coordinator"), folder)
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(folder))
    monkeypatch.setenv("DTI_DATABASE_URL", f"sqlite:///{tmp_path / 'dti.sqlite'}")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["edition_id"] = DEPT
    at.session_state["a_tab"] = "6. Hoạt động chính quyền số"
    at.switch_page("pages/assessment.py").run()
    assert_clean(at)
    help_text = form_widget(at.text_input, "6.2", "value").help
    assert plain(hostile) in help_text and hostile not in help_text
