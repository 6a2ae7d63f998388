"""What every command shares: printing findings, exit codes, loading agreements."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterable

import typer

from ..findings import Finding, has_errors

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

#: Environment variable naming the ministry folder, so it need not be typed in every command.
MINISTRY_ENV = "XLKPI_MINISTRY"
ROUNDS = (6, 9, 12)


def ministry_option(needed: bool = True):
    """The ministry folder, given the same way to every command: `-m/--ministry FOLDER`
    (or its ministry.yaml), else $XLKPI_MINISTRY, else — where a command needs one — the
    current folder."""
    return typer.Option(Path(".") if needed else None, "--ministry", "-m", envvar=MINISTRY_ENV,
                        help="โฟลเดอร์กระทรวงหรือ ministry.yaml (ค่าปริยาย: $XLKPI_MINISTRY"
                             + (" หรือโฟลเดอร์ปัจจุบัน" if needed else "") + ") — the ministry folder"
                             + (" (default: $XLKPI_MINISTRY, else the current folder)" if needed else ""))


def round_option(default=None, help_th: str = "รอบการประเมิน 6, 9 หรือ 12 เดือน", help_en: str = "the round: 6, 9 or 12"):
    """`-r/--round` wherever a round is meant; check it with `round_or_exit`."""
    return typer.Option(default, "--round", "-r", help=f"{help_th} — {help_en}")


def round_or_exit(round_) -> None:
    if round_ is not None and round_ not in ROUNDS:
        typer.echo(f"--round ต้องเป็น 6, 9 หรือ 12 / --round must be 6, 9 or 12, not {round_}", err=True)
        raise typer.Exit(EXIT_USAGE)


def print_findings(findings: Iterable[Finding], stream=None) -> None:
    stream = stream or sys.stderr
    for finding in findings:
        print(str(finding), file=stream)


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def load_agreement_or_exit(path: Path, as_json: bool = False):
    """Load an agreement file; on errors print the findings and exit 1."""
    from ..agreement import load

    if not path.exists():
        typer.echo(f"ไม่พบไฟล์ / file not found: {path}", err=True)
        raise typer.Exit(EXIT_USAGE)
    agreement, findings = load(path)
    if agreement is None or has_errors(findings):
        if as_json:
            print_json({"file": str(path), "findings": [f.to_dict() for f in findings]})
        else:
            print_findings(findings)
        raise typer.Exit(EXIT_FINDINGS)
    print_findings(findings)  # warnings only
    return agreement
