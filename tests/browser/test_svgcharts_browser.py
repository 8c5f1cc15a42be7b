"""The Results page in a real browser: its four charts are SVG images that load (no plotly.js), and the switch
"Biểu đồ tương tác" brings the Plotly charts back. Screenshots: test-artifacts/svgcharts-results-*.png."""

from __future__ import annotations

import time

import pytest

from dti.decide import demo
from dti.framework import registry
from dti.i18n import fmt_number
from dti.scoring.engine import score
from dti.storage import Store, auth
from tests.apptest_support import svg_of
from tests.browser.conftest import start_streamlit, stop, wait_for_app

pytestmark = pytest.mark.browser

IMAGES = '[data-testid="stMain"] [data-testid="stImage"] img'
LOADED = f"() => [...document.querySelectorAll('{IMAGES}')].filter(e => e.complete && e.naturalWidth > 0).length"


def test_results_charts_are_svg_images_and_the_switch_brings_plotly(tmp_path, page, screenshot):
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    fw = registry.load(registry.DEFAULT_EDITION)
    today = time.localtime()
    store = Store.open(url)
    found = store.assessment(fw.id, today.tm_year, (today.tm_mon - 1) // 3 + 1)
    store.import_responses(auth.SINGLE_USER, found.id, demo.demo_responses(fw), source="test")
    store.close()
    proc, base_url, _log = start_streamlit("app.py", tmp_path, {"DTI_DATABASE_URL": url})
    try:
        page.goto(f"{base_url}/results")
        wait_for_app(page)
        page.wait_for_function(f"() => ({LOADED})() >= 4", timeout=30_000)
        assert page.locator(".js-plotly-plot").count() == 0
        sources = page.locator(IMAGES).evaluate_all("els => els.map(e => e.getAttribute('src'))")
        gauge = svg_of(sources[0])
        assert fmt_number(score(fw, demo.demo_responses(fw)).dti, "vi") in gauge  # 0,5815
        screenshot("svgcharts-results-svg")

        page.locator(".st-key-r_interactive").get_by_text("Biểu đồ tương tác").click()
        wait_for_app(page)
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 4", timeout=60_000)
        assert page.locator(IMAGES).count() == 0
        screenshot("svgcharts-results-interactive")
    finally:
        stop(proc)
