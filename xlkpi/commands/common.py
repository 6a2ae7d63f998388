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
