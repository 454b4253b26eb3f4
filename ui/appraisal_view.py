"""Rendering helpers of the Appraisal view: cached score reads, KPI figures formatted by unit,
the team table, the drill-down table and the score-history chart."""
from __future__ import annotations

import datetime as dt
import math

import altair as alt
import pandas as pd
import streamlit as st

from metrics import appraisal, appraisal_totals, catalog, team
from ui import db
from ui import format as fmt
from ui import charts
from ui.charts import Chart
from ui.labels import language, scope_label, t


@st.cache_data(show_spinner=False, max_entries=16)
def _recent_scores(_con, month: dt.date, months: int, version: int) -> list[appraisal_totals.MonthTotals]:
    return appraisal_totals.months_totals(_con, appraisal.months_back(month, months))


@st.cache_data(show_spinner=False, max_entries=64)
def _person_month(_con, month: dt.date, person_id: int, version: int):
    return appraisal.person_month(_con, month, person_id)


def workbook(month: dt.date, today: dt.date, lang: str):
    """A callable building the three-tables XLSX for ``month`` when the download is clicked
    (it runs on its own thread, so it opens its own cursor)."""
    path = db.db_path()

    def build() -> bytes:
        from reports import three_tables
        from store import connection
        return three_tables.workbook(connection.cursor(path), month, today, lang)
    return build


HISTORY_MONTHS = 6


def recent_scores(month: dt.date, months: int = 2) -> list[appraisal_totals.MonthTotals]:
    """Everyone's totals for ``month`` and the ``months - 1`` months before it (frozen where
    locked), newest first, computed together and cached until the data version changes."""
    return _recent_scores(db.cursor(), month, months, db.version())


def person_month(month: dt.date, person_id: int):
    """One person's month with where each figure came from, cached."""
    return _person_month(db.cursor(), month, person_id, db.version())


def month_label(month: dt.date) -> str:
    return month.strftime("%Y-%m")


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def metric_label(metric_id: str, lang: str | None = None) -> str:
    """A catalogue metric's name, or a manual input's label, in ``lang`` (default: the current language)."""
    lang = lang or language()
    if team.is_manual(metric_id):
        key = team.MANUAL_INPUTS.get(team.manual_key(metric_id))
        return t("appraisal.manual_prefix", lang, name=t(key, lang) if key else team.manual_key(metric_id))
    if metric_id in catalog.METRICS:
        return catalog.METRICS[metric_id].label(lang)
    return metric_id


def input_label(key: str, lang: str | None = None) -> str:
    label = team.MANUAL_INPUTS.get(key)
    return t(label, lang) if label else key


def input_labels(keys) -> list[str]:
    """``input_label`` of each key (each distinct key translated once)."""
    lang = language()
    labels: dict[str, str] = {}
    return [labels[k] if k in labels else labels.setdefault(k, input_label(k, lang)) for k in keys]


def figure(metric_id: str, value, period: str = "month", lang: str | None = None) -> str:
    """A KPI figure in its unit: ratios as %, money with ¥, counts and others with separators."""
    if _missing(value):
        return t("appraisal.missing", lang)
    unit = catalog.METRICS[metric_id].unit if metric_id in catalog.METRICS else "number"
    if unit == "ratio":
        return fmt.pct(value)
    if unit == "money":
        return fmt.money(value)
    if unit == "count" and period == "month" and float(value).is_integer():
        return fmt.count(value)
    return fmt.number(value, 2 if abs(value) < 100 else 1)


def points(x) -> str:
    return "–" if _missing(x) else fmt.number(x, 1)


def signed_points(x) -> str:
    return "–" if _missing(x) else f"{x:+,.1f}"


def status_label(status: str, lang: str | None = None) -> str:
    return t(f"appraisal.status.{status}", lang)


def team_display(frame: pd.DataFrame) -> pd.DataFrame:
    """The team table as display strings."""
    return pd.DataFrame({
        t("appraisal.col.person"): frame["person"],
        t("appraisal.col.role"): frame["role"].fillna("–"),
        t("appraisal.col.score"): [points(x) for x in frame["score"].tolist()],
        t("appraisal.col.bonus"): [fmt.money(x) for x in frame["bonus"].tolist()],
        t("appraisal.col.previous"): [points(x) for x in frame["previous_score"].tolist()],
        t("appraisal.col.change"): [signed_points(x) for x in frame["change"].tolist()],
        t("appraisal.col.missing"): [f"{int(m)} / {int(k)}" for m, k in zip(frame["kpis_missing"], frame["kpis"])],
    })


def rule_text(k: appraisal.KpiResult, lang: str | None = None) -> str:
    """The KPI's scoring rule in words: direction, cap, floors, missing-data rule, period."""
    parts = [t("appraisal.rule.lower", lang) if k.direction == "lower" else t("appraisal.rule.higher", lang),
             t("appraisal.rule.cap", lang, cap=fmt.pct(k.cap, signed=False))]
    if k.floor_value is not None:
        key = "appraisal.rule.ceiling" if k.direction == "lower" else "appraisal.rule.floor"
        parts.append(t(key, lang, value=figure(k.metric_id, k.floor_value, lang=lang)))
    if k.min_achievement is not None:
        parts.append(t("appraisal.rule.min_achievement", lang, value=fmt.pct(k.min_achievement)))
    parts.append(t(f"appraisal.rule.missing_{k.missing_rule}", lang))
    if k.period != "month":
        parts.append(t(f"appraisal.rule.per_{k.period}", lang))
    if k.target_goal_id is not None:
        parts.append(t("appraisal.rule.from_goal", lang, goal=k.target_goal_id))
    return " · ".join(parts)


SOURCES_SHOWN = 10   # sources named in a drill-down cell; the three-tables workbook names them all


def sources_text(k: appraisal.KpiResult, lang: str | None = None) -> str:
    """Where a KPI's figure came from, in words: the first ``SOURCES_SHOWN`` sources, then how
    many more (a team KPI can rest on thousands of imports)."""
    if not k.sources:
        return t("appraisal.source.none", lang)
    lang = lang or language()
    shown = [appraisal.source_text(s, lambda key, **kw: t(key, lang, **kw)) for s in k.sources[:SOURCES_SHOWN]]
    if len(k.sources) > SOURCES_SHOWN:
        shown.append(t("appraisal.source.more", lang, count=fmt.count(len(k.sources) - SOURCES_SHOWN)))
    return "; ".join(shown)


def kpi_display(person: appraisal.PersonResult) -> pd.DataFrame:
    """The drill-down table: every KPI's figures, rule and sources."""
    lang = language()   # read once: a team KPI can name thousands of sources
    rows = []
    for k in person.kpis:
        rows.append({
            t("appraisal.col.kpi", lang): k.name,
            t("appraisal.col.metric", lang): metric_label(k.metric_id, lang),
            t("appraisal.col.scope", lang): scope_label(k.scope_text, lang),
            t("appraisal.col.target", lang): figure(k.metric_id, k.target, k.period, lang),
            t("appraisal.col.actual", lang): (figure(k.metric_id, k.actual, k.period, lang)
                                              + (" ✎" if k.corrected else "")),
            t("appraisal.col.achievement", lang): fmt.pct(k.achievement),
            t("appraisal.col.points", lang): points(k.points),
            t("appraisal.col.weight", lang): fmt.number(k.weight, 1, "%"),
            t("appraisal.col.effective_weight", lang): fmt.number(k.effective_weight, 1, "%"),
            t("appraisal.col.contribution", lang): points(k.contribution),
            t("appraisal.col.status", lang): status_label(k.status, lang),
            t("appraisal.col.rule", lang): rule_text(k, lang),
            t("appraisal.col.sources", lang): sources_text(k, lang),
        })
    return pd.DataFrame(rows)


def history_chart(frame: pd.DataFrame) -> alt.Chart:
    """Score per person over the months (points, 100 = every target met)."""
    data = frame.dropna(subset=["score"]).copy()
    data["month"] = pd.to_datetime(data["month"])
    return Chart(data).mark_line(point=True).encode(
        x=alt.X("month:T", title=t("appraisal.axis.month"), timeUnit="yearmonth",
                axis=alt.Axis(format=charts.ISO_MONTH)),
        y=alt.Y("score:Q", title=t("appraisal.axis.score")),
        color=alt.Color("person:N", title=t("appraisal.col.person")),
        tooltip=[alt.Tooltip("person:N", title=t("appraisal.col.person")),
                 alt.Tooltip("month:T", title=t("appraisal.axis.month"), timeUnit="yearmonth",
                             format=charts.ISO_MONTH),
                 alt.Tooltip("score:Q", title=t("appraisal.axis.score"), format=",.1f"),
                 alt.Tooltip("bonus:Q", title=t("appraisal.col.bonus"), format=",.2f")],
    ).properties(title=t("appraisal.history_title"), height=280)
