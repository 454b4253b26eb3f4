"""Dates and changes as the meeting views (stand-up, Friday review, its exports) write them:
ISO dates in both languages, weekdays named, changes with one decimal."""
import datetime as dt

from metrics.periods import week_of
from ui import meeting_format as mf

MON = dt.date(2026, 11, 30)          # Monday of ISO week 49
SUN = dt.date(2026, 12, 6)


def test_days_are_iso_with_the_weekday_in_each_language():
    assert mf.day(dt.date(2026, 12, 5), "en") == "Sat 2026-12-05"
    assert mf.day(dt.date(2026, 12, 5), "zh") == "2026-12-05 周六"
    assert mf.day(dt.datetime(2026, 12, 5, 23, 59), "en", weekday=False) == "2026-12-05"
    assert mf.day("2026-01-04", "en") == "Sun 2026-01-04"
    assert mf.day(None, "en") == "–"
    assert mf.full_date(dt.date(2026, 3, 1), "zh") == "2026-03-01"


def test_a_week_across_two_months_and_a_year_end_keeps_full_dates():
    assert mf.span(MON, SUN, "en") == "2026-11-30 – 2026-12-06"
    assert mf.week_label(week_of(MON), "en") == "Week 49 · 2026-11-30 – 2026-12-06"
    assert mf.week_label(week_of(MON), "zh") == "第49周 · 2026-11-30 – 2026-12-06"
    # 28 Dec 2026 is a Monday; its ISO week is week 53 of 2026 and ends on 3 Jan 2027
    assert mf.week_label(week_of(dt.date(2027, 1, 1)), "en") == "Week 53 · 2026-12-28 – 2027-01-03"


def test_changes_have_one_decimal_and_doubling_shows_as_a_multiple():
    assert mf.change(0.5, "en") == "+50.0 %"
    assert mf.change(-0.1234, "en") == "−12.3 %"
    assert mf.change(-0.1234, "zh") == "−12.3%"
    assert mf.change(0.0, "en") == "+0.0 %"
    assert mf.change(1.0, "en") == "×2.0"        # 1 + 1: the figure doubled
    assert mf.change(None, "en") == "–"
