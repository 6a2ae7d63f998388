"""One round's sheet of the SAR Card: the indicator rows, the totals, the milestones' words.

Every score is a formula (`sar_formulas`); the officer's cells are pale yellow and unlocked,
everything else locked.  A row whose inputs for this round (whether it is due, the round's
entries) are those of a round already written is copied from that sheet.
"""
from __future__ import annotations

from copy import copy
from functools import lru_cache

from ..glossary import Dimension
from ..model import GROUP, MILESTONE, THRESHOLD, WEIGHTED, Agreement
from . import measure, style
from .layout import (
    BELOW_LEVEL_1_CELL,
    FIRST_ROW,
    HEADER_ROW,
    HEADINGS,
    MET,
    NOT_MET,
    Col,
    column_index,
    column_letter,
    input_columns,
    round_sheet,
)
from .sar_formulas import row_formulas, total

#: Character units of the 16 pt default font; the round sheets print fitted to the width of
#: A4 landscape (about 72 %: body text about 11.5 pt on paper)
WIDTHS = {"A": 10, "B": 27, "C": 7, "D": 7, "E": 7, "F": 6, "G": 6, "H": 6, "I": 6, "J": 6,
          "K": 9, "L": 7, "M": 8, "N": 20, "O": 20}
WRAPPED = (Col.NAME, Col.UNIT, Col.RESULT, Col.EXPLANATION, Col.EVIDENCE)
BODY_SIZE = 16
NOT_DUE_TEXT = ("ไม่ต้องรายงาน", "not due")
NOT_DUE_COLUMNS = (Col.RESULT, Col.SCORE, Col.WEIGHTED)  # greyed on a not-due row

def _value(x):
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


@lru_cache(maxsize=1)
def _body_columns() -> tuple:
    """An indicator row's cells, left to right: (column, its number, wrapped, a score, greyed
    when not due, always text, the points its text has — 0 in a hidden column)."""
    return tuple(
        (column, column_index(column), column in WRAPPED, column in (Col.SCORE, Col.WEIGHTED),
         column in NOT_DUE_COLUMNS, column in (Col.EXPLANATION, Col.EVIDENCE, Col.NAME),
         0.0 if column in Col.HIDDEN else measure.text_area(WIDTHS.get(column)))
        for column in (Col.ID, Col.NAME, Col.UNIT, Col.WEIGHT, Col.BASELINE, *Col.CRITERIA, Col.RESULT,
                       Col.SCORE, Col.WEIGHTED, Col.EXPLANATION, Col.EVIDENCE, *Col.HIDDEN))


def _round_inputs(row, round_: int) -> tuple:
    """Everything an indicator row's cells in a round's sheet depend on besides the row itself:
    whether it is due, and the officer's entries for that round already in the agreement."""
    ind = row.indicator
    part = ind.parts[row.part] if row.is_part else None

    def frozen(value):
        return tuple(value) if isinstance(value, list) else value

    return (row.due(round_), frozen(part.result.get(round_)) if part else None, frozen(ind.result.get(round_)),
            ind.explanation.get(round_), ind.evidence.get(round_))


def _copy_row(source, ws, r: int) -> None:
    """An indicator row written for an earlier round whose inputs were the same: its cells,
    styles, notes and height, as they are (each sheet keeps its own cells and notes)."""
    from openpyxl.comments import Comment

    share = getattr(ws, "share_row", None)
    if share is not None:  # the audit's RecordingWorkbook: the same cells, not copies
        share(source, r, [index for _column, index, *_flags in _body_columns()])
        return
    for _column, index, *_flags in _body_columns():
        found = source._cells.get((r, index))
        if found is None:
            continue
        cell = ws.cell(row=r, column=index)
        cell._value, cell.data_type, cell._style = found._value, found.data_type, copy(found._style)
        if found.comment is not None:
            cell.comment = Comment(found.comment.text, found.comment.author)
    if r in source.row_dimensions and source.row_dimensions[r].height is not None:
        ws.row_dimensions[r].height = source.row_dimensions[r].height


def write_round_sheet(wb, agreement: Agreement, layout, round_: int, lang: str = style.DEFAULT_LANG,
                      cell_styles: dict | None = None, written: dict | None = None) -> None:
    """One round's sheet.  `cell_styles`: the workbook's style memo, shared by its round sheets;
    `written`: row -> (its round inputs, the sheet) of the rows written so far, so a row whose
    cells in this round would be the same as in an earlier one's is copied from there."""
    from openpyxl.styles import Protection
    from openpyxl.worksheet.cell_range import MultiCellRange
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(round_sheet(round_))
    unlocked = Protection(locked=False)
    border = style.thin_border()
    ws["A1"] = style.label(f"รายงานผลการดำเนินงานตามคำรับรอง (SAR Card) รอบ {round_} เดือน", f"round {round_} months", lang)
    ws["A1"].font = style.font(bold=True, size=style.TITLE_SIZE)
    style.put_text(ws["A2"], f"{agreement.department} · {agreement.ministry} · ปีงบประมาณ พ.ศ. {agreement.fiscal_year}")
    ws["A2"].font = style.font(bold=True)
    ws["A3"] = style.label("คะแนนเมื่อผลต่ำกว่าเกณฑ์ระดับ 1:", "score when short of level 1", lang)
    ws["A3"].font = style.font(italic=True)
    ws[BELOW_LEVEL_1_CELL] = agreement.below_level_1
    ws[BELOW_LEVEL_1_CELL].font = style.font(bold=True)
    ws["F3"] = style.label("ช่องสีเหลือง = ช่องกรอกข้อมูล", "yellow cells are for you to fill", lang)
    ws["F3"].font = style.font(italic=True, color="7F6000")
    for column, (th, en) in HEADINGS.items():
        cell = ws[f"{column}{HEADER_ROW}"]
        style.put_text(cell, style.label(th, en, lang, "\n"))
        cell.font = style.font(bold=True, size=BODY_SIZE)
        cell.fill = style.fill(style.HEADER_FILL)
        cell.alignment = style.wrap("center", "center")
        cell.border = border
    for column, width in WIDTHS.items():
        ws.column_dimensions[column].width = width
    for column in Col.HIDDEN:
        ws.column_dimensions[column].hidden = True

    numbers = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15",
                             allow_blank=True, showErrorMessage=True,
                             errorTitle="ต้องเป็นตัวเลข (number)",
                             error="กรุณากรอกผลเป็นตัวเลข — please type the result as a number")
    milestones = DataValidation(type="list", formula1=f'"{MET},{NOT_MET}"', allow_blank=True,
                                showErrorMessage=True, errorTitle="ผ่าน / ไม่ผ่าน",
                                error=f"เลือก {MET} หรือ {NOT_MET} — choose met or not met")
    ws.add_data_validation(numbers)
    ws.add_data_validation(milestones)
    # the cells each validation covers, given to it at once (openpyxl's `add` rescans its
    # ranges for every cell added: quadratic in the rows)
    number_cells: list = []
    milestone_cells: list = []
    input_fill = style.fill(style.INPUT_FILL)
    not_due_fill = style.fill(style.NOT_DUE_FILL)
    # (bold, wrapped, 4 decimals, input, quote prefix, not due) -> StyleArray (indexes into wb's style lists)
    cell_styles = {} if cell_styles is None else cell_styles

    written = {} if written is None else written
    for row in layout.rows:
        ind = row.indicator
        r = row.row
        part = ind.parts[row.part] if row.is_part else None
        inputs = set(input_columns(row, round_))
        signature = _round_inputs(row, round_)
        earlier = written.get(r)
        if earlier is not None and earlier[0] == signature:
            _copy_row(earlier[1], ws, r)
        else:
            _write_row(ws, row, round_, lang, inputs, cell_styles, border, unlocked, input_fill, not_due_fill)
            written[r] = (signature, ws)
        if part is None and ind.kind == MILESTONE and row.applicable and not ind.granted and row.due(round_):
            milestone_cells += [f"{column}{r}" for column in Col.CRITERIA[:len(ind.milestones)]]
        if Col.RESULT in inputs:
            number_cells.append(f"{Col.RESULT}{r}")

    for validation, refs in ((numbers, number_cells), (milestones, milestone_cells)):
        validation.sqref = MultiCellRange(" ".join(_runs(refs)))
    _write_totals(ws, layout, round_, lang, border)

    _write_milestone_texts(ws, agreement, layout, lang)
    ws.freeze_panes = f"C{FIRST_ROW}"
    # the indicator rows were measured as they were written: the others here
    body = {row.row for row in layout.rows}
    measure.fit_rows(ws, rows={r for r, _column in ws._cells if r not in body})
    style.setup_a4(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    ws.print_area = f"A1:{Col.EVIDENCE}{layout.last_row}"


def _write_row(ws, row, round_: int, lang: str, inputs: set, cell_styles: dict, border, unlocked, input_fill,
               not_due_fill) -> None:
    """One indicator row of a round's sheet: its values, formulas, styles, notes and height."""
    from openpyxl.comments import Comment

    ind = row.indicator
    r = row.row
    part = ind.parts[row.part] if row.is_part else None
    values = {
        Col.ID: row.label,
        Col.NAME: ("    " * row.depth) + (part.name if part else ind.name),
        Col.UNIT: part.unit if part else ind.unit,
        Col.WEIGHT: _value(part.weight if part else ind.weight),
        Col.SIGN: -1 if (part.direction if part else ind.direction) == "down" else 1,
        Col.INTERPOLATE: 1 if (part.interpolate if part else ind.interpolate) else 0,
    }
    if not part and ind.baseline:
        values[Col.BASELINE] = _value(ind.baseline[max(ind.baseline)])
    thresholds = (part.thresholds if part else
                  ind.composite_thresholds if ind.kind == WEIGHTED else
                  ind.thresholds if ind.kind == THRESHOLD else [])
    for column, threshold in zip(Col.CRITERIA, thresholds):
        # a blank level ("–") stays an empty cell: text there would make the
        # comparisons in the level formula #VALUE! in Excel and LibreOffice
        if threshold is not None:
            values[column] = _value(threshold)
    if not row.applicable and not part:
        values[Col.RESULT] = "ไม่ประเมิน (n/a)"
        note = f"น้ำหนักย้ายไป {ind.moved_to} (weight moved to {ind.moved_to})" if ind.moved_to else ""
        values[Col.EXPLANATION] = note
    elif not row.due(round_):
        values[Col.RESULT] = style.label(*NOT_DUE_TEXT, lang)
    elif ind.granted and not part:
        values[Col.RESULT] = "ได้โดยปริยาย (granted)"
        values[Col.EXPLANATION] = ind.granted_reason
    # the officer's entries already in the agreement (none in a round the row is not due in)
    due = row.due(round_)
    if part is not None and due:
        if round_ in part.result:
            values[Col.RESULT] = _value(part.result[round_])
    elif part is None and due and row.applicable and not ind.granted:
        if ind.kind == THRESHOLD and round_ in ind.result:
            values[Col.RESULT] = _value(ind.result[round_])
        if ind.kind == MILESTONE and round_ in ind.result:
            for column, met in zip(Col.CRITERIA, ind.result[round_]):
                values[column] = MET if met else NOT_MET
        if round_ in ind.explanation:
            values[Col.EXPLANATION] = ind.explanation[round_]
        if round_ in ind.evidence:
            values[Col.EVIDENCE] = ind.evidence[round_]
    formulas = row_formulas(row, round_)
    values.update(formulas)

    not_due = row.applicable and not row.due(round_)
    bold = not part and ind.kind == GROUP
    need = 0.0  # the row's height: what measure.fit_rows finds, measured as the cells are written
    for column, index, wrapped, scored, greyable, text, area in _body_columns():
        cell = ws.cell(row=r, column=index)
        value = values.get(column)
        # only the generated formulas are formulas: agreement text (a unit "=1+1") stays text
        if column in formulas:
            cell.value = value
        elif text or isinstance(value, str):
            if value is not None:
                style.put_text(cell, value)
        elif value is not None:
            cell.value = value
        if area and value is not None:
            shown = measure.display_text(value, column in formulas, "0.0000" if scored else None)
            if shown:
                need = max(need, measure.text_height(shown, BODY_SIZE, bold, wrapped, area))
        # openpyxl hashes every style object it is given; build each combination once and
        # copy it (a 1,700-row SAR Card took a minute, nearly all of it here)
        key = (bold, wrapped, scored, column in inputs, cell.quotePrefix, not_due and greyable)
        if key in cell_styles:
            known = cell_styles[key]
            # openpyxl's StyleArray is each cell's own, to change in place; a recording's is a tuple
            cell._style = known if known.__class__ is tuple else copy(known)
            continue
        cell.font = style.font(bold=bold, size=BODY_SIZE)
        cell.border = border
        cell.alignment = style.wrap() if wrapped else style.top()
        if scored:
            cell.number_format = "0.0000"
        if column in inputs:
            cell.protection = unlocked
            cell.fill = input_fill
        elif not_due and greyable:
            cell.fill = not_due_fill
        cell_styles[key] = copy(cell._style)
    if need:
        ws.row_dimensions[r].height = need
    if part is None and ind.kind == MILESTONE and row.applicable and not ind.granted and row.due(round_):
        for column, text in zip(Col.CRITERIA, ind.milestones):
            ws[f"{column}{r}"].comment = Comment(f"ขั้นตอนที่ {Col.CRITERIA.index(column) + 1}: {text}", "xlkpi")
    if Col.RESULT in inputs and (row.is_part or ind.kind == THRESHOLD):
        ws[f"{Col.RESULT}{r}"].number_format = "General"


def _write_totals(ws, layout, round_: int, lang: str, border) -> None:
    """The dimension totals, then the department's."""
    # totals: per dimension, then the department
    # the weight column of a total is the weight due in this round (DOMAIN §6.5a: an interim
    # total says what weight it covers, "3.21 on 64 of 100")
    for dimension, r in layout.dimension_rows.items():
        th, en = Dimension.th_en(dimension)
        style.put_text(ws[f"{Col.NAME}{r}"], style.label(f"รวม{th}", en, lang))
        ws[f"{Col.WEIGHT}{r}"] = _value(layout.covered_weight(round_, dimension))
        ws[f"{Col.WEIGHTED}{r}"] = total([row.row for row in layout.leaf_rows(dimension)])
    r = layout.total_row
    covered = layout.covered_weight(round_)
    full = layout.full_weight()
    if covered < full - 1e-9:
        label = style.label(f"คะแนนรวม จากน้ำหนัก {_value(covered)} ของ {_value(full)}",
                            f"total on {_value(covered)} of {_value(full)}", lang)
    else:
        label = style.label("คะแนนรวมของส่วนราชการ (เต็ม 5)", "department total, out of 5", lang)
    style.put_text(ws[f"{Col.NAME}{r}"], label)
    ws[f"{Col.WEIGHT}{r}"] = _value(covered)
    ws[f"{Col.WEIGHTED}{r}"] = total([row.row for row in layout.leaf_rows()])
    for r in (*layout.dimension_rows.values(), layout.total_row):
        for column in (Col.NAME, Col.WEIGHT, Col.WEIGHTED):
            cell = ws[f"{column}{r}"]
            cell.font = style.font(bold=True, size=BODY_SIZE)
            cell.alignment = style.wrap()
            cell.fill = style.fill(style.TOTAL_FILL)
            cell.border = border
        ws[f"{Col.WEIGHTED}{r}"].number_format = "0.0000"


def _runs(refs: list) -> list:
    """Cell addresses as few rectangles: runs of consecutive rows per column, then neighbouring
    columns with the same run side by side: ["F7", "G7", "F8", "G8", "K10"] -> ["F7:G8", "K10"]
    (what a validation covers, as Excel would write it)."""
    by_column: dict = {}
    for ref in refs:
        letters = ref.rstrip("0123456789")
        by_column.setdefault(column_index(letters), []).append(int(ref[len(letters):]))
    spans: dict = {}  # (first row, last row) -> columns
    for column, rows in by_column.items():
        rows = sorted(set(rows))
        start = previous = rows[0]
        for row in rows[1:] + [None]:
            if row is not None and row == previous + 1:
                previous = row
                continue
            spans.setdefault((start, previous), []).append(column)
            if row is not None:
                start = previous = row
    out = []
    for (first, last), columns in spans.items():
        columns.sort()
        left = right = columns[0]
        for column in columns[1:] + [None]:
            if column is not None and column == right + 1:
                right = column
                continue
            a, b = f"{column_letter(left)}{first}", f"{column_letter(right)}{last}"
            out.append(a if a == b else f"{a}:{b}")
            if column is not None:
                left = right = column
    return out


def _write_milestone_texts(ws, agreement: Agreement, layout, lang: str) -> None:
    """Each milestone indicator's five levels in words, below the totals, so they print."""
    if not layout.milestone_rows:
        return
    heading = layout.total_row + 2
    ws[f"{Col.ID}{heading}"] = style.label("ขั้นตอนของตัวชี้วัดระดับความสำเร็จ", "milestones", lang)
    ws[f"{Col.ID}{heading}"].font = style.font(bold=True, size=BODY_SIZE)
    by_id = {i.id: i for i in agreement.walk()}
    for indicator_id, r in layout.milestone_rows.items():
        indicator = by_id[indicator_id]
        ws[f"{Col.ID}{r}"] = indicator_id
        ws.merge_cells(f"{Col.NAME}{r}:{Col.EVIDENCE}{r}")
        cell = ws[f"{Col.NAME}{r}"]
        style.put_text(cell, "\n".join(f"ระดับ {n}: {text}" for n, text in enumerate(indicator.milestones, start=1)))
        cell.font = style.font(size=BODY_SIZE)
        cell.alignment = style.wrap()
        ws[f"{Col.ID}{r}"].font = style.font(size=BODY_SIZE)
        ws[f"{Col.ID}{r}"].alignment = style.top()
        for column in (Col.ID, Col.NAME):
            ws[f"{column}{r}"].border = style.thin_border()
