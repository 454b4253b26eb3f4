"""The review's change chart keeps the largest week-over-week changes only."""
import pandas as pd

from ui.review_charts import CHART_ROWS, change_chart


def _frame(changes):
    n = len(changes)
    return pd.DataFrame({"person": [f"P{i:02d}" for i in range(n)], "kpi": ["Net follows"] * n,
                         "change": changes, "direction": ["higher"] * n, "manual": [False] * n})


def test_a_long_list_is_cut_to_the_largest_changes_rises_and_falls_alike():
    # 40 changes: P00 … P39 with change (i − 20) % → sizes 0 … 20; a manual row and a None are left out
    frame = _frame([(i - 20) / 100 for i in range(40)])
    frame = pd.concat([frame, pd.DataFrame({"person": ["M", "N"], "kpi": ["x", "y"], "change": [5.0, None],
                                            "direction": ["higher"] * 2, "manual": [True, False]})],
                      ignore_index=True)
    chart, total = change_chart(frame)
    assert total == 40 and CHART_ROWS == 30
    shown = chart.data
    assert len(shown) == 30
    # the 30 largest sizes: 20 (P00) down to 6 → P00–P14 (−20 … −6) and P26–P39 (+6 … +19): 15 + 14 = 29,
    # plus one of the two size-5 rows (P15 first, as listed)
    people = {w.split(" · ")[0] for w in shown["what"]}
    assert {f"P{i:02d}" for i in range(15)} <= people and {f"P{i:02d}" for i in range(26, 40)} <= people
    assert "P15" in people and "P25" not in people and "M" not in people
    assert shown["change"].min() == -20.0 and shown["change"].max() == 19.0


def test_a_short_list_is_drawn_whole():
    chart, total = change_chart(_frame([0.1, -0.2, 0.0]))
    assert total == 3 and len(chart.data) == 3
    assert change_chart(_frame([]).assign(change=pd.Series([], dtype=float)))[0] is None


def test_goals_chart_shows_each_goal_week_as_a_share_of_its_plan():
    from ui.review_charts import goals_chart
    goals = [
        {"title_en": "Orders", "title_zh": "订单", "actual": 150.0, "planned": 100.0, "status": "on_track"},
        {"title_en": "Posts", "title_zh": "发文", "actual": 9.0, "planned": 3.0, "status": "on_track"},   # 300 % → 200
        {"title_en": "Follows", "title_zh": "关注", "actual": 40.0, "planned": 80.0, "status": "behind"},
        {"title_en": "No plan", "title_zh": "无计划", "actual": 5.0, "planned": 0.0, "status": "no_data"},
        {"title_en": "No data", "title_zh": "无数据", "actual": None, "planned": 10.0, "status": "no_data"},
    ]
    chart = goals_chart(goals, "en")
    bars = chart.layer[0].data
    # 150 ÷ 100 = 150 %; 9 ÷ 3 = 300 % drawn at the 200 % cap; 40 ÷ 80 = 50 %; no plan / no data left out
    assert bars["goal"].tolist() == ["Orders", "Posts", "Follows"]
    assert bars["share"].tolist() == [150.0, 200.0, 50.0]
    assert bars["text"].tolist() == ["150.0 %", "300.0 %", "50.0 %"]
    assert chart.height == 120                  # 26 px × 3 bars is less than the 120 px minimum
    spec = chart.to_dict()
    assert spec["layer"][1]["mark"]["type"] == "rule"
    assert goals_chart(goals[3:], "en") is None
