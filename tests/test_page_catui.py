"""The Editions page's review flow for an uploaded appendix (issue 9) with Streamlit's AppTest: a .docx of a
department-level index read as a new framework, the per-row review table, corrections made in it, the form-row
preview, the official-appendix checkbox, a viewer's refusal and a bad document's message. The browser test of the
whole path is tests/browser/test_catui_browser.py."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dti.framework import registry
from dti.framework.validation import load_framework_file
from dti.roles import Actor
from tests.catalogue_fixtures import DEPARTMENT_ROWS, docx_bytes, html_table, pdf_from_html, table_rows

PAGE = str(registry.REPO_ROOT / "pages" / "editions.py")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FILE = "Bo chi so so nganh.docx"
NEW_ID = "bo-chi-so-so-nganh"
LEAVES = [r[0] for r in DEPARTMENT_ROWS if not any(o[0].startswith(r[0] + ".") for o in DEPARTMENT_ROWS)]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A frameworks folder of its own (saving writes there), and a database of its own."""
    frameworks = tmp_path / "frameworks"
    frameworks.mkdir()
    for name in ("dti-2022-province.yaml", "dti-2025-province.yaml"):
        shutil.copy(registry.DEFAULT_FRAMEWORKS_DIR / name, frameworks / name)
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(frameworks))
    monkeypatch.setenv("DTI_DATABASE_URL", f"sqlite:///{tmp_path / 'dti.sqlite'}")
    return frameworks


def uploaded(actor: Actor | None = None, data: bytes | None = None, name: str = FILE, lang: str = "vi",
             mime: str = DOCX) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.session_state["lang"] = lang
    if actor is not None:
        at.session_state["actor"] = actor
    at.run()
    at.file_uploader(key="ed_upload").set_value((name, docx_bytes(table_rows()) if data is None else data, mime))
    at.run()
    assert not at.exception, at.exception
    return at


def review_table(at: AppTest):
    found = [d for d in at.dataframe if d.key == "ed_review"]
    assert len(found) == 1, [d.key for d in at.dataframe]
    return found[0].value


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def test_docx_appendix_is_read_as_a_new_framework_with_a_row_per_component(folder):
    at = uploaded()
    assert not at.error
    ok = f"{FILE} hợp lệ: 6 chỉ số chính, {len(LEAVES)} chỉ số thành phần, 100 điểm"
    assert any(ok in s for s in texts(at.success))
    assert at.text_input(key="ed_new_id").value == NEW_ID  # the id comes from the file name
    assert any("nạp từ tệp" in c and FILE in c for c in texts(at.caption))  # not official unless stated
    table = review_table(at)
    assert list(table["code"]) == LEAVES
    rows = table.set_index("code")
    assert rows.loc["1.1", "rule_type"] == "các mức" and "Bí thư" in rows.loc["1.1", "rule_text"]
    assert rows.loc["1.3", "rule_type"] == rows.loc["3.2", "rule_type"] == "bậc (số lần, ngưỡng %)"
    assert rows.loc["3.1", "rule_type"] == "có/không"
    # The original text is kept verbatim beside the rule; what was not read says why, in Vietnamese.
    assert rows.loc["6.2", "scoring_vi"] == "Do Hội đồng thẩm định xem xét, quyết định"
    assert rows.loc["6.2", "rule_type"] == "nhập điểm trực tiếp" and rows.loc["6.2", "review_vi"]
    assert rows.loc["1.1", "review_vi"] == ""
    assert any("chưa đọc được cách tính điểm một cách chắc chắn" in i for i in texts(at.info))
    assert not (folder / f"{NEW_ID}.yaml").exists()  # nothing saved before the button


def test_review_edit_is_applied_and_saved_as_a_from_file_framework(folder):
    at = uploaded()
    index = LEAVES.index("6.2")
    at.session_state["ed_review"] = {"edited_rows": {index: {"rule_type": "các mức",
                                                             "rule_text": "Tốt = 1; Đạt = 0,5; Chưa đạt = 0"}},
                                     "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception and not at.error
    assert any("còn 0 chỉ số thành phần chờ chọn quy tắc" in c for c in texts(at.caption))
    # The preview shows the row as the form will: here the levels of the corrected rule, with their points.
    at.selectbox(key="ed_preview_code").set_value("6.2").run()
    preview = at.selectbox(key="cpreview_6.2_value")
    assert preview.disabled and preview.options == ["Tốt (5)", "Đạt (2,5)", "Chưa đạt (0)"]
    at.button(key="ed_save").click().run()
    assert not at.exception
    assert any(f"Đã lưu {NEW_ID}.yaml" in s for s in texts(at.success))
    fw = load_framework_file(folder / f"{NEW_ID}.yaml")
    assert fw.official_appendix == "" and fw.component_by_code["1.1"].provenance.title == "from_file"
    reviewed = fw.component_by_code["6.2"]
    assert reviewed.rule.type == "levels" and [lv.share for lv in reviewed.rule.levels] == [1, 0.5, 0]
    assert reviewed.scoring_review_vi == "" and reviewed.scoring_vi == "Do Hội đồng thẩm định xem xét, quyết định"
    assert "reviewed by the coordinator" in reviewed.provenance.source
    # It is now an edition of the app: listed with the others.
    assert any(o.startswith("Bo chi so so nganh (") for o in at.selectbox(key="ed_a").options)


def test_unreadable_review_row_names_the_component_and_offers_no_save(folder):
    at = uploaded()
    at.session_state["ed_review"] = {"edited_rows": {LEAVES.index("1.3"): {"rule_text": "bốn lần là đủ"}},
                                     "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert any("Chưa áp dụng được phần sửa: 1 dòng cần sửa" in e for e in texts(at.error))
    assert any("chỉ số thành phần 1.3: 'bốn lần là đủ' không đúng dạng 'số lần = tỷ lệ'" in c for c in texts(at.code))
    assert not [b for b in at.button if b.key == "ed_save"]
    assert not (folder / f"{NEW_ID}.yaml").exists()


def test_official_checkbox_records_the_decision(folder):
    at = uploaded()
    at.checkbox(key="ed_official").check().run()
    # Stated official without the Decision's number: said, and no save.
    assert any("Hãy ghi số Quyết định" in w for w in texts(at.warning))
    assert at.button(key="ed_save").disabled
    at.text_input(key="ed_decision").set_value("  780/QĐ-UBND ").run()
    assert any("phụ lục chính thức của Quyết định 780/QĐ-UBND" in c for c in texts(at.caption))
    at.button(key="ed_save").click().run()
    assert not at.exception and not at.error
    fw = load_framework_file(folder / f"{NEW_ID}.yaml")
    assert fw.official_appendix == "780/QĐ-UBND" and fw.status == "in_force"
    assert fw.component_by_code["1.1"].provenance.title == "official"
    assert fw.component_by_code["6.2"].provenance.rule != "official"  # an unread rule is never official


def test_a_viewer_sees_the_review_but_cannot_save(folder):
    at = uploaded(Actor("v", "viewer"))
    assert review_table(at) is not None
    assert at.button(key="ed_save").disabled
    assert any("Chỉ điều phối viên" in w for w in texts(at.warning))
    assert not (folder / f"{NEW_ID}.yaml").exists()


def test_a_document_without_a_table_is_refused_with_a_message(folder):
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Bộ chỉ số đánh giá chuyển đổi số: xem bảng đính kèm")
    buf = io.BytesIO()
    document.save(buf)
    at = uploaded(data=buf.getvalue(), name="khong-co-bang.docx")
    assert any("Không nạp được khong-co-bang.docx" in e for e in texts(at.error))
    problem = " ".join(texts(at.code))
    assert "khong-co-bang.docx" in problem and "Traceback" not in problem
    assert not [d for d in at.dataframe if d.key == "ed_review"]
    assert sorted(p.name for p in folder.iterdir()) == ["dti-2022-province.yaml", "dti-2025-province.yaml"]


def test_text_pdf_is_read_and_a_scanned_pdf_is_refused_saying_what_to_do(folder):
    at = uploaded(data=pdf_from_html(html_table(table_rows())), name="phu-luc.pdf", mime="application/pdf")
    assert any(f"phu-luc.pdf hợp lệ: 6 chỉ số chính, {len(LEAVES)} chỉ số thành phần, 100 điểm" in s
               for s in texts(at.success))
    assert list(review_table(at)["code"]) == LEAVES

    shapes = "".join(f"<rect x='10' y='{20 * i}' width='300' height='12' fill='#333'/>" for i in range(30))
    scan = pdf_from_html(f"<!doctype html><svg width='600' height='700'>{shapes}</svg>")
    at = uploaded(data=scan, name="ban-quet.pdf", mime="application/pdf")
    assert any("Không nạp được ban-quet.pdf" in e for e in texts(at.error))
    assert any("ban-quet.pdf: không có lớp chữ: đây là bản quét (ảnh); hãy nạp bản Word hoặc Excel" in c
               for c in texts(at.code))
    assert not (folder / "ban-quet.yaml").exists() and not [b for b in at.button if b.key == "ed_save"]


def test_english(folder):
    at = uploaded(lang="en")
    rows = review_table(at).set_index("code")
    assert rows.loc["1.1", "rule_type"] == "levels" and rows.loc["6.2", "rule_type"] == "points typed directly"
    assert any("loaded from the file" in c for c in texts(at.caption))
