"""WCI-style and BCI indices (PRODUCT.md, "Indices") against hand-computed values."""
from __future__ import annotations

import datetime as dt
import math

import pytest

from metrics import indices

D = dt.date


def test_block_by_hand():
    # R=100, Z=0, L=10, RE=5, x=1:
    # 0.70·ln(101) + 0.09·ln(1) + 0.06·ln(101) + 0.15·ln(51)
    # = 0.70 × 4.615121 + 0 + 0.06 × 4.615121 + 0.15 × 3.931826 = 3.230584 + 0.276907 + 0.589774 = 4.097265
    assert indices.block(100, 0, 10, 5, 1) == pytest.approx(4.097265, abs=1e-6)
    # Z counts ten-fold: Z=10, x=10 → 0.09·ln(10·10/10 + 1) = 0.09 × ln(11) = 0.09 × 2.397895 = 0.215811
    assert indices.block(0, 10, 0, 0, 10) == pytest.approx(0.215811, abs=1e-6)


def test_wci_from_blocks():
    # (0.6·5 + 0.2·5 + 0.1·5 + 0.1·5)² × 1.2 × 10 = 5² × 12 = 300
    assert indices.wci(5, 5, 5, 5) == pytest.approx(300)
    # (0.6·1 + 0.2·2 + 0.1·3 + 0.1·4)² × 12 = 1.7² × 12 = 34.68
    assert indices.wci(1, 2, 3, 4) == pytest.approx(34.68)


def test_bci_by_hand():
    # posts 9, reposts 99, comments 9, likes 999:
    # W2 = 0.4·ln(100) + 0.4·ln(10) + 0.2·ln(1000) = 1.842068 + 0.921034 + 1.381551 = 4.144653
    # BCI = (0.2·ln(10) + 0.8 × 4.144653) × 160 = (0.460517 + 3.315722) × 160 = 604.198
    assert indices.bci(9, 99, 9, 999) == pytest.approx(604.198, abs=1e-3)
    assert indices.bci(0, 0, 0, 0) == 0


def add_post(con, account, post_id, at, views, likes=0, shares=0, comments=0, platform="wechat"):
    con.execute("""INSERT INTO posts (platform, account, post_id, published_at, views, likes, shares, comments)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", [platform, account, post_id, at, views, likes, shares, comments])


def test_account_wci_in_sql_matches_the_formula(con):
    # Two days (d = 2). Day 1: a (R 100, L 10, RE 5) and b (R 50); day 2: c (R 200, L 20, RE 10).
    add_post(con, "Sub", "a", dt.datetime(2026, 3, 2, 8), 100, likes=10, shares=5)
    add_post(con, "Sub", "b", dt.datetime(2026, 3, 2, 20), 50)
    add_post(con, "Sub", "c", dt.datetime(2026, 3, 3, 8), 200, likes=20, shares=10)
    add_post(con, "Sub", "late", dt.datetime(2026, 3, 4, 8), 9999)            # outside the period
    row = indices.account_wci(con, D(2026, 3, 2), D(2026, 3, 3)).iloc[0]
    assert (row["days"], row["posts"], row["reads"], row["likes"], row["forwards"]) == (2, 3, 350, 30, 15)
    ln = math.log
    o = 0.7 * ln(350 / 2 + 1) + 0.06 * ln(10 * 30 / 2 + 1) + 0.15 * ln(10 * 15 / 2 + 1)   # totals over d = 2
    a = 0.7 * ln(350 / 3 + 1) + 0.06 * ln(10 * 30 / 3 + 1) + 0.15 * ln(10 * 15 / 3 + 1)   # over n = 3
    h = 0.7 * ln(300 / 2 + 1) + 0.06 * ln(10 * 30 / 2 + 1) + 0.15 * ln(10 * 15 / 2 + 1)   # headlines a + c
    p = 0.7 * ln(200 + 1) + 0.06 * ln(10 * 20 + 1) + 0.15 * ln(10 * 10 + 1)               # best post c
    assert (row["o"], row["a"], row["h"], row["p"]) == pytest.approx((4.569986, 4.204180, 4.462743, 4.722780),
                                                                     abs=1e-6)
    assert (row["o"], row["a"], row["h"], row["p"]) == pytest.approx((o, a, h, p))
    # (0.6·4.569986 + 0.2·4.204180 + 0.1·4.462743 + 0.1·4.722780)² × 12 = 4.501380² × 12 = 243.149
    assert row["wci"] == pytest.approx(243.149, abs=1e-3)


def test_bci_per_weibo_account_and_comparison(con):
    for i, (reposts, comments, likes) in enumerate([(50, 4, 500), (49, 5, 499)]):
        add_post(con, "WB", f"w{i}", dt.datetime(2026, 3, 2, 9 + i), 1000, likes=likes, shares=reposts,
                 comments=comments, platform="weibo")
    for i in range(8):
        add_post(con, "WB", f"old{i}", dt.datetime(2026, 2, 20, 9), 10, platform="weibo")
    bci = indices.account_bci(con, D(2026, 3, 1), D(2026, 3, 7)).iloc[0]
    # posts 2, reposts 99, comments 9, likes 999
    # W2 = 4.144653 (as above); BCI = (0.2·ln(3) + 0.8 × 4.144653) × 160 = (0.219722 + 3.315722) × 160 = 565.671
    assert bci["bci"] == pytest.approx(565.671, abs=1e-3)
    both = indices.indices_compared(con, D(2026, 3, 1), D(2026, 3, 7), D(2026, 2, 22), D(2026, 2, 28))
    assert both.loc[0, "bci"] == pytest.approx(565.671, abs=1e-3)
    assert both.loc[0, "prev_wci"] is None                               # no post in Feb 22–28
    assert indices.account_wci(con, D(2026, 4, 1), D(2026, 4, 7)).empty
