"""Team plan writes and reads: roles, people with accounts and channels, KPI sets (weights must
sum to 100 %), the hiring timeline and the demo roster."""
import datetime as dt

import pytest

from metrics import catalog, team
from store import connection, demo_spec, demo_team, plan_team
from store.plan_team import TeamRefused


def _phases(con):
    con.execute("""INSERT INTO phases (phase_id, code, name, start_date, end_date) VALUES
                   (1, 'seed', 'Seed users', DATE '2026-01-01', DATE '2026-01-30'),
                   (2, 'initial', 'Initial users', DATE '2026-01-31', DATE '2026-05-02'),
                   (3, 'brand', 'Brand', DATE '2026-05-03', DATE '2026-08-02')""")


def _role_ids(con):
    return dict(con.execute("SELECT code, role_id FROM roles").fetchall())


def test_weights_must_sum_to_100_or_nothing_is_saved(con):
    plan_team.save_roles(con, [{"code": "copywriter", "name": "Copywriter"}])
    role = _role_ids(con)["copywriter"]
    good = [{"metric_id": "posts", "target": 20, "weight": 60}, {"metric_id": "original_posts", "target": 8, "weight": 40}]
    plan_team.save_kpi_set(con, good, role_id=role)
    version = connection.data_version(con)
    bad = [{"metric_id": "posts", "target": 20, "weight": 60}, {"metric_id": "original_posts", "target": 8, "weight": 30}]
    with pytest.raises(TeamRefused) as refused:
        plan_team.save_kpi_set(con, bad, role_id=role)
    assert str(refused.value) == ("The weights of Copywriter's KPIs sum to 90 %; they must sum to 100 %. "
                                  "Nothing was saved.")
    assert "必须等于 100 %" in refused.value.messages("zh")[0]
    assert list(team.kpi_set(con, role_id=role)["weight"]) == [60, 40]
    assert connection.data_version(con) == version


def test_kpi_rows_are_checked_all_at_once(con):
    plan_team.save_roles(con, [{"code": "ops", "name": "Ops"}])
    rows = [{"metric_id": "no_such_metric", "target": 1, "weight": 50},
            {"metric_id": "posts", "target": 0, "weight": 30},
            {"metric_id": "manual:Bad Key", "target": 3, "weight": 20, "direction": "sideways"}]
    with pytest.raises(TeamRefused) as refused:
        plan_team.save_kpi_set(con, rows, role_id=_role_ids(con)["ops"])
    keys = [key for key, _ in refused.value.problems]
    assert keys == ["team.err.kpi_metric_unknown", "team.err.kpi_target", "team.err.kpi_manual_key",
                    "team.err.kpi_choice"]


def test_kpi_defaults_and_ids_are_kept(con):
    plan_team.save_roles(con, [{"code": "ops", "name": "Ops"}])
    role = _role_ids(con)["ops"]
    plan_team.save_kpi_set(con, [{"metric_id": "cost_per_follower", "target": 2, "weight": 100}], role_id=role)
    first = team.kpi_set(con, role_id=role).iloc[0]
    # name from the catalogue, direction from the metric (stay below), cap 120 %, rule zero, per month
    assert (first["name"], first["direction"], first["cap"], first["missing_rule"], first["period"]) == (
        "Cost per follower", "lower", 1.2, "zero", "month")
    plan_team.save_kpi_set(con, [{"kpi_id": int(first["kpi_id"]), "metric_id": "cost_per_follower", "target": 3,
                                  "weight": 100}], role_id=role)
    again = team.kpi_set(con, role_id=role).iloc[0]
    assert again["kpi_id"] == first["kpi_id"] and again["target"] == 3


def test_roles_and_people(con):
    _phases(con)
    plan_team.save_roles(con, [{"name": "PR / media manager", "needed_from_phase": "seed"},
                               {"name": "Channel manager", "code": "channel_bd", "needed_from_phase": "brand"}])
    roles = _role_ids(con)
    assert set(roles) == {"pr_media_manager", "channel_bd"}
    plan_team.save_people(con, [
        {"name": "Huang", "role_id": roles["pr_media_manager"], "start_date": "2026-01-01", "channels": ["PR"]},
        {"name": "Zhou", "role_id": roles["channel_bd"], "start_date": dt.date(2026, 5, 10),
         "accounts": ["weibo: W", ("wechat", "S")], "bonus_base": 2500}])
    people = {p.name: p for p in team.people(con)}
    assert people["Zhou"].accounts == (("wechat", "S"), ("weibo", "W"))
    assert people["Huang"].channels == ("PR",)
    assert people["Zhou"].bonus_base == 2500
    # a role with people cannot be deleted
    with pytest.raises(TeamRefused, match="still has people"):
        plan_team.save_roles(con, [{"role_id": roles["channel_bd"], "name": "Channel manager", "code": "channel_bd",
                                    "needed_from_phase": "brand"}])
    with pytest.raises(TeamRefused, match="'launch' is not a phase"):
        plan_team.save_roles(con, [{"name": "X", "needed_from_phase": "launch"}])
    with pytest.raises(TeamRefused, match="written 'platform: account name'"):
        plan_team.save_people(con, [{"name": "Y", "accounts": ["no platform here"]}])


def test_hiring_timeline(con):
    _phases(con)
    plan_team.save_roles(con, [
        {"code": "pr", "name": "PR", "needed_from_phase": "seed"},
        {"code": "ops", "name": "Ops", "needed_from_phase": "initial", "headcount": 2},
        {"code": "bd", "name": "BD", "needed_from_phase": "brand"},
        {"code": "cw", "name": "Copywriter", "needed_from_phase": "initial"}])
    r = _role_ids(con)
    plan_team.save_people(con, [
        {"name": "P", "role_id": r["pr"], "start_date": "2026-01-01"},        # in place from day one
        {"name": "O1", "role_id": r["ops"], "start_date": "2026-01-31"},      # one of two
        {"name": "C", "role_id": r["cw"], "start_date": "2026-02-10"}])       # ten days after the need date
    timeline = team.hiring_timeline(con, dt.date(2026, 3, 1)).set_index("role")
    assert timeline.loc["PR", "status"] == "in_place"
    assert timeline.loc["Ops", "status"] == "open"        # 1 of 2 and the need date has come
    assert timeline.loc["Copywriter", "status"] == "late"
    assert timeline.loc["BD", "status"] == "planned"      # needed from 3 May, not filled yet
    assert str(timeline.loc["BD", "needed_by"])[:10] == "2026-05-03"
    assert list(timeline.index) == ["PR", "Ops", "Copywriter", "BD"]


def test_demo_roster(con):
    today = dt.date(2026, 11, 21)
    with connection.transaction(con):
        for code, name, start, end, target, budget in demo_spec.phase_dates(today):
            con.execute("""INSERT INTO phases (phase_id, code, name, start_date, end_date, follower_target, budget)
                           VALUES (nextval('phase_id_seq'), ?, ?, ?, ?, ?, ?)""", [code, name, start, end, target, budget])
        for channel, kind in demo_spec.CHANNELS:
            con.execute("INSERT INTO channels (channel, kind) VALUES (?, ?)", [channel, kind])
        demo_team.seed(con, today)
    roles = team.roles(con).set_index("code")
    # 1 + 1 + 2 + 1 + 1
    assert dict(roles["headcount"]) == {"promotion_manager": 1, "copywriter": 1, "operations": 2,
                                        "channel_bd": 1, "pr_media": 1}
    assert roles.loc["channel_bd", "needed_from_phase"] == "brand"
    assert all(len(t) > 150 for t in roles["responsibilities"]) and all(len(t) > 80 for t in roles["requirements"])
    people = team.people(con)
    assert len(people) == 6 and all(p.start_date for p in people)
    known_accounts = set(demo_spec.ACCOUNTS.values())
    assert all(a in known_accounts for p in people for a in p.accounts)
    assert all(c in dict(demo_spec.CHANNELS) for p in people for c in p.channels)
    sets = team.kpi_sets_overview(con)
    assert len(sets) == 6  # five role sets and the service-account specialist's own set
    assert all(abs(w - 100) < 1e-9 for w in sets["weight_total"])
    metrics = [m for (m,) in con.execute("SELECT metric_id FROM kpis").fetchall()]
    assert "gmv" not in metrics   # sales stay out of the default appraisal
    assert all(m in catalog.METRICS or team.is_manual(m) for m in metrics)
    floor = con.execute("SELECT floor_value FROM kpis WHERE metric_id = 'order_conversion'").fetchall()
    assert floor == [(0.08,)]
    assert con.execute("SELECT count(*) FROM kpi_inputs").fetchall()[0][0] > 0
    # the month before last is locked by the manager, with the reason
    locks = con.execute("SELECT l.month, r.who FROM appraisal_locks l JOIN appraisal_revisions r USING (revision_id)").fetchall()
    assert locks == [(dt.date(2026, 9, 1), demo_team.MANAGER)]


def test_nice_targets():
    assert demo_team.nice(0.16492, "ratio") == 0.165
    assert demo_team.nice(22560 * 1.1, "count") == 25000
    assert demo_team.nice(5.6451 * 1.1, "count") == 6.21
