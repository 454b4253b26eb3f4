"""Channel effectiveness, the stability index and the burst point, against hand-computed figures."""
from __future__ import annotations

import datetime as dt

import pytest

from metrics import channels

D = dt.date
DAYS = [D(2026, 3, d) for d in range(1, 11)]        # Sun 1 March … Tue 10 March 2026
PREV = [D(2026, 2, d) for d in range(19, 29)]       # the ten days before


def add_results(con, day, channel, followers, registrations=None, orders=None):
    con.execute("""INSERT INTO channel_daily (date, channel, followers_new, registrations, orders)
                   VALUES (?, ?, ?, ?, ?)""", [day, channel, followers, registrations, orders])


def add_spend(con, day, channel, amount, line="Line"):
    con.execute("INSERT INTO spend (source, date, budget_line, channel, amount) VALUES ('ledger', ?, ?, ?, ?)",
                [day, f"{line} {channel}", channel, amount])


def series(con, channel, values, days=DAYS):
    for day, value in zip(days, values):
        add_results(con, day, channel, value)


# ------------------------------------------------------------------ the stability index

def test_stability_index_pure():
    # ten follows every day: CV 0, every day active → 100 × 1 / (1 + 0) = 100
    assert channels.stability_index([10] * 10) == pytest.approx(100)
    # 100 on one day of ten: mean 10, population sd = sqrt((90² + 9 × 10²) / 10) = 30, CV 3,
    # active share 0.1 → 100 × 0.1 / (1 + 3) = 2.5
    assert channels.stability_index([100] + [0] * 9) == pytest.approx(2.5)
    # 20 every other day: mean 10, sd 10, CV 1, active 0.5 → 100 × 0.5 / 2 = 25
    assert channels.stability_index([20, 0] * 5) == pytest.approx(25)
    assert channels.stability_index([0, 0, 0]) == 0
    assert channels.stability_index([]) is None


def test_steady_channel_beats_a_spiky_one_with_the_same_total(con):
    series(con, "Steady", [10] * 10)                 # 100 follows
    series(con, "Spiky", [100] + [0] * 9)            # 100 follows too
    figures = channels.channel_figures(con, DAYS[0], DAYS[-1]).set_index("channel")
    assert figures.loc["Steady", "followers"] == figures.loc["Spiky", "followers"] == 100
    assert figures.loc["Steady", "stability"] == pytest.approx(100)
    assert figures.loc["Spiky", "stability"] == pytest.approx(2.5)
    assert figures.loc["Spiky", "cv"] == pytest.approx(3)
    assert figures.loc["Spiky", "active_share"] == pytest.approx(0.1)
    assert list(figures.index[:2]) == ["Steady", "Spiky"]          # ranked by stability without spend


def test_missing_days_count_as_no_inflow_up_to_the_latest_figures(con):
    add_results(con, DAYS[0], "Groups", 20)
    add_results(con, DAYS[2], "Groups", 20)          # no row on day 2
    add_results(con, DAYS[3], "Other", 0)            # latest day with any figures: day 4
    figures = channels.channel_figures(con, DAYS[0], DAYS[-1]).set_index("channel")
    # days 1–4 → [20, 0, 20, 0]: mean 10, sd 10, CV 1, active 0.5 → 25
    assert figures.loc["Groups", "days"] == 4
    assert figures.loc["Groups", "stability"] == pytest.approx(25)
    daily = channels.daily_inflow(con, DAYS[0], DAYS[-1])
    assert daily[daily["channel"] == "Groups"]["followers_new"].tolist() == [20, 0, 20, 0]


@pytest.mark.parametrize("index, rating", [(100, "steady"), (60, "steady"), (59.9, "uneven"), (30, "uneven"),
                                           (2.5, "bursty"), (None, None)])
def test_stability_rating(index, rating):
    assert channels.stability_rating(index) == rating


# ------------------------------------------------------------------ the channel table

@pytest.fixture
def mix(con):
    """Weibo: steady, cheap. Offline: one burst, dear. Groups: free and steady. PR: tiny but cheap."""
    series(con, "Weibo", [10] * 10)                                  # 100 follows
    for day in DAYS:
        add_spend(con, day, "Weibo", 20)                             # ¥200
    series(con, "Offline", [50] + [0] * 9)                           # 50 follows
    add_spend(con, DAYS[0], "Offline", 500)                          # ¥500
    series(con, "Groups", [5] * 10)                                  # 50 follows, no spend
    series(con, "PR", [1] * 10)                                      # 10 follows: 10 / 210 = 4.8 % share
    add_spend(con, DAYS[0], "PR", 5)                                 # ¥5
    con.execute("UPDATE channel_daily SET registrations = followers_new / 5, orders = 1 WHERE channel = 'Weibo'")
    series(con, "Weibo", [8] * 10, days=PREV)                        # previous period: 80 follows
    add_spend(con, PREV[0], "Weibo", 240)                            # ¥3 per follower then
    return con


def test_channel_table_share_cost_conversion_change(mix):
    table = channels.channel_table(mix, DAYS[0], DAYS[-1], PREV[0], PREV[-1]).set_index("channel")
    weibo = table.loc["Weibo"]
    assert weibo["share"] == pytest.approx(100 / 210)                # 100 of 100 + 50 + 50 + 10
    assert weibo["cost_per_follower"] == pytest.approx(2.0)          # 200 / 100
    assert weibo["prev_cost_per_follower"] == pytest.approx(3.0)     # 240 / 80
    assert weibo["followers_change"] == pytest.approx(0.25)          # (100 − 80) / 80
    assert weibo["registrations"] == 20                              # 10 days × 10 / 5
    assert weibo["reg_conversion"] == pytest.approx(0.2)             # 20 / 100
    assert weibo["order_conversion"] == pytest.approx(0.5)           # 10 orders / 20 registrations
    assert table.loc["Groups", "spend"] is None and table.loc["Groups", "cost_per_follower"] is None
    assert table.loc["Groups", "followers_change"] is None           # nothing the period before
    # board cost per follower of paid channels = (200 + 500 + 5) / (100 + 50 + 10) = 4.40625
    assert table.loc["Offline", "cost_advantage"] == pytest.approx(4.40625 / 10)     # 500 / 50 = ¥10
    assert table.loc["Weibo", "score"] == pytest.approx(100 * 4.40625 / 2)


def test_burst_point_and_where_to_move_money(mix):
    rec = channels.recommendation(mix, DAYS[0], DAYS[-1])
    assert rec.basis == "cost_and_stability"
    # PR scores highest (stability 100 × 4.40625 / 0.5) but brings under 5 % of follows: not the burst point
    assert rec.burst["channel"] == "Weibo"
    assert rec.move_from["channel"] == "Offline"                     # score 2.5 × 0.44 = 1.1
    assert rec.board_cost_per_follower == pytest.approx(705 / 160)
    assert rec.followers_per_1000_to == pytest.approx(500)           # 1000 / ¥2
    assert rec.followers_per_1000_from == pytest.approx(100)         # 1000 / ¥10
    pick = channels.best_and_worst(mix, DAYS[0], DAYS[-1])
    assert (pick.best["channel"], pick.worst["channel"]) == ("Weibo", "Offline")


def test_without_spend_the_burst_point_is_the_steadiest(con):
    series(con, "Steady", [10] * 10)
    series(con, "Spiky", [100] + [0] * 9)
    rec = channels.recommendation(con, DAYS[0], DAYS[-1])
    assert rec.basis == "stability" and rec.burst["channel"] == "Steady" and rec.move_from is None
    pick = channels.best_and_worst(con, DAYS[0], DAYS[-1])
    assert (pick.best["channel"], pick.worst["channel"]) == ("Steady", "Spiky")


def test_no_figures_no_recommendation(con):
    con.execute("INSERT INTO channels (channel, kind, active) VALUES ('Planned only', 'pr', true)")
    table = channels.channel_table(con, DAYS[0], DAYS[-1], PREV[0], PREV[-1])
    assert table["channel"].tolist() == ["Planned only"]             # a planned channel still shows
    assert table.loc[0, "followers"] is None
    rec = channels.recommendation(con, DAYS[0], DAYS[-1])
    assert rec.burst is None and rec.move_from is None
    assert channels.best_and_worst(con, DAYS[0], DAYS[-1]) == channels.BestAndWorst(None, None)


def test_weekly_follows_by_iso_week(con):
    series(con, "Weibo", [10] * 10)                  # Sun 1 March … Tue 10 March
    weekly = channels.weekly_follows(con, DAYS[-1], weeks=2)
    # two weeks up to Tue 10 March: Mon 2 – Sun 8 March (7 × 10) and Mon 9 – Tue 10 (2 × 10); 1 March is before
    assert [(str(w)[:10], f) for w, f in zip(weekly["week"], weekly["followers"])] == \
        [("2026-03-02", 70), ("2026-03-09", 20)]


def test_traffic_sources_leave_the_total_out(con):
    for day in DAYS[:2]:
        for source, reads in (("朋友圈", 30), ("公众号消息", 70), ("全部", 100)):
            con.execute("""INSERT INTO traffic_daily (platform, account, date, source, readers, reads)
                           VALUES ('wechat', 'Sub', ?, ?, ?, ?)""", [day, source, reads // 2, reads])
    con.execute("""INSERT INTO traffic_daily (platform, account, date, source, readers, reads)
                   VALUES ('wechat', 'Sub', ?, '朋友圈', 10, 20)""", [PREV[0]])
    sources = channels.traffic_sources(con, DAYS[0], DAYS[-1], PREV[0], PREV[-1]).set_index("source")
    assert list(sources.index) == ["公众号消息", "朋友圈"]
    assert sources.loc["朋友圈", "reads"] == 60
    assert sources.loc["朋友圈", "share"] == pytest.approx(0.3)     # 60 / (60 + 140), 全部 not added
    assert sources.loc["朋友圈", "reads_change"] == pytest.approx(2.0)   # (60 − 20) / 20


def test_a_steady_channel_is_preferred_as_burst_point(con):
    series(con, "Weibo", [10] * 10)                                  # 100 follows, stability 100
    for day in DAYS:
        add_spend(con, day, "Weibo", 20)                             # ¥200 → ¥2.00 a follower
    series(con, "Event", [20, 0, 0] * 3 + [20])                      # 80 follows on 4 days of 10
    add_spend(con, DAYS[0], "Event", 8)                              # ¥0.10 a follower
    figures = channels.channel_figures(con, DAYS[0], DAYS[-1]).set_index("channel")
    # Event: mean 8, sd sqrt((4 × 12² + 6 × 8²) / 10) = 9.798, CV 1.2247, active 0.4 → 40 / 2.2247 = 17.98
    assert figures.loc["Event", "stability"] == pytest.approx(17.98, abs=0.01)
    # board ¥208 / 180 = 1.1556: Event 17.98 × 11.556 = 207.7 outscores Weibo 100 × 0.5778 = 57.8 …
    assert figures.loc["Event", "score"] == pytest.approx(17.98 * (208 / 180) / 0.1, abs=0.1)
    assert figures.index[0] == "Event"
    # … but only a steady channel is the burst point, and Event's better score is no reason to cut it
    rec = channels.recommendation(con, DAYS[0], DAYS[-1])
    assert rec.burst["channel"] == "Weibo" and rec.move_from is None
