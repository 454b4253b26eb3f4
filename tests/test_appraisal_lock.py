"""Locking a month freezes its scores, inputs and KPI definitions; corrections and unlocks are
logged revisions with who and why (scenario in tests/appraisal_data.py)."""
import datetime as dt

import pytest

import appraisal_data as data
from metrics import appraisal
from store import plan_team
from store.plan_team import TeamRefused


def _lock_march(con):
    ids = data.build(con)
    revision = plan_team.lock_month(con, data.MARCH, "Boss", "March review", data.TODAY)
    return ids, revision


def test_locked_score_does_not_move_after_new_imports_and_edits(con):
    ids, revision = _lock_march(con)
    assert appraisal.month_scores(con, data.MARCH).person(ids["ana"]).score == pytest.approx(95.7)
    # a later import restates A2's March: 100 net follows a day instead of 10
    data.add_import(con, 5, "weibo_a2_restated.xlsx")
    data.daily(con, "A2", data.MARCH, 31, 100, 5)
    # the KPI definitions change too: a harder target and other weights
    kpis = [{"kpi_id": ids["kpis"]["Net follows"], "name": "Net follows", "metric_id": "net_follows",
             "platform": "weibo", "target": 5000, "weight": 70},
            {"kpi_id": ids["kpis"]["Forwards per post"], "name": "Forwards per post", "metric_id": "forwards_per_post",
             "target": 10, "weight": 30}]
    plan_team.save_kpi_set(con, kpis, role_id=ids["roles"]["promotion_manager"])
    # live figures move: (20 + 100) × 31 = 3,720 of 5,000 → 74.4 × 0.7 + 31.5 = 83.58
    live = appraisal.live_scores(con, data.MARCH).person(ids["ana"])
    assert live.score == pytest.approx(74.4 * 0.7 + 31.5)
    # the locked month does not: same score, same actuals, same definitions, same sources
    frozen = appraisal.month_scores(con, data.MARCH)
    assert frozen.locked and frozen.revision_id == revision
    ana = frozen.person(ids["ana"])
    assert ana.score == pytest.approx(95.7)
    assert ana.bonus == pytest.approx(1914.0)
    net = next(k for k in ana.kpis if k.name == "Net follows")
    assert (net.actual, net.target, net.weight) == (pytest.approx(930), 1000, 40)
    assert {s["import_id"] for s in net.sources} == {1, 2}
    assert [k.name for k in ana.kpis] == ["Net follows", "Forwards per post", "Enquiries"]
    # the team table of April compares with the frozen March
    row = appraisal.team_table(con, data.APRIL).set_index("person_id").loc[ids["ana"]]
    assert row["previous_score"] == pytest.approx(95.7)


def test_locked_month_refuses_manual_inputs(con):
    ids, _ = _lock_march(con)
    with pytest.raises(TeamRefused, match="2026-03 is locked"):
        plan_team.save_inputs(con, data.MARCH, [{"person_id": ids["ana"], "input_key": "enquiries", "value": 60}],
                              "Boss")
    assert appraisal.month_scores(con, data.MARCH).person(ids["ana"]).score == pytest.approx(95.7)


def test_correction_is_a_logged_revision(con):
    ids, first = _lock_march(con)
    with pytest.raises(TeamRefused, match="Give the reason"):
        plan_team.correct_kpi(con, data.MARCH, ids["ana"], ids["kpis"]["Net follows"], 1000, "Boss", "")
    second = plan_team.correct_kpi(con, data.MARCH, ids["ana"], ids["kpis"]["Net follows"], 1000, "Boss",
                                   "A2 export was missing a week")
    assert second > first
    ana = appraisal.month_scores(con, data.MARCH).person(ids["ana"])
    net = next(k for k in ana.kpis if k.name == "Net follows")
    # 1000 / 1000 → 100 × 0.4 = 40; 40 + 31.5 + 27 = 98.5
    assert net.actual == 1000 and net.corrected
    assert net.sources[0] == {"kind": "correction", "who": "Boss", "why": "A2 export was missing a week",
                              "previous": pytest.approx(930), "value": 1000}
    assert ana.score == pytest.approx(98.5)
    assert ana.bonus == pytest.approx(1970.0)
    log = appraisal.revisions(con, data.MARCH)
    assert list(log["action"]) == ["correction", "lock"]
    assert list(log["who"]) == ["Boss", "Boss"]
    # the first snapshot is still there, unchanged
    assert appraisal.snapshot(con, first, data.MARCH).person(ids["ana"]).score == pytest.approx(95.7)


def test_unlock_needs_who_and_why_and_reopens_the_month(con):
    ids, _ = _lock_march(con)
    with pytest.raises(TeamRefused) as refused:
        plan_team.unlock_month(con, data.MARCH, "", "")
    assert [key for key, _ in refused.value.problems] == ["appraisal.err.who", "appraisal.err.why"]
    plan_team.unlock_month(con, data.MARCH, "Boss", "Enquiries were miscounted")
    assert not appraisal.is_locked(con, data.MARCH)
    plan_team.save_inputs(con, data.MARCH, [{"person_id": ids["ana"], "input_key": "enquiries", "value": 50}], "Boss")
    # 50 / 50 → 100 × 0.3 = 30; 37.2 + 31.5 + 30 = 98.7
    assert appraisal.month_scores(con, data.MARCH).person(ids["ana"]).score == pytest.approx(98.7)
    plan_team.lock_month(con, data.MARCH, "Boss", "Relocked", data.TODAY)
    assert list(appraisal.revisions(con, data.MARCH)["action"]) == ["lock", "unlock", "lock"]


def test_lock_refusals(con):
    data.build(con)
    with pytest.raises(TeamRefused, match="has not ended"):
        plan_team.lock_month(con, data.APRIL, "Boss", None, dt.date(2026, 4, 30))
    with pytest.raises(TeamRefused, match="Say who you are"):
        plan_team.lock_month(con, data.MARCH, " ", None, data.TODAY)
    plan_team.lock_month(con, data.MARCH, "Boss", None, data.TODAY)
    with pytest.raises(TeamRefused, match="already locked"):
        plan_team.lock_month(con, data.MARCH, "Boss", None, data.TODAY)


def test_nobody_to_lock(con):
    with pytest.raises(TeamRefused, match="Nobody is appraised in 2026-03"):
        plan_team.lock_month(con, data.MARCH, "Boss", None, data.TODAY)
