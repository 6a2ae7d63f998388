"""Commands that write and check workbooks: workbook template|sar, verify."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .common import EXIT_FINDINGS, EXIT_USAGE, load_agreement_or_exit, print_findings, print_json


def register(app: typer.Typer) -> None:
    workbook_app = typer.Typer(help="สร้างสมุดงาน — write KPI Template and SAR Card workbooks", no_args_is_help=True)
    workbook_app.command("template")(template)
    workbook_app.command("sar")(sar)
    app.add_typer(workbook_app, name="workbook")
    app.command("verify")(verify)


PASSWORD_HELP = "รหัสผ่านป้องกันแผ่นงาน — sheet protection password (default: the ministry's, else 'xlkpi')"


def _password(password: str | None) -> str:
    from ..workbook.style import DEFAULT_PASSWORD

    return password or DEFAULT_PASSWORD


def template(
    agreement: Path = typer.Argument(..., help="ไฟล์คำรับรอง — the agreement file"),
    output: Path = typer.Option(..., "--output", "-o", help="ไฟล์ .xlsx ที่จะเขียน — the workbook to write"),
    password: str = typer.Option(None, "--password", help=PASSWORD_HELP),
):
    """เอกสารสรุปรายละเอียดตัวชี้วัด — write the KPI Template workbook."""
    from ..workbook.template import write_template

    loaded = load_agreement_or_exit(agreement)
    typer.echo(write_template(loaded, output, _password(password)))


def sar(
    agreement: Path = typer.Argument(..., help="ไฟล์คำรับรอง — the agreement file"),
    output: Path = typer.Option(..., "--output", "-o", help="ไฟล์ .xlsx ที่จะเขียน — the workbook to write"),
    password: str = typer.Option(None, "--password", help=PASSWORD_HELP),
):
    """SAR Card รอบ 6, 9, 12 เดือน — write the SAR Card workbook (scores are formulas)."""
    from ..workbook.sar import write_sar

    loaded = load_agreement_or_exit(agreement)
    typer.echo(write_sar(loaded, output, _password(password)))


def verify(
    paths: List[Path] = typer.Argument(..., help="SAR Card หรือโฟลเดอร์ — SAR Card workbooks or folders"),
    as_json: bool = typer.Option(False, "--json", help="JSON หนึ่งออบเจ็กต์ทาง stdout — one JSON object on stdout"),
    workers: Optional[int] = typer.Option(None, "--workers", "-j", help="จำนวนกระบวนการ (ค่าปริยาย: ทุกคอร์)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="พิมพ์เฉพาะสรุป — summary only"),
):
    """คำนวณสูตรใหม่ด้วย formulas แล้วเทียบกับเครื่องคำนวณ — recalculate headlessly and compare with the engine."""
    from collections import Counter

    from rich.console import Console

    from ..batch import collect, parallel_map
    from ..verify import verify_one

    missing = [p for p in paths if not p.exists()]
    if missing:
        for p in missing:
            typer.echo(f"ไม่พบ / not found: {p}", err=True)
        raise typer.Exit(EXIT_USAGE)
    files = collect(paths)
    if len(files) > 1:
        # worker processes start as copies of this one: load `formulas` once, not in each
        from ..recalc import install_excel_semantics

        install_excel_semantics()
    err = Console(stderr=True)
    progress = "คำนวณสูตรใหม่ (verifying)" if err.is_terminal and not as_json else None
    results, statuses, codes, cells = [], Counter(), Counter(), 0
    for result in parallel_map(verify_one, files, workers, progress):
        statuses[result.status] += 1
        codes.update(f.code for f in result.findings)
        cells += result.cells
        if as_json:
            results.append(result.to_dict())
        elif not quiet:
            print_findings(result.findings, None)
            if result.status == "ok":
                typer.echo(f"ตรงกันทุกช่อง — all {result.cells} score cells agree with the engine: {result.file}")
    summary = {"workbooks": len(files), "by_status": dict(statuses), "cells": cells,
               "findings_by_code": dict(sorted(codes.items()))}
    if as_json:
        print_json({"workbooks": results, "summary": summary})
    elif len(files) != 1 or quiet:
        typer.echo(f"ตรวจสูตร {len(files)} ไฟล์: ตรงกัน {statuses.get('ok', 0) + statuses.get('warnings', 0)}, "
                   f"ไม่ตรง/ผิดพลาด {statuses.get('errors', 0)}, เปิดไม่ได้ {statuses.get('unreadable', 0)} — "
                   f"verified {len(files)} workbooks ({cells} score cells): {dict(statuses)}")
    if statuses.get("errors", 0) + statuses.get("unreadable", 0):
        raise typer.Exit(EXIT_FINDINGS)
