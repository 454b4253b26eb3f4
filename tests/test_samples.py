"""Every real export in ../shared/samples imports with figures checked by hand in the file.

The samples are third-party files: they are read where they are (the test skips when the
folder is absent) and never copied into the project. Every expected number below was read in
the file itself (the place is given in the comment next to it), not taken from the importer.
Each file goes to its own account (the file's stem), so files do not overwrite each other.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from store import importer, layouts, readers

D = dt.date
TS = dt.datetime
# Year-less dates (TikTok "April 12") take the latest year that does not put them after the
# export date; none of these file names carries a date, so the upload day decides.
TODAY = D(2026, 6, 1)


def _one(con, sql: str, acct: str):
    rows = con.execute(sql.replace(":acct", "'" + acct.replace("'", "''") + "'")).fetchall()
    assert len(rows) == 1, f"{sql} -> {rows}"
    return rows[0] if len(rows[0]) > 1 else rows[0][0]


# file (relative to the samples folder) -> expected platform, report, status, rows, and checks
# (SQL returning one row, expected value). ":acct" is the account the file was imported into.
EXPECT = {
    # --- Douyin ---------------------------------------------------------------------------
    "douyin/douyin_daily_plays_30d_播放量.xlsx": dict(
        platform="douyin", report="daily_trend", status="imported", rows=30,   # 2026-03-14 … 04-12
        checks=[
            # row 2: 2026-03-14 | 1656 ; row 31: 2026-04-12 | 1124
            ("SELECT views FROM account_daily WHERE account = :acct AND date = '2026-03-14'", 1656),
            ("SELECT views FROM account_daily WHERE account = :acct AND date = '2026-04-12'", 1124),
            # only 播放量 is in the file: the followers stay NULL, never 0
            ("SELECT count(*) FROM account_daily WHERE account = :acct AND followers_total IS NOT NULL", 0),
        ]),
    "douyin/douyin_daily_total_followers_30d_总粉丝量.xlsx": dict(
        platform="douyin", report="daily_trend", status="imported", rows=30,
        checks=[
            # row 2: 2026-03-14 | 635 ; row 4: 2026-03-16 | 639 ; row 31: 2026-04-12 | 932
            ("SELECT followers_total FROM account_daily WHERE account = :acct AND date = '2026-03-14'", 635),
            ("SELECT followers_total FROM account_daily WHERE account = :acct AND date = '2026-03-16'", 639),
            ("SELECT followers_total FROM account_daily WHERE account = :acct AND date = '2026-04-12'", 932),
        ]),
    # 日期 | 封面点击率 ('25.00%'): recognised, but account_daily keeps no cover click-through rate,
    # so the file stores nothing (status unchanged, 0 rows) instead of asking for a mapping.
    "douyin/douyin_daily_cover_ctr_30d_封面点击率.xlsx": dict(
        platform="douyin", report="daily_trend", status="unchanged", rows=0,
        checks=[("SELECT count(*) FROM account_daily WHERE account = :acct", 0)]),
    "douyin/douyin_作品列表_video_list_excel_resaved.xlsx": dict(
        platform="douyin", report="works", status="imported", rows=22,
        checks=[
            # row 2: 最近每天都在头脑风暴，是要进化了吗🧬 | 2026-04-03 21:26:39 | 图文 | 公开 | 34606 | 0.366807 |
            # … | 平均播放时长 4.586155 | 点赞 1155 | 分享 69 | 评论 45 | 收藏 84 | 主页访问 6549 | 粉丝增量 277
            ("SELECT published_at, format, views, completion_rate, avg_view_seconds, likes, shares, comments, "
             "favorites, followers_new FROM posts WHERE account = :acct AND title LIKE '最近每天都在头脑风暴%'",
             (TS(2026, 4, 3, 21, 26, 39), "images", 34606, 0.366807, 4.586155, 1155, 69, 45, 84, 277)),
            # last row: 早日康复… | 2025-03-05 10:25:51 | 3981 views, 53 likes, 0 shares
            ("SELECT views, likes, shares FROM posts WHERE account = :acct AND title LIKE '早日康复%'", (3981, 53, 0)),
        ]),
    # --- Xiaohongshu ----------------------------------------------------------------------
    "xiaohongshu/xhs_笔记列表明细表_notes_2026-01to03.xlsx": dict(
        platform="xiaohongshu", report="notes", status="imported", rows=8,   # rows 3-10 under the notice row
        checks=[
            # row 3: OpenClaw… | 2026年03月24日17时33分05秒 | 图文 | 12235 | 6174 | 0.221 | 15 | 41 | 5 | 0 | 14 | 17 | 0
            ("SELECT published_at, format, impressions, views, likes, comments, favorites, followers_new, shares, "
             "avg_view_seconds FROM posts WHERE account = :acct AND title LIKE 'OpenClaw%'",
             (TS(2026, 3, 24, 17, 33, 5), "images", 12235, 6174, 15, 41, 5, 0, 14, 17.0)),
        ]),
    "xiaohongshu/xhs_笔记列表明细表_notes_video_2026-06to07.xlsx": dict(
        platform="xiaohongshu", report="notes", status="imported", rows=41,
        checks=[
            # row 4: AI写代码，左手打右手 | 2026年07月10日02时00分38秒 | 视频 | 439 | 141 | 0.022 | 8 | 0 | 2 | 0 | 0 | 16
            ("SELECT published_at, format, impressions, views, likes, favorites, avg_view_seconds FROM posts "
             "WHERE account = :acct AND title = 'AI写代码，左手打右手'",
             (TS(2026, 7, 10, 2, 0, 38), "video", 439, 141, 8, 2, 16.0)),
            # last row (43): empty title | 2026年06月06日03时15分29秒 | 视频 | 1947 | 249 | … | 涨粉 9
            ("SELECT title, impressions, views, followers_new FROM posts WHERE account = :acct "
             "AND published_at = '2026-06-06 03:15:29'", (None, 1947, 249, 9)),
        ]),
    # --- TikTok ---------------------------------------------------------------------------
    "tiktok/tiktok_studio_overview_daily_7d.csv": dict(
        platform="tiktok", report="overview", status="imported", rows=7,
        checks=[
            # row 2: "April 12","1591","7","10","1","0" (no year: 2026, the upload year, as April 12 <= June 1)
            ("SELECT views, profile_views, likes, comments, shares FROM account_daily WHERE account = :acct "
             "AND date = '2026-04-12'", (1591, 7, 10, 1, 0)),
            # row 8: "April 18","1484","13","22","1","0"
            ("SELECT views, profile_views, likes FROM account_daily WHERE account = :acct AND date = '2026-04-18'",
             (1484, 13, 22)),
        ]),
    "tiktok/tiktok_studio_overview_daily_7d.xlsx": dict(
        platform="tiktok", report="overview", status="imported", rows=7,
        checks=[
            # sheet Overview, row 4: April 14 | 1737 | 6 | 4 | 0 | 3 (numbers stored as text)
            ("SELECT views, profile_views, likes, comments, shares FROM account_daily WHERE account = :acct "
             "AND date = '2026-04-14'", (1737, 6, 4, 0, 3)),
        ]),
    "tiktok/tiktok_studio_overview_daily_33d_daymonth_RECONSTRUCTED.csv": dict(
        platform="tiktok", report="overview", status="imported", rows=33,
        checks=[
            # row 2: "10 February","2218","56","34","0","30" ; row 34: "14 March","1331","32","23","0","1"
            ("SELECT views, profile_views, likes, comments, shares FROM account_daily WHERE account = :acct "
             "AND date = '2026-02-10'", (2218, 56, 34, 0, 30)),
            ("SELECT views, shares FROM account_daily WHERE account = :acct AND date = '2026-03-14'", (1331, 1)),
            ("SELECT min(date), max(date) FROM account_daily WHERE account = :acct", (D(2026, 2, 10), D(2026, 3, 14))),
        ]),
    # --- X / Twitter ----------------------------------------------------------------------
    "twitter/tweet_activity_metrics_per_tweet_2021-08.csv": dict(
        platform="x", report="legacy_tweets", status="imported", rows=356,
        checks=[
            # row 2: "1432793754507923461", …, "2021-08-31 19:53 +0000", "89.0", "5.0", "0.0561…", "0.0" (retweets),
            # "1.0" (replies), "0.0" (likes)
            ("SELECT published_at, impressions, views, shares, comments, likes FROM posts WHERE account = :acct "
             "AND post_id = '1432793754507923461'", (TS(2021, 8, 31, 19, 53), 89, 89, 0, 1, 0)),
        ]),
    "twitter/daily_tweet_activity_metrics_2021-08.csv": dict(
        platform="x", report="legacy_daily", status="imported", rows=31,
        checks=[
            # row 7: "2021-08-06","11","316989","26249",…,"124" retweets,"122" replies,"628" likes,"379" profile clicks
            ("SELECT posts, impressions, engagements, shares, comments, likes, profile_views FROM account_daily "
             "WHERE account = :acct AND date = '2021-08-06'", (11, 316989, 26249, 124, 122, 628, 379)),
            # "follows" only counts follows from tweets: not stored as the account's new followers
            ("SELECT count(*) FROM account_daily WHERE account = :acct AND followers_new IS NOT NULL", 0),
        ]),
    "twitter/x_account_overview_analytics_daily_2025-08.csv": dict(
        platform="x", report="overview", status="imported", rows=7,
        checks=[
            # row 3: "Mon, Aug 25, 2025",8893,19,164,5,0,5,0,7,0,104,8,0,0
            ("SELECT impressions, likes, engagements, favorites, followers_new, followers_lost, comments, shares, "
             "profile_views, posts FROM account_daily WHERE account = :acct AND date = '2025-08-25'",
             (8893, 19, 164, 5, 5, 0, 7, 0, 104, 8)),
            # followers_net is derived: row 5 "Sat, Aug 23, 2025": 2 new follows, 1 unfollow -> 1
            ("SELECT followers_net FROM account_daily WHERE account = :acct AND date = '2025-08-23'", 1),
        ]),
    "twitter/x_account_analytics_content_per_post_2025-11_RECONSTRUCTED.csv": dict(
        platform="x", report="content", status="imported", rows=22,   # 24 rows, 2 junk rows without an id
        checks=[
            # row 7: 1986963553153102019,"Sat, Nov 8, 2025",…,480476,731,3712,85,151,38,92,261,275,…
            ("SELECT published_at, impressions, likes, favorites, followers_new, comments, shares FROM posts "
             "WHERE account = :acct AND post_id = '1986963553153102019'",
             (TS(2025, 11, 8), 480476, 731, 85, 38, 92, 261)),
            ("SELECT count(*) FROM posts WHERE account = :acct AND url LIKE '%/status/undefined'", 0),
        ]),
    # --- YouTube --------------------------------------------------------------------------
    "youtube/youtube_studio_table_data_content.csv": dict(
        platform="youtube", report="table_content", status="imported", rows=442,   # the Total row is skipped
        checks=[
            # row 3: UWQNrpakgcA,Consistency is the key …,"Aug 28, 2025",9,30331,45.8772,14,456,3.51
            ("SELECT published_at, views, followers_new, impressions FROM posts WHERE account = :acct "
             "AND post_id = 'UWQNrpakgcA'", (TS(2025, 8, 28), 30331, 14, 456)),
            ("SELECT count(*) FROM posts WHERE account = :acct AND post_id = 'Total'", 0),
        ]),
    "youtube/youtube_studio_chart_data_daily_per_video.csv": dict(
        platform="youtube", report="chart_content", status="imported", rows=5,   # 5 videos × 365 days
        checks=[
            # the 365 rows of 2imBUt8eZaI add up to 4010 views, the figure Table data gives that video
            ("SELECT views, published_at FROM posts WHERE account = :acct AND post_id = '2imBUt8eZaI'",
             (4010, TS(2025, 9, 29))),
            # and UWQNrpakgcA to 30331, as on row 3 of Table data
            ("SELECT views FROM posts WHERE account = :acct AND post_id = 'UWQNrpakgcA'", 30331),
            # not read as channel days: only 5 of 442 videos are in the file
            ("SELECT count(*) FROM account_daily WHERE account = :acct", 0),
        ]),
    # --- Facebook / Meta ------------------------------------------------------------------
    "facebook/facebook_insights_page_level_daily_2014-01to02.csv": dict(
        platform="facebook", report="legacy_page", status="imported", rows=58,   # 1/1/2014 … 2/27/2014
        checks=[
            # row 49 (2/17/2014): Lifetime Total Likes 123, Daily New Likes 15, Daily Unlikes 0,
            # Daily Total Impressions 745, first "Daily Logged-in Page Views" (Total Count) 30
            ("SELECT followers_total, followers_new, followers_lost, impressions, profile_views FROM account_daily "
             "WHERE account = :acct AND date = '2014-02-17'", (123, 15, 0, 745, 30)),
            ("SELECT followers_total FROM account_daily WHERE account = :acct AND date = '2014-02-27'", 128),
            # the 58 "Daily New Likes" cells add up to 21
            ("SELECT sum(followers_new) FROM account_daily WHERE account = :acct", 21),
        ]),
    "facebook/facebook_insights_post_level_2014-01to02.csv": dict(
        platform="facebook", report="legacy_posts", status="imported", rows=3,   # row 2 = descriptions
        checks=[
            # row 3: 518995791497187_10152225918189138 | … | Status | … | 02/19/2014 04:29:18 AM | … | reach 76 |
            # … | impressions 139 | … | Stories by action type - like 2 | - comment empty
            ("SELECT format, published_at, reach, impressions, likes, comments FROM posts WHERE account = :acct "
             "AND post_id = '518995791497187_10152225918189138'",
             ("text", TS(2014, 2, 19, 4, 29, 18), 76, 139, 2, None)),
            # row 5: 518995791497187_715755981821166 | Photo | reach 21 | impressions 57 | comment 1
            ("SELECT format, reach, impressions, comments FROM posts WHERE account = :acct "
             "AND post_id = '518995791497187_715755981821166'", ("images", 21, 57, 1)),
        ]),
    # header and description row only: recognised, nothing to import
    "facebook/facebook_insights_video_posts_2014-01to02.csv": dict(
        platform="facebook", report="legacy_posts", status="unchanged", rows=0, checks=[]),
    "facebook/facebook_insights_post_level_2017-07_spreadsheetml2003.xls": dict(
        platform="facebook", report="legacy_posts, legacy_post_stories", status="imported", rows=7,
        checks=[
            # Key Metrics row 3: 1553363564876294_1911244905754823 | … | Video | … | 2017-07-22T05:30:00 |
            # post_impressions_unique 221231 | … | post_impressions 319665 ;
            # sheet "Lifetime Post Stories by act...", row 2: share 576 | like 2506 | comment 166
            ("SELECT format, published_at, reach, impressions, shares, likes, comments FROM posts "
             "WHERE account = :acct AND post_id = '1553363564876294_1911244905754823'",
             ("video", TS(2017, 7, 22, 5, 30), 221231, 319665, 576, 2506, 166)),
            # the "Talking About This" sheet (same headers, unique people: share 575) is not read
            ("SELECT count(*) FROM posts WHERE account = :acct AND shares = 575", 0),
        ]),
    # Meta Business Suite page level with only unique-user and negative-feedback metrics: no column
    # of account_daily fits, so it is recognised and stores nothing.
    "facebook/meta_business_suite_page_level_daily_negative_feedback_2026-02to03_RECONSTRUCTED.csv": dict(
        platform="facebook", report="page_daily", status="unchanged", rows=0, checks=[]),
    # --- LinkedIn -------------------------------------------------------------------------
    "linkedin/linkedin_member_creator_analytics_Content_12mo.xlsx": dict(
        platform="linkedin", report="engagement, top_posts, followers", status="imported",
        rows=365 + 57,   # 365 days (ENGAGEMENT and FOLLOWERS merged per day) + 57 distinct top posts
        checks=[
            # ENGAGEMENT last row: 3/23/2026 | 152 | 1 ; FOLLOWERS last row: 3/23/2026 | 1
            ("SELECT impressions, engagements, followers_new FROM account_daily WHERE account = :acct "
             "AND date = '2026-03-23'", (152, 1, 1)),
            # FOLLOWERS row 4: 3/24/2025 | 3 ; ENGAGEMENT row 2: 3/24/2025 | 0 | 0
            ("SELECT impressions, followers_new FROM account_daily WHERE account = :acct AND date = '2025-03-24'",
             (0, 3)),
            # TOP POSTS row 4, right block: …activity:7438811255978700800 | 3/15/2026 | 9253 impressions
            ("SELECT published_at, impressions FROM posts WHERE account = :acct "
             "AND post_id = 'https://www.linkedin.com/feed/update/urn:li:activity:7438811255978700800'",
             (TS(2026, 3, 15), 9253)),
        ]),
    # --- Ads ------------------------------------------------------------------------------
    "google_ads/google_ads_campaign_report_video_demandgen_INR_2025-07.csv": dict(
        platform="google_ads", report="campaigns", status="imported", rows=2 * 24,   # 2 campaigns × Jul 8-31
        checks=[
            # row 4: Video views - 2025-07-19 | … | INR | … | Cost 1661.67, spread over the 24 days of row 2's
            # "July 8, 2025 - July 31, 2025"; row 5: MH-m-sand, 904.26. Totals rows 6-9 are skipped.
            ("SELECT round(sum(amount), 2), count(*), min(date), max(date), any_value(currency), any_value(channel) "
             "FROM spend WHERE budget_line = 'Video views - 2025-07-19'",
             (1661.67, 24, D(2025, 7, 8), D(2025, 7, 31), "INR", "Google Ads")),
            ("SELECT round(amount, 4) FROM spend WHERE budget_line = 'MH-m-sand' AND date = '2025-07-08'",
             round(904.26 / 24, 4)),
            ("SELECT count(*) FROM spend WHERE budget_line LIKE 'Total%' OR budget_line = '--'", 0),
        ]),
    "google_ads/google_ads_campaign_report_smart_EUR_2026-03to04.csv": dict(
        platform="google_ads", report="campaigns", status="imported", rows=3 * 28,   # Mar 27 - Apr 23
        checks=[
            # row 6: Οδοντικά Εμφυτεύματα Αθήνα | … | EUR | 0.00
            ("SELECT sum(amount), count(*), any_value(currency) FROM spend "
             "WHERE budget_line = 'Οδοντικά Εμφυτεύματα Αθήνα'", (0.0, 28, "EUR")),
        ]),
    # ad rows leave out removed ads (117.06 of 133.89 USD here): recognised, spend not taken from it
    "google_ads/google_ads_ad_report_RSA_2026-01.csv": dict(
        platform="google_ads", report="ads", status="unchanged", rows=0,
        checks=[("SELECT count(*) FROM spend WHERE budget_line LIKE 'Bay Area%'", 0)]),
    "meta_ads/meta_ads_manager_campaign_level_2026-02to03_RECONSTRUCTED.csv": dict(
        platform="meta_ads", report="ads_manager", status="imported", rows=11 * 34,   # 11 names × Feb 11-Mar 16
        checks=[
            # row 2 is the report total (empty campaign name, 82.62): skipped. The 13 campaign rows add up
            # to 12.96 + 14.41 + 14.09 + 12.97 + 2.68 + 15.09 + 7.74 + 2.68 = 82.62 EUR
            ("SELECT round(sum(amount), 2), any_value(currency) FROM spend WHERE channel = 'Meta Ads'", (82.62, "EUR")),
            # rows 6: 3M Lounge - Post Engagement - Feb 2026, 12.96 over 34 days
            ("SELECT round(sum(amount), 2), count(*) FROM spend WHERE budget_line = '3M Lounge - Post Engagement - Feb 2026'",
             (12.96, 34)),
            # rows 13 and 14 share the name "amber 1 bouaziz" (0 and 7.74): added up
            ("SELECT round(sum(amount), 2) FROM spend WHERE budget_line = 'amber 1 bouaziz'", 7.74),
        ]),
    # 67 columns with Age/Gender/Day breakdowns but only the report-total row: nothing to store
    "meta_ads/meta_ads_manager_ad_breakdown_totals_only_2026-02to03_RECONSTRUCTED.csv": dict(
        platform="meta_ads", report="ads_manager", status="unchanged", rows=0, checks=[]),
}


def _sample_files(samples: Path) -> list[str]:
    return sorted(str(p.relative_to(samples)) for p in samples.rglob("*")
                  if p.is_file() and p.suffix.lower() in (".csv", ".xlsx", ".xls", ".tsv", ".txt", ".html"))


def test_every_sample_imports_with_hand_checked_figures(con, samples):
    files = _sample_files(samples)
    assert sorted(EXPECT) == files, "every sample file needs its hand-checked expectations here"
    for rel in files:
        acct = Path(rel).stem
        result = importer.import_file(con, samples / rel, account=acct, today=TODAY)
        want = EXPECT[rel]
        assert result.status == want["status"], (rel, result.status, result.error)
        assert (result.platform, result.report) == (want["platform"], want["report"]), rel
        assert result.rows == want["rows"], (rel, result.rows)
        for sql, expected in want["checks"]:
            got = _one(con, sql, acct)
            if isinstance(expected, float):
                assert got == pytest.approx(expected), (rel, sql)
            elif isinstance(expected, tuple):
                assert len(got) == len(expected), (rel, sql)
                for g, e in zip(got, expected):
                    assert g == (pytest.approx(e) if isinstance(e, float) else e), (rel, sql, got)
            else:
                assert got == expected, (rel, sql, got)
        again = importer.import_file(con, samples / rel, account=acct, today=TODAY)
        assert again.status == "unchanged", (rel, again.status, again.error)


def test_sample_headers_match_one_layout_without_ties(con, samples):
    """On every sample, each recognised header block has ONE best layout (no equal score)."""
    all_layouts = layouts.builtin_layouts()
    for rel in _sample_files(samples):
        book = readers.read_file(con, samples / rel, Path(rel).name)
        try:
            for match in layouts.recognise(book.sheets, all_layouts):
                row = book.sheets[match.sheet_index].head[match.header_row - 1]
                cells = {}
                for i in range(match.first_col, match.last_col + 1):
                    cells.setdefault(layouts.norm(row[i]), (i, str(row[i]).strip()))
                sheet_name = book.sheets[match.sheet_index].name
                scores = sorted((layouts.match_score(lay, res[0]), lay.source_file) for lay in all_layouts
                                if (res := layouts._match_block(lay, cells, sheet_name)))
                assert len(scores) == 1 or scores[-1][0] > scores[-2][0], (rel, scores[-2:])
        finally:
            readers.drop(con, book)
