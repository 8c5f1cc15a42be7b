"""Issue 10 in a real browser: evidence typed in one edition or quarter never appears in, or is saved into,
another one after switching in the sidebar. (A browser keeps a widget's value while its id lives; AppTest does
not, so only this test sees the original symptom.) Screenshots: test-artifacts/context-*.png."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from dti.framework import registry
from dti.storage import Store
from tests.browser.conftest import choose, save_screenshot, start_streamlit, stop, wait_for_app
from ui.widgets import edition_short_label

pytestmark = pytest.mark.browser

EDITION = registry.DEFAULT_EDITION
COPY = "dti-2022-copy"


def field(page, code: str, name: str):
    """The input of a component's widget, whatever the assessment scope in its key (c_…, c1_…, c2_…)."""
    return page.locator(f'[class*="st-key-c"][class*="_{code.replace(".", "-")}_{name}"]').first


def type_into(page, code: str, name: str, text: str) -> None:
    box = field(page, code, name).locator("input")
    box.fill(text)
    box.press("Enter")
    wait_for_app(page)


def level_label(fw, code: str, key: str) -> str:
    return next(lv.label_vi for lv in fw.component_by_code[code].rule.levels if lv.key == key)


def test_nothing_typed_in_one_edition_or_quarter_reaches_another(tmp_path, browser):
    # The session's browser, not a second sync_playwright(): one started while the session's runs fails
    # ("using Playwright Sync API inside the asyncio loop") once an earlier test has opened a page.
    from tests.browser.conftest import VIEWPORT

    folder = tmp_path / "frameworks"
    folder.mkdir()
    source = registry.DEFAULT_FRAMEWORKS_DIR / f"{EDITION}.yaml"
    shutil.copy(source, folder / source.name)
    text = re.sub(r"(?m)^id: .*$", f"id: {COPY}", source.read_text(encoding="utf-8"))
    text = re.sub(r"(?m)^title_vi: .*$", "title_vi: Bản sao để thử", text)
    (folder / f"{COPY}.yaml").write_text(text, encoding="utf-8")
    fw = registry.load(EDITION)
    # The sidebar names an edition by its short label (year, Decision number, id when two read the same).
    found, _problems = registry.load_all(folder)
    label = {i: edition_short_label(f, "vi", list(found.values())) for i, f in found.items()}
    assert label[COPY] != label[EDITION]
    proc, base_url, _log = start_streamlit("app.py", tmp_path, {"DTI_FRAMEWORKS_DIR": str(folder)})
    try:
        context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
        try:
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.goto(f"{base_url}/assessment")
            wait_for_app(page)
            type_into(page, "1.1", "evidence", "Quyết định 12/2022")
            type_into(page, "1.1", "note", "ghi chú 2022")

            choose(page, page.locator(".st-key-edition_picker"), label[COPY], exact=False)
            expect(field(page, "1.1", "evidence").locator("input")).to_have_value("")
            expect(field(page, "1.1", "note").locator("input")).to_have_value("")
            choose(page, field(page, "1.1", "value"), level_label(fw, "1.1", "deputy"), exact=False)  # the next answer
            save_screenshot(page, "context-1-other-edition")
            page.reload()  # a refresh reopens the edition shown (the address carries it), not the default one
            wait_for_app(page)
            expect(page.locator(".st-key-edition_picker").get_by_role("combobox")).to_have_value(label[COPY])
            expect(field(page, "1.1", "value").get_by_role("combobox")).to_have_value(
                re.compile("^" + re.escape(level_label(fw, "1.1", "deputy"))))

            quarter_box = page.locator(".st-key-s_period_quarter")
            current = quarter_box.get_by_role("combobox").input_value()
            other = "1" if current != "1" else "2"
            choose(page, page.locator(".st-key-edition_picker"), label[EDITION], exact=False)  # back to 2022
            expect(field(page, "1.1", "evidence").locator("input")).to_have_value("Quyết định 12/2022")
            choose(page, quarter_box, other, exact=False)
            expect(field(page, "1.1", "evidence").locator("input")).to_have_value("")
            choose(page, field(page, "1.1", "value"), level_label(fw, "1.1", "top_leader"), exact=False)
            save_screenshot(page, "context-2-other-quarter")
            page.reload()  # and the quarter shown
            wait_for_app(page)
            expect(quarter_box.get_by_role("combobox")).to_have_value(other)
            expect(field(page, "1.1", "value").get_by_role("combobox")).to_have_value(
                re.compile("^" + re.escape(level_label(fw, "1.1", "top_leader"))))
        finally:
            context.close()
    finally:
        stop(proc)

    store = Store.open(f"sqlite:///{tmp_path / 'dti.sqlite'}")
    try:
        by_period = {(a.edition_id, a.quarter): store.stored(a.id)["1.1"] for a in store.assessments()}
    finally:
        store.close()
    originals = [r for (edition, _q), r in by_period.items() if edition == EDITION and r.evidence]
    assert [(r.evidence, r.note) for r in originals] == [("Quyết định 12/2022", "ghi chú 2022")]
    others = {key: (r.value, r.evidence, r.note) for key, r in by_period.items() if not r.evidence}
    assert sorted(v for v in others.values()) == [("deputy", "", ""), ("top_leader", "", "")]
    assert len(by_period) == 3  # 2022 this quarter, the copy this quarter, 2022 the other quarter


def test_a_refused_stale_save_shows_the_stored_value_in_the_field(tmp_path, page):
    """Someone else saved meanwhile: the field shows their (stored) level again, not the refused one."""
    fw = registry.load(EDITION)
    proc, base_url, _log = start_streamlit("app.py", tmp_path)
    try:
        page.goto(f"{base_url}/assessment")
        wait_for_app(page)
        choose(page, field(page, "1.1", "value"), level_label(fw, "1.1", "deputy"), exact=False)
        store = Store.open(f"sqlite:///{tmp_path / 'dti.sqlite'}")
        try:
            info = store.assessments()[0]
            from dti.storage import Actor

            store.save_response(Actor("bob", "coordinator"), info.id, "1.1", 1, value="top_leader")
        finally:
            store.close()
        choose(page, field(page, "1.1", "value"), level_label(fw, "1.1", "none"), exact=False)
        alert = page.get_by_text(re.compile("bob đã lưu giá trị khác"))
        expect(alert).to_contain_text(level_label(fw, "1.1", "top_leader"))
        expect(field(page, "1.1", "value").get_by_role("combobox")).to_have_value(
            re.compile("^" + re.escape(level_label(fw, "1.1", "top_leader"))))
        save_screenshot(page, "context-3-stale-save")
    finally:
        stop(proc)
