"""The Monday stand-up: each goal's week against its plan (hand-computed on crafted data), and
the kiosk page — read-only (no widget at all), no navigation, forced language, escaped texts."""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Widget

from metrics import pacing, standup
from metrics.goals import Goal
from metrics.periods import Period, week_of
from store import meetings
from tests import meetings_data as md
from tests.conftest import ROOT

D = dt.date
MARCH = (D(2026, 3, 1), D(2026, 3, 31))
W2 = Period(*md.W2, "week")
W3 = Period(*md.W3, "week")
APP = str(ROOT / "app.py")


@pytest.fixture
def team(con):
    md.build(con)
    return con


def goal(metric, target, start=MARCH[0], end=MARCH[1], **kw) -> Goal:
    return Goal(metric=metric, start_date=start, end_date=end, target=target, **kw)


def test_a_summed_goal_is_judged_on_the_weeks_share_of_its_plan(team):
    # 930 new follows over March, even split: 30 a day → W2's plan 7 × 30 = 210; actual 7 × 20 = 140
    g = goal("new_follows", 930)
    week = standup.goal_week(team, g, W2, md.TODAY)
    assert week["planned"] == pytest.approx(210)
    assert week["actual"] == 140
    assert week["progress"] == pytest.approx(140 / 210)   # 0.667 < 0.81 → at risk
    assert week["status"] == "at_risk"
    # this week: the plan is again 210; to be back on plan by Sunday 22 March the week needs
    # 930 × 22/31 = 660 minus the 300 follows to date (70 + 140 + 90) = 360
    plan = pacing.goal_plan(team, g)
    planned, needed = standup.week_target(team, g, W3, md.TODAY, plan)
    assert planned == pytest.approx(210)
    assert needed == pytest.approx(360)


def test_rates_levels_and_stay_below_goals(team):
    # forwards per post over W2: 420 ÷ 21 = 20 against 24 → 0.833 → behind
    week = standup.goal_week(team, goal("forwards_per_post", 24), W2, md.TODAY)
    assert (week["actual"], week["planned"], week["status"]) == (pytest.approx(20), 24, "behind")
    # followers from 1,056 (8 March) to 1,300 over 9–22 March: the plan on the 15th is
    # 1056 + 244 × 7/14 = 1178; the level is 1168 → progress 112 ÷ 122 = 0.918 → behind
    week = standup.goal_week(team, goal("followers", 1300, *md.W2[:1], md.W3[1]), W2, md.TODAY)
    assert week["planned"] == pytest.approx(1178)
    assert week["actual"] == 1168
    assert week["progress"] == pytest.approx(112 / 122)
    assert week["status"] == "behind"
    # unfollows at most 100 over March: W2's allowance 700/31 = 22.58; actual 28
    # → progress 22.58 ÷ 28 = 0.806 < 0.81 → at risk
    week = standup.goal_week(team, goal("unfollows", 100, rule="at_most"), W2, md.TODAY)
    assert week["planned"] == pytest.approx(700 / 31)
    assert week["progress"] == pytest.approx(700 / 31 / 28)
    assert week["status"] == "at_risk"


def test_outside_upcoming_and_no_data(team):
    assert standup.goal_week(team, goal("posts", 10, D(2026, 4, 1), D(2026, 4, 30)), W2, md.TODAY)["status"] == "outside"
    # starts on Saturday 21 March; today the 20th: nothing of the window has passed
    assert standup.goal_week(team, goal("posts", 10, D(2026, 3, 21), D(2026, 4, 30)), W3, md.TODAY)["status"] == "upcoming"
    assert standup.goal_week(team, goal("registrations", 10), W2, md.TODAY)["status"] == "no_data"


def test_accrue_week_status_bands():
    assert standup.accrue_week_status(False, 99, 100)[0] == "on_track"
    assert standup.accrue_week_status(False, 98, 100)[0] == "behind"
    assert standup.accrue_week_status(False, 80, 100)[0] == "at_risk"
    assert standup.accrue_week_status(False, 120, 100, floor=130)[0] == "at_risk"   # below the floor
    assert standup.accrue_week_status(True, 100, 100)[0] == "on_track"
    assert standup.accrue_week_status(True, 110, 100)[0] == "behind"                # 100/110 = 0.909


def test_the_board_lists_goals_behind_first_and_the_weeks_tasks(team):
    from store import plan_goals
    plan_goals.save_goal(team, metric="new_follows", start_date=MARCH[0], end_date=MARCH[1], target=930)
    plan_goals.save_goal(team, metric="posts", start_date=MARCH[0], end_date=MARCH[1], target=62)
    meetings.add_task(team, md.task(title="due this week", start_date=md.W3[0], due_date=md.W3[1]), None)
    meetings.add_task(team, md.task(title="due last week", target=120), None)
    board = standup.board(team, D(2026, 3, 16))      # Monday 16 March: last week is W2
    assert board.last_week == W2 and board.this_week == W3
    # posts: 62 over March = 2 a day → plan 14, actual 21 → on track; new follows at risk first
    assert list(board.goals["metric"]) == ["new_follows", "posts"]
    assert list(board.goals["status"]) == ["at_risk", "on_track"]
    assert list(board.tasks_due["title"]) == ["due this week"]
    assert list(board.tasks_last_week["status"]) == ["met"]
    assert board.data_until == D(2026, 3, 15)          # figures count up to yesterday


def _widgets(at) -> list:
    return [node for node in at._tree if isinstance(node, Widget)]


def test_the_kiosk_is_read_only_without_navigation_and_in_the_url_language(demo_db):
    from store import connection
    con = connection.cursor(demo_db)
    week = week_of(dt.date.today())
    meetings.add_task(con, {"title": "<script>alert(1)</script> $x$ *bold*", "owner_person_id": 1,
                            "metric_id": "posts", "target": 5, "start_date": week.start, "due_date": week.end}, None)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = "standup"
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception
    assert _widgets(at) == []                       # no write widget, not even the language switch
    assert len(at.sidebar.children) == 0            # no sidebar, no navigation
    assert [t.value for t in at.title] == ["周一晨会"]
    board = next(m.value for m in at.markdown if 'class="sb"' in m.value)
    for text in ("终极目标", "本阶段预算", "上周渠道", "本周到期任务", "上周（"):
        assert text in board
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#36;x&#36; &#42;bold&#42;" in board
    assert "<script>" not in board
    # the same URL in English
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = "standup"
    at.run()
    assert not at.exception and _widgets(at) == []
    board = next(m.value for m in at.markdown if 'class="sb"' in m.value)
    for text in ("Ultimate goal", "Budget of the phase", "Tasks due this week", "Goals: last week"):
        assert text in board


def test_the_standup_page_on_an_empty_workspace(db_path):
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["view"] = "standup"
    at.run()
    assert not at.exception and _widgets(at) == []
    board = next(m.value for m in at.markdown if 'class="sb"' in m.value)
    for text in ("No ultimate goal yet", "No phase with a budget yet", "No channel figures last week",
                 "No goals yet", "No task is due this week"):
        assert text in board
