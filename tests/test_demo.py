"""The demo workspace: built through the real import path, labelled as demo, built once."""
from __future__ import annotations

import datetime as dt

from store import demo, demo_spec


def test_demo_exports_all_import_through_the_pipeline(demo_db):
    from store import connection
    con = connection.cursor(demo_db)
    imports = con.execute("SELECT origin, status, count(*) FROM imports GROUP BY ALL").fetchall()
    assert len(imports) == 1 and imports[0][:2] == ("demo", "active") and imports[0][2] >= 30
    reports = {r[0] for r in con.execute("SELECT DISTINCT report FROM imports").fetchall()}
    # HTML .xls user growth, the three-block trend sheet, 已通知内容, team templates, Weibo, Douyin, XHS.
    assert {"user_growth", "business_daily", "channel_daily", "spend_ledger"} <= reports
    accounts = set(con.execute("SELECT platform, account FROM accounts").fetchall())
    assert set(demo_spec.ACCOUNTS.values()) <= accounts
    for platform, account in demo_spec.ACCOUNTS.values():
        if account.endswith("服务号"):
            rows = con.execute("SELECT count(*) FROM business_daily WHERE platform = ? AND account = ?",
                               [platform, account]).fetchall()[0][0]
        else:
            rows = con.execute("SELECT count(*) FROM account_daily WHERE platform = ? AND account = ?",
                               [platform, account]).fetchall()[0][0]
        assert rows == demo_spec.START_OFFSET_DAYS, account     # one row per day up to yesterday
    assert [r[0] for r in con.execute("SELECT code FROM phases ORDER BY start_date").fetchall()] == \
        ["seed", "initial", "brand"]
    assert con.execute("SELECT count(*) FROM channels").fetchall()[0][0] == len(demo_spec.CHANNELS)
    assert con.execute("SELECT value FROM settings WHERE key = 'workspace_mode'").fetchall() == [("demo",)]


def test_ensure_workspace_builds_once_and_respects_an_emptied_workspace(demo_db):
    from store import connection
    con = connection.cursor(demo_db)
    before = con.execute("SELECT count(*) FROM imports").fetchall()[0][0]
    assert demo.ensure_workspace(con) == "demo"
    assert con.execute("SELECT count(*) FROM imports").fetchall()[0][0] == before
    demo.start_empty(con)
    assert demo.ensure_workspace(con) == "empty"
    assert con.execute("SELECT count(*) FROM imports").fetchall()[0][0] == 0


def test_demo_phases_put_today_in_the_brand_phase():
    today = dt.date(2026, 11, 21)
    phases = demo_spec.phase_dates(today)
    assert phases[0][2] == dt.date(2026, 6, 24)                 # 150 days before today
    assert phases[2][2] <= today <= phases[2][3]
    assert [p[4] for p in phases] == [1_000, 50_000, 100_000]   # PRODUCT.md's phase targets
