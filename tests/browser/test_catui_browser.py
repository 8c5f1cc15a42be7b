"""Issue 9 end to end in a real browser: the coordinator uploads a .docx appendix of a department-level index
(6 main indices, 100 points), looks through the review table and the form-row preview, saves it as a new
framework, picks it in the sidebar and answers a stepped and a ratio component; the points and the main index's
value shown are those of dti.scoring.engine.score. Screenshots: test-artifacts/catui-*.png."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from dti.framework import registry
from dti.framework.validation import load_framework_file
from dti.i18n import fmt_number, fmt_points
from dti.scoring.engine import Response, score
from tests.browser.conftest import choose, save_screenshot, start_streamlit, stop, wait_for_app
from tests.catalogue_fixtures import docx_bytes, table_rows
from ui.widgets import edition_short_label

pytestmark = pytest.mark.browser

FILE = "chi-so-so-nganh.docx"
NEW_ID = "chi-so-so-nganh"
TITLE = "Bộ chỉ số chuyển đổi số sở, ngành"


@pytest.fixture
def server(tmp_path):
    """app.py in single-user mode (the coordinator) with a frameworks folder of its own."""
    folder = tmp_path / "frameworks"
    folder.mkdir()
    shutil.copy(registry.DEFAULT_FRAMEWORKS_DIR / "dti-2022-province.yaml", folder / "dti-2022-province.yaml")
    proc, base_url, _log = start_streamlit("app.py", tmp_path, {"DTI_FRAMEWORKS_DIR": str(folder)})
    try:
        yield base_url, folder
    finally:
        stop(proc)


def field(page, code: str, name: str):
    """A form widget by its key (``c<scope>_<code>_<name>``; Streamlit's CSS class writes dots as dashes)."""
    return page.locator(f'[class*="st-key-c"][class*="_{code.replace(".", "-")}_{name}"]').first


def type_into(locator, text: str, page) -> None:
    box = locator.locator("input")
    box.fill(text)
    box.press("Enter")
    wait_for_app(page)


def test_docx_appendix_to_a_scored_form(server, page, tmp_path):
    base_url, folder = server
    appendix = tmp_path / FILE
    appendix.write_bytes(docx_bytes(table_rows()))
    page.goto(base_url)
    wait_for_app(page)
    page.get_by_role("link", name="Phiên bản bộ chỉ số").first.click()
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')

    # Upload: read as a new framework (the structure comes from the file).
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(appendix))
    main.get_by_text(f"{FILE} hợp lệ: 6 chỉ số chính, 11 chỉ số thành phần, 100 điểm").wait_for()
    wait_for_app(page)
    type_into(page.locator(".st-key-ed_title"), TITLE, page)
    expect(main.get_by_text("Sẽ ghi là «nạp từ tệp»")).to_be_visible()
    # Review: one row per component in the table, one reading awaiting review; the form row previewed.
    expect(page.locator(".st-key-ed_review")).to_be_visible()
    expect(main.get_by_text("1 chỉ số thành phần chưa đọc được cách tính điểm")).to_be_visible()
    choose(page, page.locator(".st-key-ed_preview_code"), "2.1 ", exact=False)
    preview = main.locator('[class*="st-key-cpreview_2-1_a"]')
    expect(preview).to_contain_text("a = số cuộc họp CĐS có Bí thư/Chủ tịch chủ trì")
    expect(main.locator('[class*="st-key-cpreview_2-1_b"]')).to_contain_text("b = tổng số cuộc họp CĐS")
    save_screenshot(page, "catui-1-review")

    main.get_by_role("button", name="Lưu thành phiên bản mới").click()
    main.get_by_text(f"Đã lưu {NEW_ID}.yaml").wait_for()
    wait_for_app(page)
    fw = load_framework_file(folder / f"{NEW_ID}.yaml")
    assert fw.title_vi == TITLE and fw.total_points == 100 and len(fw.main_indices) == 6

    # Pick it in the sidebar and answer: 3 meetings a year (stepped) and 3 of 4 meetings chaired (ratio).
    # A province's own framework (no Decision number) is named in the sidebar by its shortened title.
    others = [load_framework_file(path) for path in folder.glob("*.yaml")]
    choose(page, page.locator(".st-key-edition_picker"), edition_short_label(fw, "vi", others), exact=False)
    page.get_by_role("link", name="Tự đánh giá").first.click()
    wait_for_app(page)
    expect(main.get_by_role("tab", name=re.compile("^1. Nhận thức số"))).to_be_visible()
    type_into(field(page, "1.3", "value"), "3", page)
    main.get_by_role("tab", name=re.compile("^2. Thể chế số")).click()
    wait_for_app(page)
    expect(field(page, "2.1", "a")).to_contain_text("a = số cuộc họp CĐS có Bí thư/Chủ tịch chủ trì")
    type_into(field(page, "2.1", "a"), "3", page)
    type_into(field(page, "2.1", "b"), "4", page)
    save_screenshot(page, "catui-2-answered")

    expected = score(fw, {"1.3": Response("1.3", value=3), "2.1": Response("2.1", value="3/4")})
    assert expected.components["2.1"].points == 15 and expected.components["1.3"].points == 15
    shown = main.inner_text()
    assert f"{fmt_points(expected.components['2.1'].points, 'vi')}/20" in shown
    assert fmt_number(expected.main_indices["2"].value, "vi") in shown  # 0,7500
    main.get_by_role("tab", name=re.compile("^1. Nhận thức số")).click()
    wait_for_app(page)
    shown = main.inner_text()
    assert f"{fmt_points(expected.components['1.3'].points, 'vi')}/20" in shown
    assert fmt_number(expected.main_indices["1"].value, "vi") in shown  # 15 of 40: 0,3750
    assert fmt_number(expected.dti, "vi") in shown
    assert "Traceback" not in shown
