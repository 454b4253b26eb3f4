"""Crafted rows for the team and appraisal tests (figures chosen so every result is computed by hand).

March 2026 (31 days), person "Ana" (promotion manager) runs two Weibo accounts A1 and A2:
- account_daily: A1 followers_net 20 a day (import 1), A2 10 a day (import 2) → 620 + 310 = 930;
- forwards (account_daily.shares): A1 300 on 10 March, A2 120 on 12 March; posts (import 3):
  A1 10 posts, A2 30 posts → forwards per post = (300 + 120) ÷ (10 + 30) = 10.5 (the mean of
  the two accounts' ratios, 30 and 4, would be 17);
- manual enquiries: 40, then corrected to 45 (the latest entry counts).
KPI set: net follows (weibo, person) target 1,000 weight 40; forwards per post target 10 weight 30;
enquiries target 50 weight 30, missing rule "excluded". Bonus base 2,000, linear.
Score: 930/1000 → 93 × 0.4 = 37.2; 10.5/10 → 105 × 0.3 = 31.5; 45/50 → 90 × 0.3 = 27 → 95.7.
April 2026 (30 days): A1 followers_net 15 a day only (import 4), no posts, no enquiries
→ 450/1000 → 45 points; forwards per post missing → 0 (rule zero); enquiries missing and
excluded → weights 40/70 and 30/70 → 45 × 4/7 = 25.714…
"""
from __future__ import annotations

import datetime as dt

from store import plan_team

MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)
TODAY = dt.date(2026, 5, 10)


def add_import(con, import_id: int, file_name: str, platform: str = "weibo") -> None:
    con.execute("""INSERT INTO imports (import_id, file_name, sha256, platform, report, rows, imported_at, status)
                   VALUES (?, ?, ?, ?, 'test', 0, TIMESTAMP '2026-05-01 09:00:00', 'active')""",
                [import_id, file_name, f"sha{import_id}", platform])


def daily(con, account: str, start: dt.date, days: int, net: int, import_id: int, platform: str = "weibo") -> None:
    # an upsert: the days' net follows and import change, their other figures stay
    con.execute("""UPDATE account_daily SET followers_net = ?, import_id = ? WHERE platform = ? AND account = ?
                   AND date >= CAST(? AS DATE) AND date < CAST(? AS DATE) + CAST(? AS INTEGER)""",
                [net, import_id, platform, account, start, start, days])
    con.execute("""INSERT INTO account_daily (platform, account, date, followers_net, import_id)
                   SELECT ?, ?, CAST(? AS DATE) + CAST(i AS INTEGER), ?, ? FROM range(?) t(i)
                   WHERE NOT EXISTS (SELECT 1 FROM account_daily d WHERE d.platform = ? AND d.account = ?
                                     AND d.date = CAST(? AS DATE) + CAST(i AS INTEGER))""",
                [platform, account, start, net, import_id, days, platform, account, start])


def posts(con, account: str, day: dt.date, count: int, shares: int, import_id: int) -> None:
    con.execute("""INSERT INTO posts (platform, account, post_id, published_at, shares, import_id)
                   SELECT 'weibo', ?, ? || '-' || i, CAST(? AS TIMESTAMP) + i * INTERVAL 1 HOUR, ?, ?
                   FROM range(?) t(i)""",
                [account, f"{account}-{day}", dt.datetime.combine(day, dt.time(12)), shares, import_id, count])


def build(con) -> dict:
    """The whole scenario above; returns the ids."""
    con.execute("BEGIN TRANSACTION")
    con.execute("INSERT OR REPLACE INTO settings VALUES ('workspace_mode', 'own')")
    con.execute("""INSERT INTO phases (phase_id, code, name, start_date, end_date, follower_target, budget)
                   VALUES (1, 'seed', 'Seed users', DATE '2026-01-01', DATE '2026-01-31', 1000, 20000),
                   (2, 'initial', 'Initial users', DATE '2026-02-01', DATE '2026-04-30', 50000, 150000)""")
    for iid, name in [(1, "weibo_a1.xlsx"), (2, "weibo_a2.xlsx"), (3, "weibo_posts.xlsx"), (4, "weibo_a1_april.xlsx")]:
        add_import(con, iid, name)
    daily(con, "A1", MARCH, 31, 20, 1)
    daily(con, "A2", MARCH, 31, 10, 2)
    con.execute("UPDATE account_daily SET shares = 300 WHERE account = 'A1' AND date = DATE '2026-03-10'")
    con.execute("UPDATE account_daily SET shares = 120 WHERE account = 'A2' AND date = DATE '2026-03-12'")
    posts(con, "A1", dt.date(2026, 3, 10), 10, 30, 3)
    posts(con, "A2", dt.date(2026, 3, 12), 30, 4, 3)
    daily(con, "A1", APRIL, 30, 15, 4)
    con.execute("COMMIT")

    plan_team.save_roles(con, [{"code": "promotion_manager", "name": "Promotion manager", "needed_from_phase": "initial"},
                               {"code": "copywriter", "name": "Copywriter", "needed_from_phase": "initial"}])
    roles = dict(con.execute("SELECT code, role_id FROM roles").fetchall())
    plan_team.save_people(con, [{"name": "Ana", "role_id": roles["promotion_manager"], "start_date": dt.date(2026, 1, 5),
                                 "accounts": ["weibo: A1", "weibo: A2"], "bonus_base": 2000}])
    ana = con.execute("SELECT person_id FROM people WHERE name = 'Ana'").fetchall()[0][0]
    plan_team.save_kpi_set(con, [
        {"name": "Net follows", "metric_id": "net_follows", "platform": "weibo", "target": 1000, "weight": 40},
        {"name": "Forwards per post", "metric_id": "forwards_per_post", "target": 10, "weight": 30},
        {"name": "Enquiries", "metric_id": "manual:enquiries", "target": 50, "weight": 30, "missing_rule": "excluded"},
    ], role_id=roles["promotion_manager"])
    plan_team.save_inputs(con, MARCH, [{"person_id": ana, "input_key": "enquiries", "value": 40}], "Boss")
    plan_team.save_inputs(con, MARCH, [{"person_id": ana, "input_key": "enquiries", "value": 45, "note": "recount"}],
                          "Boss")
    kpis = dict(con.execute("SELECT name, kpi_id FROM kpis").fetchall())
    return {"ana": ana, "roles": roles, "kpis": kpis}
