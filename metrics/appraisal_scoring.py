"""The appraisal arithmetic as pure functions: achievement, points, the weighted total, the bonus.

One KPI:
- achievement = actual ÷ target (stay-below KPIs: target ÷ actual; an actual of 0 is the cap);
- points = 100 × min(achievement, cap), e.g. cap 1.2 → at most 120 points;
- 0 points when the actual is worse than the floor value (below it, or above it for
  stay-below KPIs) or the achievement is under the minimum achievement;
- no data: the KPI is shown as missing and its rule decides — ``zero`` scores 0 points with
  its full weight, ``excluded`` drops it and spreads the set's weight over the others.

A person: score = Σ points × effective weight ÷ 100, where effective weight = weight × 100 ÷
(sum of the weights of the KPIs that count). Bonus: base × score ÷ 100 (``linear``) or base ×
the multiplier of the highest band whose minimum score the score reaches (``bands``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

DIRECTIONS = ("higher", "lower")
MISSING_RULES = ("zero", "excluded")
BONUS_MODES = ("linear", "bands")
WEIGHT_TOTAL = 100.0
WEIGHT_TOLERANCE = 1e-6

# Status of one KPI's score, shown beside it.
SCORED, CAPPED, BELOW_FLOOR, MISSING_ZERO, MISSING_EXCLUDED = (
    "scored", "capped", "below_floor", "missing_zero", "missing_excluded")


@dataclass(frozen=True)
class Rule:
    """How one KPI turns its actual into points."""
    target: float
    direction: str = "higher"
    cap: float = 1.2
    floor_value: float | None = None
    min_achievement: float | None = None
    missing_rule: str = "zero"


@dataclass(frozen=True)
class KpiScore:
    """One KPI's result: achievement (uncapped), points out of 100 (None when missing) and status."""
    actual: float | None
    achievement: float | None
    points: float | None
    status: str

    @property
    def missing(self) -> bool:
        return self.status in (MISSING_ZERO, MISSING_EXCLUDED)


@dataclass(frozen=True)
class Weighted:
    """One KPI inside the total: its effective weight and weighted contribution (points)."""
    weight: float
    effective_weight: float
    contribution: float


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def achievement(actual: float, target: float, direction: str = "higher", cap: float = 1.2) -> float:
    """actual ÷ target, or target ÷ actual for a stay-below KPI (actual 0 → ``cap``)."""
    if target is None or target <= 0:
        raise ValueError(f"a KPI target must be above 0, got {target!r}")
    if direction == "higher":
        return actual / target
    if direction == "lower":
        return cap if actual <= 0 else target / actual
    raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")


def below_floor(actual: float, ach: float, rule: Rule) -> bool:
    """True when the actual is worse than the floor value or the achievement under the minimum."""
    if rule.floor_value is not None:
        if rule.direction == "higher" and actual < rule.floor_value:
            return True
        if rule.direction == "lower" and actual > rule.floor_value:
            return True
    return rule.min_achievement is not None and ach < rule.min_achievement


def score_kpi(actual: float | None, rule: Rule) -> KpiScore:
    """Points (0–100 × cap) of one KPI from its actual, with the status that explains them."""
    if _missing(actual):
        if rule.missing_rule not in MISSING_RULES:
            raise ValueError(f"missing rule must be one of {MISSING_RULES}, got {rule.missing_rule!r}")
        if rule.missing_rule == "zero":
            return KpiScore(None, None, 0.0, MISSING_ZERO)
        return KpiScore(None, None, None, MISSING_EXCLUDED)
    ach = achievement(actual, rule.target, rule.direction, rule.cap)
    if below_floor(actual, ach, rule):
        return KpiScore(actual, ach, 0.0, BELOW_FLOOR)
    if ach > rule.cap:
        return KpiScore(actual, ach, 100.0 * rule.cap, CAPPED)
    return KpiScore(actual, ach, 100.0 * ach, SCORED)


def weigh(weights: list[float], scores: list[KpiScore]) -> tuple[list[Weighted], float | None]:
    """Effective weights, contributions and the total score of one person's KPI set.

    Excluded KPIs get weight 0 and the others share 100; the total is None when nothing counts.
    """
    counted = [w for w, s in zip(weights, scores) if s.points is not None]
    base = sum(counted)
    out = []
    for w, s in zip(weights, scores):
        if s.points is None or base <= 0:
            out.append(Weighted(w, 0.0, 0.0))
            continue
        eff = w * WEIGHT_TOTAL / base
        out.append(Weighted(w, eff, s.points * eff / WEIGHT_TOTAL))
    if base <= 0:
        return out, None
    return out, sum(x.contribution for x in out)


def check_weights(weights: list[float]) -> str | None:
    """None when the weights sum to 100 %, else the problem in words (for the refusal)."""
    if not weights:
        return "a KPI set needs at least one KPI"
    bad = [w for w in weights if _missing(w) or w < 0 or w > WEIGHT_TOTAL]
    if bad:
        return f"every weight must be between 0 and 100, got {bad[0]!r}"
    total = sum(weights)
    if abs(total - WEIGHT_TOTAL) > WEIGHT_TOLERANCE:
        return f"the weights sum to {total:g} %, they must sum to 100 %"
    return None


def bonus(base: float | None, score: float | None, mode: str = "linear",
          bands: list[tuple[float, float]] | None = None) -> float | None:
    """The cash bonus, rounded to the cent: base × score ÷ 100, or base × the band multiplier.

    ``bands`` are (minimum score, multiplier); a score under the lowest band earns 0.
    """
    if _missing(base) or _missing(score):
        return None
    if mode == "linear":
        return round(base * score / 100.0, 2)
    if mode == "bands":
        reached = [mult for low, mult in sorted(bands or []) if score >= low - 1e-9]
        return round(base * reached[-1], 2) if reached else 0.0
    raise ValueError(f"bonus mode must be one of {BONUS_MODES}, got {mode!r}")


def scale_additive(total: float | None, counted_days: int, month_days: int, period: str) -> float | None:
    """An additive figure counted over ``counted_days`` of a month, expressed per ``period``.

    month: total × month days ÷ counted days (unchanged for a whole month; a person who
    started on the 27th of a 31-day month has 5 counted days, so ×31/5); week: total × 7 ÷
    counted days; day: total ÷ counted days.
    """
    if total is None:
        return None
    if counted_days <= 0:
        raise ValueError(f"counted days must be above 0, got {counted_days}")
    if period == "month":
        return total if counted_days == month_days else total * month_days / counted_days
    if period == "week":
        return total * 7.0 / counted_days
    if period == "day":
        return total / counted_days
    raise ValueError(f"period must be month, week or day, got {period!r}")
