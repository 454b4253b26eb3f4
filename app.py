"""Router: page config, language, the shared sidebar, and the navigation over ``pages/``."""
import streamlit as st

from ui import shell
from ui.labels import t
from ui.navigation import PAGES

st.set_page_config(page_title="Ops board", page_icon=":material/dashboard:", layout="wide")
shell.apply_language()

pages = [st.Page(p.path, title=t(p.label_key), icon=p.icon, url_path=p.url_path, default=(i == 0))
         for i, p in enumerate(PAGES)]
kiosk = st.query_params.get("view") == "standup"
navigation = st.navigation(pages[:1] if kiosk else pages, position="hidden" if kiosk else "sidebar")
if not kiosk:
    shell.sidebar()
navigation.run()
