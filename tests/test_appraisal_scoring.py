"""The appraisal arithmetic, computed by hand: achievement, caps, floors, stay-below KPIs,
missing data, weights, bonus (linear and bands) and per-period scaling."""
import pytest

from metrics import appraisal_scoring as s


def test_linear_achievement_gives_points():
    # 80 of a target of 100 → 80 % → 80 points
    r = s.score_kpi(80, s.Rule(target=100))
    assert r.achievement == pytest.approx(0.8)
    assert r.points == pytest.approx(80.0)
    assert r.status == s.SCORED


def test_achievement_is_capped():
    # 150 of 100 → 150 %, capped at 120 % → 120 points; a cap of 1.5 lets it through
    r = s.score_kpi(150, s.Rule(target=100, cap=1.2))
    assert r.achievement == pytest.approx(1.5)
    assert r.points == pytest.approx(120.0)
    assert r.status == s.CAPPED
    assert s.score_kpi(150, s.Rule(target=100, cap=1.5)).points == pytest.approx(150.0)


def test_floor_value_scores_zero_below_it():
    # order conversion: target 10 %, floor 8 %. 7 % → 0 points; 9 % → 90 points; exactly 8 % → 80
    rule = s.Rule(target=0.10, floor_value=0.08)
    low = s.score_kpi(0.07, rule)
    assert low.points == 0.0 and low.status == s.BELOW_FLOOR
    assert low.achievement == pytest.approx(0.7)
    assert s.score_kpi(0.09, rule).points == pytest.approx(90.0)
    assert s.score_kpi(0.08, rule).points == pytest.approx(80.0)


def test_minimum_achievement():
    # under 50 % achievement scores 0: 40 of 100 → 0; 50 of 100 → 50 points
    rule = s.Rule(target=100, min_achievement=0.5)
    assert s.score_kpi(40, rule).points == 0.0
    assert s.score_kpi(50, rule).points == pytest.approx(50.0)


def test_stay_below_kpi_is_inverted():
    # cost per follower, target ¥200: actual 250 → 200/250 = 80 % → 80 points;
    # actual 100 → 200 % → capped 120; actual 0 → the cap
    rule = s.Rule(target=200, direction="lower")
    assert s.score_kpi(250, rule).points == pytest.approx(80.0)
    assert s.score_kpi(100, rule).points == pytest.approx(120.0)
    assert s.score_kpi(0, rule).points == pytest.approx(120.0)
    # the floor of a stay-below KPI is a ceiling: above 300 scores 0
    assert s.score_kpi(320, s.Rule(target=200, direction="lower", floor_value=300)).points == 0.0


def test_missing_data_rule_is_explicit():
    zero = s.score_kpi(None, s.Rule(target=10, missing_rule="zero"))
    assert zero.points == 0.0 and zero.status == s.MISSING_ZERO and zero.missing
    excluded = s.score_kpi(None, s.Rule(target=10, missing_rule="excluded"))
    assert excluded.points is None and excluded.status == s.MISSING_EXCLUDED
    assert s.score_kpi(float("nan"), s.Rule(target=10)).status == s.MISSING_ZERO


def test_weights_and_contributions():
    # weights 50/30/20, points 80/120/0 → 80×0.5 + 120×0.3 + 0×0.2 = 40 + 36 + 0 = 76
    scores = [s.score_kpi(80, s.Rule(100)), s.score_kpi(150, s.Rule(100)), s.score_kpi(None, s.Rule(100))]
    weighted, total = s.weigh([50, 30, 20], scores)
    assert [w.contribution for w in weighted] == pytest.approx([40.0, 36.0, 0.0])
    assert total == pytest.approx(76.0)


def test_excluded_kpi_spreads_its_weight():
    # the 20 % KPI has no data and is excluded: the others weigh 50/80 = 62.5 % and 30/80 = 37.5 %
    # → 80×0.625 + 120×0.375 = 50 + 45 = 95
    scores = [s.score_kpi(80, s.Rule(100)), s.score_kpi(150, s.Rule(100)),
              s.score_kpi(None, s.Rule(100, missing_rule="excluded"))]
    weighted, total = s.weigh([50, 30, 20], scores)
    assert [w.effective_weight for w in weighted] == pytest.approx([62.5, 37.5, 0.0])
    assert total == pytest.approx(95.0)


def test_everything_excluded_has_no_score():
    weighted, total = s.weigh([100], [s.score_kpi(None, s.Rule(1, missing_rule="excluded"))])
    assert total is None


def test_weights_must_sum_to_100():
    assert s.check_weights([50, 30, 20]) is None
    assert s.check_weights([50, 40]) == "the weights sum to 90 %, they must sum to 100 %"
    assert s.check_weights([]) == "a KPI set needs at least one KPI"


def test_bonus_linear_and_bands():
    # linear: 2,000 × 76 % = 1,520.00
    assert s.bonus(2000, 76.0) == 1520.0
    bands = [(0, 0.0), (60, 0.5), (80, 1.0), (100, 1.2)]
    assert s.bonus(2000, 76.0, "bands", bands) == 1000.0    # 60 ≤ 76 < 80 → × 0.5
    assert s.bonus(2000, 80.0, "bands", bands) == 2000.0    # exactly 80 → × 1.0
    assert s.bonus(2000, 59.99, "bands", bands) == 0.0      # under 60 → × 0
    assert s.bonus(2000, 104.0, "bands", bands) == 2400.0   # 100 and up → × 1.2
    assert s.bonus(2000, 50.0, "bands", [(60, 1.0)]) == 0.0  # under the lowest band
    assert s.bonus(None, 90.0) is None and s.bonus(2000, None) is None


def test_scale_additive():
    # 62 posts in a 31-day month: per week 62 × 7 / 31 = 14, per day 2
    assert s.scale_additive(62, 31, 31, "month") == 62
    assert s.scale_additive(62, 31, 31, "week") == pytest.approx(14.0)
    assert s.scale_additive(62, 31, 31, "day") == pytest.approx(2.0)
    # started on the 27th: 10 in 5 counted days → a month's equivalent 10 × 31 / 5 = 62
    assert s.scale_additive(10, 5, 31, "month") == pytest.approx(62.0)


def test_bad_target_is_refused():
    with pytest.raises(ValueError, match="above 0"):
        s.achievement(5, 0)
