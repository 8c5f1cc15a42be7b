"""The frame around every page: sidebar (language, edition, period), navigation, and a guard against tracebacks."""

from __future__ import annotations

import functools
import logging

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dti.i18n import t
from dti.storage import Actor, StorageUnavailable
from ui import lang as ui_lang
from ui import login, state, storage_widgets, widgets
from ui.memo import memo

log = logging.getLogger("dti.app")
NOT_FOUND_KEY = "not_found_path"  # in ui.memo: the unknown address this session asked for
# A metric whose value is words ('9. Hoạt động xã hội số', 'chưa công bố trong bảng') wraps onto a second line
# instead of being cut with '…' (Streamlit keeps a metric value on one line).
METRIC_WRAP_CSS = ('<style>[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"], '
                   '[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p '
                   "{ white-space: normal; overflow-wrap: anywhere; text-overflow: clip; }</style>")


def actor_or_stop(lang: str, pages: list[tuple[str, st.Page]]) -> Actor | None:
    """Who is working (None: they must log in first). Asking needs the database: when it cannot be used, the
    fault is said here, before any page, and the run ends; the next run (a click, a reload) asks again."""
    try:
        return state.current_actor()
    except StorageUnavailable as exc:
        ui_lang.sidebar_toggle(lang)  # the message can be read in English too
        st.error(state.fault_message(exc, lang), icon=":material/database_off:")
        # The pages are still declared (hidden, not run), else Streamlit lists the raw pages/ folder in the
        # sidebar, and the address asked for stays valid for the reload that finds the database back.
        st.navigation([page for _, page in pages], position="hidden")
        st.stop()


def run_logged_out(pages: list[tuple[str, st.Page]], lang: str) -> None:
    """The log-in form at whatever address was opened: every page is declared (hidden) with a stand-in of the
    same address that shows the log-in, so a deep link (``/coordinator``, ``/scenarios?scn=…&sc=…``) is no
    "page not found", keeps its parameters, and is where the log-in lands."""

    def show_login() -> None:
        address = state.current_address()
        if address.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] != "login":  # /login keeps the earlier ask
            st.session_state[state.LOGIN_NEXT_KEY] = address
        login.form(lang)

    with st.sidebar:
        ui_lang.sidebar_toggle(lang)
    stand_ins = [st.Page("pages/login.py", title=t("auth.login_title", lang), icon=":material/login:",
                         url_path="login", default=True)]
    by_path = {}
    for _, page in pages:
        # Same address (Streamlit identifies a page by it): only what runs there differs. The app's default
        # page reads url_path "" (it is the root), so its declared path comes from the private field.
        path = page._url_path if page.url_path == "" else page.url_path
        stand_ins.append(st.Page(show_login, title=page.title, icon=page.icon, url_path=path))
        by_path[path] = stand_ins[-1]
        if page.url_path == "":
            by_path[""] = stand_ins[-1]
    memo()[state.LOGIN_PAGES_KEY] = by_path  # where a log-in without the cookie route switches to
    asked = st.navigation(stand_ins, position="hidden")
    ui_lang.mark_routed()
    try:
        asked.run()
    except StorageUnavailable as exc:
        st.error(state.fault_message(exc, lang), icon=":material/database_off:")


def account_sidebar(lang: str) -> None:
    """Who is working (or single-user mode) and the log-out button, on every page."""
    actor = state.current_actor()
    mode = state.auth_mode()
    if mode == "single":
        st.sidebar.caption(t("login.single_user_short", lang))
        return
    if actor is None:
        return
    st.sidebar.caption(t("auth.signed_in_as", lang, name=widgets.plain(actor.display_name or actor.username),
                         role=t(f"auth.role_{actor.role}", lang)))
    if st.sidebar.button(t("auth.logout", lang), key="s_logout", icon=":material/logout:"):
        state.log_out()
        if mode == "oidc":
            st.logout()
        st.rerun()


def run(pages: list[tuple[str, st.Page]], lang: str) -> None:
    sections: dict[str, list[st.Page]] = {}
    for section, page in pages:
        sections.setdefault(t(section, lang), []).append(page)
    with st.sidebar, widgets.guard(lang):
        ui_lang.sidebar_toggle(lang)
        account_sidebar(lang)
        widgets.edition_picker(lang)
        if state.current_actor() is not None:  # chosen once here, for every page (not before a log-in)
            storage_widgets.period_picker(lang)
        state.mirror_in_address()
    st.html(_page_css(lang, st.get_option("server.maxUploadSize")))
    unknown = _unknown_address([page for _, page in pages])
    if unknown is not None:
        # A hidden page at the unknown address: Streamlit finds it, so it shows no English "Page not found" modal.
        sections.setdefault("", []).append(st.Page(_not_found_page, title=t("polish.not_found_title", lang),
                                                   url_path=unknown, visibility="hidden"))
    current_page = st.navigation(sections, expanded=True)  # every page visible: no "View more" fold
    if state.renew_form_if_reconnected():
        st.warning(t("reconnect.form_renewed", lang), icon=":material/sync_problem:")
    ui_lang.mark_routed()
    try:
        current_page.run()
    except StorageUnavailable as exc:
        st.error(state.fault_message(exc, lang), icon=":material/database_off:")
    except Exception as exc:  # the last line of defence: a message with what to do, never a traceback
        log.exception("page %s failed", current_page.title)
        st.error(t("common.unexpected_error", lang, error=type(exc).__name__))


@functools.lru_cache(maxsize=8)
def _page_css(lang: str, upload_mb: int) -> str:
    """The app's CSS for ``lang``, built once per language and upload limit (it was rebuilt on every run)."""
    return METRIC_WRAP_CSS + (_uploader_texts_css(lang, upload_mb) + _enter_hint_css(lang) if lang != "en" else "")


def _css_text(text: str) -> str:
    """A CSS string literal of our own text (quotes and backslashes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _uploader_texts_css(lang: str, upload_mb: int) -> str:
    """Vietnamese for the file uploader's fixed English texts ("Upload", "20MB per file • CSV").

    Streamlit (1.67) writes them in its browser code (FileUploader.*.js) with no parameter to change them; only
    the label and the help are ours. The English is hidden (display: none, so it is not read out either) and our
    text takes its place. The accepted types are in every uploader's label; the size is the server's limit.
    """
    button = _css_text(t("polish.upload_button", lang))
    limit = _css_text(t("polish.upload_limit", lang, mb=upload_mb))
    zone = '[data-testid="stFileUploaderDropzone"]'
    return (f"<style>{zone} button [data-testid=\"stMarkdownContainer\"] p {{ display: none; }}"
            f"{zone} button [data-testid=\"stMarkdownContainer\"]::after {{ content: {button}; }}"
            f"[data-testid=\"stFileUploaderDropzoneInstructions\"] span {{ display: none; }}"
            f"[data-testid=\"stFileUploaderDropzoneInstructions\"] > div::after {{ content: {limit}; }}</style>")


def _enter_hint_css(lang: str) -> str:
    """Vietnamese for "Press Enter to apply", which Streamlit (1.67) writes under a text or number field being typed
    in, with no parameter to change it. The English is hidden (its place kept, so a character counter beside it
    does not move) and our text is drawn over it, right-aligned where the English ended."""
    hint = _css_text(t("loop.enter_hint", lang))
    first = ", ".join(f'[data-testid="{w}"] [data-testid="InputInstructions"] > span:first-child'
                      for w in ("stTextInput", "stNumberInput"))
    after = ", ".join(f"{sel}::after" for sel in first.split(", "))
    return (f"<style>{first} {{ visibility: hidden; position: relative; }}"
            f"{after} {{ content: {hint}; visibility: visible; position: absolute; right: 0; white-space: nowrap; }}"
            "</style>")


def _unknown_address(pages: list[st.Page]) -> str | None:
    """The address (one path segment) asked for that no page has, else None; remembered for the session's reruns.

    Streamlit (1.67) has no option for unknown addresses: st.navigation falls back to the default page and the
    browser shows an English modal. The address asked for is only known to its page manager (no public API).
    A nested address (``a/b``) cannot be a page's url_path: Streamlit's modal stays for those, and for the very
    first session after a server start (Streamlit serves it in its pages-folder mode before app.py has routed).
    """
    if state.current_actor() is None:  # log-in first: an app page's address is unknown until then, not wrong
        return None
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    asked = (getattr(manager, "intended_page_name", None) or "").strip("/")
    known = {p.url_path for p in pages} | {getattr(p, "_url_path", "") for p in pages}
    if asked and "/" not in asked and asked not in known:
        memo()[NOT_FOUND_KEY] = asked
    remembered = memo().get(NOT_FOUND_KEY)
    return remembered if remembered and remembered not in known else None


def _not_found_page() -> None:
    lang = ui_lang.current()
    st.title(t("polish.not_found_title", lang))
    st.write(t("polish.not_found_text", lang))
    st.code("/" + memo().get(NOT_FOUND_KEY, ""), language=None)  # the address as typed, shown as plain text
    st.page_link("pages/overview.py", label=t("nav.overview", lang), icon=":material/home:")
