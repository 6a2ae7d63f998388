"""The KPI Template workbook (เอกสารสรุปรายละเอียดตัวชี้วัด): one sheet per indicator.

Each indicator prints in seed 004's order (DOMAIN §7, `layout.TEMPLATE_FIELDS`) on A4
portrait at 100 %, TH Sarabun New 16 pt, rows sized by the font's metrics (`measure`).
The department fills the descriptive fields (pale yellow); id, name, weight and scoring
criteria come from the negotiated agreement and are locked.  The proposal form
(`proposal.py`) is the same sheet with the proposed parts unlocked.
"""
from __future__ import annotations

from pathlib import Path

from ..glossary import WorkbookKind
from ..model import GROUP, MILESTONE, THRESHOLD, WEIGHTED, Agreement, Indicator
from . import measure, style
from .layout import (
    BASELINE_COLUMNS,
    BASELINE_ROW,
    CRITERIA_BLOCK,
    CRITERIA_ROW,
    EVALUATION_FIXED,
    EVALUATION_FIXED_ROW,
    KIND_TEMPLATE,
    MAX_TEMPLATE_PARTS,
    PART_WEIGHT_COL,
    TEMPLATE_CRITERIA_COLUMNS,
    TEMPLATE_FIELDS,
    TEMPLATE_LAST_COL,
    TEMPLATE_LAST_ROW,
    quoted,
    template_field_row,
    template_milestone_cell,
    template_name,
    template_sheet,
)
from .sar import _value, _write_cover, finish_workbook, save_workbook
#: A4 portrait, 100 %: 58 character units of TH Sarabun New 16 pt fit between the margins
WIDTHS = {"A": 17, "B": 7, "C": 7, "D": 7, "E": 7, "F": 7, "G": 6}
LONG_TEXT_FIELDS = ("definition", "formula", "conditions", "evaluation", "evidence_expected", "rationale",
                    "data_source")
INPUT_MIN_LINES = 2  # room to type in an empty long-text field


def field_value(indicator: Indicator, field_: str, lang: str = style.DEFAULT_LANG):
    from ..glossary import Dimension, Direction, IndicatorKind

    if field_ == "kind":
        return style.label(*IndicatorKind.th_en(indicator.kind), lang)
    if field_ == "direction":
        return style.label(*Direction.th_en(indicator.direction), lang)
    if field_ == "weight":
        return _value(indicator.weight)
    if field_ == "dimension":
        if str(indicator.dimension) not in Dimension.values():
            return str(indicator.dimension)
        return style.label(*Dimension.th_en(indicator.dimension), lang)
    obj = indicator
    for attr in field_.split("."):
        obj = getattr(obj, attr)
    return obj


def baseline_years(indicator: Indicator, fiscal_year: int) -> list:
    years = sorted(indicator.baseline)[-len(BASELINE_COLUMNS):]
    return years or [fiscal_year - 3, fiscal_year - 2, fiscal_year - 1]


class SheetWriter:
    """Writes one indicator's sheet; `inputs` says which fields an officer may change."""

    def __init__(self, ws, lang: str):
        from openpyxl.styles import Protection

        self.ws = ws
        self.lang = lang
        self.border = style.thin_border()
        self.unlocked = Protection(locked=False)
        self.input_fill = style.fill(style.INPUT_FILL)
        self.header_fill = style.fill(style.HEADER_FILL)

    def label(self, row: int, th: str, en: str = "", bold: bool = True, column: str = "A"):
        cell = self.ws[f"{column}{row}"]
        style.put_text(cell, style.label(th, en, self.lang, "\n"))
        cell.font = style.font(bold=bold)
        cell.alignment = style.wrap()
        cell.border = self.border
        return cell

    def merged(self, row: int, value, is_input: bool = False, first: str = "B", last: str = TEMPLATE_LAST_COL,
               bold: bool = False, horizontal: str = "left"):
        ws = self.ws
        if first != last:
            ws.merge_cells(f"{first}{row}:{last}{row}")
        cell = ws[f"{first}{row}"]
        if isinstance(value, str):
            style.put_text(cell, value)
        else:
            cell.value = value
        cell.font = style.font(bold=bold)
        cell.alignment = style.wrap(horizontal)
        columns = "ABCDEFG"
        for column in columns[columns.index(first):columns.index(last) + 1]:
            ws[f"{column}{row}"].border = self.border
        if is_input:
            self.make_input(cell)
        return cell

    def make_input(self, cell) -> None:
        cell.protection = self.unlocked
        cell.fill = self.input_fill

    def number(self, cell_ref: str, value, is_input: bool = False, heading: bool = False):
        cell = self.ws[cell_ref]
        if isinstance(value, str):
            style.put_text(cell, value)
        else:
            cell.value = value
        cell.font = style.font(bold=heading)
        cell.alignment = style.wrap("center")
        cell.border = self.border
        if heading:
            cell.fill = self.header_fill
        if is_input:
            self.make_input(cell)
        return cell


def write_indicator_sheet(wb, agreement: Agreement, indicator: Indicator, names: dict,
                          lang: str = style.DEFAULT_LANG, inputs: set | None = None,
                          criteria_inputs: bool = False):
    """One indicator's KPI Template sheet.  `inputs`: the fields an officer fills (default:
    those `TEMPLATE_FIELDS` marks); `criteria_inputs`: thresholds, milestones and part
    weights are the department's to propose (the proposal form)."""
    if indicator.kind == WEIGHTED and len(indicator.parts) > MAX_TEMPLATE_PARTS:
        raise ValueError(f"indicator {indicator.id}: {len(indicator.parts)} parts; a KPI Template holds "
                         f"at most {MAX_TEMPLATE_PARTS}")
    ws = wb.create_sheet(template_sheet(indicator.id))
    w = SheetWriter(ws, lang)
    inputs = {f for f, *_rest, is_input in TEMPLATE_FIELDS if is_input} if inputs is None else inputs
    for column, width in WIDTHS.items():
        ws.column_dimensions[column].width = width
    ws.merge_cells(f"A1:{TEMPLATE_LAST_COL}1")
    ws["A1"] = style.label(WorkbookKind.TEMPLATE.th, WorkbookKind.TEMPLATE.en, lang)
    ws["A1"].font = style.font(bold=True, size=style.TITLE_SIZE)
    ws["A1"].alignment = style.wrap("center")
    ws.merge_cells(f"A2:{TEMPLATE_LAST_COL}2")
    style.put_text(ws["A2"], f"{agreement.department} · ปีงบประมาณ พ.ศ. {agreement.fiscal_year}")
    ws["A2"].font = style.font(bold=True)
    ws["A2"].alignment = style.wrap("center")

    min_heights = {}
    for field_, th, en, _is_input in TEMPLATE_FIELDS:
        row = template_field_row(field_)
        w.label(row, th, en)
        is_input = field_ in inputs
        w.merged(row, field_value(indicator, field_, lang), is_input, bold=field_ in ("id", "name"))
        names[template_name(indicator.id, field_)] = (ws.title, f"B{row}")
        if is_input and field_ in LONG_TEXT_FIELDS:
            min_heights[row] = measure.height_for(INPUT_MIN_LINES)

    # evaluation approach, parts 2 and 3: seed 004's standard text
    for offset, (th, en, text) in enumerate(EVALUATION_FIXED):
        row = EVALUATION_FIXED_ROW + offset
        w.label(row, th, en)
        w.merged(row, text)

    # baseline: the last fiscal years' results
    w.label(BASELINE_ROW, "ข้อมูลพื้นฐาน ปีงบประมาณ พ.ศ.", "baseline, fiscal year")
    w.label(BASELINE_ROW + 1, "ผลการดำเนินงาน", "result", bold=False)
    for column, year in zip(BASELINE_COLUMNS, baseline_years(indicator, agreement.fiscal_year)):
        w.number(f"{column}{BASELINE_ROW}", year, heading=True)
        value = indicator.baseline.get(year)
        w.number(f"{column}{BASELINE_ROW + 1}", _value(value) if value is not None else None, is_input=True)
        names[template_name(indicator.id, f"baseline_{year}")] = (ws.title, f"{column}{BASELINE_ROW + 1}")

    used = _write_criteria(w, indicator, criteria_inputs)
    note = None
    if indicator.granted:
        note = f"ได้คะแนนโดยปริยาย: {indicator.granted_reason}"
    elif not indicator.applicable:
        note = f"ไม่ประเมิน — น้ำหนักย้ายไป {indicator.moved_to or '–'}"
    if note and used < CRITERIA_BLOCK:
        used += 1
        row = CRITERIA_ROW + used
        ws.merge_cells(f"A{row}:{TEMPLATE_LAST_COL}{row}")
        style.put_text(ws[f"A{row}"], note)
        ws[f"A{row}"].font = style.font(italic=True)
        ws[f"A{row}"].alignment = style.wrap()
    for row in range(CRITERIA_ROW + used + 1, CRITERIA_ROW + CRITERIA_BLOCK + 1):
        ws.row_dimensions[row].hidden = True

    measure.fit_rows(ws)
    for row, height in min_heights.items():
        ws.row_dimensions[row].height = max(height, ws.row_dimensions[row].height or 0)
    style.setup_a4(ws, landscape=False, title_rows="1:2")
    ws.print_area = f"A1:{TEMPLATE_LAST_COL}{TEMPLATE_LAST_ROW}"
    return ws


def _write_criteria(w: SheetWriter, indicator: Indicator, is_input: bool) -> int:
    """The criteria table below its heading; returns the rows it used."""
    ws = w.ws
    w.label(CRITERIA_ROW, "เกณฑ์การให้คะแนน", "scoring criteria")
    if indicator.kind in (THRESHOLD, WEIGHTED):
        for level, column in enumerate(TEMPLATE_CRITERIA_COLUMNS, start=1):
            w.number(f"{column}{CRITERIA_ROW}", level, heading=True)
        if indicator.kind == WEIGHTED:
            w.number(f"{PART_WEIGHT_COL}{CRITERIA_ROW}", style.label("น้ำหนัก", "Wi", w.lang), heading=True)
    elif indicator.kind == MILESTONE:
        w.merged(CRITERIA_ROW, style.label("ระดับความสำเร็จ / ขั้นตอน", "milestones", w.lang), bold=True)
    else:
        w.merged(CRITERIA_ROW, style.label("ตัวชี้วัดย่อย (น้ำหนักร้อยละ)", "sub-indicators", w.lang), bold=True)

    def thresholds(row: int, values, editable: bool) -> None:
        for column, value in zip(TEMPLATE_CRITERIA_COLUMNS, values or [None] * 5):
            if value is None and not editable:
                value = "–"
            w.number(f"{column}{row}", value if isinstance(value, str) or value is None else _value(value),
                     is_input=editable)

    first = CRITERIA_ROW + 1
    if indicator.kind == THRESHOLD:
        w.label(first, f"ค่าเป้าหมาย ({indicator.unit})" if indicator.unit else "ค่าเป้าหมาย", "target", bold=False)
        thresholds(first, indicator.thresholds, is_input)
        return 1
    if indicator.kind == MILESTONE:
        texts = list(indicator.milestones) + [""] * (5 - len(indicator.milestones))
        for level, text in enumerate(texts[:5], start=1):
            row = first + level - 1
            w.label(row, f"ระดับ {level}", f"level {level}", bold=False)
            cell_ref = template_milestone_cell(level)
            w.merged(int(cell_ref[1:]), text, is_input)
        return 5
    if indicator.kind == WEIGHTED:
        for offset, part in enumerate(indicator.parts):
            row = first + offset
            down = ", ต่ำดี" if part.direction == "down" else ""
            w.label(row, f"{part.name} ({part.unit}{down})", bold=False)
            thresholds(row, part.thresholds, is_input)
            w.number(f"{PART_WEIGHT_COL}{row}", _value(part.weight), is_input=is_input)
        row = first + len(indicator.parts)
        w.label(row, "ค่าเฉลี่ยถ่วงน้ำหนัก", "composite", bold=False)
        thresholds(row, indicator.composite_thresholds, False)
        return len(indicator.parts) + 1
    lines = "\n".join(f"{c.id} {c.name} ({_value(c.weight)})" for c in indicator.children)
    w.label(first, "ตัวชี้วัดย่อย", "sub-indicators", bold=False)
    w.merged(first, lines)
    return 1


def write_cover_index(cover, agreement: Agreement, lang: str, first_row: int = 11) -> int:
    """The list of indicators on a cover, each linked to its sheet; returns the last row."""
    cell = cover.cell(row=first_row, column=1, value=style.label("ตัวชี้วัด", "indicators", lang))
    cell.font = style.font(bold=True)
    row = first_row
    for row, indicator in enumerate(agreement.walk(), start=first_row + 1):
        cell = cover.cell(row=row, column=1, value=indicator.id)
        cell.hyperlink = f"#{quoted(template_sheet(indicator.id))}!A1"
        cell.font = style.font(color="0563C1", underline="single")
        cell.alignment = style.wrap()
        value = cover.cell(row=row, column=2)
        style.put_text(value, f"{indicator.name} (ร้อยละ {_value(indicator.weight)})")
        value.font = style.font()
        value.alignment = style.wrap()
    return row


def build_template(agreement: Agreement, password: str = style.DEFAULT_PASSWORD, lang: str = style.DEFAULT_LANG,
                   signer=None, workbook=None):
    """The KPI Template as an openpyxl Workbook (or written into `workbook`)."""
    from openpyxl import Workbook

    wb = workbook if workbook is not None else Workbook()
    cover = _write_cover(wb, agreement, style.label(WorkbookKind.TEMPLATE.th, WorkbookKind.TEMPLATE.en, lang), lang)
    write_cover_index(cover, agreement, lang)
    measure.fit_rows(cover)
    style.setup_a4(cover)
    names: dict = {}
    for indicator in agreement.walk():
        write_indicator_sheet(wb, agreement, indicator, names, lang)
    return finish_workbook(wb, agreement, names, KIND_TEMPLATE, password, signer, lang)


def write_template(agreement: Agreement, path, password: str = style.DEFAULT_PASSWORD,
                   lang: str = style.DEFAULT_LANG, signer=None) -> Path:
    return save_workbook(build_template(agreement, password, lang, signer), path)
