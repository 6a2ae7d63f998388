"""The `xlkpi` command line.  Each area of work registers its commands from
`xlkpi/commands/<area>.py`; heavy packages are imported inside the commands that use them.

Exit codes: 0 done, 1 the input has errors (findings say which), 2 a bad invocation.
"""
from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="xlkpi",
    help="คำรับรองการปฏิบัติราชการใน Excel — performance agreements in Excel: score, workbooks, audit, cycle.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: The command modules, one per area; each has register(app).
AREAS = ["core", "workbook", "audit", "excel", "cycle"]

for _area in AREAS:
    importlib.import_module(f"xlkpi.commands.{_area}").register(app)


if __name__ == "__main__":  # python -m xlkpi.cli
    app()
