"""Demo workspace plan seed: the 1+1+2+1+1 team, job descriptions, KPI sets, bonus rule,
some manual KPI inputs, and one locked month.

Job descriptions paraphrase the team section of the seed write-ups (team building and job
descriptions). KPI sets follow their appraisal section and keep sales (GMV) out. Targets are
proposed from history as the method says — last complete month × (1 + 10 %), or × (1 − 10 %)
for stay-below KPIs — and fall back to the fixed targets below when there is no history. A few
KPIs take their monthly target from a demo goal (GOAL_LINKS) for the months the goal covers.
"""
from __future__ import annotations

import datetime as dt
import math

from metrics import appraisal, catalog, team
from metrics.periods import month_of
from store import demo_spec, plan_team

UPLIFT = 0.10
MANAGER = "Lin Yue"

# (code, name, phase needed by, headcount, responsibilities, requirements)
ROLES = [
    ("promotion_manager", "New-media promotion manager", "initial", 1,
     "Runs the official WeChat and Weibo accounts day to day and owns follower growth and attention. "
     "Sets the content direction and publishes pieces that people want to pass on. Keeps followers active, "
     "talks with them and studies how they behave online. Finds out what users need, gathers their feedback "
     "and follows what is trending. Plans and runs online and offline activities that bring exposure, "
     "followers and loyalty. Watches the promotion figures and improves what does not work.",
     "Lives on the internet and uses the platforms heavily. Can write a promotion plan and carry it out. "
     "Knows Weibo and WeChat and their big accounts inside out; has run a grassroots Weibo or a WeChat "
     "official account. Reads trending events quickly and knows how to ride them, with a sense of humour "
     "about themselves. Has real community experience (forums, Weibo, WeChat) and does not give up."),
    ("copywriter", "Copywriter", "initial", 1,
     "Knows the project's goals and its users and gives the other roles fast, accurate writing support. "
     "Writes the promotion copy and materials. Writes the creative content of online activities, ads and "
     "PR releases. Keeps the ideas and lessons in a shared library that other projects can reuse.",
     "A writing job: strong, creative writing and a nose for what is about to trend. A track record in "
     "event-driven marketing is a plus."),
    ("operations", "New-media operations specialist", "initial", 2,
     "Runs a WeChat official account day to day: writes and publishes its content, manages and talks with "
     "followers, collects their opinions and suggestions. Studies users' habits and feelings, follows the "
     "news, plans topics and the weekly event and tracks how they did. Finds the target users and makes the "
     "product known among them.",
     "Experience promoting and running WeChat accounts. Writes well, learns fast and likes to try new "
     "things. Enthusiastic about new-media marketing and understands how content spreads on social "
     "media. Has a feel for small and self-run media; running one's own account is a plus."),
    ("channel_bd", "Channel manager (BD)", "brand", 1,
     "Helps set the channel strategy and the expansion targets. Finds and opens partner resources that "
     "serve the business: local accounts and communities, sites, malls, schools, conferences and local "
     "alliances. Runs business development for the WeChat service account and keeps good working "
     "relations with every promotion channel. Reads the channel figures and shifts effort to the channels "
     "that bring a steady daily inflow of followers and active users.",
     "Strong negotiator who can open a market alone; has built and managed channels. Communicates, "
     "connects people and coordinates well. Comfortable with office software and the web. Two years or "
     "more in partnerships or channel expansion; app or service-account co-promotion experience is a plus."),
    ("pr_media", "PR / media manager", "seed", 1,
     "Warms the market up from the day the project starts and stays present in every phase. Builds the "
     "media placement resources and the online promotion channels and coordinates them. Keeps exposure "
     "steady with a monthly communication plan, stays in touch with known journalists and adds new media "
     "contacts every week. Picks the outlet by the story: business press for founder interviews, tech "
     "media for product news, portals for event news. Handles crisis PR and media relations, and measures "
     "coverage, clicks, reads and likes after every release.",
     "College degree or above in marketing, internet or a related field; three years or more in "
     "advertising or media. Communicates and negotiates well and keeps partners close. Writes well. "
     "An internet-finance background is a plus."),
]

# (name, role code, start day offset from the demo start, account keys of demo_spec.ACCOUNTS, channels, bonus base)
PEOPLE = [
    (MANAGER, "promotion_manager", 0, ["weibo", "douyin"], [], 3000.0),
    ("Chen Jing", "copywriter", 28, ["wechat_subscription", "xiaohongshu"], [], 2000.0),
    ("Wang Fang", "operations", 30, ["wechat_subscription"], ["Weekly event", "Own official groups"], 2000.0),
    ("Zhao Lei", "operations", 40, ["wechat_service"], ["Local WeChat groups", "Small personal accounts"], 2000.0),
    ("Zhou Tao", "channel_bd", 125, [],
     ["Local accounts & communities", "Offline promotion", "Conferences", "Alliances"], 2500.0),
    ("Huang Min", "pr_media", 0, [], ["PR"], 2500.0),
]

# A KPI: (name, metric id, platform, scope, period, weight, direction, floor value, missing rule, fallback target)
ROLE_KPIS = {
    "promotion_manager": [
        ("Weibo posts per day", "posts_per_day", "weibo", "person", "month", 15, "higher", None, "zero", 5),
        ("Weibo average forwards per post", "forwards_per_post", "weibo", "person", "month", 20, "higher", None, "zero", 20),
        ("Weibo average comments per post", "comments_per_post", "weibo", "person", "month", 15, "higher", None, "zero", 10),
        ("Weibo net follows", "net_follows", "weibo", "person", "month", 20, "higher", None, "zero", 3000),
        ("Team net follows", "net_follows", None, "team", "month", 30, "higher", None, "zero", 20000),
    ],
    "copywriter": [
        ("Posts per week", "posts", None, "person", "week", 30, "higher", None, "zero", 5),
        # left out when the exports do not say which posts are original
        ("Original posts per week", "original_posts", None, "person", "week", 30, "higher", None, "excluded", 3),
        ("Average reads per post", "views_per_post", None, "person", "month", 25, "higher", None, "excluded", 2000),
        ("Enquiries", "manual:enquiries", None, "person", "month", 15, "higher", None, "excluded", 60),
    ],
    "operations": [
        ("WeChat open rate", "wechat_read_rate", "wechat", "person", "month", 25, "higher", None, "zero", 0.15),
        ("WeChat forward rate", "wechat_forward_rate", "wechat", "person", "month", 20, "higher", None, "zero", 0.05),
        # the 已通知内容 export gives no favourites: left out rather than scored 0 when missing
        ("WeChat favourite rate", "wechat_favourite_rate", "wechat", "person", "month", 15, "higher", None, "excluded", 0.03),
        ("WeChat net follows", "net_follows", "wechat", "person", "month", 25, "higher", None, "zero", 5000),
        ("Weekly event results", "manual:event_results", None, "person", "month", 15, "higher", None, "zero", 300),
    ],
    "channel_bd": [
        ("New followers from my channels", "new_follows", None, "person", "month", 40, "higher", None, "zero", 8000),
        ("Registrations from my channels", "registrations", None, "person", "month", 30, "higher", None, "zero", 1500),
        ("Partners signed", "manual:partners_signed", None, "person", "month", 30, "higher", None, "zero", 4),
    ],
    "pr_media": [
        ("PR placements", "manual:pr_placements", None, "person", "month", 40, "higher", None, "zero", 8),
        ("PR coverage (reach)", "manual:pr_coverage", None, "person", "month", 35, "higher", None, "zero", 200000),
        ("New media contacts", "manual:media_contacts", None, "person", "month", 25, "higher", None, "zero", 6),
    ],
}

# The second operations specialist runs the service account: an own set replacing the role's.
# Order conversion has the seeds' floor of 8 %; GMV (sales) stays out.
PERSON_KPIS = {
    "Zhao Lei": [
        ("Registrations", "registrations", None, "person", "month", 30, "higher", None, "zero", 3000),
        ("Daily active rate", "daily_active_rate", None, "person", "month", 25, "higher", None, "zero", 0.2),
        ("Orders", "orders", None, "person", "month", 15, "higher", None, "zero", 1500),
        ("Order conversion", "order_conversion", None, "person", "month", 20, "higher", 0.08, "zero", 0.1),
        ("Average order value", "aov", None, "person", "month", 10, "higher", None, "zero", 45),
    ],
}

# KPIs whose monthly target comes from a demo goal when one covers the month:
# (role code or person, metric) → (goal scope kind, scope reference).
_SUBSCRIPTION = "/".join(demo_spec.ACCOUNTS["wechat_subscription"])
GOAL_LINKS = {
    ("promotion_manager", "posts_per_day"): ("platform", "weibo"),
    ("operations", "wechat_read_rate"): ("account", _SUBSCRIPTION),
    ("operations", "wechat_forward_rate"): ("account", _SUBSCRIPTION),
    ("Zhao Lei", "registrations"): ("team", None),
    ("Zhao Lei", "order_conversion"): ("team", None),
}

# Manual inputs: key → (person, typical monthly value)
INPUTS = [
    ("Wang Fang", "event_results", 320),
    ("Chen Jing", "enquiries", 65),
    ("Zhou Tao", "partners_signed", 4),
    ("Huang Min", "pr_placements", 8),
    ("Huang Min", "pr_coverage", 210000),
    ("Huang Min", "media_contacts", 6),
]
INPUT_SWING = [0.78, 0.92, 1.05, 0.88, 1.12, 0.97, 1.2]

BONUS_BANDS = [(0.0, 0.0), (60.0, 0.5), (80.0, 1.0), (100.0, 1.2)]


def nice(x: float, unit: str) -> float:
    """A target rounded the way people write them: rates to 0.1 %, others to 2–3 significant digits."""
    if x <= 0:
        return x
    if unit == "ratio":
        return max(round(x, 3), 0.001)
    digits = 2 if x >= 100 else 3
    magnitude = 10 ** (math.floor(math.log10(x)) - digits + 1)
    return round(round(x / magnitude) * magnitude, 6)


def proposed_target(con, kpi: dict, person: team.Person, month: dt.date, fallback: float) -> float:
    """Last complete month's actual × (1 ± UPLIFT), rounded; ``fallback`` without history."""
    if team.is_manual(kpi["metric_id"]):
        return fallback
    actual, _ = appraisal.kpi_actual(con, kpi, person, month_of(month), [], with_sources=False)
    if actual is None or actual <= 0:
        return fallback
    lower = kpi["direction"] == "lower"
    return nice(actual * (1 - UPLIFT if lower else 1 + UPLIFT), catalog.METRICS[kpi["metric_id"]].unit)


def _goal_id(con, owner: str, metric: str) -> int | None:
    """The demo goal linked to ``owner``'s KPI on ``metric`` (see GOAL_LINKS), if it exists."""
    link = GOAL_LINKS.get((owner, metric))
    if link is None:
        return None
    kind, ref = link
    rows = con.execute("""SELECT goal_id FROM goals WHERE metric = ? AND scope_kind = ?
                          AND coalesce(scope_ref, '') = coalesce(?, '') AND parent_goal_id IS NULL
                          ORDER BY start_date LIMIT 1""", [metric, kind, ref]).fetchall()
    return rows[0][0] if rows else None


def _kpi_rows(con, spec: list[tuple], person: team.Person | None, month: dt.date, owner: str) -> list[dict]:
    rows = []
    for name, metric, platform, scope, period, weight, direction, floor, missing, fallback in spec:
        row = {"name": name, "metric_id": metric, "platform": platform, "scope": scope, "period": period,
               "weight": weight, "direction": direction, "floor_value": floor, "missing_rule": missing, "cap": 1.2,
               "goal_id": _goal_id(con, owner, metric)}
        row["target"] = proposed_target(con, row, person, month, fallback) if person else fallback
        if floor is not None:
            row["target"] = max(row["target"], floor * 1.25)
        rows.append(row)
    return rows


def _account_pairs(con, key: str) -> list[tuple[str, str]]:
    """The demo account ``key`` as (platform, account), plus the same account name under any
    other platform the store holds it (the team's business template imports as platform 'team')."""
    platform, account = demo_spec.ACCOUNTS[key]
    rows = con.execute("""SELECT platform, account FROM accounts WHERE account = ?
                          UNION SELECT DISTINCT platform, account FROM business_daily WHERE account = ?""",
                       [account, account]).fetchall()
    return sorted({(platform, account)} | {(p, a) for p, a in rows})


def seed(con, today: dt.date) -> None:
    """Write the demo's team plan rows (called inside the demo build transaction)."""
    start = demo_spec.start_date(today)
    plan_team.write_roles(con, [
        {"code": code, "name": name, "needed_from_phase": phase, "headcount": headcount,
         "responsibilities": resp, "requirements": req}
        for code, name, phase, headcount, resp, req in ROLES])
    role_ids = dict(con.execute("SELECT code, role_id FROM roles").fetchall())
    plan_team.write_people(con, [
        {"name": name, "role_id": role_ids[code], "start_date": start + dt.timedelta(days=offset), "active": True,
         "accounts": [pair for k in accounts for pair in _account_pairs(con, k)], "channels": channels,
         "bonus_base": base}
        for name, code, offset, accounts, channels, base in PEOPLE])
    plan_team.write_bonus_rule(con, "linear", 2000.0, BONUS_BANDS)

    everyone = {p.name: p for p in team.people(con)}
    history_month = appraisal.last_complete_month(today)
    for code, spec in ROLE_KPIS.items():
        holder = next((p for p in everyone.values() if p.role_id == role_ids[code]), None)
        plan_team.write_kpi_set(con, _kpi_rows(con, spec, holder, history_month, code), role_id=role_ids[code])
    for name, spec in PERSON_KPIS.items():
        plan_team.write_kpi_set(con, _kpi_rows(con, spec, everyone[name], history_month, name),
                                person_id=everyone[name].person_id)

    _seed_inputs(con, everyone, start, today)
    locked = appraisal.month_period(history_month).previous().start
    if locked >= start.replace(day=1):
        plan_team.write_lock(con, locked, MANAGER, "Agreed in the monthly review meeting", today,
                             now=dt.datetime.combine(history_month + dt.timedelta(days=2), dt.time(10, 0)))


def _seed_inputs(con, everyone: dict[str, team.Person], start: dt.date, today: dt.date) -> None:
    """Manual inputs for every month each person has worked, entered by the manager after the month."""
    month, i = start.replace(day=1), 0
    while month <= today:
        entries = []
        for name, key, typical in INPUTS:
            person = everyone[name]
            if person.start_date and person.start_date > appraisal.month_period(month).end:
                continue
            counted = appraisal.counted_period(month, person.start_date)
            worked_days = (min(counted.end, today - dt.timedelta(days=1)) - counted.start).days + 1
            if worked_days <= 0:
                continue
            share = worked_days / appraisal.month_period(month).days
            value = round(typical * share * INPUT_SWING[(i + len(entries)) % len(INPUT_SWING)])
            entries.append({"person_id": person.person_id, "input_key": key, "value": value,
                            "note": "Monthly tally" if month < today.replace(day=1) else "Month to date"})
        entered = appraisal.month_period(month).end + dt.timedelta(days=1)
        if entries:
            plan_team.write_inputs(con, month, entries, MANAGER,
                                   now=dt.datetime.combine(min(entered, today), dt.time(9, 30)))
        month = appraisal.month_period(month).end + dt.timedelta(days=1)
        i += 1
