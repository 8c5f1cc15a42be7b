"""Đăng nhập / Log in: a local account (user name + password) or the organisation's OIDC login (st.login)."""

from ui import lang as ui_lang
from ui import login

login.form(ui_lang.current())
