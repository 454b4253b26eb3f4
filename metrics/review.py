"""The Friday review of one Monday–Sunday week: each person's KPI figures with the change on the
week before, the goals' week and status, the tasks, and the notes per role — one pack that the
view shows and the XLSX/HTML exports write.

KPI figures (per person, over their KPI set — their own set, else their role's):

* the week's **figure** is the KPI's metric over the week in the KPI's scope (the person's
  accounts and channels, optionally one platform, or the team), up to the last day with data
  (at most yesterday) — a ratio is the ratio of the week's sums;
* the **previous** figure covers the same number of days from the previous Monday, so a week
  still in progress is compared like for like;
* **change** = figure ÷ previous − 1 (None when the previous figure is missing or 0);
* the **week's target**: KPI targets are per month, week or day; an additive metric's target
  is turned into a per-day target (÷ the days of the month — the month of the week's
  Thursday —, ÷ 7 or ÷ 1) × the days counted; a ratio's or level's target is taken as it is;
* **achievement** = figure ÷ target (target ÷ figure for lower-is-better KPIs), with the
  goal bands: on track ≥ 99 %, behind 81–99 %, at risk < 81 %.

Manual KPI inputs (``manual:*``) are monthly figures typed in the Appraisal view: they are
listed with the month's figure, never split into weeks.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from metrics import appraisal, catalog, catalog_batch, pacing, standup, tasks, team
from metrics.alongside import alongside
from metrics.periods import Period, last_complete_week, week_of

KPI_COLUMNS = ["role_id", "role", "person_id", "person", "kpi_id", "kpi", "metric_id", "unit", "direction",
               "scope_text", "period", "kpi_target", "days", "asof", "value", "previous", "change", "target_week",
               "achievement", "status", "manual"]
NOTE_COLUMNS = ["owner_kind", "owner_id", "owner", "issues", "next_steps", "updated_by", "updated_at"]
GOAL_COLUMNS = standup.WEEK_COLUMNS + ["target", "to_date", "asof", "days_left"]


@dataclass
class ReviewPack:
    """Everything the Friday review of ``week`` shows and exports."""
    week: Period
    previous: Period
    today: dt.date
    kpis: pd.DataFrame
    goals: pd.DataFrame
    tasks: pd.DataFrame
    notes: pd.DataFrame
    workspace: str

    @property
    def summary(self) -> dict:
        """Counts for the pack's head: goals per week status, tasks met/missed/open."""
        goal_counts = self.goals["status"].value_counts().to_dict() if len(self.goals) else {}
        return {"goals": {s: int(goal_counts.get(s, 0)) for s in pacing.STATUSES},
                "tasks": tasks.tally(self.tasks),
                "people": int(self.kpis["person_id"].nunique()) if len(self.kpis) else 0}


def weeks(today: dt.date, count: int = 12) -> list[Period]:
    """The ``count`` Monday–Sunday weeks up to the week of ``today``, newest first."""
    first = week_of(today)
    return [week_of(first.start - dt.timedelta(days=7 * i)) for i in range(count)]


def default_week(today: dt.date) -> Period:
    """The week a review looks at on ``today``: from Friday on, the current week; earlier in
    the week, the last complete one."""
    return week_of(today) if today.weekday() >= 4 else last_complete_week(today)


def _month_days(week: Period) -> int:
    thursday = week.start + dt.timedelta(days=3)
    return calendar.monthrange(thursday.year, thursday.month)[1]


def week_target(kpi_target: float, period: str, additive: bool, days: int, month_days: int) -> float:
    """A KPI target for ``days`` days of a week (see the module docstring)."""
    if not additive:
        return kpi_target
    per_day = kpi_target / {"month": month_days, "week": 7, "day": 1}[period or "month"]
    return per_day * days


def _scope_ok(scope: catalog.Scope | None) -> bool:
    if scope is None:
        return True
    return bool(scope.accounts) or bool(scope.channels) or (scope.accounts is None and scope.channels is None)


def kpi_week(con, week: Period, today: dt.date) -> pd.DataFrame:
    """Every active person's KPI figures for ``week`` with the previous week's and the change
    (columns ``KPI_COLUMNS``), by role then person then KPI position."""
    limit = min(week.end, today - dt.timedelta(days=1))
    month_days = _month_days(week)
    everyone = [p for p in team.people(con, active_only=True) if p.start_date is None or p.start_date <= week.end]
    sets = team.kpi_sets_for(con, everyone)
    inputs = appraisal.ManualInputs(con, [week.start])
    with catalog.prefetched(*_prefetch(con, everyone, sets, week, limit)):
        rows = [row for person in everyone for row in _kpi_rows(con, person, sets[person.person_id][1],
                                                               everyone, week, limit, month_days, inputs)]
    frame = pd.DataFrame(rows, columns=KPI_COLUMNS)
    if frame.empty:
        return frame
    return frame.sort_values(["role_id", "person_id"], kind="stable", na_position="last").reset_index(drop=True)


def _prefetch(con, everyone, sets, week: Period, limit: dt.date) -> tuple[dict, dict]:
    """Every last data day and week/previous-week figure ``_kpi_rows`` will ask, batched."""
    if limit < week.start:
        return {}, {}
    day_asks = []
    for person in everyone:
        for kpi in sets[person.person_id][1]:
            if not team.is_manual(kpi["metric_id"]) and kpi["metric_id"] in catalog.METRICS:
                scope = appraisal.kpi_scope(kpi, person)
                if _scope_ok(scope):
                    day_asks.append(catalog_batch.DayAsk(kpi["metric_id"], scope, until=limit, since=week.start))
    days = catalog_batch.last_data_days(con, day_asks)
    previous = week.previous()
    asks = []
    for a, asof in days.items():
        if asof is not None and asof >= week.start:
            n = (asof - week.start).days + 1
            asks += [catalog_batch.Ask(a.metric, week.start, asof, a.scope),
                     catalog_batch.Ask(a.metric, previous.start, previous.start + dt.timedelta(days=n - 1), a.scope)]
    return catalog_batch.values(con, asks), days


def _kpi_rows(con, person, kpis, everyone, week: Period, limit: dt.date, month_days: int,
              inputs: appraisal.ManualInputs) -> list[dict]:
    """One person's KPI rows of the week (figures from the prefetched catalogue)."""
    previous = week.previous()
    rows = []
    for kpi in kpis:
        base = {"role_id": person.role_id, "role": person.role, "person_id": person.person_id,
                "person": person.name, "kpi_id": int(kpi["kpi_id"]), "kpi": kpi["name"],
                "metric_id": kpi["metric_id"], "direction": kpi.get("direction") or "higher",
                "period": kpi.get("period") or "month", "kpi_target": float(kpi["target"]),
                "scope_text": appraisal.scope_text(kpi, person)}
        if team.is_manual(kpi["metric_id"]):
            value, _ = inputs.total([person.person_id] if kpi.get("scope") != "team"
                                    else [p.person_id for p in everyone],
                                    team.manual_key(kpi["metric_id"]), week.start)
            rows.append({**base, "unit": "count", "value": value, "manual": True, "status": "manual"})
            continue
        met = catalog.METRICS.get(kpi["metric_id"])
        if met is None:
            rows.append({**base, "unit": "number", "status": "no_data", "manual": False})
            continue
        scope = appraisal.kpi_scope(kpi, person)
        row = {**base, "unit": met.unit, "manual": False, "status": "no_data"}
        asof = (catalog.last_data_day(con, met.id, scope, until=limit, since=week.start)   # earlier: no data
                if limit >= week.start and _scope_ok(scope) else None)
        if asof is not None and asof >= week.start:
            days = (asof - week.start).days + 1
            value = catalog.value(con, met.id, week.start, asof, scope)
            before = catalog.value(con, met.id, previous.start, previous.start + dt.timedelta(days=days - 1), scope)
            target = week_target(float(kpi["target"]), row["period"], met.additive, days, month_days)
            lower = row["direction"] == "lower"
            if value is None:
                achievement = None
            elif lower:
                achievement = target / value if value else (1.0 if target >= 0 else None)
            else:
                achievement = value / target if target else None
            status = "no_data" if value is None else ("on_track" if achievement is None else pacing.band(achievement))
            row.update(days=days, asof=asof, value=value, previous=before, target_week=target,
                       change=None if value is None or not before else value / before - 1,
                       achievement=achievement, status=status)
        rows.append(row)
    return rows


def goals_week(con, week: Period, today: dt.date) -> pd.DataFrame:
    """Every top-level goal meeting ``week``: the week's result against the week's plan and
    the goal's status at the week's end, with its whole target and the value to date."""
    nxt = week_of(week.end + dt.timedelta(days=1))
    frame = standup.goal_weeks(con, today, week, nxt)
    if frame.empty:
        return pd.DataFrame(columns=GOAL_COLUMNS)
    frame = frame[frame["status"] != "outside"].reset_index(drop=True)
    out = frame.rename(columns={"overall_target": "target", "overall_actual": "to_date", "overall_asof": "asof",
                                "overall_days_left": "days_left"})
    return out[GOAL_COLUMNS] if len(out) else pd.DataFrame(columns=GOAL_COLUMNS)


def tasks_week(con, week: Period, today: dt.date) -> pd.DataFrame:
    """Tasks due in ``week`` (section 'due') and tasks still open after it (section 'later',
    those started by the week's end), each with its check on ``today``."""
    due = tasks.task_frame(con, today, week.start, week.end).assign(section="due")
    later = tasks.task_frame(con, today, week.end + dt.timedelta(days=1))
    later = later[later["start_date"] <= week.end].assign(section="later")
    frames = [f for f in (due, later) if len(f)]
    if not frames:
        return due
    return pd.concat(frames, ignore_index=True)


def notes(con, week: Period) -> pd.DataFrame:
    """The week's notes: one row for the team and one per role (empty texts when none saved),
    plus any note kept for a person."""
    saved = {(k, int(i)): (iss, nxt, by, at) for k, i, iss, nxt, by, at in con.execute(
        """SELECT owner_kind, owner_id, issues, next_steps, updated_by, updated_at FROM meeting_notes
           WHERE week_start = ?""", [week.start]).fetchall()}
    owners = [("team", 0, None)]
    owners += [("role", int(r.role_id), r.name) for r in team.roles(con).itertuples()]
    owners += [("person", pid, name) for pid, name in con.execute(
        """SELECT p.person_id, p.name FROM meeting_notes n JOIN people p ON p.person_id = n.owner_id
           WHERE n.owner_kind = 'person' AND n.week_start = ? ORDER BY p.person_id""", [week.start]).fetchall()]
    rows = []
    for kind, owner_id, name in owners:
        issues, steps, by, at = saved.get((kind, owner_id), (None, None, None, None))
        rows.append({"owner_kind": kind, "owner_id": owner_id, "owner": name, "issues": issues,
                     "next_steps": steps, "updated_by": by, "updated_at": at})
    return pd.DataFrame(rows, columns=NOTE_COLUMNS)


def pack(con, week: Period, today: dt.date) -> ReviewPack:
    """The whole review of ``week`` as seen on ``today``."""
    from metrics.plan_core import workspace_mode
    with alongside(con, goals_week, week, today) as goals:      # its queries run during the KPIs' Python
        with catalog_batch.session():
            kpis = kpi_week(con, week, today)
        return ReviewPack(week=week, previous=week.previous(), today=today, kpis=kpis,
                          goals=goals.result(), tasks=tasks_week(con, week, today),
                          notes=notes(con, week), workspace=workspace_mode(con))
