"""Streamlit entry point: language, edition and navigation around the pages in ``pages/``.

Other features add their page by appending one ``(section, st.Page(...))`` entry to ``PAGES``; sections are
i18n keys (``nav.section_*``) so the sidebar follows the language toggle. Titles are translated on every run.
"""

import streamlit as st

from dti.i18n import t
from ui import lang as ui_lang
from ui import shell

st.set_page_config(page_title="DTI tự đánh giá", page_icon=":material/bar_chart:", layout="wide")
lang = ui_lang.chosen()  # not current(): app.py is the router, it need not be routed

# (section key in config/i18n.yaml, page). Append new pages here; the first page with default=True opens first.
PAGES = [
    ("nav.section_assess", st.Page("pages/overview.py", title=t("nav.overview", lang), icon=":material/home:",
                                   url_path="overview", default=True)),
    ("nav.section_assess", st.Page("pages/assessment.py", title=t("nav.assessment", lang), icon=":material/edit_note:",
                                   url_path="assessment")),
    ("nav.section_assess", st.Page("pages/results.py", title=t("nav.results", lang), icon=":material/bar_chart:",
                                   url_path="results")),
    ("nav.section_explore", st.Page("pages/whatif.py", title=t("nav.whatif", lang), icon=":material/tune:",
                                    url_path="whatif")),
    ("nav.section_explore", st.Page("pages/framework.py", title=t("nav.framework", lang), icon=":material/menu_book:",
                                    url_path="framework")),
    ("nav.section_explore", st.Page("pages/editions.py", title=t("editions.nav", lang), icon=":material/library_books:",
                                    url_path="editions")),
    ("decide.section", st.Page("pages/scenarios.py", title=t("decide.nav_scenarios", lang),
                               icon=":material/alt_route:", url_path="scenarios")),
    ("decide.section", st.Page("pages/peers.py", title=t("decide.nav_peers", lang), icon=":material/leaderboard:",
                               url_path="peers")),
    ("decide.section", st.Page("pages/report.py", title=t("decide.nav_report", lang), icon=":material/description:",
                               url_path="report")),
    ("decide.section", st.Page("pages/workshop.py", title=t("decide.nav_workshop", lang),
                               icon=":material/co_present:", url_path="workshop")),
    ("coordinator.nav_section", st.Page("pages/coordinator.py", title=t("coordinator.nav", lang),
                                        icon=":material/groups:", url_path="coordinator")),
    ("coordinator.nav_section", st.Page("pages/agency.py", title=t("agency.nav", lang),
                                        icon=":material/assignment_ind:", url_path="agency")),
    ("coordinator.nav_section", st.Page("pages/import_export.py", title=t("import_export.nav", lang),
                                        icon=":material/upload_file:", url_path="import-export")),
]

# With accounts (or OIDC) set up, nothing but the log-in form is shown until someone logs in; the address
# asked for is kept and opened after the log-in.
if shell.actor_or_stop(lang, PAGES) is None:
    shell.run_logged_out(PAGES, lang)
else:
    shell.run(PAGES, lang)
