"""Names and dates of the built-in demo workspace, shared by the export generator and the plan seeds.

The demo is a local-life service ("CityEats") run by a 1+1+2+1+1 team. Its calendar is
anchored on the day the workspace is built: the seed phase starts 150 days earlier, so
"today" falls in the brand phase and last week is always complete.
"""
from __future__ import annotations

import datetime as dt

ACCOUNTS = {
    "wechat_subscription": ("wechat", "CityEats 订阅号"),
    "wechat_service": ("wechat", "CityEats 服务号"),
    "weibo": ("weibo", "CityEats 微博"),
    "douyin": ("douyin", "CityEats 抖音"),
    "xiaohongshu": ("xiaohongshu", "CityEats 小红书"),
}

# Channels of the method (PRODUCT.md "Channels"), as named in channel_daily and spend.
CHANNELS = [
    ("Weibo drive", "weibo_drive"),
    ("Local WeChat groups", "local_groups"),
    ("Small personal accounts", "small_accounts"),
    ("Own official groups", "own_groups"),
    ("Weekly event", "weekly_event"),
    ("Local accounts & communities", "local_media"),
    ("Offline promotion", "offline"),
    ("Conferences", "conference"),
    ("Alliances", "alliance"),
    ("PR", "pr"),
]

# (code, name, first day offset from the start, length in days, follower target, budget in yuan)
PHASES = [
    ("seed", "Seed users", 0, 30, 1_000, 20_000.0),
    ("initial", "Initial users", 30, 92, 50_000, 150_000.0),
    ("brand", "Brand", 122, 92, 100_000, 300_000.0),
]

START_OFFSET_DAYS = 150


def start_date(today: dt.date) -> dt.date:
    """First day of the demo's seed phase for a workspace built on ``today``."""
    return today - dt.timedelta(days=START_OFFSET_DAYS)


def phase_dates(today: dt.date) -> list[tuple[str, str, dt.date, dt.date, int, float]]:
    """(code, name, start, end, follower target, budget) of the demo phases."""
    first = start_date(today)
    return [(code, name, first + dt.timedelta(days=off), first + dt.timedelta(days=off + length - 1), target, budget)
            for code, name, off, length, target, budget in PHASES]
