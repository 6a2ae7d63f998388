"""Incentive tiers and the allocation of the reward pool (DOMAIN §3 step 10)."""
from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings, strategies as st

from xlkpi.cycle.incentives import DEFAULT_TIERS, allocate, parse_tiers, tier_for


def test_default_tiers_by_score():
    assert tier_for(4.5, DEFAULT_TIERS).label_th == "ดีเด่น"
    assert tier_for(4.4999, DEFAULT_TIERS).label_th == "ดีมาก"
    assert tier_for(3.5, DEFAULT_TIERS).label_th == "ดี"
    assert tier_for(3.4999, DEFAULT_TIERS).eligible is False  # พอใช้: below "good"
    assert tier_for(1.0, DEFAULT_TIERS).label_th == "ต้องปรับปรุง"


def test_allocation_worked_by_hand():
    # ddc 3.8116 → ดี, rate 1.0 × 120 staff = 120; fda 4.8 → ดีเด่น, 1.5 × 80 = 120;
    # a fair department (3.2) gets nothing: the pool splits 500,000 / 500,000.
    allocation = allocate(1_000_000, [("กรมควบคุมโรค", 3.8116, 120), ("อย.", 4.8, 80), ("กรมพอใช้", 3.2, 300)])
    assert [(r.department, r.tier, r.amount) for r in allocation.rows] == [
        ("กรมควบคุมโรค", "ดี", 500_000), ("อย.", "ดีเด่น", 500_000), ("กรมพอใช้", "พอใช้", 0)]
    assert allocation.total == 1_000_000


def test_largest_remainder_gives_the_leftover_baht_in_order():
    # 100 baht over three equal shares of 33⅓: floors 33 + 33 + 33, one baht left → the first.
    allocation = allocate(100, [("a", 4.0, 10), ("b", 4.0, 10), ("c", 4.0, 10)])
    assert [r.amount for r in allocation.rows] == [34, 33, 33]
    # 10 baht by weights 1.5×1 : 1.0×1 → exact 6 and 4.
    assert [r.amount for r in allocate(10, [("x", 4.6, 1), ("y", 3.6, 1)]).rows] == [6, 4]


def test_nobody_eligible_leaves_the_pool_unallocated():
    allocation = allocate(5000, [("a", 2.0, 10)])
    assert allocation.total == 0 and allocation.unallocated == 5000


def test_tiers_from_settings_data_are_sorted_and_checked():
    tiers, findings = parse_tiers([{"label_th": "ดี", "min_score": 3.0, "eligible": True, "rate": 1},
                                   {"label_th": "ดีมาก", "min_score": 4.0, "eligible": True}])
    assert [t.label_th for t in tiers] == ["ดีมาก", "ดี"]
    assert [(f.code, f.cell) for f in findings] == [("INC-RATE", "incentives.tiers[1]")]


departments = st.lists(st.tuples(st.text(min_size=1, max_size=5), st.floats(1, 5), st.integers(0, 5000)),
                       min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(pool=st.integers(0, 10**9), departments=departments)
def test_allocation_preserves_the_pool_to_the_baht(pool, departments):
    allocation = allocate(pool, departments)
    eligible = [r for r in allocation.rows if r.eligible]
    if eligible:
        assert allocation.total == pool
    else:
        assert allocation.total == 0 and allocation.unallocated == pool
    for row in allocation.rows:
        assert abs(row.amount - row.exact) < 1
        if not row.eligible:
            assert row.amount == 0
    assert sum(r.exact for r in allocation.rows) in (Fraction(pool), Fraction(0))
