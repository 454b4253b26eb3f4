"""Reads of the team plan: roles, people with their accounts and channels, the hiring timeline,
KPI sets, manual KPI inputs and the bonus rule."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

# Manual KPI inputs the team types in (any other key may be used as well): key → label key.
MANUAL_INPUTS = {
    "event_results": "appraisal.input.event_results",
    "enquiries": "appraisal.input.enquiries",
    "interactions": "appraisal.input.interactions",
    "pr_placements": "appraisal.input.pr_placements",
    "pr_coverage": "appraisal.input.pr_coverage",
    "media_contacts": "appraisal.input.media_contacts",
    "partners_signed": "appraisal.input.partners_signed",
}
MANUAL_PREFIX = "manual:"
ACCOUNT_SEPARATOR = ": "


def is_manual(metric_id: str) -> bool:
    return str(metric_id).startswith(MANUAL_PREFIX)


def manual_key(metric_id: str) -> str:
    """'manual:enquiries' → 'enquiries'."""
    return str(metric_id)[len(MANUAL_PREFIX):]


def account_text(platform: str, account: str) -> str:
    """('weibo', 'CityEats 微博') → 'weibo: CityEats 微博' (the form shown in editors)."""
    return f"{platform}{ACCOUNT_SEPARATOR}{account}"


def parse_account(text: str) -> tuple[str, str]:
    """'weibo: CityEats 微博' → ('weibo', 'CityEats 微博')."""
    platform, sep, account = str(text).partition(ACCOUNT_SEPARATOR)
    if not sep or not platform.strip() or not account.strip():
        raise ValueError(f"an account is written 'platform: account name', got {text!r}")
    return platform.strip(), account.strip()


@dataclass(frozen=True)
class Person:
    """One person with the role, accounts and channels the appraisal scopes their KPIs to."""
    person_id: int
    name: str
    role_id: int | None
    role: str | None
    start_date: dt.date | None
    active: bool
    accounts: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    channels: tuple[str, ...] = field(default_factory=tuple)
    bonus_base: float | None = None


def roles(con) -> pd.DataFrame:
    """Every role with its job description, phase needed by, headcount and people assigned."""
    return con.execute(
        """SELECT r.role_id, r.code, r.name, r.responsibilities, r.requirements, r.needed_from_phase,
                  r.headcount, count(p.person_id) FILTER (WHERE p.active) AS filled
           FROM roles r LEFT JOIN people p ON p.role_id = r.role_id
           GROUP BY ALL ORDER BY r.role_id""").df()


def all_accounts(con) -> list[tuple[str, str]]:
    """Every known account (registered, imported or assigned), sorted."""
    rows = con.execute(
        """SELECT platform, account FROM accounts
           UNION SELECT DISTINCT platform, account FROM account_daily
           UNION SELECT DISTINCT platform, account FROM business_daily
           UNION SELECT platform, account FROM person_accounts
           ORDER BY 1, 2""").fetchall()
    return [(p, a) for p, a in rows if p and a]


def all_channels(con) -> list[str]:
    """Every known channel (planned or seen in channel results), sorted."""
    rows = con.execute(
        """SELECT channel FROM channels UNION SELECT DISTINCT channel FROM channel_daily
           UNION SELECT channel FROM person_channels ORDER BY 1""").fetchall()
    return [r[0] for r in rows if r[0]]


def people(con, active_only: bool = False, person_id: int | None = None) -> list[Person]:
    """Every person (or only ``person_id``) with role, accounts, channels and bonus base, in id order."""
    where = ((["coalesce(p.active, TRUE)"] if active_only else [])
             + (["p.person_id = ?"] if person_id is not None else []))
    params = [] if person_id is None else [person_id]
    rows = con.execute(
        f"""SELECT p.person_id, p.name, p.role_id, r.name, p.start_date, coalesce(p.active, TRUE), pay.bonus_base
            FROM people p LEFT JOIN roles r ON r.role_id = p.role_id
            LEFT JOIN person_pay pay ON pay.person_id = p.person_id
            {"WHERE " + " AND ".join(where) if where else ""}
            ORDER BY p.person_id""", params).fetchall()
    # accounts and channels sorted in SQL and grouped here: cheaper than list aggregates per person
    one = "WHERE person_id = ?" if person_id is not None else ""
    accounts: dict[int, list] = {}
    for pid, platform, account in con.execute(f"""SELECT person_id, platform, account FROM person_accounts {one}
                                                  ORDER BY person_id, platform, account""", params).fetchall():
        accounts.setdefault(pid, []).append((platform, account))
    channels: dict[int, list] = {}
    for pid, channel in con.execute(f"""SELECT person_id, channel FROM person_channels {one}
                                        ORDER BY person_id, channel""", params).fetchall():
        channels.setdefault(pid, []).append(channel)
    return [Person(pid, name, role_id, role, start, bool(active), tuple(accounts.get(pid, ())),
                   tuple(channels.get(pid, ())), base)
            for pid, name, role_id, role, start, active, base in rows]


def active_starts(con) -> list[tuple[int, dt.date | None]]:
    """(person id, start date) of every active person, in id order."""
    return con.execute("""SELECT person_id, start_date FROM people WHERE coalesce(active, TRUE)
                          ORDER BY person_id""").fetchall()


def people_frame(con, everyone: list[Person] | None = None) -> pd.DataFrame:
    """People (``everyone``, default: all of the store) as a table for editors: accounts as
    'platform: account' texts."""
    rows = [{"person_id": p.person_id, "name": p.name, "role_id": p.role_id, "role": p.role,
             "start_date": p.start_date, "active": p.active,
             "accounts": [account_text(*a) for a in p.accounts], "channels": list(p.channels),
             "bonus_base": p.bonus_base} for p in (people(con) if everyone is None else everyone)]
    cols = ["person_id", "name", "role_id", "role", "start_date", "active", "accounts", "channels", "bonus_base"]
    return pd.DataFrame(rows, columns=cols)


def hiring_timeline(con, today: dt.date) -> pd.DataFrame:
    """Per role: the phase it is needed by, its start date, headcount, who fills it and a status.

    Status: ``in_place`` (enough people started by the need date), ``late`` (filled, but someone
    started after it), ``open`` (fewer people than the headcount and the need date has come),
    ``planned`` (not filled yet, need date still ahead).
    """
    df = con.execute(
        """WITH staff AS (
             SELECT role_id, count(*) AS filled, min(start_date) AS first_start, max(start_date) AS last_start,
                    string_agg(name, ', ' ORDER BY start_date NULLS LAST, name) AS names
             FROM people WHERE coalesce(active, TRUE) GROUP BY role_id)
           SELECT r.role_id, r.name AS role, r.needed_from_phase AS phase_code, ph.name AS phase,
                  ph.start_date AS needed_by, coalesce(r.headcount, 1) AS headcount,
                  coalesce(s.filled, 0) AS filled, s.names AS people, s.first_start, s.last_start
           FROM roles r
           LEFT JOIN (SELECT code, min(name) AS name, min(start_date) AS start_date FROM phases GROUP BY code) ph
             ON ph.code = r.needed_from_phase
           LEFT JOIN staff s ON s.role_id = r.role_id
           ORDER BY ph.start_date NULLS LAST, r.role_id""").df()
    df["status"] = [_hiring_status(row, today) for row in df.itertuples()]
    return df


def _hiring_status(row, today: dt.date) -> str:
    needed_by = None if pd.isna(row.needed_by) else pd.Timestamp(row.needed_by).date()
    if row.filled >= row.headcount:
        last = None if pd.isna(row.last_start) else pd.Timestamp(row.last_start).date()
        if needed_by is not None and last is not None and last > needed_by:
            return "late"
        return "in_place"
    if needed_by is None or needed_by <= today:
        return "open"
    return "planned"


KPI_COLUMNS = ["kpi_id", "position", "name", "metric_id", "platform", "scope", "period", "target", "goal_id",
               "weight", "direction", "cap", "floor_value", "min_achievement", "missing_rule"]


def kpi_set(con, role_id: int | None = None, person_id: int | None = None) -> pd.DataFrame:
    """The KPIs of a role's set, or of a person's own set, in position order."""
    if (role_id is None) == (person_id is None):
        raise ValueError("give exactly one of role_id or person_id")
    column, key = ("role_id", role_id) if role_id is not None else ("person_id", person_id)
    return con.execute(f"SELECT {', '.join(KPI_COLUMNS)} FROM kpis WHERE {column} = ? ORDER BY position, kpi_id",
                       [key]).df()


def people_with_own_kpis(con) -> set[int]:
    """The people who have a KPI set of their own (the others are appraised on their role's)."""
    return {r[0] for r in con.execute("SELECT DISTINCT person_id FROM kpis WHERE person_id IS NOT NULL").fetchall()}


def kpi_set_for(con, person: Person) -> tuple[str, list[dict]]:
    """The KPIs a person is appraised on: their own set when they have one, else their role's.

    Returns ('person' | 'role' | 'none', list of KPI rows as dicts).
    """
    return kpi_sets_for(con, [person])[person.person_id]


def kpi_sets_for(con, everyone: list[Person]) -> dict[int, tuple[str, list[dict]]]:
    """``kpi_set_for`` of every person in ``everyone``, read in one query: person id →
    ('person' | 'role' | 'none', KPI rows as dicts). The people of one role share its rows:
    read them, do not change them."""
    rows = con.execute(f"""SELECT role_id, person_id, {', '.join(KPI_COLUMNS)} FROM kpis
                           ORDER BY position, kpi_id""").fetchall()
    by_role: dict[int, list[dict]] = {}
    by_person: dict[int, list[dict]] = {}
    for role_id, pid, *values in rows:
        record = dict(zip(KPI_COLUMNS, values))
        if pid is not None:
            by_person.setdefault(pid, []).append(record)
        elif role_id is not None:
            by_role.setdefault(role_id, []).append(record)
    out = {}
    for p in everyone:
        if p.person_id in by_person:
            out[p.person_id] = ("person", by_person[p.person_id])
        elif p.role_id is not None and p.role_id in by_role:
            out[p.person_id] = ("role", by_role[p.role_id])
        else:
            out[p.person_id] = ("none", [])
    return out


def _blank(v) -> bool:
    """None or NaN."""
    return v is None or (isinstance(v, float) and math.isnan(v))


def kpi_sets_overview(con) -> pd.DataFrame:
    """Every KPI set (role sets and people's own sets) with its KPI count and weight total."""
    return con.execute(
        """SELECT CASE WHEN k.role_id IS NOT NULL THEN 'role' ELSE 'person' END AS owner_kind,
                  coalesce(k.role_id, k.person_id) AS owner_id,
                  coalesce(r.name, p.name) AS owner, count(*) AS kpis, sum(k.weight) AS weight_total
           FROM kpis k LEFT JOIN roles r ON r.role_id = k.role_id LEFT JOIN people p ON p.person_id = k.person_id
           GROUP BY ALL ORDER BY owner_kind DESC, owner_id""").df()


def goal_choices(con) -> dict[int, str]:
    """Goals a KPI can take its target from: id → 'name (start – end)'."""
    rows = con.execute("""SELECT goal_id, coalesce(nullif(trim(name), ''), metric), start_date, end_date
                          FROM goals ORDER BY start_date, goal_id""").fetchall()
    return {gid: f"#{gid} {name} ({start} – {end})" for gid, name, start, end in rows}


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def manual_inputs(con, month: dt.date) -> pd.DataFrame:
    """The input in force per person and key for ``month``: the latest entry (value NULL = cleared)."""
    return con.execute(
        """SELECT i.input_id, i.person_id, p.name AS person, i.input_key, i.value, i.note, i.entered_by, i.entered_at
           FROM kpi_inputs i LEFT JOIN people p ON p.person_id = i.person_id
           WHERE i.month = ?
           QUALIFY row_number() OVER (PARTITION BY i.person_id, i.input_key ORDER BY i.input_id DESC) = 1
           ORDER BY i.person_id, i.input_key""", [month_start(month)]).df()


def manual_input(con, person_ids: list[int], key: str, month: dt.date) -> tuple[float | None, list[dict]]:
    """Sum of the inputs in force for ``key`` over ``person_ids`` in ``month``, with the entries used."""
    if not person_ids:
        return None, []
    rows = con.execute(
        """SELECT i.input_id, i.person_id, i.value, i.note, i.entered_by, i.entered_at
           FROM kpi_inputs i WHERE i.month = ? AND i.input_key = ? AND list_contains(?, i.person_id)
           QUALIFY row_number() OVER (PARTITION BY i.person_id ORDER BY i.input_id DESC) = 1
           ORDER BY i.person_id""", [month_start(month), key, list(person_ids)]).fetchall()
    used = [{"input_id": r[0], "person_id": r[1], "value": r[2], "note": r[3], "entered_by": r[4],
             "entered_at": r[5].isoformat(sep=" ", timespec="seconds") if r[5] else None}
            for r in rows if r[2] is not None]
    if not used:
        return None, []
    return float(sum(u["value"] for u in used)), used


def input_history(con, month: dt.date) -> pd.DataFrame:
    """Every manual entry for ``month``, newest first (the audit trail of manual figures)."""
    return con.execute(
        """SELECT i.input_id, p.name AS person, i.input_key, i.value, i.note, i.entered_by, i.entered_at
           FROM kpi_inputs i LEFT JOIN people p ON p.person_id = i.person_id
           WHERE i.month = ? ORDER BY i.input_id DESC""", [month_start(month)]).df()


DEFAULT_BONUS_MODE = "linear"


def bonus_rule(con) -> tuple[str, float | None, list[tuple[float, float]]]:
    """(mode, default base, bands as (minimum score, multiplier)) of the workspace."""
    settings = dict(con.execute(
        "SELECT key, value FROM settings WHERE key IN ('appraisal.bonus_mode', 'appraisal.bonus_base')").fetchall())
    mode = settings.get("appraisal.bonus_mode") or DEFAULT_BONUS_MODE
    base = settings.get("appraisal.bonus_base")
    bands = [(float(a), float(b)) for a, b in
             con.execute("SELECT min_score, multiplier FROM bonus_bands ORDER BY min_score").fetchall()]
    return mode, (float(base) if base not in (None, "") else None), bands


def input_sheet(con, month: dt.date, everyone: list[Person]) -> pd.DataFrame:
    """The manual inputs to fill for ``month``: every (person, input key) their KPI set asks for,
    plus any already entered, with the value and note in force."""
    current = con.execute(
        """SELECT person_id, input_key, value, note FROM kpi_inputs WHERE month = ?
           QUALIFY row_number() OVER (PARTITION BY person_id, input_key ORDER BY input_id DESC) = 1""",
        [month_start(month)]).fetchall()   # the inputs in force, as ``manual_inputs`` reads them
    wanted = set()
    sets = kpi_sets_for(con, everyone)
    for person in everyone:
        for kpi in sets[person.person_id][1]:
            if is_manual(kpi["metric_id"]):
                wanted.add((person.person_id, manual_key(kpi["metric_id"])))
    in_force = {(int(pid), key): (value, note) for pid, key, value, note in current}
    names = {p.person_id: p.name for p in everyone}
    rows = []
    for pid, key in sorted(wanted | set(in_force)):
        if pid not in names:
            continue
        value, note = in_force.get((pid, key), (None, None))
        rows.append({"person_id": pid, "person": names[pid], "input_key": key,
                     "value": None if _blank(value) else float(value), "note": None if _blank(note) else note})
    return pd.DataFrame(rows, columns=["person_id", "person", "input_key", "value", "note"])
