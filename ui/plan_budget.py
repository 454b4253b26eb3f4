"""Plan view section: budget (placeholder)."""
import streamlit as st

from ui.labels import t


def render(con) -> None:
    st.info(t("shell.coming", what="budget"))
