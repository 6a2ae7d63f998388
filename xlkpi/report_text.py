"""Readable tables on the terminal (rich), Thai first.

Tables never cut a number: numbers (and indicator ids) are in columns that do not wrap or shrink
(`number_column`); names are in columns that wrap (`name_column`), so at 80 columns the names
give way first.  rich measures Thai combining marks (ั ิ ี ่ ้ …) as zero width (rich.cells.cell_len).
"""
from __future__ import annotations

from .engine import DepartmentScore
from .glossary import Dimension
from .model import Agreement


def fmt(value) -> str:
    return "–" if value is None else f"{value:.4f}"


def number_column(table, header: str, **options) -> None:
    """A right-aligned column that is never wrapped, shrunk or cut: as wide as its widest cell."""
    table.add_column(header, justify=options.pop("justify", "right"), no_wrap=True,
                     **options)


def name_column(table, header: str, max_width: int = 60, **options) -> None:
    """A column of names: wraps (folding a long Thai run) when the table is too wide."""
    table.add_column(header, max_width=max_width, overflow="fold", **options)


def print_score_table(agreement: Agreement, result: DepartmentScore, console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console(width=None if Console().is_terminal else 160)
    names = {i.id: i for i in agreement.walk()}
    table = Table(title=f"{agreement.department} — ปีงบประมาณ พ.ศ. {agreement.fiscal_year}, "
                        f"รอบ {result.round} เดือน (round {result.round})")
    number_column(table, "ตัวชี้วัด\nKPI", justify="left")
    name_column(table, "ชื่อ\nname")
    number_column(table, "มิติ\ndim")
    number_column(table, "น้ำหนัก\nweight")
    number_column(table, "คะแนน\nscore")
    number_column(table, "ถ่วงน้ำหนัก\nweighted")
    for s in result.indicators:
        indicator = names[s.id]
        depth = s.id.count(".")
        note = (" (ไม่ประเมิน n/a)" if not s.applicable else " (ไม่ต้องรายงานรอบนี้ not due)" if not s.due
                else " (ได้โดยปริยาย granted)" if s.granted
                else " (ไม่ได้รายงานผล: คะแนนต่ำสุด missing, scored at the floor)" if s.missing and not s.is_group
                else "")
        table.add_row(" " * depth + s.id, indicator.name + note, str(s.dimension),
                      f"{s.weight:g}", fmt(s.score), fmt(s.weighted))
    table.add_section()
    for d, value in result.dimensions.items():
        table.add_row("", f"รวม{Dimension.label(d)}", d, "", "", fmt(value))
    if result.is_partial:  # DOMAIN §6.5a: an interim total says what weight it covers
        label = (f"[bold]คะแนนรวม จากน้ำหนัก {result.covered_weight:g} ของ {result.full_weight:g} "
                 f"(total on {result.covered_weight:g} of {result.full_weight:g})[/bold]")
    else:
        label = "[bold]คะแนนรวม (total, out of 5)[/bold]"
    table.add_row("", label, "", f"{result.covered_weight:g}", "", f"[bold]{fmt(result.total)}[/bold]")
    console.print(table)
