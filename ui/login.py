"""The log-in form: shown by the log-in page and, with its address kept, by any page opened while logged out."""

from __future__ import annotations

import streamlit as st

from dti.i18n import t
from dti.storage import auth
from ui import state, widgets


def form(lang: str) -> None:
    """A local account's user name and password (or the organisation's OIDC button)."""
    st.title(t("auth.login_title", lang))
    target = st.session_state.get(state.LOGIN_NEXT_KEY)
    if target and target != "/":
        st.caption(t("login.after_login", lang, page=widgets.plain(target.split("?", 1)[0].strip("/"))))
    if state.auth_mode() == "oidc":
        if st.user.is_logged_in and state.current_actor() is None:
            st.error(t("auth.no_account", lang, email=widgets.plain(st.user.get("email", ""))))
            st.button(t("auth.logout", lang), on_click=st.logout)
        else:
            st.button(t("auth.login_sso", lang), on_click=st.login, type="primary")
        return
    with st.form("login"):
        username = st.text_input(t("auth.username", lang))
        password = st.text_input(t("auth.password", lang), type="password")
        if st.form_submit_button(t("auth.login", lang), type="primary"):
            try:
                actor = auth.authenticate(state.store(), username, password, client=st.context.ip_address)
            except auth.LoginThrottled as exc:
                st.error(t("security.login_wait", lang, seconds=exc.seconds))
                st.stop()
            if actor is None:
                st.error(t("auth.bad_login", lang))
                if seconds := auth.LOGIN_THROTTLE.wait(auth.LOGIN_THROTTLE.keys(username, st.context.ip_address)):
                    st.warning(t("security.login_wait", lang, seconds=seconds))
            else:
                state.start_lasting_login(actor)
