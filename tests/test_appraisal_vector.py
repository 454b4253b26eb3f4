"""The vectorised appraisal arithmetic (metrics/appraisal_vector.py) against the reference
(metrics/appraisal_scoring.py): a hand-computed set, then thousands of generated KPIs and sets
with missing actuals, zero targets, stay-below KPIs, caps, floors and excluded KPIs, which
must come out with exactly the same numbers (no tolerance)."""
import math
import random

import numpy as np
import pytest

from metrics import appraisal_scoring as s
from metrics import appraisal_vector as v

NAN = float("nan")


def _score(kpis):
    """The vectorised scorer over (actual, Rule) pairs."""
    return v.score_kpis([NAN if a is None else a for a, _r in kpis], [r.target for _a, r in kpis],
                        [r.direction for _a, r in kpis], [r.cap for _a, r in kpis],
                        [NAN if r.floor_value is None else r.floor_value for _a, r in kpis],
                        [NAN if r.min_achievement is None else r.min_achievement for _a, r in kpis],
                        [r.missing_rule for _a, r in kpis])


def _same(x, ref) -> bool:
    """A vectorised number (NaN = missing) is the reference's number, to the last bit."""
    if ref is None or (isinstance(ref, float) and math.isnan(ref)):
        return math.isnan(x)
    return float(x) == ref


def test_hand_computed_set():
    # 80 of 100 → 80 points; 150 of 100 → capped at 120; no data, rule zero → 0; a stay-below
    # KPI with target 200: actual 250 → 80 % → 80 points; below the floor (7 % < 8 %) → 0;
    # no data, rule excluded → left out
    kpis = [(80, s.Rule(100)), (150, s.Rule(100)), (None, s.Rule(100)), (250, s.Rule(200, direction="lower")),
            (0.07, s.Rule(0.10, floor_value=0.08)), (None, s.Rule(10, missing_rule="excluded"))]
    ach, points, status = _score(kpis)
    assert list(points[:5]) == pytest.approx([80.0, 120.0, 0.0, 80.0, 0.0])
    assert math.isnan(points[5]) and math.isnan(ach[2]) and ach[4] == pytest.approx(0.7)
    assert [v.STATUSES[c] for c in status] == [s.SCORED, s.CAPPED, s.MISSING_ZERO, s.SCORED, s.BELOW_FLOOR,
                                               s.MISSING_EXCLUDED]
    # two sets: weights 50/30/20 with points 80/120/0 → 40 + 36 + 0 = 76; then weights 20/30/50
    # with the last KPI excluded → 20/50 = 40 % and 30/50 = 60 % → 80 × 0.4 + 0 × 0.6 = 32
    effective, contribution, total, has_total = v.weigh_sets([0, 0, 0, 1, 1, 1], [50, 30, 20, 20, 30, 50],
                                                             points, 2)
    assert list(contribution) == pytest.approx([40.0, 36.0, 0.0, 32.0, 0.0, 0.0])
    assert list(effective[3:]) == pytest.approx([40.0, 60.0, 0.0])
    assert list(total) == pytest.approx([76.0, 32.0]) and list(has_total) == [True, True]


def test_a_set_where_nothing_counts_has_no_total():
    _ach, points, _status = _score([(None, s.Rule(1, missing_rule="excluded"))])
    effective, contribution, total, has_total = v.weigh_sets([1], [100.0], points, 3)
    assert list(has_total) == [False, False, False]          # sets 0 and 2 have no KPI at all
    assert effective[0] == 0.0 and contribution[0] == 0.0 and math.isnan(total[1])


def _random_kpi(rng: random.Random):
    target = rng.choice([100.0, 0.1, 5.0, 2000.0, 3.7, 45.0, 0.15])
    direction = rng.choice(["higher", "lower"])
    cap = rng.choice([1.2, 1.0, 1.5, 2.0, 1.1])
    floor = rng.choice([None, None, target * rng.choice([0.5, 0.8, 1.0, 1.3])])
    minimum = rng.choice([None, None, None, 0.3, 0.5, 0.9])
    rule = rng.choice(["zero", "excluded"])
    pick = rng.random()
    if pick < 0.15:
        actual = None
    elif pick < 0.2:
        actual = NAN
    elif pick < 0.25:
        actual = 0.0
    elif pick < 0.28:
        actual = -target * rng.random()
    elif pick < 0.32 and floor is not None:
        actual = floor                                        # exactly on the floor
    elif pick < 0.36:
        actual = target * cap                                 # exactly on the cap
    else:
        actual = target * rng.uniform(0, 2.5)
    if actual is None or (isinstance(actual, float) and math.isnan(actual)):
        target = rng.choice([target, 0.0, -1.0])              # a missing actual never reads its target
    return actual, s.Rule(target, direction, cap, floor, minimum, rule)


def _random_sets(seed: int, count: int):
    rng = random.Random(seed)
    weights = [0.0, 5.0, 10.0, 12.5, 15.0, 20.0, 25.0, 30.0, 100 / 3, 40.0, 50.0, 100.0]
    return [[(rng.choice(weights), *_random_kpi(rng)) for _ in range(rng.randint(0, 7))] for _ in range(count)]


@pytest.mark.parametrize("seed", range(6))
def test_generated_sets_match_the_reference_exactly(seed):
    sets = _random_sets(seed, 700)
    rows = [(i, w, a, r) for i, kpis in enumerate(sets) for w, a, r in kpis]
    if seed % 2:     # rows of different sets interleaved (each set's rows still in its order)
        queues = {i: iter([row for row in rows if row[0] == i]) for i in range(len(sets))}
        slots = [row[0] for row in rows]
        random.Random(seed).shuffle(slots)
        rows = [next(queues[i]) for i in slots]
    ach, points, status = _score([(a, r) for _i, _w, a, r in rows])
    effective, contribution, total, has_total = v.weigh_sets([i for i, *_ in rows], [w for _i, w, *_ in rows],
                                                             points, len(sets))
    positions: dict[int, list[int]] = {}
    for j, row in enumerate(rows):
        positions.setdefault(row[0], []).append(j)
    checked = 0
    for i, kpis in enumerate(sets):
        mine = positions.get(i, [])
        scores = [s.score_kpi(a, r) for _w, a, r in kpis]
        weighted, expected_total = s.weigh([w for w, _a, _r in kpis], scores)
        for j, score, weigh in zip(mine, scores, weighted):
            assert _same(ach[j], score.achievement) and _same(points[j], score.points)
            assert v.STATUSES[status[j]] == score.status
            assert _same(effective[j], weigh.effective_weight) and _same(contribution[j], weigh.contribution)
            checked += 1
        assert bool(has_total[i]) == (expected_total is not None)
        assert _same(total[i], expected_total)
    assert checked == len(rows)


def test_refusals_are_the_references():
    with pytest.raises(ValueError, match="above 0, got 0.0"):
        _score([(80, s.Rule(100)), (5, s.Rule(0.0))])
    with pytest.raises(ValueError, match="direction must be one of"):
        _score([(5, s.Rule(10, direction="sideways"))])
    with pytest.raises(ValueError, match="missing rule must be one of"):
        _score([(None, s.Rule(10, missing_rule="maybe"))])
    # the reference does not look at a missing actual's target or direction
    _ach, points, _status = _score([(None, s.Rule(0.0, direction="sideways"))])
    assert list(points) == [0.0]


def _plain(xs):
    total = 0.0
    for x in xs:
        total += x
    return total


def _neumaier(xs):
    total, carry = 0.0, 0.0
    for x in xs:
        t = total + x
        carry += (total - t) + x if abs(total) >= abs(x) else (x - t) + total
        total = t
    return total + carry if carry and math.isfinite(carry) else total


def test_python_sum_adds_as_pythons_sum_does():
    rng = random.Random(7)
    grid = np.array([[rng.choice([1e16, -1e16, 1.0, 0.1, 1 / 3, -2.5e-3, 123456.789]) * rng.random()
                      for _ in range(9)] for _ in range(300)])
    assert list(v.python_sum(grid, compensated=False)) == [_plain(row) for row in grid.tolist()]
    assert list(v.python_sum(grid, compensated=True)) == [_neumaier(row) for row in grid.tolist()]
    assert list(v.python_sum(grid)) == [sum(row) for row in grid.tolist()]     # this interpreter's sum
    assert [_plain(r) for r in grid.tolist()] != [_neumaier(r) for r in grid.tolist()]   # the cases tell them apart


def test_an_unreadable_weight_spoils_the_total_as_in_the_reference():
    # a NaN weight (check_weights refuses it on save) makes the base NaN: the reference still
    # "counts" the set and its total is NaN, not None
    scores = [s.score_kpi(80, s.Rule(100)), s.score_kpi(50, s.Rule(100))]
    weighted, expected = s.weigh([NAN, 50.0], scores)
    _ach, points, _status = _score([(80, s.Rule(100)), (50, s.Rule(100))])
    effective, contribution, total, has_total = v.weigh_sets([0, 0], [NAN, 50.0], points, 1)
    assert math.isnan(expected) and bool(has_total[0]) and math.isnan(total[0])
    assert all(math.isnan(e) for e in effective) and all(math.isnan(w.effective_weight) for w in weighted)
