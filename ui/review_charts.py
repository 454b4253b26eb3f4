"""The Friday review's charts: week-over-week changes, and each goal's week against its plan."""
from __future__ import annotations

import altair as alt
import pandas as pd

from reports import review_pack as rp
from ui import meeting_format as mf
from ui.charts import Chart, Layers
from ui.labels import t

CHART_ROWS = 30   # the largest week-over-week changes drawn; every row is in the tables below
KPI_PAGE_ROWS = 100     # KPI rows per role the Review shows at once (the exports have them all)


def change_chart(frame: pd.DataFrame) -> tuple[alt.Chart | None, int]:
    """Bars of the week-over-week change per person and KPI — the ``CHART_ROWS`` largest
    (by size, rises and falls alike) — and how many KPIs had a change to show."""
    data = frame[~frame["manual"] & frame["change"].notna()]
    total = len(data)
    if data.empty:
        return None, 0
    if total > CHART_ROWS:
        data = data.loc[data["change"].astype(float).abs().sort_values(ascending=False, kind="stable").index[:CHART_ROWS]]
    data = pd.DataFrame({"what": data["person"] + " · " + data["kpi"],
                         "change": (data["change"].astype(float).clip(-2, 2) * 100).round(1),
                         "text": [mf.change(c) for c in data["change"]],
                         "good": [(c >= 0) != (d == "lower") for c, d in zip(data["change"], data["direction"])]})
    return Chart(data, title=t("review.chart_change")).mark_bar().encode(
        x=alt.X("change:Q", title=t("review.axis_change"), scale=alt.Scale(domain=[-200, 200])),
        y=alt.Y("what:N", title=None, sort=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)),
        color=alt.Color("good:N", scale=alt.Scale(domain=[True, False], range=["#2e7d32", "#c62828"]), legend=None),
        tooltip=[alt.Tooltip("what:N", title=t("review.col_kpi")), alt.Tooltip("text:N", title=t("review.col_change"))],
    ).properties(height=max(120, 26 * len(data))), total


def goals_chart(goals: list[dict], lang: str) -> Layers | None:
    """Bars of each goal's week result as a share of its plan (capped at 200 %, in its status
    colour) with the 100 % line; None when no goal has a share to show."""
    shown = [(r, share) for r in goals if (share := rp.result_share(r)) is not None]
    if not shown:
        return None
    frame = pd.DataFrame({"goal": [rp.goal_title(r, lang) for r, _ in shown],
                          "share": [round(min(max(share, 0.0), 2.0) * 100, 1) for _, share in shown],
                          "text": [mf.pct(share) for _, share in shown],
                          "status": [rp.goal_status_label(r["status"], lang) for r, _ in shown],
                          "colour": [rp.STATUS_COLOURS.get(r["status"], "#757575") for r, _ in shown]})
    bars = Chart(frame, title=t("review.chart_goals")).mark_bar().encode(
        x=alt.X("share:Q", title=t("review.axis_goals"), scale=alt.Scale(domain=[0, 200])),
        y=alt.Y("goal:N", title=None, sort=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)),
        color=alt.Color("colour:N", scale=None),
        tooltip=[alt.Tooltip("goal:N", title=t("review.col_goal")),
                 alt.Tooltip("text:N", title=t("review.axis_goals")),
                 alt.Tooltip("status:N", title=t("review.col_week_status"))])
    rule = Chart(pd.DataFrame({"x": [100]})).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    return Layers(layer=[bars, rule], height=max(120, 26 * len(frame)))
