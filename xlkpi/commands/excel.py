"""Commands for Excel itself: the ribbon add-in."""
from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    addin_app = typer.Typer(help="Add-in ของ Excel — the Excel ribbon add-in", no_args_is_help=True)
    addin_app.command("build")(addin_build)
    app.add_typer(addin_app, name="addin")


def addin_build(
    out: Path = typer.Option(Path("."), "--out", "-o", help="โฟลเดอร์ผลลัพธ์ — output folder"),
):
    """สร้าง xlkpi.xlam — build the Excel add-in with the Score & Audit button."""
    from ..addin import build_addin

    typer.echo(str(build_addin(out)))
