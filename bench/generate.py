"""A deterministic benchmark workspace, written straight into a store with set-based SQL.

    python bench/generate.py --scale team|agency|group [--out DIR] [--exports-only] [--smoke]

Scales (accounts × days of history, ending the day before ``TODAY``):

* team — 10 accounts × 1 year;
* agency — 200 accounts × 3 years;
* group — 2,000 accounts × 5 years (1,826 days: ≈ 3.65 M account-days).

Every relation is written the way imports leave it: rows in the history table ``R_facts``
and the current table ``R`` under the id of a synthetic batch (one per account and month,
like monthly exports; one per month for the channel report and the spend ledger), each batch
with its ``imports`` row (file name, SHA-256, fields, row count, origin ``bench``), and rows
inserted in import order (month by month), as real imports append them. Posts run at about
ten per account a week; spend, channel results, business figures and traffic sources are in
proportion (one channel and one business account per ten accounts, traffic sources for one
account in ten). The plan follows: phases over the whole history (seed, initial, then
quarters), channels, budget lines (one per channel and phase, plus tools and salaries),
goals (per phase: followers, new follows split across the platforms, registrations, order
conversion with a floor, cost per follower, spend, Weibo posts a day, WeChat open rate, one
account goal per 200 accounts; per month: net-follow growth and orders with a weekday split;
the ultimate goal on the current phase), roles with KPI sets, people (six in ten accounts,
holding the accounts and channels), personal KPI sets, manual inputs and the bonus rule.

Figures come from DuckDB's ``hash`` of the entity and day, so the same scale always gives
the same store. The export files for the import benchmark (a WeChat article list and a team
channel report as CSV, 100k rows each, and a Douyin work list as XLSX, 50k rows; small ones
with ``--smoke``) are written in the platforms' real layouts.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from store import connection  # noqa: E402

OUT = ROOT / "bench" / "out"
TODAY = dt.date(2026, 11, 16)            # a Monday: last week (9–15 November) is complete
LAST_DAY = TODAY - dt.timedelta(days=1)
PLATFORMS = ("wechat", "weibo", "douyin", "xiaohongshu", "bilibili")
CHANNEL_KINDS = ("weibo_drive", "local_groups", "small_accounts", "own_groups", "weekly_event", "local_media",
                 "offline", "conference", "alliance", "pr")
CHANNEL_NAMES = ("Weibo drive", "Local WeChat groups", "Small personal accounts", "Own official groups",
                 "Weekly event", "Local accounts & communities", "Offline promotion", "Conferences", "Alliances",
                 "PR")
TOPICS = ("周末探店", "本地必吃榜", "新店开业", "会员日福利", "夜宵地图", "早餐合集", "亲子餐厅", "咖啡指南",
          "火锅测评", "外卖红包", "城市美食节", "隐藏小馆", "一人食", "家庭聚餐", "下午茶")

# account_daily and posts columns each platform's exports give (the rest stay NULL).
AD_FIELDS = {
    "wechat": ("followers_new", "followers_lost", "followers_net", "followers_total", "posts", "views", "shares",
               "favorites"),
    "weibo": ("followers_new", "followers_lost", "followers_net", "followers_total", "posts", "views", "likes",
              "comments", "shares"),
    "douyin": ("followers_new", "followers_lost", "followers_net", "followers_total", "posts", "impressions",
               "views", "likes", "comments", "shares", "favorites"),
    "xiaohongshu": ("followers_new", "followers_lost", "followers_net", "followers_total", "posts", "impressions",
                    "views", "likes", "comments", "shares", "favorites"),
    "bilibili": ("followers_new", "followers_lost", "followers_net", "followers_total", "posts", "views", "likes",
                 "comments", "shares", "favorites"),
}
POST_FIELDS = {
    "wechat": ("published_at", "title", "format", "url", "is_original", "views", "readers", "shares", "favorites",
               "followers_new", "delivered", "message_reads", "original_page_reads", "completion_rate"),
    "weibo": ("published_at", "title", "format", "url", "is_original", "views", "likes", "comments", "shares"),
    "douyin": ("published_at", "title", "format", "views", "likes", "comments", "shares", "favorites",
               "followers_new", "completion_rate", "avg_view_seconds"),
    "xiaohongshu": ("published_at", "title", "format", "impressions", "views", "likes", "comments", "shares",
                    "favorites", "followers_new", "avg_view_seconds"),
    "bilibili": ("published_at", "title", "format", "views", "likes", "comments", "shares", "favorites"),
}


@dataclass(frozen=True)
class Scale:
    name: str
    accounts: int
    days: int

    @property
    def first_day(self) -> dt.date:
        return LAST_DAY - dt.timedelta(days=self.days - 1)

    @property
    def channels(self) -> int:
        return max(10, self.accounts // 10)

    @property
    def business_accounts(self) -> int:
        return max(1, self.accounts // 10)

    @property
    def people(self) -> int:
        return max(6, round(self.accounts * 0.6))

    @property
    def account_goals(self) -> int:
        return self.accounts // 200


SCALES = {s.name: s for s in (Scale("team", 10, 365), Scale("agency", 200, 1095), Scale("group", 2000, 1826))}


def store_path(scale: str, out: Path = OUT) -> Path:
    return out / f"{scale}.duckdb"


# ------------------------------------------------------------------ figures
def _q(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _list(values) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def _macros(con) -> None:
    con.execute("""
        CREATE OR REPLACE TEMP MACRO rnd(a, b, salt) AS (hash(a, b, salt) % 1000003) / 1000003.0;
        CREATE OR REPLACE TEMP MACRO wk(day) AS [1.0, 1.05, 1.0, 1.1, 1.15, 0.8, 0.75][isodow(day)];
    """)


def _entities(con, s: Scale) -> None:
    platforms = _list(PLATFORMS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE b_days AS
        SELECT d::INTEGER AS d, (DATE '{s.first_day}' + d::INTEGER) AS date,
               datediff('month', DATE '{s.first_day}', DATE '{s.first_day}' + d::INTEGER) AS m
        FROM range({s.days}) t(d);
        CREATE OR REPLACE TEMP TABLE b_accounts AS
        SELECT a::INTEGER AS a, {platforms}[(a % 5) + 1] AS platform,
               'Bench ' || lpad(CAST(a AS VARCHAR), 4, '0') || ' ' ||
                 ['订阅号', '微博', '抖音', '小红书', 'B站'][(a % 5) + 1] AS account,
               20 + (hash(a, 'new') % 280) AS base_new,
               1000 + (hash(a, 'tot') % 150000) AS start_total,
               (hash(a, 'trend') % 100) / 100.0 AS trend
        FROM range({s.accounts}) t(a);
        CREATE OR REPLACE TEMP TABLE b_channels AS
        SELECT c::INTEGER AS c,
               {_list(CHANNEL_NAMES)}[(c % 10) + 1] || CASE WHEN c >= 10 THEN ' ' || lpad(CAST(c // 10 AS VARCHAR), 3, '0')
                                                           ELSE '' END AS channel,
               {_list(CHANNEL_KINDS)}[(c % 10) + 1] AS kind,
               5 + (hash(c, 'ch') % 60) AS base_follows,
               150 + (hash(c, 'cost') % 900) AS base_cost
        FROM range({s.channels}) t(c);
    """)


def _col(platform_fields: dict[str, tuple[str, ...]], name: str, expr: str) -> str:
    """``expr`` for the platforms that give column ``name``, NULL for the others."""
    given = [p for p, fields in platform_fields.items() if name in fields]
    if len(given) == len(platform_fields):
        return expr
    return f"CASE WHEN platform IN ({', '.join(_q(p) for p in given)}) THEN {expr} END"


def _account_daily(con, s: Scale) -> None:
    c = lambda name, expr: _col(AD_FIELDS, name, expr)  # noqa: E731
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE g_ad AS
        WITH base AS (
            SELECT a.a, a.platform, a.account, d.d, d.date, d.m, a.start_total,
                   CAST(round(a.base_new * wk(d.date) * (1 + a.trend * d.d / {s.days})
                              * (0.55 + 0.9 * rnd(a.a, d.d, 1))) AS BIGINT) AS fnew,
                   CAST(round(rnd(a.a, d.d, 2) * 2.86) AS BIGINT) AS n_posts,
                   rnd(a.a, d.d, 3) AS r3, rnd(a.a, d.d, 4) AS r4
            FROM b_days d CROSS JOIN b_accounts a),
        flows AS (
            SELECT *, CAST(round(fnew * (0.05 + 0.15 * r3)) AS BIGINT) AS flost FROM base),
        totals AS (
            SELECT *, start_total + sum(fnew - flost) OVER (PARTITION BY a ORDER BY d) AS total FROM flows)
        SELECT a, platform, account, date, m, n_posts,
               fnew AS followers_new, flost AS followers_lost, fnew - flost AS followers_net,
               CAST(total AS BIGINT) AS followers_total, n_posts AS posts,
               {c('impressions', 'CAST(round(total * (0.1 + 0.3 * r4)) AS BIGINT)')} AS impressions,
               CAST(round(total * (0.02 + 0.06 * r4) * (0.4 + 0.6 * least(n_posts, 1))) AS BIGINT) AS views,
               {c('likes', 'CAST(round(total * (0.02 + 0.06 * r4) * 0.04 * r3) AS BIGINT)')} AS likes,
               {c('comments', 'CAST(round(total * (0.02 + 0.06 * r4) * 0.006 * r3) AS BIGINT)')} AS comments,
               CAST(round(total * (0.02 + 0.06 * r4) * 0.01 * (0.5 + r3)) AS BIGINT) AS shares,
               {c('favorites', 'CAST(round(total * (0.02 + 0.06 * r4) * 0.008 * r3) AS BIGINT)')} AS favorites,
               CAST(NULL AS BIGINT) AS profile_views, CAST(NULL AS BIGINT) AS engagements
        FROM totals""")


def _posts(con) -> None:
    c = lambda name, expr: _col(POST_FIELDS, name, expr)  # noqa: E731
    topics = _list(TOPICS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE g_posts AS
        WITH p AS (
            SELECT ad.a, ad.platform, ad.account, ad.date, ad.m, ad.followers_total, ad.views AS day_views,
                   ad.n_posts, k.k::INTEGER AS k
            FROM g_ad ad, LATERAL (SELECT unnest(range(ad.n_posts)) AS k) k
            WHERE ad.n_posts > 0),
        r AS (
            SELECT *, rnd(a, datediff('day', DATE '2000-01-01', date) * 4 + k, 11) AS r1,
                      rnd(a, datediff('day', DATE '2000-01-01', date) * 4 + k, 12) AS r2,
                      CAST(round(day_views / n_posts * (0.4 + 1.4 * rnd(a, datediff('day', DATE '2000-01-01', date) * 4 + k, 13))
                                 * CASE WHEN rnd(a, datediff('day', DATE '2000-01-01', date) * 4 + k, 14) > 0.97 THEN 4 ELSE 1 END)
                           AS BIGINT) AS v
            FROM p)
        SELECT a, platform, account, m,
               account || '-' || strftime(date, '%Y%m%d') || '-' || k AS post_id,
               date + INTERVAL (8 + CAST(floor(r1 * 14) AS INTEGER)) HOUR
                    + INTERVAL (CAST(floor(r2 * 60) AS INTEGER)) MINUTE AS published_at,
               {topics}[CAST(floor(r1 * 15) AS INTEGER) + 1] || '｜' || strftime(date, '%m月%d日') || ' 第' || (k + 1) || '篇'
                   AS title,
               CASE platform WHEN 'douyin' THEN CASE WHEN r2 < 0.85 THEN 'video' ELSE 'images' END
                             WHEN 'bilibili' THEN 'video'
                             WHEN 'wechat' THEN CASE WHEN r2 < 0.7 THEN 'text' ELSE 'images' END
                             ELSE ['text', 'images', 'video'][CAST(floor(r2 * 3) AS INTEGER) + 1] END AS format,
               {c('url', "'https://example.com/' || platform || '/' || a || '/' || strftime(date, '%Y%m%d') || k")} AS url,
               {c('is_original', 'r1 < 0.8')} AS is_original,
               {c('impressions', 'v * 6')} AS impressions,
               v AS views,
               {c('readers', 'CAST(round(v * 0.8) AS BIGINT)')} AS readers,
               CAST(NULL AS BIGINT) AS reach,
               {c('likes', 'CAST(round(v * 0.04 * r2) AS BIGINT)')} AS likes,
               {c('comments', 'CAST(round(v * 0.006 * r1) AS BIGINT)')} AS comments,
               CAST(round(v * 0.02 * (0.3 + r2)) AS BIGINT) AS shares,
               {c('favorites', 'CAST(round(v * 0.012 * r1) AS BIGINT)')} AS favorites,
               {c('followers_new', 'CAST(round(v * (0.002 + 0.01 * r2)) AS BIGINT)')} AS followers_new,
               {c('delivered', 'followers_total')} AS delivered,
               {c('message_reads', 'CAST(round(followers_total * (0.06 + 0.14 * r1)) AS BIGINT)')} AS message_reads,
               {c('original_page_reads', 'CAST(round(v * 0.02 * r1) AS BIGINT)')} AS original_page_reads,
               {c('completion_rate', 'round(0.2 + 0.5 * r2, 4)')} AS completion_rate,
               {c('avg_view_seconds', 'round(4 + 40 * r1, 1)')} AS avg_view_seconds
        FROM r""")


def _business(con, s: Scale) -> None:
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE g_bd AS
        WITH base AS (
            SELECT b::INTEGER AS a, 'team' AS platform, 'Bench ' || lpad(CAST(b AS VARCHAR), 3, '0') || ' 服务号' AS account,
                   d.d, d.date, d.m,
                   CAST(round((300 + hash(b, 'vis') % 2000) * wk(d.date) * (1 + d.d / {s.days})
                              * (0.6 + 0.8 * rnd(b, d.d, 21))) AS BIGINT) AS visitors,
                   rnd(b, d.d, 22) AS r1, rnd(b, d.d, 23) AS r2
            FROM range({s.business_accounts}) t(b) CROSS JOIN b_days d),
        f AS (SELECT *, CAST(round(visitors * (0.3 + 0.15 * r1)) AS BIGINT) AS registrations,
                        CAST(round(visitors * (0.06 + 0.05 * r2)) AS BIGINT) AS orders FROM base)
        SELECT a, platform, account, date, m, visitors, registrations,
               CAST(round((5000 + sum(registrations) OVER (PARTITION BY a ORDER BY d)) * (0.12 + 0.08 * r2)) AS BIGINT)
                   AS active_users,
               CAST(5000 + sum(registrations) OVER (PARTITION BY a ORDER BY d) AS BIGINT) AS total_users,
               orders, round(orders * (38 + 14 * r1), 2) AS gmv
        FROM f""")


def _channels(con, s: Scale) -> None:
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE g_cd AS
        WITH base AS (
            SELECT c.c, c.channel, c.kind, d.d, d.date, d.m,
                   CASE WHEN c.kind IN ('weekly_event') AND isodow(d.date) <> 6 THEN 0.15
                        WHEN c.kind IN ('offline', 'conference') AND isodow(d.date) < 6 THEN 0.1
                        ELSE 1 END * c.base_follows * (1 + d.d / {s.days}) * (0.3 + 1.4 * rnd(c.c, d.d, 31)) AS f,
                   rnd(c.c, d.d, 32) AS r1, rnd(c.c, d.d, 33) AS r2
            FROM b_channels c CROSS JOIN b_days d)
        SELECT c, channel, date, m, CAST(round(f) AS BIGINT) AS followers_new,
               CAST(round(f * (0.08 + 0.22 * r1)) AS BIGINT) AS registrations,
               CAST(round(f * (0.08 + 0.22 * r1) * (0.05 + 0.2 * r2)) AS BIGINT) AS orders
        FROM base""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE g_sp AS
        SELECT * FROM (
            SELECT d.date, d.m, 'Placements: ' || c.channel AS budget_line, c.channel,
                   round(c.base_cost * (0.5 + rnd(c.c, d.d, 41)) * (1 + 0.5 * d.d / {s.days}), 2) AS amount,
                   'CNY' AS currency, 'placement' AS note, rnd(c.c, d.d, 42) AS r
            FROM b_channels c CROSS JOIN b_days d)
        WHERE r < 0.45
        UNION ALL
        SELECT date, m, 'Tools', '(none)', round(200.0 * {s.channels}, 2), 'CNY', 'subscriptions', 0 FROM b_days
        WHERE day(date) = 1
        UNION ALL
        SELECT date, m, 'Salaries', '(none)', round(9000.0 * {s.people}, 2), 'CNY', 'monthly pay', 0 FROM b_days
        WHERE day(date) = 25""")


def _traffic(con) -> None:
    con.execute("""
        CREATE OR REPLACE TEMP TABLE g_tr AS
        WITH src AS (SELECT * FROM (VALUES (0, '全部', 1.0), (1, '公众号消息', 0.56), (2, '聊天会话', 0.21),
                                           (3, '朋友圈', 0.15), (4, '推荐', 0.08)) v(i, source, share))
        SELECT ad.a, ad.platform, ad.account, ad.date, ad.m, src.source,
               CAST(round(ad.views * 0.8 * src.share * (0.85 + 0.3 * rnd(ad.a, src.i, datediff('day', DATE '2000-01-01', ad.date))))
                    AS BIGINT) AS readers,
               CAST(round(ad.views * src.share * (0.85 + 0.3 * rnd(ad.a, src.i + 10, datediff('day', DATE '2000-01-01', ad.date))))
                    AS BIGINT) AS reads
        FROM g_ad ad CROSS JOIN src
        WHERE ad.platform = 'wechat' AND ad.a % 10 = 0""")


# ------------------------------------------------------------------ writing as imports do
RELATION_ORDER = {"account_daily": 0, "posts": 1, "traffic_daily": 2, "business_daily": 3, "channel_daily": 4,
                  "spend": 5}
REPORTS = {"account_daily": "daily", "posts": "posts", "traffic_daily": "traffic", "business_daily": "business_daily",
           "channel_daily": "channel_daily", "spend": "spend_ledger"}
GENERATED = {"account_daily": "g_ad", "posts": "g_posts", "traffic_daily": "g_tr", "business_daily": "g_bd",
             "channel_daily": "g_cd", "spend": "g_sp"}


def _fields_sql(relation: str) -> str:
    """SQL giving an import's ``fields`` list (``relation.column``) from the row's platform."""
    from store.relations import RELATIONS
    if relation in ("account_daily", "posts"):
        table = AD_FIELDS if relation == "account_daily" else POST_FIELDS
        cases = " ".join(f"WHEN {_q(p)} THEN {_list(relation + '.' + f for f in fields)}"
                         for p, fields in table.items())
        return f"CASE platform {cases} END"
    return _list(f"{relation}.{f}" for f in RELATIONS[relation].fields)


def _batches(con) -> None:
    """One synthetic import per relation, entity and month, numbered in import order."""
    parts = []
    for relation, table in GENERATED.items():
        entity = "a" if relation in ("account_daily", "posts", "traffic_daily", "business_daily") else "-1"
        platform = "platform" if entity == "a" else "'team'"
        account = "account" if entity == "a" else "NULL"
        parts.append(f"""SELECT DISTINCT {_q(relation)} AS relation, {RELATION_ORDER[relation]} AS rel_order,
                                {entity} AS e, m, {platform} AS platform, {account} AS account,
                                {_fields_sql(relation)} AS fields
                         FROM {table}""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE b_batches AS
        SELECT row_number() OVER (ORDER BY m, rel_order, e) AS import_id, * FROM ({' UNION ALL '.join(parts)})""")


def _write_relation(con, s: Scale, relation: str) -> None:
    from store.relations import RELATIONS
    rel = RELATIONS[relation]
    table = GENERATED[relation]
    entity = "g.a" if relation in ("account_daily", "posts", "traffic_daily", "business_daily") else "-1"
    cols = list(rel.columns)
    select = ", ".join(f"g.{c}" if c != "source" or relation != "spend" else "'ledger' AS source" for c in cols)
    order = "g.date" if "date" in cols else "g.published_at"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE w_rows AS
        SELECT b.import_id, CAST(row_number() OVER (PARTITION BY b.import_id ORDER BY {order}) + 1 AS BIGINT) AS src_row,
               {select}
        FROM {table} g JOIN b_batches b ON b.relation = {_q(relation)} AND b.e = {entity} AND b.m = g.m
        ORDER BY b.import_id, src_row""")
    names = ", ".join(cols)
    con.execute(f"INSERT INTO {relation}_facts (import_id, src_row, {names}) SELECT import_id, src_row, {names} FROM w_rows")
    con.execute(f"INSERT INTO {relation} ({names}, import_id) SELECT {names}, import_id FROM w_rows")
    con.execute(f"""
        INSERT INTO imports (import_id, file_name, sha256, platform, report, account, target, rows, inserted, updated,
                             duplicates, fields, encoding, origin, imported_at, status)
        SELECT b.import_id,
               'bench_' || b.relation || '_' || coalesce(replace(b.account, ' ', '_') || '_', '')
                   || strftime(DATE '{s.first_day}' + to_months(CAST(b.m AS INTEGER)), '%Y%m') || '.csv',
               sha256('bench/{s.name}/' || b.import_id), b.platform, {_q(REPORTS[relation])}, b.account, b.relation,
               w.n, w.n, 0, 0, b.fields, 'utf-8', 'bench',
               CAST(least(last_day(DATE '{s.first_day}' + to_months(CAST(b.m AS INTEGER))), DATE '{LAST_DAY}')
                    + INTERVAL 1 DAY + INTERVAL 9 HOUR AS TIMESTAMP), 'active'
        FROM b_batches b JOIN (SELECT import_id, count(*) AS n FROM w_rows GROUP BY import_id) w USING (import_id)
        WHERE b.relation = {_q(relation)}""")
    con.execute("DROP TABLE w_rows")


def _restart_sequence(con, name: str, table: str, column: str) -> None:
    start = con.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchall()[0][0]
    con.execute(f"DROP SEQUENCE {name}")
    con.execute(f"CREATE SEQUENCE {name} START {start}")


# ------------------------------------------------------------------ plan
def _phases(s: Scale) -> list[tuple]:
    """(phase_id, code, name, start, end): seed 30 days, initial 92, then quarters until today is covered."""
    out, start, n = [], s.first_day, 1
    for code, name, length in (("seed", "Seed users", 30), ("initial", "Initial users", 92)):
        out.append((n, code, name, start, start + dt.timedelta(days=length - 1)))
        start += dt.timedelta(days=length)
        n += 1
    while start <= TODAY:
        end = start + dt.timedelta(days=90)
        code = "brand" if n == 3 else "custom"
        out.append((n, code, f"Brand {n - 2} ({start:%Y-%m})", start, end))
        start = end + dt.timedelta(days=1)
        n += 1
    return out


def _factor(*keys) -> float:
    """A deterministic factor in 0.85–1.2 (targets above or below what happened)."""
    h = 0
    for k in keys:
        for ch in str(k):
            h = (h * 131 + ord(ch)) % 1_000_003
    return 0.85 + 0.35 * (h % 1000) / 1000


def _write_plan(con, s: Scale) -> None:
    from metrics.goals import GOAL_COLUMNS, goal_problems
    from store import demo_team, plan_goals, plan_team
    phases = _phases(s)
    con.executemany("""INSERT INTO phases (phase_id, code, name, start_date, end_date, follower_target, budget,
                                           follower_basis) VALUES (?, ?, ?, ?, ?, NULL, NULL, 'total')""",
                    [list(p) for p in phases])
    _restart_sequence(con, "phase_id_seq", "phases", "phase_id")
    con.execute("INSERT INTO channels SELECT channel, kind, NULL, TRUE FROM b_channels ORDER BY c")
    con.execute("CREATE OR REPLACE TEMP TABLE b_phases AS SELECT phase_id, start_date, end_date FROM phases")
    # budget lines: each line's average daily spend over the history × the phase's days, ± 15 %
    con.execute(f"""
        INSERT INTO budget_lines (line_id, phase_id, item, category, channel, amount, importance, expected_followers, note)
        WITH daily AS (SELECT budget_line, any_value(channel) AS channel, sum(amount) / {s.days} AS per_day
                       FROM g_sp GROUP BY budget_line),
             lines AS (SELECT p.phase_id, d.budget_line, d.channel, d.per_day,
                              (p.end_date - p.start_date + 1) AS days FROM b_phases p CROSS JOIN daily d)
        SELECT row_number() OVER (ORDER BY phase_id, budget_line), phase_id, budget_line,
               CASE WHEN budget_line = 'Tools' THEN 'tools' WHEN budget_line = 'Salaries' THEN 'salaries'
                    ELSE 'placements' END,
               CASE WHEN channel = '(none)' THEN NULL ELSE channel END,
               round(per_day * days * (0.85 + 0.3 * rnd(phase_id, hash(budget_line) % 100000, 51)) / 100) * 100,
               CASE WHEN rnd(phase_id, hash(budget_line) % 100000, 52) < 0.7 THEN 'important' ELSE 'optional' END,
               CASE WHEN channel = '(none)' THEN NULL ELSE CAST(round(per_day * days / 4) AS BIGINT) END, NULL
        FROM lines""")
    _restart_sequence(con, "budget_line_id_seq", "budget_lines", "line_id")
    con.execute("""UPDATE phases SET budget = (SELECT sum(amount) FROM budget_lines b WHERE b.phase_id = phases.phase_id)""")
    # team-level facts per phase, for targets near what happened
    con.execute("""
        CREATE OR REPLACE TEMP TABLE b_team_daily AS
        SELECT date, sum(followers_new) AS new, sum(followers_total) AS total FROM g_ad GROUP BY date""")
    figures = con.execute(f"""
        SELECT p.phase_id,
               (SELECT total FROM b_team_daily WHERE date = least(p.end_date, DATE '{LAST_DAY}')),
               (SELECT sum(new) FROM b_team_daily WHERE date BETWEEN p.start_date AND p.end_date),
               (SELECT sum(registrations) FROM g_bd WHERE date BETWEEN p.start_date AND p.end_date),
               (SELECT sum(orders) FROM g_bd WHERE date BETWEEN p.start_date AND p.end_date),
               (SELECT sum(amount) FROM g_sp WHERE date BETWEEN p.start_date AND p.end_date),
               (SELECT sum(n_posts) FILTER (WHERE platform = 'weibo') / count(DISTINCT date) / count(DISTINCT a) FILTER (WHERE platform = 'weibo')
                FROM g_ad WHERE date BETWEEN p.start_date AND p.end_date),
               least(p.end_date, DATE '{LAST_DAY}') - p.start_date + 1
        FROM b_phases p ORDER BY p.phase_id""").fetchall()
    con.executemany("UPDATE phases SET follower_target = ? WHERE phase_id = ?",
                    [[int(round((total or 0) * _factor(pid, "ft") / 1000) * 1000), pid]
                     for pid, total, *_ in figures])
    first_wechat = con.execute("SELECT platform || '/' || account FROM b_accounts WHERE platform = 'wechat' "
                               "ORDER BY a LIMIT 1").fetchall()[0][0]
    current = next(p for p in phases if p[3] <= TODAY <= p[4])
    goals: list[dict] = []
    splits: list[tuple[int, list[dict]]] = []
    for (pid, code, name, start, end), (_, total, new, regs, orders, spend, weibo_ppd, elapsed) in zip(phases, figures):
        full = (end - start).days + 1
        scale_up = full / max(1, elapsed)
        common = dict(start_date=start, end_date=end, phase_id=pid)
        f = lambda key: _factor(pid, key)  # noqa: E731
        goals.append(dict(common, metric="followers", target=float(round(total * f("fo"))), rule="reach",
                          split_grain="month", note="Followers at the phase end."))
        goals.append(dict(common, metric="new_follows", target=float(round(new * scale_up * f("nf"))), rule="reach",
                          split_mode="curve", curve_growth=0.1, split_grain="month", _split=True))
        goals.append(dict(common, metric="registrations", target=float(round(regs * scale_up * f("rg"))),
                          rule="reach"))
        conv = orders / regs if regs else 0.1
        goals.append(dict(common, metric="order_conversion", target=round(conv * f("oc"), 3),
                          floor=round(conv * 0.8, 3), rule="at_least"))
        goals.append(dict(common, metric="cost_per_follower", target=round(spend / max(1, new) * f("cpf"), 2),
                          rule="at_most"))
        goals.append(dict(common, metric="spend", target=float(round(spend * scale_up * f("sp"))), rule="at_most",
                          kind="output"))
        if weibo_ppd:
            goals.append(dict(common, metric="posts_per_day", scope_kind="platform", scope_ref="weibo",
                              target=round(weibo_ppd * f("pp"), 2), floor=round(weibo_ppd * 0.7, 2),
                              rule="at_least", kind="output"))
        goals.append(dict(common, metric="wechat_read_rate", scope_kind="account", scope_ref=first_wechat,
                          target=0.15, floor=0.1, rule="reach"))
        for j in range(s.account_goals):
            a = j * 200 + 1
            ref = con.execute("SELECT platform || '/' || account FROM b_accounts WHERE a = ?", [a]).fetchall()[0][0]
            goals.append(dict(common, metric="new_follows", scope_kind="account", scope_ref=ref,
                              target=float(round(new / s.accounts * scale_up * f(f"acc{j}"))), rule="reach"))
        if pid == current[0]:
            days = con.execute("SELECT sum(orders) / count(DISTINCT date) FROM g_bd WHERE date BETWEEN ? AND ?",
                               [start - dt.timedelta(days=28), start - dt.timedelta(days=1)]).fetchall()[0][0]
            goals.append(dict(common, metric="orders_per_day", target=float(round((days or 100) * 1.3)),
                              rule="reach", is_ultimate=True, note="The one number the project lives by."))
    months = con.execute("""
        SELECT date_trunc('month', date)::DATE AS month, last_day(date) AS month_end,
               sum(orders) AS orders FROM g_bd GROUP BY ALL ORDER BY month""").fetchall()
    for month, month_end, orders in months:
        goals.append(dict(metric="net_follows", start_date=month, end_date=month_end, target=0.1, rule="growth"))
        goals.append(dict(metric="orders", start_date=month, end_date=month_end,
                          target=float(round(orders * (month_end.day / 30) * _factor(month, "or"))), rule="reach",
                          split_mode="weekday", weekday_weights="1,1,1,1,1.2,1.5,1.3", split_grain="week"))
    platform_shares = dict(con.execute("SELECT platform, sum(followers_new) FROM g_ad GROUP BY platform").fetchall())
    rows = []
    for n, goal in enumerate(goals, start=1):
        split = goal.pop("_split", False)
        goal.setdefault("kind", "outcome")
        record = plan_goals.goal_from_record(goal)
        problems = goal_problems(record, n)
        if problems:
            raise ValueError(f"bench goal {goal}: {[p.text() for p in problems]}")
        record.goal_id = n
        rows.append([getattr(record, c) for c in GOAL_COLUMNS])
        if split:
            splits.append((n, [{"scope_kind": "platform", "scope_ref": p, "share": float(platform_shares.get(p, 1))}
                               for p in PLATFORMS]))
    con.executemany(f"INSERT INTO goals ({', '.join(GOAL_COLUMNS)}) VALUES ({', '.join('?' for _ in GOAL_COLUMNS)})",
                    rows)
    _restart_sequence(con, "goal_id_seq", "goals", "goal_id")
    for gid, members in splits:
        plan_goals.write_split(con, gid, members=members)
    _write_team(con, s, plan_team, demo_team)


ROLE_SHARES = ["promotion_manager", "promotion_manager", "copywriter", "copywriter", "operations", "operations",
               "operations", "channel_bd", "channel_bd", "pr_media"]
MANUAL_BY_ROLE = {"copywriter": [("enquiries", 60)], "operations": [("event_results", 300)],
                  "channel_bd": [("partners_signed", 4)],
                  "pr_media": [("pr_placements", 8), ("pr_coverage", 200000), ("media_contacts", 6)]}


def _write_team(con, s: Scale, plan_team, demo_team) -> None:
    """Roles (the demo's five, with their KPI sets), people holding the accounts and channels,
    one person in fifty with an own KPI set, bonus rule, pay and a year of manual inputs."""
    headcount = {code: ROLE_SHARES.count(code) * s.people // 10 or 1 for code in set(ROLE_SHARES)}
    plan_team.write_roles(con, [{"code": code, "name": name, "needed_from_phase": phase, "headcount": headcount[code],
                                 "responsibilities": resp, "requirements": req}
                                for code, name, phase, _, resp, req in demo_team.ROLES])
    role_ids = dict(con.execute("SELECT code, role_id FROM roles").fetchall())
    con.execute(f"""CREATE OR REPLACE TEMP TABLE b_people AS
                    SELECT i::INTEGER AS i, i + 1 AS person_id,
                           {_list(ROLE_SHARES)}[(i % 10) + 1] AS role_code,
                           'Person ' || lpad(CAST(i + 1 AS VARCHAR), 4, '0') AS name,
                           DATE '{s.first_day}' + CAST(hash(i, 'start') % 200 AS INTEGER) AS start_date
                    FROM range({s.people}) t(i)""")
    con.execute("CREATE OR REPLACE TEMP TABLE b_roles AS SELECT * FROM (VALUES " +
                ", ".join(f"({_q(c)}, {r})" for c, r in role_ids.items()) + ") v(code, role_id)")
    con.execute("""INSERT INTO people SELECT p.person_id, p.name, r.role_id, p.start_date, TRUE
                   FROM b_people p JOIN b_roles r ON r.code = p.role_code ORDER BY p.person_id""")
    _restart_sequence(con, "person_id_seq", "people", "person_id")
    # accounts: round-robin over the people running accounts; channels: over channel managers
    con.execute("""
        INSERT INTO person_accounts
        WITH holders AS (SELECT person_id, row_number() OVER (ORDER BY person_id) - 1 AS h FROM b_people
                         WHERE role_code IN ('promotion_manager', 'copywriter', 'operations')),
             n AS (SELECT count(*) AS n FROM holders)
        SELECT holders.person_id, a.platform, a.account FROM b_accounts a, n JOIN holders ON holders.h = a.a % n.n
        UNION
        SELECT holders.person_id, 'team', 'Bench ' || lpad(CAST(b AS VARCHAR), 3, '0') || ' 服务号'
        FROM (SELECT DISTINCT a AS b FROM g_bd) bd, n JOIN holders ON holders.h = (bd.b * 10) % n.n""")
    con.execute("""
        INSERT INTO person_channels
        WITH holders AS (SELECT person_id, row_number() OVER (ORDER BY person_id) - 1 AS h FROM b_people
                         WHERE role_code IN ('channel_bd', 'pr_media')),
             n AS (SELECT count(*) AS n FROM holders)
        SELECT holders.person_id, c.channel FROM b_channels c, n JOIN holders ON holders.h = c.c % n.n""")
    con.execute("INSERT INTO person_pay SELECT person_id, 2000 + 500 * (hash(person_id, 'pay') % 3) FROM b_people")
    plan_team.write_bonus_rule(con, "linear", 2000.0, demo_team.BONUS_BANDS)
    for code, spec in demo_team.ROLE_KPIS.items():
        plan_team.write_kpi_set(con, _kpi_rows(spec), role_id=role_ids[code])
    own = [r[0] for r in con.execute("SELECT person_id FROM b_people WHERE role_code = 'operations' "
                                     "AND person_id % 50 = 5 ORDER BY person_id").fetchall()]
    for person_id in own:
        plan_team.write_kpi_set(con, _kpi_rows(demo_team.PERSON_KPIS["Zhao Lei"]), person_id=person_id)
    inputs = " UNION ALL ".join(
        f"SELECT {_q(role)} AS role_code, {_q(key)} AS input_key, {typical} AS typical"
        for role, items in MANUAL_BY_ROLE.items() for key, typical in items)
    con.execute(f"""
        INSERT INTO kpi_inputs (input_id, person_id, input_key, month, value, note, entered_by, entered_at)
        WITH months AS (SELECT CAST(date_trunc('month', DATE '{TODAY}') - to_months(CAST(k AS INTEGER)) AS DATE) AS month
                        FROM range(12) t(k))
        SELECT row_number() OVER (ORDER BY m.month, p.person_id, i.input_key), p.person_id, i.input_key, m.month,
               round(i.typical * (0.75 + 0.5 * rnd(p.person_id, hash(i.input_key) % 1000, datediff('day', DATE '2000-01-01', m.month)))),
               'Monthly tally', 'Person 0001', CAST(least(last_day(m.month) + 1, DATE '{TODAY}') AS TIMESTAMP) + INTERVAL 9 HOUR
        FROM b_people p JOIN ({inputs}) i USING (role_code) CROSS JOIN months m
        WHERE p.start_date <= last_day(m.month)""")
    _restart_sequence(con, "kpi_input_id_seq", "kpi_inputs", "input_id")


def _kpi_rows(spec) -> list[dict]:
    rows = []
    for name, metric, platform, scope, period, weight, direction, floor, missing, fallback in spec:
        target = fallback if floor is None else max(fallback, floor * 1.25)
        rows.append({"name": name, "metric_id": metric, "platform": platform, "scope": scope, "period": period,
                     "weight": weight, "direction": direction, "floor_value": floor, "missing_rule": missing,
                     "cap": 1.2, "target": target})
    return rows


# ------------------------------------------------------------------ the workspace
def generate(scale: str, out: Path = OUT, quiet: bool = False) -> Path:
    """Write the ``scale`` workspace to ``out/<scale>.duckdb`` (replacing it); return its path."""
    s = SCALES[scale]
    out.mkdir(parents=True, exist_ok=True)
    path = store_path(scale, out)
    connection.close(path)
    for old in (path, path.with_name(path.name + ".wal")):
        old.unlink(missing_ok=True)
    started = time.perf_counter()

    def step(what: str) -> None:
        if not quiet:
            print(f"  {time.perf_counter() - started:7.1f} s  {what}", flush=True)

    con = connection.cursor(path)
    _macros(con)
    _entities(con, s)
    _account_daily(con, s)
    step(f"account_daily: {con.execute('SELECT count(*) FROM g_ad').fetchall()[0][0]:,} rows generated")
    _posts(con)
    step(f"posts: {con.execute('SELECT count(*) FROM g_posts').fetchall()[0][0]:,} rows generated")
    _business(con, s)
    _channels(con, s)
    _traffic(con)
    _batches(con)
    step("business_daily, channel_daily, spend, traffic_daily generated")
    with connection.transaction(con):
        for relation in GENERATED:
            _write_relation(con, s, relation)
            step(f"{relation} written (history, current rows, imports)")
        _restart_sequence(con, "import_id_seq", "imports", "import_id")
        con.execute("INSERT INTO accounts (platform, account, created_at) SELECT platform, account, "
                    f"TIMESTAMP '{s.first_day} 09:00:00' FROM b_accounts")
        con.execute("INSERT OR IGNORE INTO accounts (platform, account, created_at) SELECT DISTINCT platform, account, "
                    f"TIMESTAMP '{s.first_day} 09:00:00' FROM g_bd")
        _write_plan(con, s)
        con.execute("INSERT OR REPLACE INTO settings VALUES ('workspace_mode', 'own')")
        con.execute(f"INSERT OR REPLACE INTO settings VALUES ('bench_scale', {_q(scale)})")
        connection.bump_data_version(con)
    step("plan written")
    for table in ("g_ad", "g_posts", "g_bd", "g_cd", "g_sp", "g_tr", "b_batches"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute("CHECKPOINT")
    connection.close(path)
    step(f"checkpointed: {path.stat().st_size / 1e6:,.0f} MB")
    return path


def summary(path: Path) -> dict:
    """Row counts of the main tables of a generated store."""
    con = connection.cursor(path)
    tables = ("account_daily", "posts", "spend", "business_daily", "channel_daily", "traffic_daily", "imports",
              "phases", "goals", "budget_lines", "people", "kpis")
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}
    connection.close(path)
    return counts


# ------------------------------------------------------------------ export files
@dataclass(frozen=True)
class ExportFile:
    path: Path
    kind: str            # 'csv' | 'xlsx'
    layout: str
    rows: int
    account: str | None


def write_exports(out: Path = OUT, smoke: bool = False) -> list[ExportFile]:
    """The import benchmark's files in real layouts: WeChat 已通知内容 (CSV), the team channel
    report (CSV) and the Douyin work list (XLSX)."""
    folder = out / ("exports_smoke" if smoke else "exports")
    folder.mkdir(parents=True, exist_ok=True)
    csv_rows, xlsx_rows = (2_000, 1_000) if smoke else (100_000, 50_000)
    files = [_wechat_articles(folder / "已通知内容_20261115.csv", csv_rows),
             _channel_report(folder / "channel_daily.csv", csv_rows),
             _douyin_works(folder / "作品列表导出.xlsx", xlsx_rows)]
    return files


def _wechat_articles(path: Path, n: int) -> ExportFile:
    header = ["内容标题", "发表时间", "总阅读人数", "总阅读次数", "总分享人数", "总分享次数", "阅读后关注人数", "送达人数",
              "公众号消息阅读次数", "送达阅读率", "首次分享次数", "分享产生阅读次数", "首次分享率", "每次分享带来阅读次数",
              "阅读完成率", "内容url"]
    if not path.exists():
        start = dt.datetime(2026, 11, 15, 21, 30)
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for i in range(n):
                h = (i * 2654435761) % 4294967296
                readers = 800 + h % 9000
                delivered = 20000 + (h >> 8) % 50000
                reads_msg = delivered * (6 + h % 14) // 100
                sharers = readers * (2 + h % 6) // 100
                when = start - dt.timedelta(minutes=37 * i)
                w.writerow([f"{TOPICS[i % 15]}｜第{i + 1}期", when.strftime("%Y-%m-%d %H:%M"), readers,
                            readers * 6 // 5, sharers, sharers * 13 // 10, readers // 150, delivered, reads_msg,
                            f"{reads_msg / delivered:.4f}", sharers, sharers * 4, f"{sharers / readers:.4f}", "4.2",
                            f"{0.4 + (h % 50) / 100:.2f}", f"https://mp.weixin.qq.com/s/bench{i:06d}"])
    return ExportFile(path, "csv", "wechat_articles", n, "Bench 0000 订阅号")


def _channel_report(path: Path, n: int) -> ExportFile:
    from store.demo_exports import template_headers
    h = template_headers("team_channel_daily.toml")
    if not path.exists():
        channels = 200
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([h[k] for k in ("date", "channel", "followers_new", "registrations", "orders")])
            for i in range(n):
                day = LAST_DAY - dt.timedelta(days=i // channels)
                c = i % channels
                follows = 5 + (i * 7919 + c * 31) % 120
                regs = follows * (8 + c % 20) // 100
                w.writerow([day.isoformat(), f"{CHANNEL_NAMES[c % 10]} {c // 10:03d}", follows, regs, regs // 6])
    return ExportFile(path, "csv", "team_channel_daily", n, None)


def _douyin_works(path: Path, n: int) -> ExportFile:
    import xlsxwriter
    header = ["作品名称", "发布时间", "体裁", "审核状态", "播放量", "完播率", "5s完播率", "封面点击率", "2s跳出率",
              "平均播放时长", "点赞量", "分享量", "评论量", "收藏量", "主页访问量", "粉丝增量"]
    if not path.exists():
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                               "strings_to_formulas": False, "strings_to_urls": False})
        sheet = book.add_worksheet("Sheet1")
        sheet.write_row(0, 0, header)
        start = dt.datetime(2026, 11, 15, 20, 0)
        for i in range(n):
            h = (i * 2654435761) % 4294967296
            plays = 800 + h % 30000
            when = start - dt.timedelta(minutes=53 * i)
            sheet.write_row(i + 1, 0, [
                f"{TOPICS[i % 15]} 第{n - i}期 #本地美食", when.strftime("%Y-%m-%d %H:%M:%S"),
                ("1min-视频", "1-3min视频", "图文")[h % 3], "公开", str(plays), f"{0.1 + (h % 300) / 1000:.6f}",
                f"{0.2 + (h % 300) / 1000:.6f}", f"{0.05 + (h % 150) / 1000:.6f}", f"{0.3 + (h % 300) / 1000:.6f}",
                f"{4 + (h % 2600) / 100:.6f}", str(plays * 4 // 100), str(plays * 4 // 1000), str(plays * 3 // 1000),
                str(plays * 6 // 1000), str(plays * 2 // 100), str(plays * 6 // 1000)])
        book.close()
    return ExportFile(path, "xlsx", "douyin_works", n, "Bench 0002 抖音")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="team")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the store and the export files")
    parser.add_argument("--smoke", action="store_true", help="small export files")
    parser.add_argument("--exports-only", action="store_true", help="write only the export files")
    args = parser.parse_args(argv)
    if not args.exports_only:
        s = SCALES[args.scale]
        print(f"{args.scale}: {s.accounts:,} accounts × {s.days:,} days = {s.accounts * s.days:,} account-days")
        started = time.perf_counter()
        path = generate(args.scale, args.out)
        counts = summary(path)
        print(f"{path} in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    for f in write_exports(args.out, args.smoke):
        print(f"{f.path} ({f.layout}, {f.rows:,} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
