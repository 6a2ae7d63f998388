"""A ministry's batch: every workbook under some folders, audited in parallel across cores."""
from __future__ import annotations

import gc
from pathlib import Path
from typing import Iterator, Optional

from ..batch import WORKBOOK_SUFFIXES, collect, parallel_map  # noqa: F401 (collect: audit's API)
from ..findings import Finding, error
from . import AuditResult, audit_file


def load_signed(agreement: Optional[Path]) -> tuple[dict, list[Finding]]:
    """Signed agreements by department code, from a file or every .yaml/.yml/.json in a folder.

    The key is `department_code` (or, for files without one, the department's name), Unicode
    NFC-normalised and stripped; two files with the same key are an error.
    """
    from ..agreement import load
    from . import department_key

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
        key = department_key(loaded.department_code or loaded.department)
        if key in signed:
            findings.append(error("AGR-DUPLICATE-DEPARTMENT", f"มีคำรับรองของส่วนราชการรหัส {key} มากกว่าหนึ่งไฟล์: {path}",
                                  f"more than one signed agreement for department code {key}: {path}", file=str(path)))
            continue
        signed[key] = loaded
    return signed, findings


_JOBS = [0]  # jobs this process has run
FULL_COLLECTION_EVERY = 64


def _audit_one(args) -> AuditResult:
    """One workbook of a batch.  Python's cyclic garbage collector is held off while it is
    audited (it would walk the process's objects again and again as the models are built: a
    fifth of the time) and run on what the audit left once it is done, fully every 64 jobs:
    memory stays flat in N."""
    path, trust, round_, formulas = args
    gc.disable()
    try:
        result = audit_file(path, trust, round_)
        if formulas and result.readable:
            from ..verify import formulas_findings
            from ..workbook.layout import KIND_SAR

            if result.kind == KIND_SAR:
                result.findings.extend(formulas_findings(path))
        return result
    finally:
        gc.enable()
        _JOBS[0] += 1
        gc.collect(2 if _JOBS[0] % FULL_COLLECTION_EVERY == 0 else 0)


def audit_many(paths: list[Path], signed, round_: Optional[int] = None,
               workers: Optional[int] = None, progress: bool = False,
               formulas: bool = False) -> Iterator[AuditResult]:
    """Audit every path, yielding results in the order given; all cores by default.

    `signed` is a `Trust`, or signed agreements by department code, or None.
    `formulas` adds `xlkpi verify`'s check: the workbook's formulas recomputed by the
    `formulas` package must give the engine's scores.
    """
    from . import Trust

    trust = Trust.of(signed)
    jobs = [(p, trust, round_, formulas) for p in paths]
    yield from parallel_map(_audit_one, jobs, workers, "ตรวจสอบ (auditing)" if progress else None)
