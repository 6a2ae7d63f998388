"""The ministry's results workbook and annual Final Report (DOMAIN §3 step 9, §2 May).

Sheets, Thai first with English beside, A4 landscape:

- สรุปผล (summary): departments by rank, final dimension scores and total, round-1 total,
  the change between them, round-1 rank, incentive tier; a bar chart of the totals
  (round 1 and final) and a stacked chart of each department's dimension profile.
- e-SAR: one row per indicator and department (id, name, weight, 12-month result, score,
  weighted score, final), in the order OPDC's e-SAR Card asks for them, ready to key.
- ทบทวน (reviews): each review request with its decision and the indicator's round-1 and
  final score.
- สิ่งจูงใจ (incentives): the allocation of the reward pool (marked a draft until OPDC has
  certified the final scores).
- ข้อเสนอ (proposals): the approval statement (the steps round-1 and final scores went
  through, with dates and references) and the working group's proposals for next year
  (ข้อเสนอแนวทางการดำเนินงาน, from ``proposals.txt`` in the ministry folder).
"""
from __future__ import annotations

from typing import Optional

from ..model import MILESTONE, WEIGHTED
from ..glossary import Decision, Dimension, ScoreRound


def _result_text(indicator, round_: int = 12) -> str:
    if indicator.is_group or not indicator.applicable:
        return ""
    if indicator.granted:
        return "ได้โดยปริยาย (granted)"
    if indicator.kind == MILESTONE:
        met = indicator.result.get(round_)
        return "" if met is None else f"ผ่าน {sum(1 for m in met if m)} ขั้น ({''.join('✓' if m else '✗' for m in met)})"
    if indicator.kind == WEIGHTED:
        values = [p.result.get(round_) for p in indicator.parts]
        return "; ".join("–" if v is None else f"{v:g}" for v in values)
    value = indicator.result.get(round_)
    return "" if value is None else f"{value:g}"


PROPOSALS_FILE = "proposals.txt"


def final_report_inputs(folder) -> dict:
    """The approvals and the working group's proposals a ministry folder holds, as keyword
    arguments of `write_final_report`."""
    from pathlib import Path

    from .approvals import load_approvals

    approvals, _ = load_approvals(folder)
    path = Path(folder) / PROPOSALS_FILE
    proposals = path.read_text(encoding="utf-8-sig").strip() if path.exists() else ""
    return {"approvals": approvals, "proposals": proposals}


def write_final_report(results, allocation, path, title: str = "", password: Optional[str] = None,
                       approvals: Optional[dict] = None, proposals: str = ""):
    """Write the Final Report workbook; `results` from xlkpi.cycle.results.compute_results,
    `allocation` from incentives.allocate (or None); `approvals` from approvals.load_approvals,
    `proposals` the working group's text (see `final_report_inputs`)."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    from ..workbook.style import (
        PROBLEM_FILL, TOTAL_FILL, default_font, fill, font, put_text, setup_a4, thin_border, wrap,
    )
    from ._io import heading_row, save_workbook

    results = sorted(results, key=lambda r: (r.rank, r.agreement.department))
    first = results[0].agreement if results else None
    ministry = first.ministry if first else ""
    year = first.fiscal_year if first else ""
    tiers = {r.department: r for r in allocation.rows} if allocation else {}

    wb = Workbook()
    default_font(wb)

    def cell(ws, row, col, value, number=False, bold=False, border=True, fmt="0.0000"):
        c = ws.cell(row=row, column=col)
        if number and value is not None:
            c.value = value
            c.number_format = fmt
            c.alignment = wrap("right", "center")
        else:
            put_text(c, "" if value is None else value)
            c.alignment = wrap("left", "center")
        c.font = font(bold=bold)
        if border:
            c.border = thin_border()
        return c

    def title_rows(ws, text):
        put_text(ws["A1"], text)
        ws["A1"].font = font(bold=True, size=18)
        put_text(ws["A2"], f"{ministry} ปีงบประมาณ พ.ศ. {year} (fiscal year {year})")
        ws["A2"].font = font(size=14)

    # -- summary ---------------------------------------------------------------------------
    ws = wb.active
    ws.title = "สรุปผล"
    title_rows(ws, title or "รายงานสรุปผลการประเมินผลการปฏิบัติราชการประจำปี — Final Report: ministry results")
    heads = ["อันดับ\nrank", "ส่วนราชการ\ndepartment"] + [f"{d.short_th}\n{d.short_en}" for d in Dimension] + [
        "คะแนนรวมรอบสุดท้าย\nfinal total", "คะแนนรวมรอบที่ 1\nround-1 total", "ผลต่าง\nchange",
        "อันดับรอบที่ 1\nround-1 rank", "ระดับ\ntier"]
    heading_row(ws, 4, heads, widths=[8, 40, 15, 15, 15, 17, 17, 17, 10, 12, 18])
    ws.row_dimensions[4].height = 66
    row = 4
    for r in results:
        row += 1
        ws.row_dimensions[row].height = 22
        cell(ws, row, 1, r.rank, number=True, fmt="0")
        cell(ws, row, 2, r.agreement.department)
        for col, d in enumerate("1234", start=3):
            cell(ws, row, col, r.final.dimensions[d], number=True)
        cell(ws, row, 7, r.final.total, number=True, bold=True).fill = fill(TOTAL_FILL)
        cell(ws, row, 8, r.round1.total, number=True)
        changed = cell(ws, row, 9, round(r.final.total - r.round1.total, 4), number=True)
        if r.final.total != r.round1.total:
            changed.fill = fill(PROBLEM_FILL)
        cell(ws, row, 10, r.rank_round1, number=True, fmt="0")
        tier = tiers.get(r.agreement.department)
        cell(ws, row, 11, f"{tier.tier} ({tier.tier_en})" if tier and tier.tier else "")
    last = row
    ws.print_title_rows = "4:4"
    if results:
        bar = BarChart()
        bar.type = "bar"  # horizontal: long Thai department names stay readable
        bar.title = "คะแนนรวม รอบที่ 1 และรอบสุดท้าย (totals)"
        bar.y_axis.title = "คะแนน (score)"
        bar.y_axis.scaling.min = 0
        bar.y_axis.scaling.max = 5
        bar.add_data(Reference(ws, min_col=7, max_col=8, min_row=4, max_row=last), titles_from_data=True)
        bar.set_categories(Reference(ws, min_col=2, min_row=5, max_row=last))
        bar.height, bar.width = max(9, 1.1 * len(results)), 16
        ws.add_chart(bar, f"B{last + 3}")
        profile = BarChart()
        profile.type = "bar"
        profile.grouping = "stacked"
        profile.overlap = 100
        profile.title = "คะแนนถ่วงน้ำหนักรายมิติ (dimension profile)"
        profile.x_axis.title = None
        profile.add_data(Reference(ws, min_col=3, max_col=6, min_row=4, max_row=last), titles_from_data=True)
        profile.set_categories(Reference(ws, min_col=2, min_row=5, max_row=last))
        profile.height, profile.width = max(9, 1.1 * len(results)), 16
        ws.add_chart(profile, f"G{last + 3}")
        row = last + 3 + max(19, int(2.3 * len(results)) + 1)
        note = ("คะแนนรอบที่ 1 = คะแนน 12 เดือนตามคำรับรองที่ลงนาม (รวมการเปลี่ยนแปลงที่อนุมัติ); รอบสุดท้าย = "
                "หลังผลการพิจารณาคำขอทบทวน — round 1: 12-month scores of the baseline agreement; final: after "
                "review decisions.  มิติ: " + "; ".join(f"{d.value} {d.both}" for d in Dimension))
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=11)
        cell(ws, row, 1, note, border=False)
        ws.row_dimensions[row].height = 42
    setup_a4(ws, landscape=True, fit_height=True)

    # -- e-SAR table -----------------------------------------------------------------------
    ws = wb.create_sheet("e-SAR")
    title_rows(ws, "ตารางสำหรับบันทึกระบบ e-SAR Card รอบ 12 เดือน (ผลรอบสุดท้าย) — e-SAR entry table, final")
    heading_row(ws, 4, ["ส่วนราชการ\ndepartment", "ตัวชี้วัด\nindicator", "ชื่อตัวชี้วัด\nname", "มิติ\ndim",
                        "น้ำหนัก\nweight", "ผลการดำเนินงาน\nresult", "ค่าคะแนนที่ได้\nscore",
                        "ค่าคะแนนถ่วงน้ำหนัก\nweighted", "หมายเหตุ\nnote"],
                widths=[24, 8, 44, 5, 8, 16, 11, 12, 30])
    ws.print_title_rows = "4:4"
    row = 4
    for r in results:
        scores = r.final.by_id()
        for indicator in r.agreement.walk():
            s = scores.get(indicator.id)
            row += 1
            cell(ws, row, 1, r.agreement.department)
            cell(ws, row, 2, indicator.id, bold=indicator.is_group)
            cell(ws, row, 3, "  " * indicator.id.count(".") + indicator.name, bold=indicator.is_group)
            cell(ws, row, 4, indicator.dimension, number=True, fmt="0")
            cell(ws, row, 5, indicator.weight, number=True, fmt="0.##")
            reviewed = [v for v in r.reviews if v.indicator == indicator.id and v.decision == "approved"
                        and v.round == 12]
            shown = _result_text(indicator)
            decided = reviewed[-1].effective[0] if reviewed else None
            if decided is not None:  # the result the committee decided, with the reported one beside
                shown = f"{decided:g} (เดิม {shown})" if shown else f"{decided:g}"
            cell(ws, row, 6, shown)
            cell(ws, row, 7, s.score if s else None, number=True)
            cell(ws, row, 8, s.weighted if s else None, number=True)
            cell(ws, row, 9, "ไม่ประเมิน (n/a)" if not indicator.applicable else
                 r.sources.get(indicator.id, ""))
        row += 1
        cell(ws, row, 3, f"รวม {r.agreement.department} (total)", bold=True)
        cell(ws, row, 5, sum(i.weight for i in r.agreement.indicators), number=True, fmt="0.##")
        cell(ws, row, 8, r.final.total, number=True, bold=True).fill = fill(TOTAL_FILL)
    setup_a4(ws, landscape=True)

    # -- reviews ---------------------------------------------------------------------------
    ws = wb.create_sheet("ทบทวน")
    title_rows(ws, "คำขอทบทวนผลการประเมินและผลการพิจารณา — review requests and decisions")
    heading_row(ws, 4, ["ส่วนราชการ\ndepartment", "คำขอที่\nno.", "ตัวชี้วัด\nindicator", "เหตุผล\nreason",
                        "ผลการพิจารณา\ndecision", "วันที่\ndate", "คะแนนรอบที่ 1\nround-1 score",
                        "คะแนนรอบสุดท้าย\nfinal score", "หมายเหตุ\nnote"],
                widths=[26, 7, 10, 40, 16, 12, 12, 12, 30])
    row = 4
    for r in results:
        before, after = r.round1.by_id(), r.final.by_id()
        for v in r.reviews:
            row += 1
            values = [r.agreement.department, v.number, v.indicator, v.reason, Decision.label(v.decision),
                      v.decided_on]
            for col, value in enumerate(values, start=1):
                cell(ws, row, col, value, number=isinstance(value, int), fmt="0")
            cell(ws, row, 7, before[v.indicator].score if v.indicator in before else None, number=True)
            cell(ws, row, 8, after[v.indicator].score if v.indicator in after else None, number=True)
            cell(ws, row, 9, v.note)
    if row == 4:
        cell(ws, 5, 1, "ไม่มีคำขอทบทวน — no review requests", border=False)
    setup_a4(ws, landscape=True)

    # -- incentives ------------------------------------------------------------------------
    ws = wb.create_sheet("สิ่งจูงใจ")
    title_rows(ws, "การจัดสรรสิ่งจูงใจ — incentive allocation")
    heading_row(ws, 4, ["ส่วนราชการ\ndepartment", "คะแนนรวม\nscore", "ระดับ\ntier", "มีสิทธิ์\neligible",
                        "จำนวนบุคลากร\nstaff", "อัตรา\nrate", "ส่วนแบ่งตามสัดส่วน\nexact share",
                        "จัดสรร (บาท)\namount (baht)"],
                widths=[30, 12, 22, 12, 14, 9, 18, 18])
    row = 4
    from .approvals import FINAL, ROUND1, STAGES, stage_text, state_text

    approvals = approvals or {}
    certified = any(step.stage == "certified" for step in approvals.get(FINAL, []))
    if allocation is not None:
        status = ("จัดสรรจากผลรอบสุดท้ายที่ ก.พ.ร. รับรองแล้ว — from the final scores OPDC certified" if certified else
                  "ร่าง: ผลรอบสุดท้ายยังไม่ได้รับการรับรองจาก ก.พ.ร. — DRAFT: the final scores are not certified yet")
        ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=8)
        cell(ws, 3, 1, status, bold=True, border=False).font = font(bold=True, color=None if certified else "C00000")
        for a in allocation.rows:
            row += 1
            cell(ws, row, 1, a.department)
            cell(ws, row, 2, a.score, number=True)
            cell(ws, row, 3, f"{a.tier} ({a.tier_en})" if a.tier else "")
            cell(ws, row, 4, "มีสิทธิ์ (yes)" if a.eligible else "ไม่มีสิทธิ์ (no)")
            cell(ws, row, 5, a.staff, number=True, fmt="#,##0")
            cell(ws, row, 6, a.rate, number=True, fmt="0.00")
            cell(ws, row, 7, float(a.exact), number=True, fmt="#,##0.00")
            cell(ws, row, 8, a.amount, number=True, fmt="#,##0", bold=True)
        row += 1
        cell(ws, row, 1, "รวม (total)", bold=True)
        cell(ws, row, 7, float(sum(a.exact for a in allocation.rows)), number=True, fmt="#,##0.00")
        cell(ws, row, 8, allocation.total, number=True, fmt="#,##0", bold=True).fill = fill(TOTAL_FILL)
        row += 1
        cell(ws, row, 1, "วงเงิน (pool)", bold=True)
        cell(ws, row, 8, allocation.pool, number=True, fmt="#,##0", bold=True)
        row += 2
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
        cell(ws, row, 1, "ส่วนแบ่ง = วงเงิน × อัตรา × บุคลากร ÷ Σ(อัตรา × บุคลากร) ของส่วนราชการที่มีสิทธิ์ "
                         "ปัดเป็นบาทเต็มด้วยวิธีเศษเหลือมากที่สุด ยอดรวมเท่ากับวงเงิน — share = pool × rate × staff "
                         "÷ Σ(rate × staff), whole baht by largest remainder; the total equals the pool.", border=False)
        ws.row_dimensions[row].height = 42
    else:
        cell(ws, 5, 1, "ไม่ได้กำหนดวงเงินสิ่งจูงใจ (incentives.pool) — no incentive pool set", border=False)
    setup_a4(ws, landscape=True)

    # -- approval statement and proposals ----------------------------------------------------
    ws = wb.create_sheet("ข้อเสนอ")
    title_rows(ws, "การให้ความเห็นชอบผลการประเมินและข้อเสนอแนวทางการดำเนินงาน — approvals and proposals")
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 90
    row = 4
    for key in (ROUND1, FINAL):
        th, en = state_text(approvals, key)
        label = ScoreRound.label(key)
        cell(ws, row, 1, label, bold=True, border=False)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        cell(ws, row, 2, f"สถานะ: {th} — state: {en}", bold=True, border=False)
        row += 1
        for step in approvals.get(key, []):
            s_th, s_en = stage_text(key, step.stage)
            cell(ws, row, 1, f"{STAGES[key].index(step.stage) + 1}. {step.stage}")
            cell(ws, row, 2, step.date)
            cell(ws, row, 3, f"{s_th} ({s_en})" + (f" — {step.ref}" if step.ref else ""))
            row += 1
        row += 1
    statement = ("คณะกรรมการกำกับการประเมินผลให้ความเห็นชอบผลการประเมินรอบสุดท้าย"
                 f"{'และสำนักงาน ก.พ.ร. รับรองผลแล้ว' if certified else ' (ยังไม่ได้รับการรับรองจากสำนักงาน ก.พ.ร.)'} "
                 "— the oversight committee approved the final scores"
                 f"{' and OPDC certified them' if certified else ' (not yet certified by OPDC)'}.")
    approved = any(step.stage == "approved" for step in approvals.get(FINAL, []))
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    cell(ws, row, 1, statement if approved else
         "ผลรอบสุดท้ายยังไม่ได้รับความเห็นชอบจากคณะกรรมการกำกับฯ — the final scores are not yet approved "
         "by the oversight committee.", bold=True, border=False)
    ws.row_dimensions[row].height = 42
    row += 2
    cell(ws, row, 1, "ข้อเสนอแนวทางการดำเนินงาน (the working group's proposals for next year)", bold=True,
         border=False)
    row += 1
    paragraphs = [p.strip() for p in proposals.split("\n\n") if p.strip()] if proposals else [
        f"ไม่มีข้อเสนอ ({PROPOSALS_FILE} ไม่มีในโฟลเดอร์กระทรวง) — no proposals ({PROPOSALS_FILE} is not in the folder)"]
    for paragraph in paragraphs:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        cell(ws, row, 1, " ".join(paragraph.split()), border=False)
        ws.row_dimensions[row].height = 21 * max(1, len(paragraph) // 110 + 1) + 4
        row += 1
    setup_a4(ws, landscape=True)

    wb.properties.title = f"Final Report {ministry} {year}"
    return save_workbook(wb, path)
