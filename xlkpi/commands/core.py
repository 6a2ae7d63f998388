"""Commands on agreement files: score, framework check, demo."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import EXIT_FINDINGS, load_agreement_or_exit, print_findings, print_json, round_option, round_or_exit


def register(app: typer.Typer) -> None:
    app.command("score")(score)
    framework_app = typer.Typer(help="กรอบการประเมินผล — framework definitions", no_args_is_help=True)
    framework_app.command("check")(framework_check)
    framework_app.command("list")(framework_list)
    app.add_typer(framework_app, name="framework")
    app.command("demo")(demo)


def score(
    agreement: Path = typer.Argument(..., help="ไฟล์คำรับรอง .yaml/.json — the agreement file"),
    round_: int = round_option(12),
    as_json: bool = typer.Option(False, "--json", help="พิมพ์ JSON หนึ่งออบเจ็กต์ — one JSON object on stdout"),
):
    """คำนวณคะแนน — score an agreement for a round."""
    from ..engine import score_agreement

    round_or_exit(round_)
    loaded = load_agreement_or_exit(agreement, as_json)
    result = score_agreement(loaded, round_)
    if as_json:
        print_json(result.to_dict())
        return
    from ..report_text import print_score_table

    print_score_table(loaded, result)


def framework_check(
    agreement: Path = typer.Argument(..., help="ไฟล์คำรับรอง — the agreement file"),
    framework: Optional[str] = typer.Option(None, "--framework", "-f",
                                            help="ชื่อหรือไฟล์กรอบการประเมิน — framework name or file"),
    as_json: bool = typer.Option(False, "--json"),
):
    """ตรวจว่าคำรับรองเป็นไปตามกรอบการประเมิน — check an agreement against its framework."""
    from ..framework import check_agreement, load_framework_for

    loaded = load_agreement_or_exit(agreement, as_json)
    spec, findings = load_framework_for(loaded, framework)
    if spec is not None:
        findings = findings + check_agreement(loaded, spec)
    findings = [f.located(file=str(agreement)) for f in findings]
    if as_json:
        print_json({"file": str(agreement), "framework": spec.name if spec else None,
                    "findings": [f.to_dict() for f in findings]})
    else:
        print_findings(findings, None)
        if not findings:
            typer.echo(f"ผ่าน — {agreement} fits framework {spec.name}")
    if any(f.is_error for f in findings):
        raise typer.Exit(EXIT_FINDINGS)


def framework_list():
    """รายชื่อกรอบการประเมินที่มี — the frameworks xlkpi knows (shipped, and $XLKPI_FRAMEWORKS)."""
    from ..framework import available_frameworks

    for name, path in available_frameworks().items():
        typer.echo(f"{name}\t{path}")


def demo(out: Path = typer.Option(Path("demo-output"), "--output", "-o", help="โฟลเดอร์ผลลัพธ์ — output folder")):
    """สาธิตทั้งวงจรกับกระทรวงตัวอย่าง — run the cycle on the built-in sample ministry."""
    from ..demo import run_demo

    raise typer.Exit(run_demo(out))
