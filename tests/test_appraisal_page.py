"""AppTest of the Appraisal view: team table, drill-down with sources, manual inputs, the lock
and unlock path, the export button, and an empty store (scenario in tests/appraisal_data.py)."""
import pytest
from streamlit.testing.v1 import AppTest

import appraisal_data as data
from metrics import appraisal
from store import connection


def _app(today: str = "2026-05-10") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=30)
    at.query_params["today"] = today
    return at


def _open(at: AppTest, month: str | None = None) -> AppTest:
    at.switch_page("pages/appraisal.py").run()
    if month:
        at.selectbox(key="appraisal.month").select(next(o for o in at.selectbox(key="appraisal.month").options
                                                        if o.startswith(month))).run()
    return at


def _tab(at: AppTest, label: str) -> AppTest:
    """Open one of the view's tabs (only the open tab runs)."""
    at.session_state["appraisal.tab"] = label
    return at.run()


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_empty_store_renders(db_path):
    con = connection.cursor(db_path)
    con.execute("INSERT OR REPLACE INTO settings VALUES ('workspace_mode', 'empty')")
    at = _open(_app())
    assert not at.exception
    assert any("Nobody is appraised" in i.value for i in at.info)
    assert at.get("download_button")   # the workbook is offered even when empty


def test_team_table_and_drill_down(db_path):
    con = connection.cursor(db_path)
    ids = data.build(con)
    at = _open(_app(), "2026-03")
    assert not at.exception
    assert at.selectbox(key="appraisal.month").value.isoformat() == "2026-03-01"
    team = at.dataframe[0].value
    row = team[team["Person"] == "Ana"].iloc[0]
    assert (row["Role"], row["Score"], row["Bonus"]) == ("Promotion manager", "95.7", "¥1,914.00")
    assert row["Last month"] == "0.0" and row["Change"] == "+95.7"
    assert at.selectbox(key="appraisal.person").value == ids["ana"]
    kpis = at.dataframe[1].value.set_index("KPI")
    assert list(kpis.index) == ["Net follows", "Forwards per post", "Enquiries"]
    assert kpis.loc["Net follows", "Actual"] == "930"
    assert kpis.loc["Forwards per post", "Actual"] == "10.50"
    assert kpis.loc["Net follows", "Contribution"] == "37.2"
    assert "import #1 weibo_a1.xlsx" in kpis.loc["Net follows", "Where the figure came from"]
    assert "manual entry #2: 45, by Boss" in kpis.loc["Enquiries", "Where the figure came from"]
    assert any("open" in w.value for w in at.warning)
    assert not any(b.label in ("Lock the month", "Save inputs") for b in at.button)   # closed tabs do not run
    # the six months of everyone's scores are drawn on request only
    assert not at.get("vega_lite_chart")
    at.toggle(key="appraisal.history").set_value(True).run()
    assert not at.exception
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1 and "Score per person, last six months" in charts[0].proto.spec
    # April has missing data: shown as missing, with the rule
    at.selectbox(key="appraisal.month").select(next(o for o in at.selectbox(key="appraisal.month").options
                                                    if o.startswith("2026-04"))).run()
    kpis = at.dataframe[1].value.set_index("KPI")
    assert kpis.loc["Forwards per post", "Actual"] == "missing"
    assert kpis.loc["Forwards per post", "Status"] == "no data: counts as 0"
    assert kpis.loc["Enquiries", "Status"] == "no data: left out"
    assert at.dataframe[0].value.iloc[0]["Change"] == f"{45 * 4 / 7 - 95.7:+.1f}"


def test_lock_freezes_the_month_then_unlock(db_path):
    con = connection.cursor(db_path)
    data.build(con)
    at = _tab(_open(_app(), "2026-03"), "Lock and log")
    assert len(at.dataframe) == 0            # only the open tab runs: no team table, and no log yet
    at.text_input(key="appraisal.lock_who").input("Boss")
    at.text_input(key="appraisal.lock_why").input("March review")
    _button(at, "Lock the month").click().run()
    assert not at.exception
    assert any("is locked (revision 1, Boss" in i.value for i in at.info)
    log = at.dataframe[-1].value
    assert list(log["Action"]) == ["locked"] and list(log["Who"]) == ["Boss"]
    # a new import restates A2's March: the locked view does not move
    data.add_import(con, 5, "weibo_a2_restated.xlsx")
    data.daily(con, "A2", data.MARCH, 31, 100, 5)
    connection.bump_data_version(con)
    assert appraisal.live_scores(con, data.MARCH).people[0].score != pytest.approx(95.7)
    _tab(at, "Scores")
    assert at.dataframe[0].value.iloc[0]["Score"] == "95.7"
    # manual inputs are frozen in a locked month
    _tab(at, "Manual inputs")
    assert any(b.label == "Save inputs" and b.disabled for b in at.button)
    # unlocking needs a reason
    _tab(at, "Lock and log")
    at.text_input(key="appraisal.unlock_who").input("Boss")
    _button(at, "Unlock").click().run()
    assert any("Give the reason" in e.value for e in at.error)
    at.text_input(key="appraisal.unlock_why").input("A2 was restated")
    _button(at, "Unlock").click().run()
    assert not at.exception
    assert any("open again" in s.value for s in at.success)
    _tab(at, "Scores")
    # (20 + 100) × 31 = 3,720 net follows → capped 120 × 0.4 = 48; + 31.5 + 27 = 106.5
    assert at.dataframe[0].value.iloc[0]["Score"] == "106.5"


def test_correction_through_the_view(db_path):
    con = connection.cursor(db_path)
    ids = data.build(con)
    at = _tab(_open(_app(), "2026-03"), "Lock and log")
    at.text_input(key="appraisal.lock_who").input("Boss")
    _button(at, "Lock the month").click().run()
    at.selectbox(key="appraisal.correct_kpi").select(f"{ids['ana']}:{ids['kpis']['Net follows']}")
    at.number_input(key="appraisal.correct_value").set_value(1000.0)
    at.text_input(key="appraisal.correct_who").input("Boss")
    at.text_input(key="appraisal.correct_why").input("A2 export missed a week")
    _button(at, "Record the correction").click().run()
    assert not at.exception
    assert list(at.dataframe[-1].value["Action"]) == ["correction", "locked"]
    # 1000 / 1000 → 40; 40 + 31.5 + 27 = 98.5
    assert _tab(at, "Scores").dataframe[0].value.iloc[0]["Score"] == "98.5"


def test_manual_input_saved_from_the_view(db_path):
    con = connection.cursor(db_path)
    ids = data.build(con)
    at = _tab(_open(_app(), "2026-03"), "Manual inputs")
    at.session_state["appraisal.inputs_editor.0"] = {"edited_rows": {0: {"value": 50.0}}, "added_rows": [],
                                                     "deleted_rows": []}
    at.text_input(key="appraisal.inputs_who.0").input("Lin")
    _button(at, "Save inputs").click().run()
    assert not at.exception
    assert any("1 new entries" in s.value for s in at.success)
    ana = appraisal.month_scores(con, data.MARCH).person(ids["ana"])
    assert ana.score == pytest.approx(98.7)   # 37.2 + 31.5 + 30


def test_a_drill_down_cell_names_ten_sources_and_counts_the_rest():
    from types import SimpleNamespace

    from ui import appraisal_view as view
    imports = [{"kind": "import", "import_id": i, "file_name": f"f{i}.csv", "table": "account_daily", "rows": 31,
                "first": "2026-03-01", "last": "2026-03-31"} for i in range(1, 13)]
    text = view.sources_text(SimpleNamespace(sources=imports), "en")
    assert "import #10 f10.csv" in text and "#11" not in text and "#12" not in text
    assert text.endswith("and 2 more (all named in the three-tables workbook)")
    assert "另有 2 个来源" in view.sources_text(SimpleNamespace(sources=imports), "zh")
    assert "more" not in view.sources_text(SimpleNamespace(sources=imports[:10]), "en")
