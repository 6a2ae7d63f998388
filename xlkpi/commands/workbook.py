"""Commands that write and check workbooks: workbook template|sar, verify."""
from __future__ import annotations

from pathlib import Path

import typer

from .common import EXIT_FINDINGS, load_agreement_or_exit, print_findings, print_json


def register(app: typer.Typer) -> None:
    workbook_app = typer.Typer(help="สร้างสมุดงาน — write KPI Template and SAR Card workbooks", no_args_is_help=True)
    workbook_app.command("template")(template)
    workbook_app.command("sar")(sar)
    app.add_typer(workbook_app, name="workbook")
    app.command("verify")(verify)


PASSWORD_HELP = "รหัสผ่านป้องกันแผ่นงาน — sheet protection password (default: the ministry's, else 'xlkpi')"


SIGN_HELP = "กุญแจลงนามของกระทรวง (signing-key.pem) — sign the agreement and layout in the workbook"


def _signer(sign_key: Path | None):
    """The writers' signer for --sign-key, or None; a bad key is a usage error (exit 2)."""
    if sign_key is None:
        return None
    from ..keys import KeyError_, load_signing_key, signer

    try:
        return signer(load_signing_key(sign_key))
    except KeyError_ as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)


def _password(password: str | None) -> str:
    from ..workbook.style import DEFAULT_PASSWORD

    return password or DEFAULT_PASSWORD


def template(
    agreement: Path = typer.Argument(..., help="ไฟล์คำรับรอง — the agreement file"),
    output: Path = typer.Option(..., "--output", "-o", help="ไฟล์ .xlsx ที่จะเขียน — the workbook to write"),
    password: str = typer.Option(None, "--password", help=PASSWORD_HELP),
    sign_key: Path = typer.Option(None, "--sign-key", help=SIGN_HELP),
):
    """เอกสารสรุปรายละเอียดตัวชี้วัด — write the KPI Template workbook."""
    from ..workbook.template import write_template

    signer = _signer(sign_key)
    loaded = load_agreement_or_exit(agreement)
    typer.echo(write_template(loaded, output, _password(password), signer))


def sar(
    agreement: Path = typer.Argument(..., help="ไฟล์คำรับรอง — the agreement file"),
    output: Path = typer.Option(..., "--output", "-o", help="ไฟล์ .xlsx ที่จะเขียน — the workbook to write"),
    password: str = typer.Option(None, "--password", help=PASSWORD_HELP),
    sign_key: Path = typer.Option(None, "--sign-key", help=SIGN_HELP),
):
    """SAR Card รอบ 6, 9, 12 เดือน — write the SAR Card workbook (scores are formulas)."""
    from ..workbook.sar import write_sar

    signer = _signer(sign_key)
    loaded = load_agreement_or_exit(agreement)
    typer.echo(write_sar(loaded, output, _password(password), signer))


def verify(
    workbook: Path = typer.Argument(..., help="SAR Card .xlsx"),
    as_json: bool = typer.Option(False, "--json"),
):
    """คำนวณสูตรใหม่ด้วย formulas แล้วเทียบกับเครื่องคำนวณ — recalculate headlessly and compare with the engine."""
    from ..verify import verify_file

    comparisons, findings = verify_file(workbook)
    if as_json:
        print_json({"file": str(workbook), "cells": len(comparisons),
                    "differences": [{"name": c.name, "cell": f"{c.sheet}!{c.cell}", "engine": c.engine,
                                     "workbook": c.workbook} for c in comparisons if not c.agrees],
                    "findings": [f.to_dict() for f in findings]})
    else:
        print_findings(findings, None)
        if comparisons and not any(f.is_error for f in findings):
            typer.echo(f"ตรงกันทุกช่อง — all {len(comparisons)} score cells agree with the engine: {workbook}")
    if any(f.is_error for f in findings) or not comparisons:
        raise typer.Exit(EXIT_FINDINGS)
