"""The load generator's websocket client drives real reruns of the app: what it answers is saved, what the app
refuses is an error (not a hang), and a dropped server is an error too. Also: how bench/load.py shares components
among sessions. One app server (serve.py, as ``make run``) on a temporary SQLite file, the all-rules edition.
"""

from __future__ import annotations

import pytest
from apptest_support import all_rules_dir

from bench import servers
from bench.load import Agency, assign, check_saved, level_components
from bench.stclient import SessionError, StreamlitSession, run_sync
from dti.framework.validation import load_framework_file
from dti.storage import Store


@pytest.fixture
def app(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    server = servers.start("serve.py", tmp_path / "server",
                           env=servers.app_env(database_url, tmp_path / "data", all_rules_dir(tmp_path)))
    try:
        yield server, database_url
    finally:
        server.stop()


def stored(database_url: str, frameworks_dir) -> dict:
    fw = load_framework_file(frameworks_dir / "all-rules.yaml")
    store = Store.open(database_url, frameworks={fw.id: fw}.__getitem__)
    try:
        periods = store.assessments()
        assert len(periods) == 1, periods
        return store.responses(periods[0].id)
    finally:
        store.close()


def test_answers_typed_in_vietnamese_are_saved_and_a_refusal_is_an_error(app, tmp_path, monkeypatch):
    server, database_url = app
    level = {}

    async def scenario():
        session = await StreamlitSession.connect(server.url, timeout=20)
        try:
            run = await session.open_page("assessment")
            assert run.ok, run.errors
            assert run.status == "FINISHED_SUCCESSFULLY"
            # Main index 1 is open: a level (as the load generator answers), and a count (stepped), a number field.
            level["options"] = session.find("c_1.1_value").options
            level["label"] = level["options"][1]
            assert (await session.set_widget("c_1.1_value", level["label"])).ok
            count = await session.set_widget("c_1.3_value", "3")
            assert count.ok, count.errors
            assert count.status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"  # the form's fragment, as a browser's change
            tabs = session.find("a_tab")
            assert tabs.options[:2] == ["1. Chỉ số một", "2. Chỉ số hai"]
            assert (await session.set_widget("a_tab", tabs.options[1])).ok
            points = await session.set_widget("c_2.3_value", "7,5")  # points typed the Vietnamese way
            assert points.ok, points.errors
            # 12 points of 10: refused by the rule, shown with st.error, not saved; the client says so at once.
            refused = await session.set_widget("c_2.3_value", "12")
            assert not refused.ok
            assert refused.status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"
            assert any(e.startswith("st.error:") and "12" in e for e in refused.errors), refused.errors
            assert refused.latency < 20
            with pytest.raises(SessionError):
                session.find("c_9.9_value")
        finally:
            await session.close()

    run_sync(scenario())
    answers = stored(database_url, tmp_path / "frameworks")
    assert sorted(answers) == ["1.1", "1.3", "2.3"]
    assert answers["1.1"].value == "half"  # the option shown as 'Một nửa (5)'
    assert answers["1.3"].value == "3" and answers["1.3"].points is None
    assert answers["2.3"].points == 7.5  # the refused 12 did not replace it
    # bench/load.py's read-back: the label a session saw saved is compared with the stored level.
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(tmp_path / "frameworks"))
    assert check_saved(database_url, "all-rules", [Agency("1", ["1.1"], saved={"1.1": level["label"]})]) == 0
    other = next(o for o in level["options"] if o != level["label"])
    assert check_saved(database_url, "all-rules", [Agency("1", ["1.1"], saved={"1.1": other})]) == 1


def test_a_server_gone_mid_session_is_an_error_not_a_hang(app):
    server, _ = app

    async def scenario():
        session = await StreamlitSession.connect(server.url, timeout=10)
        assert (await session.open_page("assessment")).ok
        server.stop()
        run = await session.set_widget("c_1.3_value", "2")
        assert run.status in ("disconnected", "timeout")
        assert run.errors and run.latency <= 11
        with pytest.raises(SessionError):
            await StreamlitSession.connect(server.url, timeout=5)

    run_sync(scenario())


def test_sessions_get_disjoint_components_within_one_tab():
    groups = level_components("dti-2022-province")
    main_of = {code: main for main, codes in groups for code in codes}
    for n in range(1, len(main_of) + 1):
        sessions = assign(n, groups)
        assert len(sessions) == n
        codes = [code for _, own in sessions for code in own]
        assert len(codes) == len(set(codes)), n  # no component answered by two sessions: no stale saves
        if n >= len(groups):  # every main index has a session: every component is answered
            assert len(codes) == len(main_of), n
        assert all(own and all(main_of[c] == main for c in own) for main, own in sessions), n


def test_more_sessions_than_components_is_refused():
    groups = level_components("dti-2022-province")
    with pytest.raises(SystemExit, match="at most 93"):
        assign(94, groups)
