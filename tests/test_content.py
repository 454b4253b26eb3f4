"""Content rates (PRODUCT.md definitions, ratio of sums), the change-the-format signal, publishing
time and new vs returning users, against hand-computed figures."""
from __future__ import annotations

import datetime as dt

import pytest

from metrics import content

D = dt.date
T = dt.datetime
WEEK = (D(2026, 3, 2), D(2026, 3, 8))        # Monday 2 – Sunday 8 March 2026
PREV = (D(2026, 2, 23), D(2026, 3, 1))

COLUMNS = ("platform", "account", "post_id", "published_at", "format", "is_original", "views", "readers",
           "delivered", "message_reads", "likes", "comments", "shares", "favorites", "followers_new")


def add(con, **values):
    con.execute(f"INSERT INTO posts ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                list(values.values()))


@pytest.fixture
def week(con):
    add(con, platform="wechat", account="Sub", post_id="p1", published_at=T(2026, 3, 2, 8), format="text",
        is_original=True, views=1000, readers=800, delivered=10000, message_reads=900, likes=10, comments=5,
        shares=40, favorites=20, followers_new=10)
    add(con, platform="wechat", account="Sub", post_id="p2", published_at=T(2026, 3, 3, 20), format="images",
        is_original=False, views=200, readers=100, delivered=5000, message_reads=150, likes=2, comments=0,
        shares=10, favorites=4, followers_new=4)
    add(con, platform="wechat", account="Sub", post_id="p3", published_at=T(2026, 3, 4, 8), format="video",
        is_original=True, views=300, readers=250, likes=3, comments=1, shares=5, favorites=1, followers_new=6)
    add(con, platform="weibo", account="WB", post_id="w1", published_at=T(2026, 3, 8, 23, 59), format="text",
        views=5000, likes=100, comments=20, shares=30)
    add(con, platform="wechat", account="Sub", post_id="old", published_at=T(2026, 2, 27, 8), format="text",
        is_original=True, views=400, readers=300, delivered=4000, message_reads=400, likes=1, comments=1,
        shares=6, favorites=3, followers_new=2)
    return con


def test_per_post_rates(week):
    posts = content.post_table(week, *WEEK).set_index("post_id")
    assert list(posts.index) == ["w1", "p1", "p3", "p2"]                      # most viewed first
    assert posts.loc["p1", "read_rate"] == pytest.approx(0.09)               # 900 / 10,000 delivered
    assert posts.loc["p1", "forward_rate"] == pytest.approx(0.05)            # 40 / 800 readers
    assert posts.loc["p1", "favourite_rate"] == pytest.approx(0.025)         # 20 / 800
    assert posts.loc["p1", "engagement_rate"] == pytest.approx(0.075)        # (10 + 5 + 40 + 20) / 1,000
    assert posts.loc["p1", "follow_conversion"] == pytest.approx(0.01)       # 10 / 1,000
    assert posts.loc["p3", "read_rate"] != posts.loc["p3", "read_rate"]      # no delivered: NaN, not 0
    assert posts.loc["w1", "engagement_rate"] == pytest.approx(0.03)         # (100 + 20 + 30) / 5,000


def test_period_rates_are_ratios_of_sums(week):
    rates = content.overall_rates(week, *WEEK)
    assert rates["posts"] == 4
    # (900 + 150) / (10,000 + 5,000) = 0.07, not the mean of 0.09 and 0.03 (0.06)
    assert rates["read_rate"] == pytest.approx(0.07)
    assert rates["read_rate_base"] == 15000
    assert rates["forward_rate"] == pytest.approx(55 / 1150)                 # (40 + 10 + 5) / (800 + 100 + 250)
    assert rates["favourite_rate"] == pytest.approx(25 / 1150)               # (20 + 4 + 1) / 1,150
    assert rates["engagement_rate"] == pytest.approx(251 / 6500)             # (75 + 16 + 10 + 150) / 6,500
    assert rates["follow_conversion"] == pytest.approx(20 / 1500)            # Weibo gives no follows: left out


def test_rates_by_format_and_original_with_previous(week):
    by = content.rates_compared(week, *WEEK, *PREV, by="format").set_index("grp")
    assert by.loc["text", "posts"] == 2 and by.loc["text", "views"] == 6000
    assert by.loc["text", "engagement_rate"] == pytest.approx(225 / 6000)    # (75 + 150) / (1,000 + 5,000)
    assert by.loc["text", "read_rate"] == pytest.approx(0.09)                # only p1 gives delivered
    assert by.loc["text", "prev_read_rate"] == pytest.approx(0.1)            # old: 400 / 4,000
    assert by.loc["images", "engagement_rate"] == pytest.approx(0.08)        # 16 / 200
    assert by.loc["images", "prev_posts"] is None
    orig = content.rates_by(week, *WEEK, by="is_original").set_index("grp")
    assert orig.loc[True, "posts"] == 2 and orig.loc[False, "posts"] == 1
    assert orig.loc[True, "forward_rate"] == pytest.approx(45 / 1050)        # (40 + 5) / (800 + 250)
    with pytest.raises(ValueError):
        content.rates_by(week, *WEEK, by="title")


def test_platform_filter(week):
    assert content.overall_rates(week, *WEEK, platform="weibo")["posts"] == 1
    assert content.platforms(week) == ["wechat", "weibo"]
    assert content.overall_rates(week, D(2027, 1, 1), D(2027, 1, 7)) == {}


def test_change_the_format_signal(con):
    days = [T(2026, 3, d, 9) for d in (2, 3, 4, 5)]
    for i, (views, follows) in enumerate(zip((100, 100, 100, 400), (2, 2, 2, 4))):
        add(con, platform="wechat", account="Sig", post_id=f"s{i}", published_at=days[i], format="text",
            views=views, followers_new=follows)
    for i, (views, follows) in enumerate(zip((100, 100, 100, 400), (1, 1, 1, 20))):
        add(con, platform="wechat", account="Good", post_id=f"g{i}", published_at=days[i], format="images",
            views=views, followers_new=follows)
    for i in range(2):
        add(con, platform="wechat", account="Few", post_id=f"f{i}", published_at=days[i], views=10 ** (i + 2),
            followers_new=0)
    signals = content.format_signals(con, *WEEK)
    # Sig: median 100; s3 has 400 ≥ 2 × 100 reads; its conversion 4 / 400 = 0.010 is not above
    # 1.1 × the account's (2 + 2 + 2 + 4) / 700 = 0.01429 → flagged.
    # Good: g3 converts 20 / 400 = 0.05 > 1.1 × 23 / 700 = 0.0361 → not flagged. Few: under 3 posts.
    assert signals["post_id"].tolist() == ["s3"]
    row = signals.iloc[0]
    assert row["reads_multiple"] == pytest.approx(4.0)
    assert row["account_conversion"] == pytest.approx(10 / 700)
    assert row["suggestion"] == "images_or_video"
    assert content.has_post_conversion(con, *WEEK)


def test_signal_needs_follows_per_post(week):
    assert not content.has_post_conversion(week, *WEEK, platform="weibo")


def test_best_publishing_time_is_platform_neutral(con):
    # A (small account): Tue 20h 300 ×3, Sat 12h 100 ×3 → median 200.
    # B (big account): Mon 8h 1,000 ×3, Sat 12h 3,000 ×3 → median 2,000.
    for i in range(3):
        add(con, platform="weibo", account="A", post_id=f"a-tue{i}", published_at=T(2026, 2, 24, 20) +
            dt.timedelta(weeks=i), views=300)
        add(con, platform="weibo", account="A", post_id=f"a-sat{i}", published_at=T(2026, 2, 28, 12) +
            dt.timedelta(weeks=i), views=100)
        add(con, platform="douyin", account="B", post_id=f"b-mon{i}", published_at=T(2026, 2, 23, 8) +
            dt.timedelta(weeks=i), views=1000)
        add(con, platform="douyin", account="B", post_id=f"b-sat{i}", published_at=T(2026, 2, 28, 12) +
            dt.timedelta(weeks=i), views=3000)
    best = content.best_times(con, D(2026, 3, 15))
    # lift = Σ views ÷ Σ usual: Mon 3,000 / 6,000 = 0.5; Tue 900 / 600 = 1.5; Sat 9,300 / 6,600 = 1.41.
    # Views per post would pick Saturday (1,550) or Monday (1,000) over Tuesday (300).
    assert best["posts"] == 12
    assert (best["weekday"], best["weekday_lift"], best["weekday_posts"]) == (2, pytest.approx(1.5), 3)
    assert (best["hour"], best["hour_lift"]) == (20, pytest.approx(1.5))
    grid = content.timing(con, D(2026, 3, 15)).set_index(["weekday", "hour"])
    assert grid.loc[(6, 12), "lift"] == pytest.approx(9300 / 6600)
    assert grid.loc[(6, 12), "views_per_post"] == pytest.approx(1550)


def test_best_time_needs_enough_posts(con):
    add(con, platform="weibo", account="A", post_id="x", published_at=T(2026, 3, 2, 8), views=10)
    best = content.best_times(con, D(2026, 3, 8))
    assert best["posts"] == 1 and best["weekday"] is None and best["hour"] is None


def test_new_vs_returning_users(con):
    rows = [("svc", D(2026, 3, 2), 10, 100), ("app", D(2026, 3, 2), 5, 50),
            ("svc", D(2026, 3, 3), 30, 20), ("svc", D(2026, 3, 4), 7, None)]
    for account, day, regs, active in rows:
        con.execute("""INSERT INTO business_daily (platform, account, date, registrations, active_users)
                       VALUES ('wechat', ?, ?, ?, ?)""", [account, day, regs, active])
    users = content.new_vs_returning(con, *WEEK)
    assert [str(d)[:10] for d in users["date"]] == ["2026-03-02", "2026-03-03"]   # Mar 4 lacks active users
    assert users["new_users"].tolist() == [15, 30]                      # 10 + 5; 30
    assert users["returning_users"].tolist() == [135, 0]                # 150 − 15; 20 − 30 floored at 0


def test_a_rate_change_reads_in_points_and_a_change_that_rounds_to_nothing_has_no_arrow():
    from ui.content_view import rate_delta
    assert rate_delta(0.137, 0.130) == ("+0.7 pts", "auto")
    assert rate_delta(0.049, 0.053) == ("-0.4 pts", "auto")
    # 5.300 % after 5.304 %: −0.004 points rounds to 0.0 — not "-0.0 pts" under a red arrow
    assert rate_delta(0.05300, 0.05304) == ("0.0 pts", "off")
    assert rate_delta(None, 0.05) == (None, "auto")
