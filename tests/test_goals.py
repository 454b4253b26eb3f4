"""Goals in the store: vague goals are refused with the reason, phases and goals are saved in
one transaction (or not at all), splits across the team and over time, suggestions from
history, and the demo seed."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics import catalog, goals as gm, pacing
from store import demo_goals, demo_spec, plan_goals
from store.plan_goals import PlanRefused

D = dt.date
APR1, APR30 = D(2024, 4, 1), D(2024, 4, 30)


def _count(con, table):
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


# ------------------------------------------------------------------ vague goals
def test_a_wish_is_not_a_goal(con):
    with pytest.raises(PlanRefused) as refused:
        plan_goals.save_goal(con, name="Raise brand exposure", metric="views", target=None,
                             start_date=None, end_date=None)
    keys = [p.key for p in refused.value.problems]
    assert keys == ["goals.err_no_target", "goals.err_no_period"]
    text = str(refused.value)
    assert "“Raise brand exposure” has no target number" in text
    assert "has no period" in text and "cannot be paced" in text
    assert _count(con, "goals") == 0


@pytest.mark.parametrize("fields, key", [
    (dict(metric=None, target=100), "goals.err_no_metric"),
    (dict(metric="nonsense", target=100), "goals.err_unknown_metric"),
    (dict(metric="orders", target=100, end_date=D(2024, 3, 1)), "goals.err_end_before_start"),
    (dict(metric="order_conversion", target=8), "goals.err_rate_range"),           # 8 meant 8 %
    (dict(metric="order_conversion", target=0.08, floor=0.1, rule="at_least"), "goals.err_floor_side"),
    (dict(metric="orders", target=100, rule="maximise"), "goals.err_rule"),
    (dict(metric="orders", target=100, scope_kind="person", scope_ref="99"), "goals.err_scope_unknown"),
    (dict(metric="orders", target=100, scope_kind="account"), "goals.err_scope_ref"),
    (dict(metric="orders", target=100, split_mode="weekday", weekday_weights="1,2"), "goals.err_weekday_weights"),
    (dict(metric="orders", target=100, split_mode="curve"), "goals.err_curve"),
])
def test_each_problem_is_named(con, fields, key):
    row = {"start_date": APR1, "end_date": APR30, **fields}
    with pytest.raises(PlanRefused) as refused:
        plan_goals.save_goal(con, **row)
    assert key in [p.key for p in refused.value.problems]
    for lang in ("en", "zh"):
        assert all(p.text(lang) for p in refused.value.problems)


def test_only_one_ultimate_goal(con):
    rows = [dict(metric="orders", target=100, start_date=APR1, end_date=APR30, is_ultimate=True),
            dict(metric="orders_per_day", target=10, start_date=APR1, end_date=APR30, is_ultimate=True)]
    with pytest.raises(PlanRefused, match="Only one goal can be the ultimate goal"):
        plan_goals.save_plan(con, goals=rows)
    plan_goals.save_goal(con, **rows[0])
    with pytest.raises(PlanRefused):
        plan_goals.save_goal(con, **rows[1])


# ------------------------------------------------------------------ phases and goals in one transaction
PHASES = [
    {"code": "seed", "name": "Seed users", "start_date": D(2024, 1, 1), "end_date": D(2024, 1, 30),
     "follower_target": 1000, "budget": 20000.0},
    {"code": "initial", "name": "Initial users", "start_date": D(2024, 1, 31), "end_date": D(2024, 5, 1),
     "follower_target": 50000, "budget": 150000.0},
]


def test_save_plan_writes_phases_and_goals_together(con):
    version = con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()[0][0]
    counts = plan_goals.save_plan(con, phases=PHASES, goals=[
        dict(metric="orders", target=300, start_date=APR1, end_date=APR30, is_ultimate=True)])
    assert counts["phases"] == 2 and counts["goals"] == 1
    assert con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()[0][0] > version
    phases = gm.phases(con)
    assert [p["code"] for p in phases] == ["seed", "initial"]
    assert phases[0]["follower_basis"] == "total"
    # a goal taking its dates from a phase
    initial = phases[1]["phase_id"]
    goals = [dict(goal_id=g.goal_id, metric=g.metric, target=g.target, start_date=g.start_date,
                  end_date=g.end_date, is_ultimate=g.is_ultimate) for g in gm.load_goals(con)]
    goals.append(dict(metric="followers", target=50000, phase_id=initial))
    plan_goals.save_plan(con, goals=goals)
    by_metric = {g.metric: g for g in gm.load_goals(con)}
    assert (by_metric["followers"].start_date, by_metric["followers"].end_date) == (D(2024, 1, 31), D(2024, 5, 1))
    # an edit and a deletion: rows not given are deleted
    plan_goals.save_plan(con, goals=[dict(goal_id=by_metric["orders"].goal_id, metric="orders", target=330,
                                          start_date=APR1, end_date=APR30)])
    assert [(g.metric, g.target) for g in gm.load_goals(con)] == [("orders", 330)]


def test_a_bad_row_saves_nothing(con):
    plan_goals.save_plan(con, phases=PHASES)
    before = con.execute("SELECT * FROM phases ORDER BY phase_id").fetchall()
    edited = [dict(p, phase_id=row[0]) for p, row in zip(PHASES, before)]
    edited[0]["follower_target"] = 2000
    with pytest.raises(PlanRefused) as refused:
        plan_goals.save_plan(con, phases=edited, goals=[dict(metric="orders", target=None, start_date=APR1,
                                                             end_date=APR30)])
    assert [p.key for p in refused.value.problems] == ["goals.err_no_target"]
    assert con.execute("SELECT * FROM phases ORDER BY phase_id").fetchall() == before
    assert _count(con, "goals") == 0


def test_phase_problems(con):
    overlapping = [dict(PHASES[0]), dict(PHASES[1], start_date=D(2024, 1, 20))]
    with pytest.raises(PlanRefused, match="overlap"):
        plan_goals.save_plan(con, phases=overlapping)
    with pytest.raises(PlanRefused) as refused:
        plan_goals.save_plan(con, phases=[dict(PHASES[0], name=None, end_date=None, code="launch")])
    assert {p.key for p in refused.value.problems} == {"goals.err_phase_name", "goals.err_phase_dates",
                                                        "goals.err_phase_code"}


def test_editor_frames_with_blanks_are_read(con):
    frame = pd.DataFrame([{"goal_id": None, "metric": "orders", "target": 300.0, "start_date": pd.Timestamp(APR1),
                           "end_date": pd.Timestamp(APR30), "floor": float("nan"), "is_ultimate": None}])
    plan_goals.save_plan(con, goals=frame)
    (g,) = gm.load_goals(con)
    assert g.floor is None and g.start_date == APR1 and not g.is_ultimate


# ------------------------------------------------------------------ splits
def _team(con):
    con.execute("INSERT INTO roles (role_id, code, name) VALUES (1, 'operations', 'Operations')")
    con.execute("INSERT INTO people (person_id, name, role_id) VALUES (1, 'Li', 1), (2, 'Wang', 1)")
    con.execute("INSERT INTO person_accounts VALUES (1, 'wechat', 'Sub'), (2, 'weibo', 'W')")


def test_split_counts_add_up_and_follow_the_parent(con):
    _team(con)
    gid = plan_goals.save_goal(con, metric="new_follows", target=1000, start_date=APR1, end_date=APR30)
    plan_goals.save_split(con, gid, members=[{"scope_kind": "person", "scope_ref": "1", "share": 2},
                                             {"scope_kind": "person", "scope_ref": "2", "share": 3}])
    kids = gm.children(con, gid)
    assert [k.target for k in kids] == [400, 600]           # 2/5 and 3/5 of 1,000
    # the parent changes: the children follow (1,500 → 600 and 900)
    plan_goals.save_plan(con, goals=[dict(goal_id=gid, metric="new_follows", target=1500, start_date=APR1,
                                          end_date=APR30)])
    assert [k.target for k in gm.children(con, gid)] == [600, 900]
    # the split is the top-level list's business: children are not deleted by save_plan
    assert _count(con, "goals") == 3
    # removing a member deletes its child goal
    plan_goals.save_split(con, gid, members=[{"scope_kind": "person", "scope_ref": "1", "share": 1}])
    assert [k.target for k in gm.children(con, gid)] == [1500]
    # deleting the parent deletes its children
    plan_goals.save_plan(con, goals=[])
    assert _count(con, "goals") == 0


def test_split_rates_inherit(con):
    _team(con)
    gid = plan_goals.save_goal(con, metric="wechat_read_rate", target=0.15, floor=0.1, start_date=APR1,
                               end_date=APR30)
    plan_goals.save_split(con, gid, members=[{"scope_kind": "role", "scope_ref": "operations", "share": 1},
                                             {"scope_kind": "person", "scope_ref": "2", "share": 9}])
    assert [(k.target, k.floor) for k in gm.children(con, gid)] == [(0.15, 0.1), (0.15, 0.1)]


def test_custom_parts_must_add_up(con):
    gid = plan_goals.save_goal(con, metric="orders", target=300, start_date=APR1, end_date=APR30)
    parts = [{"start_date": APR1, "end_date": D(2024, 4, 15), "target": 100},
             {"start_date": D(2024, 4, 16), "end_date": APR30, "target": 150}]
    with pytest.raises(PlanRefused, match="add up to 250.00 but the goal's target is 300.00"):
        plan_goals.save_split(con, gid, parts=parts)
    parts[1]["target"] = 200
    plan_goals.save_split(con, gid, parts=parts)
    g = gm.get_goal(con, gid)
    assert g.split_mode == "custom" and len(g.parts) == 2
    # the pro-rated target follows the parts: 100 by the 15th
    con.executemany("INSERT INTO business_daily (platform, account, date, orders) VALUES ('wechat', 'Svc', ?, 5)",
                    [[APR1 + dt.timedelta(days=i)] for i in range(15)])
    p = pacing.pace(con, g, D(2024, 4, 16))
    assert p.planned == pytest.approx(100) and p.actual == 75 and p.status == "at_risk"   # 75 %
    # outside the period and overlapping parts are refused
    with pytest.raises(PlanRefused) as refused:
        plan_goals.save_split(con, gid, parts=[{"start_date": D(2024, 3, 1), "end_date": APR30, "target": 300},
                                               {"start_date": APR1, "end_date": APR30, "target": 0}])
    assert {"goals.err_part_outside", "goals.err_part_overlap"} <= {p.key for p in refused.value.problems}
    # an empty list goes back to an even split
    plan_goals.save_split(con, gid, parts=[])
    assert gm.get_goal(con, gid).split_mode == "even" and not gm.get_goal(con, gid).parts
    assert [r["target"] for r in plan_goals.generate_parts(con, gid, "month")] == [300]


# ------------------------------------------------------------------ suggestion from history
def test_suggestion_from_history(con):
    # the previous period of April (30 days) is 2–31 March: 20 days × 5 = 100 registrations;
    # +50 % → 150
    con.executemany("INSERT INTO business_daily (platform, account, date, registrations) VALUES ('wechat', 'Svc', ?, ?)",
                    [[D(2024, 3, 2) + dt.timedelta(days=i), 5 if i < 20 else 0] for i in range(30)])
    result = gm.suggest_target(con, "registrations", APR1, APR30, 0.5)
    assert (result["previous_start"], result["previous_end"]) == (D(2024, 3, 2), D(2024, 3, 31))
    assert result["previous"] == 100 and result["suggestion"] == 150
    assert gm.suggest_target(con, "orders", APR1, APR30, 0.5)["suggestion"] is None


# ------------------------------------------------------------------ demo seed
def test_demo_seed_without_history_uses_the_methods_numbers(con):
    today = D(2026, 3, 2)
    demo_goals.seed(con, today)
    goals = gm.load_goals(con)
    assert goals[0].is_ultimate and goals[0].metric == "orders_per_day"
    top = [g for g in goals if g.parent_goal_id is None]
    assert len(top) >= 8
    rules = {g.rule for g in top}
    assert rules == {"reach", "at_least", "at_most", "growth"}
    by = {(g.metric, g.scope_ref): g for g in top}
    assert by[("order_conversion", None)].floor == 0.08
    assert by[("wechat_read_rate", "wechat/CityEats 订阅号")].target == 0.15
    assert by[("wechat_forward_rate", "wechat/CityEats 订阅号")].target == 0.05
    assert sorted(g.target for g in top if g.metric == "followers") == [1000, 50000, 100000]
    assert {g.kind for g in top} == {"output", "outcome"}
    brand = [p for p in gm.phases(con) if p["code"] == "brand"][0]
    assert brand["start_date"] <= today <= brand["end_date"]
    assert catalog.validate() == []
    assert demo_spec.ACCOUNTS  # the seed names the spec's accounts


def test_goals_move_with_their_phase(con):
    plan_goals.save_plan(con, phases=PHASES)
    seed = gm.phases(con)[0]
    plan_goals.save_goal(con, metric="followers", target=1000, phase_id=seed["phase_id"],
                         start_date=seed["start_date"], end_date=seed["end_date"])
    plan_goals.save_goal(con, metric="posts", target=60, phase_id=seed["phase_id"],
                         start_date=D(2024, 1, 10), end_date=D(2024, 1, 20))       # its own dates
    moved = [dict(p) for p in gm.phases(con)]
    moved[0]["end_date"] = D(2024, 1, 29)
    plan_goals.save_plan(con, phases=moved)
    dates = {g.metric: (g.start_date, g.end_date) for g in gm.load_goals(con)}
    assert dates["followers"] == (D(2024, 1, 1), D(2024, 1, 29))
    assert dates["posts"] == (D(2024, 1, 10), D(2024, 1, 20))


def test_scopes_are_hashable():
    scope = catalog.Scope(accounts=[["wechat", "Sub"]], channels=["Weibo drive"])
    assert scope.accounts == (("wechat", "Sub"),) and hash(scope) == hash(catalog.Scope(
        accounts=(("wechat", "Sub"),), channels=("Weibo drive",)))
