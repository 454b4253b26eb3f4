"""The stand-up board as HTML: a dark, high-contrast screen sized for 1920×1080 and legible from
three metres (type of 26 px and more), drawn from a ``metrics.standup.Board``.

Every text that comes from users (goal and task titles, names, channels) is HTML-escaped.
Goals and tasks beyond what fits are shown on further pages, which rotate on every refresh.
"""
from __future__ import annotations

import datetime as dt
import html
import math

from metrics import frames
from metrics.standup import Board
from ui import meeting_format as mf
from ui.labels import goal_scope_name, language, t

GOAL_ROWS = 10
TASK_ROWS = 5
BOARD_KEY = "standup_board"

STATUS_CLASS = {"on_track": "ok", "met": "ok", "behind": "warn", "awaiting_data": "muted", "at_risk": "bad",
                "missed": "bad", "no_data": "muted", "upcoming": "info", "open": "info", "outside": "muted",
                "cancelled": "muted", "over": "bad", "overspent": "bad", "under": "warn", "not_started": "info",
                "no_budget": "muted"}

# Scoped to the board's container so the same page inside the app keeps the app's theme around it.
BOARD_CSS = """
<style>
.st-key-standup_board{background:#0b0f14;color:#f2f5f8;border-radius:12px;padding:18px 26px 14px 26px;
  font-family:"Source Sans Pro","Noto Sans CJK SC","Microsoft YaHei",sans-serif;line-height:1.2}
.st-key-standup_board .sb *{box-sizing:border-box}
.sb{display:flex;flex-direction:column;gap:16px}
.sb-top{display:flex;justify-content:space-between;align-items:baseline;font-size:24px;color:#c9d1d9;gap:24px}
.sb-top b{color:#ffffff}
.sb-row{display:grid;gap:16px}
.sb-row.tiles{grid-template-columns:1fr 1fr 1.15fr}
.sb-row.main{grid-template-columns:1.45fr 1fr}
.sb-card{background:#161b22;border:2px solid #30363d;border-radius:12px;padding:14px 20px;overflow:hidden}
.sb-cap{font-size:22px;letter-spacing:.06em;text-transform:uppercase;color:#9fb0c3;display:flex;
  justify-content:space-between;align-items:center;gap:12px;white-space:nowrap}
.sb-name{font-size:30px;font-weight:700;margin:6px 0 2px 0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sb-big{font-size:58px;font-weight:800;line-height:1.05;white-space:nowrap}
.sb-big small{font-size:28px;font-weight:600;color:#c9d1d9}
.sb-line{font-size:24px;color:#dfe6ee;margin-top:6px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sb-bar{position:relative;height:16px;background:#2d333b;border-radius:8px;margin:10px 0 4px 0}
.sb-bar>i{position:absolute;left:0;top:0;bottom:0;border-radius:8px}
.sb-bar>u{position:absolute;top:-5px;bottom:-5px;width:4px;background:#ffffff}
.sb-chip{display:inline-block;font-size:22px;font-weight:700;padding:3px 12px;border-radius:999px;
  text-transform:none;letter-spacing:0;white-space:nowrap}
.sb-ok{background:#1f6f3a;color:#ffffff}.sb-warn{background:#b35900;color:#ffffff}
.sb-bad{background:#c62828;color:#ffffff}.sb-muted{background:#484f58;color:#ffffff}
.sb-info{background:#1f5fa8;color:#ffffff}
.sb-fill-ok{background:#3fb950}.sb-fill-warn{background:#f0883e}.sb-fill-bad{background:#ff6b6b}
.sb-fill-muted{background:#8b949e}.sb-fill-info{background:#58a6ff}
.sb-ch{display:grid;grid-template-columns:44px 1fr;gap:4px 10px;align-items:baseline;margin-top:8px}
.sb-ch .arrow{font-size:30px;font-weight:800}.sb-ch .up{color:#3fb950}.sb-ch .down{color:#ff6b6b}
.sb-table{width:100%;border-collapse:collapse;font-size:26px;margin:6px 0 0 0;table-layout:fixed;color:#f2f5f8}
.sb-table,.sb-table tr,.sb-table th,.sb-table td{border:none !important;background:transparent !important}
.sb-table th{font-size:20px;color:#9fb0c3;text-align:left;font-weight:600;padding:4px 8px;
  text-transform:uppercase;letter-spacing:.04em;white-space:nowrap;overflow:hidden}
.sb-table td{padding:6px 8px;border-top:1px solid #30363d !important;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sb-table td.num,.sb-table th.num{text-align:right;font-variant-numeric:tabular-nums}
.sb-table td .sub{color:#9fb0c3;font-size:20px}
.sb-table td .two{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;white-space:normal;
  overflow:hidden;line-height:1.15}
.sb-empty{font-size:26px;color:#c9d1d9;margin-top:12px}
.sb-foot{font-size:22px;color:#c9d1d9;margin-top:10px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
</style>
"""

DESIGN_WIDTH = 1800   # px of board the type sizes are set for (a 1920-wide screen less its margins)


def fit_css(design_width: int = DESIGN_WIDTH, narrowest: int = 900, step: int = 50) -> str:
    """CSS that scales the board down to the width it is given (the shared screen may be 1280
    or 1366 px wide; inside the app the menu takes its share): the board is a size container,
    and below ``design_width`` its content is zoomed to the lower end of each ``step``-px band,
    so nothing is cut off on the right and the proportions stay those of the full screen.
    Narrower than ``narrowest`` (a phone) the type would be too small to read: the board keeps
    that zoom and scrolls sideways instead."""
    rules = [".st-key-standup_board{container-type:inline-size}"]
    for low in range(design_width - step, narrowest - 1, -step):
        rules.append(f"@container (max-width:{low + step - 0.02:.2f}px){{.sb{{zoom:{low / design_width:.3f}}}}}")
    rules.append(f"@container (max-width:{narrowest - 0.02:.2f}px){{.sb{{zoom:{narrowest / design_width:.3f};"
                 f"min-width:{design_width}px}}"
                 '.st-key-standup_board [data-testid="stMarkdownContainer"]{overflow-x:auto}}')
    return "<style>\n" + "\n".join(rules) + "\n</style>\n"


# Inside the app (menu and sidebar around it): the same board, fitted to the column.
IN_APP_CSS = """
<style>
.st-key-standup_board{padding-bottom:24px}
</style>
""" + fit_css()

# Only on the stand-up URL: the whole screen dark, no header, no padding, no scroll bar needed.
KIOSK_CSS = """
<style>
html,body,.stApp,[data-testid="stAppViewContainer"],[data-testid="stMain"]{background:#0b0f14 !important}
[data-testid="stHeader"],[data-testid="stToolbar"],[data-testid="stDecoration"],
[data-testid="stSidebarCollapsedControl"],footer{display:none !important}
[data-testid="stMainBlockContainer"],.block-container{padding:14px 24px 0 24px !important;max-width:100% !important}
.stApp h1{color:#ffffff !important;font-size:40px !important;padding:0 0 4px 4px !important;margin:0 !important;
  line-height:1.15 !important}
[data-testid="stVerticalBlock"]{gap:8px !important}
.st-key-standup_board{padding:14px 22px 10px 22px}
</style>
""" + fit_css()


def esc(text) -> str:
    """User text for HTML: escaped, on one line, no markdown maths or emphasis."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    value = html.escape(" ".join(str(text).split()), quote=True)
    return value.replace("$", "&#36;").replace("*", "&#42;").replace("_", "&#95;").replace("`", "&#96;")


def chip(status: str, label: str) -> str:
    return f'<span class="sb-chip sb-{STATUS_CLASS.get(status, "muted")}">{esc(label)}</span>'


def goal_status_chip(status: str) -> str:
    key = status if status in ("on_track", "behind", "at_risk", "no_data", "upcoming") else "no_data"
    return chip(status, t("goals.status_" + key))


def bar(share: float | None, status: str, marker: float | None = None) -> str:
    """A progress bar filled to ``share`` (0–1, clipped) with an optional white marker."""
    fill = 0.0 if share is None or (isinstance(share, float) and math.isnan(share)) else min(max(share, 0.0), 1.0)
    mark = ""
    if marker is not None and not (isinstance(marker, float) and math.isnan(marker)):
        mark = f'<u style="left:calc({min(max(marker, 0.0), 1.0) * 100:.1f}% - 2px)"></u>'
    return (f'<div class="sb-bar"><i class="sb-fill-{STATUS_CLASS.get(status, "muted")}" '
            f'style="width:{fill * 100:.1f}%"></i>{mark}</div>')


def _title(row) -> str:
    return row["title_zh"] if language() == "zh" else row["title_en"]


def _metric(row) -> str:
    return row["metric_zh"] if language() == "zh" else row["metric_en"]


def _ratio(a, b) -> float | None:
    if mf.missing(a) or mf.missing(b) or not b:
        return None
    return a / b


# ------------------------------------------------------------------ tiles
def ultimate_tile(row: dict | None) -> str:
    head = f'<div class="sb-cap"><span>{esc(t("standup.ultimate"))}</span>'
    if row is None:
        return (f'<div class="sb-card">{head}</div>'
                f'<div class="sb-empty">{esc(t("standup.no_ultimate"))}</div></div>')
    unit, status = row["unit"], row["status"]
    head += goal_status_chip(status) + "</div>"
    actual, target = row["actual"], row["target"]
    lines = [f'<div class="sb-name">{esc(_title(row))}</div>',
             f'<div class="sb-big">{esc(mf.value(actual, unit, short=True))} '
             f'<small>/ {esc(mf.value(target, unit, short=True))}</small></div>']
    planned_share = _ratio(row["planned"], target) if row["pace"] != "rate" else None
    lines.append(bar(_ratio(actual, target), status, planned_share))
    lines.append('<div class="sb-line">' + esc(t("standup.ultimate_line", planned=mf.value(row["planned"], unit, short=True),
                                                  projection=mf.value(row["projection"], unit, short=True))) + "</div>")
    need = row.get("required_per_day")
    lines.append('<div class="sb-line">' + esc(
        t("standup.ultimate_need", need=mf.value(need, "number" if unit == "count" else unit, short=True),
          days=mf.count(row["days_left"])) if not mf.missing(need) else
        t("standup.days_left", days=mf.count(row["days_left"]))) + "</div>")
    return f'<div class="sb-card">{head}{"".join(lines)}</div>'


def budget_tile(burn) -> str:
    if burn is None:
        return (f'<div class="sb-card"><div class="sb-cap"><span>{esc(t("standup.budget"))}</span></div>'
                f'<div class="sb-empty">{esc(t("standup.no_budget"))}</div></div>')
    status = burn.status
    head = (f'<div class="sb-cap"><span>{esc(t("standup.budget"))}</span>'
            f'{chip(status, t("budget.status." + status))}</div>')
    lines = [f'<div class="sb-name">{esc(burn.phase_name)}</div>',
             f'<div class="sb-big">{esc(mf.value(burn.spent, "money", short=True))} '
             f'<small>/ {esc(mf.value(burn.budget, "money", short=True))} · {esc(mf.pct(_ratio(burn.spent, burn.budget)))}</small></div>',
             bar(_ratio(burn.spent, burn.budget), status, _ratio(burn.planned_to_date, burn.budget)),
             '<div class="sb-line">' + esc(t("standup.budget_line", planned=mf.value(burn.planned_to_date, "money", short=True),
                                             projected=mf.value(burn.projected, "money", short=True),
                                             share=mf.pct(burn.projected_ratio))) + "</div>",
             '<div class="sb-line">' + esc(t("standup.budget_land", daily=mf.value(burn.daily_to_land, "money"),
                                             days=mf.count(burn.days_left))) + "</div>"]
    return f'<div class="sb-card">{head}{"".join(lines)}</div>'


def _channel_line(kind: str, row: dict | None) -> str:
    arrow = '<span class="arrow up">▲</span>' if kind == "best" else '<span class="arrow down">▼</span>'
    if row is None:
        return f'{arrow}<div class="sb-line">{esc(t("standup.channel_none"))}</div>'
    rating = row.get("stability")
    rating_text = "–" if mf.missing(rating) else f"{rating:,.0f}"
    cpf = row.get("cost_per_follower")
    detail = t("standup.channel_detail", follows=mf.value(row.get("followers"), "count", short=True),
               cpf="–" if mf.missing(cpf) else mf.value(cpf, "money"), stability=rating_text)
    return (f'{arrow}<div><div class="sb-name" style="font-size:28px;margin:0">{esc(row["channel"])}</div>'
            f'<div class="sb-line" style="margin-top:2px">{esc(detail)}</div></div>')


def channels_tile(best_and_worst) -> str:
    head = f'<div class="sb-cap"><span>{esc(t("standup.channels"))}</span></div>'
    if best_and_worst.best is None and best_and_worst.worst is None:
        return f'<div class="sb-card">{head}<div class="sb-empty">{esc(t("standup.no_channels"))}</div></div>'
    body = _channel_line("best", best_and_worst.best) + _channel_line("worst", best_and_worst.worst)
    return f'<div class="sb-card">{head}<div class="sb-ch">{body}</div></div>'


# ------------------------------------------------------------------ goals and tasks
def pages(count: int, per_page: int) -> int:
    return max(1, math.ceil(count / per_page))


def _needed_text(row: dict) -> str:
    """Behind plan: what the week must bring to catch up; stay-below goals: the allowance left
    (or the overrun) when it is less than the week's plan."""
    needed, planned = row["this_needed"], row["this_planned"]
    if mf.missing(needed) or mf.missing(planned):
        return ""
    unit, margin = row["unit"], 0.01 * max(abs(planned), 1.0)
    if row["rule"] == "at_most" or row.get("lower_is_better"):
        if needed >= planned - margin:
            return ""
        key = "standup.allowance_left" if needed >= 0 else "standup.allowance_over"
        text = t(key, value=mf.value(abs(needed), unit, short=True))
    else:
        if needed <= planned + margin:
            return ""
        text = t("standup.needed", value=mf.value(needed, unit, short=True))
    return f' <span class="sub">{esc(text)}</span>'


def goals_panel(board: Board, page: int) -> str:
    frame = board.goals[board.goals["status"] != "outside"] if len(board.goals) else board.goals
    head = (f'<div class="sb-cap"><span>{esc(t("standup.goals", week=mf.span(board.last_week.start, board.last_week.end)))}'
            f'</span>')
    total = pages(len(frame), GOAL_ROWS)
    if total > 1:
        head += f'<span>{esc(t("standup.page", page=page % total + 1, pages=total))}</span>'
    head += "</div>"
    if frame.empty:
        return f'<div class="sb-card">{head}<div class="sb-empty">{esc(t("standup.no_goals"))}</div></div>'
    shown = frame.iloc[(page % total) * GOAL_ROWS:(page % total + 1) * GOAL_ROWS]
    rows = []
    for row in frames.records(shown):
        unit = row["unit"]
        this = mf.value(row["this_planned"], unit, short=True)
        this += _needed_text(row)
        name = goal_scope_name(row.get("scope_kind"), row["scope_name"])
        scope = f' <span class="sub">· {esc(name)}</span>' if name else ""
        star = "★ " if row["is_ultimate"] else ""
        rows.append(f'<tr><td>{star}{esc(_title(row))}{scope}</td>'
                    f'<td class="num">{esc(mf.value(row["actual"], unit, short=True))}</td>'
                    f'<td class="num">{esc(mf.value(row["planned"], unit, short=True))}</td>'
                    f'<td>{goal_status_chip(row["status"])}</td><td class="num">{this}</td></tr>')
    table = (f'<table class="sb-table"><colgroup><col style="width:33%"><col style="width:13%"><col style="width:13%">'
             f'<col style="width:14%"><col style="width:27%"></colgroup>'
             f'<tr><th>{esc(t("standup.col_goal"))}</th><th class="num">{esc(t("standup.col_last_week"))}</th>'
             f'<th class="num">{esc(t("standup.col_plan"))}</th><th>{esc(t("standup.col_status"))}</th>'
             f'<th class="num">{esc(t("standup.col_this_week"))}</th></tr>{"".join(rows)}</table>')
    return f'<div class="sb-card">{head}{table}</div>'


def _task_status(status: str) -> str:
    return chip(status, t("tasks.status_" + status))


def tasks_panel(board: Board, page: int) -> str:
    frame = board.tasks_due
    head = f'<div class="sb-cap"><span>{esc(t("standup.tasks", week=mf.span(board.this_week.start, board.this_week.end)))}</span>'
    total = pages(len(frame), TASK_ROWS)
    if total > 1:
        head += f'<span>{esc(t("standup.page", page=page % total + 1, pages=total))}</span>'
    head += "</div>"
    if frame.empty:
        body = f'<div class="sb-empty">{esc(t("standup.no_tasks"))}</div>'
    else:
        shown = frame.iloc[(page % total) * TASK_ROWS:(page % total + 1) * TASK_ROWS]
        rows = []
        for row in frames.records(shown):
            unit = row["unit"]
            target = mf.value(row["target"], unit, short=True)
            so_far = mf.value(row["actual"], unit, short=True)
            rows.append(f'<tr><td><div class="two">{esc(row["title"])}</div><span class="sub">{esc(row["owner"] or "–")} · '
                        f'{esc(t("standup.due", day=mf.day(row["due_date"])))}</span></td>'
                        f'<td class="num">{esc(so_far)} / {esc(target)}<br><span class="sub">'
                        f'{esc(row["metric_zh"] if language() == "zh" else row["metric_en"])}</span></td>'
                        f'<td>{_task_status(row["status"])}</td></tr>')
        body = (f'<table class="sb-table"><colgroup><col style="width:56%"><col style="width:25%">'
                f'<col style="width:19%"></colgroup>'
                f'<tr><th>{esc(t("standup.col_task"))}</th><th class="num">{esc(t("standup.col_result"))}</th>'
                f'<th>{esc(t("standup.col_status"))}</th></tr>{"".join(rows)}</table>')
    last = board.tasks_last_week
    if len(last):
        counts = last["status"].value_counts().to_dict()
        foot = t("standup.tasks_last_week", met=counts.get("met", 0), missed=counts.get("missed", 0),
                 waiting=counts.get("awaiting_data", 0) + counts.get("open", 0))
        missed = [" ".join(str(x).split()) for x in last.loc[last["status"] == "missed", "title"]]
        if missed:
            foot += " — " + t("standup.missed_list", titles="; ".join(missed))
        body += f'<div class="sb-foot">{esc(foot)}</div>'
    return f'<div class="sb-card">{head}{body}</div>'


def top_bar(board: Board, updated: dt.datetime) -> str:
    left = t("standup.weeks", last=mf.week_label(board.last_week), this=mf.week_label(board.this_week))
    right = t("standup.updated", data=mf.day(board.data_until) if board.data_until else "–", time=mf.clock(updated))
    return f'<div class="sb-top"><span>{esc(left)}</span><span class="sb-updated">{esc(right)}</span></div>'


def board_html(board: Board, updated: dt.datetime, page: int = 0) -> str:
    """The whole board (one HTML block, no blank lines so markdown leaves it alone)."""
    return ('<div class="sb">' + top_bar(board, updated)
            + '<div class="sb-row tiles">' + ultimate_tile(board.ultimate) + budget_tile(board.budget)
            + channels_tile(board.channels) + "</div>"
            + '<div class="sb-row main">' + goals_panel(board, page) + tasks_panel(board, page) + "</div></div>")
