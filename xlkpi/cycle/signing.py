"""Signing the agreement (คำรับรอง, DOMAIN §3 step 3): who signs, and the printable document.

Who signs with whom (seed 000 §1.5.3):

    ministry                                   Prime Minister with the Minister
    mission group                              Minister and Permanent Secretary with the deputy PS heading the group
    department in a mission group              Permanent Secretary and the deputy PS heading the group with the department head
    department, no mission group / not in one  Permanent Secretary and a deputy PS with the department head
    department directly under the Minister     Minister and Permanent Secretary with the department head

The Office of the Permanent Secretary is a department whose head is the Permanent Secretary,
so the table's rows would have the PS sign on both sides.  Our choice (the seed is silent):
it signs with the Minister, like the departments the Minister negotiates with directly
(DOMAIN §3, 1.5.3), the Permanent Secretary signing as the head of the office.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..model import MILESTONE, THRESHOLD, WEIGHTED, Agreement

MINISTRY = "ministry"
MISSION_GROUP = "mission_group"
PS_OFFICE = "ps_office"  # the Office of the Permanent Secretary (สำนักงานปลัดกระทรวง)
LEVELS = (MINISTRY, MISSION_GROUP, "in_mission_group", "no_mission_group", "under_minister", PS_OFFICE)
PS_OFFICE_NAME = "สำนักงานปลัดกระทรวง"

#: Office key -> (Thai title, English title)
OFFICES = {
    "prime_minister": ("นายกรัฐมนตรี", "Prime Minister"),
    "minister": ("รัฐมนตรีว่าการกระทรวง", "Minister"),
    "permanent_secretary": ("ปลัดกระทรวง", "Permanent Secretary"),
    "group_deputy_ps": ("รองปลัดกระทรวงหัวหน้ากลุ่มภารกิจ", "Deputy Permanent Secretary heading the mission group"),
    "deputy_ps": ("รองปลัดกระทรวง", "Deputy Permanent Secretary"),
    "department_head": ("หัวหน้าส่วนราชการ", "Head of the department"),
}

#: Level -> (offices signing for the principal side, offices signing as the party bound)
SIGNATORIES = {
    MINISTRY: (("prime_minister",), ("minister",)),
    MISSION_GROUP: (("minister", "permanent_secretary"), ("group_deputy_ps",)),
    "in_mission_group": (("permanent_secretary", "group_deputy_ps"), ("department_head",)),
    "no_mission_group": (("permanent_secretary", "deputy_ps"), ("department_head",)),
    "under_minister": (("minister", "permanent_secretary"), ("department_head",)),
    PS_OFFICE: (("minister",), ("permanent_secretary",)),
}


def signing_level(agreement: Agreement) -> str:
    """The row of the table an agreement signs by: its department type, or `ps_office` for the
    Office of the Permanent Secretary (whose head is the PS)."""
    return PS_OFFICE if agreement.department.startswith(PS_OFFICE_NAME) else agreement.department_type


@dataclass(frozen=True)
class Signatory:
    office: str
    title_th: str
    title_en: str
    side: str  # "principal" (ผู้รับคำรับรอง) or "party" (ผู้ทำคำรับรอง)
    name: str = ""
    position: str = ""  # the position printed under the signature; defaults to the title


def signatories(level: str, settings=None, department: str = "", mission_group: str = "") -> list[Signatory]:
    """Who signs at a level (a department type or "ministry" / "mission_group"), with names and
    positions from the ministry settings where they are known."""
    if level not in SIGNATORIES:
        raise ValueError(f"unknown level {level!r}; one of {', '.join(LEVELS)}")
    principal, party = SIGNATORIES[level]
    out = []
    for side, offices in (("principal", principal), ("party", party)):
        for office in offices:
            th, en = OFFICES[office]
            known = _known(office, settings, department, mission_group)
            out.append(Signatory(office, th, en, side, known.name if known else "",
                                 (known.position if known and known.position else th)))
    return out


def _known(office: str, settings, department: str, mission_group: str):
    if settings is None:
        return None
    if office == "group_deputy_ps":
        return settings.mission_groups.get(mission_group)
    if office == "department_head":
        return settings.department_heads.get(department)
    return settings.officials.get(office)


@dataclass(frozen=True)
class Override:
    """Signing an agreement that fails its framework: the reason given, and what failed."""

    reason: str
    findings: tuple = ()  # the framework's error findings at signing

    def to_dict(self, agreement: Agreement) -> dict:
        return {"department": agreement.department, "fiscal_year": agreement.fiscal_year,
                "version": agreement.version, "reason": self.reason,
                "findings": [f.to_dict() for f in self.findings]}


def signing_findings(agreement: Agreement, framework: Optional[str] = None) -> list:
    """What stops an agreement being signed: every error of the framework check (the
    framework the agreement names, or the one for its fiscal year)."""
    from ..framework import check_agreement, load_framework_for

    loaded, findings = load_framework_for(agreement, framework)
    if loaded is None:
        return [f for f in findings if f.is_error]
    return [f for f in findings + check_agreement(agreement, loaded) if f.is_error]


def thai_period(fiscal_year: int) -> str:
    """'1 ตุลาคม 2551 ถึง 30 กันยายน 2552' for FY2552."""
    return f"1 ตุลาคม {fiscal_year - 1} ถึง 30 กันยายน {fiscal_year}"


def criteria_text(indicator) -> list[str]:
    """Levels 1–5 as printed: thresholds (with '–' for a blank level) or milestone text."""
    if indicator.granted:
        return ["ได้คะแนนโดยปริยาย (granted)"] + [""] * 4
    if indicator.kind == THRESHOLD:
        return ["–" if t is None else f"{t:g}" for t in indicator.thresholds] or [""] * 5
    if indicator.kind == MILESTONE:
        return [f"ขั้นตอนที่ {i}: {m}" for i, m in enumerate(indicator.milestones, start=1)]
    if indicator.kind == WEIGHTED:
        return ["–" if t is None else f"{t:g}" for t in indicator.composite_thresholds]
    return [""] * 5


def _row_height(values, widths) -> float:
    """Points for a row whose wrapped text must show whole (LibreOffice does not grow rows
    openpyxl wrote); about 1.1 Thai characters per unit of column width, 20 points a line."""
    import math

    lines = max((math.ceil(len(str(v)) / max(w * 1.1 - 2, 1)) for v, w in zip(values, widths) if v), default=1)
    return 20 * max(lines, 1) + 2


def write_agreement_document(agreement: Agreement, settings, path, password: Optional[str] = None,
                             override: Optional[Override] = None):
    """The printable คำรับรอง: heading, parties, period, indicators with weights and criteria
    1–5, and the signature block for the department's type.  A4 portrait, locked.  Signed
    despite failing its framework (`override`): the reason and the codes are printed above the
    signatures and kept in the document's properties."""
    from openpyxl import Workbook

    from ..workbook.style import (
        DEFAULT_PASSWORD, HEADER_FILL, TOTAL_FILL, default_font, fill, font, protect, put_text, setup_a4,
        thin_border, wrap,
    )
    from ._io import heading_row, save_workbook

    wb = Workbook()
    default_font(wb)
    ws = wb.active
    ws.title = "คำรับรอง"
    ministry = agreement.ministry or (settings.ministry if settings else "")
    widths = [8, 40, 7, 9, 11, 11, 11, 11, 11]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[chr(64 + col)].width = width

    def line(row: int, text: str, bold: bool = False, size: int = 16, align: str = "center", height=None):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
        cell = ws.cell(row=row, column=1)
        put_text(cell, text)
        cell.font = font(bold=bold, size=size)
        cell.alignment = wrap(align, "center")
        if height:
            ws.row_dimensions[row].height = height

    line(1, "คำรับรองการปฏิบัติราชการ", bold=True, size=20, height=32)
    line(2, "Performance agreement", size=14)
    line(3, f"{agreement.department} — {ministry}", bold=True)
    line(4, f"ประจำปีงบประมาณ พ.ศ. {agreement.fiscal_year} (fiscal year {agreement.fiscal_year})")
    signers = signatories(signing_level(agreement), settings, agreement.department, agreement.mission_group)
    principal = " และ ".join(s.title_th for s in signers if s.side == "principal")
    party = " และ ".join(s.title_th for s in signers if s.side == "party")
    line(6, f"1. คำรับรองระหว่าง {principal} ผู้รับคำรับรอง กับ {party} {agreement.department} ผู้ทำคำรับรอง "
            f"(between {' and '.join(s.title_en for s in signers if s.side == 'principal')} and the "
            f"{' and '.join(s.title_en for s in signers if s.side == 'party')})", size=14, align="left", height=42)
    line(7, f"2. คำรับรองนี้เป็นคำรับรองฝ่ายเดียว ไม่ใช่สัญญา ใช้สำหรับระยะเวลา 1 ปี ตั้งแต่วันที่ "
            f"{thai_period(agreement.fiscal_year)} (1 October – 30 September)", size=14, align="left", height=42)
    line(8, "3. รายละเอียดของคำรับรอง ได้แก่ ตัวชี้วัด น้ำหนัก และเกณฑ์การให้คะแนน ดังนี้ "
            "(indicators, weights and scoring criteria):", size=14, align="left", height=24)
    heads = ["ตัวชี้วัด\nid", "ชื่อตัวชี้วัด\nindicator", "มิติ\ndim", "น้ำหนัก\nweight",
             "ระดับ 1\nlevel 1", "ระดับ 2\nlevel 2", "ระดับ 3\nlevel 3", "ระดับ 4\nlevel 4", "ระดับ 5\nlevel 5"]
    heading_row(ws, 10, heads)
    ws.row_dimensions[10].height = 40
    row = 10
    total = 0.0
    inherited = agreement.inherited_rounds()
    for indicator in agreement.walk():
        row += 1
        depth = indicator.id.count(".")
        name = indicator.name + (f" ({indicator.unit})" if indicator.unit else "")
        if indicator.report_rounds:  # the agreed schedule (DOMAIN §6.5a), where it is not 6/9/12
            rounds = ", ".join(str(r) for r in indicator.own_rounds(inherited[indicator.id]))
            name += f" [รายงานผลรอบ {rounds} เดือน — reports at {rounds} months]"
        if not indicator.applicable:
            name += f" — ไม่ประเมิน น้ำหนักย้ายไป {indicator.moved_to} (not applicable)"
        levels = criteria_text(indicator) if not indicator.is_group else [""] * 5
        values = [indicator.id, "  " * depth + name, indicator.dimension, indicator.weight] + levels
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col)
            if isinstance(value, (int, float)):
                cell.value = value
                cell.number_format = "0.##"
            else:
                put_text(cell, value)
            cell.border = thin_border()
            cell.alignment = wrap("left" if col == 2 or indicator.kind == MILESTONE else "center")
            cell.font = font(bold=indicator.is_group, size=14)
        if indicator.is_group:
            for col in range(1, len(widths) + 1):
                ws.cell(row=row, column=col).fill = fill(HEADER_FILL)
        ws.row_dimensions[row].height = _row_height(values, widths)
        if indicator.parts:
            for part in indicator.parts:
                row += 1
                values = ["", f"    • {part.name} (Wi {part.weight:g}, {part.unit})", "", ""] + \
                         ["–" if t is None else f"{t:g}" for t in part.thresholds]
                for col, value in enumerate(values, start=1):
                    cell = ws.cell(row=row, column=col)
                    put_text(cell, value)
                    cell.border = thin_border()
                    cell.alignment = wrap("left" if col == 2 else "center")
                    cell.font = font(size=13, italic=True)
                ws.row_dimensions[row].height = _row_height(values, widths)
    total = sum(i.weight for i in agreement.indicators)
    row += 1
    put_text(ws.cell(row=row, column=2), "รวม (total)")
    ws.cell(row=row, column=4, value=total).number_format = "0.##"
    for col in range(1, len(widths) + 1):
        ws.cell(row=row, column=col).fill = fill(TOTAL_FILL)
        ws.cell(row=row, column=col).border = thin_border()
        ws.cell(row=row, column=col).font = font(bold=True)
    row += 2
    if override is not None:
        codes = ", ".join(sorted({f.code for f in override.findings})) or "–"
        line(row, f"หมายเหตุ: คำรับรองนี้ไม่เป็นไปตามกรอบการประเมินผล ({codes}) ลงนามโดยมีเหตุผลว่า: {override.reason} "
                  f"(signed although it does not fit its framework — {codes} — because: {override.reason})",
             bold=True, size=14, align="left", height=_row_height([override.reason * 2 + codes], [80]) + 20)
        ws.cell(row=row, column=1).font = font(bold=True, size=14, color="C00000")
        row += 2
    line(row, "4. ผู้รับคำรับรองและผู้ทำคำรับรองได้เข้าใจคำรับรองและเห็นพ้องกันแล้ว จึงได้ลงลายมือชื่อไว้เป็นสำคัญ "
              "(the parties have read and agree to this agreement and sign below)", size=14, align="left", height=42)
    row += 2
    # The signature block: principal side on the left, the party bound on the right.
    left = [s for s in signers if s.side == "principal"]
    right = [s for s in signers if s.side == "party"]
    block_start = row
    for column_start, column_end, people, label in ((1, 4, left, "ผู้รับคำรับรอง (principal)"),
                                                     (5, 9, right, "ผู้ทำคำรับรอง (party)")):
        r = block_start
        for person in people:
            for text, bold in ((f"ลงนาม ....................................... ({label})", False),
                               (f"({person.name or '.......................................'})", False),
                               (f"{person.position}", True),
                               (f"{person.title_en}", False),
                               ("วันที่ ........................................", False)):
                ws.merge_cells(start_row=r, start_column=column_start, end_row=r, end_column=column_end)
                cell = ws.cell(row=r, column=column_start)
                put_text(cell, text)
                cell.font = font(bold=bold, size=14)
                cell.alignment = wrap("center", "center")
                r += 1
            r += 1
    ws.print_area = f"A1:I{max(block_start + 6 * max(len(left), len(right)), row)}"
    setup_a4(ws, title_rows="10:10")
    protect(ws, password or (settings.password if settings else DEFAULT_PASSWORD))
    wb.properties.title = f"คำรับรองการปฏิบัติราชการ {agreement.department} {agreement.fiscal_year}"
    if override is not None:
        wb.properties.description = f"override: {override.reason}"
        wb.properties.keywords = " ".join(sorted({f.code for f in override.findings}))
    return save_workbook(wb, path)
