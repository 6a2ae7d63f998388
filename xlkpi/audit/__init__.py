"""The audit (DOMAIN §9): KPI Template and SAR Card checks, one workbook or a ministry's batch.

`audit_data` runs every rule of `rules.RULES` on a workbook as `WorkbookData` (from a file
through `reader.read_workbook_data`, or from a live Excel book through xlwings) and returns an
`AuditResult`: findings, and for a SAR Card every score as stored and as recomputed.
Audited files are opened read-only and never modified.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..findings import Finding, error
from ..model import ROUNDS, Agreement

STATUS_OK = "ok"
STATUS_WARNINGS = "warnings"
STATUS_ERRORS = "errors"
STATUS_UNREADABLE = "unreadable"


@dataclass
class AuditResult:
    file: str
    kind: Optional[str] = None
    department: str = ""
    ministry: str = ""
    round: Optional[int] = None
    total_stored: object = None
    total_recomputed: Optional[float] = None
    dimensions: dict = field(default_factory=dict)  # "1".."4" -> recomputed
    indicators: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    readable: bool = True
    scores: dict = field(default_factory=dict)  # SAR Card: round -> DepartmentScore recomputed

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if not f.is_error)

    @property
    def status(self) -> str:
        if not self.readable:
            return STATUS_UNREADABLE
        return STATUS_ERRORS if self.errors else STATUS_WARNINGS if self.warnings else STATUS_OK

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "kind": self.kind,
            "department": self.department,
            "round": self.round,
            "status": self.status,
            "total": {"stored": self.total_stored, "recomputed": self.total_recomputed},
            "dimensions": self.dimensions,
            "indicators": self.indicators,
            "findings": [
                {"code": f.code, "severity": f.severity, "sheet": f.sheet,
                 "cell": f"{f.sheet}!{f.cell}" if f.sheet and f.cell else f.cell,
                 "indicator": f.indicator, "message_th": f.message_th, "message_en": f.message_en}
                for f in self.findings
            ],
        }


def latest_reported_round(agreement: Agreement) -> int:
    """The round under audit when none is named: the latest with any result, else 12."""
    reported = 6
    for ind in agreement.walk():
        for values in [ind.result] + [p.result for p in ind.parts]:
            if values:
                reported = max(reported, max(values))
    return reported


def audit_data(data, signed=None, round_: Optional[int] = None) -> AuditResult:
    """Audit one workbook (WorkbookData) against its signed agreement.

    `signed` is an Agreement, or a mapping of department name to Agreement (a ministry's
    folder of signed agreements); without one, the workbook's own hidden copy is the baseline.
    """
    from ..engine import score_agreement
    from ..workbook.layout import KIND_SAR, Col, ref, sar_layout
    from ..workbook.readback import agreement_from_workbook, read_meta, parse
    from .rules import RULES, AuditContext

    result = AuditResult(data.file)
    agreement, findings, kind = agreement_from_workbook(data, data.file)
    result.kind = kind
    result.findings.extend(findings)
    if agreement is None:
        return result
    _kind, generated_data = read_meta(data)
    generated, _ = parse(generated_data, data.file)
    result.department, result.ministry = agreement.department, agreement.ministry
    if isinstance(signed, dict):
        signed = signed.get(agreement.department)
    audited_round = round_ or latest_reported_round(agreement)
    ctx = AuditContext(data, kind, agreement, generated, signed or generated, audited_round)
    if kind == KIND_SAR:
        ctx.layout = sar_layout(generated)
        ctx.scores = {r: score_agreement(agreement, r) for r in ROUNDS}
        result.round = audited_round
    for kinds, check in RULES:
        if kind in kinds:
            try:
                result.findings.extend(ctx.at(f) for f in check(ctx))
            except Exception as exc:  # a rule's bug must not hide the other rules' findings
                result.findings.append(error("AUDIT-RULE-FAILED", f"กฎ {check.__name__} ทำงานผิดพลาด: {exc!r}",
                                             f"rule {check.__name__} failed: {exc!r}", file=data.file))
    if kind == KIND_SAR:
        from .rules import round_sheet

        sheet = round_sheet(audited_round)
        score = ctx.scores[audited_round]
        result.total_recomputed = score.total
        result.total_stored = data.get(sheet, f"{Col.WEIGHTED}{ctx.layout.total_row}")
        result.dimensions = score.dimensions
        result.scores = ctx.scores
        for s in score.indicators:
            row = ctx.layout.indicator_row(s.id)
            result.indicators.append({
                "id": s.id,
                "cells": {name: ref(sheet, row.cell(column)) for name, column in
                          (("weight", Col.WEIGHT), ("result", Col.RESULT), ("score", Col.SCORE), ("weighted", Col.WEIGHTED))},
                "stored": {"score": data.get(sheet, row.cell(Col.SCORE)), "weighted": data.get(sheet, row.cell(Col.WEIGHTED))},
                "recomputed": {"score": s.score, "weighted": s.weighted},
            })
    return result


def audit_file(path, signed=None, round_: Optional[int] = None) -> AuditResult:
    """Audit a workbook file; a file that cannot be read is a result with findings, not an error."""
    from .reader import read_workbook_data

    data, findings = read_workbook_data(path)
    if data is None:
        return AuditResult(str(path), findings=findings, readable=False)
    try:
        return audit_data(data, signed, round_)
    except Exception as exc:  # last line of defence: a batch never stops for one file
        return AuditResult(str(path), findings=[error("WB-UNREADABLE", f"ตรวจไฟล์ไม่ได้: {exc!r}",
                                                      f"cannot audit the file: {exc!r}", file=str(path))],
                           readable=False)
