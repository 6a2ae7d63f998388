"""Readable tables on the terminal (rich), Thai first."""
from __future__ import annotations

from .engine import DepartmentScore
from .model import Agreement

DIMENSION_NAMES = {
    "1": "ประสิทธิผล (effectiveness)",
    "2": "คุณภาพการให้บริการ (service quality)",
    "3": "ประสิทธิภาพ (efficiency)",
    "4": "การพัฒนาองค์การ (organisational development)",
}


def fmt(value) -> str:
    return "–" if value is None else f"{value:.4f}"


def print_score_table(agreement: Agreement, result: DepartmentScore, console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console(width=None if Console().is_terminal else 160)
    names = {i.id: i for i in agreement.walk()}
    table = Table(title=f"{agreement.department} — ปีงบประมาณ พ.ศ. {agreement.fiscal_year}, "
                        f"รอบ {result.round} เดือน (round {result.round})")
    table.add_column("ตัวชี้วัด\nKPI", no_wrap=True, min_width=9)
    table.add_column("ชื่อ\nname", max_width=60, overflow="ellipsis", no_wrap=True)
    table.add_column("มิติ\ndim", justify="right", no_wrap=True)
    table.add_column("น้ำหนัก\nweight", justify="right", no_wrap=True, min_width=7)
    table.add_column("คะแนน\nscore", justify="right", no_wrap=True, min_width=6)
    table.add_column("ถ่วงน้ำหนัก\nweighted", justify="right", no_wrap=True, min_width=8)
    for s in result.indicators:
        indicator = names[s.id]
        depth = s.id.count(".")
        note = (" (ไม่ประเมิน n/a)" if not s.applicable else " (ไม่ต้องรายงานรอบนี้ not due)" if not s.due
                else " (ได้โดยปริยาย granted)" if s.granted
                else " (ไม่ได้รายงานผล: คะแนนต่ำสุด missing, scored at the floor)" if s.missing and not s.is_group
                else "")
        table.add_row("  " * depth + s.id, indicator.name + note, str(s.dimension),
                      f"{s.weight:g}", fmt(s.score), fmt(s.weighted))
    table.add_section()
    for d, value in result.dimensions.items():
        table.add_row("", f"รวมมิติที่ {d} {DIMENSION_NAMES[d]}", d, "", "", fmt(value))
    if result.is_partial:  # DOMAIN §6.5a: an interim total says what weight it covers
        label = (f"[bold]คะแนนรวม จากน้ำหนัก {result.covered_weight:g} ของ {result.full_weight:g} "
                 f"(total on {result.covered_weight:g} of {result.full_weight:g})[/bold]")
    else:
        label = "[bold]คะแนนรวม (total, out of 5)[/bold]"
    table.add_row("", label, "", f"{result.covered_weight:g}", "", f"[bold]{fmt(result.total)}[/bold]")
    console.print(table)
