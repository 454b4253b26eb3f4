"""The goals view (placeholder until its issue lands)."""
import streamlit as st

from ui.labels import t

st.title(t("nav.goals"))
st.info(t("shell.coming", what=t("nav.goals")))
