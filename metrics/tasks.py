"""Delegated tasks: an owner, a due date and an expected target on a catalogue metric.

A task's **result** is the metric over ``start_date``..``due_date`` (inclusive) in the task's
scope (the owner's accounts and channels, the team, a platform, an account, a channel or a
role — as for goals), computed from the imported data, never typed in. A ratio is the ratio
of the window's sums; a level (followers, running totals) is the level on the due date.

Status, on ``today`` (figures count up to yesterday, as everywhere):

* ``open`` — the due date has not passed (``today <= due_date``); the result so far is shown;
* ``met`` / ``missed`` — the due date has passed and the data reaches it: met when the result
  is at least the target (``higher``) or at most the target (``lower``);
* ``awaiting_data`` — the due date has passed but the uploads do not reach it yet, and it
  passed at most ``GRACE_DAYS`` ago (data comes in weekly uploads);
* ``no_data`` — still no figure for the window ``GRACE_DAYS`` after the due date; when the
  data stops before the due date by then, the result is checked on what there is;
* ``cancelled`` — cancelled by an editor (kept, never checked).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from metrics import catalog
from metrics.goals import Goal, reading, scope_name, scope_of

GRACE_DAYS = 7
STATUSES = ("missed", "awaiting_data", "no_data", "open", "met", "cancelled")
DIRECTIONS = ("higher", "lower")
SCOPE_KINDS = ("person", "team", "platform", "account", "channel", "role")

TASK_COLUMNS = ["task_id", "title", "owner_person_id", "owner", "metric_id", "scope_kind", "scope_ref",
                "start_date", "due_date", "target", "direction", "note", "created_by", "created_at",
                "cancelled_by", "cancelled_at"]


@dataclass(frozen=True)
class Task:
    task_id: int
    title: str
    owner_person_id: int | None
    owner: str | None
    metric_id: str
    scope_kind: str
    scope_ref: str | None
    start_date: dt.date
    due_date: dt.date
    target: float
    direction: str
    note: str | None = None
    created_by: str | None = None
    created_at: dt.datetime | None = None
    cancelled_by: str | None = None
    cancelled_at: dt.datetime | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


@dataclass(frozen=True)
class Check:
    """A task's result on a day: its status, the result (so far, for an open task) and the
    last day of data counted."""
    status: str
    actual: float | None
    asof: dt.date | None


def meets(actual: float, target: float, direction: str) -> bool:
    """True when ``actual`` reaches ``target``: at least it (higher) or at most it (lower)."""
    return actual <= target if direction == "lower" else actual >= target


def load_tasks(con, include_cancelled: bool = True, task_ids: list[int] | None = None) -> list[Task]:
    """Every task (optionally only some), by due date then id, with the owner's name."""
    sql = """SELECT t.task_id, t.title, t.owner_person_id, p.name, t.metric_id, t.scope_kind, t.scope_ref,
                    t.start_date, t.due_date, t.target, t.direction, t.note, t.created_by, t.created_at,
                    t.cancelled_by, t.cancelled_at
             FROM tasks t LEFT JOIN people p ON p.person_id = t.owner_person_id WHERE TRUE"""
    params: list = []
    if not include_cancelled:
        sql += " AND t.cancelled_at IS NULL"
    if task_ids is not None:
        sql += " AND list_contains(?, t.task_id)"
        params.append([int(i) for i in task_ids])
    rows = con.execute(sql + " ORDER BY t.due_date, t.task_id", params).fetchall()
    return [Task(*row) for row in rows]


def task_scope(con, task: Task) -> catalog.Scope | None:
    """The catalogue scope the task's result is measured in (None = the whole team)."""
    ref = task.scope_ref
    if task.scope_kind == "person" and ref is None and task.owner_person_id is not None:
        ref = str(task.owner_person_id)
    probe = Goal(metric=task.metric_id, start_date=task.start_date, end_date=task.due_date, target=task.target,
                 scope_kind=task.scope_kind, scope_ref=ref)
    return scope_of(con, probe)


def check(con, task: Task, today: dt.date) -> Check:
    """The task's status and result on ``today`` (see the module docstring for the rules)."""
    if task.cancelled:
        return Check("cancelled", None, None)
    if task.metric_id not in catalog.METRICS:
        return Check("no_data", None, None)
    scope = task_scope(con, task)
    yesterday = today - dt.timedelta(days=1)
    asof = catalog.last_data_day(con, task.metric_id, scope, until=min(task.due_date, yesterday),
                                  since=task.start_date)        # earlier days count as no data
    has_data = asof is not None and asof >= task.start_date
    actual = catalog.value(con, task.metric_id, task.start_date, asof, scope) if has_data else None
    if today <= task.due_date:
        return Check("open", actual, asof if has_data else None)
    waiting = today <= task.due_date + dt.timedelta(days=GRACE_DAYS)
    if not has_data or actual is None:
        return Check("awaiting_data" if waiting else "no_data", None, None)
    if asof < task.due_date and waiting:
        return Check("awaiting_data", actual, asof)
    return Check("met" if meets(actual, task.target, task.direction) else "missed", actual, asof)


def task_frame(con, today: dt.date, due_from: dt.date | None = None, due_to: dt.date | None = None,
               include_cancelled: bool = False, open_only: bool = False) -> pd.DataFrame:
    """Tasks (due in ``due_from``..``due_to`` when given) with their check on ``today``: the
    task's columns plus ``status``, ``actual``, ``asof``, ``metric_en``, ``metric_zh``, ``unit``,
    ``scope_name`` and ``progress`` (result ÷ target for higher-is-better targets, target ÷
    result for lower-is-better ones; None when either is missing or zero)."""
    chosen = [task for task in load_tasks(con, include_cancelled=include_cancelled)
              if (due_from is None or task.due_date >= due_from) and (due_to is None or task.due_date <= due_to)]
    with reading():
        checks = catalog.batched(con, chosen, lambda task: check(con, task, today))
    rows = []
    for task, result in zip(chosen, checks):
        if open_only and result.status != "open":
            continue
        met = catalog.METRICS.get(task.metric_id)
        ref = task.scope_ref if task.scope_kind != "person" or task.scope_ref else str(task.owner_person_id)
        rows.append({**{c: getattr(task, c) for c in TASK_COLUMNS},
                     "status": result.status, "actual": result.actual, "asof": result.asof,
                     "progress": _progress(result.actual, task.target, task.direction),
                     "metric_en": met.label_en if met else task.metric_id,
                     "metric_zh": met.label_zh if met else task.metric_id,
                     "unit": met.unit if met else "number",
                     "scope_name": scope_name(con, task.scope_kind, ref)})
    columns = TASK_COLUMNS + ["status", "actual", "asof", "progress", "metric_en", "metric_zh", "unit", "scope_name"]
    return pd.DataFrame(rows, columns=columns)


def _progress(actual: float | None, target: float, direction: str) -> float | None:
    if actual is None:
        return None
    if direction == "lower":
        return target / actual if actual else None
    return actual / target if target else None


def tally(frame: pd.DataFrame) -> dict[str, int]:
    """How many tasks of ``frame`` are in each status (every status present, 0 when none)."""
    counts = frame["status"].value_counts().to_dict() if len(frame) else {}
    return {s: int(counts.get(s, 0)) for s in STATUSES}
