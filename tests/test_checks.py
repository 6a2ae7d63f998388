"""One implementation of each shared check (xlkpi.checks): the agreement loader, the framework
check and the audit agree on threshold order and ends and on weight sums, with one tolerance."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlkpi.agreement import parse
from xlkpi.audit.rules import threshold_problems
from xlkpi.checks import (WEIGHT_TOLERANCE, steps_are_even, sums_to, threshold_direction, thresholds_have_ends,
                          thresholds_in_order)
from xlkpi.framework import PARTS_TOLERANCE, PERCENT_TOLERANCE, check_agreement, load_framework

level = st.one_of(st.none(), st.integers(-50, 150).map(float))
five = st.lists(level, min_size=5, max_size=5)


def loader_codes(thresholds, direction):
    data = {"fiscal_year": 2552, "department": "กรมตัวอย่าง", "indicators": [
        {"id": "1", "dimension": 1, "weight": 100, "direction": direction, "thresholds": thresholds}]}
    _agreement, findings = parse(data)
    return {f.code for f in findings if f.cell.endswith("thresholds")}


@given(five, st.sampled_from(["up", "down"]))
def test_loader_and_audit_agree_on_threshold_ends_and_order(thresholds, direction):
    audit = {code for code, *_ in threshold_problems(thresholds, direction)}
    loader = loader_codes(thresholds, direction)
    ends = thresholds_have_ends(thresholds)
    assert ("TPL-THRESHOLD-ENDS" in audit) == ("AGR-THRESHOLD-ENDS" in loader) == (not ends)
    if ends:
        in_order = thresholds_in_order(thresholds, direction)
        assert ("AGR-THRESHOLD-ORDER" in loader) == (not in_order)
        assert bool(audit & {"TPL-THRESHOLD-ORDER", "TPL-DIRECTION"}) == (not in_order)


@given(st.lists(st.integers(-100, 100), min_size=2, max_size=6, unique=True))
def test_threshold_direction_is_the_order_of_the_given_levels(values):
    thresholds = [float(v) for v in values] + [None] * (5 - len(values)) if len(values) <= 5 else values[:5]
    given_ = [t for t in thresholds if t is not None]
    expected = "up" if given_ == sorted(given_) else "down" if given_ == sorted(given_, reverse=True) else None
    assert threshold_direction(thresholds) == expected


def test_the_examples_of_domain_6_1():
    assert threshold_direction([60, 70, 80, 90, 100]) == "up"
    assert threshold_direction([10, 8, None, 4, 2]) == "down"
    assert threshold_direction([1, 2, 2, 3, 4]) is None
    assert not thresholds_have_ends([None, 70, 80, 90, 100]) and not thresholds_have_ends([1, 2, 3, 4])
    assert steps_are_even([60, 70, None, 90, 100]) and not steps_are_even([60, 70, 85, 90, 100])


def test_one_tolerance_for_every_weight_sum():
    assert PERCENT_TOLERANCE == PARTS_TOLERANCE == WEIGHT_TOLERANCE
    assert sums_to([33.33, 33.33, 33.34], 100) and sums_to([0.1, 0.2, 0.7], 1)
    assert sums_to([0.6, 0.4 + WEIGHT_TOLERANCE / 2], 1) and not sums_to([0.6, 0.4 + WEIGHT_TOLERANCE * 2], 1)


@pytest.mark.parametrize("off, flagged", [(WEIGHT_TOLERANCE / 2, False), (WEIGHT_TOLERANCE * 3, True)])
def test_framework_and_audit_flag_the_same_part_weights(off, flagged):
    from xlkpi.audit.rules import find_weights_not_summing

    data = {"fiscal_year": 2552, "department": "กรมตัวอย่าง", "indicators": [
        {"id": "1", "dimension": 1, "weight": 100, "kind": "weighted", "parts": [
            {"name": "a", "weight": 0.6, "thresholds": [1, 2, 3, 4, 5]},
            {"name": "b", "weight": 0.4 + off, "thresholds": [1, 2, 3, 4, 5]}]}]}
    agreement, _ = parse(data)
    framework, _ = load_framework("fy2553-indicator-15")
    framework_codes = {f.code for f in check_agreement(agreement, framework)}

    class Context:
        pass

    context = Context()
    context.agreement = agreement
    audit_codes = {f.code for f in find_weights_not_summing(context)}
    assert ("FW-PARTS-SUM" in framework_codes) == ("TPL-WEIGHT-PARTS" in audit_codes) == flagged
