"""Budget burn: spend against each phase's budget and its lines, pace, alerts, cost per result.

Conventions (shown on the Budget view):

* **As of** — figures run to the last complete day: the day before ``today`` (or the end of
  the chosen period, if earlier), never past the phase end.
* **Planned curve** — the budget spread evenly over the phase's days: planned to date =
  budget × elapsed days ÷ phase days.
* **Pace** — the average daily spend over the last ``PACE_WINDOW_DAYS`` elapsed days (fewer
  at the start of a phase). **Projected** end-of-phase spend = spent + pace × days left.
  **Daily amount that lands on budget** = (budget − spent) ÷ days left.
* **Alert band** — the projection is on track while it stays within budget × (1 ± w), where
  w narrows linearly from ``BAND_START`` (25 %) when the phase starts to ``BAND_END`` (5 %)
  once ``BAND_FULL_AT`` (90 %) of the phase has elapsed, and stays 5 % in the last tenth.
* **Cost per result** — spend ÷ results (new followers, registrations, orders) from
  ``channel_daily``, always the ratio of the sums. Spend is attributed to the channel the
  ledger names, else to the channel of its budget line; spend tied to no channel is set
  against the results of all channels.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

PACE_WINDOW_DAYS = 14
BAND_START = 0.25
BAND_END = 0.05
BAND_FULL_AT = 0.9
NO_CHANNEL = ("", "(none)", "none", "-")

CATEGORIES = ("placements", "prizes", "coupons", "red_packets", "events", "tools", "salaries", "other")
IMPORTANCE = ("important", "optional")


def band_width(fraction_elapsed: float) -> float:
    """Half-width w of the alert band after ``fraction_elapsed`` (0–1) of the phase."""
    f = min(max(fraction_elapsed, 0.0), 1.0)
    return BAND_START - (BAND_START - BAND_END) * min(f / BAND_FULL_AT, 1.0)


def alert_band(fraction_elapsed: float) -> tuple[float, float]:
    """(low, high) multiples of the budget inside which a projection is on track."""
    w = band_width(fraction_elapsed)
    return 1.0 - w, 1.0 + w


def pace_status(budget: float | None, spent: float, projected: float | None,
                fraction_elapsed: float) -> str:
    """'no_budget', 'not_started', 'overspent' (already above budget), 'over' or 'under'
    (projection outside the band) or 'on_track'."""
    if budget is None or budget <= 0:
        return "no_budget"
    if projected is None:
        return "not_started"
    if spent > budget:
        return "overspent"
    low, high = alert_band(fraction_elapsed)
    if projected > budget * high:
        return "over"
    if projected < budget * low:
        return "under"
    return "on_track"


@dataclass(frozen=True)
class Burn:
    """Where one phase (or one budget line of it) stands on its budget."""
    phase_id: int
    phase_code: str
    phase_name: str
    start: dt.date
    end: dt.date
    budget: float | None          # phases.budget, else the sum of its lines
    lines_total: float             # sum of the phase's budget lines
    as_of: dt.date | None          # None when the phase has not started
    days_total: int
    days_elapsed: int
    days_left: int
    spent: float
    planned_to_date: float | None
    remaining: float | None
    pace_per_day: float | None
    projected: float | None
    daily_to_land: float | None    # None when no day is left
    band_low: float                # multiples of the budget
    band_high: float
    status: str

    @property
    def fraction_elapsed(self) -> float:
        return self.days_elapsed / self.days_total if self.days_total else 0.0

    @property
    def vs_plan(self) -> float | None:
        """Spent minus planned to date (positive: ahead of the plan)."""
        return None if self.planned_to_date is None else self.spent - self.planned_to_date

    @property
    def projected_ratio(self) -> float | None:
        if self.projected is None or not self.budget:
            return None
        return self.projected / self.budget


def as_of_date(start: dt.date, end: dt.date, limit: dt.date) -> dt.date | None:
    """The last day counted: ``limit`` clipped to the phase end; None before the phase starts."""
    day = min(limit, end)
    return day if day >= start else None


def burn_figures(budget: float | None, start: dt.date, end: dt.date, as_of: dt.date | None,
                 spent: float, window_spend: float) -> dict:
    """Pure arithmetic of a burn: elapsed and left days, planned to date, pace, projection,
    daily amount to land on budget, band and status. ``window_spend`` is the spend of the
    last min(PACE_WINDOW_DAYS, elapsed) days up to ``as_of``."""
    days_total = (end - start).days + 1
    elapsed = 0 if as_of is None else (as_of - start).days + 1
    left = days_total - elapsed
    fraction = elapsed / days_total
    low, high = alert_band(fraction)
    if as_of is None:
        pace = projected = None
    else:
        window = min(PACE_WINDOW_DAYS, elapsed)
        pace = window_spend / window
        projected = spent + pace * left
    planned = None if budget is None else budget * elapsed / days_total
    remaining = None if budget is None else budget - spent
    to_land = None if budget is None or left == 0 else max(budget - spent, 0.0) / left
    return dict(days_total=days_total, days_elapsed=elapsed, days_left=left, spent=spent,
                planned_to_date=planned, remaining=remaining, pace_per_day=pace, projected=projected,
                daily_to_land=to_land, band_low=low, band_high=high,
                status=pace_status(budget, spent, projected, fraction))


def _phase(con, phase_id: int) -> tuple | None:
    rows = con.execute(
        """SELECT p.phase_id, p.code, p.name, p.start_date, p.end_date, p.budget,
                  (SELECT coalesce(sum(amount), 0) FROM budget_lines b WHERE b.phase_id = p.phase_id)
           FROM phases p WHERE p.phase_id = ?""", [phase_id]).fetchall()
    return rows[0] if rows else None


def _spent(con, start: dt.date, as_of: dt.date | None, window_start: dt.date | None,
           item: str | None = None) -> tuple[float, float]:
    """(spend from start to as_of, spend from window_start to as_of), optionally for one line."""
    if as_of is None:
        return 0.0, 0.0
    rows = con.execute(
        """SELECT coalesce(sum(amount), 0), coalesce(sum(amount) FILTER (WHERE date >= ?), 0)
           FROM spend WHERE date BETWEEN ? AND ? AND (? IS NULL OR budget_line = ?)""",
        [window_start, start, as_of, item, item]).fetchall()
    return float(rows[0][0]), float(rows[0][1])


def _window_start(start: dt.date, as_of: dt.date | None) -> dt.date | None:
    if as_of is None:
        return None
    elapsed = (as_of - start).days + 1
    return as_of - dt.timedelta(days=min(PACE_WINDOW_DAYS, elapsed) - 1)


def phase_burn(con, phase_id: int, limit: dt.date) -> Burn | None:
    """Burn of phase ``phase_id`` counted up to ``limit`` (usually yesterday); None if unknown."""
    row = _phase(con, phase_id)
    if row is None:
        return None
    pid, code, name, start, end, phase_budget, lines_total = row
    budget = phase_budget if phase_budget is not None else (lines_total or None)
    as_of = as_of_date(start, end, limit)
    spent, window = _spent(con, start, as_of, _window_start(start, as_of))
    return Burn(phase_id=pid, phase_code=code, phase_name=name, start=start, end=end, budget=budget,
                lines_total=float(lines_total), as_of=as_of,
                **burn_figures(budget, start, end, as_of, spent, window))


def phase_pace(con, today: dt.date) -> Burn | None:
    """The current phase's burn as of yesterday (for the stand-up): budget, spent, projected,
    status; None when there is no phase."""
    from metrics.plan_core import current_phase
    phase = current_phase(con, today)
    if phase is None:
        return None
    return phase_burn(con, phase["phase_id"], today - dt.timedelta(days=1))


def phase_choices(con) -> pd.DataFrame:
    """Every phase (phase_id, code, name, start_date, end_date, budget), in date order."""
    return con.execute(
        "SELECT phase_id, code, name, start_date, end_date, budget FROM phases ORDER BY start_date, phase_id").df()


def phase_allocation(con, phase_id: int) -> dict:
    """The phase's budget, the sum of its lines and what is left unallocated (None without a budget)."""
    rows = con.execute(
        """SELECT p.budget, (SELECT coalesce(sum(amount), 0) FROM budget_lines b WHERE b.phase_id = p.phase_id)
           FROM phases p WHERE p.phase_id = ?""", [phase_id]).fetchall()
    if not rows:
        return {"budget": None, "lines_total": 0.0, "unallocated": None}
    phase_budget, lines_total = rows[0]
    return {"budget": phase_budget, "lines_total": float(lines_total),
            "unallocated": None if phase_budget is None else phase_budget - lines_total}


def phase_for_day(con, day: dt.date) -> int | None:
    """The phase containing ``day``, else the latest that started before it, else the first one."""
    rows = con.execute(
        """SELECT phase_id FROM phases
           ORDER BY (start_date <= ? AND end_date >= ?) DESC, (start_date <= ?) DESC,
                    CASE WHEN start_date <= ? THEN start_date END DESC NULLS LAST, start_date
           LIMIT 1""", [day, day, day, day]).fetchall()
    return rows[0][0] if rows else None


def line_burns(con, phase_id: int, limit: dt.date) -> pd.DataFrame:
    """One row per budget line of the phase, plus one per ledger name spent in the phase
    without a line ('unplanned'): planned amount, spent, planned to date, remaining,
    pace, projected, daily amount to land, status, and the target cost per follower
    (amount ÷ expected followers)."""
    row = _phase(con, phase_id)
    cols = ["line_id", "item", "category", "channel", "importance", "amount", "expected_followers",
            "target_cost_per_follower", "spent", "share_spent", "planned_to_date", "remaining", "pace_per_day", "projected",
            "daily_to_land", "status"]
    if row is None:
        return pd.DataFrame(columns=cols)
    _, _, _, start, end, _, _ = row
    as_of = as_of_date(start, end, limit)
    window_start = _window_start(start, as_of)
    data = con.execute(
        """WITH s AS (
             SELECT budget_line, sum(amount) AS spent,
                    sum(amount) FILTER (WHERE date >= ?) AS window_spend
             FROM spend WHERE ? IS NOT NULL AND date BETWEEN ? AND ? GROUP BY budget_line)
           SELECT b.line_id, b.item, b.category, b.channel, b.importance, b.amount, b.expected_followers,
                  coalesce(s.spent, 0) AS spent, coalesce(s.window_spend, 0) AS window_spend
           FROM budget_lines b LEFT JOIN s ON s.budget_line = b.item
           WHERE b.phase_id = ?
           UNION ALL
           SELECT NULL, s.budget_line, NULL, NULL, NULL, NULL, NULL, s.spent, coalesce(s.window_spend, 0)
           FROM s WHERE s.budget_line NOT IN (SELECT item FROM budget_lines WHERE phase_id = ?)
           ORDER BY 6 DESC NULLS LAST, 2""",
        [window_start, as_of, start, as_of, phase_id, phase_id]).fetchall()
    out = []
    for line_id, item, category, channel, importance, amount, expected, spent, window in data:
        fig = burn_figures(amount, start, end, as_of, float(spent), float(window))
        status = "unplanned" if line_id is None else fig["status"]
        out.append(dict(line_id=line_id, item=item, category=category, channel=channel,
                        importance=importance, amount=amount, expected_followers=expected,
                        target_cost_per_follower=(amount / expected if amount is not None and expected else None),
                        spent=float(spent), share_spent=(spent / amount if amount else None),
                        planned_to_date=fig["planned_to_date"], remaining=fig["remaining"],
                        pace_per_day=fig["pace_per_day"], projected=fig["projected"],
                        daily_to_land=fig["daily_to_land"], status=status))
    return pd.DataFrame(out, columns=cols)


def unplanned_summary(lines: pd.DataFrame) -> tuple[list[str], float]:
    """(names, total spend) of the ledger names spent in the phase without a budget line."""
    rows = lines[lines["status"] == "unplanned"]
    return rows["item"].astype(str).tolist(), float(rows["spent"].sum())


def burn_curve(con, phase_id: int, limit: dt.date, item: str | None = None) -> pd.DataFrame:
    """Daily burn-up of a phase (or of its line ``item``): date, planned (cumulative, even
    spread), actual (cumulative, up to as of) and projected (from as of to the phase end)."""
    row = _phase(con, phase_id)
    if row is None:
        return pd.DataFrame(columns=["date", "planned", "actual", "projected"])
    _, _, _, start, end, phase_budget, lines_total = row
    if item is None:
        budget = phase_budget if phase_budget is not None else (lines_total or None)
    else:
        found = con.execute("SELECT amount FROM budget_lines WHERE phase_id = ? AND item = ?",
                            [phase_id, item]).fetchall()
        budget = found[0][0] if found else None
    as_of = as_of_date(start, end, limit)
    spent, window = _spent(con, start, as_of, _window_start(start, as_of), item)
    fig = burn_figures(budget, start, end, as_of, spent, window)
    pace = fig["pace_per_day"]
    days_total = fig["days_total"]
    return con.execute(
        """WITH days AS (SELECT range::DATE AS date FROM range(?::DATE, ?::DATE + INTERVAL 1 DAY, INTERVAL 1 DAY)),
                daily AS (SELECT date, sum(amount) AS amount FROM spend
                          WHERE date BETWEEN ? AND ? AND (? IS NULL OR budget_line = ?) GROUP BY date)
           SELECT d.date,
                  ?::DOUBLE * (row_number() OVER (ORDER BY d.date)) / ? AS planned,
                  CASE WHEN d.date <= ?::DATE
                       THEN sum(coalesce(daily.amount, 0)) OVER (ORDER BY d.date) END AS actual,
                  CASE WHEN d.date >= ?::DATE THEN ?::DOUBLE + ?::DOUBLE * (d.date - ?::DATE) END AS projected
           FROM days d LEFT JOIN daily USING (date) ORDER BY d.date""",
        [start, end, start, end, item, item, budget, days_total, as_of, as_of, spent, pace, as_of]).df()


# ---------------------------------------------------------------- cost per result

ATTRIBUTED_SPEND_SQL = f"""
    SELECT s.budget_line, s.amount,
           coalesce(CASE WHEN lower(trim(coalesce(s.channel, ''))) IN {NO_CHANNEL!r} THEN NULL ELSE s.channel END,
                    (SELECT b.channel FROM budget_lines b JOIN phases p USING (phase_id)
                     WHERE b.item = s.budget_line AND s.date BETWEEN p.start_date AND p.end_date
                     ORDER BY p.start_date LIMIT 1)) AS channel
    FROM spend s WHERE s.date BETWEEN $start AND $end"""

RESULTS_SQL = """
    SELECT channel, sum(followers_new) AS followers, sum(registrations) AS registrations,
           sum(orders) AS orders
    FROM channel_daily WHERE date BETWEEN $start AND $end GROUP BY channel"""

COSTS_SQL = """
    spend / NULLIF(followers, 0) AS cost_per_follower,
    spend / NULLIF(registrations, 0) AS cost_per_registration,
    spend / NULLIF(orders, 0) AS cost_per_order"""


def _line_costs_sql(start: str, end: str) -> str:
    """Per ledger line between the parameters ``start`` and ``end``: spend, the channels it paid
    for, their results and the costs per result."""
    spend = ATTRIBUTED_SPEND_SQL.replace("$start", start).replace("$end", end)
    results = RESULTS_SQL.replace("$start", start).replace("$end", end)
    return f"""WITH s AS ({spend}),
                 r AS ({results}),
                 board AS (SELECT sum(followers) AS followers, sum(registrations) AS registrations,
                                  sum(orders) AS orders FROM r),
                 lines AS (SELECT budget_line, sum(amount) AS spend, bool_or(channel IS NULL) AS board_wide,
                                  string_agg(DISTINCT channel, ', ' ORDER BY channel) AS channels
                           FROM s GROUP BY budget_line),
                 line_results AS (
                     SELECT lc.budget_line, sum(r.followers) AS followers,
                            sum(r.registrations) AS registrations, sum(r.orders) AS orders
                     FROM (SELECT DISTINCT budget_line, channel FROM s WHERE channel IS NOT NULL) lc
                     JOIN r USING (channel) GROUP BY lc.budget_line),
                 joined AS (
                     SELECT l.budget_line, l.spend, l.channels, l.board_wide,
                            CASE WHEN l.board_wide THEN board.followers ELSE lr.followers END AS followers,
                            CASE WHEN l.board_wide THEN board.registrations ELSE lr.registrations END AS registrations,
                            CASE WHEN l.board_wide THEN board.orders ELSE lr.orders END AS orders
                     FROM lines l CROSS JOIN board LEFT JOIN line_results lr USING (budget_line))
            SELECT budget_line, channels, board_wide, spend, followers, registrations, orders, {COSTS_SQL}
            FROM joined"""


def _channel_costs_sql(start: str, end: str) -> str:
    """Per channel between the parameters ``start`` and ``end`` (spend tied to no channel: one
    ``board_wide`` row): spend, results and the costs per result."""
    spend = ATTRIBUTED_SPEND_SQL.replace("$start", start).replace("$end", end)
    results = RESULTS_SQL.replace("$start", start).replace("$end", end)
    return f"""WITH s AS ({spend}),
                 r AS ({results}),
                 board AS (SELECT sum(followers) AS followers, sum(registrations) AS registrations,
                                  sum(orders) AS orders FROM r),
                 c AS (SELECT channel, sum(amount) AS spend FROM s GROUP BY channel),
                 joined AS (
                     SELECT coalesce(c.channel, r.channel) AS channel, c.spend,
                            r.followers, r.registrations, r.orders, false AS board_wide
                     FROM c FULL JOIN r ON c.channel = r.channel
                     WHERE c.channel IS NOT NULL OR r.channel IS NOT NULL
                     UNION ALL
                     SELECT NULL, c.spend, board.followers, board.registrations, board.orders, true
                     FROM c CROSS JOIN board WHERE c.channel IS NULL)
            SELECT channel, board_wide, spend, followers, registrations, orders, {COSTS_SQL}
            FROM joined"""


def cost_totals(con, start: dt.date, end: dt.date) -> dict:
    """All spend in the period against the results of all channels (ratio of the sums)."""
    row = con.execute(
        f"""WITH r AS ({RESULTS_SQL})
            SELECT spend, followers, registrations, orders, {COSTS_SQL}
            FROM (SELECT (SELECT sum(amount) FROM spend WHERE date BETWEEN $start AND $end) AS spend,
                         sum(followers) AS followers, sum(registrations) AS registrations,
                         sum(orders) AS orders FROM r)""",
        {"start": start, "end": end}).fetchall()[0]
    keys = ("spend", "followers", "registrations", "orders",
            "cost_per_follower", "cost_per_registration", "cost_per_order")
    return dict(zip(keys, row))


PREVIOUS_COLUMNS = ("spend", "followers", "registrations", "orders",
                    "cost_per_follower", "cost_per_registration", "cost_per_order")


def _with_previous(con, sql_of, key: str, order: str, start, end, prev_start, prev_end) -> pd.DataFrame:
    """The period's rows with the previous period's figures beside them (``prev_*``), joined on
    ``key`` and ``board_wide`` in the store (one query); missing figures are None."""
    prev = ", ".join(f"p.{c} AS prev_{c}" for c in PREVIOUS_COLUMNS)
    frame = con.execute(
        f"""WITH cur AS ({sql_of('$start', '$end')}), prv AS ({sql_of('$prev_start', '$prev_end')})
            SELECT c.*, {prev} FROM cur c
            LEFT JOIN prv p ON p.{key} IS NOT DISTINCT FROM c.{key} AND p.board_wide = c.board_wide
            ORDER BY {order}""",
        {"start": start, "end": end, "prev_start": prev_start, "prev_end": prev_end}).df()
    return frame.astype(object).where(frame.notna(), None)


def costs_by_line(con, start: dt.date, end: dt.date, prev_start: dt.date, prev_end: dt.date) -> pd.DataFrame:
    """Per ledger budget line in the period: spend, results of the channels it paid for,
    cost per follower / registration / order, and the same for the previous period
    (``prev_*`` columns). ``board_wide`` lines (no channel) are set against all channels."""
    return _with_previous(con, _line_costs_sql, "budget_line", "c.spend DESC, c.budget_line",
                          start, end, prev_start, prev_end)


def costs_by_channel(con, start: dt.date, end: dt.date, prev_start: dt.date, prev_end: dt.date) -> pd.DataFrame:
    """Per channel in the period: spend attributed to it, its results, cost per result, and
    the previous period beside it. Spend tied to no channel is one ``board_wide`` row."""
    return _with_previous(con, _channel_costs_sql, "channel",
                          "c.board_wide, c.spend DESC, c.followers DESC NULLS LAST, c.channel",
                          start, end, prev_start, prev_end)


def spend_total(con, start: dt.date, end: dt.date) -> float | None:
    """All spend dated in the period (None when the ledger has nothing there)."""
    return con.execute("SELECT sum(amount) FROM spend WHERE date BETWEEN ? AND ?", [start, end]).fetchall()[0][0]


def has_plan_or_spend(con) -> bool:
    """True when the store holds any phase, budget line or spend row."""
    return con.execute(
        "SELECT (SELECT count(*) FROM phases) + (SELECT count(*) FROM budget_lines) + (SELECT count(*) FROM spend)"
    ).fetchall()[0][0] > 0
