"""An edition saved through one app process (a new file in the frameworks folder that all processes read) is offered
by the other processes too, without a restart: each process keeps the parsed editions in memory."""

from __future__ import annotations

import pytest
from apptest_support import all_rules_dir

from ui import state

pytestmark = pytest.mark.scaleout


def test_an_edition_file_written_by_another_process_is_seen_at_the_next_run(tmp_path, monkeypatch):
    folder = all_rules_dir(tmp_path)
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(folder))
    assert set(state.editions()[0]) == {"all-rules"}  # read once and kept by this process

    # Another process saves a province's edition (dti.io.editions.save_edition writes <id>.yaml in the folder).
    text = (folder / "all-rules.yaml").read_text(encoding="utf-8")
    (folder / "province-own.yaml").write_text(text.replace("id: all-rules", "id: province-own", 1), encoding="utf-8")
    assert set(state.editions()[0]) == {"all-rules", "province-own"}

    # ... and replaces it (a coordinator's correction): the new content is used, not the kept one.
    edited = text.replace("id: all-rules", "id: province-own", 1).replace("title_vi:", "title_vi: Sửa", 1)
    (folder / "province-own.yaml").write_text(edited, encoding="utf-8")
    assert state.editions()[0]["province-own"].title_vi.startswith("Sửa")
