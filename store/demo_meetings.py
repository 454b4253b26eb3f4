"""Demo workspace meeting seed: delegated tasks and Friday notes.

Tasks: one met and one missed in the week before last (their targets are set from the demo's
own figures, so one is reached and one is not whatever day the demo is built), two due this
week and one due next week. Notes: the team's and two roles' for last week, the team's for
this week. Runs inside the demo builder's transaction, after ``demo_team.seed``.
"""
from __future__ import annotations

import datetime as dt
import math

from metrics import catalog, tasks
from metrics.periods import last_complete_week, week_of
from store import demo_spec
from store.meetings import write_notes, write_task

WHO = "Lin Yue"


def _person(con, name: str) -> int | None:
    rows = con.execute("SELECT person_id FROM people WHERE name = ?", [name]).fetchall()
    return rows[0][0] if rows else None


def _role(con, code: str) -> int | None:
    rows = con.execute("SELECT role_id FROM roles WHERE code = ?", [code]).fetchall()
    return rows[0][0] if rows else None


def _account_ref(key: str) -> str:
    platform, account = demo_spec.ACCOUNTS[key]
    return f"{platform}/{account}"


def _value(con, task: dict) -> float | None:
    probe = tasks.Task(0, task["title"], task["owner_person_id"], None, task["metric_id"], task["scope_kind"],
                       task.get("scope_ref"), task["start_date"], task["due_date"], 0.0, "higher")
    return catalog.value(con, task["metric_id"], task["start_date"], task["due_date"], tasks.task_scope(con, probe))


def seed(con, today: dt.date) -> None:
    """Write the demo tasks and notes (no transaction of its own)."""
    last = last_complete_week(today)
    before = last.previous()
    this = week_of(today)
    nxt = week_of(this.end + dt.timedelta(days=1))
    people = {n: _person(con, n) for n in ("Lin Yue", "Chen Jing", "Wang Fang", "Zhao Lei", "Zhou Tao")}
    if any(pid is None for pid in people.values()):
        return  # the team seed did not run: nothing to delegate to
    stamp = dt.datetime.combine(before.start, dt.time(9, 30))

    met = {"title": "Weekly event: bring in new followers", "owner_person_id": people["Wang Fang"],
           "metric_id": "new_follows", "scope_kind": "channel", "scope_ref": "Weekly event",
           "start_date": before.start, "due_date": before.end,
           "note": "Prize draw for followers who share the event post."}
    missed = {"title": "Weibo: lift forwards per post", "owner_person_id": people["Lin Yue"],
              "metric_id": "forwards_per_post", "scope_kind": "account", "scope_ref": _account_ref("weibo"),
              "start_date": before.start, "due_date": before.end,
              "note": "Ride two trending topics a day; end every post with a question."}
    achieved_met, achieved_missed = _value(con, met), _value(con, missed)
    if achieved_met is not None:
        write_task(con, {**met, "target": math.floor(achieved_met * 0.9)}, WHO, stamp)
    if achieved_missed is not None:
        write_task(con, {**missed, "target": math.ceil(achieved_missed * 1.25) + 1}, WHO, stamp)

    stamp = dt.datetime.combine(this.start, dt.time(9, 30))
    regs = catalog.value(con, "registrations", last.start, last.end, catalog.person_scope(con, people["Zhao Lei"]))
    posts = catalog.value(con, "posts", last.start, last.end, catalog.person_scope(con, people["Chen Jing"]))
    alliance = catalog.value(con, "new_follows", last.start, last.end, catalog.Scope(channels=("Alliances",)))
    write_task(con, {"title": "Service account: registrations up 10 % on last week",
                     "owner_person_id": people["Zhao Lei"], "metric_id": "registrations", "scope_kind": "person",
                     "start_date": this.start, "due_date": this.end,
                     "target": round((regs or 1000) * 1.1)}, WHO, stamp)
    write_task(con, {"title": "Publish one more post than last week", "owner_person_id": people["Chen Jing"],
                     "metric_id": "posts", "scope_kind": "person", "start_date": this.start,
                     "due_date": this.start + dt.timedelta(days=4), "target": (posts or 6) + 1,
                     "note": "At least one original piece."}, WHO, stamp)
    write_task(con, {"title": "Alliances: double the new followers", "owner_person_id": people["Zhou Tao"],
                     "metric_id": "new_follows", "scope_kind": "channel", "scope_ref": "Alliances",
                     "start_date": this.start, "due_date": nxt.end, "target": round((alliance or 100) * 4)},
                WHO, stamp)

    team_note = {"owner_kind": "team", "owner_id": 0}
    promo, ops = _role(con, "promotion_manager"), _role(con, "operations")
    rows = [{**team_note, "issues": "Cost per follower is above its limit; Weibo forwards per post fell short of the task target.",
             "next_steps": "Move budget from small personal accounts to our own groups; review Weibo topics on Wednesday."}]
    if promo is not None:
        rows.append({"owner_kind": "role", "owner_id": promo,
                     "issues": "Forwards per post missed the task target.",
                     "next_steps": "Two trending topics a day; test a question at the end of each post."})
    if ops is not None:
        rows.append({"owner_kind": "role", "owner_id": ops,
                     "issues": "Open rate below 15 % on the subscription account.",
                     "next_steps": "Test shorter titles and an 8 pm send time."})
    write_notes(con, last.start, rows, WHO, dt.datetime.combine(last.start + dt.timedelta(days=4), dt.time(17)))
    write_notes(con, this.start, [{**team_note, "issues": "Registrations strong; order conversion still under 9.5 %.",
                                   "next_steps": "Coupon test on the service account menu."}],
                WHO, dt.datetime.combine(this.start, dt.time(10)))
