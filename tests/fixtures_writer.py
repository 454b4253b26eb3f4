"""The project's own export fixtures, written by the tests in the platforms' real layouts.

Every writer takes a folder and returns the path of the file it wrote. The layouts follow
../shared/samples/FORMATS.md (title and notice rows, description rows, totals rows, blocks side
by side, text numbers, encodings, byte order marks, line endings); the figures are small and
made up so that the tests can state every expected number by hand.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import xlsxwriter


# --- helpers ----------------------------------------------------------------------------------

def csv_text(rows: list[list], quote_all: bool = False, delimiter: str = ",", newline: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline,
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8", bom: bool = False, quote_all: bool = False,
              delimiter: str = ",", newline: str = "\n", trailing_newline: bool = True) -> Path:
    text = csv_text(rows, quote_all, delimiter, newline)
    if not trailing_newline:
        text = text.rstrip("\r\n")
    data = text.encode(encoding)
    if bom:
        data = "\ufeff".encode(encoding) + data if encoding.startswith("utf-16") else b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list]], text_numbers: bool = False,
               merged_notice: dict[str, tuple[str, int]] | None = None) -> Path:
    """Sheets of rows; None or '' leaves a cell empty. ``text_numbers`` stores numbers as text
    (Go XLSX / SheetJS exports); ``merged_notice`` = {sheet: (text, width)} puts a merged notice
    row on top, as Xiaohongshu does."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        offset = 0
        if merged_notice and name in merged_notice:
            text, width = merged_notice[name]
            sheet.merge_range(0, 0, 0, width - 1, text)
            offset = 1
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, (int, float)) and not text_numbers:
                    sheet.write_number(r + offset, c, value)
                else:
                    sheet.write_string(r + offset, c, str(value))
    book.close()
    return path


# --- WeChat official account ------------------------------------------------------------------

def wechat_user_growth_html(folder: Path) -> Path:
    """用户分析 → 用户增长: an HTML table saved as user_analysis.xls, title row then header."""
    rows = [("2026-08-28", "120", "10", "110", "5,110"), ("2026-08-29", "95", "15", "80", "5,190"),
            ("2026-08-30", "130", "5", "125", "5,315")]
    body = "".join(f"<tr>{''.join(f'<td>{c}</td>' for c in r)}</tr>" for r in rows)
    html = ("<html><head><meta charset=\"utf-8\"></head><body><table>"
            "<tr><th colspan=\"5\">用户增长</th></tr>"
            "<tr><th>时间</th><th>新关注人数</th><th>取消关注人数</th><th>净增关注人数</th><th>累积关注人数</th></tr>"
            f"{body}</table></body></html>")
    path = folder / "user_analysis.xls"
    path.write_text(html, encoding="utf-8")
    return path


def wechat_tendency_xlsx(folder: Path) -> Path:
    """内容分析 → 数据趋势 → 下载数据明细: three blocks side by side on "New Sheet1" (column A
    and the columns between blocks empty), an empty first row and block titles above the header."""
    title = "数据趋势概况(2026.08.01-2026.08.02)"
    rows = [
        [],
        ["", title, "", "", "", title, "", "", "", "", "", "数据来源概况(2026.08.01-2026.08.02)"],
        ["", "日期", "渠道", "阅读人数", "", "日期", "分享人数", "跳转阅读原文人数", "微信收藏人数", "发表篇数", "",
         "传播渠道", "发表日期", "内容标题", "阅读人数", "阅读人数占比"],
        # block 1: 全部 (de-duplicated) = 100 on Aug 1 although its parts add up to 60+30+20 = 110
        ["", "2026-08-01", "全部", 100, "", "2026-08-01", 7, 3, 4, 1, "", "全部", "20260801", "开业福利", 90, 1.0],
        ["", "2026-08-01", "公众号消息", 60, "", "2026-08-02", 2, 0, 1, 0, "", "公众号消息", "20260801", "开业福利", 55, 0.611],
        ["", "2026-08-01", "聊天会话", 30, "", "", "", "", "", "", "", "朋友圈", "20260801", "开业福利", 40, 0.444],
        ["", "2026-08-01", "朋友圈", 20],
        ["", "2026-08-02", "全部", 40],
        ["", "2026-08-02", "公众号消息", 25],
        ["", "2026-08-02", "推荐", 18],
    ]
    return write_xlsx(folder / "tendency_1785542400_1785715200.xlsx", {"New Sheet1": rows})


ARTICLES_A_HEADER = ["内容标题", "发表时间", "总阅读人数", "总阅读次数", "总分享人数", "总分享次数", "阅读后关注人数",
                     "送达人数", "公众号消息阅读次数", "送达阅读率", "首次分享次数", "分享产生阅读次数", "首次分享率",
                     "每次分享带来阅读次数", "阅读完成率", "内容url"]


def wechat_articles_csv(folder: Path) -> Path:
    """已通知内容 → 下载数据明细, variant A (16 columns, CSV)."""
    rows = [ARTICLES_A_HEADER,
            ["开业福利", "2026-08-01 20:00", "1.2万", "10w+", "356", "410", "88", "52,000", "9,880", "0.19", "300",
             "2,100", "0.028", "7.0", "0.62", "https://mp.weixin.qq.com/s/abc"],
            ["夜宵地图", "2026-08-02 20:05", "2,345", "3,100", " --", "-", "12", "52,100", "1,800", "0.0345", "40",
             "260", "0.017", "6.5", "55%", "https://mp.weixin.qq.com/s/def"]]
    return write_csv(folder / "已通知内容_20260801_20260807.csv", rows)


def wechat_articles_total_xlsx(folder: Path) -> Path:
    """已通知内容 variant B (total_*.xls layout as an XLSX): column A empty, data from row index 3."""
    rows = [[], ["", "已通知内容"],
            ["", "内容标题", "发表时间", "总阅读人数", "总分享人数", "阅读后关注人数", "送达人数", "送达阅读率", "阅读完成率",
             "内容url"],
            ["", "周末探店", "2026-08-08", 3210, 120, 15, 52300, 0.05, 0.58, "https://mp.weixin.qq.com/s/ghi"]]
    return write_xlsx(folder / "total_1786147200.xlsx", {"New Sheet1": rows})


# --- WeChat Channels, Xiaohongshu, Douyin -----------------------------------------------------

CHANNELS_HEADER = ["视频描述", "视频ID", "发布时间", "完播率", "平均播放时长", "播放量", "推荐", "喜欢", "评论量", "分享量",
                   "关注量", "转发聊天和朋友圈", "设为铃声", "设为状态", "设为朋友圈封面", "企微链接点击次数",
                   "企微链接点击人数", "添加到通讯录次数", "添加到通讯录人数"]


def wechat_channels_csv(folder: Path) -> Path:
    """视频号动态数据明细.csv: UTF-8 BOM, CRLF, header fully quoted, a description with a newline,
    '11.14%', '-', '32.50秒', an Excel serial date, trailing empty fields, no final newline."""
    rows = [CHANNELS_HEADER,
            ["周末探店\n#本地美食", "export/UzFfAgtgekIEAQAAAAAA", "2025/09/27", "11.14%", "32.50秒", "1520", "30", "45",
             "12", "8", "6", "9", "0", "0", "0", "", "", "", ""],
            ["新店开业", "export/UzFfAgtgekIEAQAAAAAB", "46023", "-", "0", "88", "1", "2", "0", "0", "0", "0", "0",
             "0", "0", "", "", "", ""]]
    text = csv_text(rows, quote_all=True, newline="\r\n").rstrip("\r\n")
    path = folder / "视频号动态数据明细.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return path


XHS_HEADER = ["笔记标题", "首次发布时间", "体裁", "曝光", "观看量", "封面点击率", "点赞", "评论", "收藏", "涨粉", "分享",
              "人均观看时长", "弹幕"]


def xhs_notes_xlsx(folder: Path, notice: bool = True) -> Path:
    """笔记列表明细表.xlsx: merged notice row, header, notes newest first (numbers as floats)."""
    rows = [XHS_HEADER,
            ["周末探店", "2026年03月24日17时33分05秒", "图文", 12235.0, 6174.0, 0.221, 15.0, 41.0, 5.0, 2.0, 14.0, 17.0, 0.0],
            ["", "2026年03月20日10时11分26秒", "视频", 2270.0, 595.0, 0.268, 0.0, 8.0, 0.0, 0.0, 4.0, 17.0, 0.0],
            ["", "2026年03月19日09时00分00秒", "视频", "1.2万", "-", "-", 3.0, 0.0, 1.0, 0.0, 0.0, 9.0, 0.0]]
    name = "笔记列表明细表.xlsx" if notice else "笔记列表明细表_resaved.xlsx"
    return write_xlsx(folder / name, {"Sheet1": rows},
                      merged_notice={"Sheet1": ("最多导出排序后前1000条笔记", 13)} if notice else None)


def xhs_trend_workbooks(folder: Path) -> list[Path]:
    """近30日观看数据.xlsx and 近30日涨粉数据.xlsx: a 指标|数值 summary sheet and 日期|数值 trend
    sheets named after the figure, newest first, values with units."""
    watch = {
        "账号总体观看数据": [["指标", "数值"], ["曝光", "3300"], ["观看", "1210"], ["封面点击率(%)", "8%"]],
        "曝光趋势": [["日期", "数值"], ["2026年08月20日", "1,500"], ["2026年08月19日", "1800"]],
        "观看趋势": [["日期", "数值"], ["2026年08月20日", "610"], ["2026年08月19日", "600"]],
        "封面点击率趋势": [["日期", "数值"], ["2026年08月20日", "8%"], ["2026年08月19日", "7%"]],
        "平均观看时长趋势": [["日期", "数值"], ["2026年08月20日", "18秒"], ["2026年08月19日", "20秒"]],
    }
    fans = {
        "账号总体涨粉数据": [["指标", "数值"], ["净涨粉", "7"]],
        "净涨粉趋势": [["日期", "数值"], ["2026年08月20日", "-2"], ["2026年08月19日", "9"]],
        "新增关注趋势": [["日期", "数值"], ["2026年08月20日", "3"], ["2026年08月19日", "10"]],
        "取消关注趋势": [["日期", "数值"], ["2026年08月20日", "5"], ["2026年08月19日", "1"]],
        "主页访客趋势": [["日期", "数值"], ["2026年08月20日", "40"], ["2026年08月19日", "52"]],
    }
    return [write_xlsx(folder / "近30日观看数据.xlsx", watch), write_xlsx(folder / "近30日涨粉数据.xlsx", fans)]


DOUYIN_WORKS_HEADER = ["作品名称", "发布时间", "体裁", "审核状态", "播放量", "完播率", "5s完播率", "封面点击率", "2s跳出率",
                       "平均播放时长", "点赞量", "分享量", "评论量", "收藏量", "主页访问量", "粉丝增量"]


def douyin_works_xlsx(folder: Path, bad_cell: str | None = None) -> Path:
    """作品列表导出.xlsx: every value stored as text, rates as fractions, '-' when N/A."""
    rows = [DOUYIN_WORKS_HEADER,
            ["周末去哪儿 #探店", "2025-09-26 19:30:00", "1min-视频", "公开", "1520", "0.074074", "0.2", "0.05", "0.43",
             "8.209459", "120", "7", bad_cell or "9", "15", "33", "4"],
            ["早餐合集", "2025-09-20 08:00:00", "图文", "公开", "880", "-", "-", "-", "-", "-", "30", "0", "2", "6", "5",
             "1"]]
    return write_xlsx(folder / "作品列表导出.xlsx", {"Sheet1": rows}, text_numbers=True)


def douyin_daily_xlsx(folder: Path, metric: str, values: list[tuple[str, str]], name: str | None = None) -> Path:
    """账号总览 one-metric download: 日期 | <metric>, ISO dates, oldest first (SheetJS, text)."""
    rows = [["日期", metric]] + [list(v) for v in values]
    return write_xlsx(folder / (name or f"数据表现_{metric}数据.xlsx"), {"Sheet1": rows}, text_numbers=True)


# --- TikTok, X, YouTube -----------------------------------------------------------------------

TIKTOK_HEADER = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]


def tiktok_overview_csv(folder: Path) -> Path:
    """Overview_<start>_<unixts>_<handle>.csv across a year end; the name carries the export date."""
    rows = [TIKTOK_HEADER, ["December 30", "100", "3", "10", "1", "0"], ["December 31", "200", "4", "20", "2", "1"],
            ["January 1", "300", "5", "30", "3", "2"], ["January 2", "400", "6", "40", "4", "3"]]
    return write_csv(folder / "Overview_2026-01-02_1767312000_localeats.csv", rows, bom=True, quote_all=True,
                     trailing_newline=False)


def tiktok_overview_xlsx_zh(folder: Path) -> Path:
    """Overview.xlsx (SheetJS, numbers as text) from a Chinese UI: dates 12月31日 / 1月1日."""
    rows = [TIKTOK_HEADER, ["12月31日", "210", "4", "20", "2", "1"], ["1月1日", "310", "5", "30", "3", "2"]]
    return write_xlsx(folder / "Overview_20260101.xlsx", {"Overview": rows}, text_numbers=True)


X_METRICS = ["impressions", "engagements", "engagement rate", "retweets", "replies", "likes", "user profile clicks",
             "url clicks", "hashtag clicks", "detail expands", "permalink clicks", "app opens", "app installs",
             "follows", "email tweet", "dial phone", "media views", "media engagements", "promoted impressions",
             "promoted engagements"]


def x_legacy_tweets_csv(folder: Path) -> Path:
    rows = [["Tweet id", "Tweet permalink", "Tweet text", "time"] + X_METRICS,
            ["1432793754507923461", "https://twitter.com/localeats/status/1432793754507923461",
             "New menu &amp; more\n#food", "2021-08-31 19:53 +0000", "89.0", "5.0", "0.0561", "2.0", "1.0", "3.0", "2.0",
             "0.0", "0.0", "2.0", "0.0", "0", "0", "1", "0", "0", "0", "0", "-", "-"]]
    return write_csv(folder / "tweet_activity_metrics_localeats_20210801_20210901_en.csv", rows, quote_all=True)


def x_legacy_daily_csv(folder: Path) -> Path:
    rows = [["Date", "Tweets published"] + X_METRICS,
            ["2021-08-01", "0", "1088", "13", "0.0119", "0", "0", "2", "1", "2", "0", "7", "0", "0", "0", "4", "0", "0",
             "2", "1", "-", "-"],
            ["2021-08-02", "2", "1244", "19", "0.0153", "1", "2", "3", "9", "0", "0", "5", "0", "0", "0", "0", "0", "0",
             "2", "0", "-", "-"]]
    return write_csv(folder / "daily_tweet_activity_metrics_localeats_20210801_20210901_en.csv", rows, quote_all=True)


def x_overview_csv(folder: Path) -> Path:
    text = ("Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,Reposts,Profile visits,"
            "Create Post,Video views,Media views\n"
            "\"Tue, Aug 26, 2025\",444,4,29,1,2,3,1,6,5,4,1,0,0\n"
            "\"Mon, Aug 25, 2025\",8893,19,164,5,0,5,0,7,0,104,8,0,0")
    path = folder / "account_overview_analytics.csv"
    path.write_text(text, encoding="utf-8")
    return path


def x_content_csv(folder: Path) -> Path:
    header = ["Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements", "Bookmarks", "Shares",
              "New follows", "Replies", "Reposts", "Profile visits", "Detail Expands", "URL Clicks", "Hashtag Clicks",
              "Permalink Clicks"]
    rows = [header,
            ["1987315260559167965", "Sun, Nov 9, 2025", "Weekend menu", "https://x.com/localeats/status/1987315260559167965",
             "1351", "5", "41", "1", "0", "2", "1", "3", "2", "29", "0", "0", "0"],
            ["", "", "", "https://x.com/localeats/status/undefined", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0",
             "0", "0", "0"]]
    return write_csv(folder / "account_analytics_content_2025-11-02_2025-11-09.csv", rows)


def youtube_files(folder: Path) -> dict[str, Path]:
    """Table data.csv (Total row first), Chart data.csv (day × video), Totals.csv (day)."""
    table = ("Content,Video title,Video publish time,Duration,Views,Watch time (hours),Subscribers,Impressions,"
             "Impressions click-through rate (%)\n"
             "Total,,,,5500,40.5,7,9000,3.2\n"
             "UWQNrpakgcA,Weekend food tour,\"Aug 28, 2025\",59,5000,38.1,9,8000,3.51\n"
             " -HHGH-TTqYM,Breakfast shorts,,15,500,2.4,-2,1000,1.16\n")
    chart = ("Date,Content,Video title,Video publish time,Duration,Views\n"
             "2025-09-01,UWQNrpakgcA,Weekend food tour,\"Aug 28, 2025\",59,120\n"
             "2025-09-02,UWQNrpakgcA,Weekend food tour,\"Aug 28, 2025\",59,80\n"
             "2025-09-03,UWQNrpakgcA,Weekend food tour,\"Aug 28, 2025\",59,0\n"
             "2025-09-01,bCDnDtsTHAk,Night market,\"Aug 29, 2025\",15,7\n"
             "2025-09-02,bCDnDtsTHAk,Night market,\"Aug 29, 2025\",15,\n")
    totals = "Date,Views,Subscribers\n2025-09-01,1500,4\n2025-09-02,1320,-1\n2025-09-03,,\n"
    out = {}
    for name, text in (("Table data.csv", table), ("Chart data.csv", chart), ("Totals.csv", totals)):
        out[name] = folder / name
        out[name].write_text(text, encoding="utf-8")
    return out


# --- Facebook, Instagram, LinkedIn ------------------------------------------------------------

def facebook_legacy_page_cp1252(folder: Path) -> Path:
    """Legacy page-level export: cp1252, CRLF, description row, a duplicated header, ñ in a header."""
    header = ["Date", "Lifetime Total Likes", "Daily New Likes", "Daily Unlikes", "Daily Total Reach",
              "Daily Total Impressions", "Daily Logged-in Page Views", "Daily Logged-in Page Views",
              "Lifetime Likes by City - Barcelona, Cataluña, Spain"]
    desc = ["", "Lifetime: The total number of people who have liked your Page. (Unique Users)",
            "Daily: The number of new people who have liked your Page (Unique Users)",
            "Daily: The number of Unlikes of your Page (Unique Users)", "Daily: reach (Unique Users)",
            "Daily: impressions (Total Count)", "Daily: Page Views from users logged into Facebook (Total Count)",
            "Daily: Page Views from users logged into Facebook (Unique Users)", "Lifetime: likes by city"]
    rows = [header, desc, ["2/16/2014", "108", "0", "0", "4", "18", "1", "1", "2"],
            ["2/17/2014", "123", "15", "0", "186", "745", "30", "17", "2"]]
    return write_csv(folder / "Facebook Insights Data Export - Local Eats - 2014-02-16 - 2014-02-17.csv", rows,
                     encoding="cp1252", newline="\r\n")


def facebook_legacy_posts_csv(folder: Path) -> Path:
    header = ["Post ID", "Permalink", "Post Message", "Type", "Countries", "Languages", "Posted", "Audience Targeting",
              "Lifetime Post Total Reach", "Lifetime Post Total Impressions", "Lifetime Engaged Users",
              "Lifetime Post Stories by action type - comment", "Lifetime Post Stories by action type - like",
              "Lifetime Post Stories by action type - share"]
    desc = ["", "", "", "", "", "", "", "", "Lifetime: The total number of people your Page post was served to. "
            "(Unique Users)", "Lifetime: impressions (Total Count)", "Lifetime: engaged", "Lifetime: stories", "", ""]
    rows = [header, desc,
            ["518995791497187_10152225918189138", "https://www.facebook.com/localeats/posts/1", "Project opportunity.",
             "Status", "", "", "02/19/2014 04:29:18 AM", " ", "76", "139", "4", "", "2", "1"]]
    return write_csv(folder / "Facebook Insights Data Export (Post Level) - Local Eats - 2014-02-01 - 2014-02-27.csv",
                     rows, bom=True)


def facebook_legacy_posts_spreadsheetml(folder: Path) -> Path:
    """2017 post-level .xls that is XML Spreadsheet 2003: Key Metrics + the stories and talking sheets."""
    def row(cells):
        out = []
        for c in cells:
            if c is None:
                out.append("<Cell/>")
            elif isinstance(c, int):
                out.append(f'<Cell><Data ss:Type="Number">{c}</Data></Cell>')
            elif c.startswith("2017-"):
                out.append(f'<Cell><Data ss:Type="DateTime">{c}</Data></Cell>')
            else:
                out.append(f'<Cell><Data ss:Type="String">{c}</Data></Cell>')
        return "<Row>" + "".join(out) + "</Row>"

    def sheet(name, rows):
        return f'<Worksheet ss:Name="{name}"><Table>' + "".join(row(r) for r in rows) + "</Table></Worksheet>"

    base = ["Post ID", "Permalink", "Post Message", "Type", "Countries", "Languages", "Posted", "Audience Targeting"]
    post = ["1553363564876294_1911244905754823", "https://www.facebook.com/localeats/videos/1", "Weekend &amp; food",
            "Video", None, None, "2017-07-22T05:30:00.000", None]
    key = sheet("Key Metrics", [base + ["post_impressions_unique:lifetime", "post_impressions:lifetime"],
                                [None] * 8 + ["Lifetime: The total number of people (Unique Users)", "Lifetime: (Total)"],
                                post + [221231, 319665]])
    talking = sheet("Lifetime Talking About This(...", [["Description"] + base + ["share", "like", "comment"],
                                                       ["Lifetime: unique people"] + post + [575, 2497, 147]])
    stories = sheet("Lifetime Post Stories by act...", [["Description"] + base + ["share", "like", "comment"],
                                                       ["Lifetime: stories"] + post + [576, 2506, 166]])
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">' + key + talking + stories + "</Workbook>")
    path = folder / "Facebook Insights Data Export (Post Level) - Local Eats - 2017-07-27.xls"
    path.write_text(xml, encoding="utf-8")
    return path


def meta_page_daily_csv(folder: Path) -> Path:
    rows = [["Page ID", "Page name", "Data comment", "Date", "Views", "Follows", "Unfollows", "Unique user engagements"],
            ["106988502241648", "Local Eats", "", "02/10/2026", "1,520", "12", "2", "300"],
            ["106988502241648", "Local Eats", "", "02/11/2026", "980", "7", "", "210"]]
    return write_csv(folder / "Feb-10-2026_Feb-11-2026_106988502241648.csv", rows)


def meta_posts_csv(folder: Path, instagram: bool) -> Path:
    """Business Suite per-post CSV; Instagram's column order differs from Facebook's."""
    if instagram:
        rows = [["Post ID", "Account ID", "Account username", "Account name", "Description", "Duration (sec)",
                 "Publish time", "Permalink", "Post type", "Data comment", "Date", "Views", "Likes", "Shares",
                 "Comments", "Saves", "Reach", "Follows"],
                ["18039226461575321", "17841400000000000", "localeats", "Local Eats", "Reel: \"night market\"\ttour",
                 "31", "02/10/2026 03:45", "https://www.instagram.com/reel/abc/", "IG reel", "", "Lifetime", "4200",
                 "310", "25", "12", "40", "", ""]]
        return write_csv(folder / "Jan-01-2026_Feb-28-2026_4283743298543699.csv", rows)
    rows = [["Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time", "Caption type",
             "Permalink", "Is crosspost", "Is share", "Post type", "Languages", "Custom labels", "Funded content status",
             "Data comment", "Date", "Views", "Reach", "Reactions, Comments and Shares", "Reactions", "Comments",
             "Shares", "Total clicks"],
            ["106988502241648_122100000000000001", "106988502241648", "Local Eats", "", "Grand opening!\nCome by",
             "", "02/10/2026 03:45", "N/A", "https://www.facebook.com/106988502241648/posts/1", "No", "No", "Photos",
             "", "", "", "", "Lifetime", "15,000", "9,800", "460", "400", "40", "20", "120"]]
    return write_csv(folder / "Feb-10-2026_Mar-16-2026_106988502241648.csv", rows)


def linkedin_xlsx(folder: Path) -> Path:
    """Creator analytics Content export: DISCOVERY, ENGAGEMENT, TOP POSTS (two blocks), FOLLOWERS."""
    url1 = "https://www.linkedin.com/feed/update/urn:li:activity:7438811255978700800"
    url2 = "https://www.linkedin.com/feed/update/urn:li:activity:7418295543111749632"
    url3 = "https://www.linkedin.com/feed/update/urn:li:activity:7441667297343168513"
    sheets = {
        "DISCOVERY": [["Overall Performance", "3/21/2026 - 3/23/2026"], ["Impressions", 453], ["Members reached", 200]],
        "ENGAGEMENT": [["Date", "Impressions", "Engagements"], ["3/21/2026", "101", "3"], ["3/22/2026", "200", "5"],
                       ["3/23/2026", "152", "1"]],
        "TOP POSTS": [["Maximum of 50 posts available to include in this list"], [],
                      ["Post URL", "Post publish date", "Engagements", "", "Post URL", "Post publish date", "Impressions"],
                      [url1, "3/15/2026", 401, "", url1, "3/15/2026", 9253],
                      [url2, "1/17/2026", 81, "", url2, "1/17/2026", 5256],
                      [url3, "3/23/2026", 1]],
        "FOLLOWERS": [["Total followers on 3/23/2026:", 3050], [], ["Date", "New followers"], ["3/21/2026", 3],
                      ["3/22/2026", 0], ["3/23/2026", 1]],
        "DEMOGRAPHICS": [["Top Demographics", "Value", "Percentage"], ["Job titles", "Data Analyst", 0.0617],
                         ["Job titles", "Software Engineer", "< 1%"]],
    }
    return write_xlsx(folder / "Content_2026-03-21_2026-03-23_localeats.xlsx", sheets)


# --- Ads --------------------------------------------------------------------------------------

def google_ads_campaigns_csv(folder: Path, with_status: bool = True) -> Path:
    """Campaign report: title row, period row, header, campaigns, totals at the bottom. Without
    the status column the totals' label sits in the Campaign column (the first one)."""
    header = ["Campaign status", "Campaign", "Budget", "Budget name", "Budget type", "Status", "Status reasons",
              "Campaign type", "Impr.", "CTR", "Currency code", "Cost", "Clicks"]
    rows = [["Campaign report"], ["July 1, 2025 - July 4, 2025"], header,
            ["Enabled", "Weekend promo", "50.00", " --", "Daily", "Eligible", "", "Search", "25,881", "77.77%", "CNY",
             "1,200.00", "300"],
            ["Paused", "Brand video", "30.00", " --", "Daily", "Paused", "", "Video", "1,000", " --", "CNY", "100.00",
             "5"],
            ["Total: Campaigns", " --", " --", " --", " --", " --", "", " --", "26,881", "1.13%", "CNY", "1,300.00",
             "305"],
            ["Total: Account", "", "", "", "", "", "", "", "26,881", "1.13%", "CNY", "1,300.00", "305"],
            ["Total: Search", "", "", "", "", "", "", "", "25,881", "1.16%", "CNY", "1,200.00", "300"]]
    if not with_status:
        rows = rows[:3] + [r[1:] if i < 5 else [r[0]] + r[2:] for i, r in enumerate(rows[3:], start=3)]
        rows[2] = header[1:]
    return write_csv(folder / "Campaign report.csv", rows)


def meta_ads_csv(folder: Path, breakdown: bool) -> Path:
    """Ads Manager export: the first data row is the report total (empty names)."""
    if breakdown:
        rows = [["Campaign name", "Age", "Gender", "Ad set name", "Day", "Amount spent (USD)", "Impressions",
                 "CPM (cost per 1,000 impressions)", "CTR (all)", "Ad set name"],
                ["", "", "", "", "", "30.00", "9000", "3.33", "2.49", ""],
                ["Spring sale", "18-24", "female", "Set A", "2026-02-11", "10.00", "3000", "3.33", "2.49", "Set A"],
                ["Spring sale", "25-34", "male", "Set A", "2026-02-11", "5.50", "1500", "3.67", "2.00", "Set A"],
                ["Spring sale", "18-24", "female", "Set A", "2026-02-12", "14.50", "4500", "3.22", "2.60", "Set A"]]
        return write_csv(folder / "ads-manager-Feb-11-2026-to-Feb-12-2026.csv", rows)
    rows = [["Reporting starts", "Reporting ends", "Campaign name", "Campaign delivery", "Results", "Amount spent (EUR)",
             "Impressions", "Ends"],
            ["2026-02-11", "2026-02-14", "", "0", "", "10", "900", ""],
            ["2026-02-11", "2026-02-14", "Spring sale", "active", "17", "8.00", "700", "Ongoing"],
            ["2026-02-11", "2026-02-14", "Old test", "archived", "-", "2", "200", "1970-01-01"]]
    return write_csv(folder / "Campaigns-Feb-11-2026-Feb-14-2026.csv", rows)


# --- Zhihu, Weibo, team templates -------------------------------------------------------------

def zhihu_daily_as_xls(folder: Path) -> Path:
    """日报表.xls that is really UTF-8 CSV text."""
    path = folder / "日报表.xls"
    path.write_text("日期,阅读,播放,点赞,喜欢,评论,收藏,分享\n2026-08-01,1200,30,45,6,7,12,3\n"
                    "2026-08-02,980,-,40,5,2,8,1\n", encoding="utf-8")
    return path


def weibo_collector_xlsx(folder: Path) -> Path:
    sheets = {
        "账号汇总": [["指标", "数值"], ["粉丝总数", 10230]],
        "每日趋势": [["日期", "粉丝总数", "新增粉丝数", "减少粉丝数", "粉丝净增数", "阅读数", "发博数", "转评赞数", "转发数",
                   "评论数", "点赞数"],
                  ["2026-08-01", 10200, 50, 8, 42, 15000, 2, 330, 30, 100, 200],
                  ["2026-08-02", 10230, 40, 10, 30, 12000, 1, 180, 20, 60, 100]],
        "单条博文": [["发布时间", "微博内容", "阅读数", "URL"],
                 ["2026-08-01 12:00", "周末探店", "1.2万", "https://weibo.com/123/AbCdE"]],
        "说明": [["本表由采集工具生成"]],
    }
    return write_xlsx(folder / "微博数据_20260801-20260802.xlsx", sheets)


def team_business_gbk(folder: Path) -> Path:
    """Business daily template with Chinese headers, re-saved by Excel on Chinese Windows (GBK)."""
    rows = [["日期", "访客数", "注册数", "活跃用户数", "总用户数", "订单数", "成交额"],
            ["2026/1/5", "1,200", "48", "350", "5230", "96", "￥4,380.50"],
            ["2026/1/6", "1100", "-", "340", "5278", "90", "4000"]]
    return write_csv(folder / "业务日报.csv", rows, encoding="gbk", newline="\r\n")


def team_channel_utf16(folder: Path) -> Path:
    """Channel daily template saved as 'Unicode text': UTF-16 LE with BOM, tab separated."""
    rows = [["date", "channel", "new follows", "registrations", "orders"],
            ["2026-01-05", "Weibo drive", "35", "9", "2"], ["2026-01-05", "Weekly event", "120", "30", "6"]]
    return write_csv(folder / "channel_daily.txt", rows, encoding="utf-16-le", bom=True, delimiter="\t",
                     newline="\r\n")


def team_spend_ledger_csv(folder: Path, chinese: bool) -> Path:
    if chinese:
        rows = [["日期", "预算项", "渠道", "金额", "备注"], ["2026-01-05", "红包", "自有社群", "800.00", "群红包"],
                ["2026-01-05", "红包", "自有社群", "200", "补发"], ["2026-01-06", "工具", "", "99", "月费"]]
        return write_csv(folder / "费用台账.csv", rows, bom=True)
    rows = [["date", "budget line", "channel", "amount", "note"],
            ["2026-01-05", "Red packets", "Own official groups", "800.00", "group red packets"]]
    return write_csv(folder / "spend_ledger.csv", rows)
