"""The main views' figures computed the way most Streamlit dashboards do it: load every table
the view needs into pandas (``SELECT * … .df()``), then filter and group in pandas.

Each ``naive_<view>(con, today, start, end)`` returns a dict of the view's main figures for
the period ``start``..``end`` and the previous period of the same length; the benchmark
times it against the view. The figures follow the product's definitions (ratios of sums,
spend attributed to its channel or its budget line's channel, stability over the days up to
the last day with figures) closely enough to be the same work, not to the last decimal.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd


def _load(con, table: str) -> pd.DataFrame:
    """The whole table as a pandas frame (the naive dashboard's ``@st.cache_data`` loader)."""
    return con.execute(f"SELECT * FROM {table}").df()


def _days(frame: pd.DataFrame, column: str = "date") -> pd.Series:
    return pd.to_datetime(frame[column]).dt.normalize()


def _between(frame: pd.DataFrame, start: dt.date, end: dt.date, column: str = "date") -> pd.DataFrame:
    days = _days(frame, column)
    return frame[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]


def _previous(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)


def _ratio(num, den):
    return None if den is None or den == 0 or pd.isna(den) else float(num) / float(den)


# ------------------------------------------------------------------ goals
def _metric(name: str, t: dict, start: dt.date, end: dt.date, scope: tuple[str, str | None]) -> float | None:
    """A catalogue metric over start..end in pandas (the metrics the benchmark's goals use)."""
    kind, ref = scope
    ad = t["account_daily"]
    if kind == "platform":
        ad = ad[ad["platform"] == ref]
    elif kind == "account":
        platform, _, account = ref.partition("/")
        ad = ad[(ad["platform"] == platform) & (ad["account"] == account)]
    window = _between(ad, start, end)
    days = (end - start).days + 1
    if name == "followers":
        last = window.dropna(subset=["followers_total"]).sort_values("date").groupby(["platform", "account"]).tail(1)
        return float(last["followers_total"].sum()) if len(last) else None
    if name in ("new_follows", "net_follows"):
        column = "followers_new" if name == "new_follows" else "followers_net"
        return float(window[column].sum()) if len(window) else None
    if name == "posts_per_day":
        return float(window["posts"].sum()) / days if len(window) else None
    biz = _between(t["business_daily"], start, end)
    if name == "registrations":
        return float(biz["registrations"].sum()) if len(biz) else None
    if name == "orders":
        return float(biz["orders"].sum()) if len(biz) else None
    if name == "orders_per_day":
        return float(biz["orders"].sum()) / days if len(biz) else None
    if name == "order_conversion":
        return _ratio(biz["orders"].sum(), biz["registrations"].sum())
    spend = _between(t["spend"], start, end)
    if name == "spend":
        return float(spend["amount"].sum()) if len(spend) else None
    if name == "cost_per_follower":
        return _ratio(spend["amount"].sum(), window["followers_new"].sum())
    if name == "wechat_read_rate":
        posts = t["posts"]
        platform, _, account = (ref or "").partition("/")
        posts = posts[(posts["platform"] == platform) & (posts["account"] == account)]
        posts = _between(posts, start, end, "published_at").dropna(subset=["message_reads", "delivered"])
        return _ratio(posts["message_reads"].sum(), posts["delivered"].sum())
    return None


def naive_goals(con, today: dt.date, start: dt.date, end: dt.date) -> dict:
    """Every top-level goal overlapping the period: actual to date, the pro-rated target and
    the status band; the current phase's followers against its target."""
    tables = {name: _load(con, name) for name in ("goals", "phases", "account_daily", "business_daily", "spend",
                                                  "posts")}
    goals = tables["goals"]
    goals = goals[goals["parent_goal_id"].isna()]
    goals = goals[(_days(goals, "start_date") <= pd.Timestamp(end)) & (_days(goals, "end_date") >= pd.Timestamp(start))]
    rows = []
    yesterday = today - dt.timedelta(days=1)
    for g in goals.itertuples():
        g_start, g_end = pd.Timestamp(g.start_date).date(), pd.Timestamp(g.end_date).date()
        asof = min(yesterday, g_end)
        scope = (g.scope_kind, g.scope_ref)
        actual = _metric(g.metric, tables, g_start, asof, scope) if asof >= g_start else None
        target = g.target
        if g.rule == "growth":
            p_start, p_end = _previous(g_start, g_end)
            previous = _metric(g.metric, tables, p_start, p_end, scope)
            target = None if previous is None else previous * (1 + g.target)
        share = max(0, (asof - g_start).days + 1) / ((g_end - g_start).days + 1)
        planned = None if target is None else target * share
        progress = _ratio(actual, planned) if actual is not None and planned else None
        status = ("no_data" if progress is None else "on_track" if progress >= 0.99
                  else "behind" if progress >= 0.81 else "at_risk")
        rows.append({"goal_id": g.goal_id, "actual": actual, "planned": planned, "status": status})
    phases = tables["phases"]
    current = phases[(_days(phases, "start_date") <= pd.Timestamp(today)) & (_days(phases, "end_date") >= pd.Timestamp(today))]
    followers = None
    if len(current):
        p = current.iloc[0]
        followers = _metric("followers", tables, pd.Timestamp(p["start_date"]).date(), yesterday, ("team", None))
    return {"goals": pd.DataFrame(rows), "phase_followers": followers}


# ------------------------------------------------------------------ budget
def _attributed(spend: pd.DataFrame, lines: pd.DataFrame, phases: pd.DataFrame) -> pd.DataFrame:
    """Spend with the channel it is set against: the ledger's, else its budget line's."""
    line_channels = lines.merge(phases[["phase_id", "start_date", "end_date"]], on="phase_id")
    merged = spend.merge(line_channels[["item", "channel", "start_date", "end_date"]].rename(
        columns={"item": "budget_line", "channel": "line_channel"}), on="budget_line", how="left")
    inside = (merged["line_channel"].isna() | ((_days(merged) >= _days(merged, "start_date"))
                                               & (_days(merged) <= _days(merged, "end_date"))))
    merged = merged[inside].drop_duplicates(subset=["source", "date", "budget_line", "channel"])
    own = merged["channel"].where(~merged["channel"].fillna("").str.strip().str.lower().isin(["", "(none)", "none", "-"]))
    merged["attributed"] = own.fillna(merged["line_channel"])
    return merged


def _costs(spend, results, key):
    spent = spend.groupby(key, dropna=False)["amount"].sum()
    got = results.groupby("channel")[["followers_new", "registrations", "orders"]].sum()
    out = pd.DataFrame({"spend": spent})
    if key == "attributed":
        out = out.join(got, how="left")
    else:
        total = got.sum()
        for column in got.columns:
            out[column] = total[column]
    for column in ("followers_new", "registrations", "orders"):
        out[f"cost_per_{column}"] = out["spend"] / out[column].replace(0, np.nan)
    return out


def naive_budget(con, today: dt.date, start: dt.date, end: dt.date) -> dict:
    """The phase's burn, its lines' burns, the burn-up curve and the cost per result by line
    and by channel for the period and the previous one."""
    spend, lines, phases, results = (_load(con, t) for t in ("spend", "budget_lines", "phases", "channel_daily"))
    limit = min(end, today - dt.timedelta(days=1))
    current = phases[(_days(phases, "start_date") <= pd.Timestamp(limit)) & (_days(phases, "end_date") >= pd.Timestamp(limit))]
    out = {}
    if len(current):
        p = current.iloc[0]
        p_start, p_end = pd.Timestamp(p["start_date"]).date(), pd.Timestamp(p["end_date"]).date()
        in_phase = _between(spend, p_start, limit)
        window = _between(spend, max(p_start, limit - dt.timedelta(days=13)), limit)
        days_left = (p_end - limit).days
        spent = float(in_phase["amount"].sum())
        pace = float(window["amount"].sum()) / min(14, (limit - p_start).days + 1)
        out["burn"] = {"budget": p["budget"], "spent": spent, "projected": spent + pace * days_left}
        phase_lines = lines[lines["phase_id"] == p["phase_id"]]
        by_line = in_phase.groupby("budget_line")["amount"].sum().rename("spent")
        out["lines"] = phase_lines.merge(by_line, left_on="item", right_index=True, how="outer")
        daily = in_phase.assign(day=_days(in_phase)).groupby("day")["amount"].sum()
        calendar = pd.date_range(pd.Timestamp(p_start), pd.Timestamp(p_end))
        out["curve"] = daily.reindex(calendar, fill_value=0).cumsum()
    for label, (a, b) in (("now", (start, end)), ("previous", _previous(start, end))):
        period_spend = _attributed(_between(spend, a, b), lines, phases)
        period_results = _between(results, a, b)
        out[f"by_channel_{label}"] = _costs(period_spend, period_results, "attributed")
        out[f"by_line_{label}"] = _costs(period_spend, period_results, "budget_line")
    return out


# ------------------------------------------------------------------ channels
def _channel_figures(results, spend, lines, phases, start, end) -> pd.DataFrame:
    period = _between(results, start, end)
    totals = period.groupby("channel")[["followers_new", "registrations", "orders"]].sum()
    totals["share"] = totals["followers_new"] / totals["followers_new"].sum()
    attributed = _attributed(_between(spend, start, end), lines, phases)
    totals["spend"] = attributed.groupby("attributed")["amount"].sum()
    totals["cost_per_follower"] = totals["spend"] / totals["followers_new"].replace(0, np.nan)
    totals["reg_conversion"] = totals["registrations"] / totals["followers_new"].replace(0, np.nan)
    totals["order_conversion"] = totals["orders"] / totals["registrations"].replace(0, np.nan)
    if len(period):
        last = _days(period).max()
        calendar = pd.date_range(pd.Timestamp(start), last)
        grid = period.assign(day=_days(period)).pivot_table(index="day", columns="channel", values="followers_new",
                                                            aggfunc="sum").reindex(calendar, fill_value=0).fillna(0)
        mean, sd = grid.mean(), grid.std(ddof=0)
        active = (grid > 0).mean()
        totals["stability"] = (100 * active / (1 + sd / mean.replace(0, np.nan))).fillna(0)
    return totals


def naive_channels(con, today: dt.date, start: dt.date, end: dt.date) -> dict:
    """Per channel for the period and the previous one: follows, share, spend, cost per
    follower, conversions and stability; the daily inflow, eight weeks of follows and the
    platforms' traffic sources."""
    results, spend, lines, phases, traffic = (_load(con, t) for t in ("channel_daily", "spend", "budget_lines",
                                                                      "phases", "traffic_daily"))
    p_start, p_end = _previous(start, end)
    out = {"now": _channel_figures(results, spend, lines, phases, start, end),
           "previous": _channel_figures(results, spend, lines, phases, p_start, p_end)}
    period = _between(results, start, end)
    out["daily"] = period.groupby([_days(period), "channel"])["followers_new"].sum()
    first = end - dt.timedelta(days=end.weekday()) - dt.timedelta(weeks=7)
    weeks = _between(results, first, end)
    out["weekly"] = weeks.groupby([_days(weeks).dt.to_period("W"), "channel"])["followers_new"].sum()
    for label, (a, b) in (("sources", (start, end)), ("sources_previous", (p_start, p_end))):
        part = _between(traffic, a, b)
        part = part[~part["source"].str.strip().str.lower().isin(["全部", "all", "total", "合计", "总计"])]
        out[label] = part.groupby(["platform", "account", "source"])[["readers", "reads"]].sum()
    return out


# ------------------------------------------------------------------ content
RATES = {"read_rate": ("message_reads", "delivered"), "forward_rate": ("shares", "readers"),
         "favourite_rate": ("favorites", "readers"), "engagement_rate": ("interactions", "views"),
         "follow_conversion": ("followers_new", "views")}


def _rates(posts: pd.DataFrame, by: str | None) -> pd.DataFrame:
    groups = posts.groupby(by if by else (lambda _: "all"), dropna=False)
    out = pd.DataFrame({"posts": groups.size(), "views": groups["views"].sum()})
    for name, (num, den) in RATES.items():
        both = posts[posts[num].notna() & posts[den].notna()]
        g = both.groupby(by if by else (lambda _: "all"), dropna=False)
        out[name] = g[num].sum() / g[den].sum().replace(0, np.nan)
    return out


def _wci(posts: pd.DataFrame, days: int) -> pd.DataFrame:
    p = posts.dropna(subset=["views"]).assign(day=_days(posts, "published_at"), l=posts["likes"].fillna(0),
                                              re=posts["shares"].fillna(0), r=posts["views"])
    tot = p.groupby(["platform", "account"])[["r", "l", "re"]].sum()
    tot["n"] = p.groupby(["platform", "account"]).size()
    head = p.sort_values("r", ascending=False).groupby(["platform", "account", "day"]).head(1) \
        .groupby(["platform", "account"])[["r", "l", "re"]].sum()
    best = p.sort_values("r", ascending=False).groupby(["platform", "account"]).head(1) \
        .set_index(["platform", "account"])[["r", "l", "re"]]

    def block(t, x):
        return 0.70 * np.log(t["r"] / x + 1) + 0.06 * np.log(10 * t["l"] / x + 1) + 0.15 * np.log(10 * t["re"] / x + 1)

    out = pd.DataFrame({"o": block(tot, days), "a": block(tot, tot["n"]), "h": block(head, days), "p": block(best, 1)})
    out["wci"] = (0.6 * out["o"] + 0.2 * out["a"] + 0.1 * out["h"] + 0.1 * out["p"]) ** 2 * 12
    return out


def naive_content(con, today: dt.date, start: dt.date, end: dt.date) -> dict:
    """Overall rates now and before, the post table, rates by format and by originality,
    the change-the-format signal, the publishing-time grid, new vs returning users and the
    WCI-style index per account."""
    posts, business = _load(con, "posts"), _load(con, "business_daily")
    interactions = posts[["likes", "comments", "shares", "favorites"]]
    posts["interactions"] = interactions.fillna(0).sum(axis=1).where(interactions.notna().any(axis=1))
    p_start, p_end = _previous(start, end)
    now, before = _between(posts, start, end, "published_at"), _between(posts, p_start, p_end, "published_at")
    out = {"overall": _rates(now, None), "overall_previous": _rates(before, None),
           "table": now.sort_values("views", ascending=False),
           "by_format": _rates(now, "format").join(_rates(before, "format"), rsuffix="_prev", how="outer"),
           "by_original": _rates(now, "is_original").join(_rates(before, "is_original"), rsuffix="_prev", how="outer")}
    med = now.groupby(["platform", "account"])["views"].median().rename("median_views")
    signal = now.merge(med, left_on=["platform", "account"], right_index=True)
    out["signals"] = signal[signal["views"] >= 2 * signal["median_views"]]
    window = _between(posts, end - dt.timedelta(weeks=12) + dt.timedelta(days=1), end, "published_at").dropna(
        subset=["views"])
    usual = window.groupby(["platform", "account"])["views"].transform("median")
    when = pd.to_datetime(window["published_at"])
    grid = window.assign(usual=usual, weekday=when.dt.isocalendar().day, hour=when.dt.hour)
    out["timing"] = grid.groupby(["weekday", "hour"]).agg(posts=("views", "size"), views=("views", "sum"),
                                                          usual=("usual", "sum"))
    users = _between(business, start, end).dropna(subset=["registrations", "active_users"])
    out["users"] = users.groupby("date")[["registrations", "active_users"]].sum()
    out["wci"] = _wci(now, (end - start).days + 1)
    out["wci_previous"] = _wci(before, (p_end - p_start).days + 1)
    return out


NAIVE = {"goals": naive_goals, "budget": naive_budget, "channels": naive_channels, "content": naive_content}
