"""The store as the pages see it: one cached root connection, a cursor per run, a data version."""
from __future__ import annotations

import streamlit as st

from store import connection, demo, inbox


@st.cache_resource
def _root(path: str):
    """The process's connection: demo on first start, and the inbox watcher for the command line."""
    con = connection.open_root(path)
    demo.ensure_workspace(con.cursor())
    inbox.start_watcher(con, path)
    return con


def db_path() -> str:
    return str(connection.DEFAULT_DB)


def cursor():
    """A cursor for this script run (DuckDB refuses concurrent calls on one connection)."""
    return _root(db_path()).cursor()


def version() -> int:
    """The store's data version, for cache keys of ``st.cache_data`` functions."""
    return connection.data_version(cursor())
