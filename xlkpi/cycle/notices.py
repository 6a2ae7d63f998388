"""The round-1 notice (DOMAIN §3 step 7): each department's round-1 scores, sent to it to
confirm or contest, with what it may contest and by when.

The deadline for review requests is our choice (the seeds are silent): the last day before
OPDC's ministry-level results are due to arrive (the calendar's ``opdc_round1`` window,
February), so the working group can analyse the requests and the negotiation committee
decide them before the final scores are drafted in March.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from ..engine import score_agreement
from ..model import Agreement
from .final_report import _result_text

#: Indicators whose department score comes from OPDC's ministry / mission-group results
#: (DOMAIN §3): a department contests those with OPDC, not the ministry.
OPDC_INDICATORS = ("1", "2")


def review_deadline(fiscal_year: int) -> date:
    """The last day a department may ask for a review of its round-1 scores."""
    from .calendar import milestones

    opdc = next(m for m in milestones(fiscal_year) if m.key == "opdc_round1")
    return opdc.start - timedelta(days=1)


def contestable(agreement: Agreement, round_: int = 12) -> list:
    """Indicators a department may ask to have reviewed: scored leaves of the round that are
    not granted and not taken from OPDC's results."""
    scores = score_agreement(agreement, round_).by_id()
    out = []
    for indicator in agreement.leaves():
        top = indicator.id.split(".")[0]
        s = scores[indicator.id]
        if s.score is None or indicator.granted or top in OPDC_INDICATORS:
            continue
        out.append(indicator)
    return out


def write_round1_notice(agreement: Agreement, path, approvals=None, settings=None) -> Path:
    """The printable notice of one department's round-1 scores (A4 portrait, locked)."""
    from openpyxl import Workbook

    from ..workbook.style import (
        DEFAULT_PASSWORD, TOTAL_FILL, default_font, fill, font, protect, put_text, setup_a4, thin_border, wrap,
    )
    from ._io import heading_row, save_workbook
    from .approvals import ROUND1, state_text
    from .calendar import thai_date

    result = score_agreement(agreement, 12)
    deadline = review_deadline(agreement.fiscal_year)
    wb = Workbook()
    default_font(wb)
    ws = wb.active
    ws.title = "แจ้งผลรอบที่ 1"
    widths = [9, 46, 9, 16, 11, 12]
    row = 1

    def line(text: str, bold: bool = False, size: int = 14, height: float = 24):
        nonlocal row
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
        cell = ws.cell(row=row, column=1)
        put_text(cell, text)
        cell.font = font(bold=bold, size=size)
        cell.alignment = wrap("left", "center")
        ws.row_dimensions[row].height = height
        row += 1

    line("แจ้งผลการประเมินผลการปฏิบัติราชการ รอบที่ 1", bold=True, size=18, height=30)
    line("Notice of round-1 performance scores", size=13)
    line(f"{agreement.department} — {agreement.ministry} ปีงบประมาณ พ.ศ. {agreement.fiscal_year}", bold=True)
    th, en = state_text(approvals or {}, ROUND1)
    line(f"สถานะผลรอบที่ 1: {th} — state: {en}", height=40)
    row += 1
    heading_row(ws, row, ["ตัวชี้วัด\nid", "ชื่อตัวชี้วัด\nindicator", "น้ำหนัก\nweight", "ผล 12 เดือน\nresult",
                          "คะแนน\nscore", "ถ่วงน้ำหนัก\nweighted"], widths=widths)
    ws.row_dimensions[row].height = 40
    heading = row
    scores = result.by_id()
    for indicator in agreement.walk():
        row += 1
        s = scores[indicator.id]
        note = " (ไม่ประเมิน n/a)" if not indicator.applicable else " (ได้โดยปริยาย granted)" if indicator.granted \
            else " (ไม่ได้รายงานผล คะแนนต่ำสุด — missing, floor)" if s.missing and not indicator.is_group else ""
        values = [indicator.id, "  " * indicator.id.count(".") + indicator.name + note, indicator.weight,
                  _result_text(indicator), s.score, s.weighted]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.value = value
                cell.number_format = "0.##" if col == 3 else "0.0000"
            else:
                put_text(cell, "" if value is None else value)
            cell.border = thin_border()
            cell.alignment = wrap("left" if col == 2 else "center", "center")
            cell.font = font(bold=indicator.is_group, size=13)
        ws.row_dimensions[row].height = 20 * max(1, len(values[1]) // 42 + 1) + 2
    row += 1
    ws.row_dimensions[row].height = 24
    for col, value in ((2, "คะแนนรวม (total, out of 5)"), (6, result.total)):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font = font(bold=True)
        cell.fill = fill(TOTAL_FILL)
        if col == 6:
            cell.number_format = "0.0000"
    row += 2
    ids = ", ".join(i.id for i in contestable(agreement)) or "–"
    line("ส่วนราชการอาจยืนยันผล หรือขอทบทวนผลการประเมินของตัวชี้วัดต่อไปนี้ (you may confirm these scores or ask "
         f"for a review of): {ids}", height=44)
    line("ตัวชี้วัดที่ 1 และ 2 ใช้ผลระดับกระทรวงและกลุ่มภารกิจจากสำนักงาน ก.พ.ร. และตัวชี้วัดที่ได้คะแนนโดยปริยาย "
         "ไม่อยู่ในการขอทบทวนกับกระทรวง (indicators 1 and 2 take OPDC's results; granted indicators are not "
         "reviewed by the ministry).", height=44)
    line(f"โปรดยื่นคำขอทบทวนพร้อมเหตุผลและหลักฐาน ภายในวันที่ {thai_date(deadline)} "
         f"(review requests with reasons and evidence by {deadline.isoformat()}); หากไม่ยื่นภายในกำหนด ถือว่ายืนยันผล "
         "(no request by then confirms the scores).", bold=True, height=44)
    ws.print_area = f"A1:F{row}"
    setup_a4(ws, title_rows=f"{heading}:{heading}")
    protect(ws, settings.password if settings else DEFAULT_PASSWORD)
    wb.properties.title = f"แจ้งผลรอบที่ 1 {agreement.department} {agreement.fiscal_year}"
    return save_workbook(wb, path)


def write_round1_notices(folder) -> list:
    """A notice per department of the folder: [(stem, path)] in reports/round1-notice-<stem>.xlsx."""
    from .approvals import load_approvals
    from .ministry import load_settings
    from .results import load_department_baselines

    pairs, _ = load_department_baselines(folder)
    approvals, _ = load_approvals(folder)
    settings, findings = load_settings(folder)
    if any(f.is_error for f in findings):
        settings = None
    out = []
    for stem, agreement in pairs:
        path = Path(folder) / "reports" / f"round1-notice-{stem}.xlsx"
        out.append((stem, write_round1_notice(agreement, path, approvals, settings)))
    return out
