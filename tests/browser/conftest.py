"""Real-browser fixtures: one Streamlit server per test session, Playwright driving Debian's chromium.

Every engineer's browser test uses these: ``app_server`` (base URL of a running ``app.py`` with its own
temp database and data folder), ``page`` (a fresh headless Chromium tab, 1400×1000), ``wait_for_app``
(blocks until Streamlit has finished the current run) and ``screenshot`` (saves into ``test-artifacts/``).
The network is closed: the server listens on 127.0.0.1 and the browser never talks to anything else.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dti.framework import registry

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
ARTIFACTS = registry.REPO_ROOT / "test-artifacts"
SERVER_START_TIMEOUT_S = 60


# A click that lands while Streamlit reruns the page is lost (a grid cell, a select box that closes as the page
# scrolls), more often on a busy machine. Each browser test is tried up to three times: a real defect fails every
# try, and the summary (-ra) lists every rerun, so a test that needs them is seen and made steadier.
BROWSER_RERUNS = 2


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        # A test that drives Chromium is a browser test whether or not its module says so (the log-in tests did
        # not, and so were never retried).
        if not item.get_closest_marker("browser") and {"page", "browser"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("browser") and not item.get_closest_marker("flaky"):
            item.add_marker(pytest.mark.flaky(reruns=BROWSER_RERUNS, reruns_delay=1))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(base_url: str, proc: subprocess.Popen, log: Path, timeout: float = SERVER_START_TIMEOUT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with code {proc.returncode}; its log:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    pytest.fail(f"streamlit did not answer /_stcore/health within {timeout:.0f} s; its log:\n"
                f"{log.read_text()[-4000:]}")


def start_streamlit(script: str | Path, tmp: Path, extra_env: dict[str, str] | None = None):
    """Start ``streamlit run script`` on a free loopback port; returns (process, base URL, log file)."""
    port = free_port()
    log = tmp / f"streamlit-{port}.log"
    env = {
        **os.environ,
        "DTI_DATABASE_URL": f"sqlite:///{tmp / 'dti.sqlite'}",
        "DTI_DATA_DIR": str(tmp / "data"),
        **(extra_env or {}),
    }
    (tmp / "data").mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=registry.REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    wait_for_health(base_url, proc, log)
    return proc, base_url, log


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> Iterator[str]:
    """Base URL (http://127.0.0.1:PORT) of ``app.py`` served with a temp SQLite database and data folder."""
    tmp = tmp_path_factory.mktemp("app-server")
    proc, base_url, _log = start_streamlit("app.py", tmp)
    try:
        yield base_url
    finally:
        stop(proc)


# (Playwright, Chromium) of this test process. pytest runs this file as its own module ("conftest") while test files
# and tests/scaleout/conftest.py import it as tests.browser.conftest: two modules, two `browser` fixtures. A second
# sync_playwright() in the process fails inside the first's running loop, so both use the list of the imported
# module, closed by whichever fixture ends first (both end with the session).
_CHROMIUM: list = []


def _shared_chromium() -> list:
    import tests.browser.conftest as imported

    return imported._CHROMIUM


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    shared = _shared_chromium()
    if not shared:
        pw = sync_playwright().start()
        shared.append((pw, pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)))
    try:
        yield shared[0][1]
    finally:
        if shared:
            pw, chromium = shared.pop()
            chromium.close()
            pw.stop()


@pytest.fixture
def page(browser):
    """A fresh tab (own cookies and storage) at 1400×1000; closed after the test."""
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    try:
        yield tab
    finally:
        context.close()


RUNNING_JS = """() => {
    const status = document.querySelector('[data-testid="stStatusWidget"]');
    return !status || !/Running|Đang chạy/.test(status.innerText);
}"""


def wait_for_app(page, timeout_ms: int = 30_000) -> None:
    """Wait until Streamlit has rendered the page's content and finished the current script run."""
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stElementContainer"]', timeout=timeout_ms)
    # The status widget says "Running..." while a script (or fragment) runs; wait until it is gone twice,
    # a short while apart, so a rerun that starts right after the first run is also waited for.
    for _ in range(2):
        page.wait_for_timeout(250)
        page.wait_for_function(RUNNING_JS, timeout=timeout_ms)


def answer_box(page, code: str):
    """The answer widget of a component on the self-assessment page (Streamlit's CSS class: dots become dashes)."""
    return page.locator(".st-key-" + f"c_{code}_value".replace(".", "-"))


def choose(page, box, option: str | re.Pattern, exact: bool = True) -> None:
    """Pick ``option`` in the select box (or multiselect) inside ``box`` and wait for the rerun.

    A click landing during a rerun only focuses the box, and the list closes when the page scrolls, so the box is
    scrolled into view first and the list opened again (up to three times) until the option shows."""
    if isinstance(option, str):
        # "/" cannot stand in Playwright's regex selector even escaped: any character there.
        option = re.compile("^" + re.escape(option).replace("/", ".") + ("$" if exact else ""))
    wanted = page.get_by_role("option", name=option).first
    combo = box.get_by_role("combobox")
    for _ in range(3):
        combo.scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        combo.click()
        try:
            wanted.wait_for(state="visible", timeout=3_000)
            break
        except PlaywrightTimeout:  # try opening the list again
            page.keyboard.press("Escape")
    wanted.click()
    wait_for_app(page)


def choose_level(page, code: str, label: str) -> None:
    """Pick the level starting with ``label`` in a component's select box and wait for the autosave rerun."""
    choose(page, answer_box(page, code), label, exact=False)


def save_screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a PNG into test-artifacts/ (git-ignored) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture
def screenshot(page) -> Callable[[str], Path]:
    """``screenshot("journey-1-overview")`` saves the current page to test-artifacts/journey-1-overview.png."""
    return lambda name, full_page=True: save_screenshot(page, name, full_page)
