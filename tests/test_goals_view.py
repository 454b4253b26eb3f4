"""AppTest of the Goals view and of the Plan view's goals-and-phases tab (its save paths)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from metrics import goals as gm
from store import plan_goals
from tests.conftest import ROOT

D = dt.date
APR1, APR30 = D(2024, 4, 1), D(2024, 4, 30)
TODAY = "2024-04-21"


def _app(page: str, today: str | None = TODAY, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if today:
        at.query_params["today"] = today
    if lang:
        at.session_state["ui.lang"] = lang
    return at.switch_page(page).run()


def _texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [s.value for s in at.subheader] + [c.value for c in at.caption]
                     + [i.value for i in at.info] + [e.value for e in at.error] + [s.value for s in at.success])


def _charts(at):
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


@pytest.fixture
def store(con):
    """Phases, a service account's 20 days of figures and three goals of mixed kinds."""
    con.execute("""INSERT INTO phases (phase_id, code, name, start_date, end_date, follower_target, budget)
                   VALUES (1, 'seed', 'Seed users', '2024-04-01', '2024-04-30', 1000, 20000),
                          (2, 'initial', 'Initial users', '2024-05-01', '2024-07-31', 50000, 150000)""")
    con.execute("INSERT INTO accounts (platform, account) VALUES ('wechat', 'Svc'), ('wechat', 'Sub')")
    con.executemany("INSERT INTO business_daily (platform, account, date, visitors, orders) VALUES (?, ?, ?, ?, ?)",
                    [("wechat", "Svc", APR1 + dt.timedelta(days=i), 100, 10) for i in range(20)])
    con.executemany("INSERT INTO account_daily (platform, account, date, followers_total) VALUES (?, ?, ?, ?)",
                    [("wechat", "Sub", APR1 + dt.timedelta(days=i), 30 * (i + 1)) for i in range(20)])
    ids = {
        "orders": plan_goals.save_goal(con, metric="orders", target=300, start_date=APR1, end_date=APR30,
                                       is_ultimate=True, phase_id=1),
        "conversion": plan_goals.save_goal(con, metric="order_conversion", target=0.12, floor=0.08,
                                           rule="at_least", start_date=APR1, end_date=APR30),
        "per_day": plan_goals.save_goal(con, metric="orders_per_day", target=20, start_date=APR1, end_date=APR30,
                                        kind="output"),
    }
    return con, ids


# ------------------------------------------------------------------ Goals view
def test_goals_view_on_an_empty_store(db_path):
    at = _app("pages/goals.py")
    assert not at.exception
    assert "No goals overlap" in _texts(at)
    plan = _app("pages/plan.py")
    assert not plan.exception
    assert "Add a goal above first" in _texts(plan)


def test_goals_view_shows_phase_ultimate_goal_bullets_and_drill_down(store, db_path):
    at = _app("pages/goals.py")
    assert not at.exception
    text = _texts(at)
    assert "Current phase: Seed users" in text
    assert len(at.get("progress")) == 1
    assert text.index("Ultimate goal") < text.index("Every goal")
    # ultimate: 200 orders done, 200 due (300 × 20/30), on track
    assert "Orders" in at.markdown[1].value or "Orders" in text
    metrics = {(m.label, m.value) for m in at.metric}
    assert ("Actual to date", "200") in metrics and ("Pro-rated target", "200") in metrics
    assert ("Projected at the end", "300") in metrics
    # conversion 10 % against ≥ 12 % with an 8 % floor → behind; 10 orders a day against 20 → at risk
    assert ":orange-background[Behind]" in text and ":red-background[At risk]" in text
    assert ("Actual to date", "10.0 %") in metrics
    charts = _charts(at)
    bullets = [c for c in charts if c.get("layer")]
    assert len(bullets) == 3                              # one bullet chart per goal
    pace = [c for c in charts if not c.get("layer")]
    assert pace and pace[0]["encoding"]["y"]["title"].startswith("Cumulative to date")
    # drill into the conversion goal: its daily series against the pace line
    titles = at.selectbox(key="goals.drill").options
    at.selectbox(key="goals.drill").select_index(titles.index("Order conversion")).run()
    assert not at.exception
    assert "actual against the pace line" in json.dumps(_charts(at)[-1])


def test_a_goal_whose_period_ended_says_where_it_finished(store, db_path):
    con, _ids = store
    # the service account's last ten days of April: 10 orders a day → 300 orders by 30 April
    con.executemany("INSERT INTO business_daily (platform, account, date, visitors, orders) VALUES (?, ?, ?, ?, ?)",
                    [("wechat", "Svc", APR1 + dt.timedelta(days=i), 100, 10) for i in range(20, 30)])
    at = _app("pages/goals.py", today="2024-05-02")
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert "Ended on 2024-04-30: 300 against a target of 300; the status is where it finished." in captions
    # 10 orders a day against 20: ended at 10, not reached
    assert "Ended on 2024-04-30: 10.0 against a target of 20.0; the status is where it finished." in captions
    # while a goal runs there is no such line
    running = _app("pages/goals.py")
    assert not [c.value for c in running.caption if c.value.startswith("Ended on")]


def test_goals_view_in_chinese(store, db_path):
    at = _app("pages/goals.py", lang="zh")
    assert not at.exception
    text = _texts(at)
    assert "终极目标" in text and "有风险" in text


# ------------------------------------------------------------------ Plan view save paths
def _save(at, label):
    next(b for b in at.button if b.label == label).click().run()


def test_plan_view_saves_phases_and_goals_in_one_go(store, db_path):
    con, ids = store
    at = _app("pages/plan.py")
    assert not at.exception
    at.session_state["goals.phases_editor.0"] = {"edited_rows": {1: {"follower_target": 60000}}, "added_rows": [],
                                                 "deleted_rows": []}
    at.session_state["goals.goals_editor.0"] = {
        "edited_rows": {0: {"target": 330}},
        "added_rows": [{"metric": "wechat_read_rate", "scope": "account|wechat/Sub", "start_date": "2024-04-01",
                        "end_date": "2024-04-30", "target": 15, "floor": 10}],
        "deleted_rows": [2]}
    _save(at, "Save phases and goals")
    assert not at.exception
    assert "Saved: 2 phases and 3 goals (1 removed)." in _texts(at)
    goals = {g.metric: g for g in gm.load_goals(con)}
    assert goals["orders"].target == 330
    read = goals["wechat_read_rate"]
    assert (read.target, read.floor, read.scope_kind, read.scope_ref) == (0.15, 0.10, "account", "wechat/Sub")
    assert "orders_per_day" not in goals
    assert [p["follower_target"] for p in gm.phases(con)] == [1000, 60000]
    # the editors got new keys: the next edit starts from the store
    assert "goals.goals_editor.1" in at.session_state


def test_plan_view_refuses_a_vague_goal_and_keeps_the_store(store, db_path):
    con, ids = store
    before = con.execute("SELECT * FROM goals ORDER BY goal_id").fetchall()
    at = _app("pages/plan.py")
    at.session_state["goals.goals_editor.0"] = {
        "edited_rows": {0: {"target": 500}},
        "added_rows": [{"name": "Raise brand exposure", "metric": "impressions"}],
        "deleted_rows": []}
    _save(at, "Save phases and goals")
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Nothing was saved" in errors
    assert "“Raise brand exposure” has no target number" in errors and "has no period" in errors
    assert con.execute("SELECT * FROM goals ORDER BY goal_id").fetchall() == before


def test_plan_view_saves_a_split(store, db_path):
    con, ids = store
    at = _app("pages/plan.py")
    gid = ids["orders"]
    assert at.selectbox(key="goals.split_goal").value == gid
    at.session_state[f"goals.members_editor.0.{gid}"] = {
        "edited_rows": {}, "deleted_rows": [],
        "added_rows": [{"scope": "account|wechat/Svc", "share": 2}, {"scope": "account|wechat/Sub", "share": 1}]}
    _save(at, "Save the split")
    assert not at.exception
    assert "Split saved: 2 members" in _texts(at)
    assert [k.target for k in gm.children(con, gid)] == [200, 100]    # 2/3 and 1/3 of 300


def test_plan_view_suggests_a_target(store, db_path):
    con, _ = store
    at = _app("pages/plan.py", today="2024-04-21")
    assert at.selectbox(key="goals.suggest_metric").value == "orders"
    at.date_input(key="goals.suggest_start").set_value(D(2024, 4, 21))
    at.date_input(key="goals.suggest_end").set_value(D(2024, 5, 10)).run()
    # previous 20 days, 1–20 April: 200 orders; +50 % → 300
    assert "**200**" in _texts(at) and "**300**" in _texts(at)
    at.button(key="goals.suggest_accept").click().run()
    assert not at.exception
    added = [g for g in gm.load_goals(con) if g.start_date == D(2024, 4, 21)]
    assert [(g.metric, g.target) for g in added] == [("orders", 300)]


# ------------------------------------------------------------------ the demo workspace
def test_goals_view_on_the_demo(demo_db):
    at = _app("pages/goals.py", today=None)
    assert not at.exception
    text = _texts(at)
    assert "Current phase: Brand" in text and len(at.get("progress")) == 1
    assert "Ultimate goal" in text
    bullets = [c for c in _charts(at) if c.get("layer")]
    assert 8 <= len(bullets) <= 11       # the ultimate goal's card and at most 10 others per page
    # the cards come 10 at a time; the other pages hold the rest
    assert "Showing goals 1–10 of" in text
    pages = at.number_input(key="goals.cards_page")
    assert pages.max == 2 and pages.value == 1
    pages.set_value(2).run()
    assert not at.exception
    text += _texts(at)
    assert "Showing goals 11–" in text
    for kind in ("Reach", "Stay at least", "Stay at most", "Growth % on the previous period"):
        assert f"· {kind} ·" in text
    assert not _app("pages/plan.py", today=None).exception


def test_bullet_chart_data_and_spec_per_goal():
    from ui import goals_widgets as gw
    row = {"unit": "ratio", "actual": 0.10, "planned": 0.12, "target": 0.12, "floor": 0.08, "status": "behind",
           "title_en": "Order conversion", "title_zh": "下单转化率"}
    frame, spec = gw.bullet_chart(row)
    # percentages drawn as 0–100: 12 %, 10 %, 12 %, 8 %; the axis runs to 12 × 1.08 = 12.96
    assert frame[["part", "value", "text"]].values.tolist() == [
        ["target", 12.0, "12.0 %"], ["actual", 10.0, "10.0 %"], ["planned", 12.0, "12.0 %"], ["floor", 8.0, "8.0 %"]]
    assert [layer["transform"][0]["filter"] for layer in spec["layer"]] == [
        "datum.part === 'target'", "datum.part === 'actual'", "datum.part === 'planned'", "datum.part === 'floor'"]
    assert all(layer["encoding"]["x"]["scale"]["domain"] == [0.0, pytest.approx(12.96)] for layer in spec["layer"])
    assert spec["layer"][1]["mark"]["color"] == gw.STATUS_COLOURS["behind"]
    assert "Order conversion" in spec["title"]["text"] and "data" not in spec
    # another goal reuses the template without inheriting the first one's figures or colour
    frame2, spec2 = gw.bullet_chart({**row, "unit": "count", "actual": 500, "planned": 400, "target": 1000,
                                     "floor": None, "status": "on_track", "title_en": "Orders"})
    assert frame2["part"].tolist() == ["target", "actual", "planned"]
    assert spec2["layer"][1]["mark"]["color"] == gw.STATUS_COLOURS["on_track"]
    assert spec2["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0.0, pytest.approx(1080.0)]
    assert spec["layer"][1]["mark"]["color"] == gw.STATUS_COLOURS["behind"]


def test_the_plan_offers_scopes_with_platforms_by_name(store):
    con, _ids = store
    from ui.plan_goals import _scope_options
    options = _scope_options(con)
    assert options["account|wechat/Svc"] == "Account: WeChat / Svc"
    assert options["platform|wechat"] == "Platform: WeChat"
    assert options["team|"] == "Team"
