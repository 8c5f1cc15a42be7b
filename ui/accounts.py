"""Accounts on the Coordinator page: the first account (leaving single-user mode, explained first), new
accounts, the list of accounts and their administration, and editing an agency.

Every write goes through ``Store`` (or ``dti.storage.auth``), which refuses anyone but the coordinator; the
forms here only collect what to change. A password typed here is never shown back (forms clear on submit).
"""

from __future__ import annotations

import streamlit as st

from dti.i18n import t
from dti.storage import Actor, StorageError, auth
from ui import state, storage_widgets, widgets

ROLES = ("agency", "coordinator", "viewer")
KINDS = ("department", "district", "other")


def new_account_form(lang: str, actor: Actor) -> None:
    """Create an account. In single-user mode the form says what changes and asks for a confirmation; the
    first (coordinator) account is then logged in at once."""
    store = state.store()
    single = state.auth_mode() == "single"
    oidc = state.oidc_configured()
    with st.form("s_add_user", clear_on_submit=True):
        st.markdown(t("coordinator.new_account", lang))
        if single:
            st.info(t("login.switch_explained", lang), icon=":material/info:")
        username = st.text_input(t("auth.username", lang))
        password = st.text_input(t("auth.password", lang), type="password", help=t("coordinator.password_help", lang))
        role = st.selectbox(t("coordinator.role", lang), list(ROLES), format_func=lambda r: t(f"auth.role_{r}", lang))
        agency = st.selectbox(t("coordinator.agency", lang), [None, *store.agencies()],
                              format_func=lambda a: "—" if a is None else a.name)
        confirmed = st.checkbox(t("login.switch_confirm", lang), key="s_switch_confirm") if single else True
        if not st.form_submit_button(t("coordinator.add_account", lang)):
            return
        if not confirmed:
            st.error(t("login.switch_not_confirmed", lang))
            return
        try:
            # Without an organisation log-in (OIDC) an account without a password could never log in.
            auth.create_account(store, username, role, (password or None) if oidc else password,
                                agency_id=agency.id if agency else None, by=actor)
        except (StorageError, ValueError) as exc:
            st.error(storage_widgets.explain(exc, lang))
            return
        st.success(t("coordinator.account_added", lang, name=widgets.plain(username)))
    if single and not oidc:
        state.reset_account_count()
        # The person who made the first account is its coordinator: logged in as it, not sent to a log-in page.
        st.session_state[state.LOGIN_NEXT_KEY] = state.current_address()  # stay on this page
        state.start_lasting_login(auth.account_actor(store, username))


NEW_PASSWORD_KEY = "s_acc_password"
ACCOUNT_OUTCOME_KEY = "s_acc_outcome"


def _save_account(lang: str, actor: Actor) -> None:
    """Runs before the page (a callback), so the password field can be emptied: it is never shown back."""
    ss = st.session_state
    chosen, role, agency, disabled = ss["s_acc_user"], ss["s_acc_role"], ss["s_acc_agency"], ss["s_acc_disabled"]
    new_password = ss.get(NEW_PASSWORD_KEY) or ""
    ss[NEW_PASSWORD_KEY] = ""
    store = state.store()
    try:
        if role is not None or agency is not None or disabled is not None:
            store.update_account(actor, chosen.username, role=role, agency_id=agency.id if agency else None,
                                 disabled=disabled)
        if new_password:
            auth.reset_password(store, actor, chosen.username, new_password)
    except (StorageError, ValueError) as exc:
        ss[ACCOUNT_OUTCOME_KEY] = ("error", storage_widgets.explain(exc, lang))
    else:
        ss[ACCOUNT_OUTCOME_KEY] = ("ok", t("login.account_saved", lang, name=widgets.plain(chosen.username)))


def _when(moment, lang: str) -> str:
    return "—" if moment is None else f"{moment.astimezone():%H:%M %d/%m/%Y}"


def administration(lang: str, actor: Actor | None) -> None:
    """The accounts (user, role, agency, status, last log-in); for the coordinator also the forms to change an
    account and an agency."""
    store = state.store()
    accounts = store.accounts()
    if not accounts:
        return
    st.subheader(t("login.accounts", lang))
    st.dataframe([{t("auth.username", lang): a.username,
                   t("coordinator.role", lang): t(f"auth.role_{a.role}", lang),
                   t("coordinator.agency", lang): a.agency_name or "—",
                   t("login.status", lang): t("login.disabled" if a.disabled else "login.enabled", lang),
                   t("login.last_login", lang): _when(a.last_login_at, lang)} for a in accounts],
                 hide_index=True, width="stretch")
    if actor is None:
        return
    agencies = store.agencies()
    with st.form("s_edit_account"):
        st.markdown(t("login.edit_account", lang))
        st.selectbox(t("auth.username", lang), accounts, format_func=lambda a: a.username, key="s_acc_user")
        st.selectbox(t("coordinator.role", lang), [None, *ROLES], key="s_acc_role", format_func=lambda r: t(
            "login.unchanged", lang) if r is None else t(f"auth.role_{r}", lang))
        st.selectbox(t("coordinator.agency", lang), [None, *agencies], key="s_acc_agency",
                     format_func=lambda a: t("login.unchanged", lang) if a is None else a.name)
        st.selectbox(t("login.status", lang), [None, False, True], key="s_acc_disabled",
                     format_func=lambda d: t("login.unchanged", lang) if d is None
                     else t("login.disabled" if d else "login.enabled", lang))
        st.text_input(t("login.new_password", lang), type="password", help=t("login.new_password_help", lang),
                      key=NEW_PASSWORD_KEY)
        st.form_submit_button(t("login.save_account", lang), on_click=_save_account, args=(lang, actor))
    if outcome := st.session_state.pop(ACCOUNT_OUTCOME_KEY, None):
        (st.success if outcome[0] == "ok" else st.error)(outcome[1])
    if agencies:
        with st.form("s_edit_agency"):
            st.markdown(t("login.edit_agency", lang))
            which = st.selectbox(t("coordinator.agency", lang), agencies, format_func=lambda a: a.name)
            name = st.text_input(t("login.agency_new_name", lang), help=t("login.agency_new_name_help", lang))
            kind = st.selectbox(t("coordinator.agency_kind", lang), list(KINDS),
                                format_func=lambda k: t(f"coordinator.kind_{k}", lang))
            if st.form_submit_button(t("login.save_agency", lang)):
                try:
                    store.update_agency(actor, which.id, name.strip() or which.name, kind)
                except StorageError as exc:
                    st.error(storage_widgets.explain(exc, lang))
                else:
                    st.success(t("login.agency_saved", lang, name=widgets.plain(name.strip() or which.name)))
