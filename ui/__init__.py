"""Streamlit-side helpers shared by the pages: labels, formats, the period filter, the store handle."""
