"""Writes of the team plan and the appraisal: roles, people (accounts, channels, bonus base),
KPI sets, manual KPI inputs, the bonus rule, and month locks with their logged revisions.

Every public function validates first, collecting every problem, and refuses with
``TeamRefused`` (nothing written); otherwise it writes in ONE transaction and bumps the data
version. The ``write_*`` functions do the same writes without a transaction of their own, for
callers that already hold one (the demo builder).
"""
from __future__ import annotations

import datetime as dt
import json
import re

from metrics import appraisal, catalog, team
from metrics import appraisal_scoring as scoring
from store.connection import bump_data_version, transaction
from store.refusals import WriteRefused, is_blank

DEFAULT_PHASE_CODES = ("seed", "initial", "brand")
INPUT_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class TeamRefused(WriteRefused):
    """A write of the team plan (roles, people, KPI sets, bonus rule) was refused."""


_blank = is_blank


def _text(x) -> str | None:
    return None if _blank(x) else str(x).strip()


def _number(x) -> float | None:
    if _blank(x):
        return None
    return float(x)


def _int(x) -> int | None:
    return None if _blank(x) else int(x)


def _date(x) -> dt.date | None:
    if _blank(x):
        return None
    if isinstance(x, dt.datetime):
        return x.date()
    if isinstance(x, dt.date):
        return x
    if hasattr(x, "date"):
        return x.date()
    return dt.date.fromisoformat(str(x)[:10])


def _refuse(problems):
    if problems:
        raise TeamRefused(problems)


def _next_id(con, sequence: str) -> int:
    return con.execute(f"SELECT nextval('{sequence}')").fetchall()[0][0]


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return slug or "role"


# ------------------------------------------------------------------ roles
def write_roles(con, rows: list[dict]) -> None:
    """Replace the roles with ``rows`` (role_id None = new); refuses on any problem."""
    phases = {r[0] for r in con.execute("SELECT DISTINCT code FROM phases").fetchall()} | set(DEFAULT_PHASE_CODES)
    existing = {r[0] for r in con.execute("SELECT role_id FROM roles").fetchall()}
    problems, clean, codes = [], [], set()
    for i, row in enumerate(rows, start=1):
        name = _text(row.get("name"))
        if not name:
            problems.append(("team.err.role_name", {"row": i}))
            continue
        code = _text(row.get("code")) or _slug(name)
        if code in codes:
            problems.append(("team.err.role_code_twice", {"row": i, "code": code}))
        codes.add(code)
        phase = _text(row.get("needed_from_phase"))
        if phase and phase not in phases:
            problems.append(("team.err.role_phase", {"row": i, "phase": phase, "known": ", ".join(sorted(phases))}))
        headcount = _int(row.get("headcount"))
        headcount = 1 if headcount is None else headcount
        if headcount < 0:
            problems.append(("team.err.headcount", {"row": i}))
        role_id = _int(row.get("role_id"))
        clean.append((role_id if role_id in existing else None, code, name, _text(row.get("responsibilities")),
                      _text(row.get("requirements")), phase, headcount))
    kept = {c[0] for c in clean if c[0] is not None}
    for role_id in sorted(existing - kept):
        staff = con.execute("SELECT string_agg(name, ', ') FROM people WHERE role_id = ?", [role_id]).fetchall()[0][0]
        if staff:
            name = con.execute("SELECT name FROM roles WHERE role_id = ?", [role_id]).fetchall()[0][0]
            problems.append(("team.err.role_in_use", {"role": name, "people": staff}))
    _refuse(problems)
    for role_id in sorted(existing - kept):
        con.execute("DELETE FROM kpis WHERE role_id = ?", [role_id])
        con.execute("DELETE FROM roles WHERE role_id = ?", [role_id])
    # codes are UNIQUE: park the kept rows' codes first so two roles can swap codes
    for role_id in kept:
        con.execute("UPDATE roles SET code = '__' || CAST(role_id AS VARCHAR) WHERE role_id = ?", [role_id])
    for role_id, code, name, resp, req, phase, headcount in clean:
        if role_id is None:
            con.execute("INSERT INTO roles VALUES (nextval('role_id_seq'), ?, ?, ?, ?, ?, ?)",
                        [code, name, resp, req, phase, headcount])
        else:
            con.execute("""UPDATE roles SET code = ?, name = ?, responsibilities = ?, requirements = ?,
                           needed_from_phase = ?, headcount = ? WHERE role_id = ?""",
                        [code, name, resp, req, phase, headcount, role_id])


def save_roles(con, rows: list[dict]) -> None:
    """Save the role table in one transaction (see ``write_roles``)."""
    with transaction(con):
        write_roles(con, rows)
        bump_data_version(con)


# ------------------------------------------------------------------ people
def _accounts(value) -> list[tuple[str, str]]:
    out = []
    for item in ([] if _blank_list(value) else list(value)):
        if isinstance(item, (tuple, list)):
            out.append((str(item[0]).strip(), str(item[1]).strip()))
        else:
            out.append(team.parse_account(item))
    return sorted(set(out))


_blank_list = is_blank  # a list or tuple is never blank


def write_people(con, rows: list[dict], shown: set[int] | None = None) -> None:
    """Replace the people with ``rows``: name, role_id, start_date, active, accounts
    ('platform: account' texts or pairs), channels, bonus_base. person_id None = new.
    ``shown``: the people the editor listed (a page or a filter); only they may be removed
    by leaving them out (default: everyone)."""
    roles = {r[0] for r in con.execute("SELECT role_id FROM roles").fetchall()}
    existing = {r[0] for r in con.execute("SELECT person_id FROM people").fetchall()}
    problems, clean = [], []
    for i, row in enumerate(rows, start=1):
        name = _text(row.get("name"))
        if not name:
            problems.append(("team.err.person_name", {"row": i}))
            continue
        role_id = _int(row.get("role_id"))
        if role_id is not None and role_id not in roles:
            problems.append(("team.err.person_role", {"row": i, "name": name}))
        try:
            accounts = _accounts(row.get("accounts"))
        except ValueError as exc:
            problems.append(("team.err.account", {"row": i, "error": str(exc)}))
            accounts = []
        channels = sorted({str(c).strip() for c in ([] if _blank_list(row.get("channels")) else row.get("channels"))
                           if str(c).strip()})
        base = _number(row.get("bonus_base"))
        if base is not None and base < 0:
            problems.append(("team.err.bonus_base", {"row": i}))
        try:
            start = _date(row.get("start_date"))
        except ValueError:
            problems.append(("team.err.start_date", {"row": i, "value": row.get("start_date")}))
            start = None
        active = row.get("active")
        person_id = _int(row.get("person_id"))
        clean.append((person_id if person_id in existing else None, name, role_id, start,
                      True if _blank(active) else bool(active), accounts, channels, base))
    _refuse(problems)
    kept = {c[0] for c in clean if c[0] is not None}
    for person_id in sorted((existing if shown is None else existing & set(shown)) - kept):
        for table in ("person_accounts", "person_channels", "person_pay", "kpis"):
            con.execute(f"DELETE FROM {table} WHERE person_id = ?", [person_id])
        con.execute("DELETE FROM people WHERE person_id = ?", [person_id])
    for person_id, name, role_id, start, active, accounts, channels, base in clean:
        if person_id is None:
            person_id = _next_id(con, "person_id_seq")
            con.execute("INSERT INTO people VALUES (?, ?, ?, ?, ?)", [person_id, name, role_id, start, active])
        else:
            con.execute("UPDATE people SET name = ?, role_id = ?, start_date = ?, active = ? WHERE person_id = ?",
                        [name, role_id, start, active, person_id])
        con.execute("DELETE FROM person_accounts WHERE person_id = ?", [person_id])
        for platform, account in accounts:
            con.execute("INSERT INTO person_accounts VALUES (?, ?, ?)", [person_id, platform, account])
        con.execute("DELETE FROM person_channels WHERE person_id = ?", [person_id])
        for channel in channels:
            con.execute("INSERT INTO person_channels VALUES (?, ?)", [person_id, channel])
        con.execute("DELETE FROM person_pay WHERE person_id = ?", [person_id])
        if base is not None:
            con.execute("INSERT INTO person_pay VALUES (?, ?)", [person_id, base])


def save_people(con, rows: list[dict], shown: set[int] | None = None) -> None:
    """Save the people table (or the part of it in ``shown``) in one transaction (see ``write_people``)."""
    with transaction(con):
        write_people(con, rows, shown)
        bump_data_version(con)


# ------------------------------------------------------------------ KPI sets
def check_kpi_rows(rows: list[dict], owner: str, goals: set[int] | frozenset = frozenset()
                   ) -> tuple[list[dict], list[tuple[str, dict]]]:
    """Normalised KPI rows and every problem found (weights must sum to 100 %; ``goals``: the
    goal ids a target may come from)."""
    problems, clean = [], []
    for i, row in enumerate(rows, start=1):
        name = _text(row.get("name"))
        metric_id = _text(row.get("metric_id"))
        if not metric_id:
            problems.append(("team.err.kpi_metric_missing", {"row": i}))
            continue
        if team.is_manual(metric_id):
            if not INPUT_KEY.match(team.manual_key(metric_id)):
                problems.append(("team.err.kpi_manual_key", {"row": i, "metric": metric_id}))
            default_direction = "higher"
        elif metric_id in catalog.METRICS:
            default_direction = catalog.METRICS[metric_id].direction
        else:
            problems.append(("team.err.kpi_metric_unknown", {"row": i, "metric": metric_id}))
            default_direction = "higher"
        if not name:
            name = (catalog.METRICS[metric_id].label_en if metric_id in catalog.METRICS
                    else team.manual_key(metric_id).replace("_", " ").capitalize())
        try:
            target, weight = _number(row.get("target")), _number(row.get("weight"))
            cap, floor = _number(row.get("cap")), _number(row.get("floor_value"))
            min_ach = _number(row.get("min_achievement"))
        except (TypeError, ValueError):
            problems.append(("team.err.kpi_number", {"row": i, "name": name}))
            continue
        if target is None or target <= 0:
            problems.append(("team.err.kpi_target", {"row": i, "name": name}))
        if weight is None or weight < 0 or weight > 100:
            problems.append(("team.err.kpi_weight", {"row": i, "name": name}))
        cap = 1.2 if cap is None else cap
        if cap < 1:
            problems.append(("team.err.kpi_cap", {"row": i, "name": name}))
        if min_ach is not None and not 0 <= min_ach <= cap:
            problems.append(("team.err.kpi_min_achievement", {"row": i, "name": name}))
        direction = _text(row.get("direction")) or default_direction
        scope = _text(row.get("scope")) or "person"
        missing = _text(row.get("missing_rule")) or "zero"
        period = _text(row.get("period")) or "month"
        for value, allowed, key in ((direction, scoring.DIRECTIONS, "direction"), (scope, ("person", "team"), "scope"),
                                    (missing, scoring.MISSING_RULES, "missing_rule"),
                                    (period, ("month", "week", "day"), "period")):
            if value not in allowed:
                problems.append(("team.err.kpi_choice", {"row": i, "name": name, "field": key, "value": value,
                                                         "allowed": ", ".join(allowed)}))
        goal_id = _int(row.get("goal_id"))
        if goal_id is not None and goal_id not in goals:
            problems.append(("team.err.kpi_goal", {"row": i, "name": name, "goal": goal_id}))
        clean.append({"kpi_id": _int(row.get("kpi_id")), "name": name, "metric_id": metric_id, "goal_id": goal_id,
                      "platform": _text(row.get("platform")), "scope": scope, "period": period,
                      "target": target, "weight": weight, "direction": direction, "cap": cap,
                      "floor_value": floor, "min_achievement": min_ach, "missing_rule": missing})
    weights = [r["weight"] for r in clean if r["weight"] is not None]
    if not rows:
        problems.append(("team.err.kpi_empty", {"owner": owner}))
    elif len(weights) == len(clean) == len(rows):
        total = sum(weights)
        if abs(total - scoring.WEIGHT_TOTAL) > scoring.WEIGHT_TOLERANCE:
            problems.append(("team.err.weights_sum", {"owner": owner, "total": f"{total:g}"}))
    return clean, problems


def write_kpi_set(con, rows: list[dict], role_id: int | None = None, person_id: int | None = None) -> None:
    """Replace a role's KPI set (or a person's own set) with ``rows``; refuses unless the
    weights sum to 100 % and every row is valid. KPI ids of kept rows stay the same."""
    if (role_id is None) == (person_id is None):
        raise ValueError("give exactly one of role_id or person_id")
    column, owner_id = ("role_id", role_id) if role_id is not None else ("person_id", person_id)
    table = "roles" if role_id is not None else "people"
    found = con.execute(f"SELECT name FROM {table} WHERE {column} = ?", [owner_id]).fetchall()
    if not found:
        raise TeamRefused([("team.err.owner_unknown", {"owner": f"{column} {owner_id}"})])
    goals = {r[0] for r in con.execute("SELECT goal_id FROM goals").fetchall()}
    clean, problems = check_kpi_rows(rows, found[0][0], goals)
    _refuse(problems)
    existing = {r[0] for r in con.execute(f"SELECT kpi_id FROM kpis WHERE {column} = ?", [owner_id]).fetchall()}
    kept = {r["kpi_id"] for r in clean if r["kpi_id"] in existing}
    for kpi_id in existing - kept:
        con.execute("DELETE FROM kpis WHERE kpi_id = ?", [kpi_id])
    cols = ["name", "metric_id", "platform", "scope", "period", "target", "goal_id", "weight", "direction", "cap",
            "floor_value", "min_achievement", "missing_rule"]
    for position, r in enumerate(clean, start=1):
        values = [r[c] for c in cols]
        if r["kpi_id"] in kept:
            con.execute(f"UPDATE kpis SET position = ?, {', '.join(c + ' = ?' for c in cols)} WHERE kpi_id = ?",
                        [position] + values + [r["kpi_id"]])
        else:
            con.execute(f"""INSERT INTO kpis (kpi_id, role_id, person_id, position, {', '.join(cols)})
                            VALUES (nextval('kpi_id_seq'), ?, ?, ?, {', '.join('?' for _ in cols)})""",
                        [role_id, person_id, position] + values)


def save_kpi_set(con, rows: list[dict], role_id: int | None = None, person_id: int | None = None) -> None:
    """Save one KPI set in one transaction (see ``write_kpi_set``)."""
    with transaction(con):
        write_kpi_set(con, rows, role_id=role_id, person_id=person_id)
        bump_data_version(con)


def drop_person_set(con, person_id: int) -> None:
    """Remove a person's own KPI set: they are appraised on their role's set again."""
    with transaction(con):
        con.execute("DELETE FROM kpis WHERE person_id = ?", [person_id])
        bump_data_version(con)


# ------------------------------------------------------------------ bonus rule
def write_bonus_rule(con, mode: str, default_base: float | None, bands: list[tuple[float, float]]) -> None:
    """Set the bonus mode ('linear' or 'bands'), the default base and the bands (minimum score, multiplier)."""
    problems = []
    if mode not in scoring.BONUS_MODES:
        problems.append(("team.err.bonus_mode", {"mode": mode}))
    base = _number(default_base)
    if base is not None and base < 0:
        problems.append(("team.err.bonus_default", {}))
    clean = []
    for i, band in enumerate(bands, start=1):
        low, mult = (_number(band[0]), _number(band[1])) if band is not None else (None, None)
        if low is None and mult is None:
            continue
        if low is None or mult is None or low < 0 or mult < 0:
            problems.append(("team.err.band", {"row": i}))
            continue
        clean.append((low, mult))
    lows = [b[0] for b in clean]
    if len(set(lows)) != len(lows):
        problems.append(("team.err.band_twice", {}))
    if mode == "bands" and not clean:
        problems.append(("team.err.bands_empty", {}))
    _refuse(problems)
    for key, value in (("appraisal.bonus_mode", mode), ("appraisal.bonus_base", None if base is None else repr(base))):
        con.execute("DELETE FROM settings WHERE key = ?", [key])
        if value is not None:
            con.execute("INSERT INTO settings VALUES (?, ?)", [key, value])
    con.execute("DELETE FROM bonus_bands")
    for low, mult in sorted(clean):
        con.execute("INSERT INTO bonus_bands VALUES (?, ?)", [low, mult])


def save_bonus_rule(con, mode: str, default_base: float | None, bands: list[tuple[float, float]]) -> None:
    """Save the bonus rule in one transaction (see ``write_bonus_rule``)."""
    with transaction(con):
        write_bonus_rule(con, mode, default_base, bands)
        bump_data_version(con)


# ------------------------------------------------------------------ manual inputs
def write_inputs(con, month: dt.date, entries: list[dict], who: str, now: dt.datetime | None = None) -> int:
    """Log manual KPI inputs for ``month`` (person_id, input_key, value, note); only entries that
    change the value in force are written. Refused for a locked month. Returns entries written."""
    month = team.month_start(month)
    problems = []
    who = _text(who)
    if not who:
        problems.append(("appraisal.err.who", {}))
    if appraisal.is_locked(con, month):
        problems.append(("appraisal.err.locked", {"month": month.strftime("%Y-%m")}))
    people = {r[0] for r in con.execute("SELECT person_id FROM people").fetchall()}
    clean = []
    for i, e in enumerate(entries, start=1):
        key = _text(e.get("input_key"))
        pid = _int(e.get("person_id"))
        if pid not in people:
            problems.append(("appraisal.err.input_person", {"row": i}))
            continue
        if not key or not INPUT_KEY.match(key):
            problems.append(("appraisal.err.input_key", {"row": i, "key": key or ""}))
            continue
        try:
            value = _number(e.get("value"))
        except (TypeError, ValueError):
            problems.append(("appraisal.err.input_value", {"row": i, "value": e.get("value")}))
            continue
        clean.append((pid, key, value, _text(e.get("note"))))
    _refuse(problems)
    current = {(r.person_id, r.input_key): (None if _blank(r.value) else float(r.value), r.note)
               for r in team.manual_inputs(con, month).itertuples()}
    now = now or dt.datetime.now().replace(microsecond=0)
    written = 0
    for pid, key, value, note in clean:
        before = current.get((pid, key))
        if before is None and value is None:
            continue
        if before is not None and before[0] == value and (before[1] or None) == note:
            continue
        con.execute("INSERT INTO kpi_inputs VALUES (nextval('kpi_input_id_seq'), ?, ?, ?, ?, ?, ?, ?)",
                    [pid, key, month, value, note, who, now])
        written += 1
    return written


def save_inputs(con, month: dt.date, entries: list[dict], who: str) -> int:
    """Save manual inputs in one transaction (see ``write_inputs``)."""
    with transaction(con):
        written = write_inputs(con, month, entries, who)
        if written:
            bump_data_version(con)
    return written


# ------------------------------------------------------------------ locks and revisions
def _log(con, month: dt.date, action: str, who: str, why: str | None, now: dt.datetime | None) -> int:
    revision_id = _next_id(con, "appraisal_revision_seq")
    con.execute("INSERT INTO appraisal_revisions VALUES (?, ?, ?, ?, ?, ?)",
                [revision_id, month, action, who, why, now or dt.datetime.now().replace(microsecond=0)])
    return revision_id


def _write_snapshot(con, revision_id: int, scores: appraisal.MonthScores) -> None:
    for p in scores.people:
        con.execute("INSERT INTO appraisal_snapshot_people VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [revision_id, p.person_id, p.name, p.role, p.score, p.bonus_base, p.bonus,
                     json.dumps(p.bonus_rule), p.kpis_missing, p.counted_from])
        for k in p.kpis:
            values = {"revision_id": revision_id, "person_id": p.person_id, "kpi_id": k.kpi_id,
                      "position": k.position, "name": k.name, "metric_id": k.metric_id, "platform": k.platform,
                      "scope": k.scope, "scope_text": k.scope_text, "period": k.period, "target": k.target,
                      "weight": k.weight, "direction": k.direction, "cap": k.cap, "floor_value": k.floor_value,
                      "min_achievement": k.min_achievement, "missing_rule": k.missing_rule, "actual": k.actual,
                      "achievement": k.achievement, "points": k.points, "effective_weight": k.effective_weight,
                      "contribution": k.contribution, "status": k.status,
                      "sources": json.dumps(k.sources, ensure_ascii=False, default=str), "corrected": k.corrected,
                      "target_goal_id": k.target_goal_id}
            con.execute(f"INSERT INTO appraisal_snapshot_kpis ({', '.join(values)}) "
                        f"VALUES ({', '.join('?' for _ in values)})", list(values.values()))


def write_lock(con, month: dt.date, who: str, why: str | None, today: dt.date,
               now: dt.datetime | None = None) -> int:
    """Freeze ``month``: snapshot every score with its inputs, sources and KPI definitions.
    Refused while the month is not over, when it is locked already, or nobody is appraised."""
    month = team.month_start(month)
    problems = []
    who = _text(who)
    if not who:
        problems.append(("appraisal.err.who", {}))
    if appraisal.is_locked(con, month):
        problems.append(("appraisal.err.already_locked", {"month": month.strftime("%Y-%m")}))
    if appraisal.month_period(month).end >= today:
        problems.append(("appraisal.err.month_not_over", {"month": month.strftime("%Y-%m")}))
    _refuse(problems)
    scores = appraisal.live_scores(con, month, with_sources=True)
    if not scores.people:
        raise TeamRefused([("appraisal.err.nobody", {"month": month.strftime("%Y-%m")})])
    revision_id = _log(con, month, "lock", who, _text(why), now)
    _write_snapshot(con, revision_id, scores)
    con.execute("INSERT INTO appraisal_locks VALUES (?, ?)", [month, revision_id])
    return revision_id


def lock_month(con, month: dt.date, who: str, why: str | None, today: dt.date) -> int:
    """Lock a month in one transaction (see ``write_lock``); returns the revision id."""
    with transaction(con):
        revision_id = write_lock(con, month, who, why, today)
        bump_data_version(con)
    return revision_id


def unlock_month(con, month: dt.date, who: str, why: str) -> int:
    """Reopen a locked month (its snapshots stay in the log); who and why are required."""
    month = team.month_start(month)
    problems = []
    if not _text(who):
        problems.append(("appraisal.err.who", {}))
    if not _text(why):
        problems.append(("appraisal.err.why", {}))
    if not appraisal.is_locked(con, month):
        problems.append(("appraisal.err.not_locked", {"month": month.strftime("%Y-%m")}))
    _refuse(problems)
    with transaction(con):
        revision_id = _log(con, month, "unlock", _text(who), _text(why), None)
        con.execute("DELETE FROM appraisal_locks WHERE month = ?", [month])
        bump_data_version(con)
    return revision_id


def correct_kpi(con, month: dt.date, person_id: int, kpi_id: int, actual: float | None,
                who: str, why: str) -> int:
    """Correct one KPI's actual in a locked month: a new revision copies the snapshot in force
    with that figure replaced and the person re-scored; who and why are required."""
    month = team.month_start(month)
    problems = []
    if not _text(who):
        problems.append(("appraisal.err.who", {}))
    if not _text(why):
        problems.append(("appraisal.err.why", {}))
    info = appraisal.lock_info(con, month)
    if info is None:
        problems.append(("appraisal.err.not_locked", {"month": month.strftime("%Y-%m")}))
    _refuse(problems)
    frozen = appraisal.snapshot(con, info["revision_id"], month)
    person = frozen.person(person_id)
    if person is None or all(k.kpi_id != kpi_id for k in person.kpis):
        raise TeamRefused([("appraisal.err.no_such_kpi", {})])
    value = _number(actual)
    fixed = appraisal.with_correction(person, kpi_id, value, _text(who), _text(why))
    people = [fixed if p.person_id == person_id else p for p in frozen.people]
    with transaction(con):
        revision_id = _log(con, month, "correction", _text(who), _text(why), None)
        _write_snapshot(con, revision_id, appraisal.MonthScores(month, True, revision_id, people))
        con.execute("UPDATE appraisal_locks SET revision_id = ? WHERE month = ?", [revision_id, month])
        bump_data_version(con)
    return revision_id
