"""The appraisal arithmetic of ``metrics.appraisal_scoring`` over many KPIs at once (numpy).

``appraisal_scoring`` scores one KPI and one KPI set at a time and stays the reference; these
functions give the same numbers, operation for operation, for every KPI of a whole team's
months in a few array passes (tests/test_appraisal_vector.py compares the two). A missing
value (no actual, no floor, an excluded KPI's points, a set where nothing counts) is NaN.
"""
from __future__ import annotations

import sys

import numpy as np

from metrics import appraisal_scoring as scoring

# Status codes: index into STATUSES.
STATUSES = (scoring.SCORED, scoring.CAPPED, scoring.BELOW_FLOOR, scoring.MISSING_ZERO, scoring.MISSING_EXCLUDED)
SCORED, CAPPED, BELOW_FLOOR, MISSING_ZERO, MISSING_EXCLUDED = range(len(STATUSES))


def score_kpis(actual, target, direction, cap, floor_value, min_achievement, missing_rule):
    """(achievement, points, status code) of every KPI, as ``scoring.score_kpi`` gives them.

    Numbers are float arrays (NaN = None); ``direction`` and ``missing_rule`` string arrays.
    Raises the reference's ``ValueError`` for the first KPI it would refuse."""
    actual, target, cap = (np.asarray(x, dtype=float) for x in (actual, target, cap))
    floor_value, min_achievement = np.asarray(floor_value, dtype=float), np.asarray(min_achievement, dtype=float)
    direction, missing_rule = np.asarray(direction, dtype=object), np.asarray(missing_rule, dtype=object)
    missing = np.isnan(actual)
    higher, lower = direction == "higher", direction == "lower"
    excluded = missing_rule == "excluded"
    _refuse(missing, target, higher | lower, excluded | (missing_rule == "zero"), direction, missing_rule)
    with np.errstate(divide="ignore", invalid="ignore"):
        ach = np.where(lower, np.where(actual <= 0, cap, target / actual), actual / target)
    ach = np.where(missing, np.nan, ach)
    has_floor = ~np.isnan(floor_value)
    below = (has_floor & ((higher & (actual < floor_value)) | (lower & (actual > floor_value)))
             | (~np.isnan(min_achievement) & (ach < min_achievement)))
    capped = ach > cap
    points = np.where(below, 0.0, np.where(capped, 100.0 * cap, 100.0 * ach))
    status = np.where(below, BELOW_FLOOR, np.where(capped, CAPPED, SCORED))
    points = np.where(missing, np.where(excluded, np.nan, 0.0), points)
    status = np.where(missing, np.where(excluded, MISSING_EXCLUDED, MISSING_ZERO), status)
    return ach, points, status


def _refuse(missing, target, known_direction, known_rule, direction, missing_rule) -> None:
    """The reference's refusals, in its order for one KPI: missing rule, target, direction."""
    bad = (missing & ~known_rule) | (~missing & ((target <= 0) | ~known_direction))
    if not bad.any():
        return
    i = int(np.flatnonzero(bad)[0])
    if missing[i]:
        raise ValueError(f"missing rule must be one of {scoring.MISSING_RULES}, got {missing_rule[i]!r}")
    scoring.achievement(1.0, float(target[i]), direction[i])   # raises the reference's message


def weigh_sets(set_of_row, weight, points, sets: int):
    """(effective weight, contribution) of every KPI and (total, has total) of every KPI set,
    as ``scoring.weigh`` gives them. ``set_of_row`` numbers each KPI's set (0 … ``sets`` - 1)
    and a set's rows come in its KPI order. ``has total`` is False where nothing counts
    (the reference's None; the total is NaN there)."""
    set_of_row = np.asarray(set_of_row, dtype=np.int64)
    weight, points = np.asarray(weight, dtype=float), np.asarray(points, dtype=float)
    counted = ~np.isnan(points)
    position = _position_in_set(set_of_row, sets)
    width = int(position.max()) + 1 if len(position) else 0
    base = python_sum(_grid(set_of_row, position, np.where(counted, weight, 0.0), sets, width))
    row_base = base[set_of_row]
    counts = counted & ~(row_base <= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = np.where(counts, weight * scoring.WEIGHT_TOTAL / row_base, 0.0)
        contribution = np.where(counts, points * effective / scoring.WEIGHT_TOTAL, 0.0)
    has_total = ~(base <= 0)
    total = python_sum(_grid(set_of_row, position, contribution, sets, width))
    return effective, contribution, np.where(has_total, total, np.nan), has_total


def _position_in_set(set_of_row, sets: int):
    """Each row's place inside its set, counting the set's rows in array order."""
    order = np.argsort(set_of_row, kind="stable")
    starts = np.zeros(sets + 1, dtype=np.int64)
    np.cumsum(np.bincount(set_of_row, minlength=sets), out=starts[1:])
    position = np.empty(len(set_of_row), dtype=np.int64)
    position[order] = np.arange(len(set_of_row)) - starts[set_of_row[order]]
    return position


def _grid(set_of_row, position, values, sets: int, width: int):
    """The values as one row per set, in KPI order, padded with 0.0 (which adds nothing)."""
    grid = np.zeros((sets, width))
    grid[set_of_row, position] = values
    return grid


COMPENSATED_SUM = sys.version_info >= (3, 12)   # Python 3.12 made sum() of floats compensated


def python_sum(grid, compensated: bool = COMPENSATED_SUM):
    """Per row of ``grid``, what Python's ``sum`` gives for the row's floats from left to right:
    plain additions up to Python 3.11, Neumaier's compensated summation from 3.12 on."""
    total = np.zeros(len(grid))
    if not compensated:
        for column in grid.T:
            total = total + column
        return total
    carry = np.zeros(len(grid))
    for x in grid.T:
        t = total + x
        carry = carry + np.where(np.abs(total) >= np.abs(x), (total - t) + x, (x - t) + total)
        total = t
    with np.errstate(invalid="ignore"):
        fix = (carry != 0) & np.isfinite(carry)
    return np.where(fix, total + carry, total)
