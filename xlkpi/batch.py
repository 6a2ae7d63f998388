"""A ministry's batch: the workbooks under some paths, one job each, across all cores.

`xlkpi audit` and `xlkpi verify` both work this way: `collect` finds the workbooks and
`parallel_map` runs a picklable function on each in worker processes, yielding results in
the order given, with a progress bar on a terminal.
"""
from __future__ import annotations

import gc
import itertools
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def collect(paths: Iterable[Path]) -> list[Path]:
    """Workbooks named or found (recursively) under the folders named, in a stable order.

    Files named directly are taken whatever their suffix (a renamed PDF is a finding);
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


def parallel_map(function: Callable, jobs: list, workers: Optional[int] = None, progress: Optional[str] = None,
                 ) -> Iterator:
    """`function(job)` for every job, in order; all cores by default.

    `progress` is the label of a progress bar (on stderr, gone when done); None shows none.
    A small batch (fewer than 4 jobs) or `workers=1` runs in this process. Otherwise the
    first job runs here before the worker processes start, as copies of this one: each
    starts with what that job imported and compiled (`formulas`' shapes, say), and with
    the objects made so far left out of garbage collection (`gc.freeze`), which would
    otherwise copy every memory page it touches into each worker.
    """
    workers = workers or os.cpu_count() or 1
    bar = task = pool = None
    if progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn(progress), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       transient=True)
        task = bar.add_task(progress, total=len(jobs))
        bar.start()
    try:
        if workers == 1 or len(jobs) < 4:
            results = map(function, jobs)
        else:
            first = function(jobs[0])
            gc.freeze()
            rest = jobs[1:]
            pool = ProcessPoolExecutor(max_workers=workers)
            results = pool.map(function, rest, chunksize=max(1, min(32, len(rest) // (workers * 8) or 1)))
            results = itertools.chain([first], results)
        for result in results:
            if bar is not None:
                bar.advance(task)
            yield result
    finally:
        if bar is not None:
            bar.stop()
        if pool is not None:
            pool.shutdown()
        gc.unfreeze()
