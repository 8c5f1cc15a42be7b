"""Numbers typed into the grids of the pages (AppTest): the coordinator's appraisal grid and the scenario grid
read '1,5' and '1.5' alike through the one parser, refuse a malformed cell naming the component, and show
numbers in the language's format."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dti.decide import scenarios
from dti.framework import registry
from dti.i18n import fmt_number
from dti.storage import Store
from tests.apptest_support import run_page


def shown(source: str) -> str:
    """What the reader sees of a message whose outside text is escaped for Markdown (ui.widgets.plain)."""
    return source.replace("\\", "").replace("\u2060", "")






def edit_cell(at: AppTest, key: str, row: int, column: str, text: str) -> AppTest:
    """What the browser sends when a cell of an st.data_editor is edited."""
    at.session_state[key] = {"edited_rows": {row: {column: text}}, "added_rows": [], "deleted_rows": []}
    return at.run()


def appraise(at: AppTest, db: Store, text: str) -> AppTest:
    # The grid's key names the period (its id, or None while the period has no assessment yet).
    key = next(k for k in [*(f"s_appraisal_{a.id}" for a in db.assessments()), "s_appraisal_None"]
               if k in at.session_state)
    edit_cell(at, key, 0, "appraisal", text)  # row 0: component 1.1 (10 points)
    save = next(b for b in at.button if b.label in ("Lưu điểm thẩm định", "Save appraisal"))
    return save.click().run()


def appraisal_of(db: Store, code: str = "1.1") -> float | None:
    period = db.latest_assessment(registry.DEFAULT_EDITION)
    stored = db.stored(period.id) if period else {}
    return stored[code].appraisal_points if code in stored else None


@pytest.mark.parametrize(("lang", "typed"), [("vi", "1,5"), ("vi", "1.5"), ("en", "1.5"), ("en", "1,5")])
def test_appraisal_cell_reads_either_decimal_mark(db, lang, typed):
    at = run_page("coordinator.py", lang)
    at = appraise(at, db, typed)
    assert not at.exception and not at.error
    assert appraisal_of(db) == 1.5
    grid = next(d.value for d in at.dataframe if "code" in d.value.columns and "appraisal" in d.value.columns)
    assert grid.set_index("code").loc["1.1", "appraisal"] == ("1,5" if lang == "vi" else "1.5")


def test_appraisal_of_twelve_and_a_half_is_refused_not_saved_as_125(db):
    at = run_page("coordinator.py")
    at = appraise(at, db, "12,5")
    assert [e.value for e in at.error] == ["chỉ số 1.1: điểm 12,5 vượt mức tối đa 10; hãy nhập điểm từ 0 đến 10"]
    assert appraisal_of(db) is None


def test_a_malformed_appraisal_cell_is_refused_naming_the_component_and_nothing_is_saved(db):
    at = run_page("coordinator.py")
    appraise(at, db, "7")
    assert appraisal_of(db) == 7.0
    at = run_page("coordinator.py")
    at = appraise(at, db, "1,2,3")
    assert not at.exception
    assert [shown(e.value) for e in at.error] == [
        "Không lưu bảng: dòng 1 (1.1), cột Điểm thẩm định: '1,2,3' không phải là số; "
        "hãy viết ví dụ 1,5 hoặc 1.5 (hàng nghìn: 1.234,5 hoặc 1234,5)"]
    assert appraisal_of(db) == 7.0


def test_scenario_cell_reads_a_vietnamese_decimal(db, fw2022):
    at = run_page("scenarios.py", query={"scn": "A", "sc": "4.2:3"})
    row = [c.code for c in fw2022.components if c.rule.type != "not_scored"].index("4.1")
    grid = f"decide_ed_{at.session_state['decide_generation']}_A_c"
    at = edit_cell(at, grid, row, "Điểm kịch bản", "1,5")
    assert not at.error
    want = scenarios.compare(fw2022, {}, [scenarios.Scenario("A", {"4.1": 1.5, "4.2": 3.0})])[1].result
    table = next(d.value for d in at.dataframe if "Kịch bản" in d.value.columns)
    assert list(table["DTI"])[1] == fmt_number(want.dti, "vi")

    at = edit_cell(at, grid, row, "Điểm kịch bản", "1,2,3")
    assert any("dòng" in shown(e.value) and "(4.1)" in shown(e.value) and "'1,2,3'" in shown(e.value)
               for e in at.error)


@pytest.mark.parametrize(("lang", "stop"), [("vi", "0,85"), ("en", "0.85")])
def test_sliders_show_numbers_in_the_languages_format(db, lang, stop):
    at = run_page("whatif.py", lang)
    slider = at.select_slider(key="w_main_1")
    assert stop in slider.options and slider.options[0] == ("0,00" if lang == "vi" else "0.00")
    assert slider.value == 0.0
    slider.set_value(0.85).run()
    assert at.select_slider(key="w_main_1").value == 0.85
    workshop = run_page("workshop.py", lang)
    assert stop in workshop.select_slider(key="workshop_m1").options


def test_a_saved_value_between_the_stops_stays_exact(db, fw2022):
    from dti.scoring.engine import Response, score
    from dti.storage import auth

    period = db.assessment(fw2022.id, 2026, 1)
    db.save_response(auth.SINGLE_USER, period.id, "2.2", 0, value="most")
    saved = score(fw2022, {"2.2": Response("2.2", "most")}).main_indices["2"].value
    assert round(saved, 2) != saved  # 0,0675: between two stops of 0,01
    at = run_page("whatif.py")
    slider = at.select_slider(key="w_main_2")
    assert slider.value == round(saved, 4)
    assert "0,0675" in slider.options  # shown with all its decimals, not rounded away
    assert at.metric[0].delta.startswith("±")  # an untouched slider changes nothing
