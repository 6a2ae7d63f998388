"""Frameworks as data (DOMAIN §4, §5) and the check of an agreement against one.

A framework (กรอบการประเมินผล) is a YAML file in `templates/` (shipped as package data): its dimensions and their
weights as sums of the ministry's shares A, B, C and numbers, its indicators with fixed
weights, which department types do not take which indicators, where the weight of an
indicator that does not apply goes, and, for indicator 15, the PMQA rules.  The format is
documented in `templates/README.md`.

`check_agreement` runs every rule in `RULES` (one small function each, as in Beancount's
VALIDATIONS) and returns findings; nothing here raises for bad user data.

Modules: `records` (the dataclasses), `files` (finding and reading framework files),
`rules` (the general rules), `pmqa` (indicator 15's rules), `schedule` (reporting rounds and
granted scores).
"""
from __future__ import annotations

from typing import Callable

from ..findings import Finding
from ..model import Agreement
from .files import (FRAMEWORKS_ENV, available_frameworks, frameworks_dirs, load_framework,
                    load_framework_for, packaged_dir)
from .pmqa import check_pmqa_categories, check_pmqa_kpis
from .records import (DEPARTMENT_TYPE_NAMES, PARTS_TOLERANCE, PERCENT_TOLERANCE, PLAN_KPI_TYPES, Condition,
                      Dimension, Framework, FrameworkIndicator, Weight, parse_weight)
from .rules import (check_conditions, check_dimension_split, check_fixed_weights, check_indicator_dimensions,
                    check_mandatory_indicators, check_moved_weight, check_not_taken, check_parts_sum,
                    check_split_reasons, check_subweights, check_thresholds, check_total)
from .schedule import check_granted, check_report_rounds


#: Every rule, in the order its findings are reported.  Adding a rule = one function + one test.
RULES: list[Callable[[Agreement, Framework], list]] = [
    check_total,
    check_dimension_split,
    check_conditions,
    check_split_reasons,
    check_subweights,
    check_parts_sum,
    check_fixed_weights,
    check_moved_weight,
    check_mandatory_indicators,
    check_not_taken,
    check_indicator_dimensions,
    check_thresholds,
    check_pmqa_categories,
    check_pmqa_kpis,
    check_report_rounds,
    check_granted,
]


def check_agreement(agreement: Agreement, framework: Framework) -> list:
    """Every finding of every rule: what in the agreement does not fit the framework."""
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule(agreement, framework))
    return findings


__all__ = [
    "FRAMEWORKS_ENV", "available_frameworks", "frameworks_dirs", "load_framework", "load_framework_for",
    "packaged_dir", "DEPARTMENT_TYPE_NAMES", "PARTS_TOLERANCE", "PERCENT_TOLERANCE", "PLAN_KPI_TYPES",
    "Condition", "Dimension", "Framework", "FrameworkIndicator", "Weight", "parse_weight", "RULES",
    "check_agreement", *(rule.__name__ for rule in RULES),
]
