"""Incentives (สิ่งจูงใจ, DOMAIN §3 step 10): tiers as data, a reward pool shared by rule.

The oversight committee sets the tiers: score ranges, labels, which are eligible ("good or
above") and each tier's rate.  A department's share of the pool is proportional to
rate × staff; shares are rounded to whole baht by the largest-remainder method so that
the amounts add up to the pool exactly.

Default tiers (xlkpi's choice, the seed gives none; a ministry states its own in
ministry.yaml under incentives.tiers):

    ดีเด่น (outstanding)          score ≥ 4.5   rate 1.5   eligible
    ดีมาก (very good)             score ≥ 4.0   rate 1.2   eligible
    ดี (good)                     score ≥ 3.5   rate 1.0   eligible
    พอใช้ (fair)                  score ≥ 3.0              not eligible
    ต้องปรับปรุง (needs improvement) below 3.0              not eligible
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Optional

from ..findings import Finding, error


@dataclass(frozen=True)
class Tier:
    label_th: str
    label_en: str
    min_score: float  # the tier holds scores ≥ min_score (and below the next tier up)
    eligible: bool
    rate: float = 0.0  # relative reward per staff member; only eligible tiers use it


DEFAULT_TIERS = (
    Tier("ดีเด่น", "outstanding", 4.5, True, 1.5),
    Tier("ดีมาก", "very good", 4.0, True, 1.2),
    Tier("ดี", "good", 3.5, True, 1.0),
    Tier("พอใช้", "fair", 3.0, False),
    Tier("ต้องปรับปรุง", "needs improvement", 0.0, False),
)


def parse_tiers(data: Any, source: str = "ministry.yaml") -> tuple[list[Tier], list[Finding]]:
    """Tiers from settings data (a list of mappings); missing → the defaults."""
    if data is None:
        return list(DEFAULT_TIERS), []
    path = "incentives.tiers"
    if not isinstance(data, list) or not data:
        return list(DEFAULT_TIERS), [error("INC-TIERS", "ระดับสิ่งจูงใจต้องเป็นรายการ",
                                           "incentive tiers must be a list", file=source, cell=path)]
    tiers, findings = [], []
    for i, raw in enumerate(data):
        where = dict(file=source, cell=f"{path}[{i}]")
        if not isinstance(raw, dict) or "min_score" not in raw or not raw.get("label_th"):
            findings.append(error("INC-TIER", "ระดับต้องมี label_th และ min_score",
                                  "a tier needs label_th and min_score", **where))
            continue
        try:
            minimum = float(raw["min_score"])
            rate = float(raw.get("rate") or 0)
        except (TypeError, ValueError):
            findings.append(error("INC-TIER", "min_score และ rate ต้องเป็นตัวเลข",
                                  "min_score and rate must be numbers", **where))
            continue
        eligible = bool(raw.get("eligible", False))
        if eligible and rate <= 0:
            findings.append(error("INC-RATE", "ระดับที่มีสิทธิ์ต้องมีอัตรา (rate) มากกว่า 0",
                                  "an eligible tier needs a rate above 0", **where))
        tiers.append(Tier(str(raw["label_th"]), str(raw.get("label_en") or ""), minimum, eligible, rate))
    tiers.sort(key=lambda t: -t.min_score)
    if len({t.min_score for t in tiers}) != len(tiers):
        findings.append(error("INC-TIER-OVERLAP", "มีระดับที่คะแนนขั้นต่ำซ้ำกัน",
                              "two tiers have the same min_score", file=source, cell=path))
    return tiers, findings


def tier_for(score: Optional[float], tiers) -> Optional[Tier]:
    """The highest tier whose min_score the score reaches; None when below them all."""
    if score is None:
        return None
    for tier in sorted(tiers, key=lambda t: -t.min_score):
        if score >= tier.min_score:
            return tier
    return None


@dataclass(frozen=True)
class AllocationRow:
    department: str
    score: Optional[float]
    staff: int
    tier: str  # label_th ("" when no tier)
    tier_en: str
    eligible: bool
    rate: float
    exact: Fraction  # the exact share of the pool
    amount: int  # whole baht


@dataclass(frozen=True)
class Allocation:
    pool: int
    rows: list
    unallocated: int  # the whole pool when no department is eligible, else 0

    @property
    def total(self) -> int:
        return sum(r.amount for r in self.rows)


def allocate(pool: int, departments, tiers=DEFAULT_TIERS) -> Allocation:
    """Share `pool` baht among departments [(name, score, staff)] by tier rate × staff.

    Exact shares are pool × rate × staff / Σ(rate × staff) over eligible departments;
    each is floored to whole baht and the baht left over go one each to the largest
    remainders (ties: the order given), so Σ amounts = pool exactly and every amount is
    within 1 baht of its exact share.  Ineligible departments get 0.
    """
    if isinstance(pool, bool) or int(pool) != pool or pool < 0:
        raise ValueError(f"pool must be whole baht ≥ 0, not {pool!r}")
    pool = int(pool)
    placed = []
    for name, score, staff in departments:
        tier = tier_for(score, tiers)
        eligible = bool(tier and tier.eligible and staff > 0)
        weight = Fraction(tier.rate).limit_denominator(10**6) * int(staff) if eligible else Fraction(0)
        placed.append((name, score, int(staff), tier, eligible, weight))
    total_weight = sum(w for *_, w in placed)
    exact = [pool * w / total_weight if total_weight else Fraction(0) for *_, w in placed]
    amounts = [int(e) for e in exact]  # floor: every exact share is ≥ 0
    left = pool - sum(amounts) if total_weight else 0
    order = sorted(range(len(placed)), key=lambda i: (-(exact[i] - amounts[i]), i))
    for i in order[:left]:
        amounts[i] += 1
    rows = [AllocationRow(name, score, staff, tier.label_th if tier else "", tier.label_en if tier else "",
                          eligible, tier.rate if eligible else 0.0, e, a)
            for (name, score, staff, tier, eligible, _), e, a in zip(placed, exact, amounts)]
    return Allocation(pool, rows, 0 if total_weight else pool)


def settings_tiers(settings) -> tuple[list[Tier], list[Finding]]:
    return parse_tiers((settings.incentives or {}).get("tiers") if settings else None)
