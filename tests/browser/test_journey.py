"""A person's first visit: answer components of two main indices, watch the estimate move, find the weakest
main index on the results page, switch to English. Screenshots go to test-artifacts/journey-*.png."""

from __future__ import annotations

import pytest

from dti.framework import registry
from dti.i18n import fmt_number
from dti.scoring.engine import Response, score
from tests.browser.conftest import choose_level, start_streamlit, stop, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A server of its own: the journey saves answers, which must not leak into other tests' shared app_server."""
    proc, base_url, _log = start_streamlit("app.py", tmp_path_factory.mktemp("journey"))
    try:
        yield base_url
    finally:
        stop(proc)

# (component, level key) answered in the journey: two main indices, different levels.
ANSWERS = {"1": [("1.1", "top_leader"), ("1.2", "vice")], "2": [("2.1", "full"), ("2.2", "half"), ("2.3", "some")]}


def metric_value(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_answer_two_main_indices_see_estimate_and_weakest_then_english(own_server, page, screenshot):
    fw = registry.load(registry.DEFAULT_EDITION)
    page.goto(own_server)
    wait_for_app(page)
    assert metric_value(page, "DTI ước tính") == fmt_number(0.0, "vi")
    screenshot("journey-1-overview-empty")

    page.get_by_role("link", name="Tự đánh giá").first.click()
    wait_for_app(page)
    answered: dict[str, Response] = {}
    for main_code, answers in ANSWERS.items():
        main = fw.main_index_by_code[main_code]
        page.get_by_role("tab", name=f"{main_code}. {main.name_vi}").click()
        wait_for_app(page)
        for code, level_key in answers:
            level = next(lv for lv in fw.component_by_code[code].rule.levels if lv.key == level_key)
            choose_level(page, code, level.label_vi)
            answered[code] = Response(code, value=level_key)
            expected = score(fw, answered)
            # The fragment of this main index shows its value and the DTI estimate as soon as the level is chosen.
            assert metric_value(page, "Giá trị chỉ số chính") == fmt_number(expected.main_indices[main_code].value)
            assert metric_value(page, "DTI ước tính") == fmt_number(expected.dti)
        screenshot(f"journey-2-assessment-main-{main_code}")

    expected = score(fw, answered)
    page.get_by_role("link", name="Kết quả").first.click()
    wait_for_app(page)
    assert metric_value(page, "DTI ước tính") == fmt_number(expected.dti)
    lowest = fw.main_index_by_code[expected.lowest_main_indices[0]]
    highlight = page.locator(".st-key-r_lowest").inner_text()
    assert f"Thấp nhất: {lowest.name_vi} {fmt_number(expected.main_indices[lowest.code].value)}" in highlight
    page.locator('[data-testid="stImage"] img').first.wait_for()  # the charts, static SVG by default
    screenshot("journey-3-results-vi")

    page.locator(".st-key-lang_toggle").get_by_text("English").click()
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == "Results"
    assert "lang=en" in page.url
    assert metric_value(page, "Estimated DTI") == fmt_number(expected.dti, "en")
    assert f"Lowest: {lowest.name_en}" in page.locator(".st-key-r_lowest").inner_text()
    page.locator('[data-testid="stImage"] img').first.wait_for()  # the charts, static SVG by default
    screenshot("journey-4-results-en")


def test_a_deep_link_as_the_first_request_after_a_start_goes_through_the_app(tmp_path, page):
    """With a pages/ folder Streamlit starts in its old mode, where …/results would run pages/results.py alone
    (no navigation, no log-in); the app switches that mode off and reruns, so app.py routes every request."""
    proc, base_url, _log = start_streamlit("app.py", tmp_path)
    try:
        page.goto(f"{base_url}/results?lang=en")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().strip() == "Results"
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Self-assessment" in nav and "results" not in nav.split()  # the app's titles, not file names
        assert page.locator(".st-key-lang_toggle").is_visible()
    finally:
        stop(proc)
