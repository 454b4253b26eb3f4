"""Everyone's totals for the team table (metrics/appraisal_totals.py), computed by hand on the
scenario of tests/appraisal_data.py, and the same as the per-KPI scores of
``appraisal.live_scores_of_months`` / the lock's snapshot, field for field."""
import datetime as dt

import pytest

import appraisal_data as data
from metrics import appraisal, appraisal_totals
from store import plan_team


def _as_total(p: appraisal.PersonResult) -> tuple:
    return (p.person_id, p.name, p.role, p.score, p.bonus_base, p.bonus,
            tuple((k.kpi_id, k.name) for k in p.kpis), p.kpis_missing)


def _same_as_reference(con, months):
    totals = appraisal_totals.months_totals(con, months)
    reference = appraisal.months_scores(con, months)
    for mine, ref in zip(totals, reference):
        assert (mine.month, mine.locked, mine.revision_id) == (ref.month, ref.locked, ref.revision_id)
        assert [tuple(p) for p in mine.people] == [_as_total(p) for p in ref.people]
    return totals


def test_two_months_by_hand(con):
    ids = data.build(con)
    april, march = _same_as_reference(con, [data.APRIL, data.MARCH])
    ana = april.people[0]
    assert ana.person_id == ids["ana"] and ana.role == "Promotion manager"
    # April: 450/1000 → 45 points on 40/70 of the weight (enquiries excluded), forwards per post 0
    assert ana.score == pytest.approx(45 * 4 / 7)
    assert ana.bonus == pytest.approx(514.29)          # 2,000 × 25.714… % = 514.2857… → 514.29
    assert (len(ana.kpis), ana.kpis_missing) == (3, 2)
    assert [k.name for k in ana.kpis] == ["Net follows", "Forwards per post", "Enquiries"]
    # March: 37.2 + 31.5 + 27 = 95.7 → 2,000 × 95.7 % = 1,914
    assert march.people[0].score == pytest.approx(95.7) and march.people[0].bonus == pytest.approx(1914.0)
    assert march.people[0].kpis_missing == 0


def test_team_frame_and_history_take_totals(con):
    data.build(con)
    totals = appraisal_totals.months_totals(con, [data.APRIL, data.MARCH])
    frame = appraisal.team_frame(totals[0], totals[1])
    assert frame.loc[0, "previous_score"] == pytest.approx(95.7)
    assert frame.loc[0, "change"] == pytest.approx(45 * 4 / 7 - 95.7)
    assert (frame.loc[0, "kpis"], frame.loc[0, "kpis_missing"]) == (3, 2)
    reference = appraisal.months_scores(con, [data.APRIL, data.MARCH])
    assert frame.equals(appraisal.team_frame(reference[0], reference[1]))
    assert appraisal.history_frame(totals).equals(appraisal.history_frame(reference))


def test_bands_mid_month_start_and_goal_target(con):
    ids = data.build(con)
    plan_team.save_bonus_rule(con, "bands", 1500, [(0, 0), (60, 0.5), (80, 1.0), (100, 1.2)])
    plan_team.save_people(con, [{"person_id": ids["ana"], "name": "Ana", "role_id": ids["roles"]["promotion_manager"],
                                 "start_date": dt.date(2026, 3, 27), "accounts": ["weibo: A1", "weibo: A2"],
                                 "bonus_base": 2000}])
    # a goal of 3,050 net follows over March and April sets March's target: 3,050 × 31 / 61 = 1,550
    con.execute("""INSERT INTO goals (goal_id, metric, start_date, end_date, target)
                   VALUES (7, 'net_follows', DATE '2026-03-01', DATE '2026-04-30', 3050)""")
    plan_team.save_kpi_set(con, [{"kpi_id": ids["kpis"]["Net follows"], "name": "Net follows",
                                  "metric_id": "net_follows", "platform": "weibo", "target": 1000, "goal_id": 7,
                                  "weight": 100}], person_id=ids["ana"])
    (march,) = _same_as_reference(con, [data.MARCH])
    ana = march.people[0]
    # counted 27–31 March: 150 net follows, 930 a month's equivalent → 930 / 1,550 = 60 points;
    # 60 is in the 0.5 band → 2,000 × 5/31 of the month × 0.5
    assert ana.score == pytest.approx(60.0)
    assert ana.bonus == pytest.approx(161.29)           # 2,000 × 5 / 31 = 322.58… × 0.5 = 161.29


def test_locked_month_totals_come_from_the_snapshot(con):
    ids = data.build(con)
    plan_team.lock_month(con, data.MARCH, "Boss", "March review", data.TODAY)
    data.add_import(con, 5, "weibo_a2_restated.xlsx")
    data.daily(con, "A2", data.MARCH, 31, 100, 5)          # a restatement after the lock
    (march,) = _same_as_reference(con, [data.MARCH])
    assert march.locked and march.revision_id is not None
    assert march.people[0].score == pytest.approx(95.7)   # frozen
    # the drill-down reads only the person's frozen rows, the same as the whole snapshot holds
    frozen = appraisal.person_month(con, data.MARCH, ids["ana"])
    assert frozen == appraisal.snapshot(con, march.revision_id, data.MARCH).person(ids["ana"])
    assert frozen.score == pytest.approx(95.7) and [k.name for k in frozen.kpis][0] == "Net follows"
    live = appraisal_totals.live_totals(con, [data.MARCH])[0].people[0]
    # live: (20 + 100) × 31 = 3,720 → capped at 120 × 0.4 = 48; + 31.5 + 27 = 106.5
    assert live.person_id == ids["ana"] and live.score == pytest.approx(106.5)


def test_nobody_in_the_month(con):
    (march,) = appraisal_totals.months_totals(con, [data.MARCH])
    assert march.people == [] and not march.locked
    assert appraisal.team_frame(march).empty


def test_team_manual_kpi_sums_everyones_inputs(con):
    ids = data.build(con)
    roles = ids["roles"]
    plan_team.save_people(con, [
        {"person_id": ids["ana"], "name": "Ana", "role_id": roles["promotion_manager"],
         "start_date": dt.date(2026, 1, 5), "accounts": ["weibo: A1", "weibo: A2"], "bonus_base": 2000},
        {"name": "Bo", "role_id": roles["copywriter"], "start_date": dt.date(2026, 2, 1), "bonus_base": 1000}])
    bo = con.execute("SELECT person_id FROM people WHERE name = 'Bo'").fetchall()[0][0]
    plan_team.save_inputs(con, data.MARCH, [{"person_id": bo, "input_key": "enquiries", "value": 30}], "Boss")
    plan_team.save_kpi_set(con, [{"name": "Team enquiries", "metric_id": "manual:enquiries", "scope": "team",
                                  "target": 100, "weight": 100}], person_id=ids["ana"])
    # Ana's 45 (the latest of her entries) and Bo's 30: 75 of 100 → 75 points → 2,000 × 75 % = 1,500
    ana = appraisal.person_month(con, data.MARCH, ids["ana"])
    assert ana.kpis[0].actual == pytest.approx(75.0)
    assert sorted(s["value"] for s in ana.kpis[0].sources) == [30, 45]
    (march,) = _same_as_reference(con, [data.MARCH])
    by_id = {p.person_id: p for p in march.people}
    assert by_id[ids["ana"]].score == pytest.approx(75.0) and by_id[ids["ana"]].bonus == pytest.approx(1500.0)
    assert by_id[bo].score is None and by_id[bo].kpis == ()          # the copywriters have no KPI set
