"""Two app processes on one PostgreSQL, with nginx in front (deploy/cluster.py), in a real browser.

One cluster for the module (account mode: a coordinator account exists): an answer saved through one process is
seen through the other; a save based on what another process replaced is refused; through nginx the app works
(websocket, answers, the app's own download uploaded back), new browsers are spread over both processes while
each stays on its own (nginx's access log names the process of every request: ``upstream=``); and a logged-in
user stays logged in when their process stops and the page reconnects to the other one.
"""

from __future__ import annotations

import re
import sys
import urllib.request
from collections import defaultdict

import pytest
from pg import server as postgres_server
from playwright.sync_api import expect

from dti.framework import registry
from dti.storage import Store, auth
from tests.browser.conftest import answer_box, choose_level, wait_for_app

sys.path.insert(0, str(registry.REPO_ROOT / "deploy"))
import cluster as cluster_lib  # noqa: E402 - deploy/ is a folder of scripts, not a package

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.scaleout]

USER, PASSWORD = "dieuphoi", "mật-khẩu-điều-phối"
SIGNED_IN = f"Đang đăng nhập: {USER}"
FW = registry.load(registry.DEFAULT_EDITION)


def label(code: str, key: str) -> str:
    return next(lv.label_vi for lv in FW.component_by_code[code].rule.levels if lv.key == key)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two processes of serve.py on a fresh PostgreSQL database holding a coordinator account, nginx in front."""
    url = postgres_server().new_database()
    store = Store.open(url)
    auth.create_account(store, USER, "coordinator", PASSWORD)
    store.close()
    tmp = tmp_path_factory.mktemp("cluster")
    running = cluster_lib.start(2, url, workdir=tmp, extra_env={"DTI_DATA_DIR": str(tmp / "data")})
    try:
        yield running
    finally:
        running.stop()


def stored_value(url: str, code: str) -> str | None:
    store = Store.open(url)
    try:
        found = store.latest_assessment(FW.id)
        return store.stored(found.id)[code].value if found is not None and code in store.stored(found.id) else None
    finally:
        store.close()


def log_in(page, address: str) -> None:
    page.goto(address)
    wait_for_app(page)
    page.get_by_label("Tên đăng nhập").fill(USER)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    wait_for_app(page)
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(SIGNED_IN, timeout=20_000)


def expect_level(page, code: str, key: str) -> None:
    combo = answer_box(page, code).get_by_role("combobox")
    expect(combo).to_have_value(re.compile("^" + re.escape(label(code, key))), timeout=15_000)


def upstreams_by_node(cluster) -> dict[str, set[str]]:
    """The app processes that served each browser (nginx's dti_node cookie), from the access log."""
    found: dict[str, set[str]] = defaultdict(set)
    for line in cluster.access_log.read_text().splitlines():
        fields = dict(word.split("=", 1) for word in line.split() if word.startswith(("upstream=", "node=")))
        if "upstream" in fields and "node" in fields:
            # a request that moved on from a stopped process lists both: "a:1, b:2"
            found[fields["node"]].add(fields["upstream"].split(",")[-1].strip())
    return found


def node_of(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "dti_node")


def test_an_answer_saved_through_one_process_is_seen_and_a_stale_save_refused_through_the_other(cluster, page):
    process_a, process_b = cluster.app_urls
    log_in(page, f"{process_a}/assessment")
    on_b = page.context.new_page()  # the log-in cookie is the browser's: process B finds it in the database
    on_b.goto(f"{process_b}/assessment")
    wait_for_app(on_b)
    expect(on_b.locator('[data-testid="stSidebar"]')).to_contain_text(SIGNED_IN, timeout=20_000)

    choose_level(page, "1.1", label("1.1", "deputy"))
    assert stored_value(cluster.env['DTI_DATABASE_URL'], "1.1") == "deputy"
    on_b.reload()
    wait_for_app(on_b)
    expect_level(on_b, "1.1", "deputy")  # (a) saved through A, seen through B

    # (b) A saves again; B still shows "deputy" and saves its own choice on top of it: refused, A's value kept.
    choose_level(page, "1.1", label("1.1", "top_leader"))
    assert stored_value(cluster.env['DTI_DATABASE_URL'], "1.1") == "top_leader"
    choose_level(on_b, "1.1", label("1.1", "none"))
    expect(on_b.locator("body")).to_contain_text("Không lưu được chỉ số 1.1", timeout=15_000)
    expect(on_b.locator("body")).to_contain_text(label("1.1", "top_leader"))
    assert stored_value(cluster.env['DTI_DATABASE_URL'], "1.1") == "top_leader"


def test_through_nginx_browsers_are_spread_over_both_processes_and_each_keeps_its_own(cluster, page, tmp_path):
    # New visitors (no dti_node cookie yet) land on both processes.
    for _ in range(16):
        with urllib.request.urlopen(f"{cluster.url}/_stcore/health", timeout=10) as resp:
            assert resp.status == 200
    assert set(cluster.upstreams()) >= {u.removeprefix("http://") for u in cluster.app_urls}

    log_in(page, f"{cluster.url}/assessment")  # the websocket goes through nginx
    choose_level(page, "1.2", label("1.2", "vice"))
    assert stored_value(cluster.env['DTI_DATABASE_URL'], "1.2") == "vice"

    # The app's own download (kept in the memory of the process holding the session) uploaded back: both only
    # work when every request of this browser reaches that process.
    page.get_by_text("Tải xuống / tải lên bản tự đánh giá").click()
    wait_for_app(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="⬇ CSV").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert "1.2" in saved.read_text(encoding="utf-8-sig")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(saved))
    wait_for_app(page)
    page.get_by_role("button", name="Nhập (gộp vào kỳ này)").click()
    wait_for_app(page)
    expect(page.get_by_text(f"Đã nhập {saved.name}")).to_be_visible(timeout=15_000)
    assert stored_value(cluster.env['DTI_DATABASE_URL'], "1.2") == "vice"

    served = upstreams_by_node(cluster)[node_of(page)]
    assert len(served) == 1, served  # one process served every request of this browser
    # Its download and its upload went through, at the first request (a process that does not hold the session
    # answers 404 for the file and 400 for the upload).
    mine = [line for line in cluster.access_log.read_text().splitlines() if f"node={node_of(page)}" in line]
    files = [line for line in mine if '"GET /media/' in line or '"PUT /_stcore/upload_file/' in line]
    assert any('"GET /media/' in line for line in files) and any("upload_file" in line for line in files), files
    assert all(re.search(r'HTTP/1.1" 20[04] ', line) for line in files), files


def test_a_user_stays_logged_in_when_their_process_stops(cluster, page, screenshot):
    for index in range(len(cluster.apps)):
        cluster.start_app(index)  # a process stopped by an earlier try of this test
    log_in(page, f"{cluster.url}/assessment")
    # Someone at work on the form (its first run done), not a page still loading, when the process stops.
    expect(answer_box(page, "1.2")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    served = upstreams_by_node(cluster)[node_of(page)]
    assert len(served) == 1, served
    stopped = next(i for i, app in enumerate(cluster.apps) if app.url.removeprefix("http://") in served)
    opened: list = []  # websockets the page opens from now on
    page.on("websocket", lambda socket: opened.append(socket))
    try:
        cluster.stop_app(stopped)
        # The page's websocket breaks; the page reconnects through nginx, which now sends it to the other process
        # (its health check, then a new websocket).
        other = {app.url.removeprefix("http://") for app in cluster.apps} - served
        for _ in range(240):
            if opened and upstreams_by_node(cluster)[node_of(page)] & other:
                break
            page.wait_for_timeout(250)
        assert opened and upstreams_by_node(cluster)[node_of(page)] & other, "the page did not reconnect"
        # The reconnected page shows what it showed until its next action, which runs on the other process: the
        # log-in cookie finds the log-in in the database there.
        sidebar = page.locator('[data-testid="stSidebar"]')
        main = page.locator('[data-testid="stMain"]')
        page.wait_for_timeout(1000)
        sidebar.get_by_role("link", name="Tổng quan").click()
        wait_for_app(page)
        expect(main.get_by_role("heading", name="Tổng quan")).to_be_visible(timeout=30_000)
        expect(sidebar).to_contain_text(SIGNED_IN)
        screenshot("scaleout-reconnected")
        sidebar.get_by_role("link", name="Tự đánh giá").click()
        wait_for_app(page)
        choose_level(page, "1.2", label("1.2", "chair"))  # a write: only a logged-in coordinator may make it
        assert stored_value(cluster.env['DTI_DATABASE_URL'], "1.2") == "chair"
    finally:
        cluster.start_app(stopped)
