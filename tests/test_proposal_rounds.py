"""The strict reading of a proposal's "รอบที่รายงาน" (reporting rounds) cell, DOMAIN §6.5a."""
import pytest

from xlkpi.workbook.proposal_import import parse_rounds


@pytest.mark.parametrize("typed, rounds", [
    (None, None), ("", None), ("  ", None),
    ("6, 9, 12", [6, 9, 12]), ("12", [12]), (12, [12]), ("12, 6", [6, 12]), ("9,12", [9, 12]),
])
def test_good_rounds_read_back(typed, rounds):
    assert parse_rounds(typed) == (rounds, None)


@pytest.mark.parametrize("typed", ["6, 9", "3, 12", "12, 12", "6,,12", "twelve", 7, 12.5, True, "6 9 12"])
def test_bad_rounds_give_a_reason(typed):
    rounds, reason = parse_rounds(typed)
    assert rounds is None and reason
