"""Goals: a number on a catalogue metric, for a scope and a period, with a rule.

A goal has a metric, a scope (team, platform, account, channel, role or person), a period
(start and end dates, often a phase's), a target, a kind (``output``: business goals such as
posts a week; ``outcome``: result goals such as follower growth), a rule (``reach`` the
target, stay ``at_least`` at it, stay ``at_most`` at it, or ``growth``: the target is a
growth over the previous period of the same length) and an optional floor — the least
acceptable value (for lower-is-better goals, the highest acceptable one).

A goal without a number and a period is not a goal ("raise brand exposure"):
:func:`goal_problems` says why, and the store refuses to save it.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, fields

from metrics import catalog
from metrics.catalog import Scope
from metrics.memo import ReadOnce
from store.refusals import is_blank
from metrics.decomposition import GRAINS, MODES, parse_weekday_weights

SCOPE_KINDS = ("team", "platform", "account", "channel", "role", "person")
GOAL_KINDS = ("output", "outcome")
RULES = ("reach", "at_least", "at_most", "growth")
PHASE_CODES = ("seed", "initial", "brand", "custom")
FOLLOWER_BASES = ("total", "gained")


@dataclass
class Goal:
    metric: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    target: float | None
    goal_id: int | None = None
    name: str | None = None
    scope_kind: str = "team"
    scope_ref: str | None = None
    phase_id: int | None = None
    kind: str = "outcome"
    rule: str = "reach"
    floor: float | None = None
    is_ultimate: bool = False
    parent_goal_id: int | None = None
    share: float | None = None
    split_mode: str = "even"
    split_grain: str = "month"
    curve_growth: float | None = None
    weekday_weights: str | None = None
    note: str | None = None
    parts: list[tuple[dt.date, dt.date, float]] = field(default_factory=list)

    @property
    def metric_def(self) -> catalog.Metric:
        return catalog.get(self.metric)

    def title(self, lang: str = "en") -> str:
        """The goal's name, or its metric's label."""
        if self.name and str(self.name).strip():
            return str(self.name)
        met = catalog.METRICS.get(self.metric or "")
        return met.label(lang) if met else str(self.metric)

    @property
    def lower_is_better(self) -> bool:
        """True for stay-below goals and for 'reach' goals on a lower-is-better metric."""
        if self.rule == "at_most":
            return True
        met = catalog.METRICS.get(self.metric or "")
        return self.rule == "reach" and met is not None and met.direction == "lower"


@dataclass(frozen=True)
class Problem:
    """Why a row cannot be saved: a label key (``goals.err_*``), its parameters and the row."""
    key: str
    params: dict
    row: int | None = None

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` from the label catalogue."""
        from ui.labels import t  # the catalogue reader; no Streamlit import at module level
        return t(self.key, lang=lang, row=self.row if self.row is not None else "–", **self.params)


GOAL_COLUMNS = [f.name for f in fields(Goal) if f.name != "parts"]


_blank = is_blank


def clean(x):
    """None for NULL/NaN/NaT/empty text; else the value (pandas Timestamps → date)."""
    if _blank(x):
        return None
    if hasattr(x, "to_pydatetime") and not isinstance(x, dt.date):
        return x.to_pydatetime().date()
    if isinstance(x, dt.datetime):
        return x.date()
    if hasattr(x, "item") and not isinstance(x, (str, bytes)):
        try:
            return x.item()
        except (ValueError, AttributeError):
            return x
    return x


def as_date(x) -> dt.date | None:
    x = clean(x)
    if x is None or isinstance(x, dt.date):
        return x
    try:
        return dt.date.fromisoformat(str(x)[:10])
    except ValueError:
        return None


# ------------------------------------------------------------------ reading
_READS = ReadOnce("goals_reads")


def load_goals(con, goal_ids: list[int] | None = None) -> list[Goal]:
    """Every goal (or those in ``goal_ids``), ultimate first, then by start date, with parts
    (inside ``reading()``, every goal is read once and the block's calls share them)."""
    if _READS.active:
        every = _READS.kept(("goals",), lambda: _load_goals(con, None))
        if goal_ids is None:
            return list(every)
        wanted = set(goal_ids)
        return [g for g in every if g.goal_id in wanted]
    return _load_goals(con, goal_ids)


def _load_goals(con, goal_ids: list[int] | None) -> list[Goal]:
    cols = ", ".join(GOAL_COLUMNS)
    where, params = "", []
    if goal_ids is not None:
        if not goal_ids:
            return []
        where, params = " WHERE list_contains(?::BIGINT[], goal_id)", [list(goal_ids)]
    rows = con.execute(f"SELECT {cols} FROM goals{where}"
                       " ORDER BY is_ultimate DESC, parent_goal_id NULLS FIRST, start_date, goal_id", params).fetchall()
    parts: dict[int, list] = {}
    for gid, s, e, target in con.execute(
            f"SELECT goal_id, start_date, end_date, target FROM goal_parts{where} ORDER BY goal_id, start_date",
            params).fetchall():
        parts.setdefault(gid, []).append((s, e, target))
    out = []
    for row in rows:
        g = Goal(**dict(zip(GOAL_COLUMNS, row)))
        g.is_ultimate = bool(g.is_ultimate)
        g.parts = parts.get(g.goal_id, [])
        out.append(g)
    return out


def get_goal(con, goal_id: int) -> Goal | None:
    found = load_goals(con, [goal_id])
    return found[0] if found else None


def reading():
    """Within the block, scopes, scope names and children of goals are read once each and
    kept (views that compute every goal at once; nothing may write inside the block)."""
    return _READS.block()


def children(con, goal_id: int) -> list[Goal]:
    """The goals that split ``goal_id`` across the team."""
    if _READS.active:
        by_parent = _READS.kept(("children",), lambda: _by_parent(load_goals(con)))
        return list(by_parent.get(goal_id, []))
    ids = [r[0] for r in con.execute("SELECT goal_id FROM goals WHERE parent_goal_id = ? ORDER BY goal_id",
                                     [goal_id]).fetchall()]
    return load_goals(con, ids)


def _by_parent(goals: list[Goal]) -> dict[int, list[Goal]]:
    out: dict[int, list[Goal]] = {}
    for g in sorted(goals, key=lambda g: g.goal_id):
        if g.parent_goal_id is not None:
            out.setdefault(g.parent_goal_id, []).append(g)
    return out


def phases(con) -> list[dict]:
    """Every phase with its dates, follower target (and basis) and budget, in date order."""
    keys = ("phase_id", "code", "name", "start_date", "end_date", "follower_target", "budget", "follower_basis")
    rows = con.execute(f"SELECT {', '.join(keys)} FROM phases ORDER BY start_date, phase_id").fetchall()
    return [dict(zip(keys, r)) for r in rows]


# ------------------------------------------------------------------ scopes
def split_account_ref(ref: str) -> tuple[str, str]:
    """'wechat/CityEats 订阅号' → ('wechat', 'CityEats 订阅号') (platform ids hold no '/')."""
    platform, _, account = str(ref).partition("/")
    return platform, account


def scope_of(con, goal: Goal) -> Scope | None:
    """The catalogue scope a goal measures (None when the goal is for the whole team)."""
    return _READS.kept(("scope", goal.scope_kind, goal.scope_ref), lambda: _scope_of(con, goal))


def _scope_of(con, goal: Goal) -> Scope | None:
    kind, ref = goal.scope_kind or "team", goal.scope_ref
    if kind == "team" or ref is None:
        return None
    if kind == "platform":
        return Scope(platform=str(ref))
    if kind == "account":
        return Scope(accounts=(split_account_ref(ref),))
    if kind == "channel":
        return Scope(channels=(str(ref),))
    if kind == "person":
        return catalog.person_scope(con, int(ref))
    if kind == "role":
        rows = con.execute("SELECT role_id FROM roles WHERE code = ? OR CAST(role_id AS VARCHAR) = ?",
                           [str(ref), str(ref)]).fetchall()
        return catalog.role_scope(con, rows[0][0]) if rows else Scope(accounts=())
    raise ValueError(f"unknown scope kind {kind!r}")


def scope_options(con) -> list[tuple[str, str | None, str]]:
    """Every scope a goal can have: (kind, ref, English description) for pickers."""
    out = [("team", None, "Team")]
    for (platform,) in con.execute("""SELECT DISTINCT platform FROM accounts UNION SELECT DISTINCT platform FROM
                                      person_accounts ORDER BY 1""").fetchall():
        out.append(("platform", platform, platform))
    for platform, account in con.execute("""SELECT platform, account FROM accounts UNION
                                            SELECT platform, account FROM person_accounts ORDER BY 1, 2""").fetchall():
        out.append(("account", f"{platform}/{account}", f"{platform} / {account}"))
    for (channel,) in con.execute("SELECT channel FROM channels ORDER BY channel").fetchall():
        out.append(("channel", channel, channel))
    for code, name in con.execute("SELECT code, name FROM roles ORDER BY role_id").fetchall():
        out.append(("role", code, name))
    for pid, name in con.execute("SELECT person_id, name FROM people ORDER BY person_id").fetchall():
        out.append(("person", str(pid), f"{name} (#{pid})"))
    return out


def scope_name(con, kind: str | None, ref) -> str:
    """The name of a goal's scope target: the role's or person's name, the account, the
    channel or the platform ('' for the team)."""
    return _READS.kept(("name", kind, ref), lambda: _scope_name(con, kind, ref))


def _scope_name(con, kind: str | None, ref) -> str:
    if not kind or kind == "team" or ref is None:
        return ""
    if kind == "role":
        rows = con.execute("SELECT name FROM roles WHERE code = ? OR CAST(role_id AS VARCHAR) = ?",
                           [str(ref), str(ref)]).fetchall()
        return rows[0][0] if rows else str(ref)
    if kind == "person":
        rows = con.execute("SELECT name FROM people WHERE CAST(person_id AS VARCHAR) = ?", [str(ref)]).fetchall()
        return rows[0][0] if rows else f"#{ref}"
    if kind == "account":
        platform, account = split_account_ref(ref)
        return f"{platform} / {account}"
    return str(ref)


# ------------------------------------------------------------------ checks
def as_number(x) -> float | None:
    x = clean(x)
    if x is None:
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) or math.isinf(value) else value


def goal_problems(goal: Goal, row: int | None = None, known_scopes: set[tuple[str, str]] | None = None) -> list[Problem]:
    """Everything that stops ``goal`` from being saved. A goal is a number with a period:
    no metric, no target or no period is refused with the reason."""
    out: list[Problem] = []
    title = goal.title() if goal.metric else (goal.name or "")
    label = f"“{title}”" if title else ""
    met = catalog.METRICS.get(goal.metric or "")
    if not goal.metric:
        out.append(Problem("goals.err_no_metric", {"name": label}, row))
    elif met is None:
        out.append(Problem("goals.err_unknown_metric", {"metric": goal.metric}, row))
    target = as_number(goal.target)
    if target is None:
        out.append(Problem("goals.err_no_target", {"name": label}, row))
    start, end = as_date(goal.start_date), as_date(goal.end_date)
    if start is None or end is None:
        out.append(Problem("goals.err_no_period", {"name": label}, row))
    elif end < start:
        out.append(Problem("goals.err_end_before_start", {"start": start.isoformat(), "end": end.isoformat()}, row))
    if goal.kind not in GOAL_KINDS:
        out.append(Problem("goals.err_kind", {"kind": goal.kind}, row))
    if goal.rule not in RULES:
        out.append(Problem("goals.err_rule", {"rule": goal.rule}, row))
    kind = goal.scope_kind or "team"
    if kind not in SCOPE_KINDS:
        out.append(Problem("goals.err_scope_kind", {"kind": kind}, row))
    elif kind != "team" and _blank(goal.scope_ref):
        out.append(Problem("goals.err_scope_ref", {"kind": kind}, row))
    elif kind != "team" and known_scopes is not None and (kind, str(goal.scope_ref)) not in known_scopes:
        out.append(Problem("goals.err_scope_unknown", {"kind": kind, "ref": goal.scope_ref}, row))
    floor = as_number(goal.floor)
    if target is not None and floor is not None and goal.rule in ("reach", "at_least", "at_most"):
        lower = goal.lower_is_better
        if (not lower and floor > target) or (lower and floor < target):
            out.append(Problem("goals.err_floor_side", {"floor": floor, "target": target}, row))
    if goal.rule == "growth" and target is not None and target <= -1:
        out.append(Problem("goals.err_growth_range", {}, row))
    if met is not None and met.unit == "ratio" and goal.rule != "growth" and target is not None and target > 1:
        out.append(Problem("goals.err_rate_range", {"target": target}, row))
    if goal.split_mode not in MODES:
        out.append(Problem("goals.err_split_mode", {"mode": goal.split_mode}, row))
    if goal.split_grain not in GRAINS:
        out.append(Problem("goals.err_split_grain", {"grain": goal.split_grain}, row))
    if goal.split_mode == "weekday":
        try:
            parse_weekday_weights(goal.weekday_weights)
        except ValueError as exc:
            out.append(Problem("goals.err_weekday_weights", {"why": str(exc)}, row))
    if goal.split_mode == "curve":
        g = as_number(goal.curve_growth)
        if g is None or g <= -1:
            out.append(Problem("goals.err_curve", {}, row))
    if goal.split_mode == "custom" and goal.rule == "growth":
        out.append(Problem("goals.err_custom_growth", {}, row))
    return out


# ------------------------------------------------------------------ suggestion from history
def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before ``start``..``end``."""
    days = (end - start).days + 1
    return start - dt.timedelta(days=days), start - dt.timedelta(days=1)


def suggest_target(con, metric_id: str, start: dt.date, end: dt.date, uplift: float,
                   scope: Scope | None = None) -> dict:
    """Propose a target from history: the previous period's value × (1 + uplift)
    (100 leads last period at +50 % → 150). Returns the previous period, its value and the
    suggestion (None when the previous period has no data)."""
    p_start, p_end = previous_period(start, end)
    previous = catalog.value(con, metric_id, p_start, p_end, scope)
    suggestion = None if previous is None else previous * (1 + uplift)
    met = catalog.get(metric_id)
    if suggestion is not None and met.unit == "count":
        suggestion = float(round(suggestion))
    return {"previous_start": p_start, "previous_end": p_end, "previous": previous,
            "uplift": uplift, "suggestion": suggestion}


# ------------------------------------------------------------------ for the stand-up
def goal_statuses(con, today: dt.date, **options):
    """Every goal's pacing and status, at-risk and behind first (see ``metrics.pacing``)."""
    from metrics import pacing
    return pacing.goal_statuses(con, today, **options)


def ultimate_goal(con, today: dt.date):
    """The ultimate goal's pacing row, or None (see ``metrics.pacing``)."""
    from metrics import pacing
    return pacing.ultimate_goal(con, today)
