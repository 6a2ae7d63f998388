"""The scoring engine against DOMAIN §6: worked examples, a full agreement, properties.

Every expected value is computed by hand from DOMAIN §6; the arithmetic is in the comments
or written as the expression itself.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from xlkpi.agreement import parse
from xlkpi.engine import (
    score_agreement,
    score_milestones,
    score_threshold,
    weighted_composite,
)
from xlkpi.model import Agreement, Indicator, Part

UP_60 = [60, 70, 80, 90, 100]
DOWN_10 = [10, 8, 6, 4, 2]
GAPPED = [0, None, 1, None, 2]  # 15.3.3: levels 2 and 4 undefined


def round4(value) -> float:
    """Hand rounding for expected values: half up on the decimal written in the test."""
    return float(Decimal(str(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def agreement_of(*indicators, below_level_1=1) -> Agreement:
    return Agreement(2552, "กระทรวงทดสอบ", "กรมทดสอบ", below_level_1=below_level_1,
                     indicators=list(indicators))


# --- §6.1 threshold indicators ---------------------------------------------------------

def test_6_1_higher_is_better_85_is_3_5():
    # between 80 (level 3) and 90 (level 4): 3 + (4 − 3) × (85 − 80) / (90 − 80) = 3.5
    assert score_threshold(85, UP_60) == 3.5


@pytest.mark.parametrize("result, expected", [(100, 5), (120, 5), (60, 1), (50, 1), (70, 2), (90, 4)])
def test_6_1_higher_is_better_examples(result, expected):
    assert score_threshold(result, UP_60) == expected


def test_6_1_lower_is_better_5_is_3_5():
    # between 6 (level 3) and 4 (level 4): 3 + 1 × (5 − 6) / (4 − 6) = 3.5
    assert score_threshold(5, DOWN_10, "down") == 3.5


@pytest.mark.parametrize("result, expected", [(2, 5), (0, 5), (10, 1), (12, 1), (7, 2.5)])
def test_6_1_lower_is_better_examples(result, expected):
    # 7: between 8 (2) and 6 (3): 2 + (7 − 8) / (6 − 8) = 2.5
    assert score_threshold(result, DOWN_10, "down") == expected


def test_15_3_3_gapped_levels():
    # 0/–/1/–/2: R=1 → 3, R=2 → 5, R=0 → 1 (DOMAIN §6.1)
    assert score_threshold(1, GAPPED) == 3
    assert score_threshold(2, GAPPED) == 5
    assert score_threshold(0, GAPPED) == 1
    # between 0 (1) and 1 (3): 1 + (3 − 1) × (0.5 − 0) / (1 − 0) = 2
    assert score_threshold(0.5, GAPPED) == 2
    # between 1 (3) and 2 (5): 3 + 2 × (1.25 − 1) / (2 − 1) = 3.5
    assert score_threshold(1.25, GAPPED) == 3.5


def test_6_1_below_level_1_policy_zero():
    assert score_threshold(50, UP_60, below_level_1=0) == 0
    assert score_threshold(12, DOWN_10, "down", below_level_1=0) == 0
    # at T1 the score is 1 whatever the policy
    assert score_threshold(60, UP_60, below_level_1=0) == 1
    # through the engine, the agreement's policy applies to every kind
    threshold = Indicator(id="1", dimension=1, weight=50, thresholds=UP_60, result={12: 59.9})
    milestone = Indicator(id="2", dimension=2, weight=30, kind="milestone", milestones=list("abcde"),
                          result={12: [False, True, True, True, True]})
    weighted = Indicator(id="3", dimension=3, weight=20, kind="weighted", parts=[
        Part("a", 1.0, UP_60, result={12: 10})])
    result = score_agreement(agreement_of(threshold, milestone, weighted, below_level_1=0), 12).by_id()
    assert result["1"].score == 0 and result["1"].weighted == 0
    assert result["2"].score == 0  # milestone 1 not met
    # the part scores 0, so the composite 0 is short of the composite's level 1 → 0
    assert result["3"].part_scores == [0] and result["3"].score == 0


def test_6_1_interpolation_off():
    # the highest level whose threshold the result reaches
    assert score_threshold(85, UP_60, interpolate=False) == 3
    assert score_threshold(89.999, UP_60, interpolate=False) == 3
    assert score_threshold(90, UP_60, interpolate=False) == 4
    assert score_threshold(100, UP_60, interpolate=False) == 5
    assert score_threshold(59, UP_60, interpolate=False) == 1
    assert score_threshold(59, UP_60, interpolate=False, below_level_1=0) == 0
    assert score_threshold(5, DOWN_10, "down", interpolate=False) == 3
    assert score_threshold(1.5, GAPPED, interpolate=False) == 3


def test_6_1_step_of_10_per_point():
    # "±10 ต่อ 1 คะแนน": each 1 of result is 0.1 of score. 73.37 → 2 + 3.37 / 10 = 2.337
    assert score_threshold(73.37, UP_60) == 2.337
    # 1/3 of the way: 2 + 10/3 / 10 = 2.3333… → 2.3333
    assert score_threshold(70 + 10 / 3, UP_60) == 2.3333


# --- §6.2 milestones --------------------------------------------------------------------

def test_6_2_milestones():
    assert score_milestones([True, True, True, False, False]) == 3
    assert score_milestones([True] * 5) == 5
    # milestones 1..L must all be met: 4 without 3 counts for nothing
    assert score_milestones([True, True, False, True, True]) == 2
    assert score_milestones([False, True, True, True, True]) == 1
    assert score_milestones([False] * 5) == 1
    assert score_milestones([False] * 5, below_level_1=0) == 0


# --- §6.3 weighted average ------------------------------------------------------------

def test_6_3_weighted_average_parts_rounded_before_weighting():
    # Part scores, each rounded to 4 decimals first:
    #   70 + 10/3 on 60..100 → 2 + (10/3)/10 = 2.33333… → SM1 = 2.3333
    #   80 + 20/3 on 60..100 → 3 + (20/3)/10 = 3.66666… → SM2 = 3.6667
    # Composite = (0.3 × 2.3333 + 0.7 × 3.6667) / 1 = 0.69999 + 2.56669 = 3.26668 → 3.2667
    # (the next test shows a case where rounding first changes the 4th decimal)
    parts = [Part("a", 0.3, UP_60, result={12: 70 + 10 / 3}),
             Part("b", 0.7, UP_60, result={12: 80 + 20 / 3})]
    indicator = Indicator(id="1.1", dimension=1, weight=100, kind="weighted", parts=parts)
    scored = score_agreement(agreement_of(indicator), 12).by_id()["1.1"]
    assert scored.part_scores == [2.3333, 3.6667]
    assert scored.composite == 3.2667
    assert scored.score == 3.2667
    assert scored.weighted == 3.2667  # 100 × 3.2667 / 100


def test_6_3_rounding_before_weighting_changes_the_result():
    # SM = 1.00005 unrounded vs 1.0001 rounded (1 + 0.5/10000 on 0/10000/…):
    # part a: R = 0.5 → 1 + 0.5 / 10000 = 1.00005 → SM_a = 1.0001
    # part b: R = 0.5 likewise → SM_b = 1.0001
    # rounded first:  (0.5 × 1.0001 + 0.5 × 1.0001) / 1 = 1.0001
    # unrounded:      (0.5 × 1.00005 + 0.5 × 1.00005) = 1.00005 → 1.0001 too; use weights
    # 0.9/0.1 with SM_b = 1 (R = 0): rounded 0.9 × 1.0001 + 0.1 × 1 = 1.00009 → 1.0001;
    # unrounded 0.9 × 1.00005 + 0.1 = 1.000045 → 1.0 — the two orders differ.
    steps = [0, 10000, 20000, 30000, 40000]
    assert weighted_composite([(0.9, 1.0001), (0.1, 1.0)]) == 1.0001
    parts = [Part("a", 0.9, steps, result={12: 0.5}), Part("b", 0.1, steps, result={12: 0})]
    indicator = Indicator(id="15.2", dimension=4, weight=4, kind="weighted", parts=parts)
    scored = score_agreement(agreement_of(indicator), 12).by_id()["15.2"]
    assert scored.part_scores == [1.0001, 1.0]
    assert scored.score == 1.0001


def test_6_3_composite_above_5_and_other_composite_thresholds():
    # the composite's own criterion 1/2/3/4/5: a composite of 4.6 scores 4.6
    assert weighted_composite([(0.6, 5.0), (0.4, 4.0)]) == 4.6  # 3 + 1.6
    # a framework may give other composite thresholds, e.g. 2/2.5/3/3.5/4:
    # composite 4.6 ≥ 4 → 5; composite 2.75 → 2 + (2.75 − 2.5) / 0.5 = 2.5
    parts = [Part("a", 0.5, UP_60, result={12: 85}), Part("b", 0.5, UP_60, result={12: 60})]
    indicator = Indicator(id="3", dimension=1, weight=100, kind="weighted", parts=parts,
                          composite_thresholds=[2, 2.5, 3, 3.5, 4])
    scored = score_agreement(agreement_of(indicator), 12).by_id()["3"]
    # composite = 0.5 × 3.5 + 0.5 × 1 = 2.25 → between 2 (1) and 2.5 (2): 1 + 0.25/0.5 = 1.5
    assert scored.composite == 2.25
    assert scored.score == 1.5


# --- §6.4 groups ------------------------------------------------------------------------

def test_6_4_group_parent():
    # children 15 / 3 / 2 of a parent weighing 20 (indicator 1 of the FY2552 framework)
    children = [
        Indicator(id="1.1", dimension=1, weight=15, thresholds=UP_60, result={12: 85}),   # 3.5
        Indicator(id="1.2", dimension=1, weight=3, thresholds=UP_60, result={12: 100}),   # 5
        Indicator(id="1.3", dimension=1, weight=2, thresholds=UP_60, result={12: 62}),    # 1.2
    ]
    parent = Indicator(id="1", dimension=1, weight=20, kind="group", children=children)
    other = Indicator(id="6", dimension=4, weight=80, thresholds=UP_60, result={12: 90})  # 4
    result = score_agreement(agreement_of(parent, other), 12)
    by_id = result.by_id()
    # weighted: 15 × 3.5 / 100 = 0.525; 3 × 5 / 100 = 0.15; 2 × 1.2 / 100 = 0.024
    assert [by_id[i].weighted for i in ("1.1", "1.2", "1.3")] == [0.525, 0.15, 0.024]
    # parent weighted = 0.525 + 0.15 + 0.024 = 0.699
    assert by_id["1"].weighted == 0.699
    # parent score = (15 × 3.5 + 3 × 5 + 2 × 1.2) / 20 = (52.5 + 15 + 2.4) / 20 = 3.495
    assert by_id["1"].score == 3.495
    assert by_id["1"].is_group
    # parents come before their children in the list
    assert [s.id for s in result.indicators] == ["1", "1.1", "1.2", "1.3", "6"]
    # the total counts leaves only: 0.699 + 80 × 4 / 100 = 0.699 + 3.2 = 3.899
    assert result.total == 3.899
    assert result.dimensions == {"1": 0.699, "2": 0.0, "3": 0.0, "4": 3.2}


def test_6_5a_group_child_due_but_missing_scores_the_floor():
    # round 6: 1.2 reports in every round but has no 6-month result → 1 (the floor), so
    # parent = (15 × 3.5 + 5 × 1) / 20 = 57.5 / 20 = 2.875; weighted 0.525 + 0.05 = 0.575
    children = [
        Indicator(id="1.1", dimension=1, weight=15, thresholds=UP_60, result={6: 85}),
        Indicator(id="1.2", dimension=1, weight=5, thresholds=UP_60, result={12: 100}),
    ]
    parent = Indicator(id="1", dimension=1, weight=20, kind="group", children=children)
    result = score_agreement(agreement_of(parent), 6)
    by_id = result.by_id()
    assert (by_id["1.2"].score, by_id["1.2"].weighted, by_id["1.2"].missing) == (1.0, 0.05, True)
    assert by_id["1"].score == 2.875 and by_id["1"].weighted == 0.575 and by_id["1"].missing
    assert result.total == 0.575 and result.covered_weight == 20


def test_6_5a_group_child_not_due_is_left_out():
    # the same, but 1.2 reports at 12 months only: round 6 = 1.1 alone, 15 × 3.5 / 15 = 3.5
    children = [
        Indicator(id="1.1", dimension=1, weight=15, thresholds=UP_60, result={6: 85}),
        Indicator(id="1.2", dimension=1, weight=5, thresholds=UP_60, result={12: 100},
                  report_rounds=[12]),
    ]
    parent = Indicator(id="1", dimension=1, weight=20, kind="group", children=children)
    result = score_agreement(agreement_of(parent), 6)
    by_id = result.by_id()
    assert by_id["1.2"].score is None and by_id["1.2"].weighted is None and not by_id["1.2"].due
    assert by_id["1"].score == 3.5 and by_id["1"].weighted == 0.525
    # the interim total says what it covers: 0.525 on 15 of 20
    assert (result.total, result.covered_weight, result.full_weight) == (0.525, 15, 20)
    assert result.is_partial and result.coverage_text() == "0.5250 on 15 of 20"


def test_6_5a_ddc_1_1_missing_part_scores_the_floor_not_the_average():
    # The case: a weighted indicator whose bad part is not reported at 12 months.
    # Part 1 (0.6): 93.5 on 80/85/90/95/100 → 3 + 3.5/5 = 3.7; part 2 (0.4) missing → 1.
    # composite = 0.6 × 3.7 + 0.4 × 1 = 2.22 + 0.4 = 2.62 (3.7 if the missing part were left out)
    ind = Indicator(id="1.1", dimension=1, weight=18, kind="weighted", parts=[
        Part("วัคซีน", 0.6, [80, 85, 90, 95, 100], result={12: 93.5}),
        Part("สอบสวนโรค", 0.4, DOWN_10, direction="down", result={}),
    ])
    scored = score_agreement(agreement_of(ind), 12).by_id()["1.1"]
    assert scored.part_scores == [3.7, 1.0] and scored.composite == 2.62 and scored.score == 2.62
    assert scored.missing
    # with the floor at 0: 0.6 × 3.7 + 0.4 × 0 = 2.22
    assert score_agreement(agreement_of(ind, below_level_1=0), 12).by_id()["1.1"].composite == 2.22


def test_6_5a_missing_threshold_and_milestone_results_score_the_floor():
    threshold = Indicator(id="5.1", dimension=3, weight=40, thresholds=UP_60, result={12: 85})
    milestone = Indicator(id="1.3", dimension=1, weight=60, kind="milestone", milestones=list("abcde"),
                          result={12: [True, True, False, False, False]})
    for policy in (1, 0):
        by_id = score_agreement(agreement_of(threshold, milestone, below_level_1=policy), 9).by_id()
        assert by_id["5.1"].score == policy and by_id["1.3"].score == policy
        assert by_id["5.1"].missing and by_id["1.3"].missing


def test_6_5a_weighted_part_not_due_is_left_out_of_the_composite():
    # part 2 reports at 12 only: round 9's composite is part 1 alone (88 → 2.6)
    ind = Indicator(id="1.1", dimension=1, weight=18, kind="weighted", parts=[
        Part("a", 0.6, [80, 85, 90, 95, 100], result={9: 88}),
        Part("b", 0.4, DOWN_10, direction="down", report_rounds=[12]),
    ])
    scored = score_agreement(agreement_of(ind), 9).by_id()["1.1"]
    assert scored.part_scores == [2.6, None] and scored.composite == 2.6 and not scored.missing


def test_6_5a_annual_indicator_is_not_due_at_6_and_9_and_its_group_passes_it_down():
    # PMQA reports at 12 only: set on the group, its children inherit it
    pmqa = Indicator(id="15", dimension=4, weight=20, kind="group", report_rounds=[12], children=[
        Indicator(id="15.1", dimension=4, weight=20, thresholds=UP_60, result={12: 90})])
    other = Indicator(id="3", dimension=1, weight=80, thresholds=UP_60, result={6: 70, 9: 80, 12: 90})
    agreement = agreement_of(pmqa, other)
    for round_, total, covered in ((6, 1.6, 80), (9, 2.4, 80), (12, 4.0, 100)):
        # 80 × 2 / 100 = 1.6; 80 × 3 / 100 = 2.4; 80 × 4 / 100 + 20 × 4 / 100 = 4.0
        result = score_agreement(agreement, round_)
        assert (result.total, result.covered_weight) == (total, covered)
        assert result.by_id()["15.1"].due == (round_ == 12)
        assert result.dimensions["4"] == (0.8 if round_ == 12 else 0.0)


# --- §6.5 special cases ----------------------------------------------------------------

def test_6_5_not_applicable_moved():
    # 1.2 not applicable, its 3 moved to 1.1 (15 + 3 = 18); total weight still 100
    children = [
        Indicator(id="1.1", dimension=1, weight=18, thresholds=UP_60, result={12: 85}),
        Indicator(id="1.2", dimension=1, weight=0, applicable=False, moved_to="1.1",
                  thresholds=UP_60, result={12: 100}),
        Indicator(id="1.3", dimension=1, weight=2, thresholds=UP_60, result={12: 80}),
    ]
    parent = Indicator(id="1", dimension=1, weight=20, kind="group", children=children)
    other = Indicator(id="6", dimension=4, weight=80, thresholds=UP_60, result={12: 60})
    agreement = agreement_of(parent, other)
    assert sum(i.weight for i in agreement.leaves() if i.applicable) == 100
    result = score_agreement(agreement, 12)
    by_id = result.by_id()
    assert by_id["1.2"].score is None and by_id["1.2"].weighted is None
    assert not by_id["1.2"].applicable
    # 1.1: 18 × 3.5 / 100 = 0.63; 1.3: 2 × 3 / 100 = 0.06; parent 0.69,
    # score (18 × 3.5 + 2 × 3) / 20 = (63 + 6) / 20 = 3.45
    assert by_id["1"].weighted == 0.69
    assert by_id["1"].score == 3.45
    # total = 0.69 + 80 × 1 / 100 = 1.49
    assert result.total == 1.49


def test_6_5_not_applicable_group_takes_its_children_with_it():
    # Indicator 2 for a department with no mission group: the whole group is not
    # applicable and its weight moved; its children must not reach the totals.
    children = [Indicator(id="2.1", dimension=1, weight=10, thresholds=UP_60, result={12: 100})]
    group = Indicator(id="2", dimension=1, weight=0, kind="group", applicable=False, children=children)
    other = Indicator(id="3", dimension=1, weight=100, thresholds=UP_60, result={12: 80})
    result = score_agreement(agreement_of(group, other), 12)
    by_id = result.by_id()
    assert by_id["2"].score is None
    assert by_id["2.1"].weighted is None
    assert result.total == 3.0  # 100 × 3 / 100, nothing from 2.1


def test_6_5_granted():
    # granted: 5 in every round, even with no result, whatever its thresholds
    granted = Indicator(id="15.1.3", dimension=4, weight=1, thresholds=UP_60, granted=True,
                        granted_reason="ผ่านเกณฑ์ในปีงบประมาณ พ.ศ. 2552 แล้ว", result={12: 0})
    for round_ in (6, 9, 12):
        scored = score_agreement(agreement_of(granted), round_).by_id()["15.1.3"]
        assert scored.score == 5
        assert scored.weighted == 0.05  # 1 × 5 / 100
        assert scored.granted


# --- §6.6 totals ---------------------------------------------------------------------

def test_6_6_totals():
    # one indicator per dimension; weights 40 / 25 / 15 / 20
    indicators = [
        Indicator(id="3", dimension=1, weight=40, thresholds=UP_60, result={12: 77.77}),
        Indicator(id="4", dimension=2, weight=25, thresholds=DOWN_10, direction="down", result={12: 3}),
        Indicator(id="5", dimension=3, weight=15, thresholds=UP_60, result={12: 95}),
        Indicator(id="6", dimension=4, weight=20, thresholds=UP_60, result={12: 61.11}),
    ]
    result = score_agreement(agreement_of(*indicators), 12)
    by_id = result.by_id()
    # 3: 2 + 7.77 / 10 = 2.777; weighted 40 × 2.777 / 100 = 1.1108
    # 4: between 4 (4) and 2 (5): 4 + (3 − 4) / (2 − 4) = 4.5; weighted 25 × 4.5 / 100 = 1.125
    # 5: 4 + 5 / 10 = 4.5; weighted 15 × 4.5 / 100 = 0.675
    # 6: 1 + 1.11 / 10 = 1.111; weighted 20 × 1.111 / 100 = 0.2222
    assert [by_id[i].score for i in "3456"] == [2.777, 4.5, 4.5, 1.111]
    assert [by_id[i].weighted for i in "3456"] == [1.1108, 1.125, 0.675, 0.2222]
    assert result.dimensions == {"1": 1.1108, "2": 1.125, "3": 0.675, "4": 0.2222}
    # total = 1.1108 + 1.125 + 0.675 + 0.2222 = 3.133
    assert result.total == 3.133


def test_6_6_round_must_be_6_9_or_12():
    with pytest.raises(ValueError):
        score_agreement(agreement_of(), 7)


# --- every kind of indicator, rounds 6, 9 and 12 -----------------------------------------

EVERY_KIND = """
fiscal_year: 2552
ministry: กระทรวงสาธารณสุข
department: กรมควบคุมโรค
indicators:
  - id: "1"
    dimension: 1
    weight: 20
    children:
      - id: "1.1"
        weight: 18
        kind: weighted
        parts:
          - {name: วัคซีน, weight: 0.6, thresholds: [80, 85, 90, 95, 100],
             result: {6: 70, 9: 88, 12: 93.5}}
          - {name: สอบสวนโรค, weight: 0.4, direction: down, thresholds: [10, 8, 6, 4, 2],
             report_rounds: [12], result: {12: 5}}
      - {id: "1.2", weight: 0, applicable: false, moved_to: "1.1"}
      - {id: "1.3", weight: 2, kind: milestone, milestones: [ก, ข, ค, ง, จ],
         result: {6: [true, false, false, false, false], 9: [true, true, false, true, false],
                  12: [true, true, true, false, false]}}
  - id: "3"
    dimension: 1
    weight: 30
    children:
      - {id: "3.1", weight: 10, thresholds: [60, 70, 80, 90, 100], result: {6: 50, 9: 85, 12: 120}}
      - id: "3.2"
        weight: 20
        children:
          - {id: "3.2.1", weight: 12, direction: down, thresholds: [10, 8, 6, 4, 2],
             result: {6: 11, 9: 5, 12: 2}}
          - {id: "3.2.2", weight: 8, interpolate: false, thresholds: [60, 70, 80, 90, 100],
             result: {6: 65, 9: 89.9, 12: 90}}
  - {id: "4", dimension: 2, weight: 15, thresholds: [50, 60, 70, 80, 90],
     result: {6: 55.55, 9: 66.666, 12: 79.99}}
  - {id: "5.1", dimension: 3, weight: 4, thresholds: [72, 76, 80, 84, 88], result: {6: 70, 9: 78.3, 12: 86}}
  - {id: "5.2", dimension: 3, weight: 11, direction: down, thresholds: [20, 15, 10, 5, 0],
     report_rounds: [9, 12], result: {9: 12, 12: 3}}
  - id: "15"
    dimension: 4
    weight: 20
    children:
      - {id: "15.1", weight: 17, thresholds: [60, 70, 80, 90, 100], result: {6: 72.5, 9: 81, 12: 95}}
      - {id: "15.1.3", weight: 1, thresholds: [60, 70, 80, 90, 100], granted: true,
         granted_reason: ผ่านเกณฑ์ในปีงบประมาณ พ.ศ. 2552 แล้ว}
      - {id: "15.3.3", weight: 2, thresholds: [0, null, 1, null, 2], result: {6: 0, 9: 0.5, 12: 1.75}}
"""

# Hand computation, per round: (score, weighted) of every indicator, then totals.
#
# 1.1 part A (80/85/90/95/100): r6 70 < 80 → 1; r9 88 → 2 + (88−85)/5 = 2.6;
#     r12 93.5 → 3 + (93.5−90)/5 = 3.7.  Part B (10/8/6/4/2 down) reports at 12 only: 5 → 3.5.
#     composite r6 = 0.6×1/0.6 = 1; r9 = 0.6×2.6/0.6 = 2.6; r12 = 0.6×3.7 + 0.4×3.5 = 2.22 + 1.4 = 3.62
#     weighted = 18 × s / 100: 0.18, 0.468, 0.6516
# 1.3 milestones met in order: r6 1, r9 2 (4 without 3 counts for nothing), r12 3
#     weighted 2 × s / 100: 0.02, 0.04, 0.06
# 1  = (18 × s1.1 + 2 × s1.3) / 20: r6 (18 + 2)/20 = 1; r9 (46.8 + 4)/20 = 2.54;
#      r12 (65.16 + 6)/20 = 3.558;   weighted Σ: 0.2, 0.508, 0.7116
# 3.1 (60..100): r6 50 → 1; r9 85 → 3.5; r12 120 → 5.  weighted 10 × s/100: 0.1, 0.35, 0.5
# 3.2.1 (down 10..2): r6 11 → 1; r9 5 → 3.5; r12 2 → 5. weighted 12 × s/100: 0.12, 0.42, 0.6
# 3.2.2 (no interpolation): r6 65 → 1; r9 89.9 → 3; r12 90 → 4. weighted 8 × s/100: 0.08, 0.24, 0.32
# 3.2 = (12 × s3.2.1 + 8 × s3.2.2) / 20: r6 1; r9 (42 + 24)/20 = 3.3; r12 (60 + 32)/20 = 4.6
#      weighted: 0.2, 0.66, 0.92
# 3  = (10 × s3.1 + 20 × s3.2) / 30: r6 1; r9 (35 + 66)/30 = 3.36666… → 3.3667;
#      r12 (50 + 92)/30 = 4.73333… → 4.7333;  weighted: 0.3, 1.01, 1.42
# 4 (50..90): r6 1 + 5.55/10 = 1.555; r9 2 + 6.666/10 = 2.6666; r12 3 + 9.99/10 = 3.999
#     weighted 15 × s/100: 0.23325 → 0.2333 (half up); 0.39999 → 0.4; 0.59985 → 0.5999 (half up)
# 5.1 (72/76/80/84/88): r6 70 → 1; r9 2 + 2.3/4 = 2.575; r12 4 + 2/4 = 4.5
#     weighted 4 × s/100: 0.04, 0.103, 0.18
# 5.2 (down 20/15/10/5/0) reports at 9 and 12: r6 not due; r9 12 → 2 + (12−15)/(10−15) = 2.6; r12 3 → 4 + (3−5)/(0−5) = 4.4
#     weighted 11 × s/100: –, 0.286, 0.484
# 15.1 (60..100): r6 2 + 2.5/10 = 2.25; r9 3.1; r12 4.5.  weighted 17 × s/100: 0.3825, 0.527, 0.765
# 15.1.3 granted: 5, weighted 0.05 in every round
# 15.3.3 (0/–/1/–/2): r6 0 → 1; r9 0.5 → 1 + 2×0.5/1 = 2; r12 1.75 → 3 + 2×0.75/1 = 4.5
#     weighted 2 × s/100: 0.02, 0.04, 0.09
# 15 = (17 s15.1 + 1×5 + 2 s15.3.3)/20: r6 (38.25 + 5 + 2)/20 = 2.2625; r9 (52.7 + 5 + 4)/20 = 3.085;
#      r12 (76.5 + 5 + 9)/20 = 4.525;  weighted: 0.4525, 0.617, 0.905
EXPECTED = {
    6: {
        "1": (1.0, 0.2), "1.1": (1.0, 0.18), "1.2": (None, None), "1.3": (1.0, 0.02),
        "3": (1.0, 0.3), "3.1": (1.0, 0.1), "3.2": (1.0, 0.2), "3.2.1": (1.0, 0.12), "3.2.2": (1.0, 0.08),
        "4": (1.555, 0.2333), "5.1": (1.0, 0.04), "5.2": (None, None),
        "15": (2.2625, 0.4525), "15.1": (2.25, 0.3825), "15.1.3": (5.0, 0.05), "15.3.3": (1.0, 0.02),
    },
    9: {
        "1": (2.54, 0.508), "1.1": (2.6, 0.468), "1.2": (None, None), "1.3": (2.0, 0.04),
        "3": (3.3667, 1.01), "3.1": (3.5, 0.35), "3.2": (3.3, 0.66), "3.2.1": (3.5, 0.42), "3.2.2": (3.0, 0.24),
        "4": (2.6666, 0.4), "5.1": (2.575, 0.103), "5.2": (2.6, 0.286),
        "15": (3.085, 0.617), "15.1": (3.1, 0.527), "15.1.3": (5.0, 0.05), "15.3.3": (2.0, 0.04),
    },
    12: {
        "1": (3.558, 0.7116), "1.1": (3.62, 0.6516), "1.2": (None, None), "1.3": (3.0, 0.06),
        "3": (4.7333, 1.42), "3.1": (5.0, 0.5), "3.2": (4.6, 0.92), "3.2.1": (5.0, 0.6), "3.2.2": (4.0, 0.32),
        "4": (3.999, 0.5999), "5.1": (4.5, 0.18), "5.2": (4.4, 0.484),
        "15": (4.525, 0.905), "15.1": (4.5, 0.765), "15.1.3": (5.0, 0.05), "15.3.3": (4.5, 0.09),
    },
}
# Dimension totals = Σ leaves' weighted scores:
#   dim 1 = 1.1 + 1.3 + 3.1 + 3.2.1 + 3.2.2; dim 2 = 4; dim 3 = 5.1 + 5.2; dim 4 = 15.1 + 15.1.3 + 15.3.3
EXPECTED_DIMENSIONS = {
    6: {"1": round4(0.18 + 0.02 + 0.1 + 0.12 + 0.08),            # 0.5
        "2": 0.2333,
        "3": 0.04,
        "4": round4(0.3825 + 0.05 + 0.02)},                     # 0.4525
    9: {"1": round4(0.468 + 0.04 + 0.35 + 0.42 + 0.24),         # 1.518
        "2": 0.4,
        "3": round4(0.103 + 0.286),                             # 0.389
        "4": round4(0.527 + 0.05 + 0.04)},                      # 0.617
    12: {"1": round4(0.6516 + 0.06 + 0.5 + 0.6 + 0.32),         # 2.1316
         "2": 0.5999,
         "3": round4(0.18 + 0.484),                             # 0.664
         "4": round4(0.765 + 0.05 + 0.09)},                     # 0.905
}
EXPECTED_TOTAL = {
    6: 1.2258,   # 0.5 + 0.2333 + 0.04 + 0.4525
    9: 2.924,    # 1.518 + 0.4 + 0.389 + 0.617
    12: 4.3005,  # 2.1316 + 0.5999 + 0.664 + 0.905
}


@pytest.fixture(scope="module")
def every_kind() -> Agreement:
    agreement, findings = parse(__import__("yaml").safe_load(EVERY_KIND), "every_kind.yaml")
    assert findings == []
    assert sum(i.weight for i in agreement.leaves() if i.applicable) == 100
    return agreement


@pytest.mark.parametrize("round_", [6, 9, 12])
def test_6_every_kind_of_indicator_scored_by_hand(every_kind, round_):
    result = score_agreement(every_kind, round_)
    got = {s.id: (s.score, s.weighted) for s in result.indicators}
    assert got == EXPECTED[round_]
    assert result.dimensions == EXPECTED_DIMENSIONS[round_]
    assert result.total == EXPECTED_TOTAL[round_]
    assert result.round == round_ and result.department == "กรมควบคุมโรค"


def test_6_3_weighted_part_not_due_at_a_round(every_kind):
    # 1.1's second part reports only at 12 months: rounds 6 and 9 use part A alone
    for round_, part_scores, composite in ((6, [1.0, None], 1.0), (9, [2.6, None], 2.6),
                                           (12, [3.7, 3.5], 3.62)):
        scored = score_agreement(every_kind, round_).by_id()["1.1"]
        assert scored.part_scores == part_scores
        assert scored.composite == composite


def test_6_5a_round_an_indicator_does_not_report_in_adds_nothing(every_kind):
    # 5.2 reports at 9 and 12: dim 3 at round 6 is 5.1's 0.04 alone, on 89 of 100
    result = score_agreement(every_kind, 6)
    assert result.by_id()["5.2"].score is None and not result.by_id()["5.2"].due
    assert result.dimensions["3"] == 0.04
    assert (result.covered_weight, result.full_weight) == (89, 100)


# --- properties ------------------------------------------------------------------------

@st.composite
def threshold_sets(draw):
    """Five thresholds, T1 and T5 defined, some of levels 2–4 blank, in either direction."""
    steps = draw(st.lists(st.integers(1, 1000), min_size=4, max_size=4))
    start = draw(st.integers(-1000, 1000))
    scale = draw(st.sampled_from([1, 0.5, 0.01, 10]))
    values = [start * scale]
    for step in steps:
        values.append(values[-1] + step * scale)
    blanks = draw(st.lists(st.booleans(), min_size=3, max_size=3))
    thresholds = [values[0]] + [None if b else v for b, v in zip(blanks, values[1:4])] + [values[4]]
    direction = draw(st.sampled_from(["up", "down"]))
    if direction == "down":
        thresholds = [None if t is None else -t for t in thresholds]
    return thresholds, direction


def defined_levels(thresholds):
    return [(level, t) for level, t in enumerate(thresholds, start=1) if t is not None]


results = st.floats(-5000, 5000, allow_nan=False, allow_infinity=False)
policies = st.sampled_from([0, 1])


@given(threshold_sets(), results, policies, st.booleans())
def test_property_threshold_score_within_bounds(spec, result, policy, interpolate):
    thresholds, direction = spec
    score = score_threshold(result, thresholds, direction, policy, interpolate)
    assert policy <= score <= 5


@given(threshold_sets(), results, results, policies, st.booleans())
def test_property_threshold_score_never_decreases_as_result_improves(spec, a, b, policy, interpolate):
    thresholds, direction = spec
    worse, better = sorted([a, b]) if direction == "up" else sorted([a, b], reverse=True)
    assert (score_threshold(worse, thresholds, direction, policy, interpolate)
            <= score_threshold(better, thresholds, direction, policy, interpolate))


@given(threshold_sets(), policies, st.booleans())
def test_property_threshold_score_is_the_level_at_a_threshold(spec, policy, interpolate):
    thresholds, direction = spec
    for level, threshold in defined_levels(thresholds):
        assert score_threshold(threshold, thresholds, direction, policy, interpolate) == level


@given(threshold_sets(), st.floats(1e-7, 1e-3))
@example(spec=([0, 1, 2, 3, 4], "up"), fraction=5e-05)  # 1.00005 rounds half away from zero to 1.0001
def test_property_threshold_score_is_continuous_between_thresholds(spec, fraction):
    # Approaching the threshold of level b from the side of level a, by a fraction of
    # the gap, the score is b − (b − a) × fraction, within the engine's rounding to 4 decimals
    # half away from zero (half a unit of the 4th decimal) and float slack.
    rounding = 0.0001 / 2 + 1e-9
    thresholds, direction = spec
    levels = defined_levels(thresholds)
    for (a, t_a), (b, t_b) in zip(levels, levels[1:]):
        near = t_b - (t_b - t_a) * fraction
        score = score_threshold(near, thresholds, direction)
        assert abs(score - (b - (b - a) * fraction)) <= rounding
        assert abs(score - b) <= (b - a) * fraction + rounding
        # and leaving level a upward, the score starts at a
        just_past = t_a + (t_b - t_a) * fraction
        assert abs(score_threshold(just_past, thresholds, direction) - a) <= (b - a) * fraction + rounding


@given(threshold_sets(), results)
def test_property_threshold_interpolation_off_is_the_floor(spec, result):
    # with interpolation off the score is the level the interpolated score starts from
    thresholds, direction = spec
    interpolated = score_threshold(result, thresholds, direction)
    floor = score_threshold(result, thresholds, direction, interpolate=False)
    assert floor in (1, 2, 3, 4, 5)
    above = [level for level, _ in defined_levels(thresholds) if level > floor]
    # never beyond the next defined level (blank levels are skipped)
    assert floor <= interpolated <= (above[0] if above else 5)


@given(st.lists(st.booleans(), min_size=5, max_size=5), policies)
def test_property_milestone_score(met, policy):
    leading = 0
    while leading < 5 and met[leading]:
        leading += 1
    score = score_milestones(met, policy)
    assert score == (leading if leading else policy)
    assert policy <= score <= 5
    # meeting one more milestone never lowers the score
    for i in range(5):
        more = list(met)
        more[i] = True
        assert score_milestones(more, policy) >= score


@st.composite
def indicator_trees(draw, depth=0, counter=None):
    counter = counter if counter is not None else [0]
    counter[0] += 1
    id_ = f"i{counter[0]}"
    weight = draw(st.integers(0, 30))
    dimension = draw(st.sampled_from([1, 2, 3, 4]))
    if depth < 2 and draw(st.booleans()):
        children = draw(st.lists(indicator_trees(depth + 1, counter), min_size=1, max_size=3))
        for child in children:
            child.dimension = dimension  # children inherit their parent's dimension
        return Indicator(id=id_, dimension=dimension, weight=weight, kind="group", children=children)
    kind = draw(st.sampled_from(["threshold", "milestone", "granted", "na"]))
    if kind == "milestone":
        result = draw(st.dictionaries(st.sampled_from([6, 9, 12]),
                                      st.lists(st.booleans(), min_size=5, max_size=5)))
        return Indicator(id=id_, dimension=dimension, weight=weight, kind="milestone",
                         milestones=list("abcde"), result=result)
    thresholds, direction = draw(threshold_sets())
    result = draw(st.dictionaries(st.sampled_from([6, 9, 12]), results))
    return Indicator(id=id_, dimension=dimension, weight=weight, thresholds=thresholds,
                     direction=direction, result=result, granted=kind == "granted",
                     applicable=kind != "na")


@settings(max_examples=200)
@given(st.lists(indicator_trees(), min_size=1, max_size=5), st.sampled_from([6, 9, 12]), policies)
def test_property_totals_are_sums_of_leaves(indicators, round_, policy):
    agreement = agreement_of(*indicators, below_level_1=policy)
    for n, indicator in enumerate(agreement.walk()):
        indicator.id = f"i{n}"  # unique ids across the generated trees
    result = score_agreement(agreement, round_)
    leaves = [s for s in result.indicators if not s.is_group and s.weighted is not None]
    # every leaf's weighted score is weight × score / 100 to 4 decimals
    for leaf in leaves:
        assert leaf.weighted == round4(Decimal(repr(leaf.weight)) * Decimal(repr(leaf.score)) / 100)
    leaf_sum = sum(Decimal(repr(s.weighted)) for s in leaves)
    assert result.total == float(leaf_sum)
    for d in "1234":
        assert result.dimensions[d] == float(sum(Decimal(repr(s.weighted)) for s in leaves
                                                 if str(s.dimension) == d))
    assert math.isclose(sum(result.dimensions.values()), result.total, abs_tol=1e-9)
    # a group's weighted is the sum of its children's weighted
    by_id = result.by_id()
    for indicator in agreement.walk():
        if indicator.is_group and by_id[indicator.id].weighted is not None:
            children = [by_id[c.id] for c in indicator.children
                        if by_id[c.id].score is not None and c.weight]
            assert by_id[indicator.id].weighted == float(sum(Decimal(repr(c.weighted)) for c in children))
            low = min(c.score for c in children)
            high = max(c.score for c in children)
            assert low - 0.00005 <= by_id[indicator.id].score <= high + 0.00005


@settings(max_examples=200)
@given(st.lists(indicator_trees(), min_size=1, max_size=5), st.sampled_from([6, 9, 12]), policies,
       st.integers(0, 50))
def test_property_leaving_a_result_out_never_raises_a_score(indicators, round_, policy, pick):
    """DOMAIN §6.5a: 'Leaving a bad result out must never raise a score.'"""
    agreement = agreement_of(*indicators, below_level_1=policy)
    for n, indicator in enumerate(agreement.walk()):
        indicator.id = f"i{n}"
    reported = [i for i in agreement.leaves() if round_ in i.result]
    assume(reported)
    before = score_agreement(agreement, round_)
    reported[pick % len(reported)].result.pop(round_)
    after = score_agreement(agreement, round_)
    assert after.total <= before.total
    assert after.covered_weight == before.covered_weight  # still due: the weight still counts
    old = before.by_id()
    for s in after.indicators:
        if s.score is not None:
            assert s.score <= old[s.id].score


def test_6_5a_report_rounds_read_written_and_a_result_not_due_warned():
    """`report_rounds` on an indicator or a part round-trips; a result for a round the
    indicator does not report in is a warning (it is not scored), at its field path."""
    from xlkpi.agreement import dumps, read_text

    text = """
fiscal_year: 2552
ministry: m
department: d
indicators:
  - id: "15"
    dimension: 4
    weight: 100
    report_rounds: [12]
    children:
      - {id: "15.1", weight: 60, thresholds: [1, 2, 3, 4, 5], result: {6: 3, 12: 4}}
      - {id: "15.2", weight: 40, kind: weighted, parts: [
          {name: a, weight: 0.5, thresholds: [1, 2, 3, 4, 5], report_rounds: [6, 12], result: {6: 2, 12: 5}},
          {name: b, weight: 0.5, thresholds: [1, 2, 3, 4, 5], result: {12: 3}}]}
"""
    agreement, findings = read_text(text, "a.yaml")
    assert [(f.code, f.cell, f.is_error) for f in findings] == [
        ("AGR-RESULT-NOT-DUE", "indicators[0].children[0].result.6", False)]
    assert agreement.find("15").report_rounds == [12]
    assert agreement.find("15.2").parts[0].report_rounds == [6, 12]
    again, more = read_text(dumps(agreement), "b.yaml")
    assert again == agreement and [f.code for f in more] == ["AGR-RESULT-NOT-DUE"]
    # round 6: 15.1 not due; 15.2's part a is due (its own schedule), so 15.2 scores on it alone
    by_id = score_agreement(agreement, 6).by_id()
    assert not by_id["15.1"].due and by_id["15.2"].part_scores == [2.0, None] and by_id["15.2"].score == 2.0


def test_decided_score_overrides_a_leaf_and_its_group_and_totals_follow():
    # 1.1 (15, result 85 → 3.5) and 1.2 (5, result 60 → 1); the committee decides 1.2 = 4:
    # 1.2 weighted 5 × 4 / 100 = 0.2; 1 = (15 × 3.5 + 5 × 4) / 20 = 72.5 / 20 = 3.625, weighted 0.525 + 0.2
    children = [Indicator(id="1.1", dimension=1, weight=15, thresholds=UP_60, result={12: 85}),
                Indicator(id="1.2", dimension=1, weight=5, thresholds=UP_60, result={12: 60})]
    parent = Indicator(id="1", dimension=1, weight=20, kind="group", children=children)
    result = score_agreement(agreement_of(parent), 12, overrides={"1.2": 4})
    by_id = result.by_id()
    assert (by_id["1.2"].score, by_id["1.2"].weighted) == (4.0, 0.2)
    assert (by_id["1"].score, by_id["1"].weighted) == (3.625, 0.725)
    assert result.total == 0.725 and result.dimensions["1"] == 0.725
    # an override of an indicator not scored in the round (not due) changes nothing
    children[1].report_rounds = [6]
    assert score_agreement(agreement_of(parent), 12, overrides={"1.2": 4}).total == 0.525
