"""The "Phiên bản bộ chỉ số / Framework editions" page with Streamlit's AppTest: upload round trip, a bad file,
the incomplete 2025 edition explained, the side-by-side comparison, English."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dti.framework import registry
from dti.framework.validation import load_framework_file
from tests.test_catalogue import catalogue_rows, good_catalogue_xlsx, xlsx_bytes

PAGE = str(registry.REPO_ROOT / "pages" / "editions.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def editions_dir(tmp_path, monkeypatch):
    """A frameworks folder of its own, so saving never touches config/frameworks."""
    folder = tmp_path / "frameworks"
    folder.mkdir()
    for name in ("dti-2022-province.yaml", "dti-2025-province.yaml"):
        shutil.copy(registry.DEFAULT_FRAMEWORKS_DIR / name, folder / name)
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(folder))
    # The page reads the current assessment (to offer carrying it): a database of its own too.
    monkeypatch.setenv("DTI_DATABASE_URL", f"sqlite:///{tmp_path / 'dti.sqlite'}")
    return folder


def app(lang: str = "vi") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def test_incomplete_edition_is_explained(editions_dir):
    at = app()
    warning = next(w for w in texts(at.warning) if "2025" in w)
    assert "chưa đủ để chấm điểm" in warning and "47 chỉ số thành phần" in warning
    assert any("tải Phụ lục 1 chính thức lên ở mục dưới" in c for c in texts(at.caption))


def test_upload_preview_and_save_round_trip(editions_dir):
    at = app()
    at.selectbox(key="ed_base").set_value("dti-2022-province")
    at.file_uploader(key="ed_upload").set_value(("phu-luc-1.xlsx", good_catalogue_xlsx(), XLSX))
    at.run()
    assert not at.exception and not at.error
    ok = "phu-luc-1.xlsx hợp lệ: 9 chỉ số chính, 98 chỉ số thành phần, 1.000 điểm"
    assert any(ok in s for s in texts(at.success))
    summary = at.dataframe[0].value  # the summary comes first
    assert list(summary["Mã"]) == [str(i) for i in range(1, 10)]
    assert list(summary["Số chỉ số thành phần"]) == [10, 11, 7, 13, 12, 3, 22, 12, 8]
    assert not (editions_dir / "dti-2022-province-official.yaml").exists()  # nothing saved before the button

    at.button(key="ed_save").click()
    at.run()
    assert not at.exception
    saved = editions_dir / "dti-2022-province-official.yaml"
    assert any("Đã lưu dti-2022-province-official.yaml" in s for s in texts(at.success))
    fw = load_framework_file(saved)
    assert fw.complete and len(fw.components) == 98
    assert any("(Phụ lục nạp từ tệp) (2022)" in o for o in at.selectbox(key="ed_a").options)

    # Saving again never overwrites silently: the button waits for the explicit confirmation.
    before = saved.read_text(encoding="utf-8")
    assert any("Đã có tệp dti-2022-province-official.yaml" in w for w in texts(at.warning))
    assert at.button(key="ed_save").disabled
    at.checkbox(key="ed_overwrite").check()
    at.run()
    assert not at.button(key="ed_save").disabled
    assert saved.read_text(encoding="utf-8") == before


def test_bad_file_shows_row_messages_and_saves_nothing(editions_dir):
    rows = catalogue_rows()
    rows[[r[0] for r in rows].index("2.4")][2] = "mười"
    at = app()
    at.file_uploader(key="ed_upload").set_value(("phu-luc-1.xlsx", xlsx_bytes(rows), XLSX))
    at.run()
    assert not at.exception
    assert any("Không nạp được phu-luc-1.xlsx: 1 lỗi" in e for e in texts(at.error))
    # In the UI's language (Vietnamese first): the file, the row, the component and the fix.
    assert any("dòng 19, chỉ số thành phần 2.4: điểm tối đa 'mười' không phải là số; hãy ghi một số" in c
               for c in texts(at.code))
    assert not [b for b in at.button if b.key == "ed_save"] and sorted(p.name for p in editions_dir.iterdir()) == [
        "dti-2022-province.yaml", "dti-2025-province.yaml"]


def test_not_a_spreadsheet_is_refused_politely(editions_dir):
    at = app()
    at.file_uploader(key="ed_upload").set_value(("phu-luc-1.xlsx", b"%PDF-1.7 not a workbook", XLSX))
    at.run()
    assert not at.exception
    assert any("phu-luc-1.xlsx: không phải tệp Excel" in c for c in texts(at.code))


def test_side_by_side_pairs_renumbered_main_indices(editions_dir):
    at = app()
    at.selectbox(key="ed_a").set_value("dti-2022-province")
    at.selectbox(key="ed_b").set_value("dti-2025-province")
    at.run()
    mains = at.dataframe[0].value
    row = mains[mains["Mã A"] == "7"].iloc[0]
    assert row["Mã B"] == "6" and row["So khớp"] == "cùng tên, khác mã" and row["Điểm B"] == "chưa biết"
    assert mains[mains["Mã A"] == "6"].iloc[0]["So khớp"] == "chỉ có ở A"
    assert row["Tên B"] == "Hoạt động chính quyền số ⚠ tạm đặt"  # 2025 points are not known: not official
    comps = at.dataframe[1].value
    assert len(comps) == 98 and set(comps["So khớp"]) == {"chỉ có ở A"}
    # The shipped 2022 components are provisional (none is official): each carries the mark.
    assert comps["Tên A"].str.endswith("⚠ tạm đặt").all()


def test_english(editions_dir):
    at = app("en")
    assert at.title[0].value == "Framework editions"
    assert any("cannot be scored yet" in w and "47 components" in w for w in texts(at.warning))



def test_carry_the_assessment_into_another_edition(editions_dir, tmp_path, monkeypatch):
    import yaml

    from dti.storage import Actor, Store

    # The official catalogue a province loaded: 1.2 moved to code 1.11, and 1.3 is now scored by levels.
    data = yaml.safe_load((editions_dir / "dti-2022-province.yaml").read_text(encoding="utf-8"))
    data["id"] = "dti-2022-province-official"
    first = data["main_indices"][0]["components"]
    first[1]["code"] = "1.11"
    first[2]["rule"] = first[0]["rule"]
    (editions_dir / "dti-2022-province-official.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                                  encoding="utf-8")
    store = Store.open(f"sqlite:///{tmp_path / 'dti.sqlite'}", frameworks=registry.load)
    coordinator = Actor("coord", "coordinator")
    source = store.assessment("dti-2022-province", 2025, 4).id
    for code, value in (("1.1", "top_leader"), ("1.2", "chair"), ("1.3", "có"), ("1.4", "có")):
        store.save_response(coordinator, source, code, 0, value=value)

    at = app()
    at.selectbox(key="ed_carry_target").set_value("dti-2022-province-official").run()
    preview = " ".join(texts(at.caption))
    assert "chuyển được 2 câu trả lời" in preview and "2 câu không chuyển được" in preview
    reasons = at.dataframe[-1].value  # the last table on the page: what is not carried, and why
    assert sorted(reasons["Mã"]) == ["1.2", "1.3"]
    at.button(key="ed_carry_go").click().run()
    assert not at.exception and not at.error
    assert any("Đã chuyển 2 câu trả lời" in s for s in texts(at.success))
    assert at.session_state["edition_id"] == "dti-2022-province-official"
    target = store.assessment("dti-2022-province-official", 2025, 4).id
    carried = store.stored(target)
    assert {c: r.value for c, r in carried.items()} == {"1.1": "top_leader", "1.4": "có"}
    assert store.stored(source)["1.2"].value == "chair"  # the source assessment is untouched

    # Carrying again into an edition that already holds answers for the period never overwrites them: nothing can
    # be carried, so the button is disabled and the reason is given before anyone clicks.
    at.session_state["edition_id"] = "dti-2022-province"
    at.run()
    at.selectbox(key="ed_carry_target").set_value("dti-2022-province-official").run()
    assert at.button(key="ed_carry_go").disabled
    assert any("đã có 2 câu trả lời" in i for i in texts(at.info))
    store.close()
