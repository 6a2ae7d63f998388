"""Rounds progress: which department has reported which round (6, 9, 12 months), and
which indicators are still missing a result.

An indicator needs a result in a round when it is applicable, not granted and reports in
that round (DOMAIN §6.5a, `report_rounds`); a weighted indicator needs one for every part
due (a missing part is listed as "<id> / <part name>").
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..glossary import ReportingStatus, ScoreRound
from ..model import GROUP, ROUNDS, WEIGHTED, Agreement, rounds_of


def _due_results(agreement: Agreement, round_: int):
    """(label, reported?) of every result due in the round (DOMAIN §6.5a): applicable,
    not granted, weighted leaves whose schedule includes the round; a weighted indicator
    needs one for every part due."""
    inherited = agreement.inherited_rounds()
    for indicator in agreement.leaves():
        if indicator.kind == GROUP or not indicator.applicable or indicator.granted or not indicator.weight:
            continue
        own = indicator.own_rounds(inherited[indicator.id])
        if indicator.kind == WEIGHTED:
            for part in indicator.parts:
                if round_ in rounds_of(part.report_rounds, own):
                    yield f"{indicator.id} / {part.name}", round_ in part.result
        elif round_ in own:
            yield indicator.id, round_ in indicator.result


def missing_results(agreement: Agreement, round_: int) -> list[str]:
    """Ids (or "id / part") of indicators due in the round with no result for it."""
    return [label for label, reported in _due_results(agreement, round_) if not reported]


def needed_count(agreement: Agreement, round_: int = 12) -> int:
    """Results due in the round."""
    return sum(1 for _ in _due_results(agreement, round_))


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
            return ReportingStatus.COMPLETE.value
        return (ReportingStatus.NONE if self.reported == 0 else ReportingStatus.PARTIAL).value


def round_progress(agreements, round_: int) -> list[RoundProgress]:
    return [RoundProgress(a.department, round_, needed_count(a, round_), missing_results(a, round_)) for a in agreements]


def progress(agreements) -> dict:
    """{department: {round: RoundProgress}} for rounds 6, 9, 12."""
    agreements = list(agreements)
    return {a.department: {r: RoundProgress(a.department, r, needed_count(a, r), missing_results(a, r))
                           for r in ROUNDS} for a in agreements}


def write_progress(agreements, path, approvals=None) -> None:
    """The ministry progress workbook: a matrix of departments × rounds, then what is missing;
    a second sheet with each department's scores per round (the weight each interim total
    covers, DOMAIN §6.5a) for both committees and OPDC, and the state of the approvals."""
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
            put_text(cell, f"{p.reported}/{p.needed} {ReportingStatus.label(p.status)}")
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
    _write_scores(wb.create_sheet("คะแนน"), agreements, approvals or {})
    save_workbook(wb, path)


def _write_scores(ws, agreements, approvals: dict) -> None:
    """Scores so far per department and round: total, the weight it covers, dimensions."""
    from ..engine import score_agreement
    from ..workbook.style import HEADER_FILL, TOTAL_FILL, fill, font, put_text, setup_a4
    from .approvals import FINAL, ROUND1, state_text

    put_text(ws["A1"], "สรุปผลคะแนนรายรอบ สำหรับคณะกรรมการกำกับฯ คณะกรรมการเจรจาฯ และ สำนักงาน ก.พ.ร. — "
                       "scores by round for both committees and OPDC")
    ws["A1"].font = font(bold=True, size=16)
    heads = ["ส่วนราชการ\ndepartment", "รอบ\nround", "คะแนนรวม\ntotal", "น้ำหนักที่รายงาน\nweight covered",
             "มิติ 1\ndim 1", "มิติ 2\ndim 2", "มิติ 3\ndim 3", "มิติ 4\ndim 4", "ไม่ได้รายงาน (คะแนนต่ำสุด)\nmissing, at the floor"]
    for col, head in enumerate(heads, start=1):
        cell = ws.cell(row=3, column=col)
        put_text(cell, head)
        cell.font = font(bold=True)
        cell.fill = fill(HEADER_FILL)
    row = 4
    for agreement in agreements:
        for round_ in ROUNDS:
            result = score_agreement(agreement, round_)
            values = [agreement.department, round_, result.total,
                      f"{result.covered_weight:g} ของ {result.full_weight:g} (of)",
                      *[result.dimensions[d] for d in "1234"],
                      ", ".join(i for i in result.to_dict()["missing"]) or "–"]
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=col)
                if isinstance(value, float):
                    cell.value = value
                    cell.number_format = "0.0000"
                elif isinstance(value, int):
                    cell.value = value
                else:
                    put_text(cell, value)
                cell.font = font(bold=col == 3)
            ws.cell(row=row, column=3).fill = fill(TOTAL_FILL)
            row += 1
    row += 1
    for key in (ROUND1, FINAL):
        th, en = state_text(approvals, key)
        put_text(ws.cell(row=row, column=1), ScoreRound.label(key))
        put_text(ws.cell(row=row, column=2), f"{th} — {en}")
        ws.cell(row=row, column=1).font = font(bold=True)
        row += 1
    for col, width in zip("ABCDEFGHI", (42, 7, 11, 16, 9, 9, 9, 9, 30)):
        ws.column_dimensions[col].width = width
    setup_a4(ws, landscape=True, title_rows="3:3")
