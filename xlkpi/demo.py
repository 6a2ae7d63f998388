"""`xlkpi demo` / `make demo`: the cycle run end to end on the built-in sample ministry.

The demo is a list of steps (`STEPS`).  Each step is a function taking the shared
`DemoContext` and returning what it wrote as (label, path) pairs, the label Thai first with
English beside; `run_demo` runs them in order and lists every output at the end.  Later
work (workbooks, audit, change request, final report) adds its step to `STEPS`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROUNDS = (6, 9, 12)


@dataclass
class DemoContext:
    out: Path
    console: object  # rich.console.Console
    agreement_files: list = field(default_factory=list)  # Path per department, sample order
    agreements: list = field(default_factory=list)  # Agreement per department, same order
    scores: dict = field(default_factory=dict)  # (department slug, round) -> DepartmentScore


def write_agreements(context: DemoContext) -> list:
    """The sample ministry's agreements, one YAML per department, and the ministry settings."""
    from .agreement import load, write_atomic
    from .sample import ministry_settings, write_sample

    folder = context.out / "agreements"
    context.agreement_files = write_sample(folder)
    # Read back what was written, so every later step works from the files, as users do.
    context.agreements = []
    for path in context.agreement_files:
        agreement, findings = load(path)
        errors = [f for f in findings if f.is_error]
        if agreement is None or errors:
            raise RuntimeError(f"{path}: " + "; ".join(str(f) for f in errors))
        context.agreements.append(agreement)
    settings = context.out / "ministry.json"
    write_atomic(settings, (json.dumps(ministry_settings(), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return [("คำรับรองการปฏิบัติราชการของแต่ละกรม (YAML) / agreement files, one per department", folder),
            ("ค่าตั้งของกระทรวง / ministry settings", settings)]


def score_departments(context: DemoContext) -> list:
    """Score every department for rounds 6, 9 and 12; save the scores as JSON."""
    from .agreement import write_atomic
    from .engine import score_agreement
    from .sample import DEPARTMENTS

    data = []
    for department, agreement in zip(DEPARTMENTS, context.agreements):
        for round_ in ROUNDS:
            result = score_agreement(agreement, round_)
            context.scores[department.slug, round_] = result
            data.append({"slug": department.slug, **result.to_dict()})
    path = context.out / "scores.json"
    write_atomic(path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return [("คะแนนทุกกรม รอบ 6, 9, 12 เดือน (JSON) / scores of every department, rounds 6, 9, 12", path)]


TYPE_LABELS = {
    "in_mission_group": "ในกลุ่มภารกิจ / in group",
    "no_mission_group": "ไม่มีกลุ่มภารกิจ / no group",
    "under_minister": "ขึ้นตรงต่อ รมต. / under minister",
}


def print_summary(context: DemoContext) -> list:
    """One table: each department's totals per round and its dimension scores at 12 months."""
    from rich.table import Table

    from .sample import DEPARTMENTS, FISCAL_YEAR, MINISTRY

    def fmt(value) -> str:
        return "–" if value is None else f"{value:.4f}"

    table = Table(title=f"{MINISTRY} — ปีงบประมาณ พ.ศ. {FISCAL_YEAR} (fiscal year {FISCAL_YEAR})")
    table.add_column("ส่วนราชการ\ndepartment", max_width=34, overflow="ellipsis", no_wrap=True)
    table.add_column("ประเภท\ntype", max_width=32, overflow="ellipsis", no_wrap=True)
    for round_ in ROUNDS:
        table.add_column(f"รวม {round_} ด.\ntotal {round_}m", justify="right")
    for dimension in (1, 2, 3, 4):
        table.add_column(f"มิติ {dimension}\ndim {dimension} (12m)", justify="right")
    for department, agreement in zip(DEPARTMENTS, context.agreements):
        totals = [fmt(context.scores[department.slug, r].total) for r in ROUNDS]
        dimensions = context.scores[department.slug, 12].dimensions
        table.add_row(agreement.department, TYPE_LABELS.get(agreement.department_type, agreement.department_type),
                      *totals, *(fmt(dimensions[str(d)]) for d in (1, 2, 3, 4)))
    context.console.print(table)
    return []


#: The demo's steps, in order; each `(DemoContext) -> list[(label, path)]`.
STEPS: list[Callable[[DemoContext], list]] = [write_agreements, score_departments, print_summary]


def run_demo(out: Path, console=None) -> int:
    """Run every step into `out`; print what each wrote.  0 when all steps succeed, else 1."""
    from rich.console import Console

    console = console or Console()
    context = DemoContext(out=Path(out), console=console)
    context.out.mkdir(parents=True, exist_ok=True)
    outputs: list = []
    for step in STEPS:
        try:
            outputs += step(context)
        except Exception as exc:  # one failed step is reported, never a bare traceback
            console.print(f"[red]ขั้นตอน {step.__name__} ล้มเหลว / step {step.__name__} failed: {exc}[/red]")
            return 1
    console.print("\nผลลัพธ์ของการสาธิต / demo outputs:")
    for label, path in outputs:
        console.print(f"  {label}\n    {path}")
    return 0
