"""Helpers for the Streamlit AppTest tests of the pages (tests/test_page_*.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dti.framework import registry

APP = str(registry.REPO_ROOT / "app.py")
TESTS = Path(__file__).resolve().parent
COPY_EDITION = "dti-2022-copy"  # the 2022 edition under another id (two_editions): a leak lands on the same code


def open_page(page: str | None = None, lang: str = "vi") -> AppTest:
    """Run app.py (Vietnamese unless ``lang``), then switch to ``pages/<page>.py`` if given."""
    at = AppTest.from_file(APP, default_timeout=60)
    if lang != "vi":
        at.session_state["lang"] = lang
    at.run()
    assert_clean(at)
    if page:
        at.switch_page(f"pages/{page}.py").run()
        assert_clean(at)
    return at


def run_page(page: str, lang: str = "vi", query: dict | None = None) -> AppTest:
    """Run ``pages/<page>`` on its own (buttons click in AppTest only then, not after switch_page)."""
    at = AppTest.from_file(str(registry.REPO_ROOT / "pages" / page), default_timeout=60)
    at.session_state["lang"] = lang
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def assert_clean(at: AppTest) -> None:
    """No exception element and no 'unexpected error' message on the page."""
    assert not at.exception, [e.value for e in at.exception]
    unexpected = [e.value for e in at.error if "không mong đợi" in e.value or "unexpected" in e.value]
    assert not unexpected, unexpected


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric {label!r}; metrics: {[m.label for m in at.metric]}"
    return values[0]


def form_widget(widgets, code: str, field: str):
    """The form's widget of ``code``/``field`` among ``widgets`` (e.g. ``at.selectbox``), whatever its scope.

    The form's keys are ``c<scope>_<code>_<field>`` (ui.forms.key): the scope changes when another assessment
    is shown or the assessment was replaced by an upload.
    """
    found = [w for w in widgets if re.fullmatch(rf"c\d*_{re.escape(code)}_{re.escape(field)}", str(w.key))]
    assert len(found) == 1, f"{len(found)} widgets for {code} {field}: {[w.key for w in widgets]}"
    return found[0]


def isolate(tmp_path: Path, monkeypatch) -> None:
    """Each test gets its own database and data folder (the app saves every answer at once)."""
    monkeypatch.setenv("DTI_DATABASE_URL", f"sqlite:///{tmp_path / 'dti.sqlite'}")
    monkeypatch.setenv("DTI_DATA_DIR", str(tmp_path / "data"))


def all_rules_dir(tmp_path: Path) -> Path:
    """A frameworks folder holding only the all-rules test edition (one component per rule type)."""
    folder = tmp_path / "frameworks"
    folder.mkdir()
    shutil.copy(TESTS / "data" / "all-rules.yaml", folder / "all-rules.yaml")
    return folder


def svg_of(url: str) -> str:
    """The SVG text of an ``st.image`` shown from an SVG string (Streamlit sends it as a base64 data URI)."""
    import base64

    prefix = "data:image/svg+xml;base64,"
    assert url.startswith(prefix), url[:60]
    return base64.b64decode(url[len(prefix):]).decode("utf-8")
