"""Reporting periods: week, month, quarter, phase or custom, each with the period before it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

KINDS = ("week", "month", "quarter", "phase", "custom")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    kind: str = "custom"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same kind just before this one (same length for week/custom/phase)."""
        if self.kind == "month":
            end = self.start - dt.timedelta(days=1)
            return Period(end.replace(day=1), end, "month")
        if self.kind == "quarter":
            end = self.start - dt.timedelta(days=1)
            return Period(quarter_start(end), end, "quarter")
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end, self.kind)

    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def week_of(day: dt.date) -> Period:
    """The Monday–Sunday week containing ``day``."""
    start = day - dt.timedelta(days=day.weekday())
    return Period(start, start + dt.timedelta(days=6), "week")


def month_of(day: dt.date) -> Period:
    start = day.replace(day=1)
    nxt = (start + dt.timedelta(days=32)).replace(day=1)
    return Period(start, nxt - dt.timedelta(days=1), "month")


def quarter_of(day: dt.date) -> Period:
    start = quarter_start(day)
    nxt = quarter_start(start + dt.timedelta(days=95))
    return Period(start, nxt - dt.timedelta(days=1), "quarter")


def last_complete_week(today: dt.date) -> Period:
    """The latest Monday–Sunday week that has ended before ``today``."""
    return week_of(today - dt.timedelta(days=today.weekday() + 1))
