"""Budget burn, projection, alert band and cost per result, against hand-computed figures."""
from __future__ import annotations

import datetime as dt

import pytest

from metrics import budget

D = dt.date
JAN = [D(2026, 1, d) for d in range(1, 32)]


def add_phase(con, pid, code, start, end, amount):
    con.execute("""INSERT INTO phases (phase_id, code, name, start_date, end_date, follower_target, budget)
                   VALUES (?, ?, ?, ?, ?, NULL, ?)""", [pid, code, code.title(), start, end, amount])


def add_line(con, lid, pid, item, amount, channel=None, category="placements", expected=None):
    con.execute("""INSERT INTO budget_lines (line_id, phase_id, item, category, channel, amount, importance,
                   expected_followers) VALUES (?, ?, ?, ?, ?, ?, 'important', ?)""",
                [lid, pid, item, category, channel, amount, expected])


def add_spend(con, day, line, amount, channel="(none)", source="ledger"):
    con.execute("INSERT INTO spend (source, date, budget_line, channel, amount) VALUES (?, ?, ?, ?, ?)",
                [source, day, line, channel, amount])


def add_results(con, day, channel, followers, registrations=None, orders=None):
    con.execute("""INSERT INTO channel_daily (date, channel, followers_new, registrations, orders)
                   VALUES (?, ?, ?, ?, ?)""", [day, channel, followers, registrations, orders])


# ------------------------------------------------------------------ the band

@pytest.mark.parametrize("fraction, width", [
    (0.0, 0.25),    # phase start: 25 %
    (0.45, 0.15),   # halfway to 90 %: 0.25 - 0.20 * 0.5 = 0.15
    (0.9, 0.05),    # 90 % elapsed: 5 %
    (0.97, 0.05),   # the last tenth stays at 5 %
    (1.0, 0.05),
])
def test_band_narrows_from_25_to_5_percent(fraction, width):
    assert budget.band_width(fraction) == pytest.approx(width)
    assert budget.alert_band(fraction) == pytest.approx((1 - width, 1 + width))


@pytest.mark.parametrize("budget_, spent, projected, fraction, status", [
    (1000, 300, 750, 0.4, "under"),       # band at 40 %: 1 ± 0.1611 → 838.9–1161.1; 750 is below
    (1000, 300, 1100, 0.4, "on_track"),   # 1100 inside 838.9–1161.1
    (1000, 300, 1200, 0.4, "over"),       # 1200 above 1161.1
    (1000, 960, 1060, 0.95, "over"),      # last tenth: 950–1050; 1060 above
    (1000, 960, 1040, 0.95, "on_track"),
    (1000, 1001, 1200, 0.5, "overspent"), # already above the budget
    (None, 0, 100, 0.5, "no_budget"),
    (1000, 0, None, 0.0, "not_started"),
])
def test_pace_status(budget_, spent, projected, fraction, status):
    assert budget.pace_status(budget_, spent, projected, fraction) == status


# ------------------------------------------------------------------ burn of a phase

def test_phase_burn_projection_and_daily_amount(con):
    add_phase(con, 1, "seed", JAN[0], JAN[9], 1000.0)          # 10 days, ¥1,000
    for day, amount in zip(JAN[:4], (50, 50, 100, 100)):
        add_spend(con, day, "Ads", amount)
    add_spend(con, JAN[4], "Ads", 999)                          # after as of: not counted
    burn = budget.phase_burn(con, 1, JAN[3])                    # as of Jan 4
    assert burn.as_of == JAN[3]
    assert (burn.days_total, burn.days_elapsed, burn.days_left) == (10, 4, 6)
    assert burn.spent == 300                                    # 50 + 50 + 100 + 100
    assert burn.planned_to_date == pytest.approx(400)           # 1000 × 4 / 10
    assert burn.vs_plan == pytest.approx(-100)                  # 300 − 400
    assert burn.remaining == pytest.approx(700)
    assert burn.pace_per_day == pytest.approx(75)               # 300 / 4 (window = 4 elapsed days)
    assert burn.projected == pytest.approx(750)                 # 300 + 75 × 6
    assert burn.daily_to_land == pytest.approx(700 / 6)         # (1000 − 300) / 6 = 116.67
    assert burn.band_low == pytest.approx(1 - (0.25 - 0.2 * 0.4 / 0.9))   # 0.8389
    assert burn.status == "under"                               # 0.75 < 0.8389


def test_pace_uses_the_last_fourteen_days(con):
    add_phase(con, 1, "initial", JAN[0], JAN[29], 6000.0)       # 30 days
    for day in JAN[6:20]:                                       # Jan 7–20: ¥200 a day, 14 days
        add_spend(con, day, "Ads", 200)
    burn = budget.phase_burn(con, 1, JAN[19])                   # as of Jan 20: day 20 of 30
    assert burn.spent == 2800                                   # 14 × 200
    assert burn.pace_per_day == pytest.approx(200)              # 2800 / 14, not 2800 / 20 = 140
    assert burn.projected == pytest.approx(4800)                # 2800 + 200 × 10
    # band at 20/30: w = 0.25 − 0.2 × (0.6667 / 0.9) = 0.1019 → 0.898–1.102; 4800 / 6000 = 0.8 → under
    assert burn.band_low == pytest.approx(1 - (0.25 - 0.2 * (20 / 30) / 0.9))
    assert burn.status == "under"
    assert burn.daily_to_land == pytest.approx(320)             # (6000 − 2800) / 10


def test_finished_phase_is_judged_on_its_final_spend(con):
    add_phase(con, 1, "seed", JAN[0], JAN[9], 1000.0)
    add_spend(con, JAN[2], "Ads", 960)
    burn = budget.phase_burn(con, 1, D(2026, 3, 1))             # long after the end: as of Jan 10
    assert burn.as_of == JAN[9] and burn.days_left == 0
    assert burn.projected == pytest.approx(960)                 # nothing left to add
    assert burn.daily_to_land is None                           # no day left
    assert (burn.band_low, burn.band_high) == pytest.approx((0.95, 1.05))
    assert burn.status == "on_track"                            # 0.96 inside 0.95–1.05


def test_phase_not_started_and_budget_from_lines(con):
    add_phase(con, 1, "brand", JAN[10], JAN[19], None)          # no phase budget
    add_line(con, 1, 1, "Ads", 300.0)
    add_line(con, 2, 1, "Prizes", 200.0)
    burn = budget.phase_burn(con, 1, JAN[5])
    assert burn.budget == 500                                   # 300 + 200 from the lines
    assert burn.as_of is None and burn.spent == 0 and burn.projected is None
    assert burn.status == "not_started"


def test_phase_pace_is_the_current_phase_as_of_yesterday(con):
    add_phase(con, 1, "seed", JAN[0], JAN[9], 1000.0)
    add_phase(con, 2, "initial", JAN[10], JAN[29], 2000.0)
    for day in JAN[10:15]:                                      # Jan 11–15: ¥100 a day
        add_spend(con, day, "Ads", 100)
    add_spend(con, JAN[15], "Ads", 5000)                        # today (Jan 16): not yet counted
    burn = budget.phase_pace(con, JAN[15])
    assert burn.phase_code == "initial" and burn.as_of == JAN[14]
    assert burn.spent == 500 and burn.days_elapsed == 5
    assert burn.projected == pytest.approx(2000)                # 500 + 100 × 15
    assert burn.status == "on_track"
    assert budget.phase_pace(con, D(2025, 1, 1)) is None           # before every phase: no current phase


def test_phase_for_day(con):
    add_phase(con, 1, "seed", JAN[0], JAN[9], 1.0)
    add_phase(con, 2, "initial", JAN[10], JAN[19], 1.0)
    assert budget.phase_for_day(con, JAN[12]) == 2              # the phase containing the day
    assert budget.phase_for_day(con, D(2026, 5, 1)) == 2        # after every phase: the latest
    assert budget.phase_for_day(con, D(2025, 5, 1)) == 1        # before every phase: the first


def test_line_burns_with_unplanned_spend(con):
    add_phase(con, 1, "seed", JAN[0], JAN[9], 1000.0)
    add_line(con, 1, 1, "Ads", 600.0, channel="Weibo", expected=200)
    add_line(con, 2, 1, "Prizes", 400.0, category="prizes")
    add_spend(con, JAN[0], "Ads", 100)
    add_spend(con, JAN[1], "Ads", 200)
    add_spend(con, JAN[1], "Booth", 50)                         # no such line
    lines = budget.line_burns(con, 1, JAN[1])                   # as of Jan 2: 2 of 10 days
    ads = lines.set_index("item").loc["Ads"]
    assert ads["spent"] == 300
    assert ads["share_spent"] == pytest.approx(0.5)             # 300 / 600
    assert ads["planned_to_date"] == pytest.approx(120)         # 600 × 2 / 10
    assert ads["projected"] == pytest.approx(1500)              # 300 + (300 / 2) × 8
    assert ads["status"] == "over"                              # 2.5 × the line
    assert ads["target_cost_per_follower"] == pytest.approx(3)  # 600 / 200
    prizes = lines.set_index("item").loc["Prizes"]
    assert prizes["spent"] == 0 and prizes["status"] == "under"
    assert budget.unplanned_summary(lines) == (["Booth"], 50.0)
    assert lines.set_index("item").loc["Booth", "status"] == "unplanned"


def test_burn_curve_planned_actual_projected(con):
    add_phase(con, 1, "seed", JAN[0], JAN[9], 1000.0)
    add_line(con, 1, 1, "Ads", 500.0)
    add_spend(con, JAN[0], "Ads", 100)
    add_spend(con, JAN[1], "Prizes", 100)
    curve = budget.burn_curve(con, 1, JAN[1])
    assert len(curve) == 10
    assert curve["planned"].tolist()[:2] == pytest.approx([100, 200])   # 1000 / 10 a day
    assert curve["actual"].tolist()[:2] == pytest.approx([100, 200])
    assert curve["actual"].iloc[2:].isna().all()                       # nothing after as of
    assert curve["projected"].iloc[0:1].isna().all()
    assert curve["projected"].iloc[1] == pytest.approx(200)            # starts at spent
    assert curve["projected"].iloc[9] == pytest.approx(1000)           # 200 + 100 × 8
    line = budget.burn_curve(con, 1, JAN[1], "Ads")
    assert line["planned"].iloc[9] == pytest.approx(500)
    assert line["actual"].iloc[1] == pytest.approx(100)                # only the Ads spend
    assert line["projected"].iloc[9] == pytest.approx(100 + 50 * 8)    # pace 100 / 2


# ------------------------------------------------------------------ cost per result

@pytest.fixture
def cost_store(con):
    """Two channels over Jan 2–3 (previous period Dec 31 – Jan 1) and three ways to attribute spend."""
    add_phase(con, 1, "seed", D(2025, 12, 1), JAN[30], 10_000.0)
    add_line(con, 1, 1, "Soft", 1000.0, channel="X")
    add_line(con, 2, 1, "Prizes", 1000.0, channel="Y", category="prizes")
    add_line(con, 3, 1, "Salaries", 1000.0, category="salaries")
    add_results(con, JAN[1], "X", 10, 4, 1)
    add_results(con, JAN[2], "X", 30, 6, 1)
    add_results(con, JAN[1], "Y", 20, 5, 0)
    add_results(con, JAN[2], "Y", 0, 0, 0)
    add_spend(con, JAN[1], "Soft", 100, channel="X")            # the ledger names the channel
    add_spend(con, JAN[2], "Soft", 20, channel="X")
    add_spend(con, JAN[1], "Prizes", 50)                        # '(none)': the line's channel Y
    add_spend(con, JAN[1], "Salaries", 60)                      # no channel at all: board-wide
    add_spend(con, JAN[2], "Salaries", 60)
    add_results(con, JAN[0], "X", 10, 2, 0)                     # previous period
    add_spend(con, JAN[0], "Soft", 50, channel="X")
    return con


def test_cost_per_result_is_the_ratio_of_sums(cost_store):
    lines = budget.costs_by_line(cost_store, JAN[1], JAN[2], D(2025, 12, 31), JAN[0]).set_index("budget_line")
    soft = lines.loc["Soft"]
    assert soft["spend"] == 120 and soft["followers"] == 40
    assert soft["cost_per_follower"] == pytest.approx(3.0)       # 120 / 40, not mean(100/10, 20/30) = 5.33
    assert soft["cost_per_registration"] == pytest.approx(12.0)  # 120 / (4 + 6)
    assert soft["cost_per_order"] == pytest.approx(60.0)         # 120 / 2
    assert soft["prev_cost_per_follower"] == pytest.approx(5.0)  # 50 / 10 the period before
    prizes = lines.loc["Prizes"]
    assert prizes["channels"] == "Y"                             # taken from its budget line
    assert prizes["cost_per_follower"] == pytest.approx(2.5)     # 50 / 20
    assert prizes["cost_per_order"] is None                      # Y brought no order: no cost, not 0
    assert prizes["prev_spend"] is None
    salaries = lines.loc["Salaries"]
    assert bool(salaries["board_wide"]) is True
    assert salaries["followers"] == 60                           # all channels: 40 + 20
    assert salaries["cost_per_follower"] == pytest.approx(2.0)   # 120 / 60
    assert salaries["cost_per_registration"] == pytest.approx(8.0)   # 120 / 15


def test_cost_per_result_by_channel_and_totals(cost_store):
    by = budget.costs_by_channel(cost_store, JAN[1], JAN[2], D(2025, 12, 31), JAN[0])
    x = by[by["channel"] == "X"].iloc[0]
    y = by[by["channel"] == "Y"].iloc[0]
    board = by[by["board_wide"].astype(bool)].iloc[0]
    assert x["cost_per_follower"] == pytest.approx(3.0) and x["prev_cost_per_follower"] == pytest.approx(5.0)
    assert y["cost_per_follower"] == pytest.approx(2.5)
    assert board["spend"] == 120 and board["cost_per_follower"] == pytest.approx(2.0)
    totals = budget.cost_totals(cost_store, JAN[1], JAN[2])
    assert totals["spend"] == 290                                # 120 + 50 + 120
    assert totals["cost_per_follower"] == pytest.approx(290 / 60)    # 4.83
    assert totals["cost_per_registration"] == pytest.approx(290 / 15)
    assert totals["cost_per_order"] == pytest.approx(145.0)      # 290 / 2


def test_channel_without_spend_has_no_cost(con):
    add_results(con, JAN[0], "Own groups", 12)
    by = budget.costs_by_channel(con, JAN[0], JAN[0], D(2025, 12, 31), D(2025, 12, 31))
    row = by.iloc[0]
    assert row["channel"] == "Own groups" and row["spend"] is None and row["cost_per_follower"] is None


def test_empty_store(con):
    assert not budget.has_plan_or_spend(con)
    assert budget.phase_pace(con, JAN[0]) is None
    assert budget.costs_by_line(con, JAN[0], JAN[6], D(2025, 12, 25), D(2025, 12, 31)).empty
    assert budget.cost_totals(con, JAN[0], JAN[6])["cost_per_follower"] is None
