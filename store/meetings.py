"""Writes of the meeting views: the Friday review's notes per role (or person, or the team) and
week, and delegated tasks.

Every public function validates first, collecting every problem, and refuses with
``MeetingRefused`` (nothing written); otherwise it writes in ONE transaction and bumps the data
version. ``write_*`` functions do the same writes without a transaction of their own, for
callers that already hold one (the demo builder).
"""
from __future__ import annotations

import datetime as dt
import math

from metrics import catalog
from metrics.tasks import DIRECTIONS, SCOPE_KINDS
from store.connection import bump_data_version, transaction
from store.refusals import WriteRefused, is_blank

OWNER_KINDS = ("team", "role", "person")
MAX_TITLE = 200
MAX_NOTE = 4000


class MeetingRefused(WriteRefused):
    """A meeting write (notes, tasks) was refused; ``problems`` are (label key, format values)."""


_blank = is_blank


def _text(x) -> str | None:
    return None if _blank(x) else str(x).strip()


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def monday(day: dt.date) -> dt.date:
    """The Monday of the week containing ``day``."""
    return day - dt.timedelta(days=day.weekday())


# ------------------------------------------------------------------ notes
def write_notes(con, week_start: dt.date, rows: list[dict], who: str | None, now: dt.datetime | None = None) -> int:
    """Upsert notes for the week (no transaction of its own). Each row: ``owner_kind``,
    ``owner_id``, ``issues``, ``next_steps``; a row with both texts empty deletes the note.
    Returns the number of notes written or deleted."""
    week_start = monday(week_start)
    problems = []
    for row in rows:
        kind = row.get("owner_kind") or "role"
        if kind not in OWNER_KINDS:
            problems.append(("meetings.err_owner_kind", {"kind": kind}))
        for field in ("issues", "next_steps"):
            text = _text(row.get(field))
            if text is not None and len(text) > MAX_NOTE:
                problems.append(("meetings.err_note_long", {"max": MAX_NOTE}))
    if problems:
        raise MeetingRefused(problems)
    stamp = now or _now()
    changed = 0
    for row in rows:
        kind = row.get("owner_kind") or "role"
        owner_id = 0 if kind == "team" else int(row["owner_id"])
        issues, steps = _text(row.get("issues")), _text(row.get("next_steps"))
        old = con.execute("""SELECT issues, next_steps FROM meeting_notes
                             WHERE week_start = ? AND owner_kind = ? AND owner_id = ?""",
                          [week_start, kind, owner_id]).fetchall()
        if old and (old[0][0], old[0][1]) == (issues, steps):
            continue
        if issues is None and steps is None:
            if old:
                con.execute("DELETE FROM meeting_notes WHERE week_start = ? AND owner_kind = ? AND owner_id = ?",
                            [week_start, kind, owner_id])
                changed += 1
            continue
        con.execute("""INSERT INTO meeting_notes (week_start, owner_kind, owner_id, issues, next_steps,
                                                  updated_by, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (week_start, owner_kind, owner_id) DO UPDATE SET
                         issues = excluded.issues, next_steps = excluded.next_steps,
                         updated_by = excluded.updated_by, updated_at = excluded.updated_at""",
                    [week_start, kind, owner_id, issues, steps, _text(who), stamp])
        changed += 1
    return changed


def save_notes(con, week_start: dt.date, rows: list[dict], who: str | None) -> int:
    """Save the week's notes in one transaction and bump the data version (see ``write_notes``)."""
    with transaction(con):
        changed = write_notes(con, week_start, rows, who)
        if changed:
            bump_data_version(con)
    return changed


# ------------------------------------------------------------------ tasks
def task_problems(con, task: dict) -> list[tuple[str, dict]]:
    """Every reason ``task`` cannot be saved (empty list when it can)."""
    problems = []
    title = _text(task.get("title"))
    if title is None:
        problems.append(("tasks.err_title", {}))
    elif len(title) > MAX_TITLE:
        problems.append(("tasks.err_title_long", {"max": MAX_TITLE}))
    owner = task.get("owner_person_id")
    if owner is None:
        problems.append(("tasks.err_owner", {}))
    elif not con.execute("SELECT count(*) FROM people WHERE person_id = ?", [int(owner)]).fetchall()[0][0]:
        problems.append(("tasks.err_owner", {}))
    metric = task.get("metric_id")
    if metric not in catalog.METRICS:
        problems.append(("tasks.err_metric", {"metric": metric or "–"}))
    target = task.get("target")
    if target is None or (isinstance(target, float) and math.isnan(target)):
        problems.append(("tasks.err_target", {}))
    else:
        try:
            float(target)
        except (TypeError, ValueError):
            problems.append(("tasks.err_target", {}))
    start, due = task.get("start_date"), task.get("due_date")
    if not isinstance(due, dt.date):
        problems.append(("tasks.err_due", {}))
    elif not isinstance(start, dt.date) or start > due:
        problems.append(("tasks.err_window", {}))
    if (task.get("direction") or "higher") not in DIRECTIONS:
        problems.append(("tasks.err_direction", {}))
    if (task.get("scope_kind") or "person") not in SCOPE_KINDS:
        problems.append(("tasks.err_scope", {}))
    return problems


def write_task(con, task: dict, who: str | None, now: dt.datetime | None = None) -> int:
    """Insert one task (no transaction of its own) and return its id. Keys: ``title``,
    ``owner_person_id``, ``metric_id``, ``target``, ``start_date``, ``due_date`` and optionally
    ``direction`` (default: the metric's), ``scope_kind`` (default ``person``: the owner's
    accounts and channels), ``scope_ref`` and ``note``."""
    problems = task_problems(con, task)
    if problems:
        raise MeetingRefused(problems)
    met = catalog.METRICS[task["metric_id"]]
    direction = task.get("direction") or met.direction
    kind = task.get("scope_kind") or "person"
    ref = _text(task.get("scope_ref"))
    if kind == "person" and ref is None:
        ref = str(int(task["owner_person_id"]))
    if kind == "team":
        ref = None
    task_id = con.execute("SELECT nextval('task_id_seq')").fetchall()[0][0]
    con.execute("""INSERT INTO tasks (task_id, title, owner_person_id, metric_id, scope_kind, scope_ref, start_date,
                                      due_date, target, direction, note, created_by, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [task_id, _text(task["title"]), int(task["owner_person_id"]), task["metric_id"], kind, ref,
                 task["start_date"], task["due_date"], float(task["target"]), direction, _text(task.get("note")),
                 _text(who), now or _now()])
    return task_id


def add_task(con, task: dict, who: str | None) -> int:
    """Delegate a task: validate, insert it in one transaction, bump the data version; its id."""
    with transaction(con):
        task_id = write_task(con, task, who)
        bump_data_version(con)
    return task_id


def cancel_tasks(con, task_ids: list[int], who: str | None) -> int:
    """Cancel tasks (kept, no longer checked) in one transaction; the number cancelled."""
    ids = [int(i) for i in task_ids]
    if not ids:
        return 0
    with transaction(con):
        count = con.execute("""SELECT count(*) FROM tasks WHERE list_contains(?, task_id) AND cancelled_at IS NULL""",
                            [ids]).fetchall()[0][0]
        con.execute("""UPDATE tasks SET cancelled_by = ?, cancelled_at = ?
                       WHERE list_contains(?, task_id) AND cancelled_at IS NULL""", [_text(who), _now(), ids])
        if count:
            bump_data_version(con)
    return count
