"""A small client of Streamlit's own websocket protocol: one simulated user costs a websocket, not a browser.

It speaks to ``/_stcore/stream`` as the browser does (Streamlit 1.67, the protobuf classes the streamlit package
ships): it asks for a run of a page (``ClientState.page_name`` is the page's ``url_path`` under
``st.navigation``), keeps the widgets the runs render (their ids embed the user key, so they are found by key),
and changes one widget by sending a rerun with every widget's state, that one changed, scoped to the widget's
fragment when it lives in one (as the browser does). A run is over at its final ``script_finished``: a finish
"early for a rerun" (a callback's or ``st.rerun()``'s) is followed by the next run of the chain.

A run reports an error when it shows an exception element or an ``st.error`` alert, when the connection drops,
or when no final finish arrives within the timeout: never a hang.

    session = await StreamlitSession.connect("http://127.0.0.1:8501")
    run = await session.open_page("assessment")
    run = await session.set_widget("c_1.1_value", "Đạt một nửa (…)")
    print(run.latency, run.errors)
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.common import user_key_from_element_id
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

# The elements whose state this client keeps and can change (what the self-assessment page and the bare page use).
WIDGET_KINDS = ("selectbox", "text_input", "checkbox", "radio")
FINAL = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
         ForwardMsg.FINISHED_WITH_COMPILE_ERROR}
MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # a page's single message (a chart, a report) can be several MB
ERROR_TEXT_CHARS = 300


def run_sync(coroutine):
    """``asyncio.run(coroutine)`` in a thread of its own: callable where an event loop already runs in this thread
    (a test process that has used Playwright's sync API runs one for its whole life)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class SessionError(Exception):
    """The server is unreachable, the connection dropped, or a widget asked for is not on the page."""


@dataclass
class Widget:
    """A widget as the last run that rendered it showed it."""

    id: str
    key: str | None  # the user key, from the id (None when the widget was given none)
    kind: str  # "selectbox", "text_input", "checkbox", "radio", "tabs"
    proto: Any  # the element's protobuf (Selectbox, TextInput, …; Block.TabContainer for tabs)
    fragment_id: str  # "" outside a fragment
    path: tuple[int, ...] = ()  # delta path: the first number is the root (0 the main area, 1 the sidebar)
    labels: list[str] = field(default_factory=list)  # tab labels (tabs only)

    @property
    def options(self) -> list[str]:
        """The options as the browser shows them (and sends them back): formatted, not the script's values."""
        if self.kind == "tabs":
            return list(self.labels)
        return list(getattr(self.proto, "options", []))

    @property
    def disabled(self) -> bool:
        return bool(getattr(self.proto, "disabled", False))


@dataclass
class RunResult:
    """One request's run chain: from sending it to its final script_finished."""

    latency: float  # seconds
    status: str  # the final finish's name, "timeout" or "disconnected"
    errors: list[str] = field(default_factory=list)  # exception elements, st.error alerts, drop, timeout

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class StreamlitSession:
    """One browser tab's worth of Streamlit session over one websocket."""

    base_url: str
    ws: ClientConnection
    timeout: float = 30.0
    query_string: str = ""
    page_script_hash: str = ""
    widgets: dict[str, Widget] = field(default_factory=dict)  # by widget id
    values: dict[str, WidgetState] = field(default_factory=dict)  # by widget id: what the browser would send
    tab_paths: dict[tuple[int, ...], str] = field(default_factory=dict)  # delta path of stateful tabs → widget id
    warnings: list[str] = field(default_factory=list)  # st.warning texts of the last request's runs
    timezone: str = "Asia/Ho_Chi_Minh"
    locale: str = "vi-VN"

    @classmethod
    async def connect(cls, base_url: str, *, timeout: float = 30.0, query_string: str = "") -> StreamlitSession:
        ws_url = base_url.rstrip("/").replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        try:
            # permessage-deflate is offered, as browsers do: the server uses it only with
            # server.enableWebsocketCompression (then its cost is measured too).
            ws = await connect(f"{ws_url}/_stcore/stream", subprotocols=["streamlit"], max_size=MAX_MESSAGE_BYTES,
                               open_timeout=timeout, proxy=None)
        except (TimeoutError, OSError, WebSocketException) as exc:
            raise SessionError(f"cannot connect to {base_url}: {exc!r}") from exc
        return cls(base_url, ws, timeout=timeout, query_string=query_string)

    async def close(self) -> None:
        await self.ws.close()

    # --- what the page shows -----------------------------------------------------------------------

    def find(self, key: str) -> Widget:
        """The widget with this user key (SessionError when the last runs rendered none)."""
        for widget in self.widgets.values():
            if widget.key == key:
                return widget
        raise SessionError(f"no widget with key {key!r} on the page")

    def keys(self) -> list[str]:
        return [w.key for w in self.widgets.values() if w.key is not None]

    def value(self, key: str) -> Any:
        """The value the browser holds for the widget (None when it holds none)."""
        state = self.values.get(self.find(key).id)
        return None if state is None else getattr(state, state.WhichOneof("value"))

    # --- requests ----------------------------------------------------------------------------------

    async def open_page(self, page_name: str = "") -> RunResult:
        """Run a page as a browser opening ``/<page_name>`` does ("" for the default page)."""
        self.widgets.clear()
        self.values.clear()
        self.page_script_hash = ""
        return await self._rerun(page_name=page_name)

    async def set_widget(self, key: str, value: str | bool) -> RunResult:
        """Give the widget with user ``key`` a new value as a person would (a selectbox/radio/tab option as shown,
        the text typed in a text input, a checkbox's bool) and wait for the runs it triggers."""
        widget = self.find(key)
        if widget.disabled:
            raise SessionError(f"widget {key!r} is disabled")
        if widget.kind in ("selectbox", "radio", "tabs") and value not in widget.options:
            raise SessionError(f"{value!r} is not an option of {key!r}: {widget.options}")
        state = WidgetState(id=widget.id)
        if widget.kind == "checkbox":
            state.bool_value = bool(value)
        else:
            state.string_value = str(value)
        self.values[widget.id] = state
        return await self._rerun(fragment_id=widget.fragment_id)

    async def _rerun(self, page_name: str = "", fragment_id: str = "") -> RunResult:
        msg = BackMsg()
        client_state: ClientState = msg.rerun_script
        client_state.query_string = self.query_string
        client_state.page_script_hash = self.page_script_hash
        client_state.page_name = page_name
        client_state.fragment_id = fragment_id
        client_state.widget_states.widgets.extend(self.values.values())
        client_state.context_info.timezone = self.timezone
        client_state.context_info.locale = self.locale
        start = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
            status, errors = await asyncio.wait_for(self._until_finished(), self.timeout)
        except TimeoutError:
            return RunResult(time.perf_counter() - start, "timeout",
                             [f"no script_finished within {self.timeout:.0f} s"])
        except (WebSocketException, OSError) as exc:
            return RunResult(time.perf_counter() - start, "disconnected", [f"connection dropped: {exc!r}"])
        return RunResult(time.perf_counter() - start, status, errors)

    async def _until_finished(self) -> tuple[str, list[str]]:
        """Read messages until the run chain's final script_finished; keep its widgets, collect its errors."""
        errors: list[str] = []
        self.warnings = []
        seen: set[str] = set()
        fragments: list[str] = []  # of the current run; empty for a whole-page run
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                seen.clear()
                fragments = list(msg.metadata.run.fragment_ids)
                if msg.new_session.page_script_hash:
                    self.page_script_hash = msg.new_session.page_script_hash
            elif kind == "delta":
                self._on_delta(msg, seen, errors)
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "navigation":
                self.page_script_hash = msg.navigation.page_script_hash or self.page_script_hash
            elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
                exc = msg.session_event.script_compilation_exception
                errors.append(f"compile error: {exc.type}: {exc.message}"[:ERROR_TEXT_CHARS])
            elif kind == "page_not_found":
                errors.append(f"page not found: {msg.page_not_found.page_name!r}")
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # a callback's or st.rerun()'s next run follows
                self._forget_unseen(seen, fragments)
                status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR and not errors:
                    errors.append("compile error")
                return status, errors

    def _on_delta(self, msg: ForwardMsg, seen: set[str], errors: list[str]) -> None:
        delta = msg.delta
        if delta.HasField("add_block"):
            block = delta.add_block
            path = tuple(msg.metadata.delta_path)
            if block.HasField("tab_container") and block.tab_container.id:
                # Stateful tabs (on_change="rerun"/a callback) are a widget; their labels come as the children.
                tabs = block.tab_container
                key = user_key_from_element_id(tabs.id)
                self._keep(Widget(tabs.id, key, "tabs", tabs, delta.fragment_id, path), seen)
                self.tab_paths[path] = tabs.id
            elif block.HasField("tab") and self.tab_paths.get(path[:-1]) in self.widgets:
                self.widgets[self.tab_paths[path[:-1]]].labels.append(block.tab.label)
            return
        if not delta.HasField("new_element"):
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            errors.append(f"exception: {element.exception.type}: {element.exception.message}"[:ERROR_TEXT_CHARS])
        elif kind == "alert" and element.alert.format == element.alert.ERROR:
            errors.append(f"st.error: {element.alert.body}"[:ERROR_TEXT_CHARS])
        elif kind == "alert" and element.alert.format == element.alert.WARNING:
            self.warnings.append(element.alert.body)
        elif kind in WIDGET_KINDS:
            proto = getattr(element, kind)
            self._keep(Widget(proto.id, user_key_from_element_id(proto.id), kind, proto, delta.fragment_id,
                              tuple(msg.metadata.delta_path)), seen)

    def _keep(self, widget: Widget, seen: set[str]) -> None:
        """Record a rendered widget and, as the browser does when it shows one, the value it holds."""
        seen.add(widget.id)
        known = widget.id in self.widgets
        self.widgets[widget.id] = widget
        proto = widget.proto
        if known and not getattr(proto, "set_value", False):
            return  # the browser keeps what the person chose; the script only overrides it with set_value
        value = initial_value(widget)
        if value is None:
            self.values.pop(widget.id, None)
            return
        state = WidgetState(id=widget.id)
        if isinstance(value, bool):
            state.bool_value = value
        else:
            state.string_value = value
        self.values[widget.id] = state

    def _forget_unseen(self, seen: set[str], fragments: list[str]) -> None:
        """At the end of a run, the browser drops the widgets it did not render (of the fragments that ran)."""
        for widget_id, widget in list(self.widgets.items()):
            if widget_id in seen:
                continue
            if not fragments or widget.fragment_id in fragments:
                del self.widgets[widget_id]
                self.values.pop(widget_id, None)


def initial_value(widget: Widget) -> str | bool | None:
    """What the browser holds for a widget it has just rendered: the value the script set, else its default."""
    proto = widget.proto
    if widget.kind == "tabs":
        return proto.default_tab_label or None
    if widget.kind in ("selectbox", "radio"):
        if proto.set_value:
            return proto.raw_value if proto.HasField("raw_value") else None
        return proto.options[proto.default] if proto.HasField("default") else None
    if widget.kind == "text_input":
        if proto.set_value:
            return proto.value if proto.HasField("value") else None
        return proto.default if proto.HasField("default") else None
    if widget.kind == "checkbox":
        return proto.value if proto.set_value else proto.default
    return None
