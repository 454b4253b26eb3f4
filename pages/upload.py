"""The Upload view (placeholder until the import pipeline lands)."""
import streamlit as st

from ui.labels import t

st.title(t("nav.upload"))
