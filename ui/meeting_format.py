"""Language-aware numbers and dates for the meeting views (stand-up, Friday review, exports).

English: "Mon 2026-11-23", "12.3k", "12.3 %"; Simplified Chinese: "2026-11-23 周一", "1.2万", "12.3%".
Dates are ISO in both languages.
Every function takes the language explicitly (``lang``) or uses the session's.
"""
from __future__ import annotations

import datetime as dt

from ui import format as fmt
from ui.labels import language

WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def missing(x) -> bool:
    """True for None, NaN, NaT and pandas' NA."""
    if x is None:
        return True
    if isinstance(x, float):            # also numpy floats; the common case, without pandas
        return bool(x != x)
    if isinstance(x, (int, str)):
        return False
    try:
        import pandas as pd
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _lang(lang: str | None) -> str:
    return lang or language()


def _as_date(d):
    if isinstance(d, dt.datetime):
        return d.date()
    if hasattr(d, "to_pydatetime"):
        return d.to_pydatetime().date()
    if isinstance(d, str):
        return dt.date.fromisoformat(d[:10])
    return d


def day(d, lang: str | None = None, weekday: bool = True) -> str:
    """A day in ISO form, with its weekday: 'Mon 2026-11-23' / '2026-11-23 周一' (without
    weekday: '2026-11-23')."""
    if missing(d):
        return "–"
    d = _as_date(d)
    text = d.isoformat()
    if not weekday:
        return text
    return f"{text} {WEEKDAYS_ZH[d.weekday()]}" if _lang(lang) == "zh" else f"{WEEKDAYS_EN[d.weekday()]} {text}"


def full_date(d, lang: str | None = None) -> str:
    """'2026-11-23' (the same in both languages)."""
    return "–" if missing(d) else _as_date(d).isoformat()


def span(start, end, lang: str | None = None) -> str:
    """A range of days: '2026-11-30 – 2026-12-06' (the same in both languages)."""
    return f"{full_date(start, lang)} – {full_date(end, lang)}"


def week_label(period, lang: str | None = None) -> str:
    """'Week 47 · 2026-11-16 – 2026-11-22' / '第47周 · 2026-11-16 – 2026-11-22' (ISO week number)."""
    number = period.start.isocalendar()[1]
    prefix = f"第{number}周" if _lang(lang) == "zh" else f"Week {number}"
    return f"{prefix} · {span(period.start, period.end, lang)}"


def clock(moment: dt.datetime) -> str:
    """'09:05:12' (the same in both languages)."""
    return moment.strftime("%H:%M:%S")


def count(x, lang: str | None = None) -> str:
    """Whole numbers with thousands separators: '12,345' (both languages)."""
    return fmt.count(x)


def compact(x, lang: str | None = None) -> str:
    """Large numbers shortened for a screen: '12.3k', '1.2M' / '1.2万', '3.4亿' (below 10,000
    written in full)."""
    if missing(x):
        return "–"
    size = abs(x)
    if size < 10_000:
        return fmt.count(x) if float(x).is_integer() or size >= 100 else fmt.number(x, 1)
    if _lang(lang) == "zh":
        if size >= 100_000_000:
            return f"{x / 100_000_000:,.1f}亿"
        return f"{x / 10_000:,.1f}万"
    if size >= 1_000_000:
        return f"{x / 1_000_000:,.1f}M"
    return f"{x / 1_000:,.1f}k"


def pct(x, lang: str | None = None, signed: bool = False) -> str:
    """A fraction as a percentage: '12.3 %' / '12.3%'."""
    if missing(x):
        return "–"
    text = f"{x * 100:+,.1f}" if signed else f"{x * 100:,.1f}"
    text = text.replace("-", "−")
    return f"{text}%" if _lang(lang) == "zh" else f"{text} %"


def change(ratio, lang: str | None = None) -> str:
    """A week-over-week change (figure ÷ previous − 1) with one decimal: '+36.4 %', '−12.0 %',
    and '×2.0' once the figure has at least doubled."""
    if missing(ratio):
        return "–"
    if ratio >= 1.0:
        return f"×{ratio + 1:,.1f}"
    text = f"{ratio * 100:+,.1f}".replace("-", "−")
    return f"{text}%" if _lang(lang) == "zh" else f"{text} %"


def value(x, unit: str, lang: str | None = None, short: bool = False) -> str:
    """A value in its metric's unit (count, ratio, money, number); ``short`` uses
    :func:`compact` for counts."""
    if missing(x):
        return "–"
    if unit == "ratio":
        return pct(x, lang)
    if unit == "money":
        if short and abs(x) >= 10_000:
            return "¥" + compact(x, lang)
        return f"¥{x:,.0f}" if abs(x) >= 1000 else fmt.money(x)
    if unit == "number":
        return compact(x, lang) if short and abs(x) >= 10_000 else fmt.number(x, 1)
    return compact(x, lang) if short else fmt.count(x)
