"""The scoring engine (DOMAIN §6): pure Python, no files, no Excel.

Every formula here is written in the same order of operations as the Excel formulas the
workbook generator writes (`xlkpi.workbook.formulas`), so that the engine, Excel,
LibreOffice and the `formulas` package agree to the last bit before rounding.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional

from .model import (
    DOWN,
    GROUP,
    MILESTONE,
    ROUNDS,
    WEIGHTED,
    Agreement,
    Indicator,
    rounds_of,
)
from .rounding import excel_round


# --- one indicator -------------------------------------------------------------------

def level_reached(result: float, thresholds: list, direction: str = "up") -> int:
    """The highest level whose (defined) threshold the result reaches; 0 when short of T1."""
    sign = -1 if direction == DOWN else 1
    reached = 0
    for level, threshold in enumerate(thresholds, start=1):
        if threshold is not None and result * sign >= threshold * sign:
            reached = level
    return reached


def next_defined_level(level: int, thresholds: list) -> int:
    """The first level above `level` that has a threshold (levels may be blank, "–")."""
    for higher in range(level + 1, len(thresholds) + 1):
        if thresholds[higher - 1] is not None:
            return higher
    return level


def score_threshold(
    result: float,
    thresholds: list,
    direction: str = "up",
    below_level_1: float = 1,
    interpolate: bool = True,
) -> float:
    """Score a result against five thresholds (DOMAIN §6.1), rounded to 4 decimals.

    >>> score_threshold(85, [60, 70, 80, 90, 100])
    3.5
    >>> score_threshold(1, [0, None, 1, None, 2])
    3.0
    """
    low = level_reached(result, thresholds, direction)
    if low == 0:
        return float(below_level_1)
    high = next_defined_level(low, thresholds)
    if high == low or not interpolate:
        return float(low)
    t_low, t_high = thresholds[low - 1], thresholds[high - 1]
    # Same order of operations as the workbook: L + (N - L) * (R - TL) / (TN - TL)
    return excel_round(low + (high - low) * (result - t_low) / (t_high - t_low))


def score_milestones(met: list, below_level_1: float = 1) -> float:
    """Highest L such that milestones 1..L are all met (DOMAIN §6.2)."""
    level = 0
    for done in met:
        if not done:
            break
        level += 1
    return float(level) if level else float(below_level_1)


def weighted_composite(weights_scores: list) -> Optional[float]:
    """Σ(Wi × SMi) / ΣWi over the parts that have a score, rounded (DOMAIN §6.3).

    A part is None only when it is not due in the round (DOMAIN §6.5a): it is left out of
    both sums.  A due part without a result has already been scored at the floor.
    """
    scored = [(w, s) for w, s in weights_scores if s is not None]
    total_weight = 0.0
    total = 0.0
    for weight, score in scored:
        total += weight * score
        total_weight += weight
    if not scored or total_weight == 0:
        return None
    return excel_round(total / total_weight)


# --- an agreement --------------------------------------------------------------------

@dataclass
class IndicatorScore:
    id: str
    weight: float
    dimension: int
    score: Optional[float]  # None when the round has no result for it (or not applicable)
    weighted: Optional[float]
    composite: Optional[float] = None  # weighted kind: the composite its criterion scores
    part_scores: list = field(default_factory=list)  # weighted kind: SMi per part
    is_group: bool = False
    applicable: bool = True
    granted: bool = False
    due: bool = True  # False when the indicator does not report in the round (DOMAIN §6.5a)
    missing: bool = False  # a due result (or part) was not reported and scored at the floor


@dataclass
class DepartmentScore:
    department: str
    round: int
    total: float
    dimensions: dict  # "1".."4" -> weighted-score total
    indicators: list  # IndicatorScore for every indicator, parents before their children
    covered_weight: float = 100.0  # Σ weight of the leaves due in the round (DOMAIN §6.5a)
    full_weight: float = 100.0  # Σ weight of every applicable leaf

    @property
    def is_partial(self) -> bool:
        """An interim total: some weight does not report in this round."""
        return self.covered_weight < self.full_weight - 1e-9

    def coverage_text(self) -> str:
        """"3.2100 on 64 of 100" (Thai: "จากน้ำหนัก 64 ของ 100")."""
        return f"{self.total:.4f} on {_number_text(self.covered_weight)} of {_number_text(self.full_weight)}"

    def by_id(self) -> dict:
        return {s.id: s for s in self.indicators}

    def to_dict(self) -> dict:
        return {
            "department": self.department,
            "round": self.round,
            "total": self.total,
            "dimensions": dict(self.dimensions),
            "indicators": [
                {"id": s.id, "score": s.score, "weighted": s.weighted} for s in self.indicators
            ],
            # DOMAIN §6.5a: the weight this round's total covers, what is not due in it, and
            # which due results were missing (scored at the floor)
            "covered_weight": self.covered_weight,
            "full_weight": self.full_weight,
            "not_due": [s.id for s in self.indicators if s.applicable and not s.due],
            "missing": [s.id for s in self.indicators if s.missing and not s.is_group],
        }


def _number_text(value: float) -> str:
    return f"{value:g}"


def round_result(values: dict, round_: int):
    """The result reported for a round (None when nothing was reported)."""
    return values.get(round_)


def score_leaf(indicator: Indicator, round_: int, below_level_1: float = 1,
               inherited: tuple = ROUNDS) -> IndicatorScore:
    """Score one leaf for a round (DOMAIN §6.1–6.3, §6.5, §6.5a).

    Not due in the round: no score (left out of the totals).  Due but not reported: the
    short-of-level-1 value, so that leaving a bad result out never raises a score.
    """
    common = dict(id=indicator.id, weight=indicator.weight, dimension=indicator.dimension)
    if not indicator.applicable:
        return IndicatorScore(score=None, weighted=None, applicable=False, **common)
    if round_ not in indicator.due_rounds(inherited):
        return IndicatorScore(score=None, weighted=None, granted=indicator.granted, due=False, **common)
    if indicator.granted:
        return IndicatorScore(score=5.0, weighted=weighted_score(indicator.weight, 5.0),
                              granted=True, **common)
    floor = float(below_level_1)
    composite = None
    part_scores: list = []
    missing = False
    if indicator.kind == MILESTONE:
        met = round_result(indicator.result, round_)
        missing = met is None
        score = score_milestones(met or [], below_level_1)
    elif indicator.kind == WEIGHTED:
        own = indicator.own_rounds(inherited)
        for part in indicator.parts:
            value = round_result(part.result, round_)
            if round_ not in rounds_of(part.report_rounds, own):
                part_scores.append(None)
            elif value is None:
                missing = True
                part_scores.append(floor)
            else:
                part_scores.append(score_threshold(
                    value, part.thresholds, part.direction, below_level_1, part.interpolate))
        composite = weighted_composite([(p.weight, s) for p, s in zip(indicator.parts, part_scores)])
        score = floor if composite is None else score_threshold(
            composite, indicator.composite_thresholds, "up", below_level_1, indicator.interpolate)
    else:
        value = round_result(indicator.result, round_)
        missing = value is None
        score = floor if value is None else score_threshold(
            value, indicator.thresholds, indicator.direction, below_level_1, indicator.interpolate)
    return IndicatorScore(score=score, weighted=weighted_score(indicator.weight, score),
                          composite=composite, part_scores=part_scores, missing=missing, **common)


def weighted_score(weight: float, score: float) -> float:
    """weight% × score / 100, rounded (DOMAIN §6.6)."""
    return excel_round(weight * score / 100)


def sum_rounded(values) -> float:
    total = 0.0
    for value in values:
        total += value
    return excel_round(total)


def score_indicator(indicator: Indicator, round_: int, below_level_1: float, out: list,
                    inherited: tuple = ROUNDS, overrides: Optional[dict] = None) -> IndicatorScore:
    """Score an indicator and its descendants, appending each to `out` (parent first).

    `overrides` maps a leaf's id to a score decided outside the criteria (a review
    committee's decision, DOMAIN §3 step 8); it replaces the leaf's score where the leaf is
    scored in the round, and its weighted score, group and totals follow from it."""
    if indicator.kind != GROUP:
        result = score_leaf(indicator, round_, below_level_1, inherited)
        if overrides and indicator.id in overrides and result.score is not None:
            decided = excel_round(overrides[indicator.id])
            result = replace(result, score=decided, weighted=weighted_score(indicator.weight, decided),
                             missing=False)
        out.append(result)
        return result
    position = len(out)
    out.append(None)  # the parent's place, filled once its children are scored
    own = indicator.own_rounds(inherited)
    children = [score_indicator(c, round_, below_level_1, out, own, overrides) for c in indicator.children]
    due = round_ in indicator.due_rounds(inherited)
    missing = any(c.missing for c in children)
    if not indicator.applicable:
        # a not-applicable group takes its sub-indicators with it (DOMAIN §6.5): its weight
        # has moved, so nothing under it may reach the totals
        for n in range(position + 1, len(out)):
            out[n] = replace(out[n], score=None, weighted=None, applicable=False)
    scored = [c for c in children if c.score is not None and c.weight]
    if not indicator.applicable or not scored:
        parent = IndicatorScore(indicator.id, indicator.weight, indicator.dimension, None, None,
                                is_group=True, applicable=indicator.applicable, due=due)
    else:
        # DOMAIN §6.4: weighted = Σ children's weighted; score = Σ(w × s) / Σw
        weighted = sum_rounded(c.weighted for c in scored)
        total_weight = 0.0
        total = 0.0
        for child in scored:
            total += child.weight * child.score
            total_weight += child.weight
        parent = IndicatorScore(indicator.id, indicator.weight, indicator.dimension,
                                excel_round(total / total_weight), weighted, is_group=True,
                                due=due, missing=missing)
    out[position] = parent
    return parent


def score_agreement(agreement: Agreement, round_: int = 12, overrides: Optional[dict] = None) -> DepartmentScore:
    """Score every indicator of an agreement for a round (6, 9 or 12) and total them;
    `overrides` (leaf id -> score) are decided scores that replace the computed ones."""
    if round_ not in ROUNDS:
        raise ValueError(f"round must be one of {ROUNDS}, not {round_!r}")
    scores: list = []
    for indicator in agreement.indicators:
        score_indicator(indicator, round_, agreement.below_level_1, scores, ROUNDS, overrides)
    leaves = [s for s in scores if not s.is_group and s.weighted is not None]
    dimensions = {
        str(d): sum_rounded(s.weighted for s in leaves if s.dimension == d) for d in (1, 2, 3, 4)
    }
    total = sum_rounded(s.weighted for s in leaves)
    applicable = [s for s in scores if not s.is_group and s.applicable]
    return DepartmentScore(agreement.department, round_, total, dimensions, scores,
                           covered_weight=sum_weights(s.weight for s in leaves),
                           full_weight=sum_weights(s.weight for s in applicable))


def sum_weights(weights) -> float:
    """Σ percentage weights, to the 4 decimals weights are written with."""
    return round(sum(weights), 4) + 0.0
