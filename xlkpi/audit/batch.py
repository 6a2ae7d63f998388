"""A ministry's batch: every workbook under some folders, audited in parallel across cores."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, Optional

from ..batch import WORKBOOK_SUFFIXES, collect, parallel_map  # noqa: F401 (collect: audit's API)
from ..findings import Finding
from . import AuditResult, audit_file


def load_signed(agreement: Optional[Path]) -> tuple[dict, list[Finding]]:
    """Signed agreements by department name, from a file or every .yaml/.yml/.json in a folder."""
    from ..agreement import load

    if agreement is None:
        return {}, []
    files = ([agreement] if agreement.is_file() else
             sorted(p for p in agreement.rglob("*") if p.suffix.lower() in (".yaml", ".yml", ".json")))
    signed, findings = {}, []
    for path in files:
        loaded, problems = load(path)
        if loaded is None or any(f.is_error for f in problems):
            findings += problems
            continue
        signed[loaded.department] = loaded
    return signed, findings


def _audit_one(args) -> AuditResult:
    path, signed_by_department, round_, formulas = args
    result = audit_file(path, signed_by_department, round_)
    if formulas and result.readable:
        from ..verify import formulas_findings
        from ..workbook.layout import KIND_SAR

        if result.kind == KIND_SAR:
            result.findings.extend(formulas_findings(path))
    return result


def audit_many(paths: list[Path], signed: dict, round_: Optional[int] = None,
               workers: Optional[int] = None, progress: bool = False,
               formulas: bool = False) -> Iterator[AuditResult]:
    """Audit every path, yielding results in the order given; all cores by default.

    `formulas` adds `xlkpi verify`'s check: the workbook's formulas recomputed by the
    `formulas` package must give the engine's scores.
    """
    jobs = [(p, signed, round_, formulas) for p in paths]
    yield from parallel_map(_audit_one, jobs, workers, "ตรวจสอบ (auditing)" if progress else None)
