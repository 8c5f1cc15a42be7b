"""Streamlit's own English strings in the Vietnamese app, and the app's own 'page not found' (issue 10)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, wait_for_app

pytestmark = pytest.mark.browser

ENGLISH_LEFTOVERS = ("Page not found", "per file", "Drag and drop", "Choose options", "Choose an option")


def visible_text(page) -> str:
    return page.inner_text("body")


def test_unknown_address_shows_the_apps_own_vietnamese_page(app_server, page, screenshot):
    # Streamlit serves the very first session after a server start in its old pages-folder mode (a pages/ folder
    # exists), where its own modal cannot be avoided; every later session is routed by app.py.
    page.goto(app_server)
    wait_for_app(page)
    page.goto(f"{app_server}/khong-co-trang-nay")
    wait_for_app(page)
    page.wait_for_function("() => document.body.innerText.includes('Không tìm thấy trang')"
                           " && document.body.innerText.includes('/khong-co-trang-nay')", timeout=20_000)
    text = visible_text(page)
    assert "Page not found" not in text and "You have requested page" not in text
    assert "khong-co-trang-nay" in text  # says which address was not found
    screenshot("polish-page-not-found", full_page=False)
    page.get_by_role("link", name="Tổng quan").last.click()  # the way back to the overview
    wait_for_app(page)
    assert "Không tìm thấy trang" not in visible_text(page)


def test_file_uploader_and_multiselect_speak_vietnamese(app_server, page, screenshot):
    page.goto(app_server)
    wait_for_app(page)
    page.get_by_role("link", name="So sánh các tỉnh").click()
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stFileUploaderDropzone"]')
    main = page.locator('[data-testid="stMain"]')
    text = main.inner_text()
    for english in ENGLISH_LEFTOVERS:
        assert english not in text, english
    assert "Upload" not in text.split("\n")  # the button's English label (its icon's ligature is 'upload')
    # Our Vietnamese stands in their place (CSS generated text, which innerText leaves out).
    shown = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stFileUploaderDropzone"]')].map(z => [
        getComputedStyle(z.querySelector('button [data-testid="stMarkdownContainer"]'), '::after').content,
        getComputedStyle(z.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] > div'), '::after')
            .content])""")
    assert shown and all(pair == ['"Tải lên"', '"Kéo thả tệp vào đây · tối đa 20 MB mỗi tệp"'] for pair in shown), shown
    placeholder = main.locator('[data-testid="stMultiSelect"] input').first.get_attribute("placeholder")
    assert placeholder == "Chọn tối đa 3 tỉnh"
    main.locator('[data-testid="stFileUploader"]').first.scroll_into_view_if_needed()
    screenshot("polish-uploader-multiselect-vi", full_page=False)


CUT_METRICS_JS = """() => [...document.querySelectorAll('[data-testid="stMetricValue"] div')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""


@pytest.mark.parametrize("path", ["coordinator", "peers"])
def test_metric_values_are_not_cut_off(app_server, browser, path):
    """On a laptop-sized window the text metrics ('1. Nhận thức số', 'chưa công bố trong bảng') are read whole."""
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="vi-VN")
    tab = context.new_page()
    try:
        tab.goto(app_server)
        wait_for_app(tab)
        tab.goto(f"{app_server}/{path}")
        wait_for_app(tab)
        tab.wait_for_selector('[data-testid="stMetricValue"]')
        assert tab.evaluate(CUT_METRICS_JS) == []
    finally:
        context.close()


OVERLAPS_JS = """(selector) => {
    const GAP = 3;  // px
    const boxes = [...document.querySelectorAll(selector)].filter(t => t.textContent.trim())
        .map(t => t.getBoundingClientRect()).filter(b => b.width > 0);
    const hits = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
        // Touching counts: '0,85' beside '0,85' with no gap reads as '0,850,85'.
        if (a.left < b.right + GAP && b.left < a.right + GAP && a.top < b.bottom && b.top < a.bottom)
            hits.push([a.left, a.top, b.left, b.top]);
    }));
    return {count: boxes.length, hits};
}"""


def test_workshop_chart_value_labels_do_not_overlap(app_server, page, screenshot):
    page.goto(app_server)
    wait_for_app(page)
    page.get_by_role("link", name="Hội thảo (dữ liệu minh họa)").click()
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .bars text", state="attached")
    page.wait_for_timeout(1000)  # Plotly lays its labels out after drawing the bars
    found = page.evaluate(OVERLAPS_JS, ".js-plotly-plot .bars text")
    assert found["count"] >= 12  # DTI, 3 pillars and 8 main indices are labelled at least once
    assert found["hits"] == []
    page.locator(".js-plotly-plot").first.screenshot(path=str(ARTIFACTS / "polish-workshop-chart.png"))
