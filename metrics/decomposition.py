"""Splitting a goal's target over time and across the team.

Over time, a target is spread over the days of its period by a *mode*:
- ``even`` — every day weighs the same;
- ``weekday`` — each day weighs its weekday's weight (seven weights, Monday first);
- ``curve`` — a growth curve: each calendar month of the period plans (1 + g) times the
  month before (e.g. +50 %/month early), spread evenly over its days (a partial first or
  last month gets its share of days);
- ``custom`` — the user's own parts (start, end, target), each spread evenly over its days.

How the daily plan becomes a *path* depends on the metric's pace (see ``catalog.Metric.pace``):
- ``accrue`` (sums, counts): the planned cumulative value, from 0 to the target; the parts of
  a split (quarters, months, weeks, days) add up exactly to the target (counts are rounded by
  the largest remainder so the whole numbers still add up);
- ``level`` (followers, running totals): the planned level, from the level before the period
  (the baseline) to the target; a part's target is the level planned at its last day;
- ``rate`` (ratios): the target holds every day; every part inherits it.

Across the team, a target on an additive metric is split by shares (they add up to the
parent); a rate target is inherited by every member.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from metrics import periods

MODES = ("even", "weekday", "curve", "custom")
GRAINS = ("quarter", "month", "week", "day")
PACES = ("accrue", "level", "rate")


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day from ``start`` to ``end`` inclusive."""
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def parse_weekday_weights(text) -> tuple[float, ...]:
    """'1,1,1,1,1.2,0.8,0.8' → seven non-negative weights, Monday first (not all zero).

    Raises ValueError saying what is wrong."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or not str(text).strip():
        return (1.0,) * 7
    if isinstance(text, (list, tuple)):
        parts = list(text)
    else:
        parts = [p for p in str(text).replace(";", ",").replace("，", ",").split(",")]
    try:
        weights = tuple(float(str(p).strip()) for p in parts)
    except ValueError:
        raise ValueError(f"weekday weights {text!r} are not seven numbers separated by commas") from None
    if len(weights) != 7:
        raise ValueError(f"weekday weights need 7 numbers (Monday to Sunday), {len(weights)} given")
    if any(w < 0 for w in weights) or not any(w > 0 for w in weights):
        raise ValueError("weekday weights must be ≥ 0 and not all zero")
    return weights


def day_weights(start: dt.date, end: dt.date, mode: str = "even", curve_growth: float | None = None,
                weekday_weights=None) -> dict[dt.date, float]:
    """The share of an accruing target planned on each day (the shares add up to 1).
    ``custom`` is handled by :class:`Plan` from its parts."""
    days = days_between(start, end)
    if mode == "weekday":
        weights = parse_weekday_weights(weekday_weights)
        raw = [weights[d.weekday()] for d in days]
    elif mode == "curve":
        g = curve_growth or 0.0
        if g <= -1:
            raise ValueError("a growth curve needs a growth above −100 %")
        # calendar month m of the period (0 = the first) plans (1 + g)^m of a full month,
        # spread evenly over that month's days: each full month is (1 + g) × the one before
        raw = [(1 + g) ** ((d.year - start.year) * 12 + d.month - start.month) / periods.month_of(d).days
               for d in days]
    else:
        raw = [1.0] * len(days)
    total = sum(raw)
    if total <= 0:  # e.g. a weekday plan over only zero-weight days
        raw, total = [1.0] * len(days), float(len(days))
    return {d: w / total for d, w in zip(days, raw)}


def grain_periods(start: dt.date, end: dt.date, grain: str) -> list[tuple[dt.date, dt.date]]:
    """The quarters, months, Monday–Sunday weeks or days covering start..end, clipped to it."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {', '.join(GRAINS)}, not {grain!r}")
    of = {"quarter": periods.quarter_of, "month": periods.month_of, "week": periods.week_of,
          "day": lambda d: periods.Period(d, d, "day")}[grain]
    out, day = [], start
    while day <= end:
        p = of(day)
        out.append((day, min(p.end, end)))
        day = p.end + dt.timedelta(days=1)
    return out


def largest_remainder(values: list[float], total: int) -> list[int]:
    """Round ``values`` to whole numbers that add up exactly to ``total`` (largest remainder)."""
    floors = [math.floor(v) for v in values]
    left = total - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(values[i] - floors[i]), i))
    for i in order[:max(0, left)]:
        floors[i] += 1
    return floors


@dataclass
class Plan:
    """A goal's target laid out over its period.

    ``parts`` (for mode 'custom') are (start, end, target) tuples; ``baseline`` is the level
    before the period (pace 'level' only)."""
    target: float
    start: dt.date
    end: dt.date
    pace: str = "accrue"
    mode: str = "even"
    curve_growth: float | None = None
    weekday_weights: object = None
    parts: list[tuple[dt.date, dt.date, float]] = field(default_factory=list)
    baseline: float | None = None

    def _custom_increments(self) -> dict[dt.date, float]:
        inc = {d: 0.0 for d in days_between(self.start, self.end)}
        for p_start, p_end, p_target in self.parts:
            days = [d for d in days_between(p_start, p_end) if d in inc]
            for d in days:
                inc[d] += p_target / len(days)
        return inc

    def _weights(self) -> dict[dt.date, float]:
        if self.mode == "custom" and self.parts:
            inc = self._custom_increments()
            total = sum(inc.values())
            if total > 0:
                return {d: v / total for d, v in inc.items()}
            return day_weights(self.start, self.end)
        return day_weights(self.start, self.end, self.mode, self.curve_growth, self.weekday_weights)

    def _state(self) -> tuple:
        return (self.target, self.start, self.end, self.pace, self.mode, self.curve_growth,
                repr(self.weekday_weights), tuple(self.parts), self.baseline)

    def path(self) -> dict[dt.date, float]:
        """The planned value for each day of the period: the cumulative amount (accrue),
        the level (level) or the rate (rate) the plan expects on that day (worked out once
        while the plan stays as it is; do not change the mapping returned)."""
        state = self._state()
        kept = self.__dict__.get("_path_kept")
        if kept is None or kept[0] != state:
            kept = (state, self._path())
            self.__dict__["_path_kept"] = kept
        return kept[1]

    def _path(self) -> dict[dt.date, float]:
        days = days_between(self.start, self.end)
        if self.pace == "rate":
            out = {d: self.target for d in days}
            if self.mode == "custom":
                for p_start, p_end, p_target in self.parts:
                    for d in days_between(max(p_start, self.start), min(p_end, self.end)):
                        out[d] = p_target
            return out
        if self.pace == "level" and self.mode == "custom" and self.parts:
            return self._milestone_path(days)
        if self.pace == "accrue" and self.mode == "custom" and self.parts:
            running, out = 0.0, {}
            for d, v in sorted(self._custom_increments().items()):
                running += v
                out[d] = running
            return out
        weights = self._weights()
        base = (self.baseline or 0.0) if self.pace == "level" else 0.0
        running, out = 0.0, {}
        for d in days:
            running += weights[d]
            out[d] = base + (self.target - base) * running
        return out

    def _milestone_path(self, days) -> dict[dt.date, float]:
        points = [(self.start - dt.timedelta(days=1), self.baseline or 0.0)]
        points += sorted((p_end, p_target) for _, p_end, p_target in self.parts)
        out = {}
        for d in days:
            prev = max((p for p in points if p[0] < d), key=lambda p: p[0], default=points[0])
            nxt = min((p for p in points if p[0] >= d), key=lambda p: p[0], default=None)
            if nxt is None:
                out[d] = prev[1]
            else:
                span = (nxt[0] - prev[0]).days
                out[d] = prev[1] + (nxt[1] - prev[1]) * ((d - prev[0]).days / span if span else 1.0)
        return out

    def planned(self, day: dt.date) -> float:
        """The plan's value on ``day`` (before the period: 0 / the baseline; after: the end)."""
        if day < self.start:
            return self.target if self.pace == "rate" else ((self.baseline or 0.0) if self.pace == "level" else 0.0)
        return self.path()[min(day, self.end)]

    def share_elapsed(self, day: dt.date) -> float:
        """The share of the accruing plan due by ``day`` (0 before the period, 1 at its end)."""
        if day < self.start:
            return 0.0
        if day >= self.end:
            return 1.0
        weights = self._weights()
        return sum(w for d, w in weights.items() if d <= day)

    def split(self, grain: str, integral: bool = False) -> pd.DataFrame:
        """The target split into quarters, months, weeks or days: a frame with ``start``,
        ``end``, ``days`` and ``target`` (accrue: the part's amount, adding up to the target;
        level: the level due at the part's end; rate: the rate every part inherits)."""
        spans = grain_periods(self.start, self.end, grain)
        path = self.path()
        rows = []
        for s, e in spans:
            if self.pace == "accrue":
                before = path[s - dt.timedelta(days=1)] if s > self.start else 0.0
                value = path[e] - before
            elif self.pace == "level":
                value = path[e]
            else:
                values = [path[d] for d in days_between(s, e)]
                value = values[0] if len(set(values)) == 1 else sum(values) / len(values)
            rows.append({"start": s, "end": e, "days": (e - s).days + 1, "target": value})
        frame = pd.DataFrame(rows, columns=["start", "end", "days", "target"])
        if integral and self.pace == "accrue" and len(frame):
            total = path[self.end]
            if abs(total - round(total)) < 1e-9:
                frame["target"] = largest_remainder(list(frame["target"]), int(round(total)))
        elif integral and self.pace == "level" and len(frame):
            frame["target"] = [round(v) for v in frame["target"]]
        return frame


def split_members(target: float, weights: list[float | None], additive: bool, integral: bool = False) -> list[float]:
    """Each member's target: shares of ``target`` by weight when the metric adds up across
    people (missing weights count as equal shares), else the same target for everyone."""
    n = len(weights)
    if n == 0:
        return []
    if not additive:
        return [target] * n
    known = [w for w in weights if w is not None and not (isinstance(w, float) and math.isnan(w))]
    if not known or sum(known) <= 0:
        cleaned = [1.0] * n
    else:
        fill = sum(known) / len(known)
        cleaned = [fill if (w is None or (isinstance(w, float) and math.isnan(w))) else float(w) for w in weights]
    total = sum(cleaned)
    shares = [target * w / total for w in cleaned]
    if integral and abs(target - round(target)) < 1e-9:
        return [float(x) for x in largest_remainder(shares, int(round(target)))]
    return shares
