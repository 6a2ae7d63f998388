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
    failures: list = field(default_factory=list)  # (Thai, English) of what the demo should not show
    ministry: Path = None  # the ministry folder the cycle's steps work in


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


def print_summary(context: DemoContext) -> list:
    """One table: each department's totals per round and its dimension scores at 12 months."""
    from rich.table import Table

    from .glossary import DepartmentType
    from .report_text import fmt, name_column, number_column
    from .sample import DEPARTMENTS, FISCAL_YEAR, MINISTRY

    table = Table(title=f"{MINISTRY} — ปีงบประมาณ พ.ศ. {FISCAL_YEAR} (fiscal year {FISCAL_YEAR}): "
                        "คะแนนรวมรอบ 6, 9, 12 เดือน และคะแนนมิติ 1–4 รอบ 12 เดือน — "
                        "totals at 6, 9 and 12 months (w = น้ำหนักที่คะแนนระหว่างปีครอบคลุม, the weight an interim total covers), "
                        "dimensions 1–4 at 12 months")
    name_column(table, "ส่วนราชการ / ประเภท\ndepartment / type", max_width=40)
    for round_ in ROUNDS:
        number_column(table, f"{round_} ด.\n{round_} m")
    for dimension in (1, 2, 3, 4):
        number_column(table, f"มิติ {dimension}\ndim {dimension}")
    for department, agreement in zip(DEPARTMENTS, context.agreements):
        # an interim total with the weight it covers below it (DOMAIN §6.5a): "2.1834" / "(w 80)"
        totals = [fmt(s.total) + (f"\n(w {s.covered_weight:g})" if s.is_partial else "")
                  for s in (context.scores[department.slug, r] for r in ROUNDS)]
        dimensions = context.scores[department.slug, 12].dimensions
        kind = DepartmentType.label(agreement.department_type)
        table.add_row(f"{agreement.department}\n{kind}", *totals, *(fmt(dimensions[str(d)]) for d in (1, 2, 3, 4)))
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
    for th, en in context.failures:  # the demo checks itself: exit 1 when it did not show what it should
        console.print(f"[red]การสาธิตไม่ผ่าน: {th} / demo failed: {en}[/red]")
    return 1 if context.failures else 0


# --- workbooks, audit and the cycle ----------------------------------------------------

def write_workbooks(context: DemoContext) -> list:
    """Each department's KPI Template and SAR Card; the SAR Cards as Excel would save them.

    An officer's Excel stores every formula's value when saving; LibreOffice does the same
    here, so the audit can compare stored scores with recomputed ones.
    """
    import tempfile

    from .recalc import libreoffice_recalc
    from .workbook.sar import write_sar
    from .workbook.template import write_template

    templates = context.out / "workbooks" / "kpi-templates"
    sars = context.out / "workbooks" / "sar-cards"
    errors: dict = {}
    with tempfile.TemporaryDirectory(prefix="xlkpi-demo-") as drafts:
        generated = []
        for path, agreement in zip(context.agreement_files, context.agreements):
            write_template(agreement, templates / f"{path.stem}.xlsx")
            generated.append(write_sar(agreement, Path(drafts) / f"{path.stem}.xlsx"))
        libreoffice_recalc(generated, sars, errors=errors)
    if errors:
        raise RuntimeError(f"LibreOffice could not recalculate: {errors}")
    return [("เอกสารสรุปรายละเอียดตัวชี้วัด (KPI Template) ของทุกกรม / KPI Templates", templates),
            ("SAR Card ของทุกกรม (คำนวณและบันทึกค่าแล้ว) / SAR Cards, calculated and saved", sars)]


def detection_table(results, mistakes) -> tuple[list, list]:
    """(rows of (mistake, found?), unexpected findings) for the sample's deliberate mistakes."""
    from .sample import DEPARTMENTS

    slug_of = {d.name: d.slug for d in DEPARTMENTS}
    found = {(slug_of.get(r.department, r.department), f.indicator, f.code) for r in results for f in r.findings}
    rows = [(m, any(key[0] == m.department and key[2] == m.code and (not m.indicator or key[1] == m.indicator)
                    for key in found)) for m in mistakes]
    expected = {(m.department, m.code) for m in mistakes}
    unexpected = [(r.file, f) for r in results for f in r.findings
                  if (slug_of.get(r.department, r.department), f.code) not in expected]
    return rows, unexpected


def note_detection(context: DemoContext, rows, unexpected) -> None:
    """A deliberate mistake the audit did not find, or a finding nobody put there, fails the demo."""
    missed = [m for m, found in rows if not found]
    if missed:
        context.failures.append((f"ไม่พบข้อผิดพลาดที่จงใจใส่ไว้ {len(missed)} รายการ",
                                 f"{len(missed)} deliberate mistakes not found"))
    if unexpected:
        context.failures.append((f"มีข้อสังเกตที่ไม่ได้จงใจใส่ไว้ {len(unexpected)} รายการ",
                                 f"{len(unexpected)} unexpected findings"))


def audit_workbooks(context: DemoContext) -> list:
    """The secretariat's audit of every workbook, against the signed agreements."""
    from rich.table import Table

    from .audit.batch import audit_many, collect
    from .audit.report import write_audit_report
    from .sample import SAMPLE_MISTAKES

    signed = {a.department: a for a in context.agreements}
    results = list(audit_many(collect([context.out / "workbooks"]), signed))
    report = write_audit_report(results, context.out / "audit" / "kpi-audit-report.xlsx")
    rows, unexpected = detection_table(results, SAMPLE_MISTAKES)
    table = Table(title="ข้อผิดพลาดที่จงใจใส่ไว้ในกระทรวงตัวอย่าง — the sample's deliberate mistakes")
    for heading in ("กรม\ndept", "ตัวชี้วัด\nKPI", "รหัส\ncode", "พบ\nfound"):
        table.add_column(heading)
    for mistake, found in rows:
        table.add_row(mistake.department, mistake.indicator or "–", mistake.code, "✓" if found else "✗ ไม่พบ")
    context.console.print(table)
    context.console.print(f"ข้อสังเกตอื่นนอกเหนือจากที่จงใจใส่ไว้ / other findings: {len(unexpected)}")
    for file, finding in unexpected[:20]:
        context.console.print(f"  {Path(file).name}: {finding}", markup=False)
    note_detection(context, rows, unexpected)
    return [("รายงานผลการตรวจสอบ (KPI Audit Report) / audit report", Path(report))]


def sign_agreements(context: DemoContext) -> list:
    """The ministry folder, the agreement documents through the signing gate, a change request."""
    from .cycle.demo_steps import SIGNING_STEPS, setup_folder

    context.ministry, written = setup_folder(context.agreement_files, context.out)
    for step in SIGNING_STEPS:
        written += step(context.ministry)
    return written


def cycle_year(context: DemoContext) -> list:
    """After the rounds: progress, round-1 approvals and notices, a review, OPDC's results,
    final approvals and certification, the Final Report, incentives."""
    from .cycle.demo_steps import YEAR_STEPS

    written: list = []
    for step in YEAR_STEPS:
        written += step(context.ministry)
    return written


# The year in order (DOMAIN §2, §3): agreements → signing (and a change request) → the rounds'
# workbooks and audit → progress → round-1 approval and notices → review → OPDC's results →
# final approval and certification → Final Report → incentives.
STEPS += [sign_agreements, write_workbooks, audit_workbooks, cycle_year]
