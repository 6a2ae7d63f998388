"""Commands that write and check workbooks: workbook template|sar|proposal, agreement import, verify."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .common import EXIT_FINDINGS, EXIT_USAGE, load_agreement_or_exit, print_findings, print_json


def register(app: typer.Typer) -> None:
    workbook_app = typer.Typer(help="สร้างสมุดงาน — write KPI Template and SAR Card workbooks", no_args_is_help=True)
    workbook_app.command("template")(template)
    workbook_app.command("sar")(sar)
    workbook_app.command("proposal")(proposal)
    app.add_typer(workbook_app, name="workbook")
    agreement_app = typer.Typer(help="ไฟล์คำรับรอง — agreement files", no_args_is_help=True)
    agreement_app.command("import")(agreement_import)
    app.add_typer(agreement_app, name="agreement")
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


LANG_HELP = "ภาษาบนกระดาษ: th (ไทยอย่างเดียว) หรือ th-en (มีภาษาอังกฤษกำกับ) — labels on paper: th or th-en"


def _lang(lang: str) -> str:
    from ..workbook.style import LANGS

    if lang not in LANGS:
        typer.echo(f"--lang ต้องเป็น {' หรือ '.join(LANGS)} / --lang must be one of {', '.join(LANGS)}", err=True)
        raise typer.Exit(EXIT_USAGE)
    return lang


def _password(password: str | None) -> str:
    from ..workbook.style import DEFAULT_PASSWORD

    return password or DEFAULT_PASSWORD


def _write_form(write, agreement: Path, output: Path, password, lang: str, sign_key) -> None:
    """A KPI Template or SAR Card for the agreement file, signed when a key is given."""
    lang = _lang(lang)
    signer = _signer(sign_key)
    loaded = load_agreement_or_exit(agreement)
    typer.echo(write(loaded, output, _password(password), lang=lang, signer=signer))


def template(
    agreement: Path = typer.Argument(..., help="ไฟล์คำรับรอง — the agreement file"),
    output: Path = typer.Option(..., "--output", "-o", help="ไฟล์ .xlsx ที่จะเขียน — the workbook to write"),
    password: str = typer.Option(None, "--password", help=PASSWORD_HELP),
    lang: str = typer.Option("th", "--lang", help=LANG_HELP),
    sign_key: Path = typer.Option(None, "--sign-key", help=SIGN_HELP),
):
    """เอกสารสรุปรายละเอียดตัวชี้วัด — write the KPI Template workbook."""
    from ..workbook.template import write_template

    _write_form(write_template, agreement, output, password, lang, sign_key)


def sar(
    agreement: Path = typer.Argument(..., help="ไฟล์คำรับรอง — the agreement file"),
    output: Path = typer.Option(..., "--output", "-o", help="ไฟล์ .xlsx ที่จะเขียน — the workbook to write"),
    password: str = typer.Option(None, "--password", help=PASSWORD_HELP),
    lang: str = typer.Option("th", "--lang", help=LANG_HELP),
    sign_key: Path = typer.Option(None, "--sign-key", help=SIGN_HELP),
):
    """SAR Card รอบ 6, 9, 12 เดือน — write the SAR Card workbook (scores are formulas)."""
    from ..workbook.sar import write_sar

    _write_form(write_sar, agreement, output, password, lang, sign_key)


def proposal(
    source: str = typer.Argument(..., help="กรอบการประเมินผล (ชื่อหรือไฟล์) หรือไฟล์คำรับรอง — a framework (name or file) or an agreement file"),
    output: Path = typer.Option(..., "--output", "-o", help="ไฟล์ .xlsx ที่จะเขียน — the workbook to write"),
    department_type: str = typer.Option("in_mission_group", "--department-type",
                                         help="in_mission_group | no_mission_group | under_minister"),
    governance_pilot: bool = typer.Option(False, "--governance-pilot", help="ส่วนราชการนำร่องธรรมาภิบาล (ตัวชี้วัด 5.3)"),
    password: str = typer.Option(None, "--password", help=PASSWORD_HELP),
    lang: str = typer.Option("th", "--lang", help=LANG_HELP),
):
    """แบบเสนอตัวชี้วัด — write the KPI proposal form a department fills in Excel."""
    from ..framework import available_frameworks, load_framework, load_framework_for
    from ..model import DEPARTMENT_TYPES
    from ..workbook.proposal import draft_from_agreement, draft_from_framework, write_proposal

    lang = _lang(lang)
    if department_type not in DEPARTMENT_TYPES:
        typer.echo(f"--department-type: {' | '.join(DEPARTMENT_TYPES)}", err=True)
        raise typer.Exit(EXIT_USAGE)
    path = Path(source)
    if path.suffix.lower() in (".yaml", ".yml", ".json") and path.exists() and source not in available_frameworks():
        from ..agreement import load

        loaded, _findings = load(path)
        if loaded is not None and loaded.department:  # an agreement; a framework file does not load as one
            framework, _fw_findings = load_framework_for(loaded)
            draft, open_ids = draft_from_agreement(loaded, framework)
            typer.echo(write_proposal(draft, output, open_ids, _password(password), lang))
            return
    framework, findings = load_framework(source)
    if framework is None:
        print_findings(findings)
        raise typer.Exit(EXIT_FINDINGS if path.exists() else EXIT_USAGE)
    draft, open_ids = draft_from_framework(framework, department_type, governance_pilot)
    typer.echo(write_proposal(draft, output, open_ids, _password(password), lang))


def agreement_import(
    workbook: Path = typer.Argument(..., help="แบบเสนอตัวชี้วัดที่กรอกแล้ว — the filled proposal form (.xlsx)"),
    output: Path = typer.Option(..., "--output", "-o", help="ไฟล์คำรับรอง .yaml/.json ที่จะเขียน — the agreement file to write"),
    as_json: bool = typer.Option(False, "--json"),
):
    """อ่านแบบเสนอตัวชี้วัดเป็นไฟล์คำรับรอง — read a filled proposal form into an agreement file."""
    from ..workbook.proposal_import import import_proposal

    if not workbook.exists():
        typer.echo(f"ไม่พบไฟล์ / file not found: {workbook}", err=True)
        raise typer.Exit(EXIT_USAGE)
    written, findings = import_proposal(workbook, output)
    if as_json:
        print_json({"file": str(workbook), "written": str(written) if written else None,
                    "findings": [f.to_dict() for f in findings]})
    else:
        print_findings(findings)
        if written:
            typer.echo(written)
    if written is None:
        raise typer.Exit(EXIT_FINDINGS)


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
