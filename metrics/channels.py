"""Per-channel effectiveness: follows, share, cost, conversions, stability and the burst point.

Definitions (shown on the Channels view):

* **Share** — the channel's new follows ÷ the new follows of all channels.
* **Cost per follower** — spend attributed to the channel ÷ its new follows (see
  ``metrics.budget`` for how spend is attributed); **registration conversion** =
  registrations ÷ new follows; **order conversion** = orders ÷ registrations.
* **Stability index** (0–100) of the daily inflow over the days of the period up to the
  latest day with channel figures, a day without figures counting as zero follows:
  ``100 × active share ÷ (1 + CV)`` where active share = days with follows ÷ days and
  CV = population standard deviation ÷ mean of the daily follows. Ten follows every day
  scores 100; a hundred on one day of ten and none on the others scores 2.5.
* **Score** of a paid channel = stability × cost advantage, where cost advantage = the
  cost per follower of all paid channels together ÷ the channel's own. The **burst point**
  is the highest-scoring channel bringing at least ``BURST_MIN_SHARE`` of the follows; money
  should move to it from the lowest-scoring paid channel.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from metrics.budget import ATTRIBUTED_SPEND_SQL, RESULTS_SQL

BURST_MIN_SHARE = 0.05
STEADY_FROM = 60.0   # stability index at or above: steady
UNEVEN_FROM = 30.0   # at or above (and below STEADY_FROM): uneven; below: bursty
TOTAL_SOURCES = ("全部", "all", "total", "合计", "总计")


def stability_index(daily: list[float]) -> float | None:
    """The stability index of a series of daily follows (pure Python, mirrors the SQL)."""
    if not daily:
        return None
    mean = sum(daily) / len(daily)
    if mean <= 0:
        return 0.0
    sd = math.sqrt(sum((x - mean) ** 2 for x in daily) / len(daily))
    active = sum(1 for x in daily if x > 0) / len(daily)
    return 100.0 * active / (1.0 + sd / mean)


def stability_rating(index: float | None) -> str | None:
    """'steady', 'uneven' or 'bursty' for a stability index."""
    if index is None or (isinstance(index, float) and math.isnan(index)):
        return None
    if index >= STEADY_FROM:
        return "steady"
    return "uneven" if index >= UNEVEN_FROM else "bursty"


def data_end(con, start: dt.date, end: dt.date) -> dt.date | None:
    """The latest day in the period with any channel figures."""
    return con.execute("SELECT max(date) FROM channel_daily WHERE date BETWEEN ? AND ?",
                       [start, end]).fetchall()[0][0]


def channel_figures(con, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per channel (active channels of the plan, and any channel with figures or
    spend in the period): kind, followers, share, spend, cost_per_follower, registrations,
    reg_conversion, orders, order_conversion, days, mean_daily, cv, active_share,
    stability, cost_advantage, score; best score first."""
    last = data_end(con, start, end) or (start - dt.timedelta(days=1))
    return con.execute(
        f"""WITH s AS ({ATTRIBUTED_SPEND_SQL}),
                 spend_c AS (SELECT channel, sum(amount) AS spend FROM s WHERE channel IS NOT NULL GROUP BY channel),
                 r AS ({RESULTS_SQL}),
                 names AS (SELECT channel FROM channels WHERE coalesce(active, true)
                           UNION SELECT channel FROM r UNION SELECT channel FROM spend_c),
                 days AS (SELECT range::DATE AS date
                          FROM range($start::DATE, $last::DATE + INTERVAL 1 DAY, INTERVAL 1 DAY)),
                 grid AS (SELECT r.channel, coalesce(cd.followers_new, 0) AS f
                          FROM r CROSS JOIN days
                          LEFT JOIN channel_daily cd ON cd.channel = r.channel AND cd.date = days.date),
                 stab AS (SELECT channel, count(*) AS days, avg(f) AS mean_daily, stddev_pop(f) AS sd,
                                 avg(CASE WHEN f > 0 THEN 1.0 ELSE 0.0 END) AS active_share
                          FROM grid GROUP BY channel),
                 base AS (
                     SELECT n.channel, ch.kind, r.followers,
                            r.followers / NULLIF(sum(r.followers) OVER (), 0) AS share,
                            sp.spend, sp.spend / NULLIF(r.followers, 0) AS cost_per_follower,
                            r.registrations, r.registrations / NULLIF(r.followers, 0) AS reg_conversion,
                            r.orders, r.orders / NULLIF(r.registrations, 0) AS order_conversion,
                            st.days, st.mean_daily,
                            CASE WHEN st.mean_daily > 0 THEN st.sd / st.mean_daily END AS cv,
                            st.active_share,
                            CASE WHEN st.mean_daily > 0 THEN 100 * st.active_share / (1 + st.sd / st.mean_daily)
                                 WHEN st.days > 0 THEN 0 END AS stability,
                            coalesce(sp.spend, 0) > 0 AS paid
                     FROM names n
                     LEFT JOIN channels ch USING (channel)
                     LEFT JOIN r USING (channel)
                     LEFT JOIN spend_c sp USING (channel)
                     LEFT JOIN stab st USING (channel)),
                 board AS (SELECT sum(spend) FILTER (WHERE paid AND followers > 0)
                                  / NULLIF(sum(followers) FILTER (WHERE paid AND followers > 0), 0) AS cpf
                           FROM base),
                 scored AS (
                     SELECT base.*, board.cpf,
                            CASE WHEN paid THEN coalesce(board.cpf / NULLIF(cost_per_follower, 0), 0) END AS cost_advantage
                     FROM base CROSS JOIN board)
            SELECT channel, kind, followers, share, spend, cost_per_follower, registrations, reg_conversion,
                   orders, order_conversion, days, mean_daily, cv, active_share, stability, paid,
                   cost_advantage, stability * cost_advantage AS score, cpf AS board_cost_per_follower
            FROM scored
            ORDER BY score DESC NULLS LAST, stability DESC NULLS LAST, followers DESC NULLS LAST, channel""",
        {"start": start, "end": end, "last": last}).df()


def channel_table(con, start: dt.date, end: dt.date, prev_start: dt.date, prev_end: dt.date) -> pd.DataFrame:
    """``channel_figures`` of the period with the previous period's followers, cost per
    follower, registrations, orders and stability beside it (``prev_*``) and the change in
    follows (``followers_change``, a fraction; None when the previous period had none)."""
    cur = channel_figures(con, start, end)
    prev = channel_figures(con, prev_start, prev_end)
    keep = ["followers", "cost_per_follower", "registrations", "orders", "stability"]
    prev = prev[["channel", *keep]].rename(columns={c: f"prev_{c}" for c in keep})
    merged = cur.merge(prev, on="channel", how="left")
    merged = merged.astype(object).where(merged.notna(), None)
    merged["followers_change"] = pd.Series(
        [(f - p) / p if f is not None and p not in (None, 0) else None
         for f, p in zip(merged["followers"], merged["prev_followers"])], index=merged.index, dtype=object)
    return merged


def daily_inflow(con, start: dt.date, end: dt.date) -> pd.DataFrame:
    """(date, channel, followers_new) for every day of the period up to the latest day
    with figures and every channel with figures; a day without figures is 0."""
    last = data_end(con, start, end)
    if last is None:
        return pd.DataFrame(columns=["date", "channel", "followers_new"])
    return con.execute(
        """WITH days AS (SELECT range::DATE AS date FROM range(?::DATE, ?::DATE + INTERVAL 1 DAY, INTERVAL 1 DAY)),
                ch AS (SELECT DISTINCT channel FROM channel_daily WHERE date BETWEEN ? AND ?)
           SELECT days.date, ch.channel, coalesce(cd.followers_new, 0) AS followers_new
           FROM ch CROSS JOIN days
           LEFT JOIN channel_daily cd ON cd.channel = ch.channel AND cd.date = days.date
           ORDER BY days.date, ch.channel""", [start, last, start, last]).df()


def weekly_follows(con, end: dt.date, weeks: int = 8) -> pd.DataFrame:
    """(week, channel, followers) for the ``weeks`` Monday–Sunday weeks up to the week of ``end``."""
    last_monday = end - dt.timedelta(days=end.weekday())
    first = last_monday - dt.timedelta(weeks=weeks - 1)
    return con.execute(
        """SELECT date_trunc('week', date)::DATE AS week, channel, sum(followers_new) AS followers
           FROM channel_daily WHERE date BETWEEN ? AND ?
           GROUP BY ALL ORDER BY week, channel""", [first, end]).df()


@dataclass(frozen=True)
class Recommendation:
    """The burst point and where money should move from, with the figures behind them."""
    burst: dict | None       # a row of channel_figures
    move_from: dict | None   # the lowest-scoring paid channel, if it is not the burst point
    basis: str               # 'cost_and_stability' (paid channels) or 'stability' (no spend recorded)
    board_cost_per_follower: float | None

    @property
    def followers_per_1000_to(self) -> float | None:
        """New follows ¥1,000 buys in the burst point at its cost per follower."""
        return _per_1000(self.burst)

    @property
    def followers_per_1000_from(self) -> float | None:
        return _per_1000(self.move_from)


def _per_1000(row: dict | None) -> float | None:
    if not row or not row.get("cost_per_follower"):
        return None
    return 1000.0 / row["cost_per_follower"]


def _rows(frame: pd.DataFrame) -> list[dict]:
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict("records")


def recommend(figures: pd.DataFrame) -> Recommendation:
    """Pick the burst point and the channel to move money from out of ``channel_figures``.

    Candidates for the burst point bring at least ``BURST_MIN_SHARE`` of the follows; among
    paid ones, steady channels (stability ≥ ``STEADY_FROM``) come first, and the best score
    wins. Money moves from the lowest-scoring paid channel scoring below the burst point."""
    rows = _rows(figures)
    big = [r for r in rows if r["followers"] and (r["share"] or 0) >= BURST_MIN_SHARE and r["stability"] is not None]
    paid = [r for r in big if r["paid"] and r["score"] is not None]
    paid_all = [r for r in rows if r["paid"] and r["score"] is not None]
    board = rows[0]["board_cost_per_follower"] if rows else None
    if paid:
        steady = [r for r in paid if r["stability"] >= STEADY_FROM] or paid
        burst = max(steady, key=lambda r: (r["score"], r["stability"], r["followers"]))
        others = [r for r in paid_all if r["channel"] != burst["channel"] and r["score"] < burst["score"]]
        move_from = min(others, key=lambda r: (r["score"], -(r["spend"] or 0))) if others else None
        return Recommendation(burst, move_from, "cost_and_stability", board)
    if big:
        burst = max(big, key=lambda r: (r["stability"], r["followers"]))
        return Recommendation(burst, None, "stability", board)
    return Recommendation(None, None, "stability", board)


def recommendation(con, start: dt.date, end: dt.date) -> Recommendation:
    """The burst point and where to move money for the period."""
    return recommend(channel_figures(con, start, end))


@dataclass(frozen=True)
class BestAndWorst:
    """For the stand-up: the burst point (best) and the channel to move money from (worst)."""
    best: dict | None    # channel, followers, share, spend, cost_per_follower, stability, score, ...
    worst: dict | None


def best_and_worst(con, start: dt.date, end: dt.date) -> BestAndWorst:
    """The best channel of the period (the burst point) and the worst (lowest-scoring paid
    channel; without spend, the least stable channel with figures)."""
    figures = channel_figures(con, start, end)
    rec = recommend(figures)
    worst = rec.move_from
    if worst is None:
        candidates = [r for r in _rows(figures) if r["stability"] is not None
                      and (rec.burst is None or r["channel"] != rec.burst["channel"])]
        worst = min(candidates, key=lambda r: (r["stability"], r["followers"] or 0)) if candidates else None
    return BestAndWorst(rec.burst, worst)


def traffic_sources(con, start: dt.date, end: dt.date, prev_start: dt.date, prev_end: dt.date) -> pd.DataFrame:
    """Platforms' own traffic sources (traffic_daily): readers and reads per platform,
    account and source, each source's share of the account's readers and reads, and the
    previous period's figures with the change. De-duplicated totals ('全部') are left out,
    never added to their parts."""
    return con.execute(
        f"""WITH cur AS (SELECT platform, account, source, sum(readers) AS readers, sum(reads) AS reads
                         FROM traffic_daily WHERE date BETWEEN $start AND $end
                           AND lower(trim(source)) NOT IN {TOTAL_SOURCES!r} GROUP BY ALL),
                 prev AS (SELECT platform, account, source, sum(readers) AS prev_readers, sum(reads) AS prev_reads
                          FROM traffic_daily WHERE date BETWEEN $ps AND $pe
                            AND lower(trim(source)) NOT IN {TOTAL_SOURCES!r} GROUP BY ALL)
            SELECT cur.platform, cur.account, cur.source, cur.readers, cur.reads,
                   cur.readers / NULLIF(sum(cur.readers) OVER (PARTITION BY cur.platform, cur.account), 0)
                       AS share_readers,
                   cur.reads / NULLIF(sum(cur.reads) OVER (PARTITION BY cur.platform, cur.account), 0) AS share,
                   prev.prev_readers, prev.prev_reads,
                   (cur.readers - prev.prev_readers) / NULLIF(prev.prev_readers, 0) AS readers_change,
                   (cur.reads - prev.prev_reads) / NULLIF(prev.prev_reads, 0) AS reads_change
            FROM cur LEFT JOIN prev USING (platform, account, source)
            ORDER BY cur.platform, cur.account, coalesce(cur.reads, cur.readers) DESC NULLS LAST, cur.source""",
        {"start": start, "end": end, "ps": prev_start, "pe": prev_end}).df()
