"""AppTest tests of the decide pages: scenarios (shared link, goal seek), peers, report, workshop, results band."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dti.decide import demo, scenarios
from dti.i18n import fmt_number
from dti.scoring.engine import score
from dti.storage import Store, auth
from tests.apptest_support import run_page


@pytest.fixture
def database(tmp_path, monkeypatch):
    """An empty SQLite database of its own (the pages read the real assessment through ui.state)."""
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    monkeypatch.setenv("DTI_DATABASE_URL", url)
    store = Store.open(url)
    yield store
    store.close()


@pytest.fixture
def demo_assessment(database, fw2022):
    """The real assessment filled with the demo province's answers (so the pages have something to show)."""
    info = database.assessment(fw2022.id, 2026, 1)
    responses = demo.demo_responses(fw2022)
    database.import_responses(auth.SINGLE_USER, info.id, responses, source="test")
    return responses




def texts(elements) -> list[str]:
    return [e.value for e in elements]


def frame_with(at: AppTest, column: str):
    """The first dataframe showing ``column`` (AppTest does not expose st.dataframe keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_scenarios_page_empty_assessment_then_create(database):
    at = run_page("scenarios.py")
    assert at.title[0].value == "Kịch bản & mục tiêu"
    assert any("chưa có câu trả lời" in w for w in texts(at.warning))
    assert any("Chưa có kịch bản nào" in i for i in texts(at.info))
    at.text_input(key="decide_new_name").input("Nâng hạ tầng").run()
    at.button(key="decide_create").click().run()
    assert not at.exception
    assert at.selectbox(key="decide_selected").value == "Nâng hạ tầng"
    assert "Nâng hạ tầng" in str(at.query_params["scn"])  # the page's address now carries the scenario


def test_shared_link_opens_and_compares_like_the_engine(demo_assessment, fw2022):
    link = "4.1:7.6923,m9:0.8"
    at = run_page("scenarios.py", query={"scn": "Kịch bản A", "sc": link})
    assert any("Kịch bản A" in s for s in texts(at.success))
    assert at.selectbox(key="decide_selected").value == "Kịch bản A"
    table = frame_with(at, "Hạng ước tính")
    want = scenarios.apply(fw2022, demo_assessment, scenarios.decode(fw2022, link, "Kịch bản A")).result
    base = score(fw2022, demo_assessment)
    assert list(table.iloc[:, 0]) == ["Hiện trạng", "Kịch bản A"]
    assert list(table["DTI"]) == [fmt_number(base.dti, "vi"), fmt_number(want.dti, "vi")]


def test_bad_link_is_explained(database):
    at = run_page("scenarios.py", query={"scn": "X", "sc": "99.1:3,2.4:abc"})
    # The link's text is shown as text: word joiners (invisible) keep "2.4:abc" from reading as an emoji code.
    errors = " ".join(texts(at.error)).replace("\u2060", "")
    assert "Đường dẫn kịch bản không đọc được" in errors
    assert "component 2.4:abc: cannot be read" in errors  # the unreadable item, and what to write instead
    assert "code:points (2.4:10)" in errors


def test_goal_seek_and_save_plan(demo_assessment, fw2022):
    at = run_page("scenarios.py")
    at.text_input(key="decide_gs_dti").input("0,65").run()
    reached = next(s for s in texts(at.success) if "đạt mục tiêu 0,6500" in s)
    assert "từ 0,5815" in reached
    assert any("tham lam" in c for c in texts(at.caption))
    at.button(key="decide_save_plan").click().run()
    assert not at.exception
    assert at.selectbox(key="decide_selected").value == "Phương án đạt 0,6500"
    rows = frame_with(at, "Hạng ước tính")
    assert len(rows) == 2 and rows["DTI"].iloc[1] >= "0,6500"


def test_goal_seek_by_rank(demo_assessment):
    at = run_page("scenarios.py")
    at.radio(key="decide_gs_kind").set_value("rank").run()
    at.text_input(key="decide_gs_rank").input("1").run()
    assert any("cần DTI ≥ 0,8002" in c for c in texts(at.caption))
    assert any("đạt mục tiêu 0,8002" in s for s in texts(at.success))


@pytest.mark.parametrize(("lang", "typed", "reached"), [
    ("vi", "0.65", "đạt mục tiêu 0,6500"), ("en", "0,65", "target 0.6500"), ("en", "0.65", "target 0.6500"),
])
def test_goal_seek_target_reads_either_decimal_mark(demo_assessment, lang, typed, reached):
    at = run_page("scenarios.py", lang=lang)
    assert at.text_input(key="decide_gs_dti").value == ("0,63" if lang == "vi" else "0.63")  # 0,5815 + 0,05
    at.text_input(key="decide_gs_dti").input(typed).run()
    assert any(reached in s for s in texts(at.success)), texts(at.success)


@pytest.mark.parametrize(("typed", "problem"), [
    ("1,2,3", "'1,2,3' không phải là số"), ("65", "'65' nằm ngoài khoảng 0 đến 1"),
    ("2,5", "'2,5' không phải là số nguyên"),
])
def test_a_refused_target_is_explained_at_the_field_and_no_plan_is_made(demo_assessment, typed, problem):
    at = run_page("scenarios.py")
    key = "decide_gs_dti"
    if typed == "2,5":
        at.radio(key="decide_gs_kind").set_value("rank").run()
        key = "decide_gs_rank"
    at.text_input(key=key).input(typed).run()
    assert not at.exception
    assert any(problem in e for e in texts(at.error)), texts(at.error)
    assert at.text_input(key=key).value == typed
    assert not any("đạt mục tiêu" in s for s in texts(at.success))
    assert "decide_save_plan" not in [b.key for b in at.button]


def test_number_grid_cells_read_either_decimal_mark_and_name_a_refused_cell():
    from ui.widgets import read_number_cells

    rows = [{"Mã": "1.1", "Điểm": "1,5"}, {"Mã": "1.2", "Điểm": "2.5"}, {"Mã": "1.3", "Điểm": ""}]
    parsed, problems = read_number_cells(rows, lang="vi", editable={"Điểm": (0.0, None)}, row_label="Mã")
    assert [r["Điểm"] for r in parsed] == [1.5, 2.5, None] and problems == []
    rows[1]["Điểm"] = "1.500"
    rows[2]["Điểm"] = "-1"
    _, problems = read_number_cells(rows, lang="vi", editable={"Điểm": (0.0, None)}, row_label="Mã")
    # The messages are Markdown with the outside text (codes, what was typed) escaped: compared as read.
    assert [p.replace("\\", "").replace("\u2060", "") for p in problems] == [
        "Không lưu bảng: dòng 2 (1.2), cột Điểm: '1.500' không rõ là 1500 hay 1,5; hãy viết 1500 hoặc 1,5, "
        "không dùng dấu phân cách hàng nghìn",
        "Không lưu bảng: dòng 3 (1.3), cột Điểm: '-1' nhỏ hơn 0; hãy nhập một số từ 0 trở lên"]


@pytest.mark.parametrize(("lang", "points", "value"), [("vi", "7,6923", "0,8"), ("en", "7.6923", "0.8")])
def test_scenario_grids_show_numbers_in_the_languages_format(database, lang, points, value):
    at = run_page("scenarios.py", lang=lang, query={"scn": "A", "sc": "4.1:7.6923,m9:0.8"})
    new_points = "Điểm kịch bản" if lang == "vi" else "Scenario points"
    new_value = "Giá trị kịch bản" if lang == "vi" else "Scenario value"
    code = "Mã" if lang == "vi" else "Code"
    components = frame_with(at, new_points).set_index(code)
    assert components.loc["4.1", new_points] == points and components.loc["4.2", new_points] == ""
    assert frame_with(at, new_value).set_index(code).loc["9", new_value] == value


def test_peers_page_merges_da_nang_and_quang_nam(demo_assessment):  # a rank needs answers
    at = run_page("peers.py")
    assert any("Hạng ước tính" == m.label for m in at.metric)
    assert any(m.value == "chưa công bố trong bảng" for m in at.metric)  # no national average is invented
    at.selectbox(key="peers_year").select(2024).run()
    at.selectbox(key="peers_rank_of").select(63).run()
    at.multiselect(key="peers_merge_provinces").select("Đà Nẵng").select("Quảng Nam").run()
    assert "DTI của tỉnh mới (trung bình các chỉ số): 0,7069" in texts(at.success)


def test_report_page_offers_both_downloads(demo_assessment):
    at = run_page("report.py")
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Tải báo cáo HTML", "Tải bảng Excel đầy đủ"]
    assert any("DTI có thể ở trong khoảng" in i for i in texts(at.info))


def test_workshop_never_touches_the_real_assessment(database, fw2022):
    at = run_page("workshop.py")
    assert at.metric[0].value == fmt_number(score(fw2022, demo.demo_responses(fw2022)).dti, "vi")
    assert any("hư cấu" in w or "MINH HỌA" in w for w in texts(at.warning))
    at.select_slider(key="workshop_m4").set_value(0.95).run()
    at.text_input(key="workshop_gs_dti").input("0,7").run()
    at.button(key="workshop_save_plan").click().run()
    assert not at.exception
    assert "decide_scenarios" not in at.session_state
    info = database.assessment(fw2022.id, 2026, 1, create=False)
    assert info is None or database.responses(info.id) == {}
    assert all(not database.responses(a.id) for a in database.assessments())
    at.button(key="workshop_reset").click().run()
    assert at.select_slider(key="workshop_m4").value == pytest.approx(round(
        score(fw2022, demo.demo_responses(fw2022)).main_indices["4"].value, 2))


def test_workshop_in_english(database):
    at = run_page("workshop.py", lang="en")
    assert at.header[0].value == "Minh Họa Province (fictional)"
    assert at.title[0].value.startswith("Workshop mode")


def test_results_page_shows_the_band(demo_assessment):
    at = run_page("results.py")
    band = next(i for i in texts(at.info) if "DTI có thể ở trong khoảng" in i)
    assert "hạng" in band


def test_results_band_collapses_when_everything_is_appraised(database, demo_assessment, fw2022):
    info = database.assessment(fw2022.id, 2026, 1)
    for code, response in demo_assessment.items():
        database.set_appraisal(auth.SINGLE_USER, info.id, code, response.points)
    at = run_page("results.py")
    band = next(i for i in texts(at.info) if "DTI có thể ở trong khoảng" in i)
    point = fmt_number(score(fw2022, demo_assessment).dti, "vi")
    assert f"khoảng {point}–{point}" in band


@pytest.mark.parametrize("page", ["scenarios.py", "peers.py", "report.py", "workshop.py"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_label_is_translated(demo_assessment, page, lang):
    """No element shows a raw i18n key (a missing translation shows itself as ``section.key``)."""
    import re

    at = run_page(page, lang=lang)
    shown = [str(getattr(e, "value", "")) for e in at.main] + [str(getattr(e, "label", "")) for e in at.main]
    for kind in ("button", "selectbox", "number_input", "text_input", "radio", "checkbox", "slider", "select_slider",
                 "multiselect", "expander", "metric"):
        shown += [str(getattr(e, "label", "")) for e in at.get(kind)]
    raw = [s for s in shown if re.fullmatch(r"(decide|scenarios|goalseek|peers|report|workshop|uncertainty)\.\w+", s)]
    assert raw == []
    assert len(shown) > 10
