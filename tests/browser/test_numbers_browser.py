"""Vietnamese decimals in a real browser: '1,5' typed into a points field is stored as 1.5 and shown as '1,5'
(on a number input Chromium read it as 15). Uses the all-rules test edition (the shipped 2022 edition has no
direct-points or stepped component). Screenshot: test-artifacts/numbers-direct-points.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dti.storage import Store
from tests.apptest_support import all_rules_dir
from tests.browser.conftest import answer_box, start_streamlit, stop, wait_for_app

pytestmark = pytest.mark.browser


def stored_points(url: str, code: str) -> float | None:
    store = Store.open(url)
    try:
        assessment = store.latest_assessment("all-rules")
        stored = store.stored(assessment.id) if assessment else {}
        return stored[code].points if code in stored else None
    finally:
        store.close()


def type_into(page, code: str, text: str) -> None:
    """Type like a person (key by key, then Enter) into a component's answer field and wait for the save."""
    field = answer_box(page, code).locator("input")
    field.click()
    field.press("ControlOrMeta+a")
    field.press_sequentially(text, delay=30)
    field.press("Enter")
    wait_for_app(page)


def test_a_vietnamese_decimal_is_stored_and_shown_as_typed(tmp_path, page, screenshot):
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    proc, base_url, _log = start_streamlit("app.py", tmp_path,
                                           {"DTI_FRAMEWORKS_DIR": str(all_rules_dir(tmp_path))})
    try:
        page.goto(f"{base_url}/assessment")
        wait_for_app(page)
        page.get_by_role("tab", name="2. Chỉ số hai").click()
        wait_for_app(page)
        type_into(page, "2.3", "1,5")
        field = answer_box(page, "2.3").locator("input")
        expect(answer_box(page, "2.3")).to_contain_text("1,5/10")  # the points in the row's title
        assert stored_points(url, "2.3") == 1.5
        expect(field).to_have_value("1,5")
        screenshot("numbers-direct-points")

        type_into(page, "2.3", "12,5")  # over 10 points: refused, never stored as 125
        expect(page.get_by_text("điểm 12,5 vượt mức tối đa 10")).to_be_visible()
        assert stored_points(url, "2.3") == 1.5

        page.reload()  # the field is filled from storage, in Vietnamese format
        wait_for_app(page)
        page.get_by_role("tab", name="2. Chỉ số hai").click()
        wait_for_app(page)
        expect(answer_box(page, "2.3").locator("input")).to_have_value("1,5")
    finally:
        stop(proc)
