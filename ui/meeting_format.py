"""Language-aware numbers and dates for the meeting views (stand-up, Friday review, exports).

English: "Mon 23 Nov", "12.3k", "12.3 %"; Simplified Chinese: "11月23日 周一", "1.2万", "12.3%".
Every function takes the language explicitly (``lang``) or uses the session's.
"""
from __future__ import annotations

import datetime as dt

from ui import format as fmt
from ui.labels import language

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
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
    """A day: 'Mon 23 Nov' / '11月23日 周一' (without weekday: '23 Nov' / '11月23日')."""
    if missing(d):
        return "–"
    d = _as_date(d)
    if _lang(lang) == "zh":
        text = f"{d.month}月{d.day}日"
        return f"{text} {WEEKDAYS_ZH[d.weekday()]}" if weekday else text
    text = f"{d.day} {MONTHS_EN[d.month - 1]}"
    return f"{WEEKDAYS_EN[d.weekday()]} {text}" if weekday else text


def full_date(d, lang: str | None = None) -> str:
    """'23 Nov 2026' / '2026年11月23日'."""
    if missing(d):
        return "–"
    d = _as_date(d)
    if _lang(lang) == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def span(start, end, lang: str | None = None) -> str:
    """A range of days: '16–22 Nov 2026', '30 Nov – 6 Dec 2026' / '2026年11月16日–22日'."""
    start, end = _as_date(start), _as_date(end)
    if _lang(lang) == "zh":
        if start.year != end.year:
            return f"{full_date(start, 'zh')}–{full_date(end, 'zh')}"
        tail = f"{end.day}日" if start.month == end.month else f"{end.month}月{end.day}日"
        return f"{start.year}年{start.month}月{start.day}日–{tail}"
    if start.year != end.year:
        return f"{full_date(start, 'en')} – {full_date(end, 'en')}"
    if start.month == end.month:
        return f"{start.day}–{end.day} {MONTHS_EN[end.month - 1]} {end.year}"
    return f"{day(start, 'en', False)} – {day(end, 'en', False)} {end.year}"


def week_label(period, lang: str | None = None) -> str:
    """'Week 47 · 16–22 Nov 2026' / '第47周 · 2026年11月16日–22日' (ISO week number)."""
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
    """A week-over-week change (figure ÷ previous − 1) as the seeds write it: '+36 %', '−12 %',
    and '×2.0' once the figure has at least doubled."""
    if missing(ratio):
        return "–"
    if ratio >= 1.0:
        return f"×{ratio + 1:,.1f}"
    text = f"{ratio * 100:+,.0f}".replace("-", "−")
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
