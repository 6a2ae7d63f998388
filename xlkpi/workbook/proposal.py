"""The proposal form: a department proposes its KPIs in Excel (DOMAIN §3 steps 2 and 4).

`write_proposal` writes a draft KPI Template for one department: a cover with the
department's details and one table, "ข้อเสนอตัวชี้วัด", a row per indicator.  The framework's
fixed indicators (1, 2, 5.1, 5.2, PMQA …) are prefilled with their official ids, names and
weights and locked; everything the department proposes is unlocked, validated and pale
yellow: names, units, weights the framework leaves open, kind, direction, criteria (numbers
for thresholds, texts for milestones), the parts of weighted indicators, three years of
baseline, definition, formula, data source, owner and collector with phones, rationale,
conditions, evaluation approach, evidence and the responsible unit.  Under each indicator
the framework fills with the department's own KPIs (3, 4, 5) there are `OPEN_SLOTS` rows;
rows left empty are not proposals.  `read_proposal` reads it back into an agreement with
findings naming the file, sheet and cell, the framework check included.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..glossary import Direction, IndicatorKind
from ..model import GROUP, MILESTONE, THRESHOLD, WEIGHTED, Agreement, Indicator
from . import measure, style
from .layout import COVER_SHEET, META_SHEET, column_letter, quoted

KIND_PROPOSAL = "proposal"
SHEET = "ข้อเสนอตัวชี้วัด"
OPEN_SLOTS = 10  # rows for the department's own KPIs under each of 3, 4, 5
PART_SLOTS = 5  # rows for the parts of a weighted indicator
HEADER_ROW = 4
PRINT_PAGES_ACROSS = 4
FIRST_ROW = 5
# what an officer picks from the lists: the glossary's Thai labels
KIND_LABELS = {kind: IndicatorKind(kind).th for kind in (THRESHOLD, MILESTONE)}
DIRECTION_LABELS = {d.value: d.th for d in Direction}
PART_KIND = "องค์ประกอบ"  # a part of a weighted indicator (its weight is Wi)

#: (key, Thai heading, English heading, width in character units)
COLUMNS = [
    ("id", "ตัวชี้วัดที่", "indicator", 6), ("name", "ชื่อตัวชี้วัด", "name", 24), ("unit", "หน่วยวัด", "unit", 8),
    ("weight", "น้ำหนัก (ร้อยละ) / Wi", "weight", 8), ("kind", "ลักษณะ", "kind", 10),
    ("direction", "ทิศทาง", "direction", 6),
    ("c1", "เกณฑ์ระดับ 1", "level 1", 10), ("c2", "เกณฑ์ระดับ 2", "level 2", 10), ("c3", "เกณฑ์ระดับ 3", "level 3", 10),
    ("c4", "เกณฑ์ระดับ 4", "level 4", 10), ("c5", "เกณฑ์ระดับ 5", "level 5", 10),
    ("b1", "ผลปี", "baseline", 7), ("b2", "ผลปี", "baseline", 7), ("b3", "ผลปี", "baseline", 7),
    ("definition", "คำอธิบาย", "definition", 20), ("formula", "สูตรการคำนวณ / โดยที่", "formula", 18),
    ("data_source", "แหล่งข้อมูล/วิธีการจัดเก็บข้อมูล", "data source", 16),
    ("owner.name", "ผู้กำกับดูแลตัวชี้วัด", "owner", 14), ("owner.phone", "โทรศัพท์", "phone", 10),
    ("collector.name", "ผู้จัดเก็บข้อมูล", "collector", 14), ("collector.phone", "โทรศัพท์", "phone", 10),
    ("rationale", "เหตุผล", "rationale", 16), ("conditions", "เงื่อนไข", "conditions", 14),
    ("evaluation", "แนวทางการประเมินผล", "evaluation approach", 16),
    ("evidence_expected", "เอกสาร/หลักฐาน", "evidence", 16),
    ("responsible_unit", "หน่วยงานผู้รับผิดชอบหลัก", "responsible unit", 14),
    ("report_rounds", "รอบที่รายงาน (เดือน)", "reporting rounds (months)", 9),
]
LETTER = {key: column_letter(n + 1) for n, (key, *_rest) in enumerate(COLUMNS)}
CRITERIA = ("c1", "c2", "c3", "c4", "c5")
BASELINE = ("b1", "b2", "b3")
TEXTS = ("definition", "formula", "data_source", "owner.name", "owner.phone", "collector.name", "collector.phone",
         "rationale", "conditions", "evaluation", "evidence_expected", "responsible_unit")
#: cover: (key, Thai, English, row); the department types its own details
COVER_FIELDS = [("ministry", "กระทรวง", "ministry", 3), ("department", "ส่วนราชการ", "department", 4),
                ("mission_group", "กลุ่มภารกิจ", "mission group", 5),
                ("split_reasons", "เหตุผลการกำหนดสัดส่วนน้ำหนักแต่ละมิติ", "reasons for the weight split", 9)]
COVER_FIXED = [("fiscal_year", "ปีงบประมาณ พ.ศ.", "fiscal year", 6),
               ("department_type", "ประเภทส่วนราชการ", "department type", 7),
               ("framework", "กรอบการประเมินผล", "framework", 8)]


@dataclass
class ProposalRow:
    row: int
    kind: str  # "fixed" (locked id, name, weight), "open" (the department's), "part", "group"
    id: str
    parent: str = ""  # the id of the row's indicator's parent ("" at the top); parts: their indicator
    part: int = -1
    indicator: Optional[Indicator] = None  # what the draft holds for this row


def proposal_rows(draft: Agreement, open_parents: set) -> list[ProposalRow]:
    """Every row of the table for a draft agreement, in order (the form's one layout)."""
    rows: list[ProposalRow] = []

    def add(kind, id_, **kw):
        rows.append(ProposalRow(FIRST_ROW + len(rows), kind, id_, **kw))

    # "5:3": the department's own KPIs under 5 are numbered after 5.3 (the framework's ids)
    after = {entry.partition(":")[0]: int(entry.partition(":")[2] or 0) for entry in open_parents}
    open_parents = set(after)

    def visit(ind: Indicator, parent: str, proposed: bool) -> None:
        if ind.kind == GROUP or ind.id in open_parents:
            add("group", ind.id, indicator=ind, parent=parent)
            for child in ind.children:
                visit(child, ind.id, child.id not in fixed_ids)
            if ind.id in open_parents:
                taken = [int(c.id.rsplit(".", 1)[1]) for c in ind.children if c.id.rsplit(".", 1)[-1].isdigit()]
                proposed_ids = {c.id for c in ind.children}
                n = max(taken + [after[ind.id]])
                while sum(1 for r in rows if r.parent == ind.id and r.kind == "open") < OPEN_SLOTS:
                    n += 1
                    if f"{ind.id}.{n}" not in proposed_ids:
                        add("open", f"{ind.id}.{n}", parent=ind.id)
            return
        # the department's own KPIs are editable; a weighted one keeps its structure
        add("open" if proposed and ind.kind != WEIGHTED else "fixed", ind.id, indicator=ind, parent=parent)
        if ind.kind == WEIGHTED:
            for n in range(max(PART_SLOTS, len(ind.parts))):
                add("part", f"{ind.id} ({n + 1})", parent=ind.id, part=n, indicator=ind)

    fixed_ids = {i.id for i in draft.walk() if i.id not in open_parents and not getattr(i, "_proposed", False)}
    for top in draft.indicators:
        visit(top, "", top.id not in fixed_ids)
    return rows


# --- drafts ------------------------------------------------------------------------------

def draft_from_framework(framework, department_type: str = "in_mission_group",
                         governance_pilot: bool = False) -> tuple[Agreement, set]:
    """A department's draft on a framework: fixed indicators with their names and weights,
    empty groups where the department proposes its own KPIs.  Returns (draft, open ids)."""
    not_taken = set(framework.not_taken.get(department_type, ()))
    open_ids: set = set()

    def make(fi, dimension: int) -> Optional[Indicator]:
        if fi.id in not_taken or (fi.only_if and not (fi.only_if == "governance_pilot" and governance_pilot)):
            return None
        dimension = fi.dimension or dimension
        weight = fi.weight.constant if fi.weight.is_fixed else 0.0
        children = [c for c in (make(child, dimension) for child in fi.children) if c is not None]
        if fi.department_kpis:
            numbers = [int(c.id.rsplit(".", 1)[1]) for c in fi.children if c.id.rsplit(".", 1)[1].isdigit()]
            open_ids.add(f"{fi.id}:{max(numbers)}" if numbers else fi.id)
        if children or fi.department_kpis:
            return Indicator(id=fi.id, name=fi.name_th, dimension=dimension, kind=GROUP, children=children,
                             weight=sum(c.weight for c in children))
        kind = fi.kind or (WEIGHTED if "ถ่วงน้ำหนัก" in fi.name_th else
                           MILESTONE if fi.name_th.startswith("ระดับความสำเร็จ") else THRESHOLD)
        indicator = Indicator(id=fi.id, name=fi.name_th, dimension=dimension, weight=weight, kind=kind,
                              unit="ระดับ" if kind != THRESHOLD else "")
        if fi.thresholds:
            indicator.thresholds = list(fi.thresholds)
        return indicator

    indicators = [i for i in (make(fi, fi.dimension) for fi in framework.indicators) if i is not None]
    year = framework.fiscal_years[0] if framework.fiscal_years else 0
    draft = Agreement(fiscal_year=year, ministry="", department="", department_type=department_type,
                      indicators=indicators, framework=framework.name, governance_pilot=governance_pilot)
    return draft, open_ids


def draft_from_agreement(agreement: Agreement, framework) -> tuple[Agreement, set]:
    """An agreement to revise: its indicators; those the framework leaves to the department
    stay editable."""
    draft = copy.deepcopy(agreement)
    for ind in draft.walk():  # a proposal is before signing: no results yet
        ind.result, ind.explanation, ind.evidence = {}, {}, {}
        for part in ind.parts:
            part.result = {}
    holders = [fi for fi in framework.walk() if fi.department_kpis] if framework else []
    open_ids = set()
    for fi in holders:
        numbers = [int(c.id.rsplit(".", 1)[1]) for c in fi.children if c.id.rsplit(".", 1)[1].isdigit()]
        open_ids.add(f"{fi.id}:{max(numbers)}" if numbers else fi.id)
    fixed = {fi.id for fi in framework.walk()} if framework else {i.id for i in draft.walk()}
    for ind in draft.walk():
        if ind.id not in fixed:
            ind._proposed = True
    return draft, open_ids


# --- writing -----------------------------------------------------------------------------

def _meta(wb, draft: Agreement, open_ids: set) -> None:
    """Very hidden: the kind, the open groups, the proposed rows and the draft (row 4, as
    `readback.read_meta` reads it), so the reader rebuilds the same rows."""
    from .. import agreement as agreement_io

    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "veryHidden"
    ws["A1"], ws["B1"] = "kind", KIND_PROPOSAL
    ws["A2"], ws["B2"] = "open", ",".join(sorted(open_ids))
    proposed = sorted(i.id for i in draft.walk() if getattr(i, "_proposed", False))
    ws["A3"], ws["B3"] = "proposed", ",".join(proposed)
    ws["A5"] = "report_rounds"
    for n, option in enumerate(ROUND_OPTIONS):
        ws.cell(row=5, column=2 + n, value=option)
    text = json.dumps(agreement_io.to_dict(draft), ensure_ascii=False, sort_keys=True)
    ws["A4"] = "draft"
    for n, start in enumerate(range(0, len(text), 30000)):
        style.put_text(ws.cell(row=4, column=2 + n), text[start:start + 30000])


def _validations(ws, rows: list[ProposalRow]):
    from openpyxl.worksheet.datavalidation import DataValidation

    def dv(**kw):
        item = DataValidation(allow_blank=True, showErrorMessage=True, **kw)
        ws.add_data_validation(item)
        return item

    return {
        "number": dv(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15",
                     errorTitle="ต้องเป็นตัวเลข", error="กรุณากรอกตัวเลข — please type a number"),
        "weight": dv(type="decimal", operator="between", formula1="0", formula2="100",
                     errorTitle="น้ำหนัก", error="น้ำหนักเป็นตัวเลข 0–100 — a weight from 0 to 100"),
        "kind": dv(type="list", formula1='"' + ",".join(KIND_LABELS.values()) + '"',
                   errorTitle="ลักษณะตัวชี้วัด", error="เลือกจากรายการ — choose from the list"),
        "direction": dv(type="list", formula1='"' + ",".join(DIRECTION_LABELS.values()) + '"',
                        errorTitle="ทิศทาง", error="เลือกจากรายการ — choose from the list"),
        # the options stand on the hidden sheet: a literal list cannot hold "6, 9, 12"
        "report_rounds": dv(type="list", formula1=f"{quoted(META_SHEET)}!$B$5:${column_letter(1 + len(ROUND_OPTIONS))}$5",
                            errorTitle="รอบที่รายงาน", error="เลือกจากรายการ — choose from the list"),
    }


#: The reporting rounds an officer chooses from (DOMAIN §6.5a); blank = 6, 9 and 12.
ROUND_OPTIONS = ("6, 9, 12", "9, 12", "6, 12", "12")


def rounds_text(report_rounds) -> str:
    """A row's own reporting rounds as the form shows them ("" = the default, or its indicator's)."""
    return ", ".join(str(r) for r in sorted(report_rounds)) if report_rounds else ""


def _row_values(r: ProposalRow, years: list) -> dict:
    ind = r.indicator
    if ind is None:
        return {"id": r.id}
    if r.kind == "part":
        part = ind.parts[r.part] if r.part < len(ind.parts) else None
        values = {"id": r.id, "kind": PART_KIND}
        if part is not None:
            values.update(name=part.name, unit=part.unit, weight=part.weight,
                          direction=DIRECTION_LABELS[part.direction])
            values.update({c: t for c, t in zip(CRITERIA, part.thresholds)})
            values["report_rounds"] = rounds_text(part.report_rounds)
        return values
    values = {"id": ind.id, "name": ind.name, "unit": ind.unit, "weight": ind.weight}
    if r.kind == "group":
        return {"id": ind.id, "name": ind.name, "kind": IndicatorKind(GROUP).th}
    values["kind"] = IndicatorKind(ind.kind).th
    values["report_rounds"] = rounds_text(ind.report_rounds)
    if ind.kind != WEIGHTED:  # a weighted indicator's parts carry the direction
        values["direction"] = DIRECTION_LABELS[ind.direction]
    if ind.kind == THRESHOLD:
        values.update({c: t for c, t in zip(CRITERIA, ind.thresholds)})
    elif ind.kind == MILESTONE:
        values.update({c: t for c, t in zip(CRITERIA, ind.milestones)})
    for field_ in TEXTS:
        obj = ind
        for attr in field_.split("."):
            obj = getattr(obj, attr)
        values[field_] = obj
    values.update({key: ind.baseline[year] for key, year in zip(BASELINE, years) if year in ind.baseline})
    return values


def build_proposal(draft: Agreement, open_ids: set, password: str = style.DEFAULT_PASSWORD,
                   lang: str = style.DEFAULT_LANG):
    from openpyxl import Workbook
    from openpyxl.styles import Protection
    from openpyxl.workbook.protection import WorkbookProtection

    wb = Workbook()
    style.default_font(wb)
    unlocked = Protection(locked=False)
    input_fill, border = style.fill(style.INPUT_FILL), style.thin_border()

    cover = wb.active
    cover.title = COVER_SHEET
    cover.column_dimensions["A"].width, cover.column_dimensions["B"].width = 20, 38
    cover.merge_cells("A1:B1")
    cover["A1"] = style.label("แบบเสนอตัวชี้วัดและเอกสารสรุปรายละเอียดตัวชี้วัด (ร่าง)", "KPI proposal, draft", lang)
    cover["A1"].font = style.font(bold=True, size=style.TITLE_SIZE)
    cover["A1"].alignment = style.wrap()
    fixed_values = {"fiscal_year": draft.fiscal_year, "framework": draft.framework,
                    "department_type": draft.department_type}
    for key, th, en, row in COVER_FIELDS + COVER_FIXED:
        cover[f"A{row}"] = style.label(th, en, lang)
        cover[f"A{row}"].font = style.font(bold=True)
        cover[f"A{row}"].alignment = style.wrap()
        cell = cover[f"B{row}"]
        value = fixed_values.get(key, getattr(draft, key, ""))
        style.put_text(cell, value) if isinstance(value, str) else setattr(cell, "value", value)
        cell.font, cell.alignment, cell.border = style.font(), style.wrap(), border
        if key not in fixed_values:
            cell.protection, cell.fill = unlocked, input_fill
    guide = ("กรอกข้อมูลในช่องสีเหลืองของแผ่นงาน “ข้อเสนอตัวชี้วัด” หนึ่งแถวต่อหนึ่งตัวชี้วัด; "
             "แถวที่ไม่กรอกชื่อตัวชี้วัดจะไม่ถือเป็นข้อเสนอ; ตัวชี้วัดตามกรอบการประเมินผลถูกล็อกไว้")
    cover.merge_cells("A11:B11")
    style.put_text(cover["A11"], guide)
    cover["A11"].alignment = style.wrap()
    cover["A11"].font = style.font()
    measure.fit_rows(cover)
    style.setup_a4(cover)

    ws = wb.create_sheet(SHEET)
    rows = proposal_rows(draft, open_ids)
    ws["A1"] = style.label("ข้อเสนอตัวชี้วัดของส่วนราชการ", "proposed indicators", lang)
    ws["A1"].font = style.font(bold=True, size=style.TITLE_SIZE)
    ws["A2"] = f"ปีงบประมาณ พ.ศ. {draft.fiscal_year}"
    ws["A2"].font = style.font(bold=True)
    ws["D2"] = style.label("ช่องสีเหลือง = ช่องกรอกข้อมูล", "yellow cells are for you to fill", lang)
    ws["D2"].font = style.font(italic=True, color="7F6000")
    years = [draft.fiscal_year - 3, draft.fiscal_year - 2, draft.fiscal_year - 1]
    for key, th, en, width in COLUMNS:
        letter = LETTER[key]
        ws.column_dimensions[letter].width = width
        heading = f"{th} {years[BASELINE.index(key)]}" if key in BASELINE else th
        cell = ws[f"{letter}{HEADER_ROW}"]
        style.put_text(cell, style.label(heading, en, lang, "\n"))
        cell.font, cell.fill = style.font(bold=True), style.fill(style.HEADER_FILL)
        cell.alignment, cell.border = style.wrap("center", "center"), border
    checks = _validations(ws, rows)
    for r in rows:
        values = _row_values(r, years)
        editable = _editable(r)
        for key, *_rest in COLUMNS:
            cell = ws[f"{LETTER[key]}{r.row}"]
            value = values.get(key)
            if key == "weight" and r.kind == "group":
                children = sorted(c.row for c in rows if c.parent == r.id and c.kind != "part")
                value = "=" + "+".join(f"{LETTER['weight']}{n}" for n in children) if children else 0
                cell.value = value
            elif isinstance(value, str):
                style.put_text(cell, value)
            elif value is not None:
                cell.value = value
            cell.font = style.font(bold=r.kind == "group")
            cell.alignment = style.wrap()
            cell.border = border
            if key in editable:
                cell.protection, cell.fill = unlocked, input_fill
                if key == "weight":
                    checks["weight"].add(cell.coordinate)
                elif key in BASELINE or (key in CRITERIA and values.get("kind") != KIND_LABELS[MILESTONE]
                                         and r.kind != "open"):
                    checks["number"].add(cell.coordinate)
                elif key in ("kind", "direction", "report_rounds"):
                    checks[key].add(cell.coordinate)
    total = total_row(rows)
    ws[f"{LETTER['name']}{total}"] = style.label("น้ำหนักรวม (ต้องเท่ากับ 100)", "total weight, must be 100", lang)
    tops = [r.row for r in rows if r.parent == "" and r.kind != "part"]
    ws[f"{LETTER['weight']}{total}"] = "=" + "+".join(f"{LETTER['weight']}{n}" for n in tops) if tops else 0
    for key in ("name", "weight"):
        ws[f"{LETTER[key]}{total}"].font = style.font(bold=True)
        ws[f"{LETTER[key]}{total}"].fill = style.fill(style.TOTAL_FILL)
    ws.freeze_panes = f"C{FIRST_ROW}"
    measure.fit_rows(ws)
    style.setup_a4(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    # 27 columns: printed four A4 widths across (about 85 %), the id and name on every page
    ws.page_setup.fitToWidth = PRINT_PAGES_ACROSS
    ws.print_title_cols = "A:B"
    ws.print_area = f"A1:{LETTER[COLUMNS[-1][0]]}{total}"
    _meta(wb, draft, open_ids)
    for sheet in wb.worksheets:
        style.protect(sheet, password)
    wb.security = WorkbookProtection(workbookPassword=password, lockStructure=True)
    return wb


def total_row(rows: list) -> int:
    """The row of the total weight, below the table."""
    return rows[-1].row + 2 if rows else FIRST_ROW


def _editable(r: ProposalRow) -> set:
    """The columns an officer types into on this row."""
    everything = {key for key, *_rest in COLUMNS} - {"id"}
    if r.kind == "group":
        return set()
    if r.kind == "part":
        return {"name", "unit", "weight", "direction", "report_rounds", *CRITERIA}
    if r.kind == "open":
        return everything
    ind = r.indicator
    editable = everything - {"name", "weight", "kind"}
    if ind is not None and ind.kind == WEIGHTED:
        editable -= {*CRITERIA, "direction"}  # its parts carry the criteria
    return editable


def write_proposal(draft: Agreement, path, open_ids: Optional[set] = None,
                   password: str = style.DEFAULT_PASSWORD, lang: str = style.DEFAULT_LANG) -> Path:
    from .sar import save_workbook

    if open_ids is None:
        open_ids = set()
    return save_workbook(build_proposal(draft, open_ids, password, lang), path)
