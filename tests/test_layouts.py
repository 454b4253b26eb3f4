"""Every built-in layout, proved on files the tests write themselves (tests/fixtures_writer.py).

Expected figures are computed by hand from the rows the writer puts in the file; the comment
next to each says where a number comes from. These tests do not need ../shared/samples.
"""
from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from store import importer, layouts, readers
from store.layouts import LAYOUT_DIR
from store.relations import RELATIONS
from tests import fixtures_writer as fw

D = dt.date
TS = dt.datetime
TODAY = D(2026, 9, 1)


def imp(con, path, account="main", today=TODAY, **kw):
    return importer.import_file(con, path, account=account, today=today, **kw)


def rows(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def one(con, sql, *params):
    found = rows(con, sql, *params)
    assert len(found) == 1, found
    return found[0] if len(found[0]) > 1 else found[0][0]


# --- the declarations themselves --------------------------------------------------------------

def test_every_layout_file_parses_and_names_real_columns():
    built = layouts.builtin_layouts()
    files = sorted(LAYOUT_DIR.glob("*.toml"))
    assert len(built) == len(files) >= 30
    seen = set()
    for layout in built:
        assert (layout.platform, layout.report) not in seen, layout.source_file
        seen.add((layout.platform, layout.report))
        assert layout.evidence in {"VERIFIED-FILE", "CODE", "DOC", "UNVERIFIED", "TEMPLATE"}, layout.source_file
        assert layout.platform in {"wechat", "wechat_channels", "weibo", "douyin", "xiaohongshu", "bilibili",
                                   "kuaishou", "toutiao", "zhihu", "facebook", "instagram", "tiktok", "youtube",
                                   "linkedin", "x", "google_ads", "meta_ads", "team"}, layout.source_file
        relation = RELATIONS[layout.target]
        for spec in layout.fields:
            if spec.ignored or spec.by_sheet:
                continue
            assert spec.name in relation.columns or spec.name in layouts.AUX_FIELDS or \
                spec.name in {f for f, _, _ in layout.drop_rows}, (layout.source_file, spec.name)


def test_a_layout_with_a_typo_is_refused_with_its_file_name():
    good = tomllib.loads((LAYOUT_DIR / "tiktok_overview.toml").read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="bad.toml.*unknown key"):
        layouts.parse_layout({**good, "identfy": ["date"]}, "bad.toml")
    with pytest.raises(ValueError, match="bad.toml.*not a column of account_daily"):
        layouts.parse_layout({**good, "fields": {**good["fields"], "viewz": {"headers": ["x"], "type": "count"}}},
                             "bad.toml")
    with pytest.raises(ValueError, match="bad.toml.*key_hash"):
        layouts.parse_layout({**good, "key_hash": ["date:month"]}, "bad.toml")


class _Sheet:
    def __init__(self, name, head):
        self.name, self.head = name, head


def _synthetic_blocks(layout):
    """Header blocks a layout was written for: every field's first alias, and the identify fields only."""
    def header(names):
        return [next(spec.headers[0] for spec in layout.fields if spec.name == n).replace("*", "eur") for n in names]
    full = list(dict.fromkeys(spec.name for spec in layout.fields))
    heads = {tuple(header(full)), tuple(header(layout.identify) + header(layout.identify_any[:1]))}
    sheet = "sheet1"
    if layout.sheets:
        sheet = layout.sheets[0].replace("*", "")
    for spec in layout.fields:
        if spec.by_sheet:
            sheet = next(name for name, out in spec.by_sheet if out != layouts.IGNORED)
    return sheet, [list(dict.fromkeys(h)) for h in heads]


def test_no_two_builtin_layouts_match_one_header_block_equally():
    """For the header blocks each layout declares, it is the single best match (no tie, no rival)."""
    built = layouts.builtin_layouts()
    for layout in built:
        sheet, heads = _synthetic_blocks(layout)
        for head in heads:
            cells = {}
            for i, h in enumerate(head):
                cells.setdefault(layouts.norm(h), (i, h))
            scored = sorted(((layouts.match_score(other, res[0]), other.source_file) for other in built
                             if (res := layouts._match_block(other, cells, sheet))), reverse=True)
            assert scored and scored[0][1] == layout.source_file, (layout.source_file, head, scored[:2])
            assert len(scored) == 1 or scored[0][0] > scored[1][0], (layout.source_file, scored[:2])


# --- WeChat official account ------------------------------------------------------------------

def test_wechat_user_growth_html_saved_as_xls(con, tmp_path):
    result = imp(con, fw.wechat_user_growth_html(tmp_path))
    assert (result.status, result.platform, result.report, result.rows) == ("imported", "wechat", "user_growth", 3)
    # 2026-08-29 row: 95 new, 15 lost, 80 net, "5,190" total
    assert one(con, "SELECT followers_new, followers_lost, followers_net, followers_total FROM account_daily "
                    "WHERE date = '2026-08-29'") == (95, 15, 80, 5190)
    assert imp(con, tmp_path / "user_analysis.xls").status == "unchanged"


def test_wechat_tendency_three_blocks_and_全部_never_summed(con, tmp_path):
    result = imp(con, fw.wechat_tendency_xlsx(tmp_path))
    assert result.status == "imported", result.error
    assert result.report == "tendency_reads, tendency_interactions, tendency_articles"
    # block 1: the day's readers are the 全部 row (100 on Aug 1), not 60 + 30 + 20 = 110
    assert one(con, "SELECT views FROM account_daily WHERE date = '2026-08-01'") == 100
    assert one(con, "SELECT views FROM account_daily WHERE date = '2026-08-02'") == 40
    assert rows(con, "SELECT source, readers FROM traffic_daily WHERE date = '2026-08-01' ORDER BY readers") == [
        ("朋友圈", 20), ("聊天会话", 30), ("公众号消息", 60), ("全部", 100)]
    # block 2: Aug 1 shares 7, favourites 4, 1 post; Aug 2 shares 2, favourites 1, 0 posts
    assert one(con, "SELECT shares, favorites, posts FROM account_daily WHERE date = '2026-08-01'") == (7, 4, 1)
    assert one(con, "SELECT shares, favorites, posts FROM account_daily WHERE date = '2026-08-02'") == (2, 1, 0)
    # block 3: only the article's 全部 row (90 readers), not 55 + 40
    assert one(con, "SELECT title, readers, published_at FROM posts") == ("开业福利", 90, TS(2026, 8, 1))


def test_wechat_articles_variant_a_and_the_trend_sheet_describe_one_article(con, tmp_path):
    imp(con, fw.wechat_tendency_xlsx(tmp_path))
    result = imp(con, fw.wechat_articles_csv(tmp_path))
    assert (result.status, result.platform, result.report, result.rows) == ("imported", "wechat", "articles", 2)
    # 开业福利 row: 1.2万 readers = 12,000; 10w+ reads = 100,001; 356 sharers; 88 follows; "52,000" delivered;
    # "9,880" message reads; completion 0.62. Same title and day as the trend sheet's article -> ONE post.
    assert one(con, "SELECT count(*) FROM posts WHERE title = '开业福利'") == 1
    assert one(con, "SELECT readers, views, shares, followers_new, delivered, message_reads, completion_rate, url, "
                    "published_at FROM posts WHERE title = '开业福利'") == (
        12000, 100001, 356, 88, 52000, 9880, 0.62, "https://mp.weixin.qq.com/s/abc", TS(2026, 8, 1, 20, 0))
    # 夜宵地图: " --" sharers is missing (NULL, not 0); completion "55%" = 0.55 (the other row gave 0.62)
    assert one(con, "SELECT readers, shares, completion_rate FROM posts WHERE title = '夜宵地图'") == (2345, None, 0.55)


def test_wechat_articles_variant_b_total_sheet(con, tmp_path):
    result = imp(con, fw.wechat_articles_total_xlsx(tmp_path))
    assert (result.status, result.report, result.rows) == ("imported", "articles", 1)
    assert one(con, "SELECT readers, shares, followers_new, delivered, message_reads, completion_rate FROM posts") == (
        3210, 120, 15, 52300, None, 0.58)


# --- WeChat Channels, Xiaohongshu, Douyin -----------------------------------------------------

def test_wechat_channels_csv_with_bom_and_crlf(con, tmp_path):
    result = imp(con, fw.wechat_channels_csv(tmp_path))
    assert (result.status, result.platform, result.report, result.rows) == ("imported", "wechat_channels", "videos", 2)
    # row 2: "11.14%" -> 0.1114, "32.50秒" -> 32.5 s, 1520 views, 45 喜欢 -> likes, 关注量 6
    assert one(con, "SELECT title, published_at, completion_rate, avg_view_seconds, views, likes, comments, shares, "
                    "followers_new, format FROM posts WHERE post_id = 'export/UzFfAgtgekIEAQAAAAAA'") == pytest.approx((
        "周末探店\n#本地美食", TS(2025, 9, 27), 0.1114, 32.5, 1520, 45, 12, 8, 6, "video"))
    # row 3: Excel serial 46023 = 2026-01-01 (45658 is 2025-01-01, + 365); 完播率 "-" is NULL
    assert one(con, "SELECT published_at, completion_rate, avg_view_seconds FROM posts "
                    "WHERE post_id = 'export/UzFfAgtgekIEAQAAAAAB'") == (TS(2026, 1, 1), None, 0.0)


@pytest.mark.parametrize("notice", [True, False])
def test_xiaohongshu_notes_with_and_without_the_notice_row(con, tmp_path, notice):
    result = imp(con, fw.xhs_notes_xlsx(tmp_path, notice))
    assert (result.status, result.platform, result.report, result.rows) == ("imported", "xiaohongshu", "notes", 3)
    assert one(con, "SELECT format, impressions, views, likes, comments, favorites, followers_new, shares, "
                    "avg_view_seconds FROM posts WHERE title = '周末探店'") == (
        "images", 12235, 6174, 15, 41, 5, 2, 14, 17.0)
    # two notes without a title are told apart by their publication time; "1.2万" = 12,000, "-" = NULL
    assert one(con, "SELECT count(*) FROM posts WHERE title IS NULL") == 2
    assert one(con, "SELECT format, impressions, views FROM posts WHERE published_at = '2026-03-19 09:00:00'") == (
        "video", 12000, None)


def test_xiaohongshu_trend_workbooks_by_sheet_name(con, tmp_path):
    watch, fans = fw.xhs_trend_workbooks(tmp_path)
    result = imp(con, watch)
    assert (result.status, result.platform, result.report, result.rows) == (
        "imported", "xiaohongshu", "account_trends", 2)
    # 曝光趋势 "1,500" on 08-20; 观看趋势 610; the rate and duration sheets ("8%", "18秒") are not stored
    assert one(con, "SELECT impressions, views FROM account_daily WHERE date = '2026-08-20'") == (1500, 610)
    assert one(con, "SELECT impressions, views FROM account_daily WHERE date = '2026-08-19'") == (1800, 600)
    assert imp(con, fans).status == "imported"
    # 08-20: net -2, new 3, lost 5, profile visitors 40 (the views from the first workbook stay)
    assert one(con, "SELECT followers_net, followers_new, followers_lost, profile_views, views FROM account_daily "
                    "WHERE date = '2026-08-20'") == (-2, 3, 5, 40, 610)


def test_douyin_works_with_text_numbers(con, tmp_path):
    result = imp(con, fw.douyin_works_xlsx(tmp_path))
    assert (result.status, result.platform, result.report, result.rows) == ("imported", "douyin", "works", 2)
    assert one(con, "SELECT published_at, format, views, completion_rate, avg_view_seconds, likes, shares, comments, "
                    "favorites, followers_new FROM posts WHERE title LIKE '周末去哪儿%'") == (
        TS(2025, 9, 26, 19, 30), "video", 1520, 0.074074, 8.209459, 120, 7, 9, 15, 4)
    assert one(con, "SELECT format, completion_rate, avg_view_seconds FROM posts WHERE title = '早餐合集'") == (
        "images", None, None)


def test_douyin_works_garbage_cell_rejects_the_file_naming_row_column_value(con, tmp_path):
    result = imp(con, fw.douyin_works_xlsx(tmp_path, bad_cell="十二"))
    assert result.status == "rejected"
    assert "row 2" in result.error and "评论量" in result.error and "'十二'" in result.error
    assert one(con, "SELECT count(*) FROM posts") == 0


def test_douyin_daily_trend_files(con, tmp_path):
    likes = fw.douyin_daily_xlsx(tmp_path, "作品点赞", [("2026-07-29", "18"), ("2026-07-30", "-21")])
    fans = fw.douyin_daily_xlsx(tmp_path, "总粉丝量", [("2026-07-29", "7,994"), ("2026-07-30", "8,003")])
    ctr = fw.douyin_daily_xlsx(tmp_path, "封面点击率", [("2026-07-29", "15.61%")])
    assert imp(con, likes).rows == 2 and imp(con, fans).rows == 2
    assert one(con, "SELECT likes, followers_total FROM account_daily WHERE date = '2026-07-30'") == (-21, 8003)
    # only 封面点击率: recognised (not sent to the mapping step), stores nothing, store unchanged
    before = rows(con, "SELECT * FROM account_daily ORDER BY date")
    result = imp(con, ctr)
    assert (result.status, result.platform, result.report, result.rows) == ("unchanged", "douyin", "daily_trend", 0)
    assert rows(con, "SELECT * FROM account_daily ORDER BY date") == before


# --- TikTok, X, YouTube -----------------------------------------------------------------------

def test_tiktok_year_less_dates_across_a_year_end(con, tmp_path):
    # the file name says 2026-01-02: December dates are 2025, January dates 2026
    result = imp(con, fw.tiktok_overview_csv(tmp_path), today=D(2026, 9, 1))
    assert (result.status, result.platform, result.report, result.rows) == ("imported", "tiktok", "overview", 4)
    assert rows(con, "SELECT date, views FROM account_daily ORDER BY date") == [
        (D(2025, 12, 30), 100), (D(2025, 12, 31), 200), (D(2026, 1, 1), 300), (D(2026, 1, 2), 400)]
    assert one(con, "SELECT profile_views, likes, comments, shares FROM account_daily WHERE date = '2026-01-02'") == (
        6, 40, 4, 3)


def test_tiktok_chinese_dates_in_xlsx(con, tmp_path):
    result = imp(con, fw.tiktok_overview_xlsx_zh(tmp_path), account="zh", today=D(2026, 9, 1))
    assert result.status == "imported", result.error
    # export date 2026-01-01 from the name: 12月31日 -> 2025-12-31, 1月1日 -> 2026-01-01
    assert rows(con, "SELECT date, views FROM account_daily ORDER BY date") == [
        (D(2025, 12, 31), 210), (D(2026, 1, 1), 310)]


def test_x_legacy_exports(con, tmp_path):
    tweets = imp(con, fw.x_legacy_tweets_csv(tmp_path))
    assert (tweets.status, tweets.platform, tweets.report, tweets.rows) == ("imported", "x", "legacy_tweets", 1)
    # "89.0" impressions (views = impressions), "2.0" retweets, "1.0" replies, "3.0" likes, follows "1"
    assert one(con, "SELECT published_at, impressions, views, shares, comments, likes, followers_new, title "
                    "FROM posts") == (TS(2021, 8, 31, 19, 53), 89, 89, 2, 1, 3, 1, "New menu &amp; more\n#food")
    daily = imp(con, fw.x_legacy_daily_csv(tmp_path))
    assert (daily.report, daily.rows) == ("legacy_daily", 2)
    # 2021-08-02: 2 tweets, 1244 impressions, 19 engagements, 1 retweet, 2 replies, 3 likes, 9 profile clicks
    assert one(con, "SELECT posts, impressions, engagements, shares, comments, likes, profile_views, followers_new "
                    "FROM account_daily WHERE date = '2021-08-02'") == (2, 1244, 19, 1, 2, 3, 9, None)


def test_x_new_overview_and_content(con, tmp_path):
    result = imp(con, fw.x_overview_csv(tmp_path))
    assert (result.report, result.rows) == ("overview", 2)
    # "Tue, Aug 26, 2025",444,4,29,1 bookmark,2 shares,3 follows,1 unfollow,6 replies,5 reposts,4 visits,1 post
    assert one(con, "SELECT impressions, views, likes, engagements, favorites, followers_new, followers_lost, "
                    "followers_net, comments, shares, profile_views, posts FROM account_daily "
                    "WHERE date = '2025-08-26'") == (444, 444, 4, 29, 1, 3, 1, 2, 6, 5, 4, 1)
    content = imp(con, fw.x_content_csv(tmp_path))
    assert (content.report, content.rows) == ("content", 1)   # the junk row without an id is skipped
    assert one(con, "SELECT post_id, published_at, impressions, likes, favorites, followers_new, comments, shares "
                    "FROM posts") == ("1987315260559167965", TS(2025, 11, 9), 1351, 5, 1, 2, 1, 3)


def test_youtube_table_chart_and_totals(con, tmp_path):
    files = fw.youtube_files(tmp_path)
    table = imp(con, files["Table data.csv"])
    assert (table.platform, table.report, table.rows) == ("youtube", "table_content", 2)   # Total row dropped
    assert one(con, "SELECT title, published_at, views, followers_new, impressions FROM posts "
                    "WHERE post_id = 'UWQNrpakgcA'") == ("Weekend food tour", TS(2025, 8, 28), 5000, 9, 8000)
    # leading-space id, empty publish time, net subscribers -2
    assert one(con, "SELECT published_at, views, followers_new FROM posts WHERE post_id = '-HHGH-TTqYM'") == (
        None, 500, -2)
    chart = imp(con, files["Chart data.csv"], account="chart")
    assert (chart.report, chart.rows) == ("chart_content", 2)
    # UWQNrpakgcA: 120 + 80 + 0 = 200 views over the three days; bCDnDtsTHAk: 7 + (empty) = 7
    assert rows(con, "SELECT post_id, views FROM posts WHERE account = 'chart' ORDER BY post_id") == [
        ("UWQNrpakgcA", 200), ("bCDnDtsTHAk", 7)]
    assert one(con, "SELECT count(*) FROM account_daily") == 0
    totals = imp(con, files["Totals.csv"])
    assert (totals.report, totals.rows) == ("totals", 3)
    assert rows(con, "SELECT date, views, followers_net FROM account_daily ORDER BY date") == [
        (D(2025, 9, 1), 1500, 4), (D(2025, 9, 2), 1320, -1), (D(2025, 9, 3), None, None)]


# --- Facebook, Instagram, LinkedIn ------------------------------------------------------------

def test_facebook_legacy_page_cp1252_with_description_row(con, tmp_path):
    result = imp(con, fw.facebook_legacy_page_cp1252(tmp_path))
    assert (result.status, result.platform, result.report, result.rows) == ("imported", "facebook", "legacy_page", 2)
    assert one(con, "SELECT encoding FROM imports") == "cp1252"
    # 2/17/2014: 123 total likes, 15 new, 0 unlikes, 745 impressions, page views: the FIRST (Total Count) 30
    assert one(con, "SELECT followers_total, followers_new, followers_lost, followers_net, impressions, profile_views "
                    "FROM account_daily WHERE date = '2014-02-17'") == (123, 15, 0, 15, 745, 30)


def test_facebook_legacy_post_csv_and_spreadsheetml(con, tmp_path):
    csv_result = imp(con, fw.facebook_legacy_posts_csv(tmp_path))
    assert (csv_result.report, csv_result.rows) == ("legacy_posts", 1)
    assert one(con, "SELECT format, published_at, reach, impressions, comments, likes, shares FROM posts") == (
        "text", TS(2014, 2, 19, 4, 29, 18), 76, 139, None, 2, 1)
    xml = imp(con, fw.facebook_legacy_posts_spreadsheetml(tmp_path), account="lok")
    assert (xml.status, xml.report, xml.rows) == ("imported", "legacy_posts, legacy_post_stories", 1)
    # Key Metrics: reach 221231, impressions 319665; stories sheet 576/2506/166 (not "Talking About": 575)
    assert one(con, "SELECT title, format, published_at, reach, impressions, shares, likes, comments FROM posts "
                    "WHERE account = 'lok'") == (
        "Weekend & food", "video", TS(2017, 7, 22, 5, 30), 221231, 319665, 576, 2506, 166)


def test_meta_business_suite_page_and_posts(con, tmp_path):
    page = imp(con, fw.meta_page_daily_csv(tmp_path))
    assert (page.platform, page.report, page.rows) == ("facebook", "page_daily", 2)
    assert one(con, "SELECT views, followers_new, followers_lost FROM account_daily WHERE date = '2026-02-10'") == (
        1520, 12, 2)
    assert one(con, "SELECT followers_lost FROM account_daily WHERE date = '2026-02-11'") is None
    fb = imp(con, fw.meta_posts_csv(tmp_path, instagram=False))
    assert (fb.platform, fb.report, fb.rows) == ("facebook", "posts", 1)
    assert one(con, "SELECT post_id, title, published_at, format, views, reach, likes, comments, shares FROM posts") == (
        "106988502241648_122100000000000001", "Grand opening!\nCome by", TS(2026, 2, 10, 3, 45), "images", 15000,
        9800, 400, 40, 20)
    ig = imp(con, fw.meta_posts_csv(tmp_path, instagram=True), account="ig")
    assert (ig.platform, ig.report, ig.rows) == ("instagram", "posts", 1)
    # column order differs from Facebook's; Reach and Follows empty -> NULL
    assert one(con, "SELECT title, format, views, likes, shares, comments, favorites, reach, followers_new FROM posts "
                    "WHERE platform = 'instagram'") == ('Reel: "night market"\ttour', "video", 4200, 310, 25, 12, 40,
                                                        None, None)


def test_linkedin_creator_workbook(con, tmp_path):
    result = imp(con, fw.linkedin_xlsx(tmp_path))
    assert (result.status, result.platform) == ("imported", "linkedin"), result.error
    assert result.report == "engagement, top_posts, followers"
    assert result.rows == 3 + 3   # 3 days + 3 distinct posts (two in both rankings)
    assert rows(con, "SELECT date, impressions, engagements, followers_new FROM account_daily ORDER BY date") == [
        (D(2026, 3, 21), 101, 3, 3), (D(2026, 3, 22), 200, 5, 0), (D(2026, 3, 23), 152, 1, 1)]
    assert rows(con, "SELECT published_at, impressions FROM posts ORDER BY published_at") == [
        (TS(2026, 1, 17), 5256), (TS(2026, 3, 15), 9253), (TS(2026, 3, 23), None)]


# --- Ads --------------------------------------------------------------------------------------

@pytest.mark.parametrize("with_status", [True, False])
def test_google_ads_campaign_report_to_spend(con, tmp_path, with_status):
    result = imp(con, fw.google_ads_campaigns_csv(tmp_path, with_status))
    assert (result.status, result.platform, result.report) == ("imported", "google_ads", "campaigns")
    assert result.rows == 2 * 4   # 2 campaigns × July 1-4; the three "Total: …" rows are skipped
    # "1,200.00" over 4 days = 300 a day; 100 over 4 days = 25 a day
    assert rows(con, "SELECT budget_line, channel, currency, sum(amount), count(*) FROM spend "
                     "GROUP BY ALL ORDER BY budget_line") == [
        ("Brand video", "Google Ads", "CNY", 100.0, 4), ("Weekend promo", "Google Ads", "CNY", 1200.0, 4)]
    assert one(con, "SELECT amount FROM spend WHERE budget_line = 'Weekend promo' AND date = '2025-07-04'") == 300.0


def test_meta_ads_campaign_level_spreads_and_breakdown_uses_day(con, tmp_path):
    result = imp(con, fw.meta_ads_csv(tmp_path, breakdown=False))
    assert (result.platform, result.report, result.rows) == ("meta_ads", "ads_manager", 2 * 4)
    # total row (10, no name) skipped; Spring sale 8.00 over Feb 11-14 = 2 a day, EUR from the header
    assert one(con, "SELECT sum(amount), count(*), any_value(currency), any_value(channel) FROM spend "
                    "WHERE budget_line = 'Spring sale'") == (8.0, 4, "EUR", "Meta Ads")
    assert one(con, "SELECT amount FROM spend WHERE budget_line = 'Old test' AND date = '2026-02-13'") == 0.5
    day = imp(con, fw.meta_ads_csv(tmp_path, breakdown=True))
    assert day.rows == 2   # Spring sale on Feb 11 (10.00 + 5.50 across age groups) and Feb 12
    assert rows(con, "SELECT date, amount, currency FROM spend WHERE currency = 'USD' ORDER BY date") == [
        (D(2026, 2, 11), 15.5, "USD"), (D(2026, 2, 12), 14.5, "USD")]


# --- Zhihu, Weibo, team templates, encodings --------------------------------------------------

def test_zhihu_daily_report_csv_named_xls(con, tmp_path):
    result = imp(con, fw.zhihu_daily_as_xls(tmp_path))
    assert (result.status, result.platform, result.report, result.rows) == ("imported", "zhihu", "daily", 2)
    assert one(con, "SELECT views, likes, comments, favorites, shares FROM account_daily WHERE date = '2026-08-01'") \
        == (1200, 45, 7, 12, 3)


def test_weibo_collector_workbook(con, tmp_path):
    result = imp(con, fw.weibo_collector_xlsx(tmp_path))
    assert (result.status, result.platform) == ("imported", "weibo"), result.error
    assert result.report == "collector_daily, collector_posts"
    assert one(con, "SELECT followers_total, followers_new, followers_lost, followers_net, views, posts, shares, "
                    "comments, likes FROM account_daily WHERE date = '2026-08-02'") == (
        10230, 40, 10, 30, 12000, 1, 20, 60, 100)
    assert one(con, "SELECT post_id, views, published_at FROM posts") == (
        "https://weibo.com/123/AbCdE", 12000, TS(2026, 8, 1, 12, 0))


def test_team_business_daily_gbk(con, tmp_path):
    result = imp(con, fw.team_business_gbk(tmp_path), account="service")
    assert (result.status, result.platform, result.report, result.rows) == ("imported", "team", "business_daily", 2)
    assert one(con, "SELECT encoding FROM imports") == "gb18030"
    # 2026/1/5: "1,200" visitors, 48 registrations, 350 active, 5230 total, 96 orders, "¥4,380.50"
    assert one(con, "SELECT visitors, registrations, active_users, total_users, orders, gmv FROM business_daily "
                    "WHERE date = '2026-01-05'") == (1200, 48, 350, 5230, 96, 4380.5)
    assert one(con, "SELECT registrations FROM business_daily WHERE date = '2026-01-06'") is None


def test_team_channel_daily_utf16_tabs(con, tmp_path):
    result = imp(con, fw.team_channel_utf16(tmp_path))
    assert (result.status, result.report, result.rows) == ("imported", "channel_daily", 2), result.error
    assert rows(con, "SELECT channel, followers_new, registrations, orders FROM channel_daily ORDER BY channel") == [
        ("Weekly event", 120, 30, 6), ("Weibo drive", 35, 9, 2)]


def test_team_spend_ledger_english_and_chinese(con, tmp_path):
    en = imp(con, fw.team_spend_ledger_csv(tmp_path, chinese=False))
    assert (en.status, en.report, en.rows) == ("imported", "spend_ledger", 1)
    zh = imp(con, fw.team_spend_ledger_csv(tmp_path, chinese=True))
    assert zh.status == "imported", zh.error
    # two 红包 rows on 01-05 add up: 800 + 200; the empty channel is "(none)"
    assert rows(con, "SELECT date, budget_line, channel, amount, note, source FROM spend "
                     "WHERE budget_line IN ('红包', '工具') ORDER BY date") == [
        (D(2026, 1, 5), "红包", "自有社群", 1000.0, "补发", "ledger"), (D(2026, 1, 6), "工具", "(none)", 99.0, "月费", "ledger")]


def test_every_fixture_is_read_by_its_bytes_not_its_name(con, tmp_path):
    """HTML and CSV text named .xls, SpreadsheetML named .xls, UTF-16 text named .txt."""
    kinds = {}
    for writer in (fw.wechat_user_growth_html, fw.zhihu_daily_as_xls, fw.facebook_legacy_posts_spreadsheetml,
                   fw.team_channel_utf16):
        path = writer(tmp_path)
        book = readers.read_file(con, path, path.name)
        kinds[path.suffix, book.kind] = book.encoding
        readers.drop(con, book)
    assert set(kinds) == {(".xls", "html"), (".xls", "csv"), (".xls", "spreadsheetml"), (".txt", "tsv")}


def test_a_file_with_no_storable_figure_says_which_figures_are_not_kept(con, tmp_path):
    path = fw.douyin_daily_xlsx(tmp_path, "封面点击率", [("2026-07-29", "15.61%")])
    book = readers.read_file(con, path, path.name)
    try:
        matches = layouts.recognise(book.sheets, layouts.builtin_layouts())
        assert [m.layout.report for m in matches] == ["daily_trend"]
        assert layouts.stored_fields(matches[0]) == set()
        message = layouts.unstored_message(matches, book.sheets)
        assert "keeps none of its figures (封面点击率)" in message
    finally:
        readers.drop(con, book)


def test_mapping_step_header_row_is_found_under_a_merged_notice_row(con, tmp_path):
    path = fw.xhs_notes_xlsx(tmp_path)
    book = readers.read_file(con, path, path.name)
    try:
        row, cells = layouts.header_candidates(book.sheets[0])
        assert (row, cells[:2]) == (2, ["笔记标题", "首次发布时间"])   # not the repeated notice of row 1
    finally:
        readers.drop(con, book)


def test_the_platform_explaining_most_columns_comes_first():
    """A weak generic block on the first sheet (Date | Views) does not decide the file's platform."""
    sheets = [_Sheet("notes", [["Date", "Views"], ["2026-01-01", "5"]]),
              _Sheet("Overview", [fw.TIKTOK_HEADER, ["April 12", "1", "2", "3", "4", "5"]])]
    matches = layouts.recognise(sheets, layouts.builtin_layouts())
    assert [(m.layout.platform, m.sheet_index) for m in matches] == [("tiktok", 1), ("youtube", 0)]
