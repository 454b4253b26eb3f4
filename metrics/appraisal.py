"""Appraisal scores per person and month: each KPI's actual, target, achievement, points and
weighted contribution, the total score and the bonus — live from the data, or frozen in the
snapshot of a locked month.

Where a figure comes from is kept beside it: the imports whose rows fed it (``account_daily``,
``business_daily``, ``posts``, ``channel_daily`` … rows carry their ``import_id``) or the manual
entries used. The arithmetic is in ``metrics.appraisal_scoring``.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from metrics import appraisal_scoring as scoring
from metrics import catalog, catalog_batch, team
from metrics.periods import Period, month_of

ACCOUNT_TABLES = ("account_daily", "business_daily", "posts", "traffic_daily")
CHANNEL_TABLES = ("channel_daily", "spend")


@dataclass(frozen=True)
class KpiResult:
    """One KPI of one person in one month: its definition, figures and where they came from."""
    kpi_id: int
    position: int
    name: str
    metric_id: str
    platform: str | None
    scope: str
    scope_text: str
    period: str
    target: float
    weight: float
    direction: str
    cap: float
    floor_value: float | None
    min_achievement: float | None
    missing_rule: str
    actual: float | None
    achievement: float | None
    points: float | None
    effective_weight: float
    contribution: float
    status: str
    sources: list = field(default_factory=list)
    corrected: bool = False
    target_goal_id: int | None = None     # the goal that gave this month's target, if any


@dataclass(frozen=True)
class PersonResult:
    """One person's month: the KPIs, the total score (None when nothing counts) and the bonus."""
    person_id: int
    name: str
    role: str | None
    kpi_source: str            # 'person' (own set) | 'role' | 'none' | 'snapshot'
    score: float | None
    bonus_base: float | None
    bonus: float | None
    bonus_rule: dict
    kpis: list[KpiResult]
    counted_from: dt.date | None = None   # first day counted (the start date when joining mid-month)
    pay_share: float = 1.0                # counted days ÷ days of the month: the share of the base paid

    @property
    def kpis_missing(self) -> int:
        return sum(1 for k in self.kpis if k.status in (scoring.MISSING_ZERO, scoring.MISSING_EXCLUDED))


@dataclass(frozen=True)
class MonthScores:
    """Everyone's scores for one month, live or from the lock's snapshot (``revision_id``)."""
    month: dt.date
    locked: bool
    revision_id: int | None
    people: list[PersonResult]

    def person(self, person_id: int) -> PersonResult | None:
        return next((p for p in self.people if p.person_id == person_id), None)


def month_period(month: dt.date) -> Period:
    """The calendar month containing ``month``."""
    return month_of(month)


def recent_months(today: dt.date, count: int = 12) -> list[dt.date]:
    """First days of the ``count`` months up to the month of ``today``, newest first."""
    out, day = [], today.replace(day=1)
    for _ in range(count):
        out.append(day)
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return out


def last_complete_month(today: dt.date) -> dt.date:
    """First day of the last month that has ended before ``today``."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


# ------------------------------------------------------------------ scope and actuals
def kpi_scope(kpi: dict, person: team.Person) -> catalog.Scope | None:
    """The catalogue scope of a KPI for a person: their accounts (on the KPI's platform, if set)
    and channels, or the whole team (optionally one platform)."""
    return _scope(kpi.get("platform") or None, kpi.get("scope") == "team", person.accounts, person.channels)


@functools.lru_cache(maxsize=65536)
def _scope(platform: str | None, whole_team: bool, person_accounts: tuple, person_channels: tuple):
    if whole_team:
        return catalog.Scope(platform=platform) if platform else None
    accounts = tuple(a for a in person_accounts if platform is None or a[0] == platform)
    channels = tuple(person_channels) if person_channels else None
    if not accounts and channels:
        return catalog.Scope(platform=platform, accounts=None if platform is None else (), channels=channels)
    return catalog.Scope(platform=platform, accounts=accounts, channels=channels)


def scope_text(kpi: dict, person: team.Person) -> str:
    """The scope in words, e.g. 'weibo: CityEats 微博' or 'team · wechat'."""
    platform = kpi.get("platform") or None
    if kpi.get("scope") == "team":
        return f"team · {platform}" if platform else "team"
    if team.is_manual(kpi["metric_id"]):
        return person.name
    return _scope_text(kpi["metric_id"], platform, person.accounts, person.channels)


@functools.lru_cache(maxsize=65536)
def _scope_text(metric_id: str, platform: str | None, accounts: tuple, channels: tuple) -> str:
    scope = _scope(platform, False, accounts, channels)
    dims = {catalog.RELATIONS[rel].dimension for rel, _ in _relations_of(metric_id, scope)
            if rel in catalog.RELATIONS}
    parts = []
    if "account" in dims:
        parts += [team.account_text(*a) for a in accounts if platform is None or a[0] == platform]
    if "channel" in dims:
        parts += [f"channel: {c}" for c in channels]
    return ", ".join(parts) if parts else "–"


def _has_scope(scope: catalog.Scope | None) -> bool:
    if scope is None:
        return True
    return bool(scope.accounts) or bool(scope.channels) or (scope.accounts is None and scope.channels is None)


def _relations_of(metric_id: str, scope: catalog.Scope | None, seen: set | None = None) -> set[tuple[str, str]]:
    """(catalogue relation id, aggregation) pairs a metric reads under ``scope``."""
    seen = set() if seen is None else seen
    if metric_id in seen or metric_id not in catalog.METRICS:
        return set()
    seen.add(metric_id)
    met = catalog.METRICS[metric_id]
    if met.kind == "derived":
        names = set(re.findall(r"[A-Za-z_]\w*", met.expr or ""))
        return set().union(*[_relations_of(n, scope, seen) for n in names]) if names else set()
    out = set()
    for mid in met.measures + met.numerator + met.denominator:
        m = catalog.MEASURES.get(mid)
        if m is None or m.agg == "days":
            continue
        if (scope is not None and m.per_channel and scope.restricts_channels and not scope.restricts_accounts):
            m = catalog.MEASURES[m.per_channel]
        agg = "cumulative" if met.kind == "cumulative" else m.agg
        out.add((m.relation, agg))
    return out


def figure_sources(con, metric_id: str, start: dt.date, end: dt.date,
                   scope: catalog.Scope | None) -> list[dict]:
    """The imports whose rows in ``scope`` and the period fed a metric's value, per table."""
    tables: dict[str, dt.date] = {}
    for rel_id, agg in _relations_of(metric_id, scope):
        rel = catalog.RELATIONS.get(rel_id)
        if rel is None:
            continue
        first = catalog.FIRST_DAY if agg in ("cumulative", "opening") else start
        for table in re.findall(r"FROM\s+([a-z_]+)", rel.source):
            if table in ACCOUNT_TABLES + CHANNEL_TABLES:
                tables[table] = min(first, tables.get(table, first))
    out = []
    for table, first in sorted(tables.items()):
        where, params = _source_filter(table, scope)
        if where is None:
            continue
        day = "CAST(published_at AS DATE)" if table == "posts" else "date"
        rows = con.execute(     # rows counted per import first, then named (an import id is unique)
            f"""SELECT t.import_id, i.file_name, i.report, i.imported_at, t.n, t.lo, t.hi
                FROM (SELECT import_id, count(*) AS n, min(d) AS lo, max(d) AS hi
                      FROM (SELECT import_id, {day} AS d FROM {table} WHERE {where})
                      WHERE d BETWEEN ? AND ? GROUP BY import_id) t
                LEFT JOIN imports i ON i.import_id = t.import_id ORDER BY t.import_id""",
            params + [first, end]).fetchall()
        for import_id, file_name, report, imported_at, n, lo, hi in rows:
            out.append({"kind": "import", "table": table, "import_id": import_id, "file_name": file_name,
                        "report": report, "imported_at": _iso(imported_at), "rows": n,
                        "first": _iso(lo), "last": _iso(hi)})
    return out


def _source_filter(table: str, scope: catalog.Scope | None) -> tuple[str | None, list]:
    if scope is None:
        return "TRUE", []
    if table in ACCOUNT_TABLES:
        parts, params = [], []
        if scope.platform:
            parts.append("platform = ?")
            params.append(scope.platform)
        if scope.accounts is not None:
            if not scope.accounts:
                return None, []
            parts.append("(" + " OR ".join("(platform = ? AND account = ?)" for _ in scope.accounts) + ")")
            for platform, account in scope.accounts:
                params += [platform, account]
        elif scope.channels is not None and not scope.platform:
            return None, []
        return (" AND ".join(parts) or "TRUE"), params
    if scope.channels is None:
        return ("TRUE", []) if scope.accounts is None and not scope.platform else (None, [])
    if not scope.channels:
        return None, []
    return f"channel IN ({', '.join('?' for _ in scope.channels)})", list(scope.channels)


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def counted_period(month: dt.date, start_date: dt.date | None) -> Period:
    """The days of ``month`` a person is appraised on: from their start date if they joined mid-month."""
    whole = month_period(month)
    if start_date is None or start_date <= whole.start:
        return whole
    return Period(min(start_date, whole.end), whole.end, "custom")


class ManualInputs:
    """The manual inputs in force for some months (of everyone, or of ``person_ids``), read in
    one query; ``total`` answers as ``team.manual_input`` does."""

    def __init__(self, con, months: list[dt.date], person_ids: list[int] | None = None):
        only = "" if person_ids is None else "AND list_contains(?, person_id)"
        rows = con.execute(
            f"""SELECT month, input_key, input_id, person_id, value, note, entered_by, entered_at FROM kpi_inputs
                WHERE list_contains(?, month) {only}
                QUALIFY row_number() OVER (PARTITION BY month, person_id, input_key ORDER BY input_id DESC) = 1
                ORDER BY person_id""",
            [[team.month_start(m) for m in months]] + ([] if person_ids is None else [list(person_ids)])).fetchall()
        self._entries: dict[tuple, dict[int, dict]] = {}   # (month, key) → person id → entry (id order)
        for month, key, input_id, pid, value, note, who, at in rows:
            if value is not None:
                self._entries.setdefault((month, key), {})[pid] = {
                    "input_id": input_id, "person_id": pid, "value": value, "note": note, "entered_by": who,
                    "entered_at": at.isoformat(sep=" ", timespec="seconds") if at else None}
        self._totals: dict[tuple, tuple] = {}

    def total(self, person_ids: list[int], key: str, month: dt.date) -> tuple[float | None, list[dict]]:
        """Sum of the inputs in force for ``key`` over ``person_ids`` in ``month``, with the entries used."""
        entries = self._entries.get((team.month_start(month), key), {})
        if len(person_ids) == 1:
            used = [entries[person_ids[0]]] if person_ids[0] in entries else []
        else:
            memo = (team.month_start(month), key, tuple(person_ids))
            if memo not in self._totals:
                ids = set(person_ids)
                self._totals[memo] = [e for pid, e in entries.items() if pid in ids]
            used = self._totals[memo]
        if not used:
            return None, []
        return float(sum(u["value"] for u in used)), list(used)


def kpi_actual(con, kpi: dict, person: team.Person, month: Period, team_ids: list[int],
               with_sources: bool = True, counted: Period | None = None,
               inputs: ManualInputs | None = None) -> tuple[float | None, list[dict]]:
    """A KPI's actual for a person in ``month`` and where it came from.

    Figures run over ``counted`` (default: the whole month; from the start date for someone who
    joined mid-month). Manual KPIs sum the inputs in force (the person's, or everyone's for a
    team KPI). Catalogue metrics are computed over the KPI's scope. Additive figures (sums,
    counts, manual inputs) are expressed per the KPI's period — month, week or day — with
    ``appraisal_scoring.scale_additive``; ratios and levels are taken as they are.
    """
    value, sources = _figure(con, _kpi_plan(kpi, person), person, month, counted or month, team_ids, inputs,
                             with_sources)
    return value, list(sources)


NO_SOURCES = ()   # a KPI's sources when none were asked for


def _kpi_plan(kpi: dict, person: team.Person) -> tuple:
    """How a KPI's actual is found for a person, the same every month: ('manual', input key,
    team KPI?, period) | ('unknown', metric) | ('no_scope',) | ('catalog', metric, scope,
    additive?, period)."""
    return _person_plan(_kpi_kind(kpi), person)


def _kpi_kind(kpi: dict) -> tuple:
    """The part of ``_kpi_plan`` that is the same for everyone (catalogue KPIs: ('catalog',
    metric, platform, team KPI?, additive?, period) until a person's scope is known)."""
    metric_id = kpi["metric_id"]
    per = kpi.get("period") or "month"
    if team.is_manual(metric_id):
        return ("manual", team.manual_key(metric_id), kpi.get("scope") == "team", per)
    if metric_id not in catalog.METRICS:
        return ("unknown", metric_id)
    return ("catalog", metric_id, kpi.get("platform") or None, kpi.get("scope") == "team",
            catalog.METRICS[metric_id].additive, per)


_NO_SCOPE = ("no_scope",)


def _person_plan(kind: tuple, person: team.Person) -> tuple:
    """``_kpi_plan`` from the KPI's ``_kpi_kind``: a catalogue KPI over the person's scope."""
    if kind[0] != "catalog":
        return kind
    _kind, metric_id, platform, whole_team, additive, per = kind
    scope = _scope(platform, whole_team, person.accounts, person.channels)    # = kpi_scope(kpi, person)
    if not _has_scope(scope):
        return _NO_SCOPE
    return ("catalog", metric_id, scope, additive, per)


def _figure(con, plan: tuple, person: team.Person, month: Period, counted: Period, team_ids: list[int],
            inputs: ManualInputs | None, with_sources: bool,
            manual_sources: bool = True) -> tuple[float | None, list[dict] | tuple]:
    """``kpi_actual`` of a KPI's plan (``_kpi_plan``); no sources are ``NO_SOURCES``."""
    kind = plan[0]
    if kind == "manual":
        _kind, key, whole_team, per = plan
        ids = team_ids if whole_team else [person.person_id]
        value, entries = (inputs.total(ids, key, month.start) if inputs is not None
                          else team.manual_input(con, ids, key, month.start))
        return (scoring.scale_additive(value, counted.days, month.days, per),
                [{"kind": "manual", **e} for e in entries] if manual_sources else NO_SOURCES)
    if kind == "unknown":
        return None, [{"kind": "unknown_metric", "metric_id": plan[1]}]
    if kind == "no_scope":
        return None, [{"kind": "no_scope"}]
    _kind, metric_id, scope, _additive, _per = plan
    value = _catalog_actual(catalog.value(con, metric_id, counted.start, counted.end, scope), plan, month, counted)
    sources = figure_sources(con, metric_id, counted.start, counted.end, scope) if with_sources else NO_SOURCES
    return value, sources


def _catalog_actual(value: float | None, plan: tuple, month: Period, counted: Period) -> float | None:
    """A catalogue figure over the counted days as the KPI's actual (additive figures per its period)."""
    if value is not None and plan[3]:
        return scoring.scale_additive(value, counted.days, month.days, plan[4])
    return value


def goal_target(con, goal_id: int, month: Period, per: str = "month") -> float | None:
    """The target a goal sets for ``month``: for sums and counts the plan's amount over the
    month's days inside the goal period (scaled to the whole month when the goal covers only
    part of it) expressed per ``per`` (month, week or day); for levels and rates the value the
    plan sets for the last of those days. None when the goal is unknown or misses the month."""
    from metrics import goals, pacing
    goal = goals.get_goal(con, int(goal_id))
    if goal is None or goal.metric not in catalog.METRICS:
        return None
    lo, hi = max(goal.start_date, month.start), min(goal.end_date, month.end)
    if lo > hi:
        return None
    plan = pacing.goal_plan(con, goal)
    if plan is None:
        return None
    if plan.pace != "accrue":
        return plan.planned(hi)
    amount = plan.planned(hi) - plan.planned(lo - dt.timedelta(days=1))
    return scoring.scale_additive(amount, (hi - lo).days + 1, month.days, per)


def _num(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def kpi_rule(kpi: dict) -> scoring.Rule:
    """The scoring rule of a KPI row (blank direction, cap and missing rule take their defaults)."""
    num = _num
    return scoring.Rule(target=float(kpi["target"]), direction=kpi.get("direction") or "higher",
                        cap=num(kpi.get("cap")) or 1.2, floor_value=num(kpi.get("floor_value")),
                        min_achievement=num(kpi.get("min_achievement")),
                        missing_rule=kpi.get("missing_rule") or "zero")


def score_person(person_id: int, name: str, role: str | None, kpi_source: str,
                 kpis: list[dict], bonus_base: float | None, bonus_rule: dict,
                 counted_from: dt.date | None = None, pay_share: float = 1.0) -> PersonResult:
    """Score a person from KPI rows that already carry ``actual``, ``sources`` and ``scope_text``.

    The bonus is computed on ``bonus_base × pay_share`` (the share of the month worked)."""
    rules = [kpi_rule(k) for k in kpis]
    scores = [scoring.score_kpi(k.get("actual"), r) for k, r in zip(kpis, rules)]
    weighted, total = scoring.weigh([float(k["weight"]) for k in kpis], scores)
    results = []
    for k, s, w, r in zip(kpis, scores, weighted, rules):
        results.append(KpiResult(
            kpi_id=int(k["kpi_id"]), position=int(k.get("position") or 0), name=k["name"],
            metric_id=k["metric_id"], platform=k.get("platform") or None, scope=k.get("scope") or "person",
            scope_text=k.get("scope_text") or "", period=k.get("period") or "month", target=r.target,
            weight=float(k["weight"]), direction=r.direction, cap=r.cap, floor_value=r.floor_value,
            min_achievement=r.min_achievement, missing_rule=r.missing_rule, actual=s.actual,
            achievement=s.achievement, points=s.points, effective_weight=w.effective_weight,
            contribution=w.contribution, status=s.status, sources=list(k.get("sources") or []),
            corrected=bool(k.get("corrected")), target_goal_id=_opt_int(k.get("target_goal_id"))))
    base = None if bonus_base is None else bonus_base * pay_share
    amount = scoring.bonus(base, total, bonus_rule.get("mode", "linear"),
                           [tuple(b) for b in bonus_rule.get("bands", [])])
    return PersonResult(person_id, name, role, kpi_source, total, bonus_base, amount, bonus_rule, results,
                        counted_from, pay_share)


def _opt_int(x) -> int | None:
    return None if x is None or _is_na(x) else int(x)


def current_bonus_rule(con) -> tuple[dict, float | None]:
    """The workspace's bonus rule as stored in snapshots, and the default base."""
    mode, base, bands = team.bonus_rule(con)
    return {"mode": mode, "bands": [list(b) for b in bands]}, base


def people_in_month(con, month: dt.date) -> list[team.Person]:
    """Active people who had started by the end of the month."""
    end = month_period(month).end
    return [p for p in team.people(con, active_only=True) if p.start_date is None or p.start_date <= end]


def live_scores(con, month: dt.date, with_sources: bool = False, person_id: int | None = None) -> MonthScores:
    """Everyone's scores for ``month`` computed from the current data (ignores any lock)."""
    return live_scores_of_months(con, [month], with_sources, person_id)[0]


def live_scores_of_months(con, months: list[dt.date], with_sources: bool = False,
                          person_id: int | None = None) -> list[MonthScores]:
    """Live scores of several months (``month_figures`` scored person by person)."""
    rule, default_base = current_bonus_rule(con)
    out = []
    for period, people in month_figures(con, months, with_sources, person_id):
        scored = []
        for f in people:
            person = f.person
            rows = [{**row, "scope_text": scope_text(row, person)} for row in f.rows()]
            base = person.bonus_base if person.bonus_base is not None else default_base
            scored.append(score_person(person.person_id, person.name, person.role, f.kpi_source, rows, base,
                                       rule, f.counted.start, f.pay_share))
        out.append(MonthScores(period.start, False, None, scored))
    return out


@dataclass(frozen=True, slots=True)
class PersonFigures:
    """One person's month ready to be scored: the KPI set's rows and, per KPI, the actual, where
    it came from (None: nowhere named for any KPI) and the target a goal sets (None: no KPI's
    target comes from a goal; else per KPI None or (target, goal id))."""
    person: team.Person
    kpi_source: str            # 'person' (own set) | 'role' | 'none'
    counted: Period            # the days appraised (from the start date when joining mid-month)
    pay_share: float           # counted days ÷ days of the month
    kpis: list[dict]
    actuals: list[float | None]
    sources: list | None
    goal_targets: list[tuple[float, int] | None] | None

    def rows(self) -> list[dict]:
        """The KPI rows with ``actual``, ``sources`` and a goal's ``target`` and ``target_goal_id``."""
        out = []
        for j, (k, actual) in enumerate(zip(self.kpis, self.actuals)):
            row = {**k, "actual": actual, "sources": list(self.sources[j]) if self.sources else []}
            goal = self.goal_targets[j] if self.goal_targets else None
            if goal is not None:
                row.update(target=goal[0], target_goal_id=goal[1])
            out.append(row)
        return out


def month_figures(con, months: list[dt.date], with_sources: bool = False, person_id: int | None = None,
                  manual_sources: bool = True) -> list[tuple[Period, list[PersonFigures]]]:
    """Each month's active people (or only ``person_id``) with every KPI's actual and target.

    Every catalogue figure of every person, KPI and month comes from one grouped query per
    measure (``metrics.catalog_batch``), the manual inputs from one query, a goal's target once
    per month. ``with_sources`` adds the imports behind each figure; ``manual_sources=False``
    leaves out the manual entries used (for tables that show no sources)."""
    staff = team.people(con, active_only=True, person_id=person_id)
    starts = ([(p.person_id, p.start_date) for p in staff] if person_id is None else team.active_starts(con))
    sets = team.kpi_sets_for(con, staff)
    kinds: dict[int, tuple] = {}        # id of a KPI row → its _kpi_kind (the rows of a role are shared)
    for _source, kpis in sets.values():
        for k in kpis:
            if id(k) not in kinds:
                kinds[id(k)] = _kpi_kind(k)
    plans = {p.person_id: [_person_plan(kinds[id(k)], p) for k in sets[p.person_id][1]] for p in staff}
    work, asks = [], []
    for month in months:
        period = month_period(month)
        chosen = []
        for person in staff:
            if person.start_date is not None and person.start_date > period.end:
                continue
            counted = period if person.start_date is None or person.start_date <= period.start \
                else counted_period(period.start, person.start_date)
            chosen.append((person, counted))
            asks += [catalog_batch.Ask(plan[1], counted.start, counted.end, plan[2])
                     for plan in plans[person.person_id] if plan[0] == "catalog"]
        team_ids = [pid for pid, start in starts if start is None or start <= period.end]
        work.append((period, chosen, team_ids))
    targets: dict[tuple, float | None] = {}
    # one person's drill-down reads only their inputs, unless a team KPI sums everyone's
    own_only = person_id is not None and not any(p[0] == "manual" and p[2] for ps in plans.values() for p in ps)
    inputs = ManualInputs(con, months, [person_id] if own_only else None)
    found = catalog_batch.values(con, asks)
    next_ask = iter(asks).__next__    # the asks come back in the order they were made
    out = []
    for period, chosen, team_ids in work:
        people = []
        for person, counted in chosen:
            source, kpis = sets[person.person_id]
            actuals, sources, goals = [], None, None
            for j, (k, plan) in enumerate(zip(kpis, plans[person.person_id])):
                if plan[0] == "catalog":
                    actual = _catalog_actual(found[next_ask()], plan, period, counted)
                    used = (figure_sources(con, plan[1], counted.start, counted.end, plan[2]) if with_sources
                            else NO_SOURCES)
                else:
                    actual, used = _figure(con, plan, person, period, counted, team_ids, inputs, with_sources,
                                           manual_sources)
                actuals.append(actual)
                if used:
                    sources = sources or [NO_SOURCES] * len(kpis)
                    sources[j] = used
                goal = None if k.get("goal_id") is None else _goal_target(con, k, period, targets)
                if goal is not None:
                    goals = goals or [None] * len(kpis)
                    goals[j] = goal
            people.append(PersonFigures(person, source, counted, counted.days / period.days, kpis, actuals,
                                        sources, goals))
        out.append((period, people))
    return out


def _goal_target(con, kpi: dict, period: Period, known: dict) -> tuple[float, int] | None:
    """(target, goal id) when the KPI's goal sets a target above 0 for the month (read once
    per goal, month and KPI period into ``known``)."""
    key = (int(kpi["goal_id"]), period.start, kpi.get("period") or "month")
    if key not in known:
        known[key] = goal_target(con, key[0], period, key[2])
    planned = known[key]
    return (planned, key[0]) if planned is not None and planned > 0 else None


# ------------------------------------------------------------------ locks and snapshots
def lock_info(con, month: dt.date) -> dict | None:
    """The lock of ``month``: the revision in force (the lock or its latest correction) with
    who, why and when; None when the month is open."""
    rows = con.execute(
        """SELECT l.revision_id, r.action, r.who, r.why, r.made_at
           FROM appraisal_locks l JOIN appraisal_revisions r ON r.revision_id = l.revision_id
           WHERE l.month = ?""", [month_period(month).start]).fetchall()
    if not rows:
        return None
    return dict(zip(("revision_id", "action", "who", "why", "made_at"), rows[0]))


def is_locked(con, month: dt.date) -> bool:
    return lock_info(con, month) is not None


def revisions(con, month: dt.date | None = None) -> pd.DataFrame:
    """The revision log (locks, unlocks, corrections), newest first; one month or all."""
    where, params = ("WHERE month = ?", [month_period(month).start]) if month else ("", [])
    return con.execute(f"""SELECT revision_id, month, action, who, why, made_at FROM appraisal_revisions
                           {where} ORDER BY revision_id DESC""", params).df()


def snapshot(con, revision_id: int, month: dt.date, person_id: int | None = None) -> MonthScores:
    """The frozen scores of one revision (everyone's, or only ``person_id``'s)."""
    only, params = ("", [revision_id]) if person_id is None else (" AND person_id = ?", [revision_id, person_id])
    people_rows = con.execute(
        f"""SELECT person_id, name, role, score, bonus_base, bonus, bonus_rule, counted_from
            FROM appraisal_snapshot_people WHERE revision_id = ?{only} ORDER BY person_id""", params).fetchall()
    kpi_df = con.execute(f"""SELECT * FROM appraisal_snapshot_kpis WHERE revision_id = ?{only}
                             ORDER BY person_id, position, kpi_id""", params).df()
    people = []
    for pid, name, role, score, base, amount, rule, counted_from in people_rows:
        kpis = []
        for k in kpi_df[kpi_df["person_id"] == pid].to_dict("records"):
            clean = {c: (None if _is_na(v) else v) for c, v in k.items()}
            kpis.append(KpiResult(
                kpi_id=int(clean["kpi_id"]), position=int(clean["position"] or 0), name=clean["name"],
                metric_id=clean["metric_id"], platform=clean["platform"], scope=clean["scope"],
                scope_text=clean["scope_text"] or "", period=clean["period"], target=clean["target"],
                weight=clean["weight"], direction=clean["direction"], cap=clean["cap"],
                floor_value=clean["floor_value"], min_achievement=clean["min_achievement"],
                missing_rule=clean["missing_rule"], actual=clean["actual"], achievement=clean["achievement"],
                points=clean["points"], effective_weight=clean["effective_weight"] or 0.0,
                contribution=clean["contribution"] or 0.0, status=clean["status"],
                sources=json.loads(clean["sources"] or "[]"), corrected=bool(clean["corrected"]),
                target_goal_id=_opt_int(clean.get("target_goal_id"))))
        whole = month_period(month)
        share = 1.0 if counted_from is None else ((whole.end - counted_from).days + 1) / whole.days
        people.append(PersonResult(pid, name, role, "snapshot", score, base, amount,
                                   json.loads(rule or "{}"), kpis, counted_from, share))
    return MonthScores(month_period(month).start, True, revision_id, people)


def _is_na(v) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def month_scores(con, month: dt.date, with_sources: bool = False) -> MonthScores:
    """The month's scores: the lock's snapshot when the month is locked, else live."""
    info = lock_info(con, month)
    if info:
        return snapshot(con, info["revision_id"], month)
    return live_scores(con, month, with_sources=with_sources)


def person_month(con, month: dt.date, person_id: int) -> PersonResult | None:
    """One person's month with sources (frozen when locked), for the drill-down."""
    info = lock_info(con, month)
    if info:
        return snapshot(con, info["revision_id"], month, person_id).person(person_id)
    return live_scores(con, month, with_sources=True, person_id=person_id).person(person_id)


def with_correction(result: PersonResult, kpi_id: int, actual: float | None, who: str, why: str) -> PersonResult:
    """The person's month re-scored with one KPI's actual replaced (the correction is noted as its source)."""
    rows = []
    for k in result.kpis:
        row = {f: getattr(k, f) for f in KpiResult.__dataclass_fields__}
        if k.kpi_id == kpi_id:
            note = {"kind": "correction", "who": who, "why": why,
                    "previous": k.actual, "value": actual}
            row.update(actual=actual, corrected=True, sources=[note] + list(k.sources))
        rows.append(row)
    return score_person(result.person_id, result.name, result.role, result.kpi_source, rows,
                        result.bonus_base, result.bonus_rule, result.counted_from, result.pay_share)


# ------------------------------------------------------------------ tables for the views
def team_frame(scores: MonthScores, previous: MonthScores | None = None) -> pd.DataFrame:
    """One row per person: role, score, bonus, previous month's score and the change (points)."""
    prev = {p.person_id: p.score for p in previous.people} if previous else {}
    rows = []
    for p in scores.people:
        before = prev.get(p.person_id)
        change = None if p.score is None or before is None else p.score - before
        rows.append({"person_id": p.person_id, "person": p.name, "role": p.role, "score": p.score,
                     "bonus": p.bonus, "bonus_base": p.bonus_base, "previous_score": before, "change": change,
                     "kpis": len(p.kpis), "kpis_missing": p.kpis_missing})
    cols = ["person_id", "person", "role", "score", "bonus", "bonus_base", "previous_score", "change",
            "kpis", "kpis_missing"]
    return pd.DataFrame(rows, columns=cols)


def team_table(con, month: dt.date) -> pd.DataFrame:
    """The month's team table with last month beside it."""
    current, previous = months_scores(con, months_back(month, 2))
    return team_frame(current, previous)


def kpi_frame(person: PersonResult) -> pd.DataFrame:
    """One row per KPI: definition, actual, achievement, points, weights, contribution, status."""
    cols = ["kpi_id", "name", "metric_id", "scope_text", "period", "direction", "target", "actual",
            "achievement", "cap", "floor_value", "min_achievement", "points", "weight", "effective_weight",
            "contribution", "missing_rule", "status", "corrected"]
    return pd.DataFrame([{c: getattr(k, c) for c in cols} for k in person.kpis], columns=cols)


def breakdown_frame(scores: MonthScores) -> pd.DataFrame:
    """Every person's KPIs in one table (the appraisal sheet of the export)."""
    frames = []
    for p in scores.people:
        df = kpi_frame(p)
        df.insert(0, "role", p.role)
        df.insert(0, "person", p.name)
        frames.append(df)
    if not frames:
        return kpi_frame(PersonResult(0, "", None, "none", None, None, None, {}, [])).assign(person=None, role=None)
    return pd.concat(frames, ignore_index=True)


def months_back(month: dt.date, months: int) -> list[dt.date]:
    """First days of ``month`` and the ``months - 1`` months before it, newest first."""
    days = [month_period(month).start]
    while len(days) < months:
        days.append(month_period(days[-1]).previous().start)
    return days


def months_scores(con, months: list[dt.date]) -> list[MonthScores]:
    """``month_scores`` of several months: locked months from their snapshots, the open ones
    computed together (one grouped query per measure for all of them)."""
    locks = {m: lock_info(con, m) for m in months}
    open_months = [m for m in months if not locks[m]]
    live = dict(zip(open_months, live_scores_of_months(con, open_months))) if open_months else {}
    return [snapshot(con, locks[m]["revision_id"], m) if locks[m] else live[m] for m in months]


def history_frame(scores: list[MonthScores]) -> pd.DataFrame:
    """Long format (month, person, score, bonus) of some months' scores."""
    rows = [{"month": s.month, "person": p.name, "score": p.score, "bonus": p.bonus}
            for s in scores for p in s.people]
    return pd.DataFrame(rows, columns=["month", "person", "score", "bonus"]).sort_values(["month", "person"])


def source_text(source: dict, t) -> str:
    """One source in words; ``t(key, **fmt)`` translates (the views pass ``ui.labels.t``)."""
    kind = source.get("kind")
    if kind == "import":
        return t("appraisal.source.import", import_id=source["import_id"], file=source.get("file_name") or "?",
                 table=source["table"], rows=source["rows"], first=source.get("first"), last=source.get("last"))
    if kind == "manual":
        return t("appraisal.source.manual", input_id=source["input_id"], value=f"{source['value']:g}",
                 who=source.get("entered_by") or "?", at=source.get("entered_at") or "?")
    if kind == "correction":
        previous = source.get("previous")
        return t("appraisal.source.correction", who=source.get("who") or "?", why=source.get("why") or "",
                 previous="–" if previous is None else f"{previous:g}")
    if kind == "no_scope":
        return t("appraisal.source.no_scope")
    if kind == "unknown_metric":
        return t("appraisal.source.unknown_metric", metric=source.get("metric_id"))
    return json.dumps(source, ensure_ascii=False)
