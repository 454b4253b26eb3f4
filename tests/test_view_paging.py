"""Lists that grow with the team show one page, sorted and cut in the store, and say how many
there are: the Content view's posts, the Plan view's goals (by phase) and people (by role and
page), whose saves touch only what was listed. Expected numbers are counted by hand."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from metrics import content, team
from metrics import goals as gm
from store import plan_goals, plan_team
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
D = dt.date
WEEK = (D(2026, 3, 2), D(2026, 3, 8))          # Mon 2 – Sun 8 March 2026 (today = Wed 11 March)
TODAY = "2026-03-11"


def add_posts(con, n: int) -> None:
    """``n`` WeChat posts on 3 March: post k (1-based) has 10·k views, title "Post k", and
    shares = k, so its engagement rate is k / (10·k) = 10 % for all; post 7 is titled
    "=HYPERLINK(7)" (a formula-like text) and post 3 has no views at all."""
    for k in range(1, n + 1):
        title = "=HYPERLINK(7)" if k == 7 else f"Post {k}"
        con.execute("""INSERT INTO posts (platform, account, post_id, published_at, title, format, views, shares)
                       VALUES ('wechat', 'Sub', ?, ?, ?, 'text', ?, ?)""",
                    [f"p{k:02d}", dt.datetime(2026, 3, 3, 8, 0) + dt.timedelta(minutes=k), title,
                     None if k == 3 else 10 * k, k])


# ------------------------------------------------------------------ the metric functions
def test_post_table_sorts_and_cuts_in_the_store(con):
    add_posts(con, 12)
    top = content.post_table(con, *WEEK, sort="views", limit=5)
    # views 120, 110, 100, 90, 80 → posts 12 … 8
    assert list(top["post_id"]) == ["p12", "p11", "p10", "p09", "p08"]
    second = content.post_table(con, *WEEK, sort="views", limit=5, offset=5)
    assert list(second["post_id"]) == ["p07", "p06", "p05", "p04", "p02"]     # p03 has no views: last
    lowest = content.post_table(con, *WEEK, sort="views", ascending=True, limit=3)
    assert list(lowest["post_id"]) == ["p01", "p02", "p04"]                   # missing views still last
    newest = content.post_table(con, *WEEK, sort="published_at", limit=2)
    assert list(newest["post_id"]) == ["p12", "p11"]                          # published a minute apart
    assert content.post_count(con, *WEEK) == 12
    # "Post 1" matches posts 1, 10, 11, 12 (post 7 is titled =HYPERLINK(7))
    assert content.post_count(con, *WEEK, search="Post 1") == 4
    assert list(content.post_table(con, *WEEK, search="post 1")["post_id"]) == ["p12", "p11", "p10", "p01"]
    # % and _ are searched for as themselves, not as wildcards
    assert content.post_count(con, *WEEK, search="%") == 0
    assert content.post_count(con, *WEEK, search="_") == 0
    with pytest.raises(ValueError, match="sort must be one of"):
        content.post_table(con, *WEEK, sort="title")


def test_timing_summary_gives_the_grid_and_the_best_slots_in_one_pass(con):
    add_posts(con, 12)
    grid, best = content.timing_summary(con, WEEK[1])
    # All 11 posts with views went out on Tuesday (ISO 2) at 08:xx; each account's usual post is
    # its median: views 10·k for k in 1,2,4…12 → median of 11 values = 70 → Σ views / Σ usual
    # = (780 − 30) / (11 × 70) = 750 / 770 = 0.974
    assert list(zip(grid["weekday"], grid["hour"], grid["posts"])) == [(2, 8, 11)]
    assert grid["lift"].iloc[0] == pytest.approx(750 / 770)
    assert (best["posts"], best["weekday"], best["hour"], best["weekday_posts"]) == (11, 2, 8, 11)
    assert best == content.best_times(con, WEEK[1])


# ------------------------------------------------------------------ the Content view
def open_content(**state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["today"] = TODAY
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page("pages/content.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_content_view_shows_one_page_of_posts_and_says_how_many(con):
    add_posts(con, 53)
    at = open_content()
    assert at.metric[0].value == "53"
    assert "Showing 1–50 of 53 posts, by Views (descending)" in captions(at)
    table = at.dataframe[0].value
    assert len(table) == 50
    assert table["Views (reads)"].iloc[0] == "530"                                    # post 53: 10 × 53
    at.number_input(key="content.posts_page").set_value(2).run()
    assert "Showing 51–53 of 53 posts" in captions(at)
    assert list(at.dataframe[0].value["Views (reads)"]) == ["20", "10", "–"]          # posts 2, 1, then 3 (no views)
    at.text_input(key="content.search").input("Post 5").run()              # posts 5 and 50–53
    assert "Showing 1–5 of 5 posts" in captions(at)
    at.text_input(key="content.search").input("nothing like this").run()
    assert any("No post of this period matches" in i.value for i in at.info)


def test_content_tabs_run_only_when_opened(con):
    add_posts(con, 4)
    at = open_content()
    assert not at.get("vega_lite_chart")                                      # the formats chart is not built
    at = open_content(**{"content.tab": "Formats"})
    assert len(at.get("vega_lite_chart")) == 1
    assert not at.metric                                                      # the rates tab did not run


def test_posts_csv_has_every_post_and_defuses_formulas(db_path, con):
    from ui.content_view import posts_csv_maker
    add_posts(con, 53)
    build = posts_csv_maker(str(db_path), *WEEK, None, "views", False, None,
                            {"post_id": "Post id", "title": "Title", "views": "Views", "format": "Format"},
                            {"text": "Text"})
    rows = list(csv.reader(io.StringIO(build().decode("utf-8-sig"))))
    assert rows[0] == ["Post id", "Title", "Views", "Format"]
    assert len(rows) == 1 + 53                                                # all posts, not one page
    assert rows[1] == ["p53", "Post 53", "530", "Text"]
    assert ["p07", "'=HYPERLINK(7)", "70", "Text"] in rows


# ------------------------------------------------------------------ the Plan view: goals of a phase
@pytest.fixture
def two_phases(con):
    con.execute("""INSERT INTO phases (phase_id, code, name, start_date, end_date) VALUES
                   (1, 'seed', 'Seed', '2026-03-01', '2026-03-31'), (2, 'initial', 'Initial', '2026-04-01', '2026-06-30')""")
    ids = {
        "march": plan_goals.save_goal(con, metric="orders", target=100, start_date=D(2026, 3, 1),
                                      end_date=D(2026, 3, 31), phase_id=1),
        "loose": plan_goals.save_goal(con, metric="posts", target=20, start_date=D(2026, 3, 10),
                                      end_date=D(2026, 4, 10)),                # no phase, overlaps both
        "april": plan_goals.save_goal(con, metric="orders", target=300, start_date=D(2026, 4, 1),
                                      end_date=D(2026, 6, 30), phase_id=2, is_ultimate=True),
    }
    return ids


def test_listed_goals_of_a_phase(con, two_phases):
    ids = two_phases
    listed, total = plan_goals.listed_goal_ids(con, 1)
    assert (sorted(listed), total) == (sorted([ids["march"], ids["loose"]]), 3)
    assert sorted(plan_goals.listed_goal_ids(con, 2)[0]) == sorted([ids["loose"], ids["april"]])
    assert sorted(plan_goals.listed_goal_ids(con, None)[0]) == sorted(ids.values())


def test_saving_a_phase_selection_leaves_the_other_goals_alone(con, two_phases):
    ids = two_phases
    shown = {ids["march"], ids["loose"]}
    # the editor listed March's two goals; the user kept only the March one
    counts = plan_goals.save_plan(con, goals=[dict(goal_id=ids["march"], metric="orders", target=120,
                                                   start_date=D(2026, 3, 1), end_date=D(2026, 3, 31), phase_id=1)],
                                  shown_goals=shown)
    assert counts["deleted_goals"] == 1                                       # "loose", which was listed
    left = {g.goal_id: g.target for g in gm.load_goals(con)}
    assert left == {ids["march"]: 120, ids["april"]: 300}                     # April's goal was not listed: kept
    # marking a listed goal ultimate while April's (not listed) is: refused, nothing written
    with pytest.raises(plan_goals.PlanRefused, match="ultimate"):
        plan_goals.save_plan(con, goals=[dict(goal_id=ids["march"], metric="orders", target=120, is_ultimate=True,
                                              start_date=D(2026, 3, 1), end_date=D(2026, 3, 31), phase_id=1)],
                             shown_goals={ids["march"]})


def test_plan_view_lists_the_current_phase_and_saves_only_it(con, two_phases):
    ids = two_phases
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["today"] = TODAY                                           # in the seed phase
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    goals = at.data_editor(key="goals.goals_editor.0").value
    assert len(goals) == 2                                                    # March's goal and the loose one
    assert "Listing 2 of 3 goals" in captions(at)
    at.session_state["goals.goals_editor.0"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [1]}
    next(b for b in at.button if b.label == "Save phases and goals").click().run()
    assert not at.exception
    assert {g.goal_id for g in gm.load_goals(con)} == {ids["march"], ids["april"]}
    at.selectbox(key="goals.filter").set_value("all").run()
    assert len(at.data_editor(key="goals.goals_editor.1.all").value) == 2


# ------------------------------------------------------------------ the Plan view: people by role and page
def test_people_are_listed_by_role_and_page_and_saved_by_the_part_listed(con):
    con.execute("INSERT INTO roles (role_id, code, name, headcount) VALUES (1, 'ops', 'Operations', 60), "
                "(2, 'copy', 'Copywriter', 1)")
    rows = [{"name": f"Op {k:02d}", "role_id": 1, "accounts": [], "channels": []} for k in range(1, 56)]
    rows.append({"name": "Writer", "role_id": 2, "accounts": [], "channels": []})
    plan_team.save_people(con, rows)
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["today"] = TODAY
    at.session_state["plan.tab"] = "Team and KPIs"
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    first = at.data_editor(key="team.people_editor.0").value
    assert len(first) == 50                                                   # 56 people, 50 a page
    assert "Listing people 1–50 of 56 in this selection (56 in the team)" in captions(at)
    at.selectbox(key="team.people_filter").set_value("2").run()
    writer = at.data_editor(key="team.people_editor.0.2.1").value
    assert list(writer["name"]) == ["Writer"]
    # the copywriter's list saved with the writer removed: the 55 others stay
    at.session_state["team.people_editor.0.2.1"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    next(b for b in at.button if b.label == "Save people").click().run()
    assert not at.exception
    assert len(team.people(con)) == 55


def test_role_users_come_from_one_query(con):
    con.execute("INSERT INTO roles (role_id, code, name) VALUES (1, 'ops', 'Operations')")
    plan_team.save_people(con, [{"name": "A", "role_id": 1}, {"name": "B", "role_id": 1}])
    b = next(p for p in team.people(con) if p.name == "B")
    plan_team.save_kpi_set(con, [{"metric_id": "posts", "target": 10, "weight": 100}], person_id=b.person_id)
    assert team.people_with_own_kpis(con) == {b.person_id}


# ------------------------------------------------------------------ the Upload view's undo picker
def test_import_labels_are_built_in_one_pass():
    from ui.uploads import import_label, import_labels
    history = pd.DataFrame({"import_id": [7, 9], "file_name": ["a.csv", "b.xlsx"], "platform": ["weibo", "douyin"],
                            "imported_at": [pd.Timestamp("2026-03-02 09:15:30"), pd.Timestamp("2026-03-03 10:00")]})
    assert import_labels(history) == {7: "#7 · a.csv · Weibo · 2026-03-02 09:15",
                                      9: "#9 · b.xlsx · Douyin · 2026-03-03 10:00"}
    assert import_label(history, 9) == "#9 · b.xlsx · Douyin · 2026-03-03 10:00"


def test_plan_tabs_run_only_when_opened(con):
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["today"] = TODAY
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    editors = {e.key for e in at.data_editor}
    assert any(k.startswith("goals.") for k in editors)                   # the first tab is open
    assert not any(k.startswith("team.") for k in editors)                # the team tab did not run
    at.session_state["plan.tab"] = "Team and KPIs"
    at.run()
    editors = {e.key for e in at.data_editor}
    assert any(k.startswith("team.") for k in editors) and not any(k.startswith("goals.") for k in editors)
