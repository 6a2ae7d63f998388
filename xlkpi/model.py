"""The agreement model (DOMAIN §10): plain records, no files, no Excel.

An `Agreement` is one department's performance agreement for one fiscal year: its indicators
with weights, scoring criteria and, once reported, results per round (6, 9, 12 months).
`xlkpi.agreement` reads and writes it as YAML or JSON; the workbooks are generated from it
and read back into it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional, Union

from .glossary import DepartmentType, Direction, IndicatorKind

ROUNDS = (6, 9, 12)
DIMENSIONS = (1, 2, 3, 4)
LEVELS = 5

# The file values of the glossary's terms, as plain strings (records hold what files hold).
THRESHOLD = IndicatorKind.THRESHOLD.value
MILESTONE = IndicatorKind.MILESTONE.value
WEIGHTED = IndicatorKind.WEIGHTED.value
GROUP = IndicatorKind.GROUP.value
KINDS = IndicatorKind.values()

UP = Direction.UP.value
DOWN = Direction.DOWN.value

DEPARTMENT_TYPES = DepartmentType.values()

# A round's result: a number (threshold indicators, weighted parts) or the list of the
# five milestones met (milestone indicators).
Result = Union[float, list]

#: The composite criterion of a weighted-average indicator: "±1 per 1 point" (DOMAIN §6.3).
COMPOSITE_THRESHOLDS = [1.0, 2.0, 3.0, 4.0, 5.0]


def rounds_of(report_rounds, inherited=ROUNDS) -> tuple:
    """`report_rounds` as a sorted tuple, or the inherited rounds when it is not set."""
    return tuple(sorted(report_rounds)) if report_rounds else tuple(inherited)


@dataclass
class Contact:
    name: str = ""
    phone: str = ""


@dataclass
class Part:
    """One part of a weighted-average indicator (DOMAIN §6.3), scored by its own thresholds."""

    name: str
    weight: float  # Wi, the parts of one indicator sum to 1
    thresholds: list  # five numbers or None (a blank level)
    unit: str = ""
    direction: str = UP
    interpolate: bool = True
    result: dict = field(default_factory=dict)  # round -> number
    report_rounds: Optional[list] = None  # rounds it reports in; None = its indicator's (§6.5a)


@dataclass
class Indicator:
    id: str
    name: str = ""
    dimension: int = 0
    weight: float = 0.0  # percentage of the department's 100
    kind: str = THRESHOLD
    unit: str = ""
    direction: str = UP
    thresholds: list = field(default_factory=list)  # threshold kind: T1..T5, None = "–"
    interpolate: bool = True
    milestones: list = field(default_factory=list)  # milestone kind: text of levels 1..5
    parts: list = field(default_factory=list)  # weighted kind: list[Part]
    composite_thresholds: list = field(default_factory=lambda: list(COMPOSITE_THRESHOLDS))
    children: list = field(default_factory=list)  # group kind: list[Indicator]
    applicable: bool = True
    moved_to: str = ""  # where the weight of a not-applicable indicator went
    granted: bool = False
    granted_reason: str = ""
    result: dict = field(default_factory=dict)  # round -> number | list of bool
    # Rounds it reports in (DOMAIN §6.5a); None = its group's, at the top level 6, 9 and 12.
    report_rounds: Optional[list] = None
    # KPI Template fields (DOMAIN §7); none of them affects the score.
    definition: str = ""
    formula: str = ""
    baseline: dict = field(default_factory=dict)  # fiscal year (B.E.) -> number
    data_source: str = ""
    owner: Contact = field(default_factory=Contact)
    collector: Contact = field(default_factory=Contact)
    rationale: str = ""
    conditions: str = ""
    evaluation: str = ""  # evaluation approach: documents, interviews, observation
    evidence_expected: str = ""
    responsible_unit: str = ""  # หน่วยงานผู้รับผิดชอบหลัก (seed 004's last field)
    # SAR Card fields per round (DOMAIN §8).
    explanation: dict = field(default_factory=dict)  # round -> text
    evidence: dict = field(default_factory=dict)  # round -> text
    # The PMQA category an indicator 15 sub-indicator is about (DOMAIN §5), if any.
    category: Optional[int] = None

    def own_rounds(self, inherited=ROUNDS) -> tuple:
        """The rounds this indicator's own results are due in (its parts and children inherit them)."""
        return rounds_of(self.report_rounds, inherited)

    def due_rounds(self, inherited=ROUNDS) -> tuple:
        """The rounds this indicator is scored in: its own, or for a group or a weighted
        indicator every round one of its children or parts reports in (DOMAIN §6.5a)."""
        own = self.own_rounds(inherited)
        if self.kind == GROUP and self.children:
            return tuple(sorted({r for c in self.children for r in c.due_rounds(own)}))
        if self.kind == WEIGHTED and self.parts:
            return tuple(sorted({r for p in self.parts for r in rounds_of(p.report_rounds, own)}))
        return own

    def walk(self) -> Iterator["Indicator"]:
        """This indicator, then its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def is_group(self) -> bool:
        return self.kind == GROUP


@dataclass
class Agreement:
    fiscal_year: int
    ministry: str
    department: str
    department_type: str = "in_mission_group"
    department_code: str = ""  # stable code matching workbooks to signed agreements (NFC, stripped)
    below_level_1: int = 1
    indicators: list = field(default_factory=list)  # list[Indicator], the top level
    framework: str = ""  # name of the framework in templates/ this agreement follows
    mission_group: str = ""
    split_reasons: str = ""  # the ministry's reasons for its dimension weight split
    governance_pilot: bool = False
    pmqa: dict = field(default_factory=dict)  # agency_type, categories done, etc.
    version: str = ""
    signed_on: str = ""
    staff: int = 0  # number of staff, for incentive allocation

    def walk(self) -> Iterator[Indicator]:
        for indicator in self.indicators:
            yield from indicator.walk()

    def leaves(self) -> Iterator[Indicator]:
        """Indicators that carry a score of their own (not group parents)."""
        return (i for i in self.walk() if not i.is_group)

    def find(self, indicator_id: str) -> Optional[Indicator]:
        return next((i for i in self.walk() if i.id == indicator_id), None)

    def inherited_rounds(self) -> dict:
        """Indicator id -> the rounds its group passes down to it (ROUNDS at the top level)."""
        out = {}

        def visit(indicator: Indicator, inherited: tuple) -> None:
            out[indicator.id] = inherited
            for child in indicator.children:
                visit(child, indicator.own_rounds(inherited))

        for top in self.indicators:
            visit(top, ROUNDS)
        return out

    def dimension_of(self, indicator: Indicator) -> int:
        return indicator.dimension
