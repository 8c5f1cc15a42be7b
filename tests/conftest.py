"""Shared fixtures: the shipped editions, the reference data beside the checkout, a small all-rules edition."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from apptest_support import COPY_EDITION
from pg import server as postgres_server

from dti.framework import registry
from dti.framework.validation import load_framework_file
from dti.storage import Store

TESTS = Path(__file__).resolve().parent
REFERENCE = registry.REPO_ROOT.parent / "shared" / "reference"


@pytest.fixture(scope="session")
def fw2022():
    return registry.load("dti-2022-province")


@pytest.fixture(scope="session")
def fw_all_rules():
    """A tiny edition with one component per rule type (tests/data/all-rules.yaml)."""
    return load_framework_file(TESTS / "data" / "all-rules.yaml")


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    if not REFERENCE.is_dir():
        pytest.fail(f"reference data not found at {REFERENCE}: the checkout needs shared/ beside it")
    return REFERENCE


def read_reference_csv(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """A fresh, empty database: a SQLite file, then a PostgreSQL database (tests run once on each)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'dti.sqlite'}"
    return postgres_server().new_database()


@pytest.fixture
def store(db_url, fw_all_rules):
    """A Store on that database, scoring the all-rules test edition."""
    s = Store.open(db_url, frameworks={fw_all_rules.id: fw_all_rules}.__getitem__)
    yield s
    s.close()


@pytest.fixture
def db(tmp_path, monkeypatch):
    """The store of a page test: the pages open the same SQLite file and data folder (the environment)."""
    url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    monkeypatch.setenv("DTI_DATABASE_URL", url)
    monkeypatch.setenv("DTI_DATA_DIR", str(tmp_path / "data"))
    store = Store.open(url)
    yield store
    store.close()


@pytest.fixture
def two_editions(tmp_path, monkeypatch) -> Path:
    """A frameworks folder with the 2022 edition and a copy of it (``COPY_EDITION``), used by the app."""
    folder = tmp_path / "frameworks"
    folder.mkdir()
    source = registry.DEFAULT_FRAMEWORKS_DIR / "dti-2022-province.yaml"
    shutil.copy(source, folder / source.name)
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^id: .*$", f"id: {COPY_EDITION}", text)
    text = re.sub(r"(?m)^title_vi: .*$", "title_vi: Bản sao để thử", text)
    text = re.sub(r"(?m)^title_en: .*$", "title_en: Test copy", text)
    (folder / f"{COPY_EDITION}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def _fresh_login_throttle():
    """Failed log-ins of one test never make another wait (the throttle lives as long as the process)."""
    from dti.storage import auth

    auth.LOGIN_THROTTLE.reset()
    yield
