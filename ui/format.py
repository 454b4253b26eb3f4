"""How numbers and dates are shown: thousands separators, one-decimal percentages, ISO dates."""
from __future__ import annotations

import datetime as dt
import math


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def count(x, unit: str = "") -> str:
    """1234567 → '1,234,567' (missing → '–')."""
    if _missing(x):
        return "–"
    text = f"{round(x):,}"
    return f"{text} {unit}".strip()


def number(x, decimals: int = 1, unit: str = "") -> str:
    """12345.678 → '12,345.7'."""
    if _missing(x):
        return "–"
    return f"{x:,.{decimals}f} {unit}".strip()


def pct(x, signed: bool = False) -> str:
    """A fraction as a percentage with one decimal: 0.1234 → '12.3 %'."""
    if _missing(x):
        return "–"
    return f"{x * 100:+,.1f} %" if signed else f"{x * 100:,.1f} %"


def money(x, currency: str = "¥") -> str:
    """3000 → '¥3,000.00'."""
    if _missing(x):
        return "–"
    return f"{currency}{x:,.2f}"


def date(d) -> str:
    """Any date or timestamp → 'YYYY-MM-DD'."""
    if _missing(d):
        return "–"
    if isinstance(d, dt.datetime):
        d = d.date()
    return d.isoformat() if hasattr(d, "isoformat") else str(d)[:10]
