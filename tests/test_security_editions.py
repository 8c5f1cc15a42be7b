"""Saving an edition is the coordinator's, a shipped edition is never replaced, and one id is one file (issue 11)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from streamlit.testing.v1 import AppTest

from dti.framework import registry
from dti.framework.validation import load_framework_file
from dti.io.catalogue import import_catalogue
from dti.io.editions import EditionRefused, save_edition
from dti.roles import Actor, PermissionDenied
from tests.test_catalogue import good_catalogue_xlsx, run_cli

COORDINATOR = Actor("coord", "coordinator")
PAGE = str(registry.REPO_ROOT / "pages" / "editions.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A frameworks folder of its own holding copies of the shipped editions."""
    folder = tmp_path / "frameworks"
    folder.mkdir()
    for edition_id in registry.SHIPPED_EDITIONS:
        shutil.copy(registry.DEFAULT_FRAMEWORKS_DIR / f"{edition_id}.yaml", folder)
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(folder))
    monkeypatch.setenv("DTI_DATABASE_URL", f"sqlite:///{tmp_path / 'dti.sqlite'}")
    return folder


def imported(new_id: str):
    return import_catalogue(good_catalogue_xlsx(), "appendix.xlsx", registry.load("dti-2022-province"), new_id=new_id)


def test_shipped_editions_are_the_files_tracked_in_git():
    tracked = subprocess.run(["git", "ls-files", "config/frameworks/*.yaml"], capture_output=True, text=True,
                             cwd=registry.REPO_ROOT, check=True).stdout.split()
    assert sorted(registry.SHIPPED_EDITIONS) == sorted(p.removeprefix("config/frameworks/").removesuffix(".yaml")
                                                      for p in tracked)


@pytest.mark.parametrize("role", ["viewer", "agency"])
def test_only_the_coordinator_saves_an_edition(folder, role):
    actor = Actor("someone", role, agency_id=1 if role == "agency" else None)
    with pytest.raises(PermissionDenied):
        save_edition(imported("province-edition"), actor, folder=folder)
    assert not (folder / "province-edition.yaml").exists()


def test_a_shipped_edition_is_never_overwritten_even_by_the_coordinator(folder):
    before = (folder / "dti-2022-province.yaml").read_bytes()
    with pytest.raises(EditionRefused) as refused:
        save_edition(imported("dti-2022-province"), COORDINATOR, folder=folder, overwrite=True)
    assert refused.value.key == "edition_shipped"
    assert (folder / "dti-2022-province.yaml").read_bytes() == before


def test_an_id_held_by_another_file_is_refused_naming_it(folder):
    save_edition(imported("province-edition"), COORDINATOR, folder=folder)
    with pytest.raises(EditionRefused) as refused:
        save_edition(imported("province-edition"), COORDINATOR, path=folder / "other.yaml")
    assert refused.value.key in ("edition_file_name", "edition_duplicate")
    assert not (folder / "other.yaml").exists()


def test_two_files_with_one_id_list_the_second_as_broken_naming_both(folder):
    shutil.copy(folder / "dti-2022-province.yaml", folder / "zz-copy.yaml")
    found, problems = registry.load_all(folder)
    assert found["dti-2022-province"] == load_framework_file(folder / "dti-2022-province.yaml")
    messages = [str(p) for p in problems]
    assert len(messages) == 1
    assert messages[0].startswith("zz-copy.yaml:") and "dti-2022-province.yaml" in messages[0]


def test_cli_validate_refuses_two_files_with_one_id(folder):
    shutil.copy(folder / "dti-2022-province.yaml", folder / "other.yaml")
    done = run_cli("validate", str(folder))
    assert done.returncode == 1
    line = next(x for x in done.stderr.splitlines() if "other.yaml" in x)
    assert "dti-2022-province.yaml" in line and "Traceback" not in done.stderr


def test_cli_import_catalogue_cannot_reuse_a_shipped_id_under_another_name(tmp_path):
    src = tmp_path / "appendix.xlsx"
    src.write_bytes(good_catalogue_xlsx())
    out = tmp_path / "other.yaml"
    done = run_cli("import-catalogue", str(src), "--id", "dti-2022-province", "-o", str(out), "--force")
    assert done.returncode == 1 and "dti-2022-province" in done.stderr and "never replaced" in done.stderr
    assert not out.exists() and "Traceback" not in done.stderr


def test_cli_import_catalogue_never_replaces_the_shipped_file(tmp_path):
    src = tmp_path / "appendix.xlsx"
    src.write_bytes(good_catalogue_xlsx())
    shipped = registry.DEFAULT_FRAMEWORKS_DIR / "dti-2022-province.yaml"
    before = shipped.read_bytes()
    try:
        done = run_cli("import-catalogue", str(src), "-o", str(shipped), "--force")
        assert done.returncode == 1 and "never replaced" in done.stderr
        assert shipped.read_bytes() == before
    finally:  # a regression must not leave the checkout's shipped edition replaced
        shipped.write_bytes(before)


def page(actor: Actor | None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["lang"] = "vi"
    if actor is not None:
        at.session_state["actor"] = actor
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, new_id: str) -> AppTest:
    at.file_uploader(key="ed_upload").set_value(("appendix.xlsx", good_catalogue_xlsx(), XLSX)).run()
    at.text_input(key="ed_new_id").set_value(new_id).run()
    assert not at.exception, at.exception
    return at


def test_page_offers_no_save_to_a_viewer(folder):
    at = upload(page(Actor("v", "viewer")), "province-edition")
    assert at.button(key="ed_save").disabled
    assert any("Chỉ điều phối viên" in w.value for w in at.warning)
    assert not (folder / "province-edition.yaml").exists()


def test_page_refuses_replacing_the_shipped_edition(folder):
    before = (folder / "dti-2022-province.yaml").read_bytes()
    at = upload(page(None), "dti-2022-province")  # single-user mode: the coordinator
    assert at.button(key="ed_save").disabled
    assert not [c for c in at.checkbox if c.key == "ed_overwrite"]
    assert any("không bao giờ bị thay thế" in w.value for w in at.warning)
    assert (folder / "dti-2022-province.yaml").read_bytes() == before
