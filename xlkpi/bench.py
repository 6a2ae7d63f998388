"""`make bench`: the audit of a ministry's folder against LibreOffice's recalculation of it.

    python -m xlkpi.bench [--n 1000] [--distinct D] [--lo-files L] [--verify-files V] [--out DIR]

By default every one of the N workbooks is generated, and LibreOffice's headless
recalculation of the whole folder (one soffice, timed in a child) is at once the setup that
stores the values and the figure the audit is compared with.  `--distinct D` and
`--lo-files L` are quicker, approximate runs for development:

1. Generates `--distinct` filled SAR Cards of about 40 indicators (results for all three
   rounds) and has LibreOffice compute and store their values as Excel would (setup, timed
   and reported apart); the folder then holds N workbooks, copies of those under their own
   names (the audit does the same work whatever the file holds).
   The stored workbooks are then rewritten in the form Excel saves them: runs of same-shape
   formulas as shared formulas (`xlkpi.audit.rewrite.shared_formulas`).
2. Times `xlkpi audit FOLDER --quiet` as a subprocess with every check on: every workbook's
   package read into the canonical model, compared cell by cell (values, formulas, formats)
   and setting by setting with what the generator writes for its agreement, the inputs held
   to their types, and every score of every round recomputed by the engine and compared with
   the stored values.  Its peak RSS is measured at N and at N/4.
3. Times LibreOffice's headless recalculation (one soffice, `libreoffice_recalc`) of the
   folder's first `--lo-files` workbooks and scales that to N: soffice's start (a one-file
   run) plus the time per further workbook × (N − 1); LibreOffice spends the same time on
   every copy.  `--lo-files N` times the whole folder (about 0.5-2 s a workbook).
   CPU seconds of every process are reported beside the wall times: on a shared machine
   they do not depend on what else runs.
4. Times `xlkpi verify` (the `formulas` recomputation, all cores) on the folder's first
   `--verify-files` distinct workbooks and on one alone, and reports its time and CPU per
   card beside LibreOffice's per card from step 3 (`verify_figures`).

The last line printed is one JSON object with the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .model import GROUP, MILESTONE, ROUNDS, WEIGHTED

# Runs a command as a child and prints its wall time, CPU and peak RSS (that child's own
# process tree only, so LibreOffice run by the bench never counts for the audit).
_MEASURE = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, text=True)
wall = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
lines = done.stdout.strip().splitlines()
print(json.dumps({"rc": done.returncode, "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
                  "peak_rss_mb": usage.ru_maxrss / 1024, "last_line": lines[-1] if lines else ""}))
"""


def good_agreement(rng: random.Random, leaves: int = 40):
    """A random agreement with a result, an explanation and evidence in every round."""
    from .sample import random_agreement

    agreement = random_agreement(rng, leaves, rounds=ROUNDS)
    for ind in agreement.walk():
        if ind.kind == GROUP or not ind.applicable or ind.granted:
            continue
        for round_ in ROUNDS:
            if ind.kind == MILESTONE:
                ind.result.setdefault(round_, [rng.random() < 0.7 for _ in range(5)])
            elif ind.kind == WEIGHTED:
                for part in ind.parts:
                    defined = [t for t in part.thresholds if t is not None]
                    part.result.setdefault(round_, round(rng.uniform(min(defined), max(defined)), 2))
            else:
                defined = [t for t in ind.thresholds if t is not None]
                ind.result.setdefault(round_, round(rng.uniform(min(defined), max(defined)), 2))
            ind.explanation.setdefault(round_, f"ผลการดำเนินงานรอบ {round_} เดือน")
            ind.evidence.setdefault(round_, f"หลักฐานรอบ {round_} เดือน")
    return agreement


def _write_one(args) -> str:
    from .workbook.sar import write_sar

    seed, path, leaves = args
    agreement = good_agreement(random.Random(seed), leaves)
    agreement.department = f"กรมทดสอบที่ {seed}"  # one department per workbook
    write_sar(agreement, path)
    return path


def generate(folder: Path, count: int, leaves: int = 40, seed: int = 2552, workers: int | None = None) -> list[Path]:
    """`count` filled SAR Cards (not yet calculated), written in parallel."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(seed + i, str(folder / f"sar-{i:04d}.xlsx"), leaves) for i in range(count)]
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        return [Path(p) for p in pool.map(_write_one, jobs)]


def _excel_form(path: str) -> str:
    from .audit.rewrite import shared_formulas

    data = Path(path).read_bytes()
    Path(path).write_bytes(shared_formulas(data))
    return path


def excel_saved_form(paths: list, workers: int | None = None) -> None:
    """Rewrite the workbooks in place with shared formulas, as Excel saves them."""
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        list(pool.map(_excel_form, [str(p) for p in paths]))


def measure_audit(folder: Path, workers: int | None = None) -> dict:
    command = [sys.executable, "-m", "xlkpi.cli", "audit", str(folder), "--quiet"]
    if workers:
        command += ["--workers", str(workers)]
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


_LIBREOFFICE = r"""
import json, sys
from pathlib import Path
from xlkpi.recalc import libreoffice_recalc
done = libreoffice_recalc([Path(p) for p in sys.argv[2:]], Path(sys.argv[1]), timeout=3600)
print(json.dumps(len(done)))
"""


def measure_libreoffice(paths: list[Path], out_dir: Path) -> dict:
    """`libreoffice_recalc` of `paths` (one soffice) in a child: wall time, CPU, files done."""
    command = [sys.executable, "-c", _LIBREOFFICE, str(out_dir), *map(str, paths)]
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["done"] = json.loads(figures.pop("last_line") or "0")
    return figures


def measure_verify(paths: list[Path], workers: int | None = None) -> dict:
    """`xlkpi verify` of `paths` (the batch, all cores) in a child: wall time, CPU, peak RSS."""
    command = [sys.executable, "-m", "xlkpi.cli", "verify", *map(str, paths), "--quiet"]
    if workers:
        command += ["--workers", str(workers)]
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def verify_figures(folder: Path, distinct: int, lo: dict, lo_files: int, verify_files: int,
                   workers: int | None = None, log=print) -> dict:
    """`xlkpi verify` per card beside LibreOffice's per card, from the same run.

    Verify is timed on the folder's first `verify_files` workbooks, all distinct (the
    folder's first `distinct` files are): a copy would find every step of `formulas` already
    computed. LibreOffice's per card is its timed run over its `lo_files` workbooks, soffice's
    start included, as verify's includes Python's.
    """
    count = max(1, min(verify_files, distinct))
    paths = sorted(folder.iterdir())[:count]
    run = measure_verify(paths, workers)
    log(f"xlkpi verify of {count}: {run}")
    one = measure_verify(paths[:1], 1)
    log(f"xlkpi verify of 1: {one}")
    lo_one = measure_libreoffice(paths[:1], folder.parent / "lo-verify-one")
    log(f"LibreOffice recalculated 1: {lo_one}")
    return {
        "verify_files": count,
        "verify_exit_code": run["rc"],
        "verify_s_per_card": round(run["wall_s"] / count, 3),
        "verify_cpu_s_per_card": round(run["cpu_s"] / count, 3),
        "verify_peak_rss_mb": round(run["peak_rss_mb"], 1),
        "libreoffice_s_per_card": round(lo["wall_s"] / lo_files, 3),
        "libreoffice_cpu_s_per_card": round(lo["cpu_s"] / lo_files, 3),
        "verify_time_ratio": round(run["wall_s"] / count / (lo["wall_s"] / lo_files), 2),
        "verify_cpu_ratio": round(run["cpu_s"] / count / (lo["cpu_s"] / lo_files), 2),
        "verify_one_card_s": round(one["wall_s"], 2),
        "verify_one_card_cpu_s": round(one["cpu_s"], 2),
        "verify_one_card_peak_rss_mb": round(one["peak_rss_mb"], 1),
        "libreoffice_one_card_s": round(lo_one["wall_s"], 2),
        "libreoffice_one_card_cpu_s": round(lo_one["cpu_s"], 2),
    }


def _click() -> dict:
    """The ribbon-click measurement of xlkpi.bench_click, when it exists."""
    try:
        import importlib.util

        if importlib.util.find_spec("xlkpi.bench_click") is None:
            return {}
        done = subprocess.run([sys.executable, "-m", "xlkpi.bench_click"], capture_output=True, text=True,
                              timeout=300)
        text = done.stdout.strip()
        start = text.rfind("\n{")  # its last JSON object, printed on one line or indented
        figures = json.loads(text[start + 1:] if start >= 0 else text or "{}")
        keys = {"click_seconds": "click_cpu_s", "xlkpi_seconds": "click_xlkpi_cpu_s",
                "within_budget": "click_within_budget"}
        return {new: figures[old] for old, new in keys.items() if old in figures}
    except Exception as exc:  # the click figure is extra; the bench stands without it
        return {"click_error": repr(exc)[:200]}


def run(n: int, distinct: int, lo_files: int, out: Path | None, leaves: int = 40,
        workers: int | None = None, log=print, verify_files: int = 200) -> dict:
    from .recalc import libreoffice_recalc

    distinct = max(1, min(distinct or n, n))
    lo_files = max(1, min(lo_files or n, n))
    work = Path(out) if out else Path(tempfile.mkdtemp(prefix="xlkpi-bench-"))
    for sub in ("generated", "calculated", "folder", "lo-out"):
        shutil.rmtree(work / sub, ignore_errors=True)
    figures: dict = {"workbooks": n}
    try:
        t = time.perf_counter()
        generated = generate(work / "generated", distinct, leaves, workers=workers)
        figures["setup_generate_s"] = round(time.perf_counter() - t, 2)
        log(f"generated {distinct} distinct SAR Cards in {figures['setup_generate_s']} s")

        whole_folder = distinct == n and lo_files == n
        if whole_folder:
            # LibreOffice recalculates every workbook of the folder once, timed: this stores
            # the values the audit checks and is the figure the audit is compared with.
            folder = work / "folder"
            lo = measure_libreoffice(generated, folder)
            figures["setup_libreoffice_s"] = round(lo["wall_s"], 2)
            if lo["done"] != n:
                raise SystemExit(f"LibreOffice recalculated only {lo['done']} of {n} workbooks")
            log(f"LibreOffice recalculated and stored all {n} in {lo['wall_s']:.1f} s")
            excel_saved_form(sorted(folder.iterdir()), workers)
        else:
            t = time.perf_counter()
            errors: dict = {}
            calculated = libreoffice_recalc(generated, work / "calculated", timeout=3600, errors=errors)
            figures["setup_libreoffice_s"] = round(time.perf_counter() - t, 2)
            if errors or len(calculated) != len(generated):
                raise SystemExit(f"LibreOffice could not calculate {len(generated) - len(calculated)} workbooks: {errors}")
            log(f"LibreOffice calculated and stored them in {figures['setup_libreoffice_s']} s")
            folder = work / "folder"
            folder.mkdir()
            sources = [calculated[p] for p in generated]
            excel_saved_form(sources, workers)
            for i in range(n):
                shutil.copyfile(sources[i % distinct], folder / f"wb-{i:05d}.xlsx")
        quarter = work / "folder-quarter"
        shutil.rmtree(quarter, ignore_errors=True)
        quarter.mkdir()
        for path in sorted(folder.iterdir())[: max(1, n // 4)]:
            os.link(path, quarter / path.name)

        full = measure_audit(folder, workers)
        log(f"xlkpi audit of {n}: {full}")
        if full["rc"] != 0:
            log("warning: the audit found problems in the generated workbooks (exit code %d)" % full["rc"])
        small = measure_audit(quarter, workers)
        log(f"xlkpi audit of {n // 4}: {small}")

        lo_sample = sorted(folder.iterdir())[:lo_files]
        # LibreOffice is timed on the generated files (before the rewrite) when it stored them;
        # on a sample it recalculates the Excel-saved form, which it reads as well
        if not whole_folder:
            lo = measure_libreoffice(lo_sample, work / "lo-out")
        log(f"LibreOffice recalculated {lo['done']} of {lo_files}: {lo}")
        if lo["done"] != lo_files:
            raise SystemExit(f"LibreOffice recalculated only {lo['done']} of {lo_files} workbooks")
        if lo_files < n:
            # Scale to N without scaling soffice's start: a one-file run is start + one file.
            one = measure_libreoffice(lo_sample[:1], work / "lo-one")
            log(f"LibreOffice recalculated 1 workbook: {one}")
            per_file = max(0.0, lo["wall_s"] - one["wall_s"]) / (lo_files - 1) if lo_files > 1 else one["wall_s"]
            per_file_cpu = max(0.0, lo["cpu_s"] - one["cpu_s"]) / (lo_files - 1) if lo_files > 1 else one["cpu_s"]
            libreoffice_s = one["wall_s"] + per_file * (n - 1)
            libreoffice_cpu_s = one["cpu_s"] + per_file_cpu * (n - 1)
        else:
            libreoffice_s, libreoffice_cpu_s = lo["wall_s"], lo["cpu_s"]
        lo_measured = lo["wall_s"]
        figures.update({
            "xlkpi_s": round(full["wall_s"], 2),
            "libreoffice_s": round(libreoffice_s, 2),
            "speedup": round(libreoffice_s / full["wall_s"], 1),
            "peak_rss_mb": round(full["peak_rss_mb"], 1),
            "peak_rss_mb_quarter": round(small["peak_rss_mb"], 1),
            "xlkpi_s_quarter": round(small["wall_s"], 2),
            "xlkpi_cpu_s": round(full["cpu_s"], 2),
            # CPU seconds (all processes) do not depend on what else the machine runs
            "libreoffice_cpu_s": round(libreoffice_cpu_s, 2),
            "cpu_ratio": round(libreoffice_cpu_s / full["cpu_s"], 1),
            "audit_exit_code": full["rc"],
            "libreoffice_files_timed": lo_files,
            "libreoffice_s_timed": round(lo_measured, 2),
            "libreoffice_extrapolated": lo_files < n,
            "distinct_workbooks": distinct,
            "cores": os.cpu_count(),
            "load_avg_1m": round(os.getloadavg()[0], 2),
        })
        if verify_files:
            figures.update(verify_figures(folder, distinct, lo, lo_files, verify_files, workers, log))
        figures.update(_click())
        return figures
    finally:
        if out is None:
            shutil.rmtree(work, ignore_errors=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m xlkpi.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="workbooks in the folder (default 1000)")
    parser.add_argument("--distinct", type=int, default=None,
                        help="distinct workbooks generated, copied to fill N (default: all N distinct)")
    parser.add_argument("--lo-files", type=int, default=None,
                        help="workbooks LibreOffice recalculates, timed and scaled to N (default: all N)")
    parser.add_argument("--leaves", type=int, default=40, help="indicators per workbook (default 40)")
    parser.add_argument("--workers", "-j", type=int, default=None, help="audit processes (default: all cores)")
    parser.add_argument("--out", type=Path, default=None, help="keep the files here (e.g. bench-output/)")
    parser.add_argument("--verify-files", type=int, default=200,
                        help="distinct workbooks `xlkpi verify` is timed on (default 200; 0: none)")
    args = parser.parse_args(argv)
    figures = run(args.n, args.distinct, args.lo_files, args.out, args.leaves, args.workers,
                  log=lambda *a: print(*a, file=sys.stderr, flush=True), verify_files=args.verify_files)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
