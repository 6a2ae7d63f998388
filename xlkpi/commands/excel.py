"""Commands for Excel itself: the ribbon add-in, and filling results into a SAR Card."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    addin_app = typer.Typer(help="Add-in ของ Excel — the Excel ribbon add-in", no_args_is_help=True)
    addin_app.command("build")(addin_build)
    addin_app.command("install")(addin_install)
    addin_app.command("uninstall")(addin_uninstall)
    app.add_typer(addin_app, name="addin")
    app.command("fill")(fill)


def addin_build(
    out: Path = typer.Option(Path("."), "--output", "-o", help="โฟลเดอร์ผลลัพธ์ — output folder"),
):
    """สร้าง xlkpi.xlam — build the Excel add-in with the Score & Audit button."""
    from ..addin import build_addin

    typer.echo(str(build_addin(out)))


def addin_install(
    xlstart: Optional[Path] = typer.Option(None, "--xlstart", help="โฟลเดอร์ XLSTART (ค่าเริ่มต้น: ของผู้ใช้) — the Excel startup folder (default: the user's)"),
):
    """ติดตั้ง add-in ให้ผู้ใช้นี้ (ไม่ต้องเป็นผู้ดูแลระบบ) — install the add-in for this user, no admin rights.

    Records this Python in the add-in and in %USERPROFILE%\\.xlwings\\xlwings.conf, copies xlkpi.xlam
    into XLSTART.  Quit Excel first; start it again afterwards.
    """
    from ..addin_install import InstallError, install
    from .common import EXIT_USAGE

    try:
        receipt = install(xlstart)
    except InstallError as problem:
        typer.echo(f"{problem.th}\n{problem.en}", err=True)
        raise typer.Exit(EXIT_USAGE)
    typer.echo(f"ติดตั้งแล้ว — installed: {receipt['addin']}")
    typer.echo(f"Python: {receipt['interpreter']}")
    typer.echo(f"ตั้งค่า — settings: {receipt['settings_file']}")
    typer.echo(f"xlwings {receipt['xlwings_version']}, xlkpi {receipt['xlkpi_version']}")
    typer.echo("เปิด Excel ใหม่เพื่อใช้แท็บ 'ตัวชี้วัด KPI' — restart Excel to get the 'ตัวชี้วัด KPI' tab.")


def addin_uninstall(
    xlstart: Optional[Path] = typer.Option(None, "--xlstart", help="โฟลเดอร์ XLSTART — the Excel startup folder"),
):
    """ถอนการติดตั้ง add-in — remove the add-in and give back the settings install changed."""
    from ..addin_install import InstallError, uninstall
    from .common import EXIT_USAGE

    try:
        removed = uninstall(xlstart)
    except InstallError as problem:
        typer.echo(f"{problem.th}\n{problem.en}", err=True)
        raise typer.Exit(EXIT_USAGE)
    for path in removed:
        typer.echo(f"ลบ/คืนค่าแล้ว — removed or restored: {path}")
    if not removed:
        typer.echo("ไม่พบ add-in ที่ติดตั้งไว้ — no installed add-in found")


def fill(
    workbook: Path = typer.Argument(..., help="SAR Card (.xlsx) ที่จะกรอก — the SAR Card to fill"),
    source: Path = typer.Option(..., "--from", help="ตารางผล (.csv / .xlsx): id, round, result | milestones, part, explanation, evidence"),
    round_: Optional[int] = typer.Option(None, "--round", "-r", help="รอบ 6 / 9 / 12 (เมื่อตารางไม่มีคอลัมน์ round) — the round"),
    out: Optional[Path] = typer.Option(None, "--output", "-o", help="ไฟล์ผลลัพธ์ (ค่าเริ่มต้น: เขียนทับ) — output file (default: in place)"),
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
