"""Demo workspace plan seed: the goals of CityEats.

Called by the demo builder inside its build transaction, after the demo exports were
imported and the phases and channels written. Targets that depend on the demo's figures are
proposed from history the way a team would (the previous period × (1 + uplift)); without
history they fall back to the numbers of the method (PRODUCT.md).
"""
from __future__ import annotations

import datetime as dt

from metrics import catalog
from metrics import goals as gm
from metrics.periods import month_of
from store import demo_spec
from store.plan_goals import insert_goal, write_split


def _phases(con, today: dt.date) -> dict[str, dict]:
    rows = gm.phases(con)
    if not rows:  # the builder writes them first; stand-alone use writes them from the spec
        for code, name, start, end, target, budget in demo_spec.phase_dates(today):
            con.execute("""INSERT INTO phases (phase_id, code, name, start_date, end_date, follower_target, budget)
                           VALUES (nextval('phase_id_seq'), ?, ?, ?, ?, ?, ?)""",
                        [code, name, start, end, target, budget])
        rows = gm.phases(con)
    return {p["code"]: p for p in rows}


def _history(con, metric: str, start: dt.date, end: dt.date, uplift: float, fallback: float,
             scope: catalog.Scope | None = None, digits: int | None = 0) -> float:
    """The previous period × (1 + uplift), rounded; ``fallback`` without history."""
    suggestion = gm.suggest_target(con, metric, start, end, uplift, scope)["suggestion"]
    if suggestion is None or suggestion <= 0:
        return fallback
    return round(suggestion, digits) if digits is not None else suggestion


def _rate_history(con, metric: str, start: dt.date, end: dt.date, factor: float, fallback: float,
                  lo: float, hi: float, scope: catalog.Scope | None = None) -> float:
    """A rate target: the previous period's rate × factor, kept within [lo, hi]."""
    p_start, p_end = gm.previous_period(start, end)
    previous = catalog.value(con, metric, p_start, p_end, scope)
    if previous is None:
        return fallback
    return round(min(max(previous * factor, lo), hi), 3)


def seed(con, today: dt.date) -> None:
    """Write the demo's goals: the ultimate goal first, then counts, rates with floors,
    stay-below and growth goals, follower targets per phase, and their splits."""
    phases = _phases(con, today)
    brand = phases.get("brand") or max(phases.values(), key=lambda p: p["start_date"])
    b_start, b_end = brand["start_date"], brand["end_date"]
    sub = "/".join(demo_spec.ACCOUNTS["wechat_subscription"])
    weibo_platform = demo_spec.ACCOUNTS["weibo"][0]
    month = month_of(today - dt.timedelta(days=7))   # the month of the last complete week, the default period
    lead_in = (b_start - dt.timedelta(days=28), b_start - dt.timedelta(days=1))

    # 1. the ultimate goal (O2O: daily orders) for the brand phase: the 28 days before it × 1.5
    daily_orders = catalog.value(con, "orders_per_day", *lead_in)
    insert_goal(con, metric="orders_per_day", start_date=b_start, end_date=b_end, phase_id=brand["phase_id"],
                target=300.0 if not daily_orders else float(round(daily_orders * 1.5)), kind="outcome",
                rule="reach", is_ultimate=True,
                note="O2O: the one number the project lives by; the 28 days before the phase × 1.5.")
    # 2. a count along a growth curve, split across the accounts by their past share
    new_follows = insert_goal(
        con, metric="new_follows", start_date=b_start, end_date=b_end, phase_id=brand["phase_id"],
        target=_history(con, "new_follows", b_start, b_end, 0.3, 60_000.0), kind="outcome", rule="reach",
        split_mode="curve", curve_growth=0.2, split_grain="month",
        note="Previous three months × 1.3, each month +20 % on the one before.")
    p_start, p_end = gm.previous_period(b_start, b_end)
    members = []
    for platform, account in demo_spec.ACCOUNTS.values():
        past = catalog.value(con, "new_follows", p_start, p_end, catalog.Scope(accounts=[(platform, account)]))
        if past:
            members.append({"scope_kind": "account", "scope_ref": f"{platform}/{account}", "share": past})
    if len(members) > 1:
        write_split(con, new_follows, members=members)
    insert_goal(con, metric="registrations", start_date=b_start, end_date=b_end, phase_id=brand["phase_id"],
                target=_history(con, "registrations", b_start, b_end, 0.3, 30_000.0), kind="outcome",
                rule="reach", note="Previous three months × 1.3.")
    # 3. a rate with a floor: order conversion ≥ 8 %
    insert_goal(con, metric="order_conversion", start_date=b_start, end_date=b_end, phase_id=brand["phase_id"],
                target=_rate_history(con, "order_conversion", b_start, b_end, 1.1, 0.10, 0.08, 0.5), floor=0.08,
                kind="outcome", rule="at_least", note="Floor 8 % (the method's service-account example).")
    # 4. a stay-below: cost per follower
    insert_goal(con, metric="cost_per_follower", start_date=b_start, end_date=b_end, phase_id=brand["phase_id"],
                target=_rate_history(con, "cost_per_follower", b_start, b_end, 0.9, 5.0, 0.5, 500.0),
                kind="outcome", rule="at_most", note="10 % cheaper than the previous period.")
    # 5. a growth %: net follows this month against the previous period of the same length
    insert_goal(con, metric="net_follows", start_date=month.start, end_date=month.end, target=0.2, kind="outcome",
                rule="growth", note="Later phases: 10–20 % a month.")
    # 6–7. WeChat article open rate 15 % and forward rate 5 % on the subscription account
    insert_goal(con, metric="wechat_read_rate", scope_kind="account", scope_ref=sub, start_date=b_start,
                end_date=b_end, phase_id=brand["phase_id"], target=0.15, floor=0.10, kind="outcome", rule="reach",
                note="A high average open rate.")
    insert_goal(con, metric="wechat_forward_rate", scope_kind="account", scope_ref=sub, start_date=b_start,
                end_date=b_end, phase_id=brand["phase_id"], target=0.05, kind="outcome", rule="reach",
                note="A high average forward rate.")
    # 8. follower targets per phase (followers at each phase's end)
    for code in ("seed", "initial", "brand"):
        p = phases.get(code)
        if p and p.get("follower_target"):
            insert_goal(con, metric="followers", start_date=p["start_date"],
                        end_date=p["end_date"], phase_id=p["phase_id"], target=float(p["follower_target"]),
                        kind="outcome", rule="reach", split_grain="month",
                        note="The phase's follower target (followers at its end).")
    # 9. business (output) goals: Weibo posts a day, WeChat articles this month
    insert_goal(con, metric="posts_per_day", scope_kind="platform", scope_ref=weibo_platform, start_date=b_start,
                end_date=b_end, phase_id=brand["phase_id"], target=3.0, floor=2.0, kind="output", rule="at_least",
                note="Output goal: at least three Weibo posts a day.")
    insert_goal(con, metric="posts", scope_kind="account", scope_ref=sub, start_date=month.start,
                end_date=month.end, target=_history(con, "posts", month.start, month.end, 0.2, 26.0,
                                                    catalog.Scope(accounts=[tuple(sub.split("/", 1))])),
                kind="output", rule="reach", split_mode="weekday", weekday_weights="1,1,1,1,1,0.5,0.5",
                split_grain="week", note="Output goal: articles a month, fewer at weekends.")
    # 10. orders this month, heavier at weekends (a food service)
    insert_goal(con, metric="orders", start_date=month.start, end_date=month.end,
                target=_history(con, "orders", month.start, month.end, 0.15, 9_000.0), kind="outcome",
                rule="reach", split_mode="weekday", weekday_weights="1,1,1,1,1.2,1.5,1.3", split_grain="week",
                note="Previous period × 1.15, weekends weigh more.")
    # 11. spend stays within the brand phase budget
    if brand.get("budget"):
        insert_goal(con, metric="spend", start_date=b_start, end_date=b_end, phase_id=brand["phase_id"],
                    target=float(brand["budget"]), kind="output", rule="at_most",
                    note="The phase budget is a ceiling, spent evenly.")
