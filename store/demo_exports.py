"""Export files of the demo workspace, written in the platforms' real layouts.

The demo goes through the same import pipeline as a real upload, so these files are real
exports in every way that matters: HTML saved as .xls for WeChat user growth, the
three-block content-trend sheet, the 已通知内容 CSV, Douyin's one-metric daily files and
work list with numbers as text, Xiaohongshu's note list under its notice row, a Weibo
workbook, and the team's own templates. Figures are random but deterministic (seed 42)
and follow the phases of the plan: slow seed period, fast initial period, brand period.
"""
from __future__ import annotations

import csv
import datetime as dt
import random
import tomllib
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from store import demo_spec
from store.layouts import LAYOUT_DIR

WECHAT_SOURCES = [("公众号消息", 0.56), ("聊天会话", 0.21), ("朋友圈", 0.15), ("推荐", 0.08), ("搜一搜", 0.04), ("其他", 0.03)]
WEEKDAY = [1.0, 1.05, 1.0, 1.1, 1.15, 0.8, 0.75]
TOPICS = ["周末探店", "本地必吃榜", "新店开业", "会员日福利", "夜宵地图", "早餐合集", "亲子餐厅", "咖啡指南",
          "火锅测评", "外卖红包", "城市美食节", "隐藏小馆", "一人食", "家庭聚餐", "下午茶"]


@dataclass
class DemoFile:
    path: Path
    account: str | None


def template_headers(layout_file: str) -> dict[str, str]:
    """Field → first header of a team template layout (the header its template uses)."""
    data = tomllib.loads((LAYOUT_DIR / layout_file).read_text(encoding="utf-8"))
    return {name: spec["headers"][0] for name, spec in data["fields"].items()}


def _phase_rate(day_index: int, seed: float, initial: tuple[float, float], brand: float) -> float:
    if day_index < 30:
        return seed
    if day_index < 122:
        frac = (day_index - 30) / 92
        return initial[0] + (initial[1] - initial[0]) * frac
    return brand


class DemoData:
    """The demo's daily figures, computed once and written out by each writer below."""

    def __init__(self, today: dt.date):
        self.rng = random.Random(42)
        self.today = today
        self.start = demo_spec.start_date(today)
        self.days = [self.start + dt.timedelta(days=i) for i in range((today - self.start).days)]
        self._build()

    def noise(self, spread: float = 0.15) -> float:
        return max(0.2, self.rng.gauss(1.0, spread))

    def _build(self) -> None:
        rng = self.rng
        self.wechat, total = [], 180
        for i, day in enumerate(self.days):
            new = round(_phase_rate(i, 38, (180, 560), 640) * WEEKDAY[day.weekday()] * self.noise())
            lost = round(new * rng.uniform(0.08, 0.16))
            total += new - lost
            posts = 1 if day.weekday() < 5 else (1 if day.weekday() == 5 and i % 2 else 0)
            readers = round(total * rng.uniform(0.05, 0.08) * (1.0 if posts else 0.35))
            self.wechat.append({"date": day, "new": new, "lost": lost, "net": new - lost, "total": total,
                                "posts": posts, "readers": readers, "shares": round(readers * rng.uniform(0.03, 0.07)),
                                "original": round(readers * rng.uniform(0.01, 0.03)),
                                "favorites": round(readers * rng.uniform(0.01, 0.03))})
        self.articles = []
        for row in self.wechat:
            for n in range(row["posts"]):
                delivered = row["total"]
                message_reads = round(delivered * rng.uniform(0.09, 0.19))
                readers = round(message_reads * rng.uniform(1.4, 1.9))
                self.articles.append({
                    "title": f"{rng.choice(TOPICS)}｜{row['date'].month}月{row['date'].day}日推荐",
                    "published": dt.datetime.combine(row["date"], dt.time(rng.choice([8, 12, 18, 20, 21]), 30)),
                    "delivered": delivered, "message_reads": message_reads, "readers": readers,
                    "reads": round(readers * rng.uniform(1.1, 1.3)), "sharers": round(readers * rng.uniform(0.02, 0.08)),
                    "follows": round(readers * rng.uniform(0.002, 0.01))})
        self.business, users = [], 0
        for i, day in enumerate(self.days):
            visitors = round(_phase_rate(i, 120, (300, 1800), 2400) * WEEKDAY[day.weekday()] * self.noise())
            registrations = round(visitors * rng.uniform(0.34, 0.46))
            users += registrations
            orders = round(visitors * rng.uniform(0.065, 0.105))
            self.business.append({"date": day, "visitors": visitors, "registrations": registrations,
                                  "active_users": round(users * rng.uniform(0.12, 0.2)), "total_users": users,
                                  "orders": orders, "gmv": round(orders * rng.uniform(38, 52), 2)})
        self.weibo, total = [], 2400
        for i, day in enumerate(self.days):
            new = round(_phase_rate(i, 25, (60, 220), 260) * self.noise(0.3))
            lost = round(new * rng.uniform(0.1, 0.25))
            total += new - lost
            posts = rng.choice([2, 3, 3, 4])
            forwards, comments, likes = (round(posts * rng.uniform(4, 14) * (1 + i / 90)) for _ in range(3))
            self.weibo.append({"date": day, "total": total, "new": new, "lost": lost, "net": new - lost,
                               "reads": round(total * rng.uniform(0.3, 0.6)), "posts": posts,
                               "forwards": forwards, "comments": comments, "likes": likes * 3})
        self.douyin, total = [], 90
        for i, day in enumerate(self.days):
            views = round(_phase_rate(i, 900, (2500, 16000), 21000) * self.noise(0.45))
            total += round(views * rng.uniform(0.004, 0.012))
            self.douyin.append({"date": day, "views": views, "total": total})
        self.xhs = []
        for i, day in enumerate(self.days):
            exposure = round(_phase_rate(i, 1500, (4000, 30000), 42000) * self.noise(0.35))
            new = round(exposure * rng.uniform(0.002, 0.006))
            lost = round(new * rng.uniform(0.05, 0.2))
            self.xhs.append({"date": day, "impressions": exposure, "views": round(exposure * rng.uniform(0.1, 0.2)),
                             "new": new, "lost": lost, "net": new - lost})
        self.channels = []
        for i, day in enumerate(self.days):
            for name, kind in demo_spec.CHANNELS:
                follows = self._channel_follows(kind, i, day)
                if follows is None:
                    continue
                regs = round(follows * rng.uniform(0.08, 0.3))
                self.channels.append({"date": day, "channel": name, "new": follows, "registrations": regs,
                                      "orders": round(regs * rng.uniform(0.05, 0.25))})
        self.spend = list(self._spend())

    def _channel_follows(self, kind: str, i: int, day: dt.date) -> int | None:
        rng, scale = self.rng, _phase_rate(i, 1, (3, 12), 15)
        if kind == "weibo_drive":
            return round(9 * scale * self.noise(0.12))
        if kind == "own_groups":
            return round(6 * scale * self.noise(0.2))
        if kind == "local_groups":
            return round(7 * scale * self.noise(0.5))
        if kind == "small_accounts":
            return round(5 * scale * rng.choice([0, 0, 1, 2.5]))
        if kind == "weekly_event":
            return round(30 * scale * self.noise(0.25)) if day.weekday() == 5 else round(scale * rng.uniform(0, 2))
        if kind == "local_media":
            return round(40 * scale * self.noise(0.3)) if day.weekday() in (1, 4) else round(scale * rng.uniform(0, 3))
        if kind == "offline":
            return round(25 * scale * self.noise(0.6)) if day.weekday() >= 5 and i >= 30 else 0
        if kind == "conference":
            return round(400 * self.noise(0.1)) if i in (128, 129) else (0 if i >= 122 else None)
        if kind == "alliance":
            return round(4 * scale * self.noise(0.4)) if i >= 60 else None
        if kind == "pr":
            return round(60 * scale * self.noise(0.3)) if i % 21 == 10 and i >= 122 else (0 if i >= 122 else None)
        return None

    def _spend(self):
        rng = self.rng
        phases = demo_spec.phase_dates(self.today)
        for i, day in enumerate(self.days):
            code = next(c for c, _, s, e, _, _ in phases if s <= day <= e) if day <= phases[-1][3] else "brand"
            pace = {"seed": 0.6, "initial": 1.6, "brand": 3.3}[code]
            if day.weekday() in (1, 4):
                yield (day, "Soft articles on local accounts", "Local accounts & communities",
                       round(3000 * (1 if code != "seed" else 0.5), 2), "local account soft article")
            if day.weekday() == 5:
                yield day, "Weekly event prizes", "Weekly event", round(260 * pace * rng.uniform(0.9, 1.1), 2), "prizes"
            yield day, "Red packets", "Own official groups", round(90 * pace * rng.uniform(0.6, 1.4), 2), "group red packets"
            if code != "seed":
                yield day, "Coupons", "Local WeChat groups", round(160 * pace * rng.uniform(0.5, 1.5), 2), "new-user coupons"
                yield day, "Weibo drive placements", "Weibo drive", round(180 * pace * rng.uniform(0.8, 1.2), 2), "fans headline"
            if day.weekday() >= 5 and i >= 30:
                yield day, "Offline promotion", "Offline promotion", round(700 * pace * rng.uniform(0.7, 1.3), 2), "street stand"
            if i % 10 == 3 and i >= 30:
                yield day, "KOL placements", "Small personal accounts", round(1200 * pace, 2), "KOL repost"
            if day.day == 1:
                yield day, "Tools", "(none)", 680.0, "editor + scheduler subscriptions"
            if i == 125:
                yield day, "Conference booth", "Conferences", 18000.0, "food-tech conference booth"


# --- writers -----------------------------------------------------------------------------------

def _csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8", **kw) -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, **kw)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None and value != "":
                    sheet.write(r, c, value)
    book.close()
    return path


def _windows(days: list[dt.date], length: int, step: int) -> list[tuple[int, int]]:
    """Overlapping export windows (as people download them): (first index, last index + 1)."""
    out, start = [], 0
    while start < len(days):
        out.append((start, min(len(days), start + length)))
        if start + length >= len(days):
            break
        start += step
    return out


def write_all(data: DemoData, folder: Path) -> list[DemoFile]:
    """Write every demo export into ``folder``; return them with the account each belongs to."""
    folder.mkdir(parents=True, exist_ok=True)
    acc = {k: v[1] for k, v in demo_spec.ACCOUNTS.items()}
    files: list[DemoFile] = []
    days = data.days
    # WeChat subscription: user growth as HTML .xls, in overlapping ~2-month windows.
    for first, last in _windows(days, 62, 45):
        rows = "".join(f"<tr><td>{r['date'].isoformat()}</td><td>{r['new']}</td><td>{r['lost']}</td>"
                       f"<td>{r['net']}</td><td>{r['total']}</td></tr>" for r in data.wechat[first:last])
        html = ("<html><head><meta charset=\"utf-8\"></head><body><table><tr><th>用户增长</th></tr>"
                "<tr><th>时间</th><th>新关注人数</th><th>取消关注人数</th><th>净增关注人数</th><th>累积关注人数</th></tr>"
                f"{rows}</table></body></html>")
        path = folder / f"user_analysis_{days[first].isoformat()}_{days[last - 1].isoformat()}.xls"
        path.write_text(html, encoding="utf-8")
        files.append(DemoFile(path, acc["wechat_subscription"]))
    # WeChat content trend: three tables side by side, per ~2-month window.
    for first, last in _windows(days, 60, 60):
        span = f"({days[first]:%Y.%m.%d}-{days[last - 1]:%Y.%m.%d})"
        block1, block2, block3 = [], [], []
        for r in data.wechat[first:last]:
            block1.append([r["date"].isoformat(), "全部", r["readers"]])
            for source, share in WECHAT_SOURCES:
                block1.append([r["date"].isoformat(), source, round(r["readers"] * share * 1.07)])
            block2.append([r["date"].isoformat(), r["shares"], r["original"], r["favorites"], r["posts"]])
        for a in data.articles:
            if days[first] <= a["published"].date() < (days[last - 1] + dt.timedelta(days=1)):
                block3.append(["全部", a["published"].strftime("%Y%m%d"), a["title"], a["readers"], 1.0])
                block3.append(["公众号消息", a["published"].strftime("%Y%m%d"), a["title"], a["message_reads"],
                               round(a["message_reads"] / max(1, a["readers"]), 3)])
        height = max(len(block1), len(block2), len(block3))
        rows = [[], ["", f"数据趋势概况{span}", "", "", "", f"数据趋势概况{span}", "", "", "", "", "", f"数据来源概况{span}"],
                ["", "日期", "渠道", "阅读人数", "", "日期", "分享人数", "跳转阅读原文人数", "微信收藏人数", "发表篇数", "",
                 "传播渠道", "发表日期", "内容标题", "阅读人数", "阅读人数占比"]]
        for n in range(height):
            b1 = block1[n] if n < len(block1) else ["", "", ""]
            b2 = block2[n] if n < len(block2) else ["", "", "", "", ""]
            b3 = block3[n] if n < len(block3) else ["", "", "", "", ""]
            rows.append([""] + b1 + [""] + b2 + [""] + b3)
        path = folder / f"tendency_{days[first]:%Y%m%d}_{days[last - 1]:%Y%m%d}.xlsx"
        files.append(DemoFile(_xlsx(path, {"New Sheet1": rows}), acc["wechat_subscription"]))
    # WeChat 已通知内容 (per article, variant A).
    header = ["内容标题", "发表时间", "总阅读人数", "总阅读次数", "总分享人数", "总分享次数", "阅读后关注人数", "送达人数",
              "公众号消息阅读次数", "送达阅读率", "首次分享次数", "分享产生阅读次数", "首次分享率", "每次分享带来阅读次数",
              "阅读完成率", "内容url"]
    rows = [[a["title"], a["published"].strftime("%Y-%m-%d %H:%M"), a["readers"], a["reads"], a["sharers"],
             round(a["sharers"] * 1.3), a["follows"], a["delivered"], a["message_reads"],
             round(a["message_reads"] / a["delivered"], 4), a["sharers"], round(a["sharers"] * 4.2),
             round(a["sharers"] / max(1, a["readers"]), 4), 4.2, 0.63, f"https://mp.weixin.qq.com/s/demo{n:04d}"]
            for n, a in enumerate(data.articles)]
    files.append(DemoFile(_csv(folder / f"已通知内容_{days[-1]:%Y%m%d}.csv", header, rows, "utf-8-sig"),
                          acc["wechat_subscription"]))
    # Service account business figures (team template, CSV).
    h = template_headers("team_business_daily.toml")
    files.append(DemoFile(_csv(folder / "business_daily.csv",
                               [h[k] for k in ("date", "visitors", "registrations", "active_users", "total_users", "orders", "gmv")],
                               [[r["date"].isoformat(), r["visitors"], r["registrations"], r["active_users"],
                                 r["total_users"], r["orders"], f"{r['gmv']:.2f}"] for r in data.business]),
                          acc["wechat_service"]))
    # Channel results (team template, XLSX) and the spend ledger (team template, CSV).
    h = template_headers("team_channel_daily.toml")
    files.append(DemoFile(_xlsx(folder / "channel_daily.xlsx", {"channels": [
        [h[k] for k in ("date", "channel", "followers_new", "registrations", "orders")]] + [
        [r["date"].isoformat(), r["channel"], r["new"], r["registrations"], r["orders"]] for r in data.channels]}), None))
    h = template_headers("team_spend_ledger.toml")
    files.append(DemoFile(_csv(folder / "spend_ledger.csv",
                               [h[k] for k in ("date", "budget_line", "channel", "amount", "note")],
                               [[d.isoformat(), line, channel, f"{amount:.2f}", note]
                                for d, line, channel, amount, note in data.spend]), None))
    # Weibo: the collector workbook's daily sheet.
    weibo_rows = [["日期", "粉丝总数", "新增粉丝数", "减少粉丝数", "粉丝净增数", "阅读数", "发博数", "转评赞数", "转发数",
                   "评论数", "点赞数"]] + [
        [r["date"].isoformat(), r["total"], r["new"], r["lost"], r["net"], r["reads"], r["posts"],
         r["forwards"] + r["comments"] + r["likes"], r["forwards"], r["comments"], r["likes"]] for r in data.weibo]
    weibo_posts = [["发布时间", "微博内容", "阅读数", "URL"]]
    for n, r in enumerate(data.weibo):
        for k in range(r["posts"]):
            weibo_posts.append([f"{r['date'].isoformat()} {9 + 3 * k:02d}:15", f"{TOPICS[(n + k) % len(TOPICS)]} #同城美食#",
                                round(r["reads"] / r["posts"] * (0.6 + 0.2 * k)), f"https://weibo.com/demo/{n:03d}{k}"])
    files.append(DemoFile(_xlsx(folder / f"微博数据_{days[0]:%Y%m%d}-{days[-1]:%Y%m%d}.xlsx",
                                {"账号汇总": [["指标", "数值"], ["粉丝总数", data.weibo[-1]["total"]]],
                                 "每日趋势": weibo_rows, "单条博文": weibo_posts}), acc["weibo"]))
    # Douyin: one-metric daily files (30-day windows, values as text) and the work list.
    for first, last in _windows(days, 30, 30):
        for metric, key in (("播放量", "views"), ("总粉丝量", "total")):
            rows = [["日期", metric]] + [[r["date"].isoformat(), str(r[key])] for r in data.douyin[first:last]]
            path = folder / f"douyin_{key}_{days[first]:%Y%m%d}_{days[last - 1]:%Y%m%d}.xlsx"
            files.append(DemoFile(_xlsx(path, {"Sheet1": rows}), acc["douyin"]))
    rng = random.Random(7)
    works = [["作品名称", "发布时间", "体裁", "审核状态", "播放量", "完播率", "5s完播率", "封面点击率", "2s跳出率",
              "平均播放时长", "点赞量", "分享量", "评论量", "收藏量", "主页访问量", "粉丝增量"]]
    for n, day in enumerate(days[::3]):
        plays = round(rng.uniform(800, 30000) * (1 + n / 20))
        works.append([f"{rng.choice(TOPICS)} 第{n + 1}期 #本地美食", f"{day.isoformat()} {rng.randint(11, 21)}:00:00",
                      rng.choice(["1min-视频", "1-3min视频", "图文"]), "公开", str(plays), f"{rng.uniform(0.1, 0.4):.6f}",
                      f"{rng.uniform(0.2, 0.5):.6f}", f"{rng.uniform(0.05, 0.2):.6f}", f"{rng.uniform(0.3, 0.6):.6f}",
                      f"{rng.uniform(4, 30):.6f}", str(round(plays * 0.04)), str(round(plays * 0.004)),
                      str(round(plays * 0.003)), str(round(plays * 0.006)), str(round(plays * 0.02)),
                      str(round(plays * 0.006))])
    files.append(DemoFile(_xlsx(folder / "作品列表导出.xlsx", {"Sheet1": works[:1] + works[:0:-1]}), acc["douyin"]))
    # Xiaohongshu: the note list under its notice row (numbers as floats, rates as fractions).
    notice = ["最多导出排序后前1000条笔记"] * 13
    notes = [["笔记标题", "首次发布时间", "体裁", "曝光", "观看量", "封面点击率", "点赞", "评论", "收藏", "涨粉", "分享",
              "人均观看时长", "弹幕"]]
    for n, day in enumerate(days[1::2]):
        exposure = round(rng.uniform(500, 20000) * (1 + n / 40))
        views = round(exposure * rng.uniform(0.08, 0.25))
        notes.append([f"{rng.choice(TOPICS)}｜笔记{n + 1}", f"{day:%Y年%m月%d日}{rng.randint(10, 22):02d}时{rng.randint(0, 59):02d}分05秒",
                      rng.choice(["图文", "图文", "视频"]), float(exposure), float(views), round(views / exposure, 3),
                      float(round(views * 0.06)), float(round(views * 0.01)), float(round(views * 0.03)),
                      float(round(views * 0.008)), float(round(views * 0.005)), float(rng.randint(5, 40)), 0.0])
    for first, last in _windows(days, 30, 30):
        window = data.xhs[first:last][::-1]          # newest first, as the back-end writes them
        def trend(key):
            return [["日期", "数值"]] + [[f"{r['date']:%Y年%m月%d日}", r[key]] for r in window]
        stamp = f"{days[last - 1]:%Y%m%d}"
        files.append(DemoFile(_xlsx(folder / f"近30日涨粉数据_{stamp}.xlsx", {
            "账号总体涨粉数据": [["指标", "数值"], ["净涨粉", sum(r["net"] for r in window)]],
            "净涨粉趋势": trend("net"), "新增关注趋势": trend("new"), "取消关注趋势": trend("lost")}), acc["xiaohongshu"]))
        files.append(DemoFile(_xlsx(folder / f"近30日观看数据_{stamp}.xlsx", {
            "账号总体观看数据": [["指标", "数值"], ["曝光", sum(r["impressions"] for r in window)]],
            "曝光趋势": trend("impressions"), "观看趋势": trend("views")}), acc["xiaohongshu"]))
    files.append(DemoFile(_xlsx(folder / "笔记列表明细表.xlsx", {"Sheet1": [notice] + notes[:1] + notes[:0:-1]}),
                          acc["xiaohongshu"]))
    return files
