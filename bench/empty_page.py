"""An empty view: a title and nothing else (see ``bench/empty_app.py``)."""
import streamlit as st

st.title("Empty page")
