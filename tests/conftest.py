"""Shared fixtures: a fresh real DuckDB store file per test, and the samples folder."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT.parent / "shared" / "samples"


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    """A new, empty store file (marked as the team's own workspace, so the app does not load
    the demo into it); the app under AppTest opens the same file."""
    from store import connection
    path = tmp_path / "board.duckdb"
    monkeypatch.setattr(connection, "DEFAULT_DB", path)
    monkeypatch.setenv("OPSBOARD_DB", str(path))
    connection.cursor(path).execute("INSERT INTO settings VALUES ('workspace_mode', 'own')")
    yield path
    from store import inbox
    inbox.stop_watcher(path)
    connection.close(path)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo workspace built once per test session (through the real import path)."""
    import datetime as dt

    from store import connection, demo
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = connection.cursor(path)
    demo.build(con, dt.date.today())
    con.execute("CHECKPOINT")
    connection.close(path)
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path, monkeypatch):
    """A private copy of the demo workspace that the app under AppTest opens."""
    import shutil

    from store import connection, inbox
    path = tmp_path / "board.duckdb"
    shutil.copyfile(demo_template, path)
    monkeypatch.setattr(connection, "DEFAULT_DB", path)
    monkeypatch.setenv("OPSBOARD_DB", str(path))
    yield path
    inbox.stop_watcher(path)
    connection.close(path)


@pytest.fixture
def con(db_path):
    """A cursor on a freshly migrated, empty store file."""
    from store import connection
    return connection.cursor(db_path)


@pytest.fixture
def samples():
    """The third-party sample folder; tests that need it skip when it is absent."""
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not present")
    return SAMPLES


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """cache_resource is process-global: clear it so every AppTest opens its own store."""
    yield
    try:
        import streamlit as st
        st.cache_resource.clear()
        st.cache_data.clear()
    except Exception:
        pass


@pytest.fixture(autouse=True)
def _route_every_run_through_app(monkeypatch):
    """AppTest starts every run in Streamlit's old pages-folder mode, which would run a page
    file on its own after ``switch_page``. In the served app ``ui/__init__.py`` turns that mode
    off on the first run; do the same here so every AppTest run goes through app.py."""
    from streamlit.runtime.pages_manager import PagesManager
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
