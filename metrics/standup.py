"""The Monday stand-up board: everything the shared screen shows, computed in one call.

* the ultimate goal's pace (``metrics.pacing.ultimate_goal``);
* every top-level goal's result in **last week** (the last complete Monday–Sunday week) against
  the week's share of its plan, behind and at-risk first, and its target for **this week**;
* the current phase's budget pace (``metrics.budget.phase_pace``);
* the best and the worst channel of last week (``metrics.channels.best_and_worst``);
* the tasks due this week, and how last week's tasks came out (``metrics.tasks``).

A goal's week (see :func:`goal_week`): the window is the week clipped to the goal's period and
to the last day with data for the goal's metric and scope (at most yesterday).

* Metrics that add up day by day (sums, counts): the week's **actual** is the metric over the
  window; the week's **plan** is the plan's cumulative amount at the window's last day minus
  the amount the day before the window (so a goal split by weekdays or a growth curve gives
  each week its own share). Status: progress = actual ÷ plan (plan ÷ actual for
  lower-is-better goals and stay-below goals), with the pacing bands — on track ≥ 99 %,
  behind 81–99 %, at risk < 81 %; a stay-at-least goal below the week's share of its floor
  is at risk.
* Levels (followers, running totals): the actual is the level at the window's end against
  the plan's level on that day; rates (conversion, open rate …) are the week's rate (a ratio
  of the week's sums) against the target. Status as in ``metrics.pacing.status_for``.

This week's target is the plan for the current week the same way (accruing: the week's share
of the plan; level: the level due on Sunday; rate: the target). For accruing goals,
``this_needed`` is what the week must bring for the goal to be back on its plan by Sunday:
the plan's cumulative amount on Sunday minus the actual to date (never below 0).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from metrics import budget, catalog, catalog_batch, channels, pacing, tasks
from metrics.alongside import alongside
from metrics.goals import Goal, load_goals, reading, scope_name, scope_of
from metrics.periods import Period, last_complete_week, week_of

WEEK_COLUMNS = ["goal_id", "title_en", "title_zh", "metric", "metric_en", "metric_zh", "unit", "rule", "pace",
                "lower_is_better", "scope_kind", "scope_name", "is_ultimate", "window_start", "window_end", "actual",
                "planned", "status", "progress", "overall_status", "this_planned", "this_needed"]
# the goal's whole-period pacing as of the day after the week (the Friday review shows them)
OVERALL_COLUMNS = ["overall_target", "overall_actual", "overall_asof", "overall_days_left"]


@dataclass
class Board:
    """What the stand-up shows on ``today``."""
    today: dt.date
    last_week: Period
    this_week: Period
    ultimate: dict | None
    goals: pd.DataFrame          # WEEK_COLUMNS, at-risk and behind first
    budget: budget.Burn | None
    channels: channels.BestAndWorst
    tasks_due: pd.DataFrame      # tasks due this week (metrics.tasks.task_frame)
    tasks_last_week: pd.DataFrame
    data_until: dt.date | None   # the latest day with any imported figure (at most yesterday)


def _is_summed(met: catalog.Metric) -> bool:
    return met.pace == "accrue" and met.kind == "simple"


def accrue_week_status(lower_is_better: bool, actual: float, planned: float,
                       floor: float | None = None) -> tuple[str, float | None]:
    """Status and progress of a week's sum against the week's plan (see the module docstring)."""
    if lower_is_better:
        progress = planned / actual if actual > 0 else (1.0 if planned >= 0 else None)
        status = "on_track" if actual <= planned else pacing.band(progress)
        return status, progress
    progress = actual / planned if planned else None
    status = "on_track" if actual >= planned else pacing.band(progress)
    if floor is not None and actual < floor:
        status = "at_risk"
    return status, progress


def goal_week(con, goal: Goal, week: Period, today: dt.date, plan=None, previous_done: bool = False) -> dict:
    """One goal's result in ``week``: window, actual, plan, status and progress (see the module
    docstring). ``status`` is 'outside' when the week and the goal's period do not meet,
    'upcoming' when nothing of the window has passed, 'no_data' without figures."""
    met = catalog.get(goal.metric)
    out = {"window_start": None, "window_end": None, "actual": None, "planned": None, "status": "outside",
           "progress": None}
    start = max(week.start, goal.start_date)
    end = min(week.end, goal.end_date)
    if start > end:
        return out
    out.update(window_start=start, window_end=end)
    limit = min(end, today - dt.timedelta(days=1))
    if limit < start:
        return {**out, "status": "upcoming"}
    plan = plan if previous_done else pacing.goal_plan(con, goal)
    if plan is None:
        return {**out, "status": "no_data"}
    scope = scope_of(con, goal)
    asof = catalog.last_data_day(con, goal.metric, scope, until=limit, since=start)   # earlier: no data either way
    if asof is None or asof < start:
        return {**out, "status": "no_data"}
    out["window_end"] = asof
    floor = goal.floor
    if floor is not None and goal.rule == "growth":
        floor = None if plan.target is None or goal.target in (None, -1) else plan.target / (1 + goal.target) * (1 + floor)
    if _is_summed(met):
        actual = catalog.value(con, goal.metric, start, asof, scope)
        planned = plan.planned(asof) - plan.planned(start - dt.timedelta(days=1))
        if actual is None:
            return {**out, "status": "no_data"}
        floor_w = None
        if floor is not None and goal.rule == "at_least":
            floor_w = floor * (plan.share_elapsed(asof) - plan.share_elapsed(start - dt.timedelta(days=1)))
        status, progress = accrue_week_status(goal.lower_is_better, actual, planned, floor_w)
        return {**out, "actual": actual, "planned": planned, "status": status, "progress": progress}
    from_day = start if met.pace == "rate" else goal.start_date
    actual = catalog.value(con, goal.metric, from_day, asof, scope)
    if actual is None:
        return {**out, "status": "no_data"}
    planned = plan.planned(asof)
    floor_now = None
    if floor is not None:
        share = plan.share_elapsed(asof)
        if met.pace == "level":
            base = plan.baseline or 0.0
            floor_now = base + (floor - base) * share
        elif met.pace == "accrue":
            floor_now = floor * share
        else:
            floor_now = floor
    status, progress = pacing.status_for(goal.rule, goal.lower_is_better, met.pace, actual, planned, plan.target,
                                         floor_now, plan.baseline)
    return {**out, "actual": actual, "planned": planned, "status": status, "progress": progress}


def week_target(con, goal: Goal, week: Period, today: dt.date, plan=None) -> tuple[float | None, float | None]:
    """(the plan for ``week``, what the week must bring to be back on plan by its end — accruing
    metrics only) for one goal; (None, None) when the week is outside the goal's period."""
    start, end = max(week.start, goal.start_date), min(week.end, goal.end_date)
    if start > end or plan is None:
        return None, None
    met = catalog.get(goal.metric)
    if not _is_summed(met):
        return plan.planned(end), None
    planned = plan.planned(end) - plan.planned(start - dt.timedelta(days=1))
    scope = scope_of(con, goal)
    asof = catalog.last_data_day(con, goal.metric, scope, until=min(today - dt.timedelta(days=1), goal.end_date),
                                  since=goal.start_date)
    to_date = 0.0
    if asof is not None and asof >= goal.start_date:
        to_date = catalog.value(con, goal.metric, goal.start_date, asof, scope) or 0.0
    needed = plan.planned(end) - to_date
    if goal.lower_is_better:
        return planned, needed  # what is left of the allowance up to Sunday (negative: already over)
    return planned, max(needed, 0.0)


def goal_weeks(con, today: dt.date, week: Period | None = None, next_week: Period | None = None) -> pd.DataFrame:
    """Every top-level goal whose period meets ``week`` (default: last complete week) or
    ``next_week`` (default: the week of ``today``): the week's result, the goal's status to
    date and the target of ``next_week``; at-risk and behind first, the ultimate goal first
    within a status."""
    week = week or last_complete_week(today)
    next_week = next_week or week_of(today)

    def row(goal: Goal) -> dict:
        met = catalog.get(goal.metric)
        plan = pacing.goal_plan(con, goal)
        result = goal_week(con, goal, week, today, plan=plan, previous_done=True)
        this_planned, this_needed = week_target(con, goal, next_week, today, plan)
        overall = pacing.pace(con, goal, min(today, week.end + dt.timedelta(days=1)))
        return {"goal_id": goal.goal_id, "title_en": goal.title("en"), "title_zh": goal.title("zh"),
                "metric": goal.metric, "metric_en": met.label_en, "metric_zh": met.label_zh, "unit": met.unit,
                "rule": goal.rule, "pace": met.pace,
                "lower_is_better": goal.lower_is_better, "scope_kind": goal.scope_kind,
                "scope_name": scope_name(con, goal.scope_kind, goal.scope_ref),
                "is_ultimate": bool(goal.is_ultimate), **result, "overall_status": overall.status,
                "this_planned": this_planned, "this_needed": this_needed,
                "overall_target": overall.target, "overall_actual": overall.actual, "overall_asof": overall.asof,
                "overall_days_left": overall.days_left}

    def hints(goal: Goal) -> tuple[list, list]:
        from metrics.catalog_batch import DayAsk
        scope = scope_of(con, goal)
        asks, days = pacing.pace_hints(con, goal, min(today, week.end + dt.timedelta(days=1)))
        yesterday = today - dt.timedelta(days=1)
        days += [DayAsk(goal.metric, scope, min(week.end, goal.end_date, yesterday), max(week.start, goal.start_date)),
                 DayAsk(goal.metric, scope, min(yesterday, goal.end_date), goal.start_date)]
        return asks, days

    with reading():
        chosen = [g for g in load_goals(con) if g.parent_goal_id is None
                  and not (g.start_date > max(week.end, next_week.end) or g.end_date < week.start)]
        rows = catalog.batched(con, chosen, row, hints=hints)
    frame = pd.DataFrame(rows, columns=WEEK_COLUMNS + OVERALL_COLUMNS)
    if frame.empty:
        return frame
    order = {**pacing.SEVERITY, "outside": len(pacing.SEVERITY)}
    frame["_sev"] = frame["status"].map(order)
    frame = frame.sort_values(["_sev", "is_ultimate", "progress", "goal_id"], ascending=[True, False, True, True],
                              na_position="last").drop(columns="_sev")
    return frame.reset_index(drop=True)


def data_until(con, today: dt.date) -> dt.date | None:
    """The latest day (before ``today``) with any imported daily figure."""
    rows = con.execute(
        """SELECT max(d) FROM (SELECT max(date) AS d FROM account_daily WHERE date < $t
                               UNION ALL SELECT max(date) FROM business_daily WHERE date < $t
                               UNION ALL SELECT max(date) FROM channel_daily WHERE date < $t
                               UNION ALL SELECT max(date) FROM spend WHERE date < $t)""", {"t": today}).fetchall()
    return rows[0][0]


def board(con, today: dt.date) -> Board:
    """Everything the stand-up shows on ``today``."""
    last = last_complete_week(today)
    this = week_of(today)
    with alongside(con, goal_weeks, today, last, this) as goals, catalog_batch.session():
        # the goals' queries run while the rest is computed
        return Board(today=today, last_week=last, this_week=this, ultimate=pacing.ultimate_goal(con, today),
                     budget=budget.phase_pace(con, today),
                     channels=channels.best_and_worst(con, last.start, last.end),
                     tasks_due=tasks.task_frame(con, today, this.start, this.end),
                     tasks_last_week=tasks.task_frame(con, today, last.start, last.end),
                     data_until=data_until(con, today), goals=goals.result())
