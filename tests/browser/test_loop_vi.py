"""Issue 10's whole loop in a real browser, in Vietnamese, as an agency head would do it: the coordinator names the
province; `1,5` typed in a points field is shown as 1,5 and stored as 1.5; answers (points, evidence, notes) in two
editions and two quarters stay where they were typed; an empty quarter says so and names no "lowest" main index
nor colours a bar red; the page's own download uploads back with nothing changed; the HTML report and every
downloaded file name carry the province and the period.

Two editions with a direct-points component: the all-rules test edition and a copy of it under another id and
title (the shipped 2022 edition has no direct-points component; the 2025 edition cannot be scored).
Screenshots: test-artifacts/loop-*.png.
"""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest
from playwright.sync_api import expect

from dti.decide.charts import LOW
from dti.storage import Store
from tests.apptest_support import TESTS, svg_of
from tests.browser.conftest import choose, save_screenshot, start_streamlit, stop, wait_for_app

pytestmark = pytest.mark.browser

FIRST, SECOND = "all-rules", "all-rules-b"
SECOND_TITLE = "Bộ thử thứ hai"
# The sidebar names an edition without a Decision number by its (short) title, not its file id.
FIRST_LABEL = "DTI 2024 · " + re.search(r"(?m)^title_vi: (.*)$",
                                        (TESTS / "data" / "all-rules.yaml").read_text(encoding="utf-8")).group(1)
SECOND_LABEL = f"DTI 2024 · {SECOND_TITLE}"
PROVINCE = "Gia Lai"


def two_editions(tmp_path):
    folder = tmp_path / "frameworks"
    folder.mkdir()
    source = TESTS / "data" / "all-rules.yaml"
    shutil.copy(source, folder / source.name)
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^id: .*$", f"id: {SECOND}", text)
    text = re.sub(r"(?m)^title_vi: .*$", f"title_vi: {SECOND_TITLE}", text)
    (folder / f"{SECOND}.yaml").write_text(text, encoding="utf-8")
    return folder


def field(page, code: str, name: str):
    """A component's widget, whatever the assessment scope in its key (c_…, c1_…, c2_…)."""
    return page.locator(f'[class*="st-key-c"][class*="_{code.replace(".", "-")}_{name}"]').first


def type_like_a_person(locator, text: str, page) -> None:
    """Key by key, then Enter (how a person types; a fill() would skip the browser's own reading)."""
    box = locator.locator("input")
    box.click()
    box.press("ControlOrMeta+a")
    box.press_sequentially(text, delay=20)
    box.press("Enter")
    wait_for_app(page)


def go(page, link: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=link, exact=True).click()
    wait_for_app(page)


def open_index_two(page) -> None:
    page.get_by_role("tab", name="2. Chỉ số hai").click()
    wait_for_app(page)


def answer_direct(page, points: str, evidence: str, note: str) -> None:
    open_index_two(page)
    type_like_a_person(field(page, "2.3", "value"), points, page)
    type_like_a_person(field(page, "2.3", "evidence"), evidence, page)
    type_like_a_person(field(page, "2.3", "note"), note, page)


def stored(url: str) -> dict[tuple[str, int, int], tuple]:
    """(edition, year, quarter) → (points, evidence, note) of component 2.3, straight from the database."""
    store = Store.open(url)
    try:
        out = {}
        for info in store.assessments():
            answers = store.stored(info.id)
            if "2.3" in answers:
                r = answers["2.3"]
                out[(info.edition_id, info.year, info.quarter)] = (r.points, r.evidence, r.note)
        return out
    finally:
        store.close()


def test_the_whole_loop_in_vietnamese(tmp_path, page, screenshot):
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    proc, base_url, log = start_streamlit("app.py", tmp_path, {"DTI_FRAMEWORKS_DIR": str(two_editions(tmp_path))})
    try:
        # The coordinator names the province once.
        page.goto(f"{base_url}/coordinator")
        wait_for_app(page)
        name_box = page.locator(".st-key-s_province input")
        name_box.fill(PROVINCE)
        name_box.press("Enter")
        wait_for_app(page)
        expect(page.get_by_text(re.compile(f"^{PROVINCE} · "))).to_be_visible()
        screenshot("loop-1-coordinator-province")

        # 1,5 typed in a points field: shown as 1,5, stored as 1.5, with its evidence and note.
        go(page, "Tự đánh giá")
        year = int(page.locator(".st-key-s_period_year input").input_value())
        quarter = int(page.locator(".st-key-s_period_quarter").get_by_role("combobox").input_value())
        other_quarter = 1 if quarter != 1 else 2
        answer_direct(page, "1,5", "Quyết định 15/QĐ-UBND", "ghi chú bộ một")
        expect(field(page, "2.3", "value").locator("input")).to_have_value("1,5")
        expect(field(page, "2.3", "value")).to_contain_text("1,5/10")
        # The form reruns alone (a fragment); its first answer must still end the "no answers yet" notice.
        expect(page.get_by_text(re.compile("chưa có câu trả lời nào"))).to_have_count(0)
        screenshot("loop-2-first-edition")

        # The other edition, same quarter: nothing carried over; its own answer.
        choose(page, page.locator(".st-key-edition_picker"), SECOND_LABEL)  # year and short title
        open_index_two(page)
        for name in ("value", "evidence", "note"):
            expect(field(page, "2.3", name).locator("input")).to_have_value("")
        answer_direct(page, "2,5", "Công văn 25", "ghi chú bộ hai")
        expect(field(page, "2.3", "value").locator("input")).to_have_value("2,5")
        screenshot("loop-3-second-edition")

        # Back to the first edition, another quarter: an empty period, said so, and no "lowest" anywhere.
        choose(page, page.locator(".st-key-edition_picker"), FIRST_LABEL)
        choose(page, page.locator(".st-key-s_period_quarter"), str(other_quarter))
        empty = f"Quý {other_quarter}/{year} chưa có câu trả lời nào"
        expect(page.get_by_text(re.compile(re.escape(empty)))).to_be_visible()
        open_index_two(page)
        for name in ("value", "evidence", "note"):
            expect(field(page, "2.3", name).locator("input")).to_have_value("")
        go(page, "Kết quả")
        expect(page.get_by_text(re.compile(re.escape(empty)))).to_be_visible()
        # The Results page's charts are static SVG images by default (issue 13); their text is read from the image.
        images = page.locator('[data-testid="stImage"] img')
        images.first.wait_for()
        page.wait_for_timeout(500)
        lowest_box = page.locator(".st-key-r_lowest").inner_text()
        assert "Thấp nhất" not in lowest_box
        svgs = [svg_of(src) for src in images.evaluate_all("els => els.map(e => e.getAttribute('src'))")]
        assert len(svgs) == 4 and all(LOW not in svg and "⬇" not in svg for svg in svgs)
        screenshot("loop-4-empty-quarter-results")
        assert stored(url).keys() == {(FIRST, year, quarter), (SECOND, year, quarter)}  # no period made by looking

        # Answer in the other quarter too.
        go(page, "Tự đánh giá")
        answer_direct(page, "3,5", "Báo cáo quý", "ghi chú quý khác")
        screenshot("loop-5-other-quarter")

        # Back to the first quarter: its answer is there, then download → upload the same file → nothing changes.
        choose(page, page.locator(".st-key-s_period_quarter"), str(quarter))
        open_index_two(page)
        expect(field(page, "2.3", "value").locator("input")).to_have_value("1,5")
        expect(field(page, "2.3", "evidence").locator("input")).to_have_value("Quyết định 15/QĐ-UBND")
        before = stored(url)
        page.get_by_text("Tải xuống / tải lên bản tự đánh giá").click()
        wait_for_app(page)
        with page.expect_download() as info:
            page.get_by_role("button", name="⬇ CSV").click()
        download = info.value
        assert download.suggested_filename == f"dti-2024-gia-lai-{year}-q{quarter}-tu-danh-gia.csv"
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        row = next(r for r in csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig")))
                   if r["code"] == "2.3")
        assert (row["evidence"], row["note"]) == ("Quyết định 15/QĐ-UBND", "ghi chú bộ một")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(saved))
        wait_for_app(page)
        expect(page.get_by_text("0 chỉ số được trả lời mới, 0 câu trả lời được thay")).to_be_visible(timeout=15_000)
        page.get_by_role("button", name="Nhập (gộp vào kỳ này)").click()
        wait_for_app(page)
        expect(page.get_by_text(f"Đã nhập {saved.name}")).to_be_visible()
        screenshot("loop-6-reupload")
        assert stored(url) == before

        # The report names the province and the period, in its content and its file name.
        go(page, "Báo cáo")
        with page.expect_download() as info:
            page.locator(".st-key-report_html").get_by_role("button").click()
        report = info.value
        assert report.suggested_filename == f"dti-2024-gia-lai-{year}-q{quarter}-bao-cao.html"
        html = (tmp_path / "report.html")
        report.save_as(html)
        text = html.read_text(encoding="utf-8")
        assert PROVINCE in text and f"Quý {quarter}/{year}" in text
        screenshot("loop-7-report")
        assert "Traceback" not in log.read_text()
    finally:
        stop(proc)

    assert stored(url) == {
        (FIRST, year, quarter): (1.5, "Quyết định 15/QĐ-UBND", "ghi chú bộ một"),
        (SECOND, year, quarter): (2.5, "Công văn 25", "ghi chú bộ hai"),
        (FIRST, year, other_quarter): (3.5, "Báo cáo quý", "ghi chú quý khác"),
    }


INSTRUCTIONS_JS = """e => {
    const first = e.querySelector('[data-testid="InputInstructions"] > span');
    return {english: getComputedStyle(first).visibility, ours: getComputedStyle(first, '::after').content};
}"""


@pytest.mark.parametrize("lang, ours, english", [("vi", '"Nhấn Enter để áp dụng"', "hidden"),
                                                  ("en", "none", "visible")])
def test_a_text_fields_enter_hint_speaks_the_ui_language(app_server, page, lang, ours, english):
    """Streamlit writes "Press Enter to apply" under a field being typed in; in Vietnamese mode it says so in
    Vietnamese (the English text hidden, ours in its place), in English mode it is Streamlit's own."""
    page.goto(f"{app_server}/scenarios" + ("?lang=en" if lang == "en" else ""))
    wait_for_app(page)
    target = page.locator('[class*="st-key-decide_gs_dti"]')
    target.locator("input").click()
    target.locator("input").press_sequentially("0", delay=20)  # typed, not applied: the hint shows
    target.locator('[data-testid="InputInstructions"] > span').first.wait_for(state="attached")
    assert target.evaluate(INSTRUCTIONS_JS) == {"english": english, "ours": ours}
    save_screenshot(page, f"loop-enter-hint-{lang}", full_page=False)
