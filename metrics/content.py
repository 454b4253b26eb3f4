"""Content performance: per-post rates, benchmarks, formats, timing, new vs returning users.

Definitions (PRODUCT.md, shown on the Content view with their denominators):

* read (open) rate = reads from the account's message (``message_reads``) ÷ ``delivered``;
* forward rate = ``shares`` ÷ article ``readers``; favourite rate = ``favorites`` ÷ ``readers``;
  original-page rate = ``original_page_reads`` ÷ ``readers``;
* engagement rate = (likes + comments + shares + favourites) ÷ ``views``;
* follow conversion of a post = ``followers_new`` (follows it brought) ÷ ``views``.

A group's rate is the ratio of its sums, over the posts that give both figures.
A post belongs to the period in which it was published.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

READ_RATE_BENCHMARK = 0.15
FORWARD_RATE_BENCHMARK = 0.05
SIGNAL_READS_MULTIPLE = 2.0      # "twice the reads" of the account's median post
SIGNAL_CONVERSION_MARGIN = 1.1   # "about the same conversion": at most 10 % above the account's
SIGNAL_MIN_POSTS = 3             # posts an account needs in the period for a median
TIMING_WEEKS = 12
TIMING_MIN_POSTS = 3
GROUPINGS = ("format", "is_original", "platform", "account")

INTERACTIONS = """CASE WHEN likes IS NULL AND comments IS NULL AND shares IS NULL AND favorites IS NULL THEN NULL
    ELSE coalesce(likes, 0) + coalesce(comments, 0) + coalesce(shares, 0) + coalesce(favorites, 0) END"""

# name -> (numerator, denominator)
RATES = {
    "read_rate": ("message_reads", "delivered"),
    "forward_rate": ("shares", "readers"),
    "favourite_rate": ("favorites", "readers"),
    "original_page_rate": ("original_page_reads", "readers"),
    "engagement_rate": (f"({INTERACTIONS})", "views"),
    "follow_conversion": ("followers_new", "views"),
}

_IN_PERIOD = "published_at >= $start AND published_at < $end::DATE + INTERVAL 1 DAY"
_PLATFORM = "($platform IS NULL OR platform = $platform)"


def _ratio_sql(num: str, den: str) -> str:
    both = f"{num} IS NOT NULL AND {den} IS NOT NULL"
    return (f"sum({num}) FILTER (WHERE {both}) / "
            f"NULLIF(sum({den}) FILTER (WHERE {both}), 0)")


def _params(start, end, platform=None, **more) -> dict:
    return {"start": start, "end": end, "platform": platform, **more}


# Orders the post list can be sorted by: name -> SQL expression (highest first unless ascending).
POST_SORTS = {
    "views": "views",
    "published_at": "published_at",
    "engagement_rate": "engagement_rate",
    "read_rate": "read_rate",
    "forward_rate": "forward_rate",
    "follow_conversion": "follow_conversion",
}


def _post_filter(search: str | None) -> str:
    return (f"{_IN_PERIOD} AND {_PLATFORM}"
            + (" AND (title ILIKE $search ESCAPE '\\' OR account ILIKE $search ESCAPE '\\'"
               " OR post_id ILIKE $search ESCAPE '\\')" if search else ""))


def _search_param(search: str | None) -> str | None:
    if not search:
        return None
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def post_table(con, start: dt.date, end: dt.date, platform: str | None = None, sort: str = "views",
               ascending: bool = False, search: str | None = None, limit: int | None = None,
               offset: int = 0) -> pd.DataFrame:
    """The posts published in the period (optionally on one platform, or whose title, account
    or id contains ``search``) with their figures and rates, ordered by ``sort`` (one of
    ``POST_SORTS``; most viewed first by default; missing values last either way) and cut to
    ``limit`` rows from ``offset`` (the sorting and the cut run in the store)."""
    if sort not in POST_SORTS:
        raise ValueError(f"post_table: sort must be one of {tuple(POST_SORTS)}, got {sort!r}")
    rates = ",\n".join(f"{num} / NULLIF({den}, 0) AS {name}" for name, (num, den) in RATES.items())
    order = f"{POST_SORTS[sort]} {'ASC' if ascending else 'DESC'} NULLS LAST, published_at DESC, post_id"
    cut = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
    params = _params(start, end, platform)
    if search:
        params["search"] = _search_param(search)
    return con.execute(
        f"""SELECT platform, account, post_id, published_at, title, format, is_original, url,
                   views, readers, delivered, message_reads, likes, comments, shares, favorites,
                   followers_new, {INTERACTIONS} AS interactions,
                   {rates}
            FROM posts WHERE {_post_filter(search)}
            ORDER BY {order}{cut}""", params).df()


def post_count(con, start: dt.date, end: dt.date, platform: str | None = None, search: str | None = None) -> int:
    """How many posts ``post_table`` lists without a limit."""
    params = _params(start, end, platform)
    if search:
        params["search"] = _search_param(search)
    return con.execute(f"SELECT count(*) FROM posts WHERE {_post_filter(search)}", params).fetchall()[0][0]


def rates_by(con, start: dt.date, end: dt.date, by: str | None = None,
             platform: str | None = None) -> pd.DataFrame:
    """Posts, views and every rate as the ratio of sums, per ``by`` (format, is_original,
    platform or account) or for all posts (``by=None``), with the denominators used."""
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"rates_by: by must be one of {GROUPINGS} or None, got {by!r}")
    key = f"{by} AS grp," if by else "'all' AS grp,"
    rates = ",\n".join(f"{_ratio_sql(num, den)} AS {name}" for name, (num, den) in RATES.items())
    dens = ",\n".join(
        f"sum({den}) FILTER (WHERE {num} IS NOT NULL AND {den} IS NOT NULL) AS {name}_base"
        for name, (num, den) in RATES.items())
    return con.execute(
        f"""SELECT {key} count(*) AS posts, sum(views) AS views, {rates}, {dens}
            FROM posts WHERE {_IN_PERIOD} AND {_PLATFORM}
            GROUP BY grp ORDER BY views DESC NULLS LAST, grp""", _params(start, end, platform)).df()


def rates_compared(con, start: dt.date, end: dt.date, prev_start: dt.date, prev_end: dt.date,
                   by: str | None = None, platform: str | None = None) -> pd.DataFrame:
    """``rates_by`` for the period with the previous period's posts, views and rates
    beside it (``prev_*`` columns)."""
    cur = rates_by(con, start, end, by, platform)
    prev = rates_by(con, prev_start, prev_end, by, platform)
    keep = ["posts", "views", *RATES]
    prev = prev[["grp", *keep]].rename(columns={c: f"prev_{c}" for c in keep})
    merged = cur.merge(prev, on="grp", how="outer")
    merged = merged.sort_values(["views", "prev_views"], ascending=False, na_position="last")
    return merged.astype(object).where(merged.notna(), None).reset_index(drop=True)


def overall_rates(con, start: dt.date, end: dt.date, platform: str | None = None) -> dict:
    """The rates of all posts of the period (ratio of sums) with their denominators."""
    frame = rates_by(con, start, end, None, platform)
    if frame.empty:
        return {}
    row = frame.astype(object).where(frame.notna(), None).iloc[0].to_dict()
    return row


_SIGNAL_BASE = f"""
    WITH p AS (SELECT * FROM posts WHERE {_IN_PERIOD} AND {_PLATFORM} AND views IS NOT NULL),
         acc AS (SELECT platform, account, count(*) AS posts, median(views) AS median_views,
                        {_ratio_sql('followers_new', 'views')} AS account_conversion
                 FROM p GROUP BY platform, account HAVING count(*) >= $min_posts),
         s AS (SELECT p.platform, p.account, p.post_id, p.published_at, p.title, p.format, p.views,
                      acc.median_views, p.views / NULLIF(acc.median_views, 0) AS reads_multiple,
                      p.followers_new, p.followers_new / NULLIF(p.views, 0) AS follow_conversion,
                      acc.account_conversion,
                      CASE p.format WHEN 'images' THEN 'video' WHEN 'video' THEN 'rework_video'
                           ELSE 'images_or_video' END AS suggestion
               FROM p JOIN acc USING (platform, account)
               WHERE p.followers_new IS NOT NULL AND acc.account_conversion IS NOT NULL
                 AND p.views >= $multiple * acc.median_views
                 AND p.followers_new / NULLIF(p.views, 0) <= $margin * acc.account_conversion)"""


def _signal_params(start, end, platform) -> dict:
    return _params(start, end, platform, min_posts=SIGNAL_MIN_POSTS, multiple=SIGNAL_READS_MULTIPLE,
                   margin=SIGNAL_CONVERSION_MARGIN)


def format_signals(con, start: dt.date, end: dt.date, platform: str | None = None, limit: int | None = None,
                   offset: int = 0) -> pd.DataFrame:
    """Posts whose reads are at least twice their account's median post in the period but
    whose follow conversion is no more than 10 % above the account's (ratio of sums):
    the reads did not convert, so the format should change. ``suggestion`` is
    'images_or_video' (text or unknown), 'video' (images) or 'rework_video' (video).
    Highest reads multiple first, cut to ``limit`` rows from ``offset``."""
    cut = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return con.execute(f"{_SIGNAL_BASE} SELECT * FROM s ORDER BY reads_multiple DESC, views DESC, post_id{cut}",
                       _signal_params(start, end, platform)).df()


def signal_count(con, start: dt.date, end: dt.date, platform: str | None = None) -> int:
    """How many posts ``format_signals`` lists without a limit."""
    return con.execute(f"{_SIGNAL_BASE} SELECT count(*) FROM s", _signal_params(start, end, platform)).fetchall()[0][0]


def has_post_conversion(con, start: dt.date, end: dt.date, platform: str | None = None) -> bool:
    """Whether any post of the period gives the follows it brought (needed for the signal)."""
    return con.execute(f"SELECT count(*) FROM posts WHERE {_IN_PERIOD} AND {_PLATFORM} AND followers_new IS NOT NULL",
                       _params(start, end, platform)).fetchall()[0][0] > 0


def timing_window(end: dt.date) -> tuple[dt.date, dt.date]:
    """The ``TIMING_WEEKS`` weeks ending on ``end`` used for the best publishing time."""
    return end - dt.timedelta(weeks=TIMING_WEEKS) + dt.timedelta(days=1), end


_TIMING_BASE = f"""
    WITH p AS (SELECT platform, account, published_at, views FROM posts
               WHERE {_IN_PERIOD} AND {_PLATFORM} AND published_at IS NOT NULL AND views IS NOT NULL),
         usual AS (SELECT platform, account, median(views) AS usual FROM p GROUP BY ALL),
         q AS (SELECT p.*, usual.usual, isodow(published_at) AS weekday, hour(published_at) AS hour
               FROM p JOIN usual USING (platform, account))"""


def timing_summary(con, end: dt.date, platform: str | None = None) -> tuple[pd.DataFrame, dict]:
    """``timing`` and ``best_times`` from one pass over the ``TIMING_WEEKS`` weeks up to ``end``
    (GROUPING SETS: weekday × hour, weekday, hour and all posts)."""
    start, end = timing_window(end)
    rows = con.execute(
        f"""{_TIMING_BASE}
            SELECT grouping(weekday, hour) AS level, weekday, hour, count(*) AS posts,
                   sum(views) / count(*) AS views_per_post, sum(views) / NULLIF(sum(usual), 0) AS lift
            FROM q GROUP BY GROUPING SETS ((weekday, hour), (weekday), (hour), ())
            ORDER BY level, weekday, hour""", _params(start, end, platform)).fetchall()
    grid = pd.DataFrame([r[1:] for r in rows if r[0] == 0],
                        columns=["weekday", "hour", "posts", "views_per_post", "lift"])
    best: dict = {"posts": sum(r[3] for r in rows if r[0] == 3)}
    for slot, level, position in (("weekday", 1, 1), ("hour", 2, 2)):
        candidates = [(r[position], r[5], r[3]) for r in rows if r[0] == level and r[3] >= TIMING_MIN_POSTS]
        # highest lift first (missing last), then more posts, then the earlier slot
        candidates.sort(key=lambda c: (c[1] is None, -(c[1] or 0.0), -c[2], c[0]))
        value, lift, posts = candidates[0] if candidates else (None, None, None)
        best.update({slot: value, f"{slot}_lift": lift, f"{slot}_posts": posts})
    return grid, best


def timing(con, end: dt.date, platform: str | None = None) -> pd.DataFrame:
    """Per ISO weekday (1 = Monday) and hour of publication over the ``TIMING_WEEKS`` weeks
    up to ``end``: posts, views per post and the reads lift = Σ views ÷ Σ the median views of
    each post's account (1.0 = as usual; platform-neutral, a ratio of sums)."""
    return timing_summary(con, end, platform)[0]


def best_times(con, end: dt.date, platform: str | None = None) -> dict:
    """The weekday and the hour with the highest reads lift among those with at least
    ``TIMING_MIN_POSTS`` posts in the ``TIMING_WEEKS`` weeks up to ``end``: keys weekday,
    weekday_lift, weekday_posts, hour, hour_lift, hour_posts, posts (all None if too few)."""
    return timing_summary(con, end, platform)[1]


def new_vs_returning(con, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per date (all business accounts summed): new users = registrations; returning users
    = active users − registrations (active users who did not register that day, never
    below zero). Only days that give both figures."""
    return con.execute(
        """SELECT date, sum(registrations) AS new_users,
                  greatest(sum(active_users) - sum(registrations), 0) AS returning_users,
                  sum(active_users) AS active_users
           FROM business_daily
           WHERE date BETWEEN ? AND ? AND registrations IS NOT NULL AND active_users IS NOT NULL
           GROUP BY date ORDER BY date""", [start, end]).df()


def platforms(con) -> list[str]:
    """The platforms that have posts in the store."""
    return [r[0] for r in con.execute("SELECT DISTINCT platform FROM posts WHERE platform IS NOT NULL ORDER BY 1").fetchall()]
