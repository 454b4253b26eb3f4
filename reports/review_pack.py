"""The Friday review pack as files: an XLSX workbook, a self-contained HTML report (charts drawn
as inline SVG, no script, no external file) and, when Chromium is installed, a PDF printed from
that HTML.

Both are written from the same ``metrics.review.ReviewPack`` the view shows, so their figures
match it. XLSX: XlsxWriter with ``strings_to_formulas``, ``strings_to_urls`` and
``strings_to_numbers`` off and every text written with ``write_string`` — a note or a task
title starting with "=" stays text, never a live formula; figures are numbers with number
formats. HTML: every text is escaped.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import xlsxwriter

from metrics import frames
from metrics.review import ReviewPack
from ui import meeting_format as mf
from ui.labels import goal_scope_name, scope_label, t

OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
           "strings_to_numbers": False, "nan_inf_to_errors": False}
UNIT_FORMATS = {"count": "count", "money": "money", "ratio": "pct", "number": "number"}


def file_stem(pack: ReviewPack) -> str:
    """'friday-review-2026-11-16' (the week's Monday)."""
    return f"friday-review-{pack.week.start.isoformat()}"


def _na(v) -> bool:
    return mf.missing(v)


def kpi_status_label(status: str, lang: str) -> str:
    if status == "manual":
        return t("review.status_manual", lang=lang)
    return t("goals.status_" + (status if status in ("on_track", "behind", "at_risk", "upcoming") else "no_data"),
             lang=lang)


def goal_status_label(status: str, lang: str) -> str:
    if status == "outside":
        return "–"
    return t("goals.status_" + (status if status in ("on_track", "behind", "at_risk", "upcoming") else "no_data"),
             lang=lang)


def task_status_label(status: str, lang: str) -> str:
    return t("tasks.status_" + status, lang=lang)


def owner_label(row, lang: str) -> str:
    """A note's owner: the team, a role or a person's name."""
    if row["owner_kind"] == "team":
        return t("review.team", lang=lang)
    return str(row["owner"] or "–")


def goal_title(row, lang: str) -> str:
    return row["title_zh"] if lang == "zh" else row["title_en"]


def metric_label(row, lang: str) -> str:
    return row["metric_zh"] if lang == "zh" else row["metric_en"]


# ------------------------------------------------------------------ XLSX
class _Sheet:
    def __init__(self, book, name: str, formats: dict):
        self.ws = book.add_worksheet(name)
        self.f = formats
        self.row = 0

    def text(self, text: str, fmt: str = "text") -> None:
        self.ws.write_string(self.row, 0, text, self.f[fmt])
        self.row += 1

    def header(self, labels: list[str]) -> None:
        for col, label in enumerate(labels):
            self.ws.write_string(self.row, col, label, self.f["header"])
        self.row += 1

    def line(self, cells: list[tuple]) -> None:
        for col, (value, kind) in enumerate(cells):
            fmt = self.f[kind]
            if _na(value):
                self.ws.write_blank(self.row, col, None, fmt)
            elif isinstance(value, bool):
                self.ws.write_string(self.row, col, str(value), fmt)
            elif isinstance(value, (int, float)):
                self.ws.write_number(self.row, col, float(value), fmt)
            elif isinstance(value, (dt.datetime, pd.Timestamp)):
                self.ws.write_datetime(self.row, col, pd.Timestamp(value).to_pydatetime(), self.f["datetime"])
            elif isinstance(value, dt.date):
                self.ws.write_datetime(self.row, col, dt.datetime.combine(value, dt.time()), self.f["date"])
            else:
                self.ws.write_string(self.row, col, str(value), fmt)
        self.row += 1

    def widths(self, widths: list[float]) -> None:
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, width)


def _formats(book) -> dict:
    top = {"valign": "top"}
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "note": book.add_format({"italic": True, "font_color": "#555555"}),
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, **top}),
        "text": book.add_format(top),
        "wrap": book.add_format({"text_wrap": True, **top}),
        "count": book.add_format({"num_format": "#,##0", **top}),
        "number": book.add_format({"num_format": "#,##0.00", **top}),
        "money": book.add_format({"num_format": "¥#,##0.00", **top}),
        "pct": book.add_format({"num_format": "0.0%", **top}),
        "change": book.add_format({"num_format": "+0%;-0%;0%", **top}),
        "date": book.add_format({"num_format": "yyyy-mm-dd", **top}),
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm", **top}),
    }


def xlsx(pack: ReviewPack, lang: str = "en") -> bytes:
    """The pack as an XLSX workbook: summary, KPIs, goals, tasks, notes."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, OPTIONS)
    f = _formats(book)
    week = mf.week_label(pack.week, lang)

    s = _Sheet(book, t("review.sheet_summary", lang=lang), f)
    s.text(t("review.pack_title", lang=lang, week=week), "title")
    s.text(t("review.pack_made", lang=lang, day=mf.full_date(pack.today, lang),
             previous=mf.week_label(pack.previous, lang)), "note")
    if pack.workspace == "demo":
        s.text(t("review.demo_note", lang=lang), "note")
    s.row += 1
    summary = pack.summary
    s.header([t("review.col_what", lang=lang), t("review.col_count", lang=lang)])
    for status, n in summary["goals"].items():
        s.line([(t("review.summary_goals", lang=lang, status=goal_status_label(status, lang)), "text"), (n, "count")])
    for status, n in summary["tasks"].items():
        s.line([(t("review.summary_tasks", lang=lang, status=task_status_label(status, lang)), "text"), (n, "count")])
    s.widths([48, 12])

    s = _Sheet(book, t("review.sheet_kpis", lang=lang), f)
    s.header([t(k, lang=lang) for k in ("review.col_role", "review.col_person", "review.col_kpi", "review.col_scope",
                                        "review.col_days", "review.col_value", "review.col_previous",
                                        "review.col_change", "review.col_target_week", "review.col_achievement",
                                        "review.col_status")])
    for r in frames.records(pack.kpis):
        unit = UNIT_FORMATS.get(r["unit"], "number")
        s.line([(r["role"], "text"), (r["person"], "text"), (r["kpi"], "text"),
                (scope_label(r["scope_text"], lang), "text"),
                (r["days"], "count"), (r["value"], unit), (r["previous"], unit), (r["change"], "change"),
                (r["target_week"] if not r["manual"] else r["kpi_target"], unit), (r["achievement"], "pct"),
                (kpi_status_label(r["status"], lang), "text")])
    s.widths([28, 14, 30, 30, 8, 14, 14, 10, 14, 12, 14])

    s = _Sheet(book, t("review.sheet_goals", lang=lang), f)
    s.header([t(k, lang=lang) for k in ("review.col_goal", "review.col_scope", "review.col_from", "review.col_to",
                                        "review.col_week_actual", "review.col_week_plan", "review.col_week_status",
                                        "review.col_status_end", "review.col_to_date", "review.col_target")])
    for r in frames.records(pack.goals):
        unit = UNIT_FORMATS.get(r["unit"], "number")
        s.line([(goal_title(r, lang), "text"),
                (goal_scope_name(r.get("scope_kind"), r["scope_name"], lang) or t("review.team", lang=lang), "text"),
                (r["window_start"], "date"), (r["window_end"], "date"), (r["actual"], unit), (r["planned"], unit),
                (goal_status_label(r["status"], lang), "text"), (goal_status_label(r["overall_status"], lang), "text"),
                (r["to_date"], unit), (r["target"], unit)])
    s.widths([30, 26, 11, 11, 14, 14, 14, 16, 14, 14])

    s = _Sheet(book, t("review.sheet_tasks", lang=lang), f)
    s.header([t(k, lang=lang) for k in ("review.col_task", "review.col_owner", "review.col_metric", "review.col_scope",
                                        "review.col_from", "review.col_due", "review.col_target",
                                        "review.col_result", "review.col_status", "review.col_note")])
    for r in frames.records(pack.tasks):
        unit = UNIT_FORMATS.get(r["unit"], "number")
        s.line([(r["title"], "wrap"), (r["owner"], "text"), (metric_label(r, lang), "text"),
                (goal_scope_name(r["scope_kind"], r["scope_name"], lang), "text"),
                (r["start_date"], "date"), (r["due_date"], "date"), (r["target"], unit), (r["actual"], unit),
                (task_status_label(r["status"], lang), "text"), (r["note"], "wrap")])
    s.widths([40, 14, 22, 24, 11, 11, 12, 12, 14, 40])

    s = _Sheet(book, t("review.sheet_notes", lang=lang), f)
    s.header([t(k, lang=lang) for k in ("review.col_owner", "review.col_issues", "review.col_next_steps",
                                        "review.col_updated_by", "review.col_updated_at")])
    for r in frames.records(pack.notes):
        s.line([(owner_label(r, lang), "text"), (r["issues"], "wrap"), (r["next_steps"], "wrap"),
                (r["updated_by"], "text"), (r["updated_at"], "datetime")])
    s.widths([30, 60, 60, 16, 18])
    book.close()
    return out.getvalue()


# ------------------------------------------------------------------ HTML
def _e(text) -> str:
    return "" if _na(text) else html.escape(str(text), quote=True)


def _multiline(text) -> str:
    return "" if _na(text) else "<br>".join(_e(line) for line in str(text).splitlines())


STATUS_COLOURS = {"on_track": "#2e7d32", "met": "#2e7d32", "behind": "#ef6c00", "at_risk": "#c62828",
                  "missed": "#c62828", "no_data": "#757575", "awaiting_data": "#757575", "upcoming": "#1565c0",
                  "open": "#1565c0", "manual": "#6a1b9a", "cancelled": "#757575"}


def _chip(status: str, label: str) -> str:
    return f'<span class="chip" style="background:{STATUS_COLOURS.get(status, "#757575")}">{_e(label)}</span>'


def change_chart(kpis: pd.DataFrame, lang: str) -> str:
    """Inline SVG: each KPI's change on the previous week as a horizontal bar (green when it
    moved the right way, red otherwise), capped at ±200 %."""
    rows = [r for r in frames.records(kpis) if not r["manual"] and not _na(r["change"])]
    if not rows:
        return ""
    label_w, plot_w, row_h, top = 330, 520, 22, 44
    height = top + row_h * len(rows) + 40
    cap = 2.0
    zero = label_w + plot_w / 2
    scale = (plot_w / 2) / cap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + plot_w + 80}" height="{height}" '
             f'role="img" aria-label="{_e(t("review.chart_change", lang=lang))}" font-family="sans-serif" font-size="12">',
             f'<text x="0" y="16" font-size="15" font-weight="bold">{_e(t("review.chart_change", lang=lang))}</text>']
    for i, r in enumerate(rows):
        y = top + i * row_h
        change = max(min(float(r["change"]), cap), -cap)
        good = (change >= 0) != (r["direction"] == "lower")
        x = zero if change >= 0 else zero + change * scale
        label = f'{r["person"]} · {r["kpi"]}'
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{_e(label[:48])}</text>')
        parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{abs(change) * scale:.1f}" height="{row_h - 8}" '
                     f'fill="{"#2e7d32" if good else "#c62828"}"/>')
        tx = zero + change * scale + (4 if change >= 0 else -4)
        parts.append(f'<text x="{tx:.1f}" y="{y + 15}" text-anchor="{"start" if change >= 0 else "end"}">'
                     f'{_e(mf.change(r["change"], lang))}</text>')
    bottom = top + row_h * len(rows)
    parts.append(f'<line x1="{zero}" y1="{top - 4}" x2="{zero}" y2="{bottom}" stroke="#333"/>')
    for tick in (-2, -1, 0, 1, 2):
        x = zero + tick * scale
        parts.append(f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom + 5}" stroke="#333"/>'
                     f'<text x="{x}" y="{bottom + 18}" text-anchor="middle">{tick * 100:+.0f}</text>')
    parts.append(f'<text x="{zero}" y="{bottom + 34}" text-anchor="middle">{_e(t("review.axis_change", lang=lang))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def result_share(row: dict) -> float | None:
    """A goal's week: the result ÷ the week's plan (None when either is missing or the plan is 0)."""
    actual, planned = row.get("actual"), row.get("planned")
    if _na(actual) or _na(planned) or not planned:
        return None
    return float(actual) / float(planned)


def goal_chart(goals: pd.DataFrame, lang: str) -> str:
    """Inline SVG: each goal's week as the result ÷ the week's plan, with the 100 % line,
    coloured by the week's status (for stay-below goals, above 100 % is the bad side)."""
    rows = [(r, result_share(r)) for r in frames.records(goals)]
    rows = [(r, share) for r, share in rows if share is not None]
    if not rows:
        return ""
    label_w, plot_w, row_h, top = 260, 520, 22, 44
    cap = 2.0
    height = top + row_h * len(rows) + 40
    scale = plot_w / cap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + plot_w + 80}" height="{height}" '
             f'role="img" aria-label="{_e(t("review.chart_goals", lang=lang))}" font-family="sans-serif" font-size="12">',
             f'<text x="0" y="16" font-size="15" font-weight="bold">{_e(t("review.chart_goals", lang=lang))}</text>']
    for i, (r, share) in enumerate(rows):
        y = top + i * row_h
        drawn = max(min(share, cap), 0.0)
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{_e(goal_title(r, lang)[:40])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{drawn * scale:.1f}" height="{row_h - 8}" '
                     f'fill="{STATUS_COLOURS.get(r["status"], "#757575")}"/>')
        parts.append(f'<text x="{label_w + drawn * scale + 4:.1f}" y="{y + 15}">{_e(mf.pct(share, lang))}</text>')
    bottom = top + row_h * len(rows)
    x100 = label_w + scale
    parts.append(f'<line x1="{x100}" y1="{top - 4}" x2="{x100}" y2="{bottom}" stroke="#111" stroke-dasharray="4 3"/>')
    for tick in (0, 0.5, 1, 1.5, 2):
        x = label_w + tick * scale
        parts.append(f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom + 5}" stroke="#333"/>'
                     f'<text x="{x}" y="{bottom + 18}" text-anchor="middle">{tick * 100:.0f}</text>')
    parts.append(f'<text x="{label_w + plot_w / 2}" y="{bottom + 34}" text-anchor="middle">'
                 f'{_e(t("review.axis_goals", lang=lang))}</text>')
    parts.append("</svg>")
    return "".join(parts)


HTML_CSS = """
body{font-family:"Source Sans Pro","Noto Sans CJK SC","Microsoft YaHei",Arial,sans-serif;color:#1b1f24;
  margin:24px auto;max-width:1200px;padding:0 16px;font-size:14px}
h1{font-size:26px;margin:0 0 4px 0}h2{font-size:19px;margin:28px 0 8px 0;border-bottom:2px solid #d0d7de}
h3{font-size:16px;margin:18px 0 6px 0}
.meta{color:#57606a}.demo{background:#fff8c5;padding:6px 10px;border-radius:6px;display:inline-block}
table{border-collapse:collapse;width:100%;margin:6px 0 12px 0}
th{background:#ddebf7;text-align:left;padding:5px 7px;border:1px solid #c8d1da;font-weight:600}
td{padding:5px 7px;border:1px solid #d8dee4;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.chip{color:#fff;border-radius:10px;padding:1px 8px;font-size:12px;white-space:nowrap}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #d0d7de;border-radius:8px;padding:8px 14px}
.card b{font-size:22px;display:block}
svg{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
@page{size:A4 landscape;margin:12mm}
"""


def _table(headers: list[tuple[str, bool]], rows: list[list[tuple[str, bool]]]) -> str:
    """``headers``/``rows``: (html, numeric) cells (already escaped)."""
    head = "".join(f'<th class="num">{h}</th>' if num else f"<th>{h}</th>" for h, num in headers)
    body = "".join("<tr>" + "".join(f'<td class="num">{c}</td>' if num else f"<td>{c}</td>" for c, num in row)
                   + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def kpi_cells(r: dict, lang: str) -> dict[str, str]:
    """A KPI row's figures as shown in the view and the HTML (one formatting for both)."""
    unit = r["unit"]
    if r["manual"]:
        return {"value": mf.value(r["value"], unit, lang), "previous": "–", "change": "–",
                "target": mf.value(r["kpi_target"], unit, lang), "achievement": "–",
                "status": kpi_status_label("manual", lang)}
    return {"value": mf.value(r["value"], unit, lang), "previous": mf.value(r["previous"], unit, lang),
            "change": mf.change(r["change"], lang), "target": mf.value(r["target_week"], unit, lang),
            "achievement": mf.pct(r["achievement"], lang), "status": kpi_status_label(r["status"], lang)}


def html_report(pack: ReviewPack, lang: str = "en") -> str:
    """The pack as one self-contained HTML page (inline CSS and SVG; nothing loaded from elsewhere)."""
    week = mf.week_label(pack.week, lang)
    out = [f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
           f"<title>{_e(t('review.pack_title', lang=lang, week=week))}</title><style>{HTML_CSS}</style></head><body>",
           f"<h1>{_e(t('review.pack_title', lang=lang, week=week))}</h1>",
           f'<p class="meta">{_e(t("review.pack_made", lang=lang, day=mf.full_date(pack.today, lang), previous=mf.week_label(pack.previous, lang)))}</p>']
    if pack.workspace == "demo":
        out.append(f'<p class="demo">{_e(t("review.demo_note", lang=lang))}</p>')
    summary = pack.summary
    cards = [(t("goals.status_" + s, lang=lang), summary["goals"][s], s) for s in ("at_risk", "behind", "on_track")]
    cards += [(t("tasks.status_" + s, lang=lang), summary["tasks"][s], s) for s in ("met", "missed", "open")]
    out.append('<div class="cards">' + "".join(
        f'<div class="card"><b style="color:{STATUS_COLOURS.get(s, "#333")}">{n}</b>{_e(label)}</div>'
        for label, n, s in cards) + "</div>")

    out.append(f"<h2>{_e(t('review.tab_kpis', lang=lang))}</h2>")
    out.append(f'<p class="meta">{_e(t("review.kpi_note", lang=lang))}</p>')
    out.append(change_chart(pack.kpis, lang))
    headers = [(_e(t(k, lang=lang)), num) for k, num in (
        ("review.col_person", False), ("review.col_kpi", False), ("review.col_value", True),
        ("review.col_previous", True), ("review.col_change", True), ("review.col_target_week", True),
        ("review.col_achievement", True), ("review.col_status", False))]
    for role, group in pack.kpis.groupby("role", sort=False, dropna=False):
        out.append(f"<h3>{_e(role if not _na(role) else t('review.no_role', lang=lang))}</h3>")
        rows = []
        for r in frames.records(group):
            c = kpi_cells(r, lang)
            rows.append([(_e(r["person"]), False), (_e(r["kpi"]) + f'<br><span class="meta">{_e(scope_label(r["scope_text"], lang))}</span>', False),
                         (_e(c["value"]), True), (_e(c["previous"]), True), (_e(c["change"]), True),
                         (_e(c["target"]), True), (_e(c["achievement"]), True),
                         (_chip(r["status"], c["status"]), False)])
        out.append(_table(headers, rows))

    out.append(f"<h2>{_e(t('review.tab_goals', lang=lang))}</h2>")
    out.append(goal_chart(pack.goals, lang))
    rows = []
    for r in frames.records(pack.goals):
        unit = r["unit"]
        scope = goal_scope_name(r.get("scope_kind"), r["scope_name"], lang) or t("review.team", lang=lang)
        rows.append([(_e(goal_title(r, lang)), False), (_e(scope), False),
                     (_e(mf.value(r["actual"], unit, lang)), True), (_e(mf.value(r["planned"], unit, lang)), True),
                     (_chip(r["status"], goal_status_label(r["status"], lang)), False),
                     (_chip(r["overall_status"], goal_status_label(r["overall_status"], lang)), False),
                     (_e(mf.value(r["to_date"], unit, lang)), True), (_e(mf.value(r["target"], unit, lang)), True)])
    out.append(_table([(_e(t(k, lang=lang)), num) for k, num in (
        ("review.col_goal", False), ("review.col_scope", False), ("review.col_week_actual", True),
        ("review.col_week_plan", True), ("review.col_week_status", False), ("review.col_status_end", False),
        ("review.col_to_date", True), ("review.col_target", True))], rows))

    out.append(f"<h2>{_e(t('review.tab_tasks', lang=lang))}</h2>")
    if pack.tasks.empty:
        out.append(f"<p>{_e(t('review.no_tasks', lang=lang))}</p>")
    else:
        rows = []
        for r in frames.records(pack.tasks):
            unit = r["unit"]
            rows.append([(_e(r["title"]) + (f'<br><span class="meta">{_e(r["note"])}</span>' if not _na(r["note"]) else ""), False),
                         (_e(r["owner"]), False), (_e(metric_label(r, lang)) + f'<br><span class="meta">{_e(goal_scope_name(r["scope_kind"], r["scope_name"], lang))}</span>', False),
                         (_e(mf.span(r["start_date"], r["due_date"], lang)), False),
                         (_e(mf.value(r["target"], unit, lang)), True), (_e(mf.value(r["actual"], unit, lang)), True),
                         (_chip(r["status"], task_status_label(r["status"], lang)), False)])
        out.append(_table([(_e(t(k, lang=lang)), num) for k, num in (
            ("review.col_task", False), ("review.col_owner", False), ("review.col_metric", False),
            ("review.col_window", False), ("review.col_target", True), ("review.col_result", True),
            ("review.col_status", False))], rows))

    out.append(f"<h2>{_e(t('review.tab_notes', lang=lang))}</h2>")
    rows = [[(_e(owner_label(r, lang)), False), (_multiline(r["issues"]), False), (_multiline(r["next_steps"]), False)]
            for r in frames.records(pack.notes) if not (_na(r["issues"]) and _na(r["next_steps"]))]
    if rows:
        out.append(_table([(_e(t(k, lang=lang)), False) for k in ("review.col_owner", "review.col_issues",
                                                                  "review.col_next_steps")], rows))
    else:
        out.append(f"<p>{_e(t('review.no_notes', lang=lang))}</p>")
    out.append("</body></html>")
    return "".join(out)


# ------------------------------------------------------------------ PDF
def chromium() -> str | None:
    """The Chromium executable, or None when it is not installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf(report_html: str, timeout: float = 60.0) -> bytes | None:
    """The HTML report printed to PDF by headless Chromium (None when Chromium is missing or fails)."""
    exe = chromium()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="review_pdf_") as folder:
        source, target = Path(folder) / "review.html", Path(folder) / "review.pdf"
        source.write_text(report_html, encoding="utf-8")
        try:
            subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--no-first-run", f"--user-data-dir={folder}/profile", "--no-pdf-header-footer",
                            f"--print-to-pdf={target}", source.as_uri()],
                           check=False, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return target.read_bytes() if target.exists() and target.stat().st_size else None
