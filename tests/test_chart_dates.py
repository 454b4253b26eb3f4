"""Dates on chart axes and in tooltips are ISO in both languages, not Vega-Lite's English
month names; a channel's own format still wins."""
import datetime as dt

import pandas as pd

from ui import charts
from ui.appraisal_view import history_chart


def _daily():
    return pd.DataFrame({"date": pd.to_datetime(["2026-11-08", "2026-11-09"]), "amount": [1.0, 2.0]})


def test_a_single_view_and_a_layered_chart_format_dates_as_iso():
    spec = charts.chart("line", {"x": charts.field("date:T", "Date"), "y": charts.field("amount:Q", "Amount"),
                                 "tooltip": [charts.field("date:T", "Date")]}, title="Spend")
    single = charts.altair(spec, _daily()).to_dict()
    assert single["config"]["timeFormat"] == "%Y-%m-%d"
    assert single["config"]["axisTemporal"]["format"] == "%Y-%m-%d"
    layered = charts.altair(charts.layered([spec, spec], {"a": _daily()})).to_dict()
    assert layered["config"]["axisTemporal"]["format"] == "%Y-%m-%d"
    assert "config" not in layered["layer"][0]          # Vega-Lite takes config at the top only


def test_the_score_history_shows_months_as_year_and_month():
    frame = pd.DataFrame({"person": ["Lin Yue", "Lin Yue"], "month": [dt.date(2026, 10, 1), dt.date(2026, 11, 1)],
                          "score": [74.3, 91.4], "bonus": [2000.0, 2742.1]})
    spec = history_chart(frame).to_dict()
    assert spec["encoding"]["x"]["axis"]["format"] == "%Y-%m"
    month_tip = [tip for tip in spec["encoding"]["tooltip"] if tip["field"] == "month"][0]
    assert month_tip["format"] == "%Y-%m"
    assert spec["config"]["timeFormat"] == "%Y-%m-%d"
