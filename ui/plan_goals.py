"""Plan view section: goals (placeholder)."""
import streamlit as st

from ui.labels import t


def render(con) -> None:
    st.info(t("shell.coming", what="goals"))
