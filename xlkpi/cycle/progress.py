"""Rounds progress: which department has reported which round (6, 9, 12 months), and
which indicators are still missing a result.

An indicator needs a result in a round when it is applicable and not granted; a weighted
indicator needs one for every part (a missing part is listed as "<id> / <part name>").
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import GROUP, ROUNDS, WEIGHTED, Agreement


def missing_results(agreement: Agreement, round_: int) -> list[str]:
    """Ids (or "id / part") of indicators with no result for the round."""
    missing = []
    for indicator in agreement.leaves():
        if indicator.kind == GROUP or not indicator.applicable or indicator.granted or not indicator.weight:
            continue
        if indicator.kind == WEIGHTED:
            missing += [f"{indicator.id} / {p.name}" for p in indicator.parts if round_ not in p.result]
        elif round_ not in indicator.result:
            missing.append(indicator.id)
    return missing


def needed_count(agreement: Agreement) -> int:
    count = 0
    for indicator in agreement.leaves():
        if indicator.kind == GROUP or not indicator.applicable or indicator.granted or not indicator.weight:
            continue
        count += len(indicator.parts) if indicator.kind == WEIGHTED else 1
    return count


@dataclass(frozen=True)
class RoundProgress:
    department: str
    round: int
    needed: int  # results the round needs
    missing: list = field(default_factory=list)

    @property
    def reported(self) -> int:
        return self.needed - len(self.missing)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def status(self) -> str:
        if not self.missing:
            return "complete"
        return "none" if self.reported == 0 else "partial"


STATUS_TEXT = {"complete": "ครบ (complete)", "partial": "ยังไม่ครบ (partial)", "none": "ยังไม่รายงาน (none)"}


def round_progress(agreements, round_: int) -> list[RoundProgress]:
    return [RoundProgress(a.department, round_, needed_count(a), missing_results(a, round_)) for a in agreements]


def progress(agreements) -> dict:
    """{department: {round: RoundProgress}} for rounds 6, 9, 12."""
    agreements = list(agreements)
    return {a.department: {r: RoundProgress(a.department, r, needed_count(a), missing_results(a, r))
                           for r in ROUNDS} for a in agreements}


def write_progress(agreements, path) -> None:
    """The ministry progress workbook: a matrix of departments × rounds, then what is missing."""
    from openpyxl import Workbook

    from ._io import save_workbook

    from ..workbook.style import HEADER_FILL, PROBLEM_FILL, TOTAL_FILL, default_font, fill, font, put_text, setup_a4

    table = progress(agreements)
    wb = Workbook()
    default_font(wb)
    ws = wb.active
    ws.title = "ความก้าวหน้า"
    put_text(ws["A1"], "ความก้าวหน้าการรายงานผลรายรอบ — reporting progress by round")
    ws["A1"].font = font(bold=True, size=18)
    heads = ["ส่วนราชการ\ndepartment", "รอบ 6 เดือน\n6 months", "รอบ 9 เดือน\n9 months", "รอบ 12 เดือน\n12 months"]
    for col, head in enumerate(heads, start=1):
        cell = ws.cell(row=3, column=col)
        put_text(cell, head)
        cell.font = font(bold=True)
        cell.fill = fill(HEADER_FILL)
    row = 4
    for department, rounds in table.items():
        put_text(ws.cell(row=row, column=1), department)
        for col, r in enumerate((6, 9, 12), start=2):
            p = rounds[r]
            cell = ws.cell(row=row, column=col)
            put_text(cell, f"{p.reported}/{p.needed} {STATUS_TEXT[p.status]}")
            cell.fill = fill(TOTAL_FILL if p.complete else PROBLEM_FILL)
        row += 1
    row += 1
    put_text(ws.cell(row=row, column=1), "ตัวชี้วัดที่ยังไม่มีผล — indicators missing a result")
    ws.cell(row=row, column=1).font = font(bold=True)
    row += 1
    for col, head in enumerate(["ส่วนราชการ\ndepartment", "รอบ\nround", "ตัวชี้วัด\nindicator"], start=1):
        cell = ws.cell(row=row, column=col)
        put_text(cell, head)
        cell.font = font(bold=True)
        cell.fill = fill(HEADER_FILL)
    row += 1
    for department, rounds in table.items():
        for r, p in rounds.items():
            for missing in p.missing:
                put_text(ws.cell(row=row, column=1), department)
                ws.cell(row=row, column=2, value=r)
                put_text(ws.cell(row=row, column=3), missing)
                row += 1
    for col, width in zip("ABCD", (40, 24, 24, 24)):
        ws.column_dimensions[col].width = width
    setup_a4(ws, title_rows="3:3")
    save_workbook(wb, path)
