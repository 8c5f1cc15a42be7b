"""The real-browser fixtures of tests/browser/ (one Chromium per test process, shared with them) for the scale-out
tests, and their retry of a browser test whose click landed during a Streamlit rerun."""

from tests.browser.conftest import browser, page, pytest_collection_modifyitems, screenshot  # noqa: F401
