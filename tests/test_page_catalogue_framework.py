"""A framework read from a province's own appendix (no pillars, deeper codes, rules read from the scoring texts)
is selectable and every page renders it without an error."""

from __future__ import annotations

import pytest

from dti.io.catalogue import framework_from_catalogue, framework_to_yaml
from tests.apptest_support import assert_clean, isolate, open_page
from tests.catalogue_fixtures import table_rows, xlsx_bytes

PAGES = ["overview", "assessment", "results", "whatif", "framework"]


@pytest.fixture
def department_edition(tmp_path, monkeypatch):
    isolate(tmp_path, monkeypatch)
    folder = tmp_path / "frameworks"
    folder.mkdir()
    fw = framework_from_catalogue(xlsx_bytes(table_rows()), "chi-so-so-nganh.xlsx", "so-nganh-2025",
                                  title_vi="Bộ chỉ số sở, ngành 2025")
    (folder / "so-nganh-2025.yaml").write_text(framework_to_yaml(fw), encoding="utf-8")
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(folder))
    return fw


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_a_framework_without_pillars(department_edition, page):
    at = open_page(page)
    assert_clean(at)
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.subheader, *at.title, *at.header])
    assert "Bộ chỉ số sở, ngành 2025" in shown or page != "overview"
