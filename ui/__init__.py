"""Streamlit-side helpers shared by the pages: labels, formats, the period filter, the store handle.

Importing this package also switches Streamlit to ``st.navigation`` routing for good: with a
``pages/`` folder beside app.py, Streamlit starts a fresh server in the old folder-based
mode, so a deep link such as ``/budget`` as the very first request would run the page on its
own, without app.py's menu, language and period filter. The first run that imports ``ui``
turns that mode off and reruns, so app.py routes every request.
"""
from streamlit.runtime.pages_manager import PagesManager

if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is not None:
        import streamlit as st

        st.rerun()
