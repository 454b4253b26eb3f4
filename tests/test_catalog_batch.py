"""The batched catalogue (metrics.catalog_batch) against the one-at-a-time reference
(metrics.catalog.value / last_data_day), on the demo workspace, for every metric under scopes
of every kind and periods inside, across and before the data."""
import datetime as dt

import pytest

from metrics import catalog
from metrics import catalog_batch as batch
from metrics.catalog import Scope


@pytest.fixture
def demo_con(demo_db):
    from store import connection
    return connection.cursor(demo_db)


def _scopes(con):
    accounts = [tuple(r) for r in con.execute(
        "SELECT DISTINCT platform, account FROM account_daily ORDER BY 1, 2").fetchall()]
    channels = [r[0] for r in con.execute("SELECT DISTINCT channel FROM channel_daily ORDER BY 1").fetchall()]
    assert len(accounts) >= 3 and len(channels) >= 2
    wechat = [a for a in accounts if a[0] == "wechat"]
    return [None, Scope(), Scope(platform="wechat"), Scope(platform="nowhere"),
            Scope(accounts=accounts[:2]), Scope(accounts=[accounts[-1]]),
            Scope(platform="weibo", accounts=[wechat[0], *[a for a in accounts if a[0] == "weibo"]]),
            Scope(accounts=()), Scope(channels=channels[:2]), Scope(channels=()),
            Scope(accounts=[accounts[0]], channels=[channels[0]]),
            Scope(platform="douyin", accounts=(), channels=channels[-1:])]


def _periods(con):
    last = con.execute("SELECT max(date) FROM account_daily").fetchall()[0][0]
    return [(last - dt.timedelta(days=6), last), (last - dt.timedelta(days=59), last - dt.timedelta(days=30)),
            (dt.date(1990, 1, 1), dt.date(1990, 1, 31)), (last, last - dt.timedelta(days=3))]


def test_values_equal_the_reference_for_every_metric_scope_and_period(demo_con):
    con = demo_con
    asks = [batch.Ask(mid, lo, hi, scope) for mid in catalog.METRICS
            for scope in _scopes(con) for lo, hi in _periods(con)]
    got = batch.values(con, asks)
    assert set(got) == set(asks)
    wrong = []
    for a in asks:
        expected = catalog.value(con, a.metric, a.start, a.end, a.scope)
        if (expected is None) != (got[a] is None) or (expected is not None and got[a] != pytest.approx(expected, rel=1e-9)):
            wrong.append((a, expected, got[a]))
    assert not wrong, wrong[:5]
    # the comparison is not vacuous: many figures exist, and some are missing
    known = [v for v in got.values() if v is not None]
    assert len(known) > len(asks) // 8 and len(known) < len(asks)


def test_levels_of_a_few_wide_requests_equal_the_reference(demo_con):
    # one period at a time: the whole-team and platform requests are few (answered by a grouped
    # arg_max), the account and channel ones many (an ASOF join), in the same batch
    con = demo_con
    levels = [mid for mid, met in catalog.METRICS.items()
              if any(catalog.MEASURES[m].agg in ("last", "opening") for m in met.measures if m in catalog.MEASURES)]
    assert len(levels) >= 2
    wrong, known = [], 0
    for lo, hi in _periods(con):
        asks = [batch.Ask(mid, lo, hi, scope) for mid in levels for scope in _scopes(con)]
        wide = [a for a in asks if a.scope is None or not (a.scope.accounts or a.scope.channels)]
        assert wide
        got = batch.values(con, asks)
        for a in asks:
            expected = catalog.value(con, a.metric, a.start, a.end, a.scope)
            known += expected is not None
            if (expected is None) != (got[a] is None) or (expected is not None and got[a] != pytest.approx(expected, rel=1e-9)):
                wrong.append((a, expected, got[a]))
    assert not wrong, wrong[:5]
    assert known > 20


def test_last_data_days_equal_the_reference(demo_con):
    con = demo_con
    last = con.execute("SELECT max(date) FROM account_daily").fetchall()[0][0]
    windows = [(None, None), (last - dt.timedelta(days=10), None), (None, last - dt.timedelta(days=40)),
               (dt.date(1990, 1, 1), dt.date(1990, 2, 1))]
    asks = [batch.DayAsk(mid, scope, until, since) for mid in catalog.METRICS
            for scope in _scopes(con) for since, until in windows]
    got = batch.last_data_days(con, asks)
    wrong = [(a, got[a]) for a in asks
             if got[a] != catalog.last_data_day(con, a.metric, a.scope, until=a.until, since=a.since)]
    assert not wrong, wrong[:5]
    assert any(d == last for d in got.values())


def test_a_zero_count_is_zero_only_where_the_scope_has_rows(con):
    # posts: one wechat account with two posts in March, one original; nothing for weibo
    con.execute("""INSERT INTO posts (platform, account, post_id, published_at, is_original, views) VALUES
        ('wechat', 'A', 'p1', TIMESTAMP '2026-03-02 08:00', TRUE, 10),
        ('wechat', 'A', 'p2', TIMESTAMP '2026-03-05 08:00', FALSE, 20)""")
    april = (dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    march = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    asks = {
        "april_wechat": batch.Ask("original_posts", *april, Scope(accounts=[("wechat", "A")])),
        "april_weibo": batch.Ask("original_posts", *april, Scope(accounts=[("weibo", "B")])),
        "march_wechat": batch.Ask("original_posts", *march, Scope(accounts=[("wechat", "A")])),
    }
    got = batch.values(con, asks.values())
    # April: the account has posts elsewhere, so none in April is 0; weibo B has no rows: unknown
    assert got[asks["april_wechat"]] == 0.0
    assert got[asks["april_weibo"]] is None
    assert got[asks["march_wechat"]] == 1.0   # p1 only is original


def test_a_last_data_day_long_before_the_window_end_is_found(con):
    # followers gained on 2026-01-10 and 2026-01-31 only; asked up to 2026-06-30
    con.execute("""INSERT INTO account_daily (platform, account, date, followers_new) VALUES
        ('weibo', 'W', DATE '2026-01-10', 5), ('weibo', 'W', DATE '2026-01-31', 7)""")
    scope = Scope(accounts=[("weibo", "W")])
    asks = [batch.DayAsk("new_follows", scope, until=dt.date(2026, 6, 30)),
            batch.DayAsk("new_follows", scope, until=dt.date(2026, 6, 30), since=dt.date(2026, 2, 1)),
            batch.DayAsk("new_follows", scope, until=dt.date(2026, 1, 20))]
    got = batch.last_data_days(con, asks)
    assert [got[a] for a in asks] == [dt.date(2026, 1, 31), None, dt.date(2026, 1, 10)]


def test_levels_of_accounts_that_stopped_reporting_long_ago(con):
    # A reports followers daily in June; B's last total is 300 on 2026-01-15, long before June.
    con.execute("""INSERT INTO account_daily (platform, account, date, followers_total)
                   SELECT 'weibo', 'A', d::DATE, 1000 + 10 * day(d) FROM range(DATE '2026-06-01', DATE '2026-07-01',
                   INTERVAL 1 DAY) t(d)""")
    con.execute("INSERT INTO account_daily (platform, account, date, followers_total) VALUES "
                "('weibo', 'B', DATE '2026-01-15', 300)")
    both = Scope(accounts=[("weibo", "A"), ("weibo", "B")])
    june_end = (dt.date(2026, 6, 20), dt.date(2026, 6, 30))
    asks = {
        # followers before 20 June: A's 19 June total 1,190 + B's 300 (found in the older rows) = 1,490
        "start_both": batch.Ask("followers_start", *june_end, both),
        "start_team": batch.Ask("followers_start", *june_end, None),
        # followers at the end: only A has a total inside 20–30 June: 1,300
        "end_both": batch.Ask("followers", *june_end, both),
        # B alone, a window in June: no total inside it → None; before it: 300
        "end_b": batch.Ask("followers", *june_end, Scope(accounts=[("weibo", "B")])),
        "start_b": batch.Ask("followers_start", *june_end, Scope(accounts=[("weibo", "B")])),
        # the whole team over January–June: A's 30 June total 1,300 + B's 300 of 15 January = 1,600
        "end_team_half_year": batch.Ask("followers", dt.date(2026, 1, 1), dt.date(2026, 6, 30), None),
    }
    got = batch.values(con, asks.values())
    assert got[asks["start_both"]] == 1490.0 and got[asks["start_team"]] == 1490.0
    assert got[asks["end_both"]] == 1300.0
    assert got[asks["end_b"]] is None and got[asks["start_b"]] == 300.0
    assert got[asks["end_team_half_year"]] == 1600.0
    for a in asks.values():
        assert got[a] == catalog.value(con, a.metric, a.start, a.end, a.scope)


def test_the_entity_list_is_made_once_per_session_and_dropped_after(con):
    con.execute("""INSERT INTO account_daily (platform, account, date, followers_total) VALUES
                   ('weibo', 'A', DATE '2026-06-01', 100), ('weibo', 'B', DATE '2026-06-02', 40)""")

    def entity_tables():
        return con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'entities_%'").fetchall()[0][0]

    june = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    both = Scope(accounts=[("weibo", "A"), ("weibo", "B")])      # account scopes go through the ASOF join
    with batch.session():
        # followers at the end of June: 100 + 40; before June 2: only A's 100
        assert batch.values(con, [batch.Ask("followers", *june, both)]) == {batch.Ask("followers", *june, both): 140.0}
        second = batch.Ask("followers_start", dt.date(2026, 6, 2), dt.date(2026, 6, 30), both)
        assert batch.values(con, [second]) == {second: 100.0}
        assert entity_tables() == 1
        # a whole-team figure needs no entity list (a grouped query over the rows)
        team = batch.Ask("followers", *june, None)
        assert batch.values(con, [team]) == {team: 140.0} and entity_tables() == 1
    assert entity_tables() == 0
