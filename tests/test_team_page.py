"""AppTest of the Plan view's team tab: roles, timeline, people, KPI sets (the weights refusal
shown on screen) and a save that writes (scenario in tests/appraisal_data.py)."""
from streamlit.testing.v1 import AppTest

import appraisal_data as data
from metrics import team
from store import connection


def _plan(today: str = "2026-05-10") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=30)
    at.query_params["today"] = today
    at.session_state["plan.tab"] = "Team and KPIs"          # the tabs run only when open
    at.switch_page("pages/plan.py").run()
    return at


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_team_tab_renders_on_an_empty_store(db_path):
    connection.cursor(db_path).execute("INSERT OR REPLACE INTO settings VALUES ('workspace_mode', 'empty')")
    at = _plan()
    assert not at.exception
    assert any(b.label == "Save roles" for b in at.button)
    assert any("No roles yet" in i.value for i in at.info)


def test_team_tab_shows_roles_people_and_timeline(db_path):
    data.build(connection.cursor(db_path))
    at = _plan()
    assert not at.exception
    roles = at.data_editor(key="team.roles_editor.0").value
    assert list(roles["name"]) == ["Promotion manager", "Copywriter"]
    people = at.data_editor(key="team.people_editor.0").value
    assert list(people["accounts"].iloc[0]) == ["weibo: A1", "weibo: A2"]
    timeline = next(d.value for d in at.dataframe if "Needed by" in d.value.columns)
    assert list(timeline["Status"]) == ["in place", "open"]   # copywriter: nobody yet, needed since February
    kpis = at.data_editor(key="team.kpi_editor.role.1.0").value
    assert list(kpis["weight"]) == [40, 30, 30]


def test_weights_refusal_is_shown_and_nothing_saved(db_path):
    con = connection.cursor(db_path)
    ids = data.build(con)
    at = _plan()
    at.session_state["team.kpi_editor.role.1.0"] = {"edited_rows": {0: {"weight": 50.0}}, "added_rows": [],
                                                    "deleted_rows": []}
    _button(at, "Save KPI set").click().run()
    assert not at.exception
    assert any("sum to 110 %; they must sum to 100 %" in e.value for e in at.error)
    assert list(team.kpi_set(con, role_id=ids["roles"]["promotion_manager"])["weight"]) == [40, 30, 30]


def test_saving_a_kpi_set_writes_it(db_path):
    con = connection.cursor(db_path)
    ids = data.build(con)
    at = _plan()
    at.session_state["team.kpi_editor.role.1.0"] = {"edited_rows": {0: {"weight": 50.0}, 1: {"weight": 20.0}},
                                                    "added_rows": [], "deleted_rows": []}
    _button(at, "Save KPI set").click().run()
    assert not at.exception
    assert any("KPI set saved" in s.value for s in at.success)
    assert list(team.kpi_set(con, role_id=ids["roles"]["promotion_manager"])["weight"]) == [50, 20, 30]
