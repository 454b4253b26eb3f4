"""Many catalogue figures in a few queries.

``catalog.value`` answers one (metric, period, scope) with a query per measure. A view that
shows a figure per person × KPI × month would run tens of thousands of them. ``values`` and
``last_data_days`` take every question at once and run **one grouped query per measure** over
all the scopes and periods asked, with exactly the semantics of ``catalog.value`` and
``catalog.last_data_day`` (tests/test_catalog_batch.py compares the two on every metric).

How: the scopes become membership lists (which accounts, which platform, which channels, or
everything), the periods a list of requests ``(rid, scope, lo, hi)``. Sums and counts first
reduce the relation to one row per member and day — every measure of the relation at once —
and then join the days to the requests whose scope and window contain them. Levels (a
follower total at the end of a period, or before it) take each account's last value with an
ASOF join, looking at the recent rows first. ``catalog.batched`` runs per-item code (a goal's
pacing, a task's check) in rounds so that such code gets these batches without being
rewritten.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from metrics.catalog import (FIRST_DAY, MEASURES, RELATIONS, Measure, Scope, _divide, _evaluate,
                             _expr_names, _resolve, _scope_sql, _sum_or_none, _driver_measures, get)
from metrics.alongside import alongside_all
from metrics.memo import ReadOnce

LAST_DAY = dt.date(9999, 12, 31)


@dataclass(frozen=True, slots=True)
class Ask:
    """One figure: ``metric`` over ``start``..``end`` (inclusive) in ``scope``."""
    metric: str
    start: dt.date
    end: dt.date
    scope: Scope | None = None


@dataclass(frozen=True, slots=True)
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
    for rid, member, lo, hi, *rest in requests:
        i = rest[0] if rest else 1
        names = member[1:] if member[0] == "platform" else (member[1] if member[0] != "all" else ((),))
        for name in names:
            by_kind.setdefault(member[0], []).append((rid, lo, hi, name if member[0] == "accounts" else (name,), i))
    return by_kind


def _request_table(kind: str, rows: list) -> tuple[str, list]:
    """The requests of one kind as an unnested list subquery ``q(rid, lo, hi, m_<column>…)``."""
    columns = _MATCH_COLUMNS[kind] if kind != "all" else ()
    sql = ("(SELECT unnest(?::INTEGER[]) AS rid, unnest(?::DATE[]) AS lo, unnest(?::DATE[]) AS hi, "
           "unnest(?::INTEGER[]) AS i" + "".join(f", unnest(?::VARCHAR[]) AS m_{c}" for c in columns) + ")")
    params = [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[4] for r in rows]]
    params += [[r[3][i] for r in rows] for i in range(len(columns))]
    return sql, params


def _source(m: Measure, source: str | None) -> str:
    rel = RELATIONS[m.relation]
    return source or (f"SELECT * FROM ({rel.source})" + (f" WHERE ({m.filter})" if m.filter else ""))


FEW_MEMBERS = 64      # larger name lists cost more to test per row than they save


def _per_row(func: str, column: str) -> str:
    """What one raw row adds to ``func(column)`` (``sum`` or ``count``) when rows are not grouped first."""
    if func == "sum":
        return f"({column})"
    return "1" if column == "*" else f"CAST(({column}) IS NOT NULL AS BIGINT)"


def _per_day_sql(source: str, key: tuple, requests, aggregates: list[tuple[str, str]]) -> tuple[str, list]:
    """SQL yielding ``(rid, date, v)`` for requests ``(rid, member, lo, hi, i)``: the ``i``-th
    of ``aggregates`` (``(func, column)``: ``sum`` or ``count`` of a column) per day and member
    of the request's scope, for the days inside its window, to be summed per request.

    Requests over platforms or the whole team first reduce the relation to one row per member
    and day (all aggregates at once, as a list), so that long windows over many requests join
    days, not raw rows, and measures of one relation share one scan. Requests naming the
    relation's own entities (accounts of an account relation, channels of a channel one) join
    its rows as they are: grouping them would cost more than it saves. Only the members asked
    about are read when there are few of them (each column's names filter the rows first)."""
    head = [min(r[2] for r in requests), max(r[3] for r in requests)]
    grouped = "[" + ", ".join(f"{func}({col})" for func, col in aggregates) + "]"
    raw = "[" + ", ".join(_per_row(func, col) for func, col in aggregates) + "]"
    branches, params = [], []
    for kind, rows in _by_kind(requests).items():
        columns = _MATCH_COLUMNS[kind]
        keys = "".join(f"{c}, " for c in columns)
        match = "".join(f"s.{c} = q.m_{c} AND " for c in columns)
        table, table_params = _request_table(kind, rows)
        names = [sorted({r[3][i] for r in rows}) for i in range(len(columns))]
        few = [(c, n) for c, n in zip(columns, names) if len(n) <= FEW_MEMBERS]
        members = "".join(f" AND list_contains(?::VARCHAR[], {c})" for c, _n in few)  # pushed below GROUP BY
        rows_sql = f"(SELECT * FROM ({source}) WHERE date BETWEEN ? AND ?{members})"
        per_day = (f"(SELECT {keys}date, {raw} AS v FROM {rows_sql})" if columns == tuple(key) else
                   f"(SELECT {keys}date, {grouped} AS v FROM {rows_sql} GROUP BY {keys}date)")
        branches.append(f"SELECT q.rid, s.date, s.v[q.i] AS v FROM {per_day} s JOIN {table} q "
                        f"ON {match}s.date BETWEEN q.lo AND q.hi")
        params += head + [n for _c, n in few] + table_params
    return " UNION ALL ".join(branches), params


def _grouped(con, source: str, key: tuple, jobs: list[tuple[tuple[str, str], list]], final: str) -> list[dict]:
    """Run several ((func, column), requests) jobs over one relation (entity columns ``key``)
    in one query; ``final`` aggregates ``v`` (and ``date``) per request. Returns {rid: result}
    per job."""
    combined, offsets, offset = [], [], 0
    for i, (_agg, requests) in enumerate(jobs):
        offsets.append(offset)
        combined += [(offset + rid, member, lo, hi, i + 1) for rid, member, lo, hi in requests]
        offset += max((r[0] for r in requests), default=-1) + 1
    if not combined:
        return [{} for _ in jobs]
    rows_sql, params = _per_day_sql(source, key, combined, [agg for agg, _ in jobs])
    found = dict(con.execute(f"SELECT rid, {final} FROM ({rows_sql}) GROUP BY rid", params).fetchall())
    return [{rid: found[offsets[i] + rid] for rid, *_ in requests if offsets[i] + rid in found}
            for i, (_agg, requests) in enumerate(jobs)]


_SESSION = ReadOnce("catalog_batch_session")


def session():
    """Within the block, lists read to plan the queries (the entities of a relation, which of
    them have a column filled) are read once; nothing may write inside the block."""
    return _SESSION.block()


def _entities(con, m: Measure) -> list[tuple]:
    """Every entity (account, or channel) of the measure's relation: the session's survey's
    when it was made, else a DISTINCT query kept for the session (cheaper than a survey)."""
    source, key = _source(m, None), list(RELATIONS[m.relation].key)
    surveyed = _SESSION.peek(("survey", source, tuple(key)))
    if surveyed is not None:
        return surveyed[0]
    return _SESSION.kept(("entities", source, tuple(key)), lambda: [
        tuple(r) for r in con.execute(f"SELECT DISTINCT {', '.join(key)} FROM ({source})").fetchall()])


def _entity_table(con, m: Measure) -> str:
    """What lists the entities of the measure's relation, for the left side of an ASOF join:
    inside a session, a temp table made once from the survey (so the planner knows its size,
    and the relation is not scanned again for every query); outside one, a DISTINCT query."""
    key = list(RELATIONS[m.relation].key)
    source = _source(m, None)
    if not _SESSION.active:
        return f"(SELECT DISTINCT {', '.join(key)} FROM ({source}))"

    def create():
        entities = _entities(con, m)
        name = "entities_" + uuid.uuid4().hex[:12]
        columns = ", ".join(f"unnest(?::VARCHAR[]) AS {c}" for c in key)
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT {columns}",
                    [[e[i] for e in entities] for i in range(len(key))])
        _SESSION.at_exit(lambda: con.execute(f"DROP TABLE IF EXISTS {name}"))
        return con, name
    made = _SESSION.kept(("entity_table", id(con), source), create)
    if made[0] is not con:              # another cursor took this one's id: temp tables are per cursor
        made = create()
        _SESSION.keep(("entity_table", id(con), source), made)
    return made[1]


def _survey(con, source: str, key: list[str]) -> tuple[list[tuple], dict[str, set]]:
    """The entities of a relation's rows and, for every catalogue column over them, the
    entities with that column filled somewhere — one grouped scan, kept for the session."""
    def read():
        columns = sorted({m.column for m in MEASURES.values()
                          if m.relation in RELATIONS and m.agg != "days" and _source(m, None) == source
                          and m.column and m.column.isidentifier()})
        flags = ", ".join(f"count({c}) > 0" for c in columns) or "TRUE"     # count reads only the validity mask
        rows = con.execute(f"SELECT {', '.join(key)}, [{flags}] FROM ({source}) GROUP BY ALL").fetchall()
        entities = [tuple(r[:-1]) for r in rows]
        filled = {c: {tuple(r[:-1]) for r in rows if r[-1][i]} for i, c in enumerate(columns)}
        return entities, filled
    return _SESSION.kept(("survey", source, tuple(key)), read)


def _asof_sql(m: Measure, entities, requests, opening: bool, since: dt.date | None = None,
              until: dt.date | None = None) -> tuple[str, list]:
    """SQL yielding ``(rid, <entity key>, v)``: for each request and each entity (account) in
    its scope, the entity's last non-empty value in the window (``last``) or before it
    (``opening``), looking only at rows dated ``since`` ≤ date < ``until`` when given;
    ``entities()`` gives what lists the relation's entities (:func:`_entity_table`), asked
    only when an ASOF join needs them."""
    rel = RELATIONS[m.relation]
    key = list(rel.key)
    col = m.column
    bounds, head = [f"{col} IS NOT NULL"], []
    if opening:
        bounds.append("date < ?")
        head.append(min(until, max(r[2] for r in requests)) if until else max(r[2] for r in requests))
        cond, after = "k.lo > s.date", ""
    else:
        bounds.append("date BETWEEN ? AND ?")
        hi = max(r[3] for r in requests)
        head += [min(r[2] for r in requests), min(hi, until - dt.timedelta(days=1)) if until else hi]
        cond, after = "k.hi >= s.date", " WHERE s.date >= k.lo"
    if since is not None:
        bounds.append("date >= ?")
        head.append(since)
    src = f"(SELECT {', '.join(key)}, date, {col} AS v FROM ({_source(m, None)}) WHERE {' AND '.join(bounds)})"
    branches, params, matched, matched_params = [], [], [], []
    for kind, rows in _by_kind(requests).items():
        table, table_params = _request_table(kind, rows)
        if kind in ("all", "platform") and len(rows) <= FEW_WIDE_REQUESTS:
            # a few requests over many entities: each entity's last row by a grouped arg_max
            # (every row of the window is joined to at most a few requests)
            match = "".join(f"s.{c} = q.m_{c} AND " for c in _MATCH_COLUMNS[kind])
            window = "s.date < q.lo" if opening else "s.date BETWEEN q.lo AND q.hi"
            branches.append(f"""SELECT q.rid, {', '.join('s.' + c for c in key)}, arg_max(s.v, s.date) AS v
                                FROM {src} s JOIN {table} q ON {match}{window} GROUP BY ALL""")
            params += head + table_params
            continue
        match = " AND ".join(f"e.{c} = q.m_{c}" for c in _MATCH_COLUMNS[kind]) or "TRUE"
        matched.append(f"SELECT q.rid, q.lo, q.hi, e.* FROM {entities()} e JOIN {table} q ON {match}")
        matched_params += table_params
    if matched:
        on = " AND ".join(f"k.{c} = s.{c}" for c in key)
        branches.append(f"""SELECT k.rid, {', '.join('k.' + c for c in key)}, s.v FROM ({" UNION ALL ".join(matched)}) k
                            ASOF JOIN {src} s ON {on} AND {cond}{after}""")
        params += matched_params + head
    return " UNION ALL ".join(branches), params


NEAR_DAYS = 62
FEW_WIDE_REQUESTS = 4   # up to this many whole-team or platform requests are answered without ASOF


def _levels(con, m: Measure, requests, opening: bool) -> dict[int, float]:
    """{rid: sum over the scope's entities of each one's last value} (``last`` / ``opening``).

    Levels are usually recorded daily, so the rows of the last ``NEAR_DAYS`` days before the
    windows' ends are searched first: a value found there is the latest one (any later row
    would be there too). Entities with nothing there are then searched in the older rows."""
    key = list(RELATIONS[m.relation].key)
    kind = {("platform", "account"): "accounts", ("channel",): "channels"}.get(tuple(key))
    ends = [r[2] if opening else r[3] for r in requests]
    cut = min(ends) - dt.timedelta(days=NEAR_DAYS)
    if kind is None or (not opening and cut <= min(r[2] for r in requests)):
        sql, params = _asof_sql(m, lambda: _entity_table(con, m), requests, opening)
        rows = con.execute(sql, params).fetchall()
    else:
        sql, params = _asof_sql(m, lambda: _entity_table(con, m), requests, opening, since=cut)
        rows = con.execute(sql, params).fetchall()
        found: dict[int, set] = {}                 # rid → the entities with a value in the near rows
        for r in rows:
            found.setdefault(r[0], set()).add(tuple(r[1:-1]))
        by_rid = {r[0]: r for r in requests}
        entities = _entities(con, m) if any(r[1][0] in ("all", "platform") for r in requests) else []
        missing = []
        for rid, member, lo, hi in requests:
            if member[0] == "all":
                names = entities
            elif member[0] == "platform":
                names = [e for e in entities if e[0] == member[1]]
            else:
                names = [n if isinstance(n, tuple) else (n,) for n in member[1]]
            have = found.get(rid, ())
            missing += [(rid, e) for e in names if e not in have]
        if missing:
            older = [(rid, (kind, (e if kind == "accounts" else e[0],)), by_rid[rid][2], by_rid[rid][3])
                     for rid, e in missing]
            sql, params = _asof_sql(m, lambda: _entity_table(con, m), older, opening, until=cut)
            rows += con.execute(sql, params).fetchall()
    out: dict[int, float] = {}
    for rid, *_key, v in rows:
        out[rid] = out.get(rid, 0.0) + float(v)
    return out


def _requests(m: Measure, windows) -> tuple[list, dict]:
    """Number the distinct (membership, lo, hi) of ``windows`` (tuples of lo, hi, scope)."""
    rel = RELATIONS[m.relation]
    members = _SESSION.kept(("members", m.relation), dict)   # scope → membership, for the relation's measures
    ids: dict[tuple, int] = {}
    of_window: dict[tuple, int | None] = {}
    requests = []
    for lo, hi, scope in windows:
        if scope in members:
            member = members[scope]
        else:
            member = members[scope] = _membership(rel, scope)
        if member is None:
            of_window[(lo, hi, scope)] = None
            continue
        key = (member, lo, hi)
        if key not in ids:
            ids[key] = len(ids)
            requests.append((ids[key], member, lo, hi))
        of_window[(lo, hi, scope)] = ids[key]
    return requests, of_window


def _measures_values(con, jobs: list[tuple[Measure, set]]) -> dict[tuple, float | None]:
    """{(measure id, lo, hi, scope): value} for every (measure, windows) job, as
    ``catalog.measure_value`` gives it: sums and counts over one relation in one query,
    levels (``last``, ``opening``) one query per measure. The relations' sums run on cursors
    of their own in worker threads while the levels are read (``metrics.alongside``)."""
    out: dict[tuple, float | None] = {}
    shared: dict[str, list] = {}
    levels = []
    for m, windows in jobs:
        if m.agg == "days":
            out.update({(m.id, lo, hi, sc): (float((hi - lo).days + 1) if hi >= lo else None)
                        for lo, hi, sc in windows})
            continue
        requests, of_window = _requests(m, windows)
        if m.agg in ("sum", "count"):
            shared.setdefault(_source(m, None), []).append((m, requests, of_window))
        elif m.agg in ("last", "opening"):
            levels.append((m, requests, of_window))
        else:
            raise ValueError(f"measure {m.id}: unknown aggregation {m.agg!r}")
    calls = [(_grouped, source, RELATIONS[group[0][0].relation].key,
              [((m.agg, m.column), requests) for m, requests, _ in group], "sum(v)")
             for source, group in shared.items()]
    with alongside_all(con, calls) as sums:
        for m, requests, of_window in levels:
            found = _levels(con, m, requests, opening=m.agg == "opening") if requests else {}
            out.update(_by_window(m, of_window, found))
        for group, results in zip(shared.values(), (f.result() for f in sums)):
            for (m, requests, of_window), found in zip(group, results):
                if m.agg == "count":
                    found = _zero_counts(con, m, requests, found)
                out.update(_by_window(m, of_window, found))
    return out


def _by_window(m: Measure, of_window: dict, found: dict) -> dict[tuple, float | None]:
    return {(m.id, *w): (None if rid is None or found.get(rid) is None else float(found[rid]))
            for w, rid in of_window.items()}


def _zero_counts(con, m: Measure, requests, found: dict) -> dict:
    """A count of zero is 0 only when the scope has rows at all (for a filtered count: rows
    where the filter says yes or no); otherwise it is None, as in ``catalog.measure_value``."""
    zero = [r for r in requests if not found.get(r[0])]
    if not zero:
        return found
    rel = RELATIONS[m.relation]
    key = list(rel.key)
    source = f"SELECT * FROM ({rel.source})" + (f" WHERE ({m.filter}) IS NOT NULL" if m.filter else "")
    present = _SESSION.kept(("present", source), lambda: {tuple(r) for r in con.execute(
        f"SELECT DISTINCT {', '.join(key)} FROM ({source})").fetchall()})
    out = dict(found)
    unsure = []
    for r in zero:
        has = _member_has(r[1], present, key)
        if has is None:
            unsure.append(r)
        else:
            out[r[0]] = 0.0 if has else None
    if unsure:
        probe = [(rid, member, FIRST_DAY.replace(year=1), LAST_DAY) for rid, member, _lo, _hi in unsure]
        known = set(_grouped(con, source, rel.key, [(("count", "*"), probe)], "count(*)")[0])
        out.update({rid: (0.0 if rid in known else None) for rid, *_ in unsure})
    return out


# ------------------------------------------------------------------ metrics
def values(con, asks) -> dict[Ask, float | None]:
    """Every ask's value, as ``catalog.value`` gives it, in one query per measure involved."""
    with session():
        return _values(con, list(dict.fromkeys(asks)))


def _values(con, asks: list[Ask]) -> dict[Ask, float | None]:
    needed: dict[str, set] = {}
    for a in asks:
        _need(needed, a.metric, a.start, a.end, a.scope)
    measured = _measures_values(con, [(MEASURES[mid], windows) for mid, windows in needed.items()])
    return {a: _metric_value(measured, a.metric, a.start, a.end, a.scope) for a in asks}


# Module functions, not closures: a recursive closure is a reference cycle that would keep the
# batch's measured values alive until the garbage collector finds it.
def _need(needed: dict[str, set], metric_id: str, lo: dt.date, hi: dt.date, scope: Scope | None) -> None:
    """Add the (lo, hi, scope) windows of the measures a metric reads to ``needed``."""
    met = get(metric_id)
    if met.kind == "derived":
        for name in _expr_names(met.expr or "")[0]:
            _need(needed, name, lo, hi, scope)
    elif met.kind == "cumulative":
        for mid in met.measures:
            needed.setdefault(_resolve(mid, scope).id, set()).add((FIRST_DAY, hi, scope))
    else:
        for mid in met.measures + met.numerator + met.denominator:
            needed.setdefault(_resolve(mid, scope).id, set()).add((lo, hi, scope))


def _sum_measured(measured: dict, measure_ids, lo: dt.date, hi: dt.date, scope: Scope | None) -> float | None:
    """``catalog._sum_or_none`` of the measures' values over the window."""
    return _sum_or_none(measured[(_resolve(m, scope).id, lo, hi, scope)] for m in measure_ids)


def _metric_value(measured: dict, metric_id: str, lo: dt.date, hi: dt.date, scope: Scope | None) -> float | None:
    """A metric's value from its measures' values, as ``catalog.value`` combines them."""
    met = get(metric_id)
    if met.kind == "simple":
        return _sum_measured(measured, met.measures, lo, hi, scope)
    if met.kind == "cumulative":
        return _sum_measured(measured, met.measures, FIRST_DAY, hi, scope)
    if met.kind == "ratio":
        return _divide(_sum_measured(measured, met.numerator, lo, hi, scope),
                       _sum_measured(measured, met.denominator, lo, hi, scope))
    names, _ = _expr_names(met.expr or "")
    return _evaluate(met.expr, {n: _metric_value(measured, n, lo, hi, scope) for n in names})


TAIL_DAYS = 31


def _filled(con, source: str, key: list[str], columns: list[str]) -> dict[str, set]:
    """{column: the entities with that column filled somewhere} (from the session's survey;
    a column the catalogue does not declare over this source is read on its own)."""
    _entities_, filled = _survey(con, source, key)
    out = {}
    for c in columns:
        if c not in filled:
            rows = con.execute(f"SELECT DISTINCT {', '.join(key)} FROM ({source}) WHERE {c} IS NOT NULL").fetchall()
            filled[c] = {tuple(r) for r in rows}
        out[c] = filled[c]
    return out


def _member_has(member: tuple, present: set, key: list[str]) -> bool | None:
    """Whether any entity of a scope's membership is in ``present`` (None: cannot tell)."""
    if member[0] == "all":
        return bool(present)
    if member[0] == "platform" and key[0] == "platform":
        return any(e[0] == member[1] for e in present)
    if member[0] == "accounts" and key == ["platform", "account"]:
        return any(tuple(p) in present for p in member[1])
    if member[0] == "channels" and key == ["channel"]:
        return any((c,) in present for c in member[1])
    return None


def _with_any_data(con, source: str, jobs: list[tuple[Measure, list]], rest: list[list]) -> list[list]:
    """The requests of ``rest`` whose scope has any row with the job's column filled: a
    whole-history search is only worth it for those (one small query grouped by entity).
    Requests of at most ``TAIL_DAYS`` days are kept without asking: searching them is cheap."""
    span = dt.timedelta(days=TAIL_DAYS)
    if not any(r[3] - r[2] > span for requests in rest for r in requests):
        return rest
    key = list(RELATIONS[jobs[0][0].relation].key)
    filled = _filled(con, source, key, [m.column for m, _r in jobs])
    has = [filled[m.column] for m, _r in jobs]
    out = []
    for i, requests in enumerate(rest):
        keep = []
        for r in requests:
            if r[3] - r[2] <= span or _member_has(r[1], has[i], key) is not False:
                keep.append(r)
        out.append(keep)
    return out


def _last_days(con, source: str, jobs: list[tuple[Measure, list]]) -> list[dict]:
    """{rid: last day with data} per (measure, requests) job over one relation, in one query
    (two when some are not found near the end). Data is usually recent, so long windows are
    first searched in their last ``TAIL_DAYS`` days; only those with nothing there are
    searched whole (the answer is the same, the rows read far fewer)."""
    final = "max(date) FILTER (WHERE v > 0)"
    span = dt.timedelta(days=TAIL_DAYS)
    longs = [[r for r in requests if r[3] != LAST_DAY and r[3] - r[2] > span] for _m, requests in jobs]
    key = RELATIONS[jobs[0][0].relation].key
    tails = _grouped(con, source, key, [(("count", m.column), [(rid, member, hi - span, hi) for rid, member, _lo, hi in long])
                                   for (m, _r), long in zip(jobs, longs)], final)
    tails = [{rid: d for rid, d in found.items() if d is not None} for found in tails]
    rest = [[r for r in requests if r not in long or r[0] not in found]
            for (_m, requests), long, found in zip(jobs, longs, tails)]
    rest = _with_any_data(con, source, jobs, rest)
    wholes = _grouped(con, source, key, [(("count", m.column), reqs) for (m, _r), reqs in zip(jobs, rest)], final)
    return [{**tail, **{rid: d for rid, d in whole.items() if d is not None}} for tail, whole in zip(tails, wholes)]


def last_data_days(con, asks) -> dict[DayAsk, dt.date | None]:
    """Every ask's last day with data, as ``catalog.last_data_day`` gives it, in one query per
    driver measure involved."""
    with session():
        return _last_data_days(con, list(dict.fromkeys(asks)))


def _last_data_days(con, asks: list[DayAsk]) -> dict[DayAsk, dt.date | None]:
    needed: dict[str, set] = {}
    for a in asks:
        for mid in _driver_measures(a.metric):
            m = _resolve(mid, a.scope)
            needed.setdefault(m.id, set()).add((a.since or FIRST_DAY.replace(year=1), a.until or LAST_DAY, a.scope))
    found: dict[tuple, dt.date | None] = {}
    shared: dict[str, list] = {}
    for mid, windows in needed.items():
        m = MEASURES[mid]
        requests, of_window = _requests(m, windows)
        shared.setdefault(_source(m, None), []).append((m, requests, of_window))
    calls = [(_last_days, source, [(m, requests) for m, requests, _ in group]) for source, group in shared.items()]
    with alongside_all(con, calls, share_context=True) as searches:     # one relation per cursor
        per_source = [f.result() for f in searches]
    for group, results in zip(shared.values(), per_source):
        for (m, _requests_, of_window), days in zip(group, results):
            for w, rid in of_window.items():
                found[(m.id, *w)] = None if rid is None else days.get(rid)
    out = {}
    for a in asks:
        window = (a.since or FIRST_DAY.replace(year=1), a.until or LAST_DAY, a.scope)
        days = [found[(_resolve(mid, a.scope).id, *window)] for mid in _driver_measures(a.metric)]
        days = [d for d in days if d is not None]
        out[a] = max(days) if days else None
    return out
