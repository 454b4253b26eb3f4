"""Pieces shared by the Goals view and the Plan view's goals tab: values in a metric's unit,
status colours, the bullet chart and the pace chart."""
from __future__ import annotations

import functools
import json
import math

import altair as alt
import pandas as pd

from ui import format as fmt
from ui.charts import Chart, Layers
from ui.labels import goal_scope_name, language, t

STATUS_COLOURS = {"on_track": "#2e7d32", "behind": "#ef6c00", "at_risk": "#c62828", "no_data": "#757575",
                  "upcoming": "#1565c0"}
STATUS_MARKDOWN = {"on_track": "green", "behind": "orange", "at_risk": "red", "no_data": "gray", "upcoming": "blue"}
STATUS_ICONS = {"on_track": ":material/check_circle:", "behind": ":material/schedule:",
                "at_risk": ":material/error:", "no_data": ":material/help:", "upcoming": ":material/event:"}


def missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NaT


def value_text(x, unit: str) -> str:
    """A value in its metric's unit: 1,234 · 12.3 % · ¥3,000.00 · 12.5."""
    if missing(x):
        return "–"
    if unit == "ratio":
        return fmt.pct(x)
    if unit == "money":
        return fmt.money(x)
    if unit == "number":
        return fmt.number(x, 1)
    return fmt.count(x)


def target_text(row) -> str:
    """The goal's target as the user set it (a growth goal: '+50 % on the previous period')."""
    if row["rule"] == "growth":
        return t("goals.growth_target", pct=fmt.pct(row["goal_target"], signed=True))
    return value_text(row["goal_target"], row["unit"])


def status_badge(status: str) -> str:
    """Markdown for a coloured status label."""
    colour = STATUS_MARKDOWN.get(status, "gray")
    return f":{colour}-background[{t('goals.status_' + status)}]"


def title(row) -> str:
    return row["title_zh"] if language() == "zh" else row["title_en"]


def metric_label(row) -> str:
    return row["metric_zh"] if language() == "zh" else row["metric_en"]


BULLET_PARTS = ("target", "actual", "planned", "floor")   # drawn in this order: band, bar, ticks


@functools.lru_cache(maxsize=32)
def _bullet_template(lang: str, unit: str) -> str:
    """The bullet chart's Vega-Lite spec for a language and unit, built with Altair once per
    process (building one Altair chart per goal card took a quarter of the Goals view's time):
    a layer per part, each drawing the data rows of its part; the goal's figures come as data,
    its title, status colour and axis range are filled in by :func:`bullet_chart`."""
    x = alt.X("value:Q", title=t("goals.bullet_axis", lang, unit=t("goals.unit_" + unit, lang)),
              scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="~s"))
    tooltip = [alt.Tooltip("what:N", title=t("goals.bullet_what", lang)),
               alt.Tooltip("text:N", title=t("goals.bullet_value", lang))]
    marks = {"target": alt.MarkDef(type="bar", color="#e0e0e0", size=30),
             "actual": alt.MarkDef(type="bar", color=STATUS_COLOURS["no_data"], size=14),
             "planned": alt.MarkDef(type="tick", color="#212121", thickness=3, size=30),
             "floor": alt.MarkDef(type="tick", color="#c62828", thickness=3, size=30)}
    layers = [alt.Chart(mark=marks[part], encoding=alt.FacetedEncoding(x=x, tooltip=tooltip),
                        transform=[alt.FilterTransform(filter=f"datum.part === '{part}'")])
              for part in BULLET_PARTS]
    spec = Layers(layer=layers, data=alt.Data(values=[]), height=115,
                   title=alt.TitleParams("", fontSize=12, fontWeight="normal")).to_dict()
    spec.pop("data", None)             # the goal's rows are handed to Streamlit with the spec
    return json.dumps(spec)


def bullet_chart(row) -> tuple[pd.DataFrame, dict]:
    """A bullet chart for one goal as (data, Vega-Lite spec) for ``st.vega_lite_chart``: the
    actual (bar, in its status colour) over the target (the grey band), with the pro-rated
    target (black tick) and the floor (red tick)."""
    unit = row["unit"]
    scale = 100.0 if unit == "ratio" else 1.0
    lang = language()
    parts = [(part, row[part]) for part in BULLET_PARTS if not missing(row[part])]
    frame = pd.DataFrame({"part": [p for p, _v in parts],
                          "what": [t("goals.bullet_" + p, lang) for p, _v in parts],
                          "value": [float(v) * scale for _p, v in parts],
                          "text": [value_text(v, unit) for _p, v in parts]})
    values = list(frame["value"]) + [0.0]
    top, low = max(values) * 1.08 or 1.0, min(values) * 1.08
    spec = json.loads(_bullet_template(lang, unit))
    spec["title"]["text"] = t("goals.bullet_title", lang, goal=title(row))
    for layer, part in zip(spec["layer"], BULLET_PARTS):
        layer["encoding"]["x"]["scale"]["domain"] = [low, top]
        if part == "actual":
            layer["mark"]["color"] = STATUS_COLOURS.get(row["status"], STATUS_COLOURS["no_data"])
    return frame, spec


def scope_text(kind: str | None, name: str | None) -> str:
    """'Team', or e.g. 'Person: Li Wei' in the current language."""
    kind = kind or "team"
    label = t("goals.scope_" + kind)
    return label if kind == "team" or not name else f"{label}: {goal_scope_name(kind, name)}"


def unit_name(unit: str) -> str:
    return t("goals.unit_" + unit)


def pace_chart(frame: pd.DataFrame, row) -> alt.Chart:
    """The goal's daily series (actual to date) against its pace line (the plan)."""
    unit = row["unit"]
    scale = 100.0 if unit == "ratio" else 1.0
    long = []
    for r in frame.itertuples():
        day = pd.Timestamp(r.date)
        if not missing(r.actual):
            long.append({"date": day, "series": t("goals.series_actual"), "value": float(r.actual) * scale})
        if not missing(r.planned):
            long.append({"date": day, "series": t("goals.series_plan"), "value": float(r.planned) * scale})
    data = pd.DataFrame(long, columns=["date", "series", "value"])
    kind = {"accrue": "goals.series_axis_cumulative", "level": "goals.series_axis_level"}.get(
        row["pace"], "goals.series_axis_rate")
    y_title = t(kind, unit=unit_name(unit))
    return Chart(data).mark_line(point=False).encode(
        x=alt.X("date:T", title=t("goals.axis_date")),
        y=alt.Y("value:Q", title=y_title),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="right"),
                        scale=alt.Scale(domain=[t("goals.series_actual"), t("goals.series_plan")],
                                        range=[STATUS_COLOURS.get(row["status"], "#1565c0"), "#616161"])),
        strokeDash=alt.StrokeDash("series:N", legend=None),
        tooltip=[alt.Tooltip("date:T", title=t("goals.axis_date")), alt.Tooltip("series:N", title=" "),
                 alt.Tooltip("value:Q", title=y_title, format=",.2f")],
    ).properties(height=280, title=t("goals.pace_chart_title", goal=title(row)))
