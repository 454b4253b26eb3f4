"""Writes of the goals plan: phases, goals, their split across the team and over time.

``save_plan`` and ``save_split`` check everything first and write in ONE transaction, or
refuse with every problem at once (``PlanRefused``): a goal without a number or a period
is not saved, and the message says why. ``insert_goal`` / ``write_split`` write without a
transaction of their own, for callers that already hold one (the demo builder).
"""
from __future__ import annotations

import datetime as dt

from metrics import catalog
from metrics.decomposition import split_members
from metrics.goals import (FOLLOWER_BASES, PHASE_CODES, Goal, Problem, as_date, as_number, clean, get_goal,
                           goal_problems, scope_options)
from store.connection import bump_data_version, transaction
from store.plan_budget import delete_phase_lines

PHASE_FIELDS = ("phase_id", "code", "name", "start_date", "end_date", "follower_target", "budget", "follower_basis")
GOAL_FIELDS = ("goal_id", "name", "metric", "scope_kind", "scope_ref", "start_date", "end_date", "phase_id", "target",
               "kind", "rule", "floor", "is_ultimate", "parent_goal_id", "share", "split_mode", "split_grain",
               "curve_growth", "weekday_weights", "note")


class PlanRefused(ValueError):
    """Nothing was written: ``problems`` says why (label keys with parameters)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.text("en") for p in problems))


def _records(rows) -> list[dict]:
    if rows is None:
        return []
    if hasattr(rows, "to_dict"):
        return [{k: clean(v) for k, v in r.items()} for r in rows.to_dict("records")]
    return [{k: clean(v) for k, v in dict(r).items()} for r in rows]


def _int(x) -> int | None:
    v = as_number(x)
    return None if v is None else int(v)


# ------------------------------------------------------------------ phases
def _phase(rec: dict) -> dict:
    return {"phase_id": _int(rec.get("phase_id")), "code": clean(rec.get("code")) or "custom",
            "name": clean(rec.get("name")), "start_date": as_date(rec.get("start_date")),
            "end_date": as_date(rec.get("end_date")), "follower_target": _int(rec.get("follower_target")),
            "budget": as_number(rec.get("budget")), "follower_basis": clean(rec.get("follower_basis")) or "total"}


def phase_problems(phases: list[dict]) -> list[Problem]:
    """Every problem of a set of phases (rows numbered from 1): names, dates, overlaps."""
    out = []
    for i, p in enumerate(phases, start=1):
        if not p["name"]:
            out.append(Problem("goals.err_phase_name", {}, i))
        if p["code"] not in PHASE_CODES:
            out.append(Problem("goals.err_phase_code", {"code": p["code"]}, i))
        if p["follower_basis"] not in FOLLOWER_BASES:
            out.append(Problem("goals.err_phase_basis", {"basis": p["follower_basis"]}, i))
        if p["start_date"] is None or p["end_date"] is None:
            out.append(Problem("goals.err_phase_dates", {"name": p["name"] or ""}, i))
        elif p["end_date"] < p["start_date"]:
            out.append(Problem("goals.err_end_before_start", {"start": p["start_date"].isoformat(),
                                                               "end": p["end_date"].isoformat()}, i))
        for value, key in ((p["follower_target"], "follower_target"), (p["budget"], "budget")):
            if value is not None and value < 0:
                out.append(Problem("goals.err_negative", {"what": key}, i))
    dated = sorted((p["start_date"], p["end_date"], i, p["name"]) for i, p in enumerate(phases, start=1)
                   if p["start_date"] and p["end_date"] and p["end_date"] >= p["start_date"])
    for (s1, e1, i1, n1), (s2, e2, i2, n2) in zip(dated, dated[1:]):
        if s2 <= e1:
            out.append(Problem("goals.err_phase_overlap", {"a": n1 or i1, "b": n2 or i2}, i2))
    return out


# ------------------------------------------------------------------ goals
def goal_from_record(rec: dict, phases_by_id: dict[int, dict] | None = None) -> Goal:
    """A Goal from an editor or API row (blank → None; dates from the phase when missing)."""
    phase_id = _int(rec.get("phase_id"))
    start, end = as_date(rec.get("start_date")), as_date(rec.get("end_date"))
    if phase_id is not None and phases_by_id and phase_id in phases_by_id:
        phase = phases_by_id[phase_id]
        start = start or phase["start_date"]
        end = end or phase["end_date"]
    return Goal(
        goal_id=_int(rec.get("goal_id")), name=clean(rec.get("name")), metric=clean(rec.get("metric")),
        scope_kind=clean(rec.get("scope_kind")) or "team", scope_ref=None if clean(rec.get("scope_ref")) is None
        else str(clean(rec.get("scope_ref"))), start_date=start, end_date=end, phase_id=phase_id,
        target=as_number(rec.get("target")), kind=clean(rec.get("kind")) or "outcome",
        rule=clean(rec.get("rule")) or "reach", floor=as_number(rec.get("floor")),
        is_ultimate=bool(clean(rec.get("is_ultimate")) or False), parent_goal_id=_int(rec.get("parent_goal_id")),
        share=as_number(rec.get("share")), split_mode=clean(rec.get("split_mode")) or "even",
        split_grain=clean(rec.get("split_grain")) or "month", curve_growth=as_number(rec.get("curve_growth")),
        weekday_weights=None if clean(rec.get("weekday_weights")) is None else str(clean(rec.get("weekday_weights"))),
        note=clean(rec.get("note")))


def _known_scopes(con) -> set[tuple[str, str]]:
    return {(kind, str(ref)) for kind, ref, _ in scope_options(con) if ref is not None}


def goals_problems(con, goals: list[Goal]) -> list[Problem]:
    """Every problem of a set of goals (rows numbered from 1), including 'one ultimate goal'."""
    known = _known_scopes(con)
    out = []
    for i, g in enumerate(goals, start=1):
        # roles and people must exist; a platform or account may be named before its data comes
        out.extend(goal_problems(g, i, known if g.scope_kind in ("role", "person") else None))
    ultimate = [i for i, g in enumerate(goals, start=1) if g.is_ultimate]
    if len(ultimate) > 1:
        out.append(Problem("goals.err_two_ultimate", {"rows": ", ".join(map(str, ultimate))}, ultimate[1]))
    return out


def _write_goal(con, g: Goal) -> int:
    values = {f: getattr(g, f) for f in GOAL_FIELDS}
    values["is_ultimate"] = bool(values["is_ultimate"])
    if g.goal_id is None:
        values["goal_id"] = con.execute("SELECT nextval('goal_id_seq')").fetchall()[0][0]
        cols = ", ".join(GOAL_FIELDS)
        con.execute(f"INSERT INTO goals ({cols}) VALUES ({', '.join('?' for _ in GOAL_FIELDS)})",
                    [values[f] for f in GOAL_FIELDS])
    else:
        sets = ", ".join(f"{f} = ?" for f in GOAL_FIELDS if f != "goal_id")
        con.execute(f"UPDATE goals SET {sets}, updated_at = now() WHERE goal_id = ?",
                    [values[f] for f in GOAL_FIELDS if f != "goal_id"] + [g.goal_id])
    return values["goal_id"]


def _delete_goals(con, ids: list[int]) -> None:
    """Delete goals with their parts and, recursively, their children."""
    todo = list(ids)
    while todo:
        gid = todo.pop()
        todo += [r[0] for r in con.execute("SELECT goal_id FROM goals WHERE parent_goal_id = ?", [gid]).fetchall()]
        con.execute("DELETE FROM goal_parts WHERE goal_id = ?", [gid])
        con.execute("DELETE FROM goals WHERE goal_id = ?", [gid])


def insert_goal(con, **fields) -> int:
    """Check and insert one goal (inside the caller's transaction); returns its id.
    Raises PlanRefused when it is not a goal (no number, no period, …)."""
    goal = goal_from_record(fields)
    problems = goals_problems(con, [goal])
    if goal.is_ultimate and con.execute("SELECT count(*) FROM goals WHERE is_ultimate").fetchall()[0][0]:
        problems.append(Problem("goals.err_two_ultimate", {"rows": "–"}, 1))
    if problems:
        raise PlanRefused(problems)
    gid = _write_goal(con, goal)
    bump_data_version(con)
    return gid


def save_plan(con, phases=None, goals=None, shown_goals: set[int] | None = None) -> dict:
    """Replace the phases and/or the top-level goals with the rows given (a DataFrame or
    dicts, as the Plan view's editors return them): rows with an id are updated, rows without
    one are added, top-level goals not given are deleted (with their children and parts) —
    of those in ``shown_goals`` only, when the editor listed a selection (a phase's goals);
    children of a split follow their parent (see ``write_split``). Everything is checked
    first; one transaction; returns counts. Raises PlanRefused with every problem."""
    phase_rows = [_phase(r) for r in _records(phases)] if phases is not None else None
    problems: list[Problem] = []
    if phase_rows is not None:
        problems += phase_problems(phase_rows)
    existing_phases = {p[0]: dict(zip(PHASE_FIELDS, p)) for p in
                       con.execute(f"SELECT {', '.join(PHASE_FIELDS)} FROM phases").fetchall()}
    phases_by_id = {p["phase_id"]: p for p in phase_rows if p["phase_id"] is not None} if phase_rows is not None \
        else existing_phases
    goal_rows = None
    if goals is not None:
        goal_rows = [goal_from_record(r, phases_by_id) for r in _records(goals)]
        goal_problems_found = goals_problems(con, goal_rows)
        problems += [Problem(p.key, p.params, p.row) for p in goal_problems_found]
        if shown_goals is not None:
            # the one ultimate goal may sit outside the selection the editor listed
            ultimate_elsewhere = [gid for (gid,) in con.execute(
                "SELECT goal_id FROM goals WHERE is_ultimate AND parent_goal_id IS NULL").fetchall()
                if gid not in set(shown_goals)]
            marked = [i for i, g in enumerate(goal_rows, start=1) if g.is_ultimate]
            if ultimate_elsewhere and marked:
                problems.append(Problem("goals.err_two_ultimate", {"rows": "–"}, marked[0]))
    if problems:
        raise PlanRefused(problems)
    counts = {"phases": 0, "goals": 0, "deleted_phases": 0, "deleted_goals": 0}
    with transaction(con):
        if phase_rows is not None:
            keep = {p["phase_id"] for p in phase_rows if p["phase_id"] is not None}
            gone = [pid for pid in existing_phases if pid not in keep]
            for pid in gone:
                con.execute("UPDATE goals SET phase_id = NULL WHERE phase_id = ?", [pid])
                delete_phase_lines(con, pid)
                con.execute("DELETE FROM phases WHERE phase_id = ?", [pid])
            for p in phase_rows:
                values = [p[f] for f in PHASE_FIELDS[1:]]
                if p["phase_id"] in existing_phases:
                    sets = ", ".join(f"{f} = ?" for f in PHASE_FIELDS[1:])
                    con.execute(f"UPDATE phases SET {sets} WHERE phase_id = ?", values + [p["phase_id"]])
                else:
                    con.execute(f"INSERT INTO phases ({', '.join(PHASE_FIELDS)}) VALUES "
                                f"(nextval('phase_id_seq'), {', '.join('?' for _ in values)})", values)
                counts["phases"] += 1
            counts["deleted_phases"] = len(gone)
        if goal_rows is not None:
            existing = {r[0] for r in con.execute(
                "SELECT goal_id FROM goals WHERE parent_goal_id IS NULL").fetchall()}
            keep = {g.goal_id for g in goal_rows if g.goal_id is not None}
            removable = existing if shown_goals is None else existing & set(shown_goals)
            gone = [gid for gid in removable if gid not in keep]
            _delete_goals(con, gone)
            still = {r[0] for r in con.execute("SELECT goal_id FROM goals").fetchall()}
            for g in goal_rows:
                if g.goal_id is not None and g.goal_id not in existing:
                    g.goal_id = None  # an id that is not in the store: a new goal
                if g.goal_id is not None and g.goal_id not in still:
                    continue          # deleted with its parent above
                _write_goal(con, g)
                counts["goals"] += 1
            counts["deleted_goals"] = len(gone)
        if phase_rows is not None:
            # goals that took their dates from a phase move with it
            for p in phase_rows:
                old = existing_phases.get(p["phase_id"])
                if old and (old["start_date"], old["end_date"]) != (p["start_date"], p["end_date"]):
                    con.execute("""UPDATE goals SET start_date = ?, end_date = ? WHERE phase_id = ?
                                   AND start_date = ? AND end_date = ?""",
                                [p["start_date"], p["end_date"], p["phase_id"], old["start_date"], old["end_date"]])
        if goal_rows is not None or phase_rows is not None:
            parents = [r[0] for r in con.execute(
                "SELECT DISTINCT parent_goal_id FROM goals WHERE parent_goal_id IS NOT NULL").fetchall()]
            for pid in parents:
                _sync_children(con, pid)
        bump_data_version(con)
    return counts


# ------------------------------------------------------------------ splits
def _parts(rows) -> list[tuple[dt.date, dt.date, float]]:
    out = []
    for r in _records(rows):
        s, e, target = as_date(r.get("start_date", r.get("start"))), as_date(r.get("end_date", r.get("end"))), \
            as_number(r.get("target"))
        if s is None and e is None and target is None:
            continue
        out.append((s, e, target))
    return out


def split_problems(goal: Goal, members: list[dict], parts: list[tuple] | None) -> list[Problem]:
    """Why a split cannot be saved: unknown members, bad shares, parts outside the period,
    overlapping, or (for amounts) not adding up to the goal's target."""
    out = []
    for i, m in enumerate(members, start=1):
        if m.get("scope_kind") not in ("platform", "account", "channel", "role", "person") or m.get("scope_ref") is None:
            out.append(Problem("goals.err_member", {}, i))
        share = m.get("share")
        if share is not None and share < 0:
            out.append(Problem("goals.err_negative", {"what": "share"}, i))
    keys = [(m.get("scope_kind"), m.get("scope_ref")) for m in members]
    if len(set(keys)) != len(keys):
        out.append(Problem("goals.err_member_twice", {}, None))
    if parts:
        met = catalog.get(goal.metric)
        for i, (s, e, target) in enumerate(parts, start=1):
            if s is None or e is None or target is None:
                out.append(Problem("goals.err_part_blank", {}, i))
            elif e < s or s < goal.start_date or e > goal.end_date:
                out.append(Problem("goals.err_part_outside", {"start": goal.start_date.isoformat(),
                                                              "end": goal.end_date.isoformat()}, i))
        good = sorted(p for p in parts if None not in p)
        for (s1, e1, _), (s2, _e2, _) in zip(good, good[1:]):
            if s2 <= e1:
                out.append(Problem("goals.err_part_overlap", {"day": s2.isoformat()}, None))
        if met.pace == "accrue" and good and goal.rule != "growth":
            total = sum(t for _, _, t in good)
            if abs(total - goal.target) > 1e-6 * max(1.0, abs(goal.target)):
                out.append(Problem("goals.err_parts_sum", {"total": f"{total:,.2f}", "target": f"{goal.target:,.2f}"},
                                   None))
    return out


def _sync_children(con, parent_id: int) -> None:
    """Make the children of ``parent_id`` follow it: same metric, period, rule, kind and time
    split; targets by share for amounts (adding up to the parent), inherited for rates."""
    parent = get_goal(con, parent_id)
    if parent is None:
        return
    kids = con.execute("SELECT goal_id, share FROM goals WHERE parent_goal_id = ? ORDER BY goal_id",
                       [parent_id]).fetchall()
    if not kids:
        return
    met = catalog.get(parent.metric)
    integral = met.unit == "count"
    targets = split_members(parent.target, [s for _, s in kids], met.additive, integral)
    floors = split_members(parent.floor, [s for _, s in kids], met.additive) if parent.floor is not None \
        else [None] * len(kids)
    for (gid, share), target, floor in zip(kids, targets, floors):
        con.execute("""UPDATE goals SET metric = ?, start_date = ?, end_date = ?, phase_id = ?, rule = ?, kind = ?,
                       target = ?, floor = ?, split_mode = ?, split_grain = ?, curve_growth = ?,
                       weekday_weights = ?, is_ultimate = FALSE, updated_at = now() WHERE goal_id = ?""",
                    [parent.metric, parent.start_date, parent.end_date, parent.phase_id, parent.rule, parent.kind,
                     target, floor, parent.split_mode, parent.split_grain, parent.curve_growth,
                     parent.weekday_weights, gid])
        con.execute("DELETE FROM goal_parts WHERE goal_id = ?", [gid])
        if parent.split_mode == "custom" and parent.parts:
            factor = (target / parent.target) if (met.additive and parent.target) else 1.0
            for s, e, t in parent.parts:
                con.execute("INSERT INTO goal_parts VALUES (?, ?, ?, ?)",
                            [gid, s, e, t * factor if met.pace != "rate" else t])


def write_split(con, goal_id: int, members=None, parts=None) -> dict:
    """Write a goal's split (inside the caller's transaction): ``members`` — rows with
    scope_kind, scope_ref and share — become its child goals (replacing the old ones);
    ``parts`` — rows with start_date, end_date, target — become its custom time split
    (an empty list goes back to the goal's mode, or 'even'). None leaves that side as it is."""
    goal = get_goal(con, goal_id)
    if goal is None:
        raise PlanRefused([Problem("goals.err_no_goal", {"goal": goal_id}, None)])
    member_rows = None
    if members is not None:
        member_rows = [{"scope_kind": clean(m.get("scope_kind")),
                        "scope_ref": None if clean(m.get("scope_ref")) is None else str(clean(m.get("scope_ref"))),
                        "share": as_number(m.get("share")), "name": clean(m.get("name"))}
                       for m in _records(members)]
        member_rows = [m for m in member_rows if m["scope_kind"] or m["scope_ref"]]
    part_rows = _parts(parts) if parts is not None else None
    problems = split_problems(goal, member_rows or [], part_rows)
    if problems:
        raise PlanRefused(problems)
    if part_rows is not None:
        con.execute("DELETE FROM goal_parts WHERE goal_id = ?", [goal_id])
        for s, e, t in part_rows:
            con.execute("INSERT INTO goal_parts VALUES (?, ?, ?, ?)", [goal_id, s, e, t])
        mode = "custom" if part_rows else ("even" if goal.split_mode == "custom" else goal.split_mode)
        con.execute("UPDATE goals SET split_mode = ? WHERE goal_id = ?", [mode, goal_id])
    if member_rows is not None:
        old = {(k, r): gid for gid, k, r in con.execute(
            "SELECT goal_id, scope_kind, scope_ref FROM goals WHERE parent_goal_id = ?", [goal_id]).fetchall()}
        wanted = {(m["scope_kind"], m["scope_ref"]) for m in member_rows}
        _delete_goals(con, [gid for key, gid in old.items() if key not in wanted])
        for m in member_rows:
            key = (m["scope_kind"], m["scope_ref"])
            if key in old:
                con.execute("UPDATE goals SET share = ?, name = coalesce(?, name) WHERE goal_id = ?",
                            [m["share"], m["name"], old[key]])
            else:
                child = Goal(metric=goal.metric, start_date=goal.start_date, end_date=goal.end_date,
                             target=goal.target, name=m["name"], scope_kind=m["scope_kind"], scope_ref=m["scope_ref"],
                             phase_id=goal.phase_id, kind=goal.kind, rule=goal.rule, parent_goal_id=goal_id,
                             share=m["share"])
                _write_goal(con, child)
    _sync_children(con, goal_id)
    bump_data_version(con)
    kids = con.execute("SELECT count(*) FROM goals WHERE parent_goal_id = ?", [goal_id]).fetchall()[0][0]
    n_parts = con.execute("SELECT count(*) FROM goal_parts WHERE goal_id = ?", [goal_id]).fetchall()[0][0]
    return {"children": kids, "parts": n_parts}


def save_split(con, goal_id: int, members=None, parts=None) -> dict:
    """``write_split`` in its own transaction (the Plan view's split form)."""
    with transaction(con):
        return write_split(con, goal_id, members, parts)


def save_goal(con, **fields) -> int:
    """``insert_goal`` in its own transaction (e.g. accepting a suggested target)."""
    with transaction(con):
        return insert_goal(con, **fields)


def listed_goal_ids(con, phase_id: int | None = None) -> tuple[list[int], int]:
    """The top-level goals the Plan view's editor lists — a phase's (those that name it, and
    those that name no phase but whose period overlaps it) or, with ``phase_id`` None, all —
    and how many top-level goals there are in all."""
    total = con.execute("SELECT count(*) FROM goals WHERE parent_goal_id IS NULL").fetchall()[0][0]
    if phase_id is None:
        rows = con.execute("SELECT goal_id FROM goals WHERE parent_goal_id IS NULL").fetchall()
    else:
        rows = con.execute(
            """SELECT g.goal_id FROM goals g, phases p
               WHERE g.parent_goal_id IS NULL AND p.phase_id = ?
                 AND (g.phase_id = p.phase_id
                      OR (g.phase_id IS NULL AND g.start_date <= p.end_date AND g.end_date >= p.start_date))""",
            [phase_id]).fetchall()
    return [r[0] for r in rows], total


def generate_parts(con, goal_id: int, grain: str | None = None) -> list[dict]:
    """The goal's current time split at ``grain`` as editable rows (start_date, end_date,
    target), for a user who wants to start a custom split from the computed one."""
    from metrics.pacing import goal_plan
    goal = get_goal(con, goal_id)
    plan = goal_plan(con, goal) if goal else None
    if plan is None:
        return []
    met = catalog.get(goal.metric)
    frame = plan.split(grain or goal.split_grain, integral=met.unit == "count")
    return [{"start_date": r.start, "end_date": r.end, "target": float(r.target)} for r in frame.itertuples()]
