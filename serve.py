"""The server to run: the Streamlit app of app.py plus the routes that set and clear the log-in cookie.

``streamlit run serve.py`` (as ``make run`` does). ``streamlit run app.py`` still works, without lasting log-ins.
"""

import streamlit as st

from ui import session_cookie

app = st.App("app.py", routes=session_cookie.routes())
