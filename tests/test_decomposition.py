"""Splitting a target over time (each mode) and across the team, with hand-computed parts."""
from __future__ import annotations

import datetime as dt

import pytest

from metrics.decomposition import Plan, day_weights, grain_periods, largest_remainder, parse_weekday_weights, \
    split_members

D = dt.date
Q1 = (D(2024, 1, 1), D(2024, 3, 31))  # 31 + 29 + 31 = 91 days (2024 is a leap year)


def test_even_split_into_months_adds_up_with_whole_numbers():
    plan = Plan(1000, *Q1)
    parts = plan.split("month", integral=True)
    # 1000 × 31/91 = 340.66, × 29/91 = 318.68, × 31/91 = 340.66 → floors 340 + 318 + 340 = 998;
    # the two largest remainders (0.68 for February, then January, first of the 0.66 tie) get +1
    assert list(parts["target"]) == [341, 319, 340]
    assert parts["target"].sum() == 1000
    assert list(parts["days"]) == [31, 29, 31]
    quarter = plan.split("quarter")
    assert list(quarter["target"]) == pytest.approx([1000.0])


def test_even_split_into_weeks_and_days_is_clipped_to_the_period():
    # Wednesday 3 January to Wednesday 17 January 2024: 15 days at 10 a day
    plan = Plan(150, D(2024, 1, 3), D(2024, 1, 17))
    weeks = plan.split("week")
    assert list(zip(weeks["start"], weeks["end"])) == [(D(2024, 1, 3), D(2024, 1, 7)), (D(2024, 1, 8), D(2024, 1, 14)),
                                                        (D(2024, 1, 15), D(2024, 1, 17))]
    assert list(weeks["target"]) == pytest.approx([50.0, 70.0, 30.0])   # 5, 7 and 3 days × 10
    days = plan.split("day")
    assert len(days) == 15 and set(days["target"].round(9)) == {10.0}


def test_weekday_weights():
    # 700 over two weeks from Monday 1 January 2024; weights Mon–Fri 1, Sat 0, Sun 2 → 7 a week,
    # 14 in all, so one weight is 700 ÷ 14 = 50
    plan = Plan(700, D(2024, 1, 1), D(2024, 1, 14), mode="weekday", weekday_weights="1,1,1,1,1,0,2")
    days = plan.split("day")
    assert list(days["target"][:7]) == pytest.approx([50, 50, 50, 50, 50, 0, 100])
    assert list(plan.split("week")["target"]) == pytest.approx([350, 350])
    # pro-rated through Saturday 6 January: five weekdays × 50
    assert plan.planned(D(2024, 1, 6)) == pytest.approx(250)


def test_growth_curve_each_month_grows_by_the_rate():
    # +50 %/month: January 1, February 1.5, March 2.25 → 1000 ÷ 4.75 per unit
    plan = Plan(1000, *Q1, mode="curve", curve_growth=0.5)
    months = list(plan.split("month")["target"])
    assert months == pytest.approx([1000 / 4.75, 1500 / 4.75, 2250 / 4.75])
    assert months[1] / months[0] == pytest.approx(1.5)
    assert sum(months) == pytest.approx(1000)


def test_growth_curve_with_a_partial_first_month():
    # from 17 January: January has 15 of its 31 days → weight 15/31; February 1.5 (29 days, whole)
    plan = Plan(1000, D(2024, 1, 17), D(2024, 2, 29), mode="curve", curve_growth=0.5)
    jan, feb = plan.split("month")["target"]
    assert jan == pytest.approx(1000 * (15 / 31) / (15 / 31 + 1.5))
    assert feb == pytest.approx(1000 * 1.5 / (15 / 31 + 1.5))


def test_level_targets_go_from_the_baseline_to_the_target():
    # followers: 50,000 before the quarter, 100,000 at its end, even: the gain of 50,000 is
    # due 31/91, 60/91 and 91/91 of the way → 67,032.97, 82,967.03, 100,000
    plan = Plan(100_000, *Q1, pace="level", baseline=50_000)
    parts = plan.split("month", integral=True)
    assert list(parts["target"]) == [67_033, 82_967, 100_000]
    assert plan.planned(D(2023, 12, 31)) == 50_000


def test_rates_are_inherited_by_every_part():
    plan = Plan(0.08, *Q1, pace="rate")
    assert list(plan.split("month")["target"]) == [0.08, 0.08, 0.08]
    assert plan.planned(D(2024, 2, 10)) == 0.08


def test_custom_parts():
    parts = [(D(2024, 1, 1), D(2024, 1, 31), 100.0), (D(2024, 2, 1), D(2024, 2, 29), 200.0),
             (D(2024, 3, 1), D(2024, 3, 31), 700.0)]
    plan = Plan(1000, *Q1, mode="custom", parts=parts)
    assert list(plan.split("month")["target"]) == pytest.approx([100, 200, 700])
    # pro-rated on 15 February: January's 100 + 15 of February's 29 days × 200
    assert plan.planned(D(2024, 2, 15)) == pytest.approx(100 + 200 * 15 / 29)
    # a rate with custom parts: 12 % in January, 15 % from February
    rate = Plan(0.15, D(2024, 1, 1), D(2024, 2, 29), pace="rate", mode="custom",
                parts=[(D(2024, 1, 1), D(2024, 1, 31), 0.12), (D(2024, 2, 1), D(2024, 2, 29), 0.15)])
    assert rate.planned(D(2024, 1, 20)) == 0.12 and rate.planned(D(2024, 2, 2)) == 0.15
    # a level with milestones: 1,000 before, 3,000 by 31 January, 4,000 by 29 February
    level = Plan(4000, D(2024, 1, 1), D(2024, 2, 29), pace="level", mode="custom", baseline=1000,
                 parts=[(D(2024, 1, 1), D(2024, 1, 31), 3000.0), (D(2024, 2, 1), D(2024, 2, 29), 4000.0)])
    assert level.planned(D(2024, 1, 31)) == pytest.approx(3000)
    assert level.planned(D(2024, 1, 16)) == pytest.approx(1000 + 2000 * 16 / 31)


def test_split_across_members():
    # counts: shares 1 : 1 : 2 of 1000 → 250, 250, 500 (they add up)
    assert split_members(1000, [1, 1, 2], additive=True) == pytest.approx([250, 250, 500])
    # 100 in three equal whole shares: 33.3 each → 34, 33, 33
    assert split_members(100, [None, None, None], additive=True, integral=True) == [34, 33, 33]
    # a missing share counts as the average of the others: 2, 4, (3) → 2/9, 4/9, 3/9 of 900
    assert split_members(900, [2, 4, None], additive=True) == pytest.approx([200, 400, 300])
    # rates inherit
    assert split_members(0.08, [1, 5], additive=False) == [0.08, 0.08]


def test_helpers():
    assert largest_remainder([1.5, 1.5, 1.0], 4) == [2, 1, 1]
    assert parse_weekday_weights(None) == (1.0,) * 7
    assert parse_weekday_weights("1, 1,1,1,1.2，0.8,0.8") == (1, 1, 1, 1, 1.2, 0.8, 0.8)
    with pytest.raises(ValueError, match="7 numbers"):
        parse_weekday_weights("1,1,1")
    with pytest.raises(ValueError, match="not all zero"):
        parse_weekday_weights("0,0,0,0,0,0,0")
    with pytest.raises(ValueError, match="not seven numbers"):
        parse_weekday_weights("a,b,c,d,e,f,g")
    assert grain_periods(D(2024, 2, 15), D(2024, 7, 10), "quarter") == [
        (D(2024, 2, 15), D(2024, 3, 31)), (D(2024, 4, 1), D(2024, 6, 30)), (D(2024, 7, 1), D(2024, 7, 10))]
    assert sum(day_weights(D(2024, 1, 1), D(2024, 1, 31), "curve", 0.5).values()) == pytest.approx(1)


def test_a_plan_changed_after_use_plans_again():
    # the path is worked out once per plan; changing the plan works it out again
    plan = Plan(target=100.0, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 10))
    assert plan.planned(dt.date(2026, 3, 5)) == pytest.approx(50.0)          # 5 of 10 even days
    plan.target = 200.0
    assert plan.planned(dt.date(2026, 3, 5)) == pytest.approx(100.0)
    plan.mode, plan.weekday_weights = "weekday", "1,1,1,1,1,0,0"
    # 1–10 March 2026: Sun 1, Mon 2 … Fri 6, Sat 7, Sun 8, Mon 9, Tue 10 → 7 weekdays;
    # by Thu 5 March: Mon 2, Tue 3, Wed 4, Thu 5 → 4 of 7
    assert plan.planned(dt.date(2026, 3, 5)) == pytest.approx(200.0 * 4 / 7)
