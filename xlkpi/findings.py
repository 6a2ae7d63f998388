"""Findings: every problem xlkpi reports is one of these records (never a traceback).

A finding names where the problem is (file, sheet, cell or field path) and says what it is
in Thai and in English.  Audit rules, agreement validation and framework checks all return
lists of findings; the edges (command line, audit sheet, report) only print them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Iterable

from .glossary import Severity

ERROR = Severity.ERROR.value
WARNING = Severity.WARNING.value


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # ERROR or WARNING
    message_th: str
    message_en: str
    file: str = ""
    sheet: str = ""
    cell: str = ""  # "A1" in a workbook, or a field path such as indicators[3].thresholds
    indicator: str = ""

    @property
    def where(self) -> str:
        parts = [p for p in (self.file, self.sheet and f"sheet {self.sheet}", self.cell) if p]
        return ", ".join(parts)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def to_dict(self) -> dict:
        return asdict(self)

    def located(self, **where) -> "Finding":
        """The same finding with file / sheet / cell filled in where they were empty."""
        values = asdict(self)
        for key, value in where.items():
            if not values.get(key):
                values[key] = value
        return Finding(**values)

    def __str__(self) -> str:
        head = f"[{self.severity}] {self.code}"
        if self.where:
            head += f" ({self.where})"
        return f"{head}: {self.message_th} / {self.message_en}"


def error(code: str, th: str, en: str, **where) -> Finding:
    return Finding(code, ERROR, th, en, **where)


def warning(code: str, th: str, en: str, **where) -> Finding:
    return Finding(code, WARNING, th, en, **where)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)


@dataclass
class Report:
    """Findings collected while doing one job, with the thing the job produced (if any)."""

    findings: list[Finding] = field(default_factory=list)

    def extend(self, more: Iterable[Finding]) -> None:
        self.findings.extend(more)

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)
