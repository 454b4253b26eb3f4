"""The app shell (language, sidebar, period filter, navigation) around an empty page: the
benchmark's measure of what every view costs before it shows anything."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui import shell  # noqa: E402


def _start() -> None:
    st.empty()


st.set_page_config(page_title="Ops board", layout="wide")
shell.apply_language()
navigation = st.navigation([st.Page(_start, title="Start", url_path="start", default=True),
                            st.Page("empty_page.py", title="Empty", url_path="empty_page")])
shell.sidebar()
navigation.run()
