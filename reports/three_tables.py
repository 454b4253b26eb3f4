"""The three tables that run the team, as one XLSX workbook: budget, appraisal, job descriptions.

Written with XlsxWriter with ``strings_to_formulas``, ``strings_to_urls`` and
``strings_to_numbers`` off, and every text cell written with ``write_string``: a title such
as "=HYPERLINK(…)" stays text and never becomes a live formula or link. Figures are numbers
with number formats, so the sheet adds up and matches the views.

- Budget: every phase's budget lines — planned, spent up to the end of the month (never past
  yesterday), remaining, results of the channels paid for and cost per result (the Budget
  view's figures, ``metrics.budget``). Without budget lines it lists the spend ledger grouped
  by its budget-line names.
- Appraisal: the month's team table and every KPI's breakdown with its sources (frozen when
  the month is locked).
- Job descriptions: roles with headcount, the phase they are needed by, the people in them,
  responsibilities, requirements and the KPI set.
"""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import xlsxwriter

from metrics import appraisal, catalog, team
from ui.labels import scope_label, t

OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
           "strings_to_numbers": False, "nan_inf_to_errors": False}


def _na(v) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


class _Sheet:
    """A worksheet written row by row with typed cells."""

    def __init__(self, book: xlsxwriter.Workbook, name: str, formats: dict):
        self.ws = book.add_worksheet(name)
        self.f = formats
        self.row = 0

    def title(self, text: str, subtitle: str | None = None) -> None:
        self.ws.write_string(self.row, 0, text, self.f["title"])
        self.row += 1
        if subtitle:
            self.ws.write_string(self.row, 0, subtitle, self.f["note"])
            self.row += 1
        self.row += 1

    def header(self, labels: list[str]) -> None:
        for col, label in enumerate(labels):
            self.ws.write_string(self.row, col, label, self.f["header"])
        self.row += 1

    def line(self, cells: list[tuple], bold: bool = False) -> None:
        """``cells``: (value, format name) pairs; strings always as text, numbers as numbers."""
        for col, (value, kind) in enumerate(cells):
            fmt = self.f[f"{kind}_bold"] if bold and f"{kind}_bold" in self.f else self.f[kind]
            if _na(value):
                self.ws.write_blank(self.row, col, None, fmt)
            elif isinstance(value, bool):
                self.ws.write_string(self.row, col, str(value), fmt)
            elif isinstance(value, (int, float)):
                self.ws.write_number(self.row, col, float(value), fmt)
            elif isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
                self.ws.write_string(self.row, col, str(value)[:10], fmt)
            else:
                self.ws.write_string(self.row, col, str(value), fmt)
        self.row += 1

    def gap(self) -> None:
        self.row += 1


def _formats(book: xlsxwriter.Workbook) -> dict:
    base = {"valign": "top"}
    out = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "note": book.add_format({"italic": True, "font_color": "#555555"}),
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                   "valign": "top"}),
        "text": book.add_format(base),
        "wrap": book.add_format({**base, "text_wrap": True}),
        "money": book.add_format({**base, "num_format": "¥#,##0.00"}),
        "count": book.add_format({**base, "num_format": "#,##0"}),
        "number": book.add_format({**base, "num_format": "#,##0.00"}),
        "pct": book.add_format({**base, "num_format": "0.0%"}),
        "points": book.add_format({**base, "num_format": "0.0"}),
    }
    for name in ("text", "money", "count", "number", "pct", "points"):
        out[f"{name}_bold"] = book.add_format({**base, "bold": True, "top": 1,
                                               **({"num_format": out[name].num_format} if name != "text" else {})})
    return out


# ------------------------------------------------------------------ budget
def budget_rows(con, month: dt.date, today: dt.date) -> tuple[pd.DataFrame, dt.date, bool]:
    """(rows, as-of day, True when taken from budget lines) for the budget sheet."""
    as_of = min(appraisal.month_period(month).end, today - dt.timedelta(days=1))
    has_lines = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'budget_lines'").fetchall()[0][0]
    if has_lines and con.execute("SELECT count(*) FROM budget_lines").fetchall()[0][0]:
        from metrics import budget
        frames = []
        for phase in budget.phase_choices(con).itertuples():
            lines = budget.line_burns(con, int(phase.phase_id), as_of)
            if lines.empty:
                continue
            start, end = pd.Timestamp(phase.start_date).date(), pd.Timestamp(phase.end_date).date()
            limit = min(as_of, end)
            if limit >= start:
                costs = budget.costs_by_line(con, start, limit, start, limit)
                costs = costs[["budget_line", "followers", "registrations", "cost_per_follower",
                               "cost_per_registration"]].rename(columns={"budget_line": "item"})
                lines = lines.merge(costs, on="item", how="left")
            else:
                for c in ("followers", "registrations", "cost_per_follower", "cost_per_registration"):
                    lines[c] = None
            lines.insert(0, "phase", phase.name)
            frames.append(lines)
        if frames:
            return pd.concat(frames, ignore_index=True), as_of, True
    spent = con.execute(
        """SELECT budget_line AS item, sum(amount) AS spent, min(date) AS first, max(date) AS last
           FROM spend WHERE date <= ? GROUP BY budget_line ORDER BY spent DESC, item""", [as_of]).df()
    return spent, as_of, False


def _budget_sheet(book, formats, con, month, today, lang) -> None:
    s = _Sheet(book, t("appraisal.xlsx.sheet_budget", lang=lang), formats)
    rows, as_of, from_lines = budget_rows(con, month, today)
    s.title(t("appraisal.xlsx.budget_title", lang=lang), t("appraisal.xlsx.budget_note", lang=lang,
                                                          as_of=as_of.isoformat()))
    if rows.empty:
        s.line([(t("appraisal.xlsx.none", lang=lang), "note")])
        return
    if not from_lines:
        s.header([t("appraisal.xlsx.col.line", lang=lang), t("appraisal.xlsx.col.spent", lang=lang),
                  t("appraisal.xlsx.col.first", lang=lang), t("appraisal.xlsx.col.last", lang=lang)])
        for r in rows.itertuples():
            s.line([(r.item, "text"), (r.spent, "money"), (r.first, "text"), (r.last, "text")])
        s.gap()
        s.line([(t("appraisal.xlsx.no_lines", lang=lang), "note")])
        s.ws.set_column(0, 0, 36)
        s.ws.set_column(1, 3, 14)
        return
    s.header([t(f"appraisal.xlsx.col.{c}", lang=lang) for c in
              ("phase", "line", "category", "channel", "importance", "planned", "spent", "remaining",
               "share_spent", "followers", "cost_per_follower", "registrations", "cost_per_registration",
               "target_cost_per_follower")])
    for phase, group in rows.groupby("phase", sort=False):
        for r in group.itertuples():
            s.line([(r.phase, "text"), (r.item, "text"), (r.category, "text"), (r.channel, "text"),
                    (r.importance if not _na(r.importance) else t("appraisal.xlsx.unplanned", lang=lang), "text"),
                    (r.amount, "money"), (r.spent, "money"), (r.remaining, "money"), (r.share_spent, "pct"),
                    (r.followers, "count"), (r.cost_per_follower, "money"), (r.registrations, "count"),
                    (r.cost_per_registration, "money"), (r.target_cost_per_follower, "money")])
        planned = group["amount"].sum(min_count=1)
        spent = group["spent"].sum(min_count=1)
        s.line([(t("appraisal.xlsx.total", lang=lang, what=phase), "text"), (None, "text"), (None, "text"),
                (None, "text"), (None, "text"), (planned, "money"), (spent, "money"),
                (None if _na(planned) else planned - (group.loc[group["amount"].notna(), "spent"].sum()), "money")],
               bold=True)
        s.gap()
    s.ws.set_column(0, 0, 16)
    s.ws.set_column(1, 1, 34)
    s.ws.set_column(2, 4, 14)
    s.ws.set_column(5, 13, 13)
    s.ws.freeze_panes(3, 2)


# ------------------------------------------------------------------ appraisal
def _unit_format(metric_id: str) -> str:
    unit = catalog.METRICS[metric_id].unit if metric_id in catalog.METRICS else "number"
    return {"ratio": "pct", "money": "money", "count": "number"}.get(unit, "number")


def _source_words(sources: list[dict], lang: str) -> str:
    if not sources:
        return t("appraisal.source.none", lang=lang)
    return "; ".join(appraisal.source_text(x, lambda key, **kw: t(key, lang=lang, **kw)) for x in sources)


def _rule_words(k: appraisal.KpiResult, lang: str) -> str:
    parts = [t("appraisal.rule.lower" if k.direction == "lower" else "appraisal.rule.higher", lang=lang),
             t("appraisal.rule.cap", lang=lang, cap=f"{k.cap * 100:.0f} %")]
    if k.floor_value is not None:
        key = "appraisal.rule.ceiling" if k.direction == "lower" else "appraisal.rule.floor"
        parts.append(t(key, lang=lang, value=f"{k.floor_value:g}"))
    if k.min_achievement is not None:
        parts.append(t("appraisal.rule.min_achievement", lang=lang, value=f"{k.min_achievement * 100:.0f} %"))
    parts.append(t(f"appraisal.rule.missing_{k.missing_rule}", lang=lang))
    if k.period != "month":
        parts.append(t(f"appraisal.rule.per_{k.period}", lang=lang))
    if k.target_goal_id is not None:
        parts.append(t("appraisal.rule.from_goal", lang=lang, goal=k.target_goal_id))
    return " · ".join(parts)


def _appraisal_sheet(book, formats, con, month, lang) -> None:
    s = _Sheet(book, t("appraisal.xlsx.sheet_appraisal", lang=lang), formats)
    label = month.strftime("%Y-%m")
    lock = appraisal.lock_info(con, month)
    scores = appraisal.month_scores(con, month, with_sources=True)
    previous = appraisal.month_scores(con, appraisal.month_period(month).previous().start)
    if lock:
        note = t("appraisal.xlsx.locked", lang=lang, revision=lock["revision_id"], who=lock["who"],
                 at=str(lock["made_at"])[:16])
    else:
        note = t("appraisal.xlsx.live", lang=lang)
    s.title(t("appraisal.xlsx.appraisal_title", lang=lang, month=label), note)
    if not scores.people:
        s.line([(t("appraisal.xlsx.none", lang=lang), "note")])
        return
    frame = appraisal.team_frame(scores, previous)
    s.header([t(f"appraisal.xlsx.col.{c}", lang=lang) for c in
              ("person", "role", "score", "bonus_base", "bonus", "previous", "change", "missing")])
    for r in frame.itertuples():
        s.line([(r.person, "text"), (r.role, "text"), (r.score, "points"), (r.bonus_base, "money"),
                (r.bonus, "money"), (r.previous_score, "points"), (r.change, "points"), (r.kpis_missing, "count")])
    s.line([(t("appraisal.xlsx.total", lang=lang, what=label), "text"), (None, "text"), (None, "points"),
            (None, "money"), (frame["bonus"].sum(min_count=1), "money")], bold=True)
    s.gap()
    s.line([(t("appraisal.xlsx.breakdown", lang=lang), "title")])
    s.header([t(f"appraisal.xlsx.col.{c}", lang=lang) for c in
              ("person", "role", "kpi", "metric", "scope", "target", "actual", "achievement", "points", "weight",
               "effective_weight", "contribution", "status", "rule", "sources")])
    for p in scores.people:
        for k in p.kpis:
            unit = _unit_format(k.metric_id)
            s.line([(p.name, "text"), (p.role, "text"), (k.name, "text"), (k.metric_id, "text"),
                    (scope_label(k.scope_text, lang), "text"), (k.target, unit), (k.actual, unit), (k.achievement, "pct"),
                    (k.points, "points"), (k.weight / 100, "pct"), (k.effective_weight / 100, "pct"),
                    (k.contribution, "points"), (t(f"appraisal.status.{k.status}", lang=lang), "text"),
                    (_rule_words(k, lang), "text"), (_source_words(k.sources, lang), "text")])
        s.line([(p.name, "text"), (p.role, "text"), (t("appraisal.xlsx.score", lang=lang), "text"), (None, "text"),
                (None, "text"), (None, "number"), (None, "number"), (None, "pct"), (None, "points"),
                (sum(k.weight for k in p.kpis) / 100, "pct"), (None, "pct"), (p.score, "points")], bold=True)
    s.ws.set_column(0, 1, 22)
    s.ws.set_column(2, 4, 26)
    s.ws.set_column(5, 12, 12)
    s.ws.set_column(13, 14, 60)


# ------------------------------------------------------------------ job descriptions
def job_rows(con, today: dt.date) -> pd.DataFrame:
    """Per role: headcount, phase needed by, people with start dates, description and KPI set."""
    timeline = team.hiring_timeline(con, today)
    roles = team.roles(con).set_index("role_id")
    people = team.people(con, active_only=True)
    rows = []
    for r in timeline.itertuples():
        role = roles.loc[r.role_id]
        staff = ", ".join(f"{p.name} ({p.start_date.isoformat() if p.start_date else '–'})"
                          for p in people if p.role_id == r.role_id)
        kpis = team.kpi_set(con, role_id=int(r.role_id))
        kpi_text = "; ".join(f"{k.name} {k.weight:g} %" for k in kpis.itertuples())
        for p in people:
            own = team.kpi_set(con, person_id=p.person_id) if p.role_id == r.role_id else None
            if own is not None and len(own):
                kpi_text += ("\n" if kpi_text else "") + f"{p.name}: " + "; ".join(
                    f"{k.name} {k.weight:g} %" for k in own.itertuples())
        rows.append({"role": r.role, "code": role["code"], "headcount": r.headcount, "filled": r.filled,
                     "phase": r.phase if not _na(r.phase) else r.phase_code, "needed_by": r.needed_by,
                     "status": r.status, "people": staff, "responsibilities": role["responsibilities"],
                     "requirements": role["requirements"],
                     "kpis": kpi_text})
    return pd.DataFrame(rows)


def _jobs_sheet(book, formats, con, today, lang) -> None:
    s = _Sheet(book, t("appraisal.xlsx.sheet_jobs", lang=lang), formats)
    s.title(t("appraisal.xlsx.jobs_title", lang=lang))
    rows = job_rows(con, today)
    if rows.empty:
        s.line([(t("appraisal.xlsx.none", lang=lang), "note")])
        return
    s.header([t(f"appraisal.xlsx.col.{c}", lang=lang) for c in
              ("role", "headcount", "filled", "phase", "needed_by", "hiring_status", "people", "responsibilities",
               "requirements", "kpis")])
    for r in rows.itertuples():
        s.line([(r.role, "wrap"), (r.headcount, "count"), (r.filled, "count"), (r.phase, "text"),
                (r.needed_by, "text"), (t(f"team.hiring.{r.status}", lang=lang), "text"), (r.people, "wrap"),
                (r.responsibilities, "wrap"), (r.requirements, "wrap"), (r.kpis, "wrap")])
    s.ws.set_column(0, 0, 24)
    s.ws.set_column(1, 5, 12)
    s.ws.set_column(6, 6, 26)
    s.ws.set_column(7, 8, 70)
    s.ws.set_column(9, 9, 40)


def workbook(con, month: dt.date, today: dt.date, lang: str = "en") -> bytes:
    """The three tables for ``month`` as XLSX bytes (sheet and column names in ``lang``)."""
    month = appraisal.month_period(month).start
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, OPTIONS)
    formats = _formats(book)
    _budget_sheet(book, formats, con, month, today, lang)
    _appraisal_sheet(book, formats, con, month, lang)
    _jobs_sheet(book, formats, con, today, lang)
    book.close()
    return buffer.getvalue()
