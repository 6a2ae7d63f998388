"""The records a framework file becomes (DOMAIN §4, §5): weights, dimensions, conditions,
indicators and the framework itself; `parse_weight` reads "A + 30"."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from ..checks import WEIGHT_TOLERANCE
from ..glossary import DepartmentType

#: Tolerances, both the one of xlkpi.checks (weights typed by people: 0.1 + 0.2 must equal 0.3).
PERCENT_TOLERANCE = WEIGHT_TOLERANCE
PARTS_TOLERANCE = WEIGHT_TOLERANCE  # the parts' ΣWi = 1 (DOMAIN §6.3)

#: (Thai, English) per department type, from the glossary.
DEPARTMENT_TYPE_NAMES = {t.value: (t.th, t.en) for t in DepartmentType}

PLAN_KPI_TYPES = ("recommended", "custom")


# --- the records ------------------------------------------------------------------------

@dataclass(frozen=True)
class Weight:
    """A weight written as a sum of numbers and the ministry's shares, e.g. "A + 30"."""

    constant: float
    variables: tuple = ()  # ((name, coefficient), ...)
    text: str = ""

    @property
    def is_fixed(self) -> bool:
        return not self.variables

    def __str__(self) -> str:
        return self.text or f"{self.constant:g}"


@dataclass(frozen=True)
class Dimension:
    number: int
    weight: Weight
    name_th: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class Condition:
    """Σ weights of the dimensions `greater` must exceed Σ of the dimensions `than`."""

    code: str
    greater: tuple
    than: tuple


@dataclass(frozen=True)
class FrameworkIndicator:
    id: str
    dimension: int
    weight: Weight
    name_th: str = ""
    name_en: str = ""
    children: tuple = ()
    optional: bool = False  # may be absent; its weight then goes to `moves_to`
    moves_to: str = ""
    only_if: str = ""  # an agreement flag (e.g. governance_pilot) that must be true to take it
    taken_from: str = ""  # the share (A, B, C) its weight comes out of
    department_kpis: bool = False  # filled with the department's own KPIs; its id may be absent
    kind: str = ""
    thresholds: Optional[tuple] = None
    category: str = ""  # PMQA role: mandatory | voluntary | fy2552
    plan_kpis: bool = False  # 15.1.2.x: parts are recommended / custom plan KPIs
    rm_kpis: bool = False  # 15.2: parts are RM KPIs
    granted_if_passed: bool = False
    report_rounds: Optional[tuple] = None  # rounds it reports in (DOMAIN §6.5a); None = not set

    def walk(self) -> Iterator["FrameworkIndicator"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Framework:
    name: str
    path: str = ""
    title_th: str = ""
    title_en: str = ""
    fiscal_years: tuple = ()
    component: bool = False  # describes one indicator tree, not a whole framework
    total: Optional[float] = None
    variables: tuple = ()
    dimensions: tuple = ()
    conditions: tuple = ()
    requires_split_reasons: bool = False
    indicators: tuple = ()
    not_taken: dict = field(default_factory=dict)  # department type -> ids it does not take
    redistribute_within: tuple = ()  # dimensions that absorb the weight of what is not taken
    pmqa: Optional[dict] = None

    def walk(self) -> Iterator[FrameworkIndicator]:
        for indicator in self.indicators:
            yield from indicator.walk()

    def find(self, indicator_id: str) -> Optional[FrameworkIndicator]:
        return next((i for i in self.walk() if i.id == indicator_id), None)

    def siblings_moving_to(self, indicator_id: str) -> list:
        return [i for i in self.walk() if i.moves_to == indicator_id]

    def dimension(self, number: int) -> Optional[Dimension]:
        return next((d for d in self.dimensions if d.number == number), None)

    @property
    def fixed_total(self) -> float:
        """The numbers in the dimension weights (57 for FY2552); the shares make up the rest."""
        return sum(d.weight.constant for d in self.dimensions)


_TERM = re.compile(r"\s*([+-])?\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_]\w*))\s*")


def parse_weight(value: Any) -> Optional[Weight]:
    """`20`, `"A"`, `"A + 30"`, `"C + 7"` → Weight; None when it is not such a sum."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Weight(float(value), (), f"{value:g}")
    if not isinstance(value, str) or not value.strip():
        return None
    text, position, constant, variables = value.strip(), 0, 0.0, {}
    while position < len(text):
        match = _TERM.match(text, position)
        if not match or match.end() == position:
            return None
        if position and not match.group(1):
            return None  # two terms without an operator between them
        sign = -1.0 if match.group(1) == "-" else 1.0
        if match.group(2):
            constant += sign * float(match.group(2))
        else:
            variables[match.group(3)] = variables.get(match.group(3), 0.0) + sign
        position = match.end()
    return Weight(constant, tuple(sorted(variables.items())), text)

