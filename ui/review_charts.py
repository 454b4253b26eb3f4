"""The Friday review's chart of week-over-week changes."""
from __future__ import annotations

import altair as alt
import pandas as pd

from ui import meeting_format as mf
from ui.labels import t

CHART_ROWS = 30   # the largest week-over-week changes drawn; every row is in the tables below


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
    return alt.Chart(data, title=t("review.chart_change")).mark_bar().encode(
        x=alt.X("change:Q", title=t("review.axis_change"), scale=alt.Scale(domain=[-200, 200])),
        y=alt.Y("what:N", title=None, sort=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)),
        color=alt.Color("good:N", scale=alt.Scale(domain=[True, False], range=["#2e7d32", "#c62828"]), legend=None),
        tooltip=[alt.Tooltip("what:N", title=t("review.col_kpi")), alt.Tooltip("text:N", title=t("review.col_change"))],
    ).properties(height=max(120, 26 * len(data))), total
