"""Pacing: actual to date, pro-rated target, projection, required run-rate and the status
bands, each checked against numbers worked out by hand."""
from __future__ import annotations

import datetime as dt

import pytest

from metrics import pacing
from metrics.goals import Goal, get_goal
from metrics.pacing import band, status_for
from store import plan_goals

D = dt.date
APR1, APR30 = D(2024, 4, 1), D(2024, 4, 30)


def _days(start, n):
    return [start + dt.timedelta(days=i) for i in range(n)]


@pytest.fixture
def shop(con):
    """20 days of the service account: 100 visitors and 10 orders a day (1–20 April 2024)."""
    con.executemany("INSERT INTO business_daily (platform, account, date, visitors, orders) VALUES (?, ?, ?, ?, ?)",
                    [("wechat", "Svc", d, 100, 10) for d in _days(APR1, 20)])
    return con


def goal(metric, target, start=APR1, end=APR30, **kw) -> Goal:
    return Goal(metric=metric, start_date=start, end_date=end, target=target, **kw)


# ------------------------------------------------------------------ the bands
def test_band_edges():
    assert band(1.2) == "on_track"
    assert band(0.99) == "on_track"
    assert band(0.9899) == "behind"
    assert band(0.81) == "behind"
    assert band(0.8099) == "at_risk"
    assert band(None) == "on_track"  # nothing was due yet


def test_status_rules():
    # stay at least 12 % with a floor of 8 %: 10 % is behind, 7 % at risk, 12 % on track
    assert status_for("at_least", False, "rate", 0.10, 0.12, 0.12, 0.08)[0] == "behind"
    assert status_for("at_least", False, "rate", 0.07, 0.12, 0.12, 0.08)[0] == "at_risk"
    assert status_for("at_least", False, "rate", 0.12, 0.12, 0.12, 0.08)[0] == "on_track"
    assert status_for("at_least", False, "rate", 0.10, 0.12, 0.12, None)[0] == "at_risk"   # no floor: the rule
    # stay at most ¥5 per follower: ¥6 is over (at risk), within a ¥7 limit it is behind
    assert status_for("at_most", True, "rate", 6.0, 5.0, 5.0)[0] == "at_risk"
    assert status_for("at_most", True, "rate", 6.0, 5.0, 5.0, 7.0)[0] == "behind"
    assert status_for("at_most", True, "rate", 4.0, 5.0, 5.0)[0] == "on_track"
    # a budget of 3,000 with 2,000 due by now: 1,800 on track, 2,200 behind, 3,100 at risk
    assert status_for("at_most", True, "accrue", 1800, 2000, 3000)[0] == "on_track"
    assert status_for("at_most", True, "accrue", 2200, 2000, 3000)[0] == "behind"
    assert status_for("at_most", True, "accrue", 3100, 2000, 3000)[0] == "at_risk"
    # reach on a lower-is-better metric: pro-rated 5 ÷ actual 5.5 = 0.909 → behind
    status, ratio = status_for("reach", True, "rate", 5.5, 5.0, 5.0)
    assert status == "behind" and ratio == pytest.approx(5 / 5.5)
    # a level: baseline 1,000, planned 1,400, actual 1,200 → gain 200 of 400 = 50 % → at risk
    status, ratio = status_for("reach", False, "level", 1200, 1400, 2000, None, 1000)
    assert status == "at_risk" and ratio == pytest.approx(0.5)
    # a level already past the whole target is on track
    assert status_for("reach", False, "level", 2100, 1400, 2000, None, 1000)[0] == "on_track"
    # below a pro-rated floor is at risk even inside the on-track band
    assert status_for("reach", False, "accrue", 100, 100, 300, 120)[0] == "at_risk"


# ------------------------------------------------------------------ counts
@pytest.mark.parametrize("target, planned, status", [
    (300, 200.0, "on_track"),    # 300 × 20/30 = 200 due; 200 done → 100 %
    (330, 220.0, "behind"),      # 330 × 20/30 = 220 due; 200 ÷ 220 = 90.9 %
    (400, 400 * 2 / 3, "at_risk"),  # 266.7 due; 200 ÷ 266.7 = 75 %
])
def test_count_goal_even(shop, target, planned, status):
    p = pacing.pace(shop, goal("orders", target), D(2024, 4, 21))
    assert p.asof == D(2024, 4, 20)              # yesterday
    assert (p.days_elapsed, p.days_left) == (20, 10)
    assert p.actual == 200                       # 20 days × 10
    assert p.planned == pytest.approx(planned)
    assert p.status == status
    assert p.projection == pytest.approx(300)    # linear: 200 + 200/20 × 10
    assert p.projection_method == "linear"
    assert p.required_per_day == pytest.approx((target - 200) / 10)


def test_pacing_stops_at_the_last_day_with_data(shop):
    # today 25 April but the export ends on 20 April: pace through the 20th, not against 24 days
    p = pacing.pace(shop, goal("orders", 300), D(2024, 4, 25))
    assert p.asof == D(2024, 4, 20) and p.planned == pytest.approx(200) and p.status == "on_track"


def test_weekday_weighted_pro_rating(shop):
    # weekdays only: April 2024 has 22 weekdays (1 April is a Monday), 15 of them by Saturday
    # 20 April → 220 × 15/22 = 150 due; 200 done → 133 % on track
    g = goal("orders", 220, split_mode="weekday", weekday_weights="1,1,1,1,1,0,0")
    p = pacing.pace(shop, g, D(2024, 4, 21))
    assert p.planned == pytest.approx(150)
    assert p.ratio == pytest.approx(200 / 150)
    assert p.status == "on_track"


# ------------------------------------------------------------------ rates
def test_rate_with_floor_uses_the_rule(shop):
    # order conversion: 200 orders ÷ 2,000 visitors = 10 %
    behind = pacing.pace(shop, goal("order_conversion", 0.12, rule="at_least", floor=0.08), D(2024, 4, 21))
    assert behind.actual == pytest.approx(0.10) and behind.planned == 0.12 and behind.status == "behind"
    assert behind.projection == pytest.approx(0.10) and behind.projection_method == "rate_so_far"
    assert pacing.pace(shop, goal("order_conversion", 0.12, rule="at_least"), D(2024, 4, 21)).status == "at_risk"
    assert pacing.pace(shop, goal("order_conversion", 0.10, rule="at_least"), D(2024, 4, 21)).status == "on_track"


def test_per_day_rate_run_rate(shop):
    # orders per day: 200 ÷ 20 days = 10 against 12 → 83 % behind; the last 10 days must average
    # (12 × 30 − 10 × 20) ÷ 10 = 16
    p = pacing.pace(shop, goal("orders_per_day", 12), D(2024, 4, 21))
    assert p.actual == pytest.approx(10) and p.status == "behind"
    assert p.required_per_day == pytest.approx(16)


def test_stay_below_cost_per_follower(con):
    con.executemany("INSERT INTO account_daily (platform, account, date, followers_new) VALUES (?, ?, ?, ?)",
                    [("weibo", "W", d, 10) for d in _days(APR1, 10)])
    con.executemany("INSERT INTO spend (source, date, budget_line, channel, amount) VALUES (?, ?, ?, ?, ?)",
                    [("ledger", d, "Red packets", "(none)", 60.0) for d in _days(APR1, 10)])
    # ¥600 ÷ 100 new follows = ¥6 against at most ¥5 → at risk; with ¥7 as the limit → behind
    p = pacing.pace(con, goal("cost_per_follower", 5.0, rule="at_most"), D(2024, 4, 11))
    assert p.actual == pytest.approx(6.0) and p.status == "at_risk"
    assert pacing.pace(con, goal("cost_per_follower", 5.0, rule="at_most", floor=7.0), D(2024, 4, 11)).status == "behind"
    # spend ≤ ¥2,400 for April: ¥800 due by the 10th (10/30), ¥600 spent → on track, ¥180 a day left
    budget = pacing.pace(con, goal("spend", 2400.0, rule="at_most"), D(2024, 4, 11))
    assert budget.planned == pytest.approx(800) and budget.status == "on_track"
    assert budget.required_per_day == pytest.approx((2400 - 600) / 20)


# ------------------------------------------------------------------ levels and growth
def test_follower_level_goal(con):
    rows = [("wechat", "Sub", D(2024, 3, 31), 1000)] + [("wechat", "Sub", d, 1000 + 50 * (i + 1))
                                                         for i, d in enumerate(_days(APR1, 4))]
    con.executemany("INSERT INTO account_daily (platform, account, date, followers_total) VALUES (?, ?, ?, ?)", rows)
    p = pacing.pace(con, goal("followers", 2000, end=D(2024, 4, 10)), D(2024, 4, 5))
    assert p.baseline == 1000 and p.actual == 1200
    assert p.planned == pytest.approx(1400)          # 1,000 + 1,000 × 4/10
    assert p.ratio == pytest.approx(0.5)             # gain 200 of the 400 planned
    assert p.status == "at_risk"
    assert p.projection == pytest.approx(1500)       # 1,000 + 200 × 10/4
    assert p.required_per_day == pytest.approx(800 / 6)


def test_growth_goal(con):
    # previous 10 days (22–31 March): 10 net follows a day = 100; +50 % → 150 for 1–10 April
    rows = [("wechat", "Sub", d, 10) for d in _days(D(2024, 3, 22), 10)]
    rows += [("wechat", "Sub", d, 12) for d in _days(APR1, 5)]
    con.executemany("INSERT INTO account_daily (platform, account, date, followers_net) VALUES (?, ?, ?, ?)", rows)
    p = pacing.pace(con, goal("net_follows", 0.5, end=D(2024, 4, 10), rule="growth"), D(2024, 4, 6))
    assert p.baseline == 100 and p.target == pytest.approx(150)
    assert p.actual == 60 and p.planned == pytest.approx(75)     # 150 × 5/10
    assert p.ratio == pytest.approx(0.8) and p.status == "at_risk"
    # no previous period: no target yet
    early = pacing.pace(con, goal("net_follows", 0.5, start=D(2024, 3, 22), end=D(2024, 3, 31), rule="growth"),
                        D(2024, 4, 6))
    assert early.status == "no_data" and early.note == "no_previous"


# ------------------------------------------------------------------ not started, no data, finished
def test_upcoming_no_data_and_finished(shop):
    assert pacing.pace(shop, goal("orders", 300), APR1).status == "upcoming"
    assert pacing.pace(shop, goal("registrations", 300), D(2024, 4, 21)).status == "no_data"
    done = pacing.pace(shop, goal("orders", 190, end=D(2024, 4, 20)), D(2024, 4, 25))
    assert done.finished and done.days_left == 0 and done.status == "on_track"
    assert done.required_per_day is None


# ------------------------------------------------------------------ every goal at once
def test_goal_statuses_order_ultimate_and_rollup(shop):
    ids = {}
    ids["ok"] = plan_goals.save_goal(shop, metric="orders", target=300, start_date=APR1, end_date=APR30,
                                     is_ultimate=True)
    ids["risk"] = plan_goals.save_goal(shop, metric="orders", target=400, start_date=APR1, end_date=APR30)
    ids["behind"] = plan_goals.save_goal(shop, metric="orders_per_day", target=12, start_date=APR1, end_date=APR30)
    ids["old"] = plan_goals.save_goal(shop, metric="orders", target=10, start_date=D(2024, 1, 1),
                                      end_date=D(2024, 1, 31))
    shop.execute("INSERT INTO business_daily (platform, account, date, orders) VALUES ('wechat', 'Shop2', ?, 5)", [APR1])
    plan_goals.save_split(shop, ids["ok"], members=[
        {"scope_kind": "account", "scope_ref": "wechat/Svc", "share": 2},
        {"scope_kind": "account", "scope_ref": "wechat/Shop2", "share": 1}])
    frame = pacing.goal_statuses(shop, D(2024, 4, 21))
    # at risk, behind, on track; the January goal ended long ago and is left out
    assert list(frame["goal_id"]) == [ids["risk"], ids["behind"], ids["ok"]]
    assert list(frame["status"]) == ["at_risk", "behind", "on_track"]
    ok = frame[frame["goal_id"] == ids["ok"]].iloc[0]
    assert ok["children"] == 2 and ok["rollup_actual"] == 205     # 200 + 5 from the two accounts
    ultimate = pacing.ultimate_goal(shop, D(2024, 4, 21))
    assert ultimate["goal_id"] == ids["ok"] and ultimate["is_ultimate"]
    everything = pacing.goal_statuses(shop, D(2024, 4, 21), active_only=False)
    assert ids["old"] in set(everything["goal_id"])


def test_pace_series_and_drill_down(shop):
    gid = plan_goals.save_goal(shop, metric="orders", target=300, start_date=APR1, end_date=APR30)
    series = pacing.pace_series(shop, get_goal(shop, gid), D(2024, 4, 21))
    assert len(series) == 30
    assert series["actual"][0] == 10 and series["actual"][19] == 200    # cumulative
    assert series["actual"][20:].isna().all()
    assert series["planned"][0] == pytest.approx(10) and series["planned"][29] == pytest.approx(300)
    drill = pacing.drill_down(shop, gid, D(2024, 4, 21))
    assert list(drill["parts"]["target"]) == [300]
    assert drill["parts"]["actual"][0] == 200 and drill["parts"]["status"][0] == "on_track"


def test_phase_progress(shop):
    shop.execute("""INSERT INTO phases (phase_id, code, name, start_date, end_date, follower_target, budget)
                    VALUES (1, 'seed', 'Seed users', '2024-04-01', '2024-04-30', 1000, 20000)""")
    shop.executemany("INSERT INTO account_daily (platform, account, date, followers_total) VALUES (?, ?, ?, ?)",
                     [("wechat", "Sub", d, 30 * (i + 1)) for i, d in enumerate(_days(APR1, 20))])
    phase = pacing.phase_progress(shop, D(2024, 4, 21))
    assert phase["name"] == "Seed users" and phase["days_elapsed"] == 20 and phase["days_total"] == 30
    followers = phase["followers"]
    # total basis: 600 followers on the 20th against 1,000 × 20/30 = 666.7 due → 90 % behind
    assert followers["actual"] == 600 and followers["planned"] == pytest.approx(2000 / 3)
    assert followers["status"] == "behind"
    # the Goals view's top reads the phase and the goals in one session: the same phase
    gid = plan_goals.save_goal(shop, metric="orders", target=300, start_date=APR1, end_date=APR30)
    top, goals = pacing.overview(shop, D(2024, 4, 21), (APR1, APR30))
    assert top["followers"] == followers
    assert list(goals["goal_id"]) == [gid] and goals["actual"][0] == 200      # 10 orders a day × 20 days
    shop.execute("DELETE FROM phases")
    assert pacing.phase_progress(shop, D(2024, 4, 21)) is None
