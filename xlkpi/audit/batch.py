"""A ministry's batch: every workbook under some folders, audited in parallel across cores."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterable, Iterator, Optional

from ..findings import Finding, error
from . import AuditResult, audit_file

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def collect(paths: Iterable[Path]) -> list[Path]:
    """Workbooks named or found (recursively) under the folders named, in a stable order.

    Files named directly are audited whatever their suffix (a renamed PDF is a finding);
    in folders only .xlsx/.xlsm are taken, skipping Excel's ~$ lock files and hidden folders.
    """
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES
                            and not p.name.startswith("~$")
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found.append(path)
    return found


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


def _audit_one(args) -> AuditResult:
    path, trust, round_ = args
    return audit_file(path, trust, round_)


def audit_many(paths: list[Path], signed, round_: Optional[int] = None,
               workers: Optional[int] = None, progress: bool = False) -> Iterator[AuditResult]:
    """Audit every path, yielding results in the order given; all cores by default.

    `signed` is a `Trust`, or signed agreements by department code, or None."""
    from . import Trust

    workers = workers or os.cpu_count() or 1
    trust = Trust.of(signed)
    jobs = [(p, trust, round_) for p in paths]
    bar = None
    if progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn("ตรวจสอบ (auditing)"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       transient=True)
        task = bar.add_task("audit", total=len(jobs))
        bar.start()
    try:
        if workers == 1 or len(jobs) < 4:
            results = map(_audit_one, jobs)
        else:
            pool = ProcessPoolExecutor(max_workers=workers)
            results = pool.map(_audit_one, jobs, chunksize=max(1, min(32, len(jobs) // (workers * 8) or 1)))
        for result in results:
            if bar is not None:
                bar.advance(task)
            yield result
    finally:
        if bar is not None:
            bar.stop()
        if workers != 1 and len(jobs) >= 4:
            pool.shutdown()
