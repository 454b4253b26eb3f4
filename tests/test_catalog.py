"""The metric catalogue: validation, every definition of PRODUCT.md on hand-computed data,
ratio of sums (never the mean of ratios), scopes and daily series."""
from __future__ import annotations

import datetime as dt

import pytest

from metrics import catalog
from metrics.catalog import Measure, Metric, Relation, Scope

D = dt.date
MAR1, MAR2, MAR3, MAR4 = D(2024, 3, 1), D(2024, 3, 2), D(2024, 3, 3), D(2024, 3, 4)
SUB = ("wechat", "Sub")
WEIBO = ("weibo", "W")
SVC = ("wechat", "Svc")


def _insert(con, table, rows):
    cols = list(rows[0].keys())
    con.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                    [[r[c] for c in cols] for r in rows])


@pytest.fixture
def data(con):
    """A small store: two accounts' daily figures, posts, business figures, spend and channels."""
    ad = [
        # wechat/Sub: 1,000 followers on 29 Feb, then three days
        dict(platform="wechat", account="Sub", date=D(2024, 2, 29), followers_new=None, followers_lost=None,
             followers_net=None, followers_total=1000, views=None, likes=None, comments=None, shares=None, favorites=None,
             posts=None),
        dict(platform="wechat", account="Sub", date=MAR1, followers_new=30, followers_lost=10, followers_net=20,
             followers_total=1020, views=200, likes=10, comments=4, shares=6, favorites=0, posts=1),
        dict(platform="wechat", account="Sub", date=MAR2, followers_new=50, followers_lost=20, followers_net=30,
             followers_total=1050, views=100, likes=5, comments=1, shares=3, favorites=1, posts=1),
        dict(platform="wechat", account="Sub", date=MAR3, followers_new=0, followers_lost=5, followers_net=-5,
             followers_total=1045, views=100, likes=20, comments=0, shares=0, favorites=0, posts=1),
        # weibo/W: 500 followers on 28 Feb, no row on 1 March, one on 2 March
        dict(platform="weibo", account="W", date=D(2024, 2, 28), followers_new=None, followers_lost=None,
             followers_net=None, followers_total=500, views=None, likes=None, comments=None, shares=None, favorites=None,
             posts=None),
        # Weibo's daily export gives forwards and comments but no post count (the posts are counted)
        dict(platform="weibo", account="W", date=MAR2, followers_new=25, followers_lost=5, followers_net=20,
             followers_total=520, views=None, likes=None, comments=21, shares=45, favorites=None, posts=None),
    ]
    _insert(con, "account_daily", ad)
    post = dict(delivered=None, message_reads=None, readers=None, views=None, shares=None, favorites=None,
                original_page_reads=None, comments=None, is_original=None)
    _insert(con, "posts", [
        {**post, "platform": "wechat", "account": "Sub", "post_id": "p1", "published_at": dt.datetime(2024, 3, 1, 9),
         "delivered": 1000, "message_reads": 150, "readers": 200, "views": 260, "shares": 10, "favorites": 4,
         "original_page_reads": 8, "is_original": True},
        {**post, "platform": "wechat", "account": "Sub", "post_id": "p2", "published_at": dt.datetime(2024, 3, 2, 20),
         "delivered": 1040, "message_reads": 52, "readers": 100, "views": 120, "shares": 2, "favorites": 6,
         "original_page_reads": 2, "is_original": False},
        {**post, "platform": "weibo", "account": "W", "post_id": "w1", "published_at": dt.datetime(2024, 3, 1, 8),
         "shares": 30, "comments": 12, "is_original": True},
        {**post, "platform": "weibo", "account": "W", "post_id": "w2", "published_at": dt.datetime(2024, 3, 2, 8),
         "shares": 10, "comments": 8},
        {**post, "platform": "weibo", "account": "W", "post_id": "w3", "published_at": dt.datetime(2024, 3, 2, 18),
         "shares": 5, "comments": 1},
    ])
    _insert(con, "business_daily", [
        dict(platform="wechat", account="Svc", date=D(2024, 2, 20), visitors=None, registrations=60,
             active_users=None, total_users=None, orders=None, gmv=None),
        dict(platform="wechat", account="Svc", date=MAR1, visitors=500, registrations=200, active_users=300,
             total_users=1000, orders=40, gmv=2000.0),
        dict(platform="wechat", account="Svc", date=MAR2, visitors=100, registrations=40, active_users=440,
             total_users=1100, orders=20, gmv=1600.0),
    ])
    _insert(con, "spend", [
        dict(source="ledger", date=MAR1, budget_line="Weibo drive placements", channel="Weibo drive", amount=300.0),
        dict(source="ledger", date=MAR2, budget_line="Weibo drive placements", channel="Weibo drive", amount=200.0),
        dict(source="ledger", date=MAR2, budget_line="Red packets", channel="Local WeChat groups", amount=100.0),
    ])
    _insert(con, "channel_daily", [
        dict(date=MAR1, channel="Weibo drive", followers_new=40, registrations=None, orders=None),
        dict(date=MAR2, channel="Weibo drive", followers_new=10, registrations=None, orders=None),
        dict(date=MAR2, channel="Local WeChat groups", followers_new=25, registrations=None, orders=None),
    ])
    _insert(con, "traffic_daily", [
        dict(platform="wechat", account="Sub", date=MAR1, source="全部", readers=250, reads=300),
        dict(platform="wechat", account="Sub", date=MAR1, source="公众号消息", readers=180, reads=200),
        dict(platform="wechat", account="Sub", date=MAR1, source="朋友圈", readers=120, reads=150),
    ])
    return con


def v(con, metric, start=MAR1, end=MAR3, scope=None):
    return catalog.value(con, metric, start, end, scope)


# ------------------------------------------------------------------ the catalogue itself
def test_catalogue_is_valid():
    assert catalog.validate() == []


def test_catalogue_covers_product_definitions_and_platform_kpis():
    needed = {
        # Definitions
        "net_follows", "growth_rate", "wechat_read_rate", "wechat_forward_rate", "wechat_favourite_rate",
        "wechat_original_page_rate", "engagement_rate", "daily_active_rate", "order_conversion", "aov",
        "cost_per_follower",
        # The method, point 6
        "posts_per_day", "followers", "forwards", "comments", "forwards_per_post", "comments_per_post",
        "wechat_delivery_rate", "new_follows", "unfollows", "registrations", "orders", "views",
    }
    assert needed <= set(catalog.METRICS)
    kinds = {m.kind for m in catalog.METRICS.values()}
    assert kinds == {"simple", "ratio", "derived", "cumulative"}
    for met in catalog.METRICS.values():
        if met.kind in ("ratio", "derived"):
            assert "÷" in met.description, met.id


def test_validate_reports_every_problem_at_once():
    relations = {"r": Relation("r", "SELECT 1", "account", ("platform", "account"))}
    measures = {"m": Measure("m", "sum", "r", "x"), "bad": Measure("bad", "median", "nowhere", "x")}
    base = dict(unit="count", direction="higher", label_en="A", label_zh="甲", description="d")
    metrics = {
        "a": Metric("a", "simple", measures=("missing",), **base),
        "b": Metric("b", "derived", expr="c + 1", **{**base, "description": "b ÷ c"}),
        "c": Metric("c", "derived", expr="b * 2", **{**base, "description": "c ÷ b"}),
        "d": Metric("d", "ratio", numerator=("m",), denominator=("m",), **{**base, "label_zh": ""}),
        "e": Metric("e", "weird", **base),
    }
    problems = catalog.validate(relations, measures, metrics)
    text = "\n".join(problems)
    assert "measure bad: aggregation 'median'" in text
    assert "measure bad: unknown relation 'nowhere'" in text
    assert "metric a: unknown measure 'missing'" in text
    assert "cycle among derived metrics: b → c → b" in text
    assert "metric d: missing label_zh" in text
    assert "metric d: the description must state the denominator" in text
    assert "metric e: kind 'weird'" in text
    assert len(problems) >= 7


# ------------------------------------------------------------------ followers
def test_follows_and_growth_for_one_account(data):
    sub = Scope(accounts=[SUB])
    assert v(data, "new_follows", scope=sub) == 80          # 30 + 50 + 0
    assert v(data, "unfollows", scope=sub) == 35            # 10 + 20 + 5
    assert v(data, "net_follows", scope=sub) == 45          # 80 − 35
    assert v(data, "followers_start", scope=sub) == 1000    # total on 29 Feb, the last day before 1 March
    assert v(data, "followers", scope=sub) == 1045          # total on 3 March
    assert v(data, "growth_rate", scope=sub) == pytest.approx(0.045)   # 45 ÷ 1,000


def test_followers_over_the_team_sum_each_accounts_own_last_day(data):
    # start: Sub 1,000 (29 Feb) + W 500 (28 Feb) = 1,500; end: Sub 1,045 + W 520 = 1,565
    assert v(data, "followers_start") == 1500
    assert v(data, "followers") == 1565
    # net 45 + 20 = 65; growth 65 ÷ 1,500
    assert v(data, "growth_rate") == pytest.approx(65 / 1500)
    # with a platform scope only the Weibo account counts: 20 ÷ 500
    assert v(data, "growth_rate", scope=Scope(platform="weibo")) == pytest.approx(0.04)


def test_growth_daily_uses_each_days_opening(data):
    frame = catalog.daily(data, "growth_rate", MAR1, MAR3, Scope(accounts=[SUB]))
    assert list(frame["date"]) == [MAR1, MAR2, MAR3]
    # 20 ÷ 1,000; 30 ÷ 1,020; −5 ÷ 1,050
    assert list(frame["value"]) == pytest.approx([0.02, 30 / 1020, -5 / 1050])


# ------------------------------------------------------------------ engagement, ratio of sums
def test_engagement_rate_is_ratio_of_sums_not_mean_of_ratios(data):
    sub = Scope(accounts=[SUB])
    # interactions per day: 10+4+6+0 = 20, 5+1+3+1 = 10, 20+0+0+0 = 20 → 50; views 200+100+100 = 400
    assert v(data, "interactions", scope=sub) == 50
    assert v(data, "engagement_rate", scope=sub) == pytest.approx(0.125)           # 50 ÷ 400
    daily = catalog.daily(data, "engagement_rate", MAR1, MAR3, sub)
    assert list(daily["value"]) == pytest.approx([0.1, 0.1, 0.2])                  # 20/200, 10/100, 20/100
    assert daily["value"].mean() == pytest.approx(0.4 / 3)                          # the wrong answer, 13.3 %
    assert v(data, "engagement_rate", scope=sub) != pytest.approx(daily["value"].mean())


# ------------------------------------------------------------------ WeChat articles
def test_wechat_rates(data):
    # open rate: message reads (150 + 52) ÷ delivered (1,000 + 1,040) = 202 ÷ 2,040
    assert v(data, "wechat_read_rate") == pytest.approx(202 / 2040)
    # … not the mean of 15 % and 5 % = 10 %
    assert v(data, "wechat_read_rate") != pytest.approx(0.10)
    # forwards (10 + 2) ÷ readers (200 + 100) = 12 ÷ 300 = 4 %
    assert v(data, "wechat_forward_rate") == pytest.approx(0.04)
    # favourites (4 + 6) ÷ 300; original-page reads (8 + 2) ÷ 300
    assert v(data, "wechat_favourite_rate") == pytest.approx(10 / 300)
    assert v(data, "wechat_original_page_rate") == pytest.approx(10 / 300)
    # delivery: delivered 2,040 ÷ followers on each send day (1,020 on 1 March + 1,050 on 2 March)
    assert v(data, "wechat_delivery_rate") == pytest.approx(2040 / 2070)
    assert v(data, "wechat_reads") == 380                                         # 260 + 120
    assert v(data, "wechat_delivered") == 2040


def test_traffic_reads_take_the_deduplicated_total_only(data):
    assert v(data, "traffic_reads") == 300        # the 全部 row, not 300 + 200 + 150


# ------------------------------------------------------------------ posts (Weibo KPIs)
def test_weibo_post_kpis(data):
    weibo = Scope(platform="weibo")
    assert v(data, "posts", scope=weibo) == 3                                  # w1, w2, w3 counted by day
    assert v(data, "posts_per_day", scope=weibo) == pytest.approx(1.0)        # 3 posts ÷ 3 days
    assert v(data, "forwards_per_post", scope=weibo) == pytest.approx(15.0)   # 45 forwards ÷ 3 posts
    assert v(data, "comments_per_post", scope=weibo) == pytest.approx(7.0)    # 21 comments ÷ 3 posts
    # the WeChat account's daily export says 1 post a day (3), although only p1 and p2 are in the
    # post-level export: the daily figure wins; team 3 + 3 = 6 posts ÷ 3 days
    assert v(data, "posts", scope=Scope(accounts=[SUB])) == 3
    assert v(data, "posts_per_day") == pytest.approx(2.0)
    assert v(data, "original_share") == pytest.approx(0.4)                     # p1, w1 of the 5 exported posts


def test_count_is_zero_with_data_elsewhere_and_none_without_any(data):
    assert v(data, "original_posts", D(2024, 4, 1), D(2024, 4, 7), Scope(platform="weibo")) == 0
    assert v(data, "original_posts", scope=Scope(platform="douyin")) is None
    assert v(data, "original_posts") == 2


# ------------------------------------------------------------------ business
def test_business_definitions(data):
    # order conversion: orders (40 + 20) ÷ visitors (500 + 100) = 10 %, not the mean of 8 % and 20 %
    assert v(data, "order_conversion") == pytest.approx(0.10)
    # average order value: GMV (2,000 + 1,600) ÷ orders 60 = 60, not the mean of 50 and 80
    assert v(data, "aov") == pytest.approx(60.0)
    # daily active rate: active (300 + 440) ÷ total users (1,000 + 1,100) = 740 ÷ 2,100
    assert v(data, "daily_active_rate") == pytest.approx(740 / 2100)
    assert v(data, "registration_conversion") == pytest.approx(0.4)            # 240 ÷ 600
    assert v(data, "registrations_per_day", MAR1, MAR4) == pytest.approx(60.0)  # 240 ÷ 4 days
    assert v(data, "orders_per_day", MAR1, MAR2) == pytest.approx(30.0)         # 60 ÷ 2 days
    assert v(data, "total_users") == 1100                                       # last day, 2 March
    # cumulative: 60 on 20 Feb + 200 + 40
    assert v(data, "registrations_total") == 300
    daily = catalog.daily(data, "registrations_total", MAR1, MAR3)
    assert list(daily["value"]) == [260, 300]


# ------------------------------------------------------------------ spend
def test_cost_per_follower_by_scope(data):
    # team: spend 300 + 200 + 100 = 600 ÷ new follows (80 + 25) = 105
    assert v(data, "cost_per_follower") == pytest.approx(600 / 105)
    # one channel: its spend 500 ÷ its new followers (40 + 10) = 10, not the mean of 7.5 and 20
    assert v(data, "cost_per_follower", scope=Scope(channels=["Weibo drive"])) == pytest.approx(10.0)
    # spend is not kept per account: no value rather than a wrong one
    assert v(data, "cost_per_follower", scope=Scope(accounts=[SUB])) is None
    assert v(data, "spend", scope=Scope(channels=["Local WeChat groups"])) == 100


def test_zero_or_empty_denominator_is_none(data):
    assert v(data, "order_conversion", D(2025, 1, 1), D(2025, 1, 7)) is None
    assert v(data, "engagement_rate", scope=Scope(platform="weibo")) is None   # Weibo views are NULL
    assert catalog.daily(data, "order_conversion", D(2025, 1, 1), D(2025, 1, 7)).empty


def test_person_and_role_scopes(data):
    data.execute("INSERT INTO roles (role_id, code, name) VALUES (1, 'operations', 'Operations')")
    data.execute("INSERT INTO people (person_id, name, role_id) VALUES (1, 'Li', 1), (2, 'Wang', 1)")
    data.execute("INSERT INTO person_accounts VALUES (1, 'wechat', 'Sub'), (2, 'weibo', 'W')")
    data.execute("INSERT INTO person_channels VALUES (2, 'Weibo drive')")
    li = catalog.person_scope(data, 1)
    assert li.accounts == (SUB,) and li.channels is None
    assert v(data, "net_follows", scope=li) == 45
    role = catalog.role_scope(data, 1)
    assert v(data, "net_follows", scope=role) == 65          # 45 + 20
    assert catalog.first_data_day(data, "net_follows", role) == MAR1


def test_unknown_metric_names_the_catalogue():
    with pytest.raises(KeyError, match="catalog.toml"):
        catalog.get("nope")
