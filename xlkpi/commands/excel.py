"""Commands for Excel itself: the ribbon add-in, and filling results into a SAR Card."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    addin_app = typer.Typer(help="Add-in ของ Excel — the Excel ribbon add-in", no_args_is_help=True)
    addin_app.command("build")(addin_build)
    app.add_typer(addin_app, name="addin")
    app.command("fill")(fill)


def addin_build(
    out: Path = typer.Option(Path("."), "--out", "-o", help="โฟลเดอร์ผลลัพธ์ — output folder"),
):
    """สร้าง xlkpi.xlam — build the Excel add-in with the Score & Audit button."""
    from ..addin import build_addin

    typer.echo(str(build_addin(out)))


def fill(
    workbook: Path = typer.Argument(..., help="SAR Card (.xlsx) ที่จะกรอก — the SAR Card to fill"),
    source: Path = typer.Option(..., "--from", help="ตารางผล (.csv / .xlsx): id, round, result | milestones, part, explanation, evidence"),
    round_: Optional[int] = typer.Option(None, "--round", help="รอบ 6 / 9 / 12 (เมื่อตารางไม่มีคอลัมน์ round) — the round"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="ไฟล์ผลลัพธ์ (ค่าเริ่มต้น: เขียนทับ) — output file (default: in place)"),
):
    """กรอกผลจากตารางลง SAR Card — fill results from a table into a SAR Card (all rows or none)."""
    from ..excel.filling import FillRefused, fill_file, read_table
    from .common import EXIT_FINDINGS, EXIT_USAGE, print_findings

    for path in (workbook, source):
        if not path.exists():
            typer.echo(f"ไม่พบไฟล์ / file not found: {path}", err=True)
            raise typer.Exit(EXIT_USAGE)
    if round_ is not None and round_ not in (6, 9, 12):
        typer.echo(f"รอบต้องเป็น 6, 9 หรือ 12 / the round must be 6, 9 or 12: {round_}", err=True)
        raise typer.Exit(EXIT_USAGE)
    try:
        writes = fill_file(workbook, read_table(source), round_, out, source=source.name)
    except FillRefused as refused:
        print_findings(refused.findings)
        typer.echo("ไม่ได้เขียนอะไรลงสมุดงาน — nothing was written", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    typer.echo(f"กรอก {len(writes)} ช่อง — filled {len(writes)} cells: {out or workbook}")
