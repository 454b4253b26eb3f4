"""The metric catalogue: base measures and metrics declared in ``data/metrics/catalog.toml``.

A *measure* is a column (or expression) of a current relation and an aggregation; a *metric*
is one of a closed set of kinds — simple, ratio, derived, cumulative. Every value is computed
in DuckDB over the period and scope asked for; a ratio is always the ratio of the period's
sums (never a mean of daily ratios) and an empty or zero denominator gives ``None``.

Scope rules: a scope naming a platform or accounts restricts the relations that carry
accounts; a scope naming channels restricts the relations that carry channels. A measure
whose relation cannot honour the scope (spend for one account, say) has no value (``None``),
except that a measure with ``per_channel`` switches to its channel counterpart.

"Followers at period start" is each account's ``followers_total`` on its last day with data
*before* the period starts (summed over accounts); "followers" is each account's total on its
last day with data inside the period. "Per day" metrics divide by the calendar days of the
period (``end − start + 1``).
"""
from __future__ import annotations

import ast
import contextlib
import contextvars
import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from store.relations import RELATIONS as STORE_RELATIONS

CATALOG_FILE = Path(__file__).resolve().parent.parent / "data" / "metrics" / "catalog.toml"

KINDS = ("simple", "ratio", "derived", "cumulative")
AGGREGATIONS = ("sum", "count", "last", "opening", "days")
UNITS = ("count", "ratio", "money", "number")
DIRECTIONS = ("higher", "lower")
PACES = ("accrue", "level", "rate")
FIRST_DAY = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Relation:
    id: str
    source: str
    dimension: str  # "account" | "channel"
    key: tuple[str, ...]


@dataclass(frozen=True)
class Measure:
    id: str
    agg: str
    relation: str | None = None
    column: str | None = None
    filter: str | None = None
    per_channel: str | None = None


@dataclass(frozen=True)
class Metric:
    id: str
    kind: str
    unit: str
    direction: str
    label_en: str
    label_zh: str
    description: str
    group: str = "other"
    measures: tuple[str, ...] = ()      # simple / cumulative
    numerator: tuple[str, ...] = ()     # ratio
    denominator: tuple[str, ...] = ()   # ratio
    expr: str | None = None             # derived
    pace_as: str | None = None          # override of ``pace`` (catalogue key ``pace``)

    @property
    def pace(self) -> str:
        """How a target on this metric is paced and split over time:
        ``accrue`` — the value builds up over the period (sums, counts; a growth % over a fixed
        opening): the target is spread over the days and the parts add up;
        ``level`` — a level reached at a date (followers, total users, running totals): the
        path goes from the level before the period to the target;
        ``rate`` — a ratio that holds at any time (conversion, open rate, cost per follower):
        every part inherits the target."""
        if self.pace_as:
            return self.pace_as
        if self.kind == "cumulative":
            return "level"
        if self.kind == "simple":
            aggs = {MEASURES[m].agg for m in self.measures if m in MEASURES}
            return "level" if aggs & {"last", "opening"} else "accrue"
        return "rate"

    def label(self, lang: str = "en") -> str:
        """The metric's name in ``lang`` ('en' or 'zh')."""
        return self.label_zh if lang == "zh" else self.label_en

    @property
    def additive(self) -> bool:
        """True when values add up across accounts and people (sums, counts, follower levels):
        a target on it is split among the team; a ratio's target is inherited instead."""
        return self.kind in ("simple", "cumulative")


@dataclass(frozen=True)
class Scope:
    """What a value covers. Empty scope = the whole team. Roles and people are resolved by
    callers into their accounts and channels (see ``person_scope`` / ``role_scope``)."""
    platform: str | None = None
    accounts: tuple[tuple[str, str], ...] | None = None   # lists are accepted and made tuples
    channels: tuple[str, ...] | None = None

    def __post_init__(self):
        # lists become tuples so that a scope can be hashed (cache keys)
        if self.accounts is not None:
            object.__setattr__(self, "accounts", tuple(tuple(a) for a in self.accounts))
        if self.channels is not None:
            object.__setattr__(self, "channels", tuple(self.channels))

    def __hash__(self) -> int:
        # a scope is a key in every batch of figures: its accounts are hashed once, not per lookup
        try:
            return self._hash
        except AttributeError:
            object.__setattr__(self, "_hash", hash((self.platform, self.accounts, self.channels)))
            return self._hash

    def __getstate__(self) -> dict:
        # string hashes differ between processes: a pickled scope hashes itself again
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    @property
    def restricts_accounts(self) -> bool:
        return bool(self.platform) or self.accounts is not None

    @property
    def restricts_channels(self) -> bool:
        return self.channels is not None


def _as_tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _load(path: Path = CATALOG_FILE):
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    relations = {rid: Relation(rid, r.get("source", ""), r.get("dimension", ""), tuple(r.get("key", ())))
                 for rid, r in raw.get("relations", {}).items()}
    measures = {mid: Measure(mid, m.get("agg", ""), m.get("relation"), m.get("column"), m.get("filter"),
                             m.get("per_channel"))
                for mid, m in raw.get("measures", {}).items()}
    metrics = {}
    for mid, m in raw.get("metrics", {}).items():
        metrics[mid] = Metric(
            id=mid, kind=m.get("kind", ""), unit=m.get("unit", ""), direction=m.get("direction", ""),
            label_en=m.get("label_en", ""), label_zh=m.get("label_zh", ""),
            description=m.get("description", ""), group=m.get("group", "other"),
            measures=_as_tuple(m.get("measures", m.get("measure"))),
            numerator=_as_tuple(m.get("numerator")), denominator=_as_tuple(m.get("denominator")),
            expr=m.get("expr"), pace_as=m.get("pace"))
    return relations, measures, metrics


RELATIONS, MEASURES, METRICS = _load()
_ALLOWED_NODES = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div,
                  ast.USub, ast.UAdd, ast.Name, ast.Load, ast.Constant)


# ------------------------------------------------------------------ validation
def _expr_names(expr: str) -> tuple[set[str], str | None]:
    """Metric names used by a derived expression, or an error text."""
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError as exc:
        return set(), f"cannot parse ({exc.msg})"
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            return set(), f"uses {type(node).__name__}; only + − × ÷, numbers and metric ids are allowed"
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            return set(), "uses a non-numeric constant"
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}, None


def validate(relations=None, measures=None, metrics=None) -> list[str]:
    """Every problem of the catalogue at once (unknown relation/measure/metric, bad kind or
    aggregation, missing label or description, cycles among derived metrics)."""
    relations = RELATIONS if relations is None else relations
    measures = MEASURES if measures is None else measures
    metrics = METRICS if metrics is None else metrics
    problems: list[str] = []
    for rel in relations.values():
        if rel.dimension not in ("account", "channel"):
            problems.append(f"relation {rel.id}: dimension must be 'account' or 'channel', not {rel.dimension!r}")
        if not rel.source.strip():
            problems.append(f"relation {rel.id}: no source SELECT")
        if not rel.key:
            problems.append(f"relation {rel.id}: no entity key")
    for m in measures.values():
        where = f"measure {m.id}"
        if m.agg not in AGGREGATIONS:
            problems.append(f"{where}: aggregation {m.agg!r} is not one of {', '.join(AGGREGATIONS)}")
        if m.agg == "days":
            continue
        if m.relation not in relations:
            problems.append(f"{where}: unknown relation {m.relation!r}")
        elif m.column and m.column.isidentifier() and m.relation in STORE_RELATIONS:
            if m.column not in STORE_RELATIONS[m.relation].columns:
                problems.append(f"{where}: relation {m.relation} has no column {m.column!r}")
        if not m.column:
            problems.append(f"{where}: no column")
        if m.per_channel:
            alt = measures.get(m.per_channel)
            if alt is None:
                problems.append(f"{where}: per_channel names unknown measure {m.per_channel!r}")
            elif alt.relation in relations and relations[alt.relation].dimension != "channel":
                problems.append(f"{where}: per_channel measure {alt.id} is not over a channel relation")
    for met in metrics.values():
        where = f"metric {met.id}"
        if met.kind not in KINDS:
            problems.append(f"{where}: kind {met.kind!r} is not one of {', '.join(KINDS)}")
        if met.unit not in UNITS:
            problems.append(f"{where}: unit {met.unit!r} is not one of {', '.join(UNITS)}")
        if met.direction not in DIRECTIONS:
            problems.append(f"{where}: direction must be 'higher' or 'lower', not {met.direction!r}")
        for lang, text in (("label_en", met.label_en), ("label_zh", met.label_zh), ("description", met.description)):
            if not text.strip():
                problems.append(f"{where}: missing {lang}")
        if met.kind in ("ratio", "derived") and met.description and "÷" not in met.description:
            problems.append(f"{where}: the description must state the denominator (use ÷)")
        used: tuple[str, ...] = ()
        if met.kind in ("simple", "cumulative"):
            used = met.measures
            if not used:
                problems.append(f"{where}: no measure")
        elif met.kind == "ratio":
            used = met.numerator + met.denominator
            if not met.numerator or not met.denominator:
                problems.append(f"{where}: a ratio needs a numerator and a denominator")
        for mid in used:
            if mid not in measures:
                problems.append(f"{where}: unknown measure {mid!r}")
            elif met.kind == "cumulative" and measures[mid].agg != "sum":
                problems.append(f"{where}: a cumulative metric needs a sum measure, {mid} is {measures[mid].agg}")
        if met.kind == "derived":
            names, error = _expr_names(met.expr or "")
            if not met.expr:
                problems.append(f"{where}: a derived metric needs an expression")
            elif error:
                problems.append(f"{where}: expression {met.expr!r} {error}")
            for name in sorted(names - set(metrics)):
                problems.append(f"{where}: expression uses unknown metric {name!r}")
        if met.pace_as is not None and met.pace_as not in PACES:
            problems.append(f"{where}: pace must be one of {', '.join(PACES)}, not {met.pace_as!r}")
    for lang in ("label_en", "label_zh"):
        seen: dict[str, str] = {}
        for met in metrics.values():
            text = getattr(met, lang).strip()
            if text and text in seen:
                problems.append(f"metric {met.id}: {lang} {text!r} is also the label of {seen[text]}")
            seen.setdefault(text, met.id)
    problems.extend(_cycles(metrics))
    return problems


def _cycles(metrics) -> list[str]:
    graph = {mid: (_expr_names(m.expr or "")[0] & set(metrics)) if m.kind == "derived" else set()
             for mid, m in metrics.items()}
    found, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycle = path[path.index(nxt):] + [nxt]
                found.append("cycle among derived metrics: " + " → ".join(cycle))
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for mid in sorted(graph):
        if mid not in state:
            visit(mid, [mid])
    return found


# ------------------------------------------------------------------ SQL over one measure
def _scope_sql(rel: Relation, scope: Scope | None) -> tuple[str, list] | None:
    """WHERE fragment and parameters restricting ``rel`` to ``scope``; None = not applicable."""
    if scope is None:
        return "TRUE", []
    if rel.dimension == "account":
        if not scope.restricts_accounts:
            return ("TRUE", []) if not scope.restricts_channels else None
        parts, params = [], []
        if scope.platform:
            parts.append("platform = ?")
            params.append(scope.platform)
        if scope.accounts is not None:
            pairs = [tuple(a) for a in scope.accounts]
            if not pairs:
                return "FALSE", []
            parts.append("(" + " OR ".join("(platform = ? AND account = ?)" for _ in pairs) + ")")
            for platform, account in pairs:
                params += [platform, account]
        return " AND ".join(parts), params
    if not scope.restricts_channels:
        return ("TRUE", []) if not scope.restricts_accounts else None
    names = list(scope.channels)
    if not names:
        return "FALSE", []
    return f"channel IN ({', '.join('?' for _ in names)})", names


def _resolve(measure_id: str, scope: Scope | None) -> Measure:
    """The measure to use under ``scope`` (its channel counterpart when the scope names channels)."""
    m = MEASURES[measure_id]
    if (scope is not None and m.per_channel and scope.restricts_channels
            and not scope.restricts_accounts and m.relation and RELATIONS[m.relation].dimension != "channel"):
        return MEASURES[m.per_channel]
    return m


def _base(m: Measure, scope: Scope | None) -> tuple[str, list] | None:
    rel = RELATIONS[m.relation]
    where = _scope_sql(rel, scope)
    if where is None:
        return None
    cond, params = where
    if m.filter:
        cond = f"({cond}) AND ({m.filter})"
    return f"(SELECT * FROM ({rel.source}) WHERE {cond})", params


def _fetch(con, sql: str, params: list):
    return con.execute(sql, params).fetchall()


def measure_value(con, measure_id: str, start: dt.date, end: dt.date, scope: Scope | None = None) -> float | None:
    """One measure aggregated over ``start``..``end`` (inclusive) in ``scope``; None = no data."""
    m = _resolve(measure_id, scope)
    if m.agg == "days":
        return float((end - start).days + 1) if end >= start else None
    base = _base(m, scope)
    if base is None:
        return None
    src, params = base
    rel = RELATIONS[m.relation]
    key = ", ".join(rel.key)
    col = m.column
    if m.agg == "sum":
        rows = _fetch(con, f"SELECT sum({col}) FROM {src} WHERE date BETWEEN ? AND ?", params + [start, end])
    elif m.agg == "count":
        rows = _fetch(con, f"SELECT count({col}) FROM {src} WHERE date BETWEEN ? AND ?", params + [start, end])
        if rows and rows[0][0] == 0:
            # zero rows is 0 only when the relation has data for this scope at all
            # and, for a filtered count (original posts), only when some row says yes or no
            said = f" AND ({m.filter}) IS NOT NULL" if m.filter else ""
            known = _fetch(con, f"SELECT count(*) FROM ({RELATIONS[m.relation].source}) WHERE "
                                f"{(_scope_sql(rel, scope) or ('FALSE', []))[0]}{said}",
                           (_scope_sql(rel, scope) or ("FALSE", []))[1])
            return 0.0 if known and known[0][0] else None
    elif m.agg in ("last", "opening"):
        window = "date BETWEEN ? AND ?" if m.agg == "last" else "date < ?"
        window_params = [start, end] if m.agg == "last" else [start]
        rows = _fetch(con, f"""SELECT sum(v) FROM (
                SELECT arg_max({col}, date) AS v FROM {src}
                WHERE {window} AND {col} IS NOT NULL GROUP BY {key})""", params + window_params)
    else:
        raise ValueError(f"measure {m.id}: unknown aggregation {m.agg!r}")
    value = rows[0][0] if rows else None
    return None if value is None else float(value)


def measure_daily(con, measure_id: str, start: dt.date, end: dt.date, scope: Scope | None = None) -> dict[dt.date, float]:
    """One measure per day over ``start``..``end``: {date: value} for every day with data."""
    m = _resolve(measure_id, scope)
    if m.agg == "days":
        return {start + dt.timedelta(days=i): 1.0 for i in range((end - start).days + 1)}
    base = _base(m, scope)
    if base is None:
        return {}
    src, params = base
    rel = RELATIONS[m.relation]
    key = ", ".join(rel.key)
    col = m.column
    if m.agg in ("sum", "last"):
        sql = f"SELECT date, sum({col}) FROM {src} WHERE date BETWEEN ? AND ? GROUP BY date"
        rows = _fetch(con, sql, params + [start, end])
    elif m.agg == "count":
        sql = f"SELECT date, count({col}) FROM {src} WHERE date BETWEEN ? AND ? GROUP BY date"
        rows = _fetch(con, sql, params + [start, end])
    elif m.agg == "opening":
        sql = f"""SELECT date, sum(prev) FROM (
                    SELECT date, lag({col}) OVER (PARTITION BY {key} ORDER BY date) AS prev
                    FROM {src} WHERE date <= ? AND {col} IS NOT NULL)
                  WHERE date BETWEEN ? AND ? GROUP BY date"""
        rows = _fetch(con, sql, params + [end, start, end])
    else:
        raise ValueError(f"measure {m.id}: unknown aggregation {m.agg!r}")
    return {d: float(v) for d, v in rows if v is not None}


# ------------------------------------------------------------------ metrics
def _sum_or_none(values) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _divide(num: float | None, den: float | None) -> float | None:
    if num is None or den is None or den == 0:
        return None
    return num / den


def _evaluate(expr: str, values: dict[str, float | None]) -> float | None:
    """Evaluate a derived expression; any missing operand or division by zero gives None."""
    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            return values.get(node.id)
        if isinstance(node, ast.UnaryOp):
            v = ev(node.operand)
            return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left), ev(node.right)
            if a is None or b is None:
                return None
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Sub):
                return a - b
            if isinstance(node.op, ast.Mult):
                return a * b
            return None if b == 0 else a / b
        raise ValueError(f"unsupported expression node {type(node).__name__}")
    return ev(ast.parse(expr, mode="eval"))


def get(metric_id: str) -> Metric:
    """The metric ``metric_id``; KeyError names the catalogue file when it is unknown."""
    try:
        return METRICS[metric_id]
    except KeyError:
        raise KeyError(f"metric {metric_id!r} is not in the catalogue ({CATALOG_FILE.name})") from None


_PREFETCHED: contextvars.ContextVar = contextvars.ContextVar("catalog_prefetched", default=({}, {}))
_MISSING = object()


@contextlib.contextmanager
def prefetched(values: dict | None = None, last_days: dict | None = None):
    """Within the block, ``value`` and ``last_data_day`` answer from batched results
    (``metrics.catalog_batch.values`` / ``last_data_days``) and query only what is not there."""
    outer_values, outer_days = _PREFETCHED.get()
    token = _PREFETCHED.set((
        {**outer_values, **{(a.metric, a.start, a.end, a.scope): v for a, v in (values or {}).items()}},
        {**outer_days, **{(a.metric, a.scope, a.until, a.since): d for a, d in (last_days or {}).items()}}))
    try:
        yield
    finally:
        _PREFETCHED.reset(token)


class _Deferred(BaseException):
    """Raised inside ``batched`` when a figure is not fetched yet (a BaseException, so that no
    ``except Exception`` on the way swallows it)."""


_COLLECTING: contextvars.ContextVar = contextvars.ContextVar("catalog_collecting", default=None)


def batched(con, items, compute, hints=None) -> list:
    """``[compute(item) for item in items]`` with the catalogue figures they need fetched in a
    few grouped queries instead of one query each.

    Every item runs until it asks for a figure that is not fetched yet; the run stops there
    and the figure is noted. The noted figures are then fetched together
    (``metrics.catalog_batch``) and the stopped items run again, until all have finished —
    as many rounds as the longest chain of figures that depend on each other (a last data
    day, then the value up to it). ``compute`` must only read. ``hints(item)``, when given, returns the
    (asks, day asks) the item is known to need; they are fetched before the first round,
    which saves the rounds it would take to discover them."""
    from metrics import catalog_batch
    with catalog_batch.session():
        return _batched(con, list(items), compute, hints)


def _batched(con, items: list, compute, hints) -> list:
    from metrics import catalog_batch
    results: dict[int, object] = {}
    values: dict = {}
    days: dict = {}
    if hints is not None:
        known_asks, known_days = set(), set()
        for item in items:
            asks, day_asks = hints(item)
            known_asks.update(asks)
            known_days.update(day_asks)
        days.update(catalog_batch.last_data_days(con, known_days))
        values.update(catalog_batch.values(con, known_asks))
    pending = list(range(len(items)))
    while pending:
        asks, day_asks, stopped = set(), set(), []
        with prefetched(values, days):
            token = _COLLECTING.set((asks, day_asks))
            try:
                for i in pending:
                    try:
                        results[i] = compute(items[i])
                    except _Deferred:
                        stopped.append(i)
            finally:
                _COLLECTING.reset(token)
        if not stopped:
            break
        values.update(catalog_batch.values(con, asks))
        days.update(catalog_batch.last_data_days(con, day_asks))
        pending = stopped
    return [results[i] for i in range(len(items))]


def _fetched(slot: int, key: tuple):
    """A figure fetched in a batch (slot 0: values, keyed like ``value``'s arguments; slot 1:
    last data days, keyed like ``last_data_day``'s), ``_MISSING`` when it is not; inside
    ``batched`` a missing figure is noted for the next round and the run stops."""
    known = _PREFETCHED.get()[slot].get(key, _MISSING)
    if known is not _MISSING:
        return known
    collecting = _COLLECTING.get()
    if collecting is not None:
        from metrics.catalog_batch import Ask, DayAsk
        get(key[0])
        collecting[slot].add(Ask(*key) if slot == 0 else DayAsk(*key))
        raise _Deferred()
    return _MISSING


def each(fn, items) -> list:
    """``[fn(item) for item in items]``; inside ``batched``, every item is tried before a
    missing figure stops the run, so that the figures of all of them are fetched in one round."""
    out, missed = [], False
    for item in items:
        try:
            out.append(fn(item))
        except _Deferred:
            missed = True
    if missed:
        raise _Deferred()
    return out


def value(con, metric_id: str, start: dt.date, end: dt.date, scope: Scope | None = None) -> float | None:
    """The metric over ``start``..``end`` (inclusive) in ``scope``; None when there is no data
    or the denominator is empty or zero. Ratios are the ratio of the period's sums."""
    known = _fetched(0, (metric_id, start, end, scope))
    if known is not _MISSING:
        return known
    met = get(metric_id)
    if met.kind == "simple":
        return _sum_or_none(measure_value(con, m, start, end, scope) for m in met.measures)
    if met.kind == "cumulative":
        return _sum_or_none(measure_value(con, m, FIRST_DAY, end, scope) for m in met.measures)
    if met.kind == "ratio":
        num = _sum_or_none(measure_value(con, m, start, end, scope) for m in met.numerator)
        den = _sum_or_none(measure_value(con, m, start, end, scope) for m in met.denominator)
        return _divide(num, den)
    if met.kind == "derived":
        names, _ = _expr_names(met.expr or "")
        return _evaluate(met.expr, {n: value(con, n, start, end, scope) for n in names})
    raise ValueError(f"metric {metric_id}: unknown kind {met.kind!r}")


def _daily_dict(con, metric_id: str, start: dt.date, end: dt.date, scope: Scope | None) -> dict[dt.date, float]:
    met = get(metric_id)

    def summed(measure_ids, lo=start):
        parts = [measure_daily(con, m, lo, end, scope) for m in measure_ids]
        days = sorted(set().union(*parts)) if parts else []
        return {d: sum(p[d] for p in parts if d in p) for d in days}

    if met.kind == "simple":
        return summed(met.measures)
    if met.kind == "cumulative":
        running, out = 0.0, {}
        for d, v in sorted(summed(met.measures, FIRST_DAY).items()):
            running += v
            if d >= start:
                out[d] = running
        return out
    if met.kind == "ratio":
        num, den = summed(met.numerator), summed(met.denominator)
        return {d: num.get(d, 0.0) / den[d] for d in sorted(den) if den[d] and d in num}
    if met.kind == "derived":
        names, _ = _expr_names(met.expr or "")
        series = {n: _daily_dict(con, n, start, end, scope) for n in names}
        days = sorted(set().union(*series.values())) if series else []
        out = {}
        for d in days:
            v = _evaluate(met.expr, {n: s.get(d) for n, s in series.items()})
            if v is not None:
                out[d] = v
        return out
    raise ValueError(f"metric {metric_id}: unknown kind {met.kind!r}")


def daily(con, metric_id: str, start: dt.date, end: dt.date, scope: Scope | None = None) -> pd.DataFrame:
    """The metric for each day with data in ``start``..``end``: a frame with ``date`` and
    ``value`` (a ratio is the day's numerator ÷ the day's denominator)."""
    values = _daily_dict(con, metric_id, start, end, scope)
    frame = pd.DataFrame({"date": list(values.keys()), "value": list(values.values())})
    if frame.empty:
        frame = pd.DataFrame({"date": pd.Series([], dtype="object"), "value": pd.Series([], dtype="float64")})
    return frame.sort_values("date").reset_index(drop=True)


def _driver_measures(metric_id: str) -> list[str]:
    """The measures whose days decide whether the metric has data (its first operand)."""
    met = get(metric_id)
    if met.kind == "derived":
        names, _ = _expr_names(met.expr or "")
        return [m for n in sorted(names) for m in _driver_measures(n)]
    ids = met.measures or met.numerator
    return [m for m in ids if MEASURES[m].agg != "days"]


def _data_day(con, metric_id: str, scope: Scope | None, fn: str, until: dt.date | None,
              since: dt.date | None = None) -> dt.date | None:
    days = []
    for mid in _driver_measures(metric_id):
        m = _resolve(mid, scope)
        base = _base(m, scope)
        if base is None:
            continue
        src, params = base
        cond = f"{m.column} IS NOT NULL" + (" AND date <= ?" if until else "") + (" AND date >= ?" if since else "")
        rows = _fetch(con, f"SELECT {fn}(date) FROM {src} WHERE {cond}",
                      params + ([until] if until else []) + ([since] if since else []))
        if rows and rows[0][0] is not None:
            days.append(rows[0][0])
    if not days:
        return None
    return min(days) if fn == "min" else max(days)


def first_data_day(con, metric_id: str, scope: Scope | None = None) -> dt.date | None:
    """The first day with data for the metric in ``scope`` (None when there is none)."""
    return _data_day(con, metric_id, scope, "min", None)


def last_data_day(con, metric_id: str, scope: Scope | None = None, until: dt.date | None = None,
                  since: dt.date | None = None) -> dt.date | None:
    """The last day (on or before ``until``) with data for the metric in ``scope``; with
    ``since``, only days from ``since`` on are looked at (None when there is none), which
    spares reading the whole history when only a period matters."""
    known = _fetched(1, (metric_id, scope, until, since))
    if known is not _MISSING:
        return known
    return _data_day(con, metric_id, scope, "max", until, since)


# ------------------------------------------------------------------ scopes of the team
def person_scope(con, person_id: int) -> Scope:
    """The accounts and channels a person is responsible for (empty lists when none)."""
    accounts = _fetch(con, "SELECT platform, account FROM person_accounts WHERE person_id = ? ORDER BY 1, 2",
                      [person_id])
    channels = _fetch(con, "SELECT channel FROM person_channels WHERE person_id = ? ORDER BY 1", [person_id])
    return Scope(accounts=tuple((p, a) for p, a in accounts) if accounts or not channels else None,
                 channels=tuple(c for (c,) in channels) if channels else None)


def role_scope(con, role_id: int) -> Scope:
    """The union of the accounts and channels of the role's active people."""
    accounts = _fetch(con, """SELECT DISTINCT pa.platform, pa.account FROM person_accounts pa
                              JOIN people p USING (person_id) WHERE p.role_id = ? AND coalesce(p.active, TRUE)
                              ORDER BY 1, 2""", [role_id])
    channels = _fetch(con, """SELECT DISTINCT pc.channel FROM person_channels pc
                              JOIN people p USING (person_id) WHERE p.role_id = ? AND coalesce(p.active, TRUE)
                              ORDER BY 1""", [role_id])
    return Scope(accounts=tuple((p, a) for p, a in accounts) if accounts or not channels else None,
                 channels=tuple(c for (c,) in channels) if channels else None)


def by_group() -> dict[str, list[Metric]]:
    """Metrics grouped for pickers (followers, content, posts, wechat, business, spend)."""
    out: dict[str, list[Metric]] = {}
    for met in METRICS.values():
        out.setdefault(met.group, []).append(met)
    return out
