"""Communication indices of the team's own accounts, as public rankings compute them
(PRODUCT.md, "Indices"), from the posts published in the period.

WCI-style (Gsdata WCI v14.2, from a copy of its published usage page; unverified)::

    Block(x) = 0.70·ln(R/x + 1) + 0.09·ln(10·Z/x + 1) + 0.06·ln(10·L/x + 1) + 0.15·ln(10·RE/x + 1)
    O = Block(d) over all posts, x = days d of the period
    A = Block(n) over all posts, x = posts n
    H = Block(d) over headline posts (here: each day's most-read post of the account)
    P = Block(1) of the single most-read post
    WCI = (0.6·O + 0.2·A + 0.1·H + 0.1·P)² × 1.2 × 10

with R reads (``views``), Z "在看" (not kept by the store: counted as 0), L likes and RE
forwards (``shares``). It is applied to every account, WeChat or not ("WCI-style").

BCI (Weibo; attribution unconfirmed), over the period's totals of the account's posts::

    W2 = 0.4·ln(reposts + 1) + 0.4·ln(comments + 1) + 0.2·ln(likes + 1)
    BCI = (0.2·ln(posts + 1) + 0.8·W2) × 160
"""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd

WCI_FORMULA = ("Block(x) = 0.70·ln(R/x+1) + 0.09·ln(10Z/x+1) + 0.06·ln(10L/x+1) + 0.15·ln(10RE/x+1); "
               "WCI = (0.6·O + 0.2·A + 0.1·H + 0.1·P)² × 1.2 × 10")
BCI_FORMULA = "BCI = (0.2·ln(posts+1) + 0.8·W2) × 160, W2 = 0.4·ln(reposts+1) + 0.4·ln(comments+1) + 0.2·ln(likes+1)"


def block(reads: float, zaikan: float, likes: float, forwards: float, x: float) -> float:
    """Gsdata's Block(x) of totals R, Z, L, RE spread over x (days, posts or 1)."""
    return (0.70 * math.log(reads / x + 1) + 0.09 * math.log(10 * zaikan / x + 1)
            + 0.06 * math.log(10 * likes / x + 1) + 0.15 * math.log(10 * forwards / x + 1))


def wci(o: float, a: float, h: float, p: float) -> float:
    """WCI from its four blocks."""
    return (0.6 * o + 0.2 * a + 0.1 * h + 0.1 * p) ** 2 * 1.2 * 10


def bci(posts: float, reposts: float, comments: float, likes: float) -> float:
    """BCI from an account's post count and its reposts, comments and likes."""
    w2 = 0.4 * math.log(reposts + 1) + 0.4 * math.log(comments + 1) + 0.2 * math.log(likes + 1)
    return (0.2 * math.log(posts + 1) + 0.8 * w2) * 160


def _block_sql(t: str, x: str) -> str:
    return (f"(0.70 * ln({t}.r / {x} + 1) + 0.09 * ln(10 * {t}.z / {x} + 1)"
            f" + 0.06 * ln(10 * {t}.l / {x} + 1) + 0.15 * ln(10 * {t}.re / {x} + 1))")


def account_wci(con, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per account with posts in the period (reads given): days, posts, R, Z, L, RE,
    the blocks O, A, H, P and the WCI-style index; highest first."""
    days = (end - start).days + 1
    return con.execute(
        f"""WITH p AS (SELECT platform, account, post_id, CAST(published_at AS DATE) AS day,
                              views::DOUBLE AS r, 0.0 AS z, coalesce(likes, 0)::DOUBLE AS l,
                              coalesce(shares, 0)::DOUBLE AS re
                       FROM posts
                       WHERE published_at >= $start AND published_at < $end::DATE + INTERVAL 1 DAY
                         AND views IS NOT NULL),
                 ranked AS (SELECT p.*,
                                   row_number() OVER (PARTITION BY platform, account, day ORDER BY r DESC, post_id) AS day_rank,
                                   row_number() OVER (PARTITION BY platform, account ORDER BY r DESC, post_id) AS rank
                            FROM p),
                 tot AS (SELECT platform, account, count(*) AS n, sum(r) AS r, sum(z) AS z, sum(l) AS l, sum(re) AS re
                         FROM p GROUP BY ALL),
                 head AS (SELECT platform, account, sum(r) AS r, sum(z) AS z, sum(l) AS l, sum(re) AS re
                          FROM ranked WHERE day_rank = 1 GROUP BY ALL),
                 best AS (SELECT platform, account, r, z, l, re FROM ranked WHERE rank = 1),
                 blocks AS (
                     SELECT tot.platform, tot.account, $days AS days, tot.n AS posts,
                            tot.r AS reads, tot.z AS zaikan, tot.l AS likes, tot.re AS forwards,
                            {_block_sql('tot', '$days')} AS o, {_block_sql('tot', 'tot.n')} AS a,
                            {_block_sql('head', '$days')} AS h, {_block_sql('best', '1')} AS p
                     FROM tot JOIN head USING (platform, account) JOIN best USING (platform, account))
            SELECT *, power(0.6 * o + 0.2 * a + 0.1 * h + 0.1 * p, 2) * 1.2 * 10 AS wci
            FROM blocks ORDER BY wci DESC, platform, account""",
        {"start": start, "end": end, "days": days}).df()


def account_bci(con, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per Weibo account with posts in the period: posts, reposts, comments, likes, W2, BCI."""
    return con.execute(
        """WITH t AS (SELECT platform, account, count(*) AS posts, coalesce(sum(shares), 0)::DOUBLE AS reposts,
                             coalesce(sum(comments), 0)::DOUBLE AS comments, coalesce(sum(likes), 0)::DOUBLE AS likes
                      FROM posts
                      WHERE platform = 'weibo' AND published_at >= ? AND published_at < ?::DATE + INTERVAL 1 DAY
                      GROUP BY ALL),
                w AS (SELECT *, 0.4 * ln(reposts + 1) + 0.4 * ln(comments + 1) + 0.2 * ln(likes + 1) AS w2 FROM t)
           SELECT *, (0.2 * ln(posts + 1) + 0.8 * w2) * 160 AS bci FROM w ORDER BY bci DESC, account""",
        [start, end]).df()


def indices_compared(con, start: dt.date, end: dt.date, prev_start: dt.date, prev_end: dt.date) -> pd.DataFrame:
    """Per account: WCI-style index of the period and of the previous period, and BCI
    (Weibo accounts) of both."""
    cur = account_wci(con, start, end)[["platform", "account", "posts", "reads", "likes", "forwards",
                                        "o", "a", "h", "p", "wci"]]
    prev = account_wci(con, prev_start, prev_end)[["platform", "account", "wci"]].rename(columns={"wci": "prev_wci"})
    bci_cur = account_bci(con, start, end)[["platform", "account", "bci"]]
    bci_prev = account_bci(con, prev_start, prev_end)[["platform", "account", "bci"]].rename(columns={"bci": "prev_bci"})
    merged = (cur.merge(prev, on=["platform", "account"], how="left")
                 .merge(bci_cur, on=["platform", "account"], how="left")
                 .merge(bci_prev, on=["platform", "account"], how="left"))
    return merged.astype(object).where(merged.notna(), None)
