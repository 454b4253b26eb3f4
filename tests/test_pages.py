"""Every page of the registry loads on the demo workspace, in both languages, without an exception."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui.navigation import PAGES

APP = str(ROOT / "app.py")


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_loads_on_the_demo(demo_db, spec, lang):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(spec.path).run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    assert at.title, f"{spec.path} shows no title"
    # app.py ran around the page: its language switch and period filter are in the sidebar.
    assert at.sidebar.radio(key="shell.language").value == lang
    assert at.sidebar.selectbox(key="period.kind").value == "week"
    # every date picker shows its date in ISO form
    assert [d.proto.format for d in at.get("date_input")] and \
        {d.proto.format for d in at.get("date_input")} == {"YYYY-MM-DD"}


def test_app_opens_on_the_demo_workspace_when_the_store_is_empty(tmp_path, monkeypatch):
    from store import connection, inbox
    path = tmp_path / "fresh.duckdb"
    monkeypatch.setattr(connection, "DEFAULT_DB", path)
    try:
        at = AppTest.from_file(APP, default_timeout=120).run()
        assert not at.exception
        assert any("Demo workspace" in i.value for i in at.sidebar.info)
        con = connection.cursor(path)
        platforms = {r[0] for r in con.execute("SELECT DISTINCT platform FROM account_daily").fetchall()}
        assert {"wechat", "weibo", "douyin", "xiaohongshu"} <= platforms
    finally:
        inbox.stop_watcher(path)
        connection.close(path)
