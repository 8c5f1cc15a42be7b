"""A page whose server session is gone (its app process stopped or restarted) reconnects to a new session, and
the browser sends the values its widgets hold with the next run. Streamlit calls no on_change callback in a new
session, so the answer chosen at that moment was shown in the field but never saved, without a word (found by
the two-process test of issue 13). Driven over Streamlit's own protocol (bench/stclient.py), as the browser does.
"""

from __future__ import annotations

import pytest

from bench import servers
from bench.stclient import StreamlitSession, run_sync
from dti.framework import registry
from dti.storage import Store

FW = registry.load(registry.DEFAULT_EDITION)


def label(code: str, key: str) -> str:
    comp = FW.component_by_code[code]
    return next(o for o in _options(code) if o.startswith(next(lv.label_vi for lv in comp.rule.levels
                                                                 if lv.key == key)))


_OPTIONS: dict[str, list[str]] = {}


def _options(code: str) -> list[str]:
    return _OPTIONS[code]


@pytest.fixture
def app(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    server = servers.start("serve.py", tmp_path / "server", env=servers.app_env(database_url, tmp_path / "data"))
    try:
        yield server, database_url
    finally:
        server.stop()


def stored_value(database_url: str, code: str):
    store = Store.open(database_url)
    try:
        found = store.latest_assessment(FW.id)
        return store.stored(found.id)[code].value
    finally:
        store.close()


def test_a_choice_sent_to_a_new_session_is_not_shown_as_saved_and_the_page_says_so(app):
    server, database_url = app

    async def scenario():
        before = await StreamlitSession.connect(server.url, timeout=30)
        try:
            assert (await before.open_page("assessment")).ok
            _OPTIONS["1.1"] = before.find("c_1.1_value").options
            assert (await before.set_widget("c_1.1_value", label("1.1", "deputy"))).ok
        finally:
            await before.close()
        # The process that held that session is gone; the page reconnects (a new session) and its next run
        # carries what the widgets hold, with the level chosen meanwhile.
        after = await StreamlitSession.connect(server.url, timeout=30)
        try:
            after.page_script_hash, after.widgets, after.values = before.page_script_hash, before.widgets, before.values
            widget = before.find("c_1.1_value")
            after.values[widget.id].string_value = label("1.1", "top_leader")
            run = await after._rerun()
            assert run.ok, run.errors
            return after.warnings, {w.key: after.value(w.key) for w in after.widgets.values()
                                    if w.key and w.key.endswith("_1.1_value")}
        finally:
            await after.close()

    warnings, shown = run_sync(scenario())
    assert stored_value(database_url, "1.1") == "deputy"  # the choice that reached no callback was not saved …
    assert any("kết nối" in w.lower() and "chọn lại" in w for w in warnings), warnings  # … and the page says so
    assert list(shown.values()) == [label("1.1", "deputy")], shown  # the field shows what is stored
