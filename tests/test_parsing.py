"""The parsing macros, rule by rule (PRODUCT.md "Data in": Numbers, Dates without a year).

``normalise.parse_values`` runs exactly the SQL an import runs on a column, so these are the
rules as imports apply them. None means missing (NULL) or, for a non-empty cell, "does not
parse", which rejects the file (tests/test_layouts.py shows the message).
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from store import normalise
from store.importer import export_date_from_name

D = dt.date
TS = dt.datetime


@pytest.fixture(scope="module")
def db():
    con = duckdb.connect()
    normalise.install_macros(con)
    yield con
    con.close()


def parse(db, ftype, values, **kw):
    return normalise.parse_values(db, ftype, values, **kw)


# --- Numbers ----------------------------------------------------------------------------------

def test_placeholders_are_missing_never_zero(db):
    placeholders = ["-", "--", "", " --", "—", "–", "N/A", "/", None, "   "]
    for ftype in ("count", "number", "rate", "duration", "date", "datetime", "text", "id"):
        assert parse(db, ftype, placeholders) == [None] * len(placeholders), ftype
    # a real zero stays zero
    assert parse(db, "count", ["0", "0.0"]) == [0, 0]


def test_a_placeholder_padded_with_any_unicode_space_is_missing_and_other_padding_is_not(db):
    cells = ["\u3000null\u3000", "\u00a0-", "\u2003—\u2003", "  N/A  ", "\tnull", "\u200bnull", "x null"]
    missing = db.execute("SELECT " + ", ".join(normalise.missing_sql(f"${i + 1}") for i in range(len(cells))),
                         cells).fetchall()[0]
    assert missing == (True, True, True, True, False, False, False)


def test_wan_and_w_plus(db):
    # "1.2万" is 1.2 × 10,000 = 12,000; "10w+" is 10 × 10,000 + 1 (the platform caps it) = 100,001
    assert parse(db, "count", ["1.2万", "10w+", "3W", "2亿", "1.5k"]) == [12000, 100001, 30000, 200000000, 1500]


def test_thousands_separators_currency_and_float_text(db):
    assert parse(db, "count", ["1,234", "25,881", "89.0", "-11", "1 234"]) == [1234, 25881, 89, -11, 1234]
    assert parse(db, "number", ["4,380.50", "￥3,000.00", "¥12", "1661.67"]) == [4380.5, 3000.0, 12.0, 1661.67]


def test_a_count_that_is_not_a_whole_number_does_not_parse(db):
    assert parse(db, "count", ["12.5%", "2.5", "abc", "12 items"]) == [None, None, None, None]


def test_rates_given_as_percent_text_and_as_fractions_are_the_same(db):
    # fraction scale (XHS 0.221, Douyin 0.366807): "12.5%" = 12.5 / 100 = 0.125 = "0.125"
    assert parse(db, "rate", ["12.5%", "0.125", "25.00%", "0"]) == pytest.approx([0.125, 0.125, 0.25, 0.0])
    # percent-number scale (YouTube CTR 5.02, Meta CTR (all) 2.49): 12.5 = 12.5 / 100 = 0.125
    assert parse(db, "rate", ["12.5", "12.5%", "5.02"], scale="percent") == pytest.approx([0.125, 0.125, 0.0502])


def test_durations(db):
    # "32.50秒" = 32.5 s; "0:04:04" = 4 × 60 + 4 = 244 s; "1分5秒" = 65 s; plain seconds as given
    assert parse(db, "duration", ["32.50秒", "0:04:04", "4:04", "1分5秒", "17", "8.209459", "18s"]) == \
        pytest.approx([32.5, 244.0, 244.0, 65.0, 17.0, 8.209459, 18.0])


def test_formats_and_flags(db):
    assert parse(db, "format", ["图文", "1min-视频", "Photo", "Status", "IG reel", "IG carousel", "Live"]) == \
        ["images", "video", "images", "text", "video", "images", "video"]
    assert parse(db, "bool", ["是", "否", "原创", "no"]) == [True, False, True, False]
    # ids stay text: 19 digits keep every digit; a leading apostrophe (Excel text marker) goes
    assert parse(db, "id", ["1987315260559167965", "'0012", " -HHGH-TTqYM"]) == ["1987315260559167965", "0012",
                                                                                 "-HHGH-TTqYM"]


# --- Dates ------------------------------------------------------------------------------------

def test_every_date_layout_seen(db):
    values = ["2024-01-05", "2024/1/5", "20240105", "2024.01.05", "2026年03月24日", "Sat, Sep 6, 2025", "Aug 28, 2025",
              "1/5/2024", "13-06-2025", "45658", "2025-08-28 00:00:00"]
    assert parse(db, "date", values, export_date=D(2026, 9, 1)) == [
        D(2024, 1, 5), D(2024, 1, 5), D(2024, 1, 5), D(2024, 1, 5), D(2026, 3, 24), D(2025, 9, 6), D(2025, 8, 28),
        D(2024, 1, 5), D(2025, 6, 13), D(2025, 1, 1), D(2025, 8, 28)]   # 45658 = Excel serial of 2025-01-01


def test_timestamps(db):
    values = ["2026年03月24日17时33分05秒", "2021-08-31 19:53 +0000", "02/19/2014 04:29:18 AM", "02/10/2026 03:45",
              "2017-07-22T05:30:00.000", "2025/09/27", "2025-09-26 19:30:00"]
    assert parse(db, "datetime", values) == [
        TS(2026, 3, 24, 17, 33, 5), TS(2021, 8, 31, 19, 53), TS(2014, 2, 19, 4, 29, 18), TS(2026, 2, 10, 3, 45),
        TS(2017, 7, 22, 5, 30), TS(2025, 9, 27), TS(2025, 9, 26, 19, 30)]


def test_not_a_date_does_not_parse(db):
    assert parse(db, "date", ["12", "Lifetime", "2026-13-01", "yesterday"], export_date=D(2026, 1, 1)) == [None] * 4


def test_dates_without_a_year_take_the_latest_year_not_after_the_export_date(db):
    export = D(2026, 4, 11)
    # April 11 is the export day itself: 2026. April 12 would be after it: 2025.
    assert parse(db, "date", ["April 11", "April 12", "10 February", "3月25日", "12月31日", "Dec 31"],
                 export_date=export) == [D(2026, 4, 11), D(2025, 4, 12), D(2026, 2, 10), D(2026, 3, 25),
                                         D(2025, 12, 31), D(2025, 12, 31)]


def test_year_less_dates_across_a_year_end(db):
    # a 365-day TikTok export ending on 2026-01-02: December days belong to 2025
    assert parse(db, "date", ["December 30", "December 31", "January 1", "January 2"], export_date=D(2026, 1, 2)) == [
        D(2025, 12, 30), D(2025, 12, 31), D(2026, 1, 1), D(2026, 1, 2)]


def test_february_29_without_a_year_takes_the_latest_leap_year(db):
    # 2026 and 2025 have no February 29: the latest one not after 2026-03-01 is 2024-02-29
    assert parse(db, "date", ["February 29", "2月29日"], export_date=D(2026, 3, 1)) == [D(2024, 2, 29)] * 2
    # exported on 2024-02-28: February 29, 2024 would be after it, so 2020
    assert parse(db, "date", ["February 29"], export_date=D(2024, 2, 28)) == [D(2020, 2, 29)]
    # 2100 is not a leap year: from 2101-01-01 the latest is 2096
    assert parse(db, "date", ["February 29"], export_date=D(2101, 1, 1)) == [D(2096, 2, 29)]


def test_export_date_comes_from_the_file_name_else_the_upload_day():
    today = D(2026, 9, 1)
    assert export_date_from_name("Overview_2026-01-02_1767312000_localeats.csv", today) == D(2026, 1, 2)
    assert export_date_from_name("Feb-10-2026_Mar-16-2026_106988502241648.csv", today) == D(2026, 3, 16)
    assert export_date_from_name("微博数据_20260801-20260802.xlsx", today) == D(2026, 8, 2)
    assert export_date_from_name("account_analytics_content_2025-11-02_2025-11-09.csv", today) == D(2025, 11, 9)
    assert export_date_from_name("Overview.csv", today) == today
