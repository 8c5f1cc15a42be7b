"""In a real browser (Streamlit's own Markdown renderer, remark-gfm, emoji shortcodes): a scenario name from a
shared link shows as typed; no image is fetched, no link is made, :-1: is no emoji (issue 11)."""

from __future__ import annotations

from urllib.parse import quote, urlparse

import pytest

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

HOSTILE = "![t](http://x/y.png) [Verify](http://e) :-1: <img src=x>"


def test_scenario_name_from_a_link_is_shown_as_typed(app_server, page):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{app_server}/scenarios?scn={quote(HOSTILE)}&sc=4.1:7.6923")
    wait_for_app(page)
    alert = page.locator('[data-testid="stAlertContentSuccess"]', has_text="Đã mở kịch bản").first
    alert.wait_for()
    shown = alert.inner_text().replace("\u2060", "")
    assert HOSTILE in shown, shown
    assert "👎" not in page.locator('[data-testid="stMain"]').inner_text()
    assert page.locator('[data-testid="stMain"] a[href^="http://e"]').count() == 0
    assert page.locator('img[src*="y.png"], img[src="x"]').count() == 0
    assert not [url for url in requested if urlparse(url).hostname in ("x", "e") or urlparse(url).path == "/x"]
