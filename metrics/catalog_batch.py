"""Many catalogue figures in a few queries.

``catalog.value`` answers one (metric, period, scope) with a query per measure. A view that
shows a figure per person × KPI × month would run tens of thousands of them. ``values`` and
``last_data_days`` take every question at once and run **one grouped query per measure** over
all the scopes and periods asked, with exactly the semantics of ``catalog.value`` and
``catalog.last_data_day`` (tests/test_catalog_batch.py compares the two on every metric).

How: the scopes become membership lists (which accounts, which platform, which channels, or
everything), the periods a list of requests ``(rid, scope, lo, hi)``; the relation's rows are
joined to the requests whose scope and window contain them and aggregated per request.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from metrics.catalog import (FIRST_DAY, MEASURES, RELATIONS, Measure, Scope, _divide, _evaluate,
                             _expr_names, _resolve, _scope_sql, _sum_or_none, _driver_measures, get)

LAST_DAY = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class Ask:
    """One figure: ``metric`` over ``start``..``end`` (inclusive) in ``scope``."""
    metric: str
    start: dt.date
    end: dt.date
    scope: Scope | None = None


@dataclass(frozen=True)
class DayAsk:
    """The last day with data for ``metric`` in ``scope`` (on or before ``until``, from ``since``)."""
    metric: str
    scope: Scope | None = None
    until: dt.date | None = None
    since: dt.date | None = None


# ------------------------------------------------------------------ scopes as membership
def _membership(rel, scope: Scope | None):
    """('all',) | ('platform', p) | ('accounts', pairs) | ('channels', names) | None (no value)."""
    where = _scope_sql(rel, scope)
    if where is None or where[0] == "FALSE":
        return None
    if where[0] == "TRUE":
        return ("all",)
    if rel.dimension == "account":
        if scope.accounts is None:
            return ("platform", scope.platform)
        pairs = tuple(dict.fromkeys(p for p in scope.accounts if not scope.platform or p[0] == scope.platform))
        return ("accounts", pairs) if pairs else None
    return ("channels", tuple(dict.fromkeys(scope.channels)))


_MATCH_COLUMNS = {"all": (), "platform": ("platform",), "accounts": ("platform", "account"), "channels": ("channel",)}


def _by_kind(requests) -> dict[str, list]:
    """Request rows per membership kind, one per member (account pair, channel), carrying its names."""
    by_kind: dict[str, list] = {}
    for rid, member, lo, hi in requests:
        names = member[1:] if member[0] == "platform" else (member[1] if member[0] != "all" else ((),))
        for name in names:
            by_kind.setdefault(member[0], []).append((rid, lo, hi, name if member[0] == "accounts" else (name,)))
    return by_kind


def _request_table(kind: str, rows: list) -> tuple[str, list]:
    """The requests of one kind as an unnested list subquery ``q(rid, lo, hi, m_<column>…)``."""
    columns = _MATCH_COLUMNS[kind] if kind != "all" else ()
    sql = ("(SELECT unnest(?::INTEGER[]) AS rid, unnest(?::DATE[]) AS lo, unnest(?::DATE[]) AS hi"
           + "".join(f", unnest(?::VARCHAR[]) AS m_{c}" for c in columns) + ")")
    params = [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]]
    params += [[r[3][i] for r in rows] for i in range(len(columns))]
    return sql, params


def _source(m: Measure, source: str | None) -> str:
    rel = RELATIONS[m.relation]
    return source or (f"SELECT * FROM ({rel.source})" + (f" WHERE ({m.filter})" if m.filter else ""))


def _per_day_sql(m: Measure, requests, value: str, source: str | None = None) -> tuple[str, list]:
    """SQL yielding ``(rid, date, v)``: ``value`` (an aggregate such as ``sum(col)``) per day and
    member of each request's scope, for the days inside the request's window. The relation is
    first reduced to one row per member and day, so that long windows over many requests
    join days, not raw rows."""
    src = f"(SELECT * FROM ({_source(m, source)}) WHERE date BETWEEN ? AND ?)"
    head = [min(r[2] for r in requests), max(r[3] for r in requests)]
    branches, params = [], []
    for kind, rows in _by_kind(requests).items():
        columns = _MATCH_COLUMNS[kind]
        keys = "".join(f"{c}, " for c in columns)
        match = "".join(f"s.{c} = q.m_{c} AND " for c in columns)
        table, table_params = _request_table(kind, rows)
        branches.append(f"""SELECT q.rid, s.date, s.v FROM (SELECT {keys}date, {value} AS v FROM {src}
                            GROUP BY {keys}date) s JOIN {table} q ON {match}s.date BETWEEN q.lo AND q.hi""")
        params += head + table_params
    return " UNION ALL ".join(branches), params


def _asof_sql(m: Measure, requests, opening: bool) -> tuple[str, list]:
    """SQL yielding ``(rid, v)``: for each request and each entity (account) in its scope, the
    entity's last non-empty value in the window (``last``) or before it (``opening``)."""
    rel = RELATIONS[m.relation]
    key = list(rel.key)
    col = m.column
    if opening:
        src = f"(SELECT {', '.join(key)}, date, {col} AS v FROM ({_source(m, None)}) WHERE date < ? AND {col} IS NOT NULL)"
        head = [max(r[2] for r in requests)]
        cond, after = "k.lo > s.date", ""
    else:
        src = (f"(SELECT {', '.join(key)}, date, {col} AS v FROM ({_source(m, None)}) "
               f"WHERE date BETWEEN ? AND ? AND {col} IS NOT NULL)")
        head = [min(r[2] for r in requests), max(r[3] for r in requests)]
        cond, after = "k.hi >= s.date", " WHERE s.date >= k.lo"
    entities = f"(SELECT DISTINCT {', '.join(key)} FROM ({_source(m, None)}))"
    branches, params = [], []
    for kind, rows in _by_kind(requests).items():
        table, table_params = _request_table(kind, rows)
        match = " AND ".join(f"e.{c} = q.m_{c}" for c in _MATCH_COLUMNS[kind]) or "TRUE"
        branches.append(f"SELECT q.rid, q.lo, q.hi, e.* FROM {entities} e JOIN {table} q ON {match}")
        params += table_params
    on = " AND ".join(f"k.{c} = s.{c}" for c in key)
    sql = f"""SELECT k.rid, s.v FROM ({" UNION ALL ".join(branches)}) k
              ASOF JOIN {src} s ON {on} AND {cond}{after}"""
    return sql, params + head


def _requests(m: Measure, windows) -> tuple[list, dict]:
    """Number the distinct (membership, lo, hi) of ``windows`` (tuples of lo, hi, scope)."""
    rel = RELATIONS[m.relation]
    ids: dict[tuple, int] = {}
    of_window: dict[tuple, int | None] = {}
    requests = []
    for lo, hi, scope in windows:
        member = _membership(rel, scope)
        if member is None:
            of_window[(lo, hi, scope)] = None
            continue
        key = (member, lo, hi)
        if key not in ids:
            ids[key] = len(ids)
            requests.append((ids[key], member, lo, hi))
        of_window[(lo, hi, scope)] = ids[key]
    return requests, of_window


def _measure_values(con, m: Measure, windows: set) -> dict[tuple, float | None]:
    """{(lo, hi, scope): value} of measure ``m`` for every window, as ``catalog.measure_value``."""
    if m.agg == "days":
        return {(lo, hi, sc): (float((hi - lo).days + 1) if hi >= lo else None) for lo, hi, sc in windows}
    requests, of_window = _requests(m, windows)
    found: dict[int, float | None] = {}
    if requests:
        col = m.column
        if m.agg in ("sum", "count"):
            rows_sql, params = _per_day_sql(m, requests, f"{m.agg}({col})")
            sql = f"SELECT rid, sum(v) FROM ({rows_sql}) GROUP BY rid"
        elif m.agg in ("last", "opening"):
            rows_sql, params = _asof_sql(m, requests, opening=m.agg == "opening")
            sql = f"SELECT rid, sum(v) FROM ({rows_sql}) GROUP BY rid"
        else:
            raise ValueError(f"measure {m.id}: unknown aggregation {m.agg!r}")
        found = {rid: (None if v is None else float(v)) for rid, v in con.execute(sql, params).fetchall()}
        if m.agg == "count":
            found = _zero_counts(con, m, requests, found)
    return {w: (None if rid is None else found.get(rid)) for w, rid in of_window.items()}


def _zero_counts(con, m: Measure, requests, found: dict) -> dict:
    """A count of zero is 0 only when the scope has rows at all (for a filtered count: rows
    where the filter says yes or no); otherwise it is None, as in ``catalog.measure_value``."""
    zero = [r for r in requests if not found.get(r[0])]
    if not zero:
        return found
    rel = RELATIONS[m.relation]
    members = {}
    for rid, member, _lo, _hi in zero:
        members.setdefault(member, []).append(rid)
    probe = [(i, member, FIRST_DAY.replace(year=1), LAST_DAY) for i, member in enumerate(members)]
    source = f"SELECT * FROM ({rel.source})" + (f" WHERE ({m.filter}) IS NOT NULL" if m.filter else "")
    rows_sql, params = _per_day_sql(m, probe, "count(*)", source=source)
    known = {i for (i,) in con.execute(f"SELECT DISTINCT rid FROM ({rows_sql})", params).fetchall()}
    out = dict(found)
    for i, (member, rids) in enumerate(members.items()):
        for rid in rids:
            out[rid] = 0.0 if i in known else None
    return out


# ------------------------------------------------------------------ metrics
def values(con, asks) -> dict[Ask, float | None]:
    """Every ask's value, as ``catalog.value`` gives it, in one query per measure involved."""
    asks = list(dict.fromkeys(asks))
    needed: dict[str, set] = {}

    def add(measure_id, lo, hi, scope):
        needed.setdefault(_resolve(measure_id, scope).id, set()).add((lo, hi, scope))

    def need(metric_id, lo, hi, scope):
        met = get(metric_id)
        if met.kind == "derived":
            for name in _expr_names(met.expr or "")[0]:
                need(name, lo, hi, scope)
        elif met.kind == "cumulative":
            for mid in met.measures:
                add(mid, FIRST_DAY, hi, scope)
        else:
            for mid in met.measures + met.numerator + met.denominator:
                add(mid, lo, hi, scope)

    for a in asks:
        need(a.metric, a.start, a.end, a.scope)
    measured: dict[tuple, float | None] = {}
    for mid, windows in needed.items():
        for (lo, hi, scope), v in _measure_values(con, MEASURES[mid], windows).items():
            measured[(mid, lo, hi, scope)] = v

    def mv(measure_id, lo, hi, scope):
        return measured[(_resolve(measure_id, scope).id, lo, hi, scope)]

    def metric_value(metric_id, lo, hi, scope):
        met = get(metric_id)
        if met.kind == "simple":
            return _sum_or_none(mv(m, lo, hi, scope) for m in met.measures)
        if met.kind == "cumulative":
            return _sum_or_none(mv(m, FIRST_DAY, hi, scope) for m in met.measures)
        if met.kind == "ratio":
            return _divide(_sum_or_none(mv(m, lo, hi, scope) for m in met.numerator),
                           _sum_or_none(mv(m, lo, hi, scope) for m in met.denominator))
        names, _ = _expr_names(met.expr or "")
        return _evaluate(met.expr, {n: metric_value(n, lo, hi, scope) for n in names})

    return {a: metric_value(a.metric, a.start, a.end, a.scope) for a in asks}


def last_data_days(con, asks) -> dict[DayAsk, dt.date | None]:
    """Every ask's last day with data, as ``catalog.last_data_day`` gives it, in one query per
    driver measure involved."""
    asks = list(dict.fromkeys(asks))
    needed: dict[str, set] = {}
    for a in asks:
        for mid in _driver_measures(a.metric):
            m = _resolve(mid, a.scope)
            needed.setdefault(m.id, set()).add((a.since or FIRST_DAY.replace(year=1), a.until or LAST_DAY, a.scope))
    found: dict[tuple, dt.date | None] = {}
    for mid, windows in needed.items():
        m = MEASURES[mid]
        requests, of_window = _requests(m, windows)
        days = {}
        if requests:
            rows_sql, params = _per_day_sql(m, requests, f"count({m.column})")
            days = dict(con.execute(f"SELECT rid, max(date) FROM ({rows_sql}) WHERE v > 0 GROUP BY rid",
                                    params).fetchall())
        for w, rid in of_window.items():
            found[(mid, *w)] = None if rid is None else days.get(rid)
    out = {}
    for a in asks:
        window = (a.since or FIRST_DAY.replace(year=1), a.until or LAST_DAY, a.scope)
        days = [found[(_resolve(mid, a.scope).id, *window)] for mid in _driver_measures(a.metric)]
        days = [d for d in days if d is not None]
        out[a] = max(days) if days else None
    return out
