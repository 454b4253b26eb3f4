"""The budget view (placeholder until its issue lands)."""
import streamlit as st

from ui.labels import t

st.title(t("nav.budget"))
st.info(t("shell.coming", what=t("nav.budget")))
