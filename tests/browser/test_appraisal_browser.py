"""Issue 12 in a real browser: the coordinator assigns main index 7 to one agency in one action, and the
progress table shows it at once. Screenshot: test-artifacts/appraisal-bulk-assign.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dti.framework import registry
from dti.storage import Actor, Store
from tests.browser.conftest import choose, start_streamlit, stop, wait_for_app

pytestmark = pytest.mark.browser

COORD = Actor("coord", "coordinator")


def test_bulk_assignment_of_main_index_7_in_the_browser(tmp_path, page, screenshot):
    fw = registry.load(registry.DEFAULT_EDITION)
    store = Store.open(f"sqlite:///{tmp_path / 'dti.sqlite'}")
    pid = store.assessment(fw.id, 2026, 4).id
    store.save_response(COORD, pid, "1.1", 0, value="deputy")
    lead = store.add_agency(COORD, "Sở Khoa học và Công nghệ")
    codes = [c.code for c in fw.main_index_by_code["7"].components]
    proc, base_url, _log = start_streamlit("app.py", tmp_path)
    try:
        page.goto(f"{base_url}/coordinator")
        wait_for_app(page)
        page.get_by_role("tab", name="Giao chỉ số").click()
        choose(page, page.locator(".st-key-s_bulk_mains"), re.compile(r"^7\. "))
        page.keyboard.press("Escape")  # a multiselect keeps its list open
        choose(page, page.locator(".st-key-s_bulk_lead"), "Sở Khoa học và Công nghệ")
        page.get_by_role("button", name="Phân công", exact=True).click()
        wait_for_app(page)
        expect(page.get_by_text(f"Đã phân công {len(codes)} chỉ số thành phần cho Sở Khoa học và Công nghệ."))\
            .to_be_visible(timeout=15_000)
        screenshot("appraisal-bulk-assign")
        assert store.assignments(pid) == {c: (lead, []) for c in codes}
        page.get_by_role("tab", name="Tiến độ").click()
        # Progress and the agency's drill-down read the new assignment right after saving.
        expect(page.get_by_text(f"0/{len(codes)} chỉ số đã trả lời", exact=False)).to_be_visible(timeout=15_000)
        screenshot("appraisal-drill-down")
    finally:
        stop(proc)
        store.close()
