"""Random valid agreements of any size, with every indicator kind, for the benchmark and
for round-trip and three-way tests (they do not follow the framework's numbering)."""
from __future__ import annotations

import random
from typing import Optional

from ..model import (
    DOWN,
    GROUP,
    MILESTONE,
    UP,
    WEIGHTED,
    Agreement,
    Contact,
    Indicator,
    Part,
)
from .blocks import _num, _person, _phone
from .data import CORE_KPIS, EFFICIENCY_KPIS, GRANTED_REASON, SERVICE_KPIS

# --- random agreements ---------------------------------------------------------------

_RANDOM_KINDS = ("up", "down", "blank", "step", "milestone", "weighted", "granted")
_NAME_POOL = [row for rows in CORE_KPIS.values() for row in rows] + SERVICE_KPIS + EFFICIENCY_KPIS


def _composition(total: int, count: int, minimum: int, rng: random.Random) -> list:
    """`count` integers ≥ `minimum` summing to `total`, uniformly cut."""
    spare = total - count * minimum
    cuts = sorted(rng.randint(0, spare) for _ in range(count - 1))
    edges = [0] + cuts + [spare]
    return [minimum + b - a for a, b in zip(edges, edges[1:])]


def _random_thresholds(rng: random.Random, direction: str, blanks: bool) -> tuple:
    base = rng.choice([0, 1, 10, 50, 60, 70, 100, 1000])
    step = rng.choice([0.5, 1, 2, 2.5, 5, 10, 0.25, 3])
    values = [_num(base + step * k, 4) for k in range(5)]
    if direction == DOWN:
        values.reverse()
    if blanks:
        for level in rng.sample([2, 3, 4], rng.randint(1, 2)):
            values[level - 1] = None
    return values, base, step


def _random_value(rng: random.Random, base: float, step: float) -> float:
    return _num(rng.uniform(base - step, base + 5 * step), 2)


def _random_results(rng: random.Random, rounds: tuple, base: float, step: float) -> dict:
    return {r: _random_value(rng, base, step) for r in rounds if rng.random() < 0.9}


def random_agreement(rng: random.Random, leaves: int = 40, *, rounds: Optional[tuple] = None,
                     fiscal_year: Optional[int] = None) -> Agreement:
    """A valid random agreement with `leaves` leaf indicators, deterministic given `rng`.

    Leaf weights (up to 2 decimals) sum to 100, children sum to their parent, and
    dimension 1 + 2 > dimension 3 + 4.  Every indicator kind appears once there are at
    least 8 leaves and a group (groups are likely from about 10 leaves).  `rounds` are the
    rounds reported (default: chosen at random); a leaf may still miss a round.
    """
    leaves = max(4, leaves)
    if leaves > 4000:
        raise ValueError("at most 4000 leaves (weights are kept to 2 decimals)")
    rounds = rounds or rng.choice([(6,), (6, 9), (6, 9, 12), (6, 9, 12), (12,), (6, 12)])
    # Leaf counts per dimension, dims 3 and 4 kept small enough for dim1+2 > dim3+4.
    n3 = max(1, round(leaves * rng.uniform(0.1, 0.2)))
    n4 = max(1, round(leaves * rng.uniform(0.1, 0.2)))
    n2 = max(1, round(leaves * rng.uniform(0.08, 0.2)))
    n1 = leaves - n2 - n3 - n4
    if n1 < 1:
        n2, n1 = n2 + n1 - 1, 1
    counts = [n1, n2, n3, n4]
    # Weights in units of 0.01, 0.5 or 1 (always 0.01 when leaves would not fit).
    unit = rng.choice([1, 50, 100]) if leaves <= 40 else 1
    total = 10000 // unit
    minimum = max(1, min(50 // unit, 4000 // (leaves * unit))) if unit == 1 else 1
    low34, high34 = minimum * (n3 + n4), min((total - 1) // 2, total - minimum * (n1 + n2))
    d34 = rng.randint(low34, high34)
    d3 = rng.randint(minimum * n3, d34 - minimum * n4)
    d1 = rng.randint(minimum * n1, total - d34 - minimum * n2)
    dims = [d1, total - d34 - d1, d3, d34 - d3]

    kinds = list(_RANDOM_KINDS[:leaves]) + [rng.choice(_RANDOM_KINDS + ("up", "up", "milestone"))
                                            for _ in range(leaves - len(_RANDOM_KINDS))]
    rng.shuffle(kinds)
    kinds_iter = iter(kinds)

    def leaf(dimension: int, units: int) -> Indicator:
        kind = next(kinds_iter)
        name, unit_name = rng.choice(_NAME_POOL)[:2]
        indicator = Indicator(id="", name=name, dimension=dimension, weight=units * unit / 100,
                              unit=unit_name)
        if kind == "milestone":
            indicator.kind = MILESTONE
            indicator.name = name = f"ระดับความสำเร็จของการดำเนินงานตามตัวชี้วัด {name}"
            indicator.unit = "ระดับ"
            indicator.milestones = [f"ขั้นตอนที่ {k}: ดำเนินการ{name}" for k in range(1, 6)]
            indicator.result = {r: [rng.random() < 0.7 for _ in range(5)] for r in rounds
                                if rng.random() < 0.9}
        elif kind == "weighted":
            indicator.kind = WEIGHTED
            count = rng.randint(2, 4)
            parts_w = _composition(100, count, 5, rng)
            for w in parts_w:
                direction = rng.choice([UP, DOWN])
                thresholds, base, step = _random_thresholds(rng, direction, rng.random() < 0.2)
                part_name, part_unit = rng.choice(_NAME_POOL)[:2]
                indicator.parts.append(Part(
                    name=part_name, weight=w / 100, unit=part_unit, direction=direction,
                    thresholds=thresholds, interpolate=rng.random() < 0.9,
                    result=_random_results(rng, rounds, base, step)))
        else:
            indicator.direction = DOWN if kind == "down" or (kind != "up" and rng.random() < 0.3) else UP
            indicator.thresholds, base, step = _random_thresholds(rng, indicator.direction, kind == "blank")
            indicator.interpolate = kind != "step"
            if kind == "granted":
                indicator.granted, indicator.granted_reason = True, GRANTED_REASON
            else:
                indicator.result = _random_results(rng, rounds, base, step)
            indicator.baseline = {y: _random_value(rng, base, step) for y in (2549, 2550, 2551)}
        indicator.definition = f"{name} ตามนิยามของส่วนราชการ"
        indicator.formula = "ดูคำอธิบายตัวชี้วัด"
        indicator.data_source = "รายงานผลการดำเนินงานของหน่วยงาน"
        indicator.owner = Contact(_person(rng), _phone(rng))
        indicator.collector = Contact(_person(rng), _phone(rng))
        reported = rounds if kind == "weighted" else indicator.result
        for round_ in reported:
            indicator.explanation[round_] = f"ผลการดำเนินงานรอบ {round_} เดือน"
            indicator.evidence[round_] = f"หลักฐานรอบ {round_} เดือน"
        return indicator

    def grouped(items: list, dimension: int, depth: int) -> list:
        """Gather runs of 2–4 items into groups (nested once at most)."""
        out, i = [], 0
        while i < len(items):
            if len(items) - i >= 2 and rng.random() < 0.3:
                size = rng.randint(2, min(4, len(items) - i))
                children = items[i:i + size]
                if depth == 0 and size >= 3 and rng.random() < 0.5:
                    children = grouped(children, dimension, 1)
                out.append(Indicator(id="", name=f"กลุ่มตัวชี้วัดมิติที่ {dimension}", dimension=dimension,
                                     kind=GROUP, unit="ระดับ", children=children))
                i += size
            else:
                out.append(items[i])
                i += 1
        return out

    top: list = []
    for dimension, (count, units) in enumerate(zip(counts, dims), start=1):
        leaf_list = [leaf(dimension, u) for u in _composition(units, count, minimum, rng)]
        top += grouped(leaf_list, dimension, 0)

    def number(items: list, prefix: str) -> None:
        for n, item in enumerate(items, start=1):
            item.id = f"{prefix}{n}"
            if item.kind == GROUP:
                number(item.children, f"{item.id}.")

    number(top, "")
    # One not-applicable leaf, its weight moved to a sibling (DOMAIN §6.5).
    for parent in (i for item in top for i in item.walk() if i.kind == GROUP):
        candidates = [c for c in parent.children if c.kind != GROUP and not c.granted]
        if len(candidates) >= 2:
            gone, heir = candidates[0], candidates[1]
            heir.weight = round(heir.weight + gone.weight, 2)
            gone.weight, gone.applicable, gone.moved_to = 0.0, False, heir.id
            gone.result, gone.explanation, gone.evidence = {}, {}, {}
            break

    def total_weights(item: Indicator) -> int:
        """Set each group's weight to its children's sum, in hundredths (exact)."""
        if item.kind != GROUP:
            return round(item.weight * 100)
        hundredths = sum(total_weights(c) for c in item.children)
        item.weight = hundredths / 100
        return hundredths

    for item in top:
        total_weights(item)
    for item in (i for t in top for i in t.walk()):
        if item.kind != GROUP:
            item.weight = round(item.weight * 100) / 100
    return Agreement(
        fiscal_year=fiscal_year or rng.choice([2552, 2553]), ministry="กระทรวงทดสอบ",
        department=f"กรมทดสอบที่ {rng.randint(1, 999)}",
        department_type=rng.choice(["in_mission_group", "no_mission_group", "under_minister"]),
        below_level_1=rng.choice([0, 1]), indicators=top, staff=rng.randint(50, 5000))
