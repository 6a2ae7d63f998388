"""`xlkpi audit PATH...`: the secretariat's batch over a ministry's workbooks."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import List, Optional

import typer

from .common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, print_json, round_option, round_or_exit


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)


def audit(
    paths: List[Path] = typer.Argument(..., help="ไฟล์หรือโฟลเดอร์ของสมุดงาน — workbooks or folders"),
    agreement: Optional[Path] = typer.Option(None, "--agreement", "-a",
                                             help="คำรับรองที่ลงนาม (ไฟล์หรือโฟลเดอร์) — signed agreement file or folder"),
    round_: Optional[int] = round_option(None, "รอบที่ตรวจ 6, 9, 12 (ค่าปริยาย: รอบล่าสุดที่รายงาน)",
                                         "the round to audit (default: the latest reported)"),
    as_json: bool = typer.Option(False, "--json", help="JSON หนึ่งออบเจ็กต์ทาง stdout — one JSON object on stdout"),
    report: Optional[Path] = typer.Option(None, "--output", "-o", "--report",
                                          help="เขียนรายงานผลการตรวจ .xlsx — write the KPI Audit Report"),
    workers: Optional[int] = typer.Option(None, "--workers", "-j", help="จำนวนกระบวนการ (ค่าปริยาย: ทุกคอร์)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="พิมพ์เฉพาะสรุป — summary only"),
    formulas: bool = typer.Option(False, "--formulas",
                                  help="คำนวณสูตรใหม่ด้วย formulas ด้วย (ช้ากว่า) — also recompute the formulas, as verify does"),
):
    """ตรวจสอบ KPI Template และ SAR Card — audit workbooks (never modifies them)."""
    from rich.console import Console

    from ..audit.batch import audit_many, collect, load_signed

    round_or_exit(round_)
    missing = [p for p in paths if not p.exists()]
    if missing or (agreement is not None and not agreement.exists()):
        for p in missing + ([agreement] if agreement is not None and not agreement.exists() else []):
            typer.echo(f"ไม่พบ / not found: {p}", err=True)
        raise typer.Exit(EXIT_USAGE)
    signed, signed_findings = load_signed(agreement)
    if signed_findings:  # a bad signed agreement is an input error, like a bad workbook
        for f in signed_findings:
            typer.echo(str(f), err=True)
        raise typer.Exit(EXIT_FINDINGS)
    files = collect(paths)
    err = Console(stderr=True)
    keep = as_json or report is not None
    results, counts, statuses, severities = [], Counter(), Counter(), Counter()
    for result in audit_many(files, signed, round_, workers, progress=err.is_terminal and not as_json,
                             formulas=formulas):
        statuses[result.status] += 1
        counts.update(f.code for f in result.findings)
        severities.update(f.severity for f in result.findings)
        if keep:
            results.append(result)
        if not as_json and not quiet:
            for f in result.findings:
                err.print(str(f), markup=False, highlight=False, soft_wrap=True)
    summary = {
        "workbooks": len(files),
        "by_status": dict(statuses),
        "errors": severities["error"],
        "warnings": severities["warning"],
        "findings_by_code": dict(sorted(counts.items())),
    }
    if report is not None:
        from ..audit.report import write_audit_report

        write_audit_report(results, report)
        summary["report"] = str(report)
    failed = statuses.get("errors", 0) + statuses.get("unreadable", 0)
    if as_json:
        print_json({"workbooks": [r.to_dict() for r in results], "summary": summary})
    else:
        from ..glossary import Status

        counts = ", ".join(f"{s.th} {statuses.get(s.value, 0)}" for s in Status)
        typer.echo(f"ตรวจ {len(files)} ไฟล์: {counts} — audited {len(files)} workbooks: {dict(statuses)}")
        if report is not None:
            typer.echo(f"รายงาน (report): {report}")
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)

