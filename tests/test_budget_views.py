"""AppTest of the Budget, Channels and Content views and of the Plan view's budget tab, on rows
inserted into the test store (figures computed by hand in the comments)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TODAY = "2026-03-11"            # a Wednesday: the default period is the week of Mar 4 → Mon 2 – Sun 8 March
D = dt.date


def seed(con) -> None:
    """One 30-day phase (1–30 March, ¥3,000), three channels, a ledger, channel figures, posts."""
    con.execute("INSERT OR REPLACE INTO settings VALUES ('workspace_mode', 'own')")
    con.execute("""INSERT INTO phases (phase_id, code, name, start_date, end_date, follower_target, budget)
                   VALUES (1, 'initial', 'Initial users', '2026-03-01', '2026-03-30', 5000, 3000)""")
    for channel, kind in (("Weibo drive", "weibo_drive"), ("Offline promotion", "offline"),
                          ("Own official groups", "own_groups")):
        con.execute("INSERT INTO channels (channel, kind, active) VALUES (?, ?, true)", [channel, kind])
    for i, (item, category, channel, amount) in enumerate([
            ("Weibo drive placements", "placements", "Weibo drive", 1500.0),
            ("Offline promotion", "events", "Offline promotion", 1000.0),
            ("Tools", "tools", None, 500.0)], start=1):
        con.execute("""INSERT INTO budget_lines (line_id, phase_id, item, category, channel, amount, importance)
                       VALUES (?, 1, ?, ?, ?, ?, 'important')""", [i, item, category, channel, amount])
    day = D(2026, 2, 23)
    while day <= D(2026, 3, 10):
        con.execute("""INSERT INTO spend (source, date, budget_line, channel, amount)
                       VALUES ('ledger', ?, 'Weibo drive placements', 'Weibo drive', 20)""", [day])
        con.execute("INSERT INTO channel_daily (date, channel, followers_new, registrations, orders) "
                    "VALUES (?, 'Weibo drive', 10, 2, 1)", [day])
        con.execute("INSERT INTO channel_daily (date, channel, followers_new) VALUES (?, 'Own official groups', 5)",
                    [day])
        day += dt.timedelta(days=1)
    con.execute("""INSERT INTO spend (source, date, budget_line, channel, amount) VALUES
                   ('ledger', '2026-03-07', 'Offline promotion', 'Offline promotion', 500),
                   ('ledger', '2026-03-03', 'Booth', '(none)', 100)""")
    con.execute("INSERT INTO channel_daily (date, channel, followers_new) VALUES ('2026-03-07', 'Offline promotion', 50)")
    posts = [("wechat", "Sub", "p1", "2026-03-02 08:00", "text", 1000, 800, 10000, 900, 10),
             ("wechat", "Sub", "p2", "2026-03-04 20:00", "images", 200, 100, 5000, 150, 4),
             ("weibo", "WB", "w1", "2026-03-05 12:00", "video", 5000, None, None, None, None),
             ("wechat", "Sub", "p0", "2026-02-25 08:00", "text", 400, 300, 4000, 400, 2)]
    for platform, account, pid, at, fmt, views, readers, delivered, reads, follows in posts:
        con.execute("""INSERT INTO posts (platform, account, post_id, published_at, title, format, views, readers,
                       delivered, message_reads, likes, comments, shares, favorites, followers_new)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 10, 2, 5, 3, ?)""",
                    [platform, account, pid, at, f"Post {pid}", fmt, views, readers, delivered, reads, follows])
    con.execute("""INSERT INTO business_daily (platform, account, date, registrations, active_users) VALUES
                   ('wechat', 'Service', '2026-03-02', 20, 120), ('wechat', 'Service', '2026-03-03', 25, 130)""")


@pytest.fixture
def store(con):
    seed(con)
    return con


def open_page(page: str, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["today"] = TODAY
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at) -> str:
    parts = [e.value for kind in (at.success, at.warning, at.error, at.info, at.markdown, at.caption) for e in kind]
    return "\n".join(str(p) for p in parts)


def test_budget_view_and_period_change(store):
    at = open_page("pages/budget.py")
    shown = metrics(at)
    # As of Sun 8 March (end of the period): day 8 of 30. Spent = 8 × ¥20 + ¥500 + ¥100 = ¥760.
    assert shown["Phase budget"] == "¥3,000"
    assert shown["Spent"] == "¥760"
    assert shown["Remaining"] == "¥2,240"
    # pace = 760 / 8 = 95 a day → projected 760 + 95 × 22 = 2,850; to land: 2,240 / 22 = 101.82 → ¥102
    assert shown["Projected at phase end"] == "¥2,850"
    assert shown["Daily to land on budget"] == "¥102"
    # 2,850 / 3,000 = 95.0 %; band at 8/30: w = 0.25 − 0.2 × 0.2963 = 0.1907 → 80.9 %–119.1 %
    assert "On track: projected spend is 95.0 % of the budget, inside today's band 80.9 %–119.1 %." in texts(at)
    assert "Spend outside the plan: Booth (¥100.00)" in texts(at)
    # Period Mon 2 – Sun 8 March: spend 7 × 20 + 500 + 100 = 740; follows 70 + 50 + 35 = 155 → ¥4.77
    assert shown["Spend in the period"] == "¥740"
    assert shown["Cost per new follower"] == "¥4.77"
    assert len(at.get("vega_lite_chart")) == 2          # the phase and the chosen line
    at.session_state["period.kind"] = "month"           # March: as of Tue 10 March (yesterday)
    at.run()
    assert not at.exception
    assert metrics(at)["Spent"] == "¥800"            # 10 × 20 + 500 + 100


def test_budget_view_line_choice_and_chinese(store):
    at = open_page("pages/budget.py", **{"ui.lang": "zh"})
    assert metrics(at)["已支出"] == "¥760"
    at.selectbox(key="budget.line").set_value("Offline promotion").run()
    assert not at.exception
    titles = [e.proto.spec for e in at.get("vega_lite_chart")]
    assert any("Offline promotion" in spec for spec in titles)


def test_channels_view_names_the_burst_point(store):
    at = open_page("pages/channels.py")
    text = texts(at)
    # Weibo drive: 70 follows for ¥140 (¥2.00 each), 10 every day (stability 100).
    # Offline promotion: 50 follows on one day for ¥500 (¥10.00 each).
    assert "Burst point: **Weibo drive** brought 45.2 % of the new follows (70) at ¥2.00 per follower" in text
    assert "against ¥5.33 for all paid channels together" in text        # (140 + 500) / (70 + 50)
    assert "Move money from **Offline promotion** (¥10.00 per follower" in text
    table = at.dataframe[0].value
    weibo = table[table["Channel"] == "Weibo drive"].iloc[0]
    assert weibo["Share of follows"] == "45.2 %"                          # 70 / 155
    assert weibo["Registrations ÷ follows"] == "20.0 %"                   # 14 / 70
    assert weibo["Stability index"] == "100"
    # Offline over Mar 2–8: [0, 0, 0, 0, 0, 50, 0] → CV = sqrt(6) = 2.449, active 1/7 → 4.1
    offline = table[table["Channel"] == "Offline promotion"].iloc[0]
    assert offline["Stability index"] == "4"
    assert offline["Inflow"] == "bursty"
    at.session_state["period.kind"] = "month"
    at.run()
    assert not at.exception


def test_content_view_and_platform_filter(store):
    at = open_page("pages/content.py")
    shown = metrics(at)
    assert shown["Posts"] == "3"
    assert shown["Read (open) rate"] == "7.0 %"          # (900 + 150) / (10,000 + 5,000)
    assert shown["Forward rate"] == "1.1 %"              # (5 + 5) / (800 + 100) = 1.1 %
    assert "Read (open) rate 7.0 % is below the benchmark of 15.0 %." in texts(at)
    at.selectbox(key="content.platform").set_value("weibo").run()
    assert not at.exception
    assert metrics(at)["Posts"] == "1"
    assert metrics(at)["Read (open) rate"] == "–"        # Weibo gives no delivered count


def test_plan_budget_tab_saves_an_edit_in_one_go(store):
    at = open_page("pages/plan.py", **{"plan.tab": "Budget and channels"})
    at.session_state["budget.plan_lines.1.0"] = {
        "edited_rows": {0: {"amount": 2000.0}}, "added_rows": [], "deleted_rows": []}   # row 0: Weibo, ¥1,500
    save = next(b for b in at.button if b.label == "Save channels and budget lines")
    save.click().run()
    assert not at.exception
    amount = store.execute("SELECT amount FROM budget_lines WHERE item = 'Weibo drive placements'").fetchall()
    assert amount == [(2000.0,)]
    assert any("Saved: 3 channels and 3 budget lines" in s.value for s in at.success)


def test_plan_budget_tab_imports_the_template(store):
    at = open_page("pages/plan.py", **{"plan.tab": "Budget and channels"})
    csv = "phase,item,category,amount\ninitial,Coupons,coupons,800\n".encode()
    at.file_uploader(key="budget.plan_upload.0").upload("lines.csv", csv, "text/csv").run()
    assert not at.exception
    assert store.execute("SELECT amount FROM budget_lines WHERE item = 'Coupons'").fetchall() == [(800.0,)]
    bad = "phase,item,category,amount\ninitial,Coupons,coupons,lots\n".encode()
    at.file_uploader(key="budget.plan_upload.1").upload("bad.csv", bad, "text/csv").run()
    assert any("row 2, column amount: 'lots' is not a number" in e.value for e in at.error)


@pytest.mark.parametrize("page", ["pages/budget.py", "pages/channels.py", "pages/content.py", "pages/plan.py"])
def test_views_on_an_empty_store(con, page):
    con.execute("INSERT OR REPLACE INTO settings VALUES ('workspace_mode', 'empty')")
    at = open_page(page)
    assert at.info or at.caption


def test_views_on_the_demo_workspace(demo_db):
    """The demo (built through the real import path) gives every view real figures."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/budget.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert metrics(at)["Phase budget"] == "¥300,000"                # the brand phase of demo_spec
    assert metrics(at)["Spent"] not in ("¥0", "–")
    assert at.dataframe[0].value.shape[0] >= 9                         # the brand phase's budget lines
    at.switch_page("pages/channels.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Burst point: **" in texts(at)
    at.switch_page("pages/content.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert metrics(at)["Posts"] not in ("0", "–")
    assert metrics(at)["Read (open) rate"] != "–"


def test_budget_cost_tabs_by_line_and_by_channel(store):
    # Period Mon 2 – Sun 8 March. By line: Weibo drive placements ¥140 (7 × 20) for the
    # Weibo drive channel's 70 follows → ¥2.00 each; Offline promotion ¥500 for 50 → ¥10.00.
    at = open_page("pages/budget.py")
    by_line = at.dataframe[-1].value
    assert "Weibo drive placements" in set(by_line.iloc[:, 0])
    at = open_page("pages/budget.py", **{"budget.cost_tab": "By channel"})
    by_channel = at.dataframe[-1].value
    assert {"Weibo drive", "Offline promotion"} <= set(by_channel.iloc[:, 0])
    row = by_channel[by_channel.iloc[:, 0] == "Weibo drive"].iloc[0]
    assert "¥140.00" in list(row) and "¥2.00" in list(row)
    row = by_channel[by_channel.iloc[:, 0] == "Offline promotion"].iloc[0]
    assert "¥500.00" in list(row) and "¥10.00" in list(row)
