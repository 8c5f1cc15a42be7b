"""Overview page (AppTest): estimate, answered x/total, pillars, the weakest named in words, where next."""

from __future__ import annotations

import pytest

from dti.i18n import fmt_number, fmt_points
from dti.scoring.engine import Response, score
from tests.apptest_support import assert_clean, isolate, metric, open_page


@pytest.fixture(autouse=True)
def own_database(tmp_path, monkeypatch):
    isolate(tmp_path, monkeypatch)


def test_empty_assessment_is_a_conservative_zero():
    at = open_page()
    assert at.title[0].value == "Tổng quan"
    assert metric(at, "DTI ước tính") == "0,0000"
    assert metric(at, "Đã trả lời") == "0/95"
    assert any("Ước tính thận trọng" in i.value for i in at.info)
    texts = [m.value for m in at.markdown]
    assert any("Chưa có chỉ số thành phần nào được trả lời" in x for x in texts)
    assert not any(x.startswith("Thấp nhất") for x in texts)  # no "weakest" among all-zero indices


def test_overview_matches_the_engine_after_answers(fw2022):
    at = open_page("assessment")
    at.selectbox(key="c_1.1_value").select("top_leader").run()
    at.selectbox(key="c_1.2_value").select("vice").run()
    at.switch_page("pages/overview.py").run()
    assert_clean(at)
    expected = score(fw2022, {"1.1": Response("1.1", "top_leader"), "1.2": Response("1.2", "vice")})
    assert metric(at, "DTI ước tính") == fmt_number(expected.dti)
    assert metric(at, "Điểm (trên 1.000)") == fmt_points(expected.points)
    assert metric(at, "Đã trả lời") == "2/95"
    for pillar in fw2022.pillars:
        assert metric(at, pillar.name_vi) == fmt_number(expected.pillars[pillar.code].value)
    texts = [m.value for m in at.markdown]
    lowest = [fw2022.main_index_by_code[c].name_vi for c in expected.lowest_main_indices[:3]]
    assert any(t.startswith("Thấp nhất: ") and all(f"**{n}**" in t for n in lowest) for t in texts)
    weakest_pillar = fw2022.pillar_by_code[expected.lowest_pillars[0]].name_vi
    assert any(t.startswith("Trụ cột thấp nhất: ") and weakest_pillar in t for t in texts)
    assert {link.label for link in at.get("page_link")} >= {"Tự đánh giá các chỉ số thành phần",
                                                             "Xem kết quả và điểm còn thiếu"}


def test_language_toggle_switches_labels_and_keeps_them_on_other_pages():
    at = open_page()
    at.toggle(key="lang_toggle").set_value(True).run()
    assert_clean(at)
    assert at.title[0].value == "Overview"
    assert metric(at, "Estimated DTI") == "0.0000"
    at.switch_page("pages/framework.py").run()
    assert at.title[0].value == "Framework"
    assert at.session_state["lang"] == "en"


def test_toggle_back_to_vietnamese():
    at = open_page(lang="en")
    assert at.toggle(key="lang_toggle").value is True
    at.toggle(key="lang_toggle").set_value(False).run()
    assert at.title[0].value == "Tổng quan"


def test_language_from_the_url():
    from streamlit.testing.v1 import AppTest

    from tests.apptest_support import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert_clean(at)
    assert at.title[0].value == "Overview"
