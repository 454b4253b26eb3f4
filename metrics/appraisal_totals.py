"""Everyone's appraisal totals of some months — score, bonus, KPIs without data — for the team
table and the score history.

Open months are scored with ``metrics.appraisal_vector`` straight from the KPI figures of
``appraisal.month_figures``: the same numbers as ``appraisal.live_scores_of_months`` without
an object per KPI. Locked months are read from their snapshot. ``appraisal.team_frame`` and
``appraisal.history_frame`` take these totals as they take ``MonthScores``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from metrics import appraisal
from metrics import appraisal_scoring as scoring
from metrics import appraisal_vector as vector


class KpiName(NamedTuple):
    """One KPI of a person's set, as the team table and the correction form name it."""
    kpi_id: int
    name: str


class PersonTotal(NamedTuple):
    """One person's month without the per-KPI figures (``appraisal.PersonResult`` has them)."""
    person_id: int
    name: str
    role: str | None
    score: float | None
    bonus_base: float | None
    bonus: float | None
    kpis: tuple[KpiName, ...]
    kpis_missing: int


@dataclass(frozen=True)
class MonthTotals:
    """Everyone's totals for one month, live or from the lock's snapshot (``revision_id``)."""
    month: dt.date
    locked: bool
    revision_id: int | None
    people: list[PersonTotal]


def months_totals(con, months: list[dt.date]) -> list[MonthTotals]:
    """The totals of each of ``months``: locked months from their snapshots, the open ones
    computed together."""
    locks = {m: appraisal.lock_info(con, m) for m in months}
    open_months = [m for m in months if not locks[m]]
    with _collector_paused():
        live = dict(zip(open_months, live_totals(con, open_months))) if open_months else {}
    return [snapshot_totals(con, locks[m]["revision_id"], m) if locks[m] else live[m] for m in months]


@contextlib.contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused for the block: a team's months build tens of
    thousands of short-lived rows, figures and keys, and each burst of them made the collector
    walk the whole process (about 0.1 s at group scale). Nothing is freed later than the next
    collection after the block; a collector that was already off stays off."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def live_totals(con, months: list[dt.date]) -> list[MonthTotals]:
    """Everyone's totals of ``months`` computed from the current data (ignores any lock)."""
    rule, default_base = appraisal.current_bonus_rule(con)
    mode, bands = rule.get("mode", "linear"), [tuple(b) for b in rule.get("bands", [])]
    figures = appraisal.month_figures(con, months, manual_sources=False)
    people = [f for _period, month_people in figures for f in month_people]
    names: dict[int, tuple[KpiName, ...]] = {}      # id of a KPI set's rows → their names
    totals = []
    for f, (total, missing) in zip(people, _score(people)):
        person = f.person
        if id(f.kpis) not in names:
            names[id(f.kpis)] = tuple(KpiName(int(k["kpi_id"]), k["name"]) for k in f.kpis)
        base = person.bonus_base if person.bonus_base is not None else default_base
        amount = scoring.bonus(None if base is None else base * f.pay_share, total, mode, bands)
        totals.append(PersonTotal(person.person_id, person.name, person.role, total, base, amount,
                                  names[id(f.kpis)], missing))
    out, i = [], 0
    for period, month_people in figures:
        out.append(MonthTotals(period.start, False, None, totals[i:i + len(month_people)]))
        i += len(month_people)
    return out


def _score(people: list[appraisal.PersonFigures]) -> list[tuple[float | None, int]]:
    """(score, KPIs without data) of every person's month, all KPIs scored at once."""
    number: dict[int, int] = {}                     # KPI id → its definition's place in ``rules``
    rules, weights = [], []
    for f in people:
        for k in f.kpis:
            if k["kpi_id"] not in number:
                number[k["kpi_id"]] = len(rules)
                rules.append(appraisal.kpi_rule(k))
                weights.append(float(k["weight"]))
    definition = np.array([number[k["kpi_id"]] for f in people for k in f.kpis], dtype=np.int64)
    set_of_row = np.repeat(np.arange(len(people)), [len(f.kpis) for f in people])
    actual = np.array([a for f in people for a in f.actuals], dtype=float)        # None → NaN
    target = np.array([r.target for r in rules])[definition]
    first = 0
    for f in people:                                # targets a goal sets for the month
        if f.goal_targets:
            for j, goal in enumerate(f.goal_targets):
                if goal is not None:
                    target[first + j] = float(goal[0])
        first += len(f.kpis)

    def per_row(values, dtype=float):
        return np.array(values, dtype=dtype)[definition]

    _ach, points, status = vector.score_kpis(
        actual, target, per_row([r.direction for r in rules], object), per_row([r.cap for r in rules]),
        per_row([np.nan if r.floor_value is None else r.floor_value for r in rules]),
        per_row([np.nan if r.min_achievement is None else r.min_achievement for r in rules]),
        per_row([r.missing_rule for r in rules], object))
    _effective, _contribution, total, has_total = vector.weigh_sets(set_of_row, per_row(weights), points,
                                                                    len(people))
    missing = np.bincount(set_of_row, weights=np.isin(status, (vector.MISSING_ZERO, vector.MISSING_EXCLUDED)),
                          minlength=len(people)).astype(int)
    return [(float(t) if has else None, int(m)) for t, has, m in zip(total, has_total, missing)]


def snapshot_totals(con, revision_id: int, month: dt.date) -> MonthTotals:
    """The frozen totals of one revision (as ``appraisal.snapshot`` gives them)."""
    people = con.execute(
        """SELECT person_id, name, role, score, bonus_base, bonus FROM appraisal_snapshot_people
           WHERE revision_id = ? ORDER BY person_id""", [revision_id]).fetchall()
    kpis: dict[int, list] = {}
    for pid, kpi_id, name, status in con.execute(
            """SELECT person_id, kpi_id, name, status FROM appraisal_snapshot_kpis WHERE revision_id = ?
               ORDER BY person_id, position, kpi_id""", [revision_id]).fetchall():
        kpis.setdefault(pid, []).append((KpiName(int(kpi_id), name), status))
    missing = (scoring.MISSING_ZERO, scoring.MISSING_EXCLUDED)
    out = [PersonTotal(pid, name, role, score, base, amount, tuple(k for k, _s in kpis.get(pid, [])),
                       sum(1 for _k, s in kpis.get(pid, []) if s in missing))
           for pid, name, role, score, base, amount in people]
    return MonthTotals(appraisal.month_period(month).start, True, revision_id, out)
