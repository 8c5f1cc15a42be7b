"""A what-if scenario made in a real browser is in the database at once and is still listed after the server
restarts (a fresh session); an evidence file uploaded in the browser is stored. Screenshots go to
test-artifacts/scenarios-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dti.framework import registry
from dti.storage import Store
from tests.browser.conftest import start_streamlit, stop, wait_for_app

pytestmark = pytest.mark.browser

NAME = "Đầu tư hạ tầng số"


def test_a_scenario_survives_a_server_restart(tmp_path, page, screenshot):
    fw = registry.load(registry.DEFAULT_EDITION)
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    proc, base_url, _log = start_streamlit("app.py", tmp_path)
    try:
        page.goto(f"{base_url}/scenarios")
        wait_for_app(page)
        page.get_by_label("Tên kịch bản mới").fill(NAME)
        page.get_by_label("Tên kịch bản mới").press("Enter")
        page.get_by_role("button", name="Tạo kịch bản từ hiện trạng").click()
        expect(page.get_by_label("Kịch bản đang sửa")).to_have_value(NAME, timeout=15_000)
        screenshot("scenarios-1-created")
    finally:
        stop(proc)

    store = Store.open(url)
    assert [s.name for s in store.scenarios(store.latest_assessment(fw.id).id)] == [NAME]
    store.close()

    proc, base_url, _log = start_streamlit("app.py", tmp_path)  # the server restarts on the same database
    try:
        page.goto(f"{base_url}/scenarios")  # no link parameters: the scenario comes from the database
        wait_for_app(page)
        expect(page.get_by_label("Kịch bản đang sửa")).to_have_value(NAME, timeout=15_000)
        screenshot("scenarios-2-after-restart")
    finally:
        stop(proc)
