"""Tasks: delegated with an owner, a due date and a target on a metric; after the due date the
result is checked from the data and marked met or missed (figures in tests/meetings_data.py)."""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from metrics import tasks
from store import meetings
from tests import meetings_data as md
from tests.conftest import ROOT

D = dt.date


@pytest.fixture
def team(con):
    md.build(con)
    return con


def _check(con, task_id, today=md.TODAY):
    return tasks.check(con, tasks.load_tasks(con, task_ids=[task_id])[0], today)


def test_one_task_met_and_one_missed_after_the_due_date(team):
    met = meetings.add_task(team, md.task(title="New follows", metric_id="new_follows", target=120), "Lin")
    missed = meetings.add_task(team, md.task(title="Forwards", metric_id="forwards_per_post", target=25), "Lin")
    # W2 new follows: 7 days × 20 = 140 ≥ 120 → met
    result = _check(team, met)
    assert (result.status, result.actual, result.asof) == ("met", 140, md.W2[1])
    # W2 forwards per post: (7 × 60) ÷ (7 × 3) = 420 ÷ 21 = 20 < 25 → missed
    result = _check(team, missed)
    assert result.status == "missed" and result.actual == pytest.approx(20.0)


def test_lower_is_better_and_level_targets(team):
    # unfollows over W2: 7 × 4 = 28; at most 30 → met, at most 25 → missed
    ok = meetings.add_task(team, md.task(metric_id="unfollows", target=30, direction="lower"), None)
    over = meetings.add_task(team, md.task(metric_id="unfollows", target=25, direction="lower"), None)
    assert _check(team, ok).status == "met"
    assert (_check(team, over).status, _check(team, over).actual) == ("missed", 28)
    # the direction defaults to the metric's (unfollows: lower is better)
    assert tasks.load_tasks(team, task_ids=[ok])[0].direction == "lower"
    default = meetings.add_task(team, md.task(metric_id="unfollows", target=30), None)
    assert tasks.load_tasks(team, task_ids=[default])[0].direction == "lower"
    # followers is a level: the total on the due date, 15 March: 1000 + 7 × 8 + 7 × 16 = 1168
    level = meetings.add_task(team, md.task(metric_id="followers", target=1150), None)
    assert (_check(team, level).status, _check(team, level).actual) == ("met", 1168)


def test_open_awaiting_data_no_data_and_cancelled(team):
    # due Sunday 22 March, today the 20th: open; so far 16–18 March: 3 × 30 = 90 new follows
    open_id = meetings.add_task(team, md.task(start_date=md.W3[0], due_date=md.W3[1], target=200), None)
    result = _check(team, open_id)
    assert (result.status, result.actual, result.asof) == ("open", 90, md.LAST_DATA)
    # due Thursday 19 March: the data stops on the 18th → awaiting data within 7 days of the due date
    late = meetings.add_task(team, md.task(start_date=md.W3[0], due_date=D(2026, 3, 19), target=100), None)
    assert _check(team, late).status == "awaiting_data"
    # 8 days after the due date it is checked on what there is: 90 < 100 → missed
    assert _check(team, late, D(2026, 3, 27)).status == "missed"
    assert _check(team, late, D(2026, 3, 26)).status == "awaiting_data"
    # a metric with no data at all: awaiting, then no data after the grace days
    none = meetings.add_task(team, md.task(metric_id="registrations", target=10), None)
    assert _check(team, none).status == "awaiting_data"
    assert _check(team, none, D(2026, 3, 23)).status == "no_data"
    # cancelled tasks are kept but never checked
    assert meetings.cancel_tasks(team, [none], "Lin") == 1
    assert _check(team, none).status == "cancelled"
    assert meetings.cancel_tasks(team, [none], "Lin") == 0


def test_task_frame_tally_and_due_window(team):
    meetings.add_task(team, md.task(title="met", target=120), None)
    meetings.add_task(team, md.task(title="missed", target=200), None)
    meetings.add_task(team, md.task(title="open", start_date=md.W3[0], due_date=md.W3[1]), None)
    frame = tasks.task_frame(team, md.TODAY, md.W2[0], md.W2[1])
    assert list(frame["title"]) == ["met", "missed"]
    assert list(frame["status"]) == ["met", "missed"]
    assert frame["progress"].round(4).tolist() == [round(140 / 120, 4), 0.7]   # 140 ÷ 200 = 0.7
    assert tasks.tally(tasks.task_frame(team, md.TODAY)) == {
        "missed": 1, "awaiting_data": 0, "no_data": 0, "open": 1, "met": 1, "cancelled": 0}
    assert frame.loc[0, "scope_name"] == "Ana"


def test_a_bad_task_is_refused_whole(team):
    bad = md.task(title=" ", owner_person_id=99, metric_id="nope", target=None,
                  start_date=D(2026, 3, 20), due_date=D(2026, 3, 10), direction="up", scope_kind="galaxy")
    with pytest.raises(meetings.MeetingRefused) as refused:
        meetings.add_task(team, bad, None)
    keys = [k for k, _ in refused.value.problems]
    assert keys == ["tasks.err_title", "tasks.err_owner", "tasks.err_metric", "tasks.err_target",
                    "tasks.err_window", "tasks.err_direction", "tasks.err_scope"]
    assert all(refused.value.messages("zh"))
    assert team.execute("SELECT count(*) FROM tasks").fetchall()[0][0] == 0


def test_writing_a_task_bumps_the_data_version(team):
    from store.connection import data_version
    before = data_version(team)
    meetings.add_task(team, md.task(), "Lin")
    assert data_version(team) == before + 1


def test_the_review_page_delegates_a_task_and_shows_met_and_missed(db_path):
    from store import connection
    con = connection.cursor(db_path)
    md.build(con)
    meetings.add_task(con, md.task(title="New follows", target=120), "Lin")
    meetings.add_task(con, md.task(title="Forwards", metric_id="forwards_per_post", target=25), "Lin")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["today"] = md.TODAY.isoformat()
    at.run()
    at.switch_page("pages/review.py").run()
    at.selectbox(key="review.week").set_value(md.W2[0]).run()
    at.session_state["review.tab"] = "Tasks"          # only the open tab runs
    at.run()
    assert not at.exception
    shown = [df.value for df in at.dataframe]
    due = next(df for df in shown if "Task" in df.columns and "New follows" in set(df["Task"]))
    assert dict(zip(due["Task"], due["Status"])) == {"New follows": "Met", "Forwards": "Missed"}
    assert dict(zip(due["Task"], due["Result"])) == {"New follows": "140", "Forwards": "20.0"}
    # delegate a new one through the form (everyone edits: no passcode configured)
    at.text_input(key="review.task_title.0").input("=HYPERLINK(\"http://x\") more posts")
    at.number_input(key="review.task_target.0").set_value(30)
    at.selectbox(key="review.task_metric.0").set_value("posts")
    at.button(key="FormSubmitter:review.task_form.0-Add the task").click().run()
    assert not at.exception
    rows = con.execute("SELECT title, metric_id, target, owner_person_id, scope_ref, start_date, due_date "
                       "FROM tasks ORDER BY task_id").fetchall()
    assert rows[-1] == ("=HYPERLINK(\"http://x\") more posts", "posts", 30.0, 1, "1", md.W3[0], D(2026, 3, 20))
    assert any("Task #3 added." in s.value for s in at.success)
