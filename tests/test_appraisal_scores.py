"""Scores from the store, computed by hand (see tests/appraisal_data.py for the scenario):
a person with two accounts, manual inputs, a month with missing data, bonus bands, sources."""
import datetime as dt

import pytest

import appraisal_data as data
from metrics import appraisal
from store import plan_team


def test_person_with_two_accounts_and_a_manual_input(con):
    ids = data.build(con)
    ana = appraisal.month_scores(con, data.MARCH).person(ids["ana"])
    by_name = {k.name: k for k in ana.kpis}
    # both accounts: 620 + 310 = 930 net follows → 93 % → 93 points × 40 % = 37.2
    assert by_name["Net follows"].actual == pytest.approx(930)
    assert by_name["Net follows"].points == pytest.approx(93.0)
    assert by_name["Net follows"].contribution == pytest.approx(37.2)
    # ratio of sums across the accounts: 420 / 40 = 10.5 (not the mean of ratios, 17)
    assert by_name["Forwards per post"].actual == pytest.approx(10.5)
    assert by_name["Forwards per post"].contribution == pytest.approx(31.5)
    # the latest manual entry (45) counts: 45 / 50 → 90 × 30 % = 27
    assert by_name["Enquiries"].actual == pytest.approx(45)
    assert by_name["Enquiries"].contribution == pytest.approx(27.0)
    assert ana.score == pytest.approx(95.7)
    assert ana.bonus == pytest.approx(1914.0)   # 2,000 × 95.7 %


def test_month_with_missing_data(con):
    ids = data.build(con)
    ana = appraisal.month_scores(con, data.APRIL).person(ids["ana"])
    by_name = {k.name: k for k in ana.kpis}
    assert by_name["Net follows"].actual == pytest.approx(450)       # A1 only: 15 × 30
    assert by_name["Forwards per post"].actual is None               # no posts: shown as missing
    assert by_name["Forwards per post"].status == "missing_zero"     # rule zero → 0 points
    assert by_name["Forwards per post"].points == 0.0
    assert by_name["Enquiries"].status == "missing_excluded"         # rule excluded → weight re-spread
    assert by_name["Enquiries"].effective_weight == 0.0
    assert by_name["Net follows"].effective_weight == pytest.approx(400 / 7)   # 40 × 100 / 70
    assert ana.score == pytest.approx(45 * 4 / 7)                    # 25.714…
    assert ana.kpis_missing == 2


def test_team_table_shows_change_against_last_month(con):
    ids = data.build(con)
    table = appraisal.team_table(con, data.APRIL).set_index("person_id")
    row = table.loc[ids["ana"]]
    assert row["previous_score"] == pytest.approx(95.7)
    assert row["change"] == pytest.approx(45 * 4 / 7 - 95.7)
    assert row["role"] == "Promotion manager"


def test_bonus_bands(con):
    ids = data.build(con)
    plan_team.save_bonus_rule(con, "bands", 1500, [(0, 0), (60, 0.5), (80, 1.0), (100, 1.2)])
    march = appraisal.month_scores(con, data.MARCH).person(ids["ana"])
    april = appraisal.month_scores(con, data.APRIL).person(ids["ana"])
    assert march.bonus == 2000.0     # 95.7 is in the 80 band → 2,000 × 1.0 (own base beats the default)
    assert april.bonus == 0.0        # 25.7 is under 60 → × 0


def test_default_base_applies_without_own_base(con):
    ids = data.build(con)
    people = [{"person_id": ids["ana"], "name": "Ana", "role_id": ids["roles"]["promotion_manager"],
               "start_date": dt.date(2026, 1, 5), "accounts": ["weibo: A1", "weibo: A2"], "bonus_base": None}]
    plan_team.save_people(con, people)
    plan_team.save_bonus_rule(con, "linear", 1000, [])
    assert appraisal.month_scores(con, data.MARCH).person(ids["ana"]).bonus == pytest.approx(957.0)


def test_sources_name_the_imports_and_manual_entries(con):
    ids = data.build(con)
    ana = appraisal.person_month(con, data.MARCH, ids["ana"])
    by_name = {k.name: k for k in ana.kpis}
    net = by_name["Net follows"].sources
    assert {(x["import_id"], x["file_name"], x["rows"]) for x in net} == {(1, "weibo_a1.xlsx", 31),
                                                                          (2, "weibo_a2.xlsx", 31)}
    fwd = by_name["Forwards per post"].sources
    assert sorted((x["import_id"], x["table"], x["rows"]) for x in fwd) == [
        (1, "account_daily", 31), (2, "account_daily", 31), (3, "posts", 40)]
    manual = by_name["Enquiries"].sources
    assert len(manual) == 1 and manual[0]["kind"] == "manual"
    assert manual[0]["value"] == 45 and manual[0]["entered_by"] == "Boss" and manual[0]["note"] == "recount"


def test_person_who_joins_mid_month(con):
    ids = data.build(con)
    rows = [{"person_id": ids["ana"], "name": "Ana", "role_id": ids["roles"]["promotion_manager"],
             "start_date": dt.date(2026, 3, 27), "accounts": ["weibo: A1", "weibo: A2"], "bonus_base": 2000}]
    plan_team.save_people(con, rows)
    ana = appraisal.month_scores(con, data.MARCH).person(ids["ana"])
    net = next(k for k in ana.kpis if k.name == "Net follows")
    # counted 27–31 March (5 days): (20 + 10) × 5 = 150, a month's equivalent 150 × 31 / 5 = 930
    assert net.actual == pytest.approx(930)
    assert ana.counted_from == dt.date(2026, 3, 27)
    assert ana.pay_share == pytest.approx(5 / 31)
    # the bonus is paid on the share of the month worked
    assert ana.bonus == pytest.approx(round(2000 * 5 / 31 * ana.score / 100, 2))
    # someone who starts after the month is not in it
    rows[0]["start_date"] = dt.date(2026, 4, 2)
    plan_team.save_people(con, rows)
    assert appraisal.month_scores(con, data.MARCH).people == []


def test_person_own_set_replaces_the_role_set(con):
    ids = data.build(con)
    plan_team.save_kpi_set(con, [{"name": "Net follows", "metric_id": "net_follows", "target": 900, "weight": 100}],
                           person_id=ids["ana"])
    ana = appraisal.month_scores(con, data.MARCH).person(ids["ana"])
    assert ana.kpi_source == "person"
    assert [k.name for k in ana.kpis] == ["Net follows"]
    assert ana.score == pytest.approx(930 / 900 * 100)   # 103.3…


def test_team_scope_and_week_targets(con):
    ids = data.build(con)
    data.daily(con, "B1", data.MARCH, 31, 5, 2)   # another team account, not Ana's: 155
    plan_team.save_kpi_set(con, [
        {"name": "Team net follows", "metric_id": "net_follows", "scope": "team", "target": 1000, "weight": 50},
        {"name": "Posts per week", "metric_id": "posts", "period": "week", "target": 10, "weight": 50},
    ], person_id=ids["ana"])
    ana = {k.name: k for k in appraisal.month_scores(con, data.MARCH).person(ids["ana"]).kpis}
    assert ana["Team net follows"].actual == pytest.approx(930 + 155)
    # 40 posts in March → 40 × 7 / 31 a week
    assert ana["Posts per week"].actual == pytest.approx(40 * 7 / 31)


def test_empty_store_has_no_scores(con):
    scores = appraisal.month_scores(con, data.MARCH)
    assert scores.people == [] and not scores.locked
    assert appraisal.team_table(con, data.MARCH).empty


def test_target_from_a_goal(con):
    ids = data.build(con)
    # a team goal of 3,050 net follows over March and April (61 days), spread evenly:
    # March's share is 3,050 × 31 / 61 = 1,550
    con.execute("""INSERT INTO goals (goal_id, metric, start_date, end_date, target)
                   VALUES (7, 'net_follows', DATE '2026-03-01', DATE '2026-04-30', 3050)""")
    kpis = [{"kpi_id": ids["kpis"]["Net follows"], "name": "Net follows", "metric_id": "net_follows",
             "platform": "weibo", "target": 1000, "goal_id": 7, "weight": 100}]
    plan_team.save_kpi_set(con, kpis, person_id=ids["ana"])
    net = appraisal.month_scores(con, data.MARCH).person(ids["ana"]).kpis[0]
    assert net.target == pytest.approx(1550)
    assert net.target_goal_id == 7
    assert net.points == pytest.approx(930 / 1550 * 100)   # 60.0
    # outside the goal's period the typed target is the fallback
    data.daily(con, "A1", dt.date(2026, 5, 1), 31, 10, 4)
    may = appraisal.month_scores(con, dt.date(2026, 5, 1)).person(ids["ana"]).kpis[0]
    assert may.target == 1000 and may.target_goal_id is None
    # an unknown goal is refused
    kpis[0]["goal_id"] = 99
    with pytest.raises(plan_team.TeamRefused, match="no goal #99"):
        plan_team.save_kpi_set(con, kpis, person_id=ids["ana"])
