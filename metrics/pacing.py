"""Pacing: where every goal stands today, where it is heading, and its status.

For each goal:
- **as of**: the last day with data for the goal's metric and scope, at most yesterday and
  at most the period's end (data arrives in weekly uploads; a day without an export is not
  counted as a zero);
- **actual to date**: the metric over start..as-of (a ratio of sums for rates);
- **pro-rated target** (*planned*): the goal's plan on the as-of day, respecting its
  decomposition (even, weekday weights, growth curve or custom parts; see
  ``metrics.decomposition``): the planned cumulative amount (accruing metrics), the planned
  level from the level before the period (followers, running totals), or the target itself
  (rates);
- **projection** at the period's end, method stated in ``projection_method``:
  ``linear`` — accruing metrics: actual + (actual ÷ elapsed days) × days left;
  ``linear_level`` — levels: baseline + the gain so far × (all days ÷ elapsed days);
  ``rate_so_far`` — rates: the rate so far is the projection;
- **required run-rate**: what each remaining day must bring: (target − actual) ÷ days left
  (accruing and level goals; for a per-day rate: the average the remaining days need);
- **status**, with these bands:
  reach / growth (higher is better): progress = actual ÷ pro-rated target (for levels, the
  gain since the period began ÷ the planned gain) — **on track ≥ 99 %**, **behind 81–99 %**,
  **at risk < 81 %**; a goal whose whole target is already reached is on track; below a
  floor (pro-rated like the target) is at risk whatever the band.
  stay at least (e.g. order conversion ≥ 8 %): the rule itself — on track when actual ≥ the
  target, behind when below it but at or above the floor, at risk below the floor (or below
  the target when there is no floor).
  stay at most (e.g. cost per follower ≤ ¥5, spend ≤ budget): on track when actual ≤ the
  pro-rated allowance (for amounts that accrue) or ≤ the target (rates), behind when over
  the pro-rated allowance but not yet over the whole target (or within the limit set as
  floor), at risk when over.
  reach on a lower-is-better metric: progress = pro-rated target ÷ actual, same bands.
  ``no_data`` — nothing measured yet (or no previous period for a growth goal);
  ``upcoming`` — the period has not started.
  A growth goal's target is the previous period's value × (1 + growth).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import pandas as pd

from metrics import catalog
from metrics.decomposition import Plan
from metrics.goals import (Goal, children, get_goal, load_goals, phases, previous_period, reading, scope_name,
                          scope_of)
from metrics.periods import Period

ON_TRACK_AT = 0.99
AT_RISK_BELOW = 0.81
STATUSES = ("at_risk", "behind", "on_track", "no_data", "upcoming")
SEVERITY = {s: i for i, s in enumerate(STATUSES)}


@dataclass
class Pace:
    goal_id: int | None
    metric: str
    rule: str
    pace: str
    start: dt.date
    end: dt.date
    asof: dt.date | None
    days_total: int
    days_elapsed: int
    days_left: int
    target: float | None            # effective target (growth goals: previous × (1 + growth))
    floor: float | None             # effective floor
    baseline: float | None          # level before the period (levels) or previous value (growth)
    actual: float | None
    planned: float | None           # pro-rated target on the as-of day
    planned_floor: float | None
    ratio: float | None             # progress (see the bands)
    projection: float | None
    projection_method: str
    required_per_day: float | None
    status: str
    finished: bool
    note: str = ""


def band(progress: float | None) -> str:
    """on_track ≥ 99 %, behind 81–99 %, at_risk < 81 % (None: on track, nothing was due)."""
    if progress is None:
        return "on_track"
    if progress >= ON_TRACK_AT:
        return "on_track"
    if progress >= AT_RISK_BELOW:
        return "behind"
    return "at_risk"


def status_for(rule: str, lower_is_better: bool, pace: str, actual: float, planned: float, target: float,
               floor_now: float | None = None, baseline: float | None = None) -> tuple[str, float | None]:
    """The status and the progress ratio for one goal on its as-of day (see the module bands)."""
    if rule == "at_least":
        ratio = actual / planned if planned else None
        if actual >= planned:
            return "on_track", ratio
        if floor_now is not None and actual >= floor_now:
            return "behind", ratio
        return "at_risk", ratio
    if rule == "at_most":
        ratio = actual / planned if planned else None
        allowance = planned if pace == "accrue" else target
        if actual <= allowance:
            return "on_track", ratio
        if (pace == "accrue" and actual <= target) or (floor_now is not None and actual <= floor_now):
            return "behind", ratio
        return "at_risk", ratio
    if lower_is_better:
        ratio = planned / actual if actual > 0 else (None if planned == 0 else 1.0)
        status = "on_track" if actual <= target else band(ratio)
        if floor_now is not None and actual > floor_now:
            status = "at_risk"
        return status, ratio
    if pace == "level" and baseline is not None and planned > baseline:
        ratio = (actual - baseline) / (planned - baseline)
    else:
        ratio = actual / planned if planned else None
    status = "on_track" if actual >= target else band(ratio)  # the whole target is already reached
    if floor_now is not None and actual < floor_now:
        status = "at_risk"
    return status, ratio


def _plan_for(goal: Goal, target: float, baseline: float | None, pace: str) -> Plan:
    return Plan(target=target, start=goal.start_date, end=goal.end_date, pace=pace, mode=goal.split_mode or "even",
                curve_growth=goal.curve_growth, weekday_weights=goal.weekday_weights,
                parts=list(goal.parts or []), baseline=baseline)


def baseline_level(con, goal: Goal) -> float | None:
    """The level before the goal's period (each account's last value before it starts)."""
    return catalog.value(con, goal.metric, catalog.FIRST_DAY, goal.start_date - dt.timedelta(days=1),
                         scope_of(con, goal))


def goal_plan(con, goal: Goal, previous: float | None = None) -> Plan | None:
    """The goal's plan over its period with the effective target (None: a growth goal
    without a previous value)."""
    met = catalog.get(goal.metric)
    pace = met.pace
    target = goal.target
    if goal.rule == "growth":
        if previous is None:
            p_start, p_end = previous_period(goal.start_date, goal.end_date)
            previous = catalog.value(con, goal.metric, p_start, p_end, scope_of(con, goal))
        if previous is None:
            return None
        target = previous * (1 + goal.target)
    baseline = baseline_level(con, goal) if pace == "level" else None
    return _plan_for(goal, target, baseline, pace)


def pace(con, goal: Goal, today: dt.date) -> Pace:
    """Pacing of ``goal`` on ``today`` (see the module docstring for every rule)."""
    met = catalog.get(goal.metric)
    scope = scope_of(con, goal)
    start, end = goal.start_date, goal.end_date
    total = (end - start).days + 1
    base = dict(goal_id=goal.goal_id, metric=goal.metric, rule=goal.rule, pace=met.pace, start=start, end=end,
                days_total=total)
    previous = None
    if goal.rule == "growth":
        p_start, p_end = previous_period(start, end)
        previous = catalog.value(con, goal.metric, p_start, p_end, scope)
    plan = goal_plan(con, goal, previous)
    target = plan.target if plan else None
    floor = goal.floor
    if floor is not None and goal.rule == "growth":
        floor = None if previous is None else previous * (1 + floor)
    baseline = previous if goal.rule == "growth" else (plan.baseline if plan else None)
    empty = dict(asof=None, days_elapsed=0, days_left=total, target=target, floor=floor, baseline=baseline,
                 actual=None, planned=None, planned_floor=None, ratio=None, projection=None,
                 projection_method=_method(met.pace), required_per_day=None, finished=False)
    if today <= start:
        return Pace(**base, **empty, status="upcoming")
    limit = min(today - dt.timedelta(days=1), end)
    last = catalog.last_data_day(con, goal.metric, scope, until=limit, since=start)  # earlier days: no data either way
    if last is None or last < start:
        return Pace(**base, **empty, status="no_data", note="no_data")
    if plan is None:
        return Pace(**base, **{**empty, "asof": last}, status="no_data", note="no_previous")
    asof = last
    elapsed = (asof - start).days + 1
    left = (end - asof).days
    finished = today > end and asof == end
    actual = catalog.value(con, goal.metric, start, asof, scope)
    planned = plan.planned(asof)
    share = plan.share_elapsed(asof)
    planned_floor = None
    if floor is not None:
        if met.pace == "accrue":
            planned_floor = floor * share
        elif met.pace == "level":
            planned_floor = (baseline or 0.0) + (floor - (baseline or 0.0)) * share
        else:
            planned_floor = floor
    if actual is None:
        return Pace(**base, **{**empty, "asof": asof, "days_elapsed": elapsed, "days_left": left,
                               "planned": planned, "planned_floor": planned_floor}, status="no_data", note="no_data")
    status, ratio = status_for(goal.rule, goal.lower_is_better, met.pace, actual, planned, target,
                               planned_floor, plan.baseline)
    projection, required = _project(met, plan, actual, elapsed, left, total, clip=not goal.lower_is_better)
    return Pace(**base, asof=asof, days_elapsed=elapsed, days_left=left, target=target, floor=floor,
                baseline=baseline, actual=actual, planned=planned, planned_floor=planned_floor, ratio=ratio,
                projection=projection, projection_method=_method(met.pace), required_per_day=required,
                status=status, finished=finished)


def pace_hints(con, goal: Goal, today: dt.date, with_children: bool = False) -> tuple[list, list]:
    """The (asks, day asks) of the catalogue that ``pace`` (and ``goal_plan``) will make for
    ``goal`` on ``today`` before it knows the last day with data (``catalog.batched`` hints)."""
    from metrics.catalog_batch import Ask, DayAsk
    met = catalog.get(goal.metric)
    scope = scope_of(con, goal)
    asks, days = [], []
    if goal.rule == "growth":
        asks.append(Ask(goal.metric, *previous_period(goal.start_date, goal.end_date), scope))
    if met.pace == "level":
        asks.append(Ask(goal.metric, catalog.FIRST_DAY, goal.start_date - dt.timedelta(days=1), scope))
    if today > goal.start_date:
        days.append(DayAsk(goal.metric, scope, min(today - dt.timedelta(days=1), goal.end_date), goal.start_date))
    if with_children and goal.goal_id is not None and met.additive:
        for kid in children(con, goal.goal_id):
            kid_asks, kid_days = pace_hints(con, kid, today)
            asks += kid_asks
            days += kid_days
    return asks, days


def _method(pace_kind: str) -> str:
    return {"accrue": "linear", "level": "linear_level"}.get(pace_kind, "rate_so_far")


def _project(met: catalog.Metric, plan: Plan, actual: float, elapsed: int, left: int, total: int,
             clip: bool = True):
    """(projection at the period's end, required run-rate per remaining day)."""
    target = plan.target
    if met.pace in ("accrue", "level"):
        if met.pace == "accrue":
            projection = actual + actual / elapsed * left
        else:
            base = plan.baseline or 0.0
            projection = base + (actual - base) * total / elapsed
        required = (target - actual) / left if left > 0 else None
        if required is not None and clip:
            required = max(required, 0.0)
        return projection, required
    required = None
    if left > 0 and met.kind == "ratio" and met.denominator == ("days",):
        required = (target * total - actual * elapsed) / left
        required = max(required, 0.0) if clip else required
    return actual, required


# ------------------------------------------------------------------ series for the drill-down
def pace_series(con, goal: Goal, today: dt.date) -> pd.DataFrame:
    """Day by day over the goal's period up to the as-of day: ``date``, ``actual`` (to date:
    cumulative for accruing metrics, the level for levels, the daily rate for rates) and
    ``planned`` (the pace line) for every day of the period."""
    met = catalog.get(goal.metric)
    scope = scope_of(con, goal)
    plan = goal_plan(con, goal)
    limit = min(today - dt.timedelta(days=1), goal.end_date)
    daily = catalog.daily(con, goal.metric, goal.start_date, limit, scope) if limit >= goal.start_date else None
    values = {} if daily is None else dict(zip(daily["date"], daily["value"]))
    rows, running = [], 0.0
    path = plan.path() if plan else {}
    day = goal.start_date
    while day <= goal.end_date:
        actual = None
        if day <= limit:
            v = values.get(day)
            if met.pace == "accrue" and met.kind == "simple":
                running += v or 0.0
                actual = running if values and day <= max(values) else None
            else:
                actual = v
        rows.append({"date": day, "actual": actual, "planned": path.get(day)})
        day += dt.timedelta(days=1)
    frame = pd.DataFrame(rows, columns=["date", "actual", "planned"])
    if met.pace == "accrue" and met.kind != "simple":
        # accruing ratios (growth %): the value to date on each day, from the period's sums
        frame["actual"] = [catalog.value(con, goal.metric, goal.start_date, d, scope) if d in values else None
                           for d in frame["date"]]
    return frame


# ------------------------------------------------------------------ every goal at once
def goal_statuses(con, today: dt.date, active_only: bool = True, include_children: bool = False,
                  overlapping: tuple[dt.date, dt.date] | None = None) -> pd.DataFrame:
    """Every goal's pacing and status, at-risk and behind first (then on track, no data,
    upcoming); within a status the ultimate goal first. ``active_only`` keeps goals whose
    period has started and ended at most 7 days ago (so Monday sees last week's);
    ``overlapping`` = (start, end) keeps goals whose period overlaps those days (a view's
    period: only those goals are computed)."""
    with reading():
        chosen = []
        for goal in load_goals(con):
            if goal.parent_goal_id is not None and not include_children:
                continue
            if active_only and not (goal.start_date <= today and goal.end_date >= today - dt.timedelta(days=7)):
                continue
            if overlapping is not None and not (goal.start_date <= overlapping[1] and goal.end_date >= overlapping[0]):
                continue
            chosen.append(goal)
        rows = catalog.batched(con, chosen, lambda goal: _row(con, goal, today),
                               hints=lambda goal: pace_hints(con, goal, today, with_children=True))
    frame = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    if frame.empty:
        return frame
    frame["_sev"] = frame["status"].map(SEVERITY)
    frame = frame.sort_values(["_sev", "is_ultimate", "start_date", "goal_id"],
                              ascending=[True, False, True, True]).drop(columns="_sev")
    return frame.reset_index(drop=True)


STATUS_COLUMNS = ["goal_id", "title_en", "title_zh", "metric", "metric_en", "metric_zh", "unit", "direction",
                  "pace", "kind", "rule", "scope_kind", "scope_ref", "scope_name", "start_date", "end_date", "asof",
                  "days_total", "days_elapsed", "days_left", "target", "goal_target", "floor", "baseline",
                  "actual", "planned", "planned_floor", "ratio", "projection", "projection_method",
                  "required_per_day", "status", "finished", "is_ultimate", "parent_goal_id", "children",
                  "rollup_actual", "note"]


def _row(con, goal: Goal, today: dt.date) -> dict:
    met = catalog.get(goal.metric)
    p = pace(con, goal, today)
    kids = children(con, goal.goal_id) if goal.goal_id is not None else []
    rollup = None
    if kids and met.additive:
        actuals = catalog.each(lambda k: pace(con, k, today).actual, kids)
        known = [a for a in actuals if a is not None]
        rollup = sum(known) if known else None
    d = asdict(p)
    return {**{k: d[k] for k in d if k in STATUS_COLUMNS}, "goal_id": goal.goal_id,
            "title_en": goal.title("en"), "title_zh": goal.title("zh"), "metric": goal.metric,
            "metric_en": met.label_en, "metric_zh": met.label_zh, "unit": met.unit, "direction": met.direction,
            "kind": goal.kind, "scope_kind": goal.scope_kind, "scope_ref": goal.scope_ref,
            "scope_name": scope_name(con, goal.scope_kind, goal.scope_ref),
            "start_date": goal.start_date, "end_date": goal.end_date, "goal_target": goal.target,
            "is_ultimate": bool(goal.is_ultimate), "parent_goal_id": goal.parent_goal_id,
            "children": len(kids), "rollup_actual": rollup}


def ultimate_goal(con, today: dt.date) -> dict | None:
    """The ultimate goal's row (as in :func:`goal_statuses`) — the one in force today when
    several are marked — or None."""
    with reading():
        goals = [g for g in load_goals(con) if g.is_ultimate]
        if not goals:
            return None
        current = [g for g in goals if g.start_date <= today <= g.end_date]
        chosen = (current or sorted(goals, key=lambda g: abs((g.start_date - today).days)))[0]
        return catalog.batched(con, [chosen], lambda goal: _row(con, goal, today))[0]


def phase_progress(con, today: dt.date) -> dict | None:
    """The current phase (the one containing today, else the latest started) with its time
    elapsed and its follower target's pacing (basis 'total': followers at the phase end;
    'gained': net follows during the phase). None when there are no phases."""
    all_phases = phases(con)
    if not all_phases:
        return None
    containing = [p for p in all_phases if p["start_date"] <= today <= p["end_date"]]
    started = [p for p in all_phases if p["start_date"] <= today]
    phase = (containing or started[-1:] or all_phases[:1])[0]
    days_total = (phase["end_date"] - phase["start_date"]).days + 1
    elapsed = min(max((today - phase["start_date"]).days, 0), days_total)
    out = {**phase, "days_total": days_total, "days_elapsed": elapsed, "time_share": elapsed / days_total,
           "phases": all_phases, "followers": None}
    if phase.get("follower_target"):
        basis = phase.get("follower_basis") or "total"
        metric = "followers" if basis == "total" else "net_follows"
        goal = Goal(metric=metric, start_date=phase["start_date"], end_date=phase["end_date"],
                    target=float(phase["follower_target"]), name=phase["name"])
        out["followers"] = catalog.batched(con, [goal], lambda g: asdict(pace(con, g, today)),
                                           hints=lambda g: pace_hints(con, g, today))[0]
        out["follower_metric"] = metric
    return out


def overview(con, today: dt.date, overlapping: tuple[dt.date, dt.date]) -> tuple[dict | None, pd.DataFrame]:
    """The Goals view's top: :func:`phase_progress` and every goal overlapping the period
    (:func:`goal_statuses`), read in one batch session (the relations are surveyed once)."""
    from metrics import catalog_batch
    with catalog_batch.session(), reading():
        return (phase_progress(con, today),
                goal_statuses(con, today, active_only=False, overlapping=overlapping))


# ------------------------------------------------------------------ drill-down of one goal
def drill_down(con, goal_id: int, today: dt.date, period: Period | None = None) -> dict:
    """One goal in detail: its time split with each part's actual and status, its children
    (the split across the team) with their pacing, its daily series against the pace line,
    and the metric in ``period`` against the previous period."""
    goal = get_goal(con, goal_id)
    met = catalog.get(goal.metric)
    scope = scope_of(con, goal)
    p = pace(con, goal, today)
    plan = goal_plan(con, goal)
    out = {"goal_id": goal_id, "split_mode": goal.split_mode, "split_grain": goal.split_grain,
           "series": pace_series(con, goal, today), "pace": asdict(p)}
    rows = []
    if plan is not None:
        path = plan.path()
        frame = plan.split(goal.split_grain, integral=met.unit == "count")
        for r in frame.itertuples():
            row = {"start": r.start, "end": r.end, "target": float(r.target), "actual": None, "status": "upcoming"}
            if p.asof is not None and r.start <= p.asof:
                upto = min(r.end, p.asof)
                if met.pace == "accrue":
                    before = path[r.start - dt.timedelta(days=1)] if r.start > goal.start_date else 0.0
                    planned = path[upto] - before
                else:
                    planned = path[upto]
                actual = catalog.value(con, goal.metric, r.start if met.pace != "level" else goal.start_date,
                                       upto, scope)
                row["actual"] = actual
                if actual is None:
                    row["status"] = "no_data"
                else:
                    row["status"], _ = status_for(goal.rule, goal.lower_is_better, met.pace, actual, planned,
                                                  float(r.target), None, plan.baseline)
            rows.append(row)
    out["parts"] = pd.DataFrame(rows, columns=["start", "end", "target", "actual", "status"])
    kids = []
    for k in children(con, goal_id):
        kp = pace(con, k, today)
        kids.append({"goal_id": k.goal_id, "scope_kind": k.scope_kind, "scope_ref": k.scope_ref,
                     "scope_name": scope_name(con, k.scope_kind, k.scope_ref), "share": k.share,
                     "target": kp.target, "planned": kp.planned, "actual": kp.actual, "status": kp.status})
    out["children"] = pd.DataFrame(kids, columns=["goal_id", "scope_kind", "scope_ref", "scope_name", "share",
                                                  "target", "planned", "actual", "status"])
    if period is not None:
        prev = period.previous()
        now_value = catalog.value(con, goal.metric, period.start, min(period.end, today), scope)
        prev_value = catalog.value(con, goal.metric, prev.start, prev.end, scope)
        out.update(period_value=now_value, previous_value=prev_value, previous_label=prev.label(),
                   period_change=None if now_value is None or not prev_value else now_value / prev_value - 1)
    return out
