"""Excel's ROUND (DOMAIN §6.6): half away from zero, on the 15-significant-digit form.

Expected values are Excel's documented results, worked out by hand on the decimal form of
each value; none is taken from running `excel_round`.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlkpi.engine import score_agreement, score_threshold, weighted_score
from xlkpi.model import Agreement, Indicator
from xlkpi.rounding import excel_round


# --- half away from zero --------------------------------------------------------------

@pytest.mark.parametrize("value, digits, expected", [
    (2.5, 0, 3.0),      # ROUND(2.5, 0) = 3, not banker's 2
    (-2.5, 0, -3.0),    # ROUND(-2.5, 0) = -3: away from zero, not toward +inf
    (0.5, 0, 1.0),
    (-0.5, 0, -1.0),
    (1.5, 0, 2.0),
    (3.5, 0, 4.0),      # Python's round(3.5) is 4 but round(2.5) is 2: Excel never does that
    (2.4, 0, 2.0),
    (-2.4, 0, -2.0),
    (0.125, 2, 0.13),   # exact in binary, half → away from zero
    (-0.125, 2, -0.13),
])
def test_6_6_half_away_from_zero(value, digits, expected):
    assert excel_round(value, digits) == expected


# --- the 15-significant-digit decimal form --------------------------------------------

@pytest.mark.parametrize("value, digits, expected", [
    # The double nearest 2.675 is 2.67499999999999982…, but Excel shows it as 2.675 and
    # rounds that: ROUND(2.675, 2) = 2.68.
    (2.675, 2, 2.68),
    (-2.675, 2, -2.68),
    # 1.005 is stored as 1.00499999999999989…; its 15-digit form is 1.005 → 1.01.
    (1.005, 2, 1.01),
    # 1.12345 is stored as 1.12344999999999994…; 15 digits: 1.12345 → 1.1235.
    (1.12345, 4, 1.1235),
    (-1.12345, 4, -1.1235),
    # 0.1 + 0.2 = 0.30000000000000004 in binary; its 15-digit form is 0.3.
    (0.1 + 0.2, 15, 0.3),
    (0.1 + 0.2, 16, 0.3),
    # 15 × 1.555 = 23.325 (binary 23.3249999…) → 15 digits 23.325 → ROUND(…, 2) = 23.33
    (15 * 1.555, 2, 23.33),
])
def test_6_6_rounds_the_15_digit_form(value, digits, expected):
    assert excel_round(value, digits) == expected


def test_python_round_disagrees_where_excel_round_matters():
    # Why excel_round exists: Python's round works on the binary double.
    assert round(2.675, 2) == 2.67
    assert excel_round(2.675, 2) == 2.68


# --- digits: default, negative, zero, fractional ---------------------------------------

def test_default_is_four_decimals():
    # DOMAIN §6: every score is kept to 4 decimals. 3.14159 → 3.1416 (5th decimal 5, then 9)
    assert excel_round(3.14159) == 3.1416
    assert excel_round(2.00004) == 2.0
    assert excel_round(2.00005) == 2.0001


@pytest.mark.parametrize("value, digits, expected", [
    (1234.5, -1, 1230.0),     # ROUND(1234.5, -1) = 1230
    (1235, -1, 1240.0),       # 123.5 tens → 124 tens
    (-1235, -1, -1240.0),
    (1250, -2, 1300.0),       # 12.5 hundreds → 13 hundreds
    (-1250, -2, -1300.0),
    (4, -1, 0.0),
    (5, -1, 10.0),
    (499, -3, 0.0),
    (500, -3, 1000.0),
])
def test_negative_digits_round_left_of_the_point(value, digits, expected):
    assert excel_round(value, digits) == expected


def test_zero_stays_zero_and_positive():
    assert excel_round(0.0) == 0.0
    assert excel_round(0, 0) == 0.0
    # Excel has no negative zero: ROUND(-0.00001, 4) shows 0, and so must -0.0 itself.
    assert math.copysign(1, excel_round(-0.00001)) == 1.0
    assert math.copysign(1, excel_round(-0.0)) == 1.0
    assert math.copysign(1, excel_round(-0.4, 0)) == 1.0


def test_fractional_digits_are_truncated_like_excel():
    # Excel truncates num_digits: ROUND(2.55, 1.9) = ROUND(2.55, 1) = 2.6
    assert excel_round(2.55, 1.9) == 2.6


def test_nothing_to_round_does_not_raise():
    # ROUND(1E+20, 10) = 1E+20 in Excel; the value already has no decimals to drop.
    assert excel_round(1e20, 10) == 1e20
    assert excel_round(1e300, -5) == 1e300
    assert excel_round(123456789.123, 25) == 123456789.123


@given(st.integers(min_value=-10**9, max_value=10**9), st.integers(min_value=0, max_value=6))
def test_half_on_the_last_kept_digit_goes_away_from_zero(units, digits):
    # value = (units + 1/2) × 10^-digits, written as a decimal string so that its
    # 15-digit form is exactly that half; Excel rounds it to units + 1 (or −) away from 0.
    half = Decimal(units) + (Decimal("0.5") if units >= 0 else Decimal("-0.5"))
    value = float(half.scaleb(-digits))
    if len(half.as_tuple().digits) > 15:
        return  # beyond 15 significant digits the "half" is not what Excel sees
    away = (Decimal(units) + (1 if units >= 0 else -1)).scaleb(-digits)
    assert excel_round(value, digits) == float(away)


@given(st.decimals(min_value=-10**6, max_value=10**6, places=8, allow_nan=False, allow_infinity=False))
def test_agrees_with_decimal_half_up_on_short_decimals(exact):
    # For a value written with ≤ 15 significant digits, the 15-digit form is the value
    # itself; ROUND_HALF_UP on it is Excel's rule by definition.
    if len(exact.normalize().as_tuple().digits) > 15:
        return
    expected = float(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
    assert excel_round(float(exact)) == expected


# --- where the engine lands on a rounding boundary -------------------------------------

BOUNDARY_THRESHOLDS = [0, 10000, 20000, 30000, 40000]  # score = 1 + R / 10000 below 10000


def test_6_6_score_on_a_fifth_decimal_half_rounds_up():
    # R = 1234.5: score = 1 + (2 − 1) × (1234.5 − 0) / (10000 − 0) = 1.12345 → 1.1235
    assert score_threshold(1234.5, BOUNDARY_THRESHOLDS) == 1.1235
    # R = 11234.5: 2 + 1 × 1234.5 / 10000 = 2.12345 → 2.1235
    assert score_threshold(11234.5, BOUNDARY_THRESHOLDS) == 2.1235
    # lower is better, mirrored: thresholds 40000…0, R = 38765.5 →
    # 1 + (2 − 1) × (38765.5 − 40000) / (30000 − 40000) = 1 + 1234.5 / 10000 = 1.12345 → 1.1235
    assert score_threshold(38765.5, BOUNDARY_THRESHOLDS[::-1], "down") == 1.1235


def test_6_6_score_just_below_the_half_rounds_down():
    # R = 1234.49: 1.123449 → 1.1234
    assert score_threshold(1234.49, BOUNDARY_THRESHOLDS) == 1.1234


def test_6_6_weighted_score_on_a_half_rounds_up():
    # weight 5 × score 1.1235 / 100 = 0.056175 (binary 0.0561749999…) → 0.0562
    assert weighted_score(5, 1.1235) == 0.0562
    # weight 15 × 1.555 / 100 = 0.23325 → 0.2333
    assert weighted_score(15, 1.555) == 0.2333
    # weight 15 × 3.999 / 100 = 0.59985 → 0.5999
    assert weighted_score(15, 3.999) == 0.5999


def test_6_6_boundaries_through_the_whole_engine():
    leaf = Indicator(id="9", dimension=2, weight=5, thresholds=list(BOUNDARY_THRESHOLDS),
                     result={12: 1234.5})
    other = Indicator(id="10", dimension=1, weight=95, thresholds=[60, 70, 80, 90, 100],
                      result={12: 85})
    result = score_agreement(Agreement(2552, "ก", "ข", indicators=[leaf, other]), 12)
    by_id = result.by_id()
    assert by_id["9"].score == 1.1235          # 1.12345 → 1.1235
    assert by_id["9"].weighted == 0.0562       # 5 × 1.1235 / 100 = 0.056175 → 0.0562
    assert by_id["10"].weighted == 3.325       # 95 × 3.5 / 100 = 3.325
    assert result.dimensions["2"] == 0.0562
    assert result.dimensions["1"] == 3.325
    assert result.total == 3.3812              # 0.0562 + 3.325 = 3.3812
