"""The KPI Template workbook (เอกสารสรุปรายละเอียดตัวชี้วัด): one A4 page per indicator.

The department fills the descriptive fields (pale yellow); id, name, weight and scoring
criteria come from the negotiated agreement and are locked.
"""
from __future__ import annotations

import math
from pathlib import Path

from ..model import GROUP, MILESTONE, THRESHOLD, WEIGHTED, Agreement, Indicator
from . import style
from .layout import (
    BASELINE_COLUMNS,
    BASELINE_ROW,
    CRITERIA_ROW,
    KIND_TEMPLATE,
    PART_WEIGHT_COL,
    TEMPLATE_CRITERIA_COLUMNS,
    TEMPLATE_FIELDS,
    TEMPLATE_FIRST_ROW,
    quoted,
    template_name,
    template_sheet,
)
from .sar import CHARS_PER_WIDTH, KIND_TH, LINE_HEIGHT, _value, _write_cover, finish_workbook, save_workbook

DIRECTION_TH = {"up": "ค่ายิ่งสูงยิ่งดี (higher is better)", "down": "ค่ายิ่งต่ำยิ่งดี (lower is better)"}


def field_value(indicator: Indicator, field_: str):
    if field_ == "kind":
        return f"{KIND_TH[indicator.kind]} ({indicator.kind})"
    if field_ == "direction":
        return DIRECTION_TH[indicator.direction]
    if field_ == "weight":
        return _value(indicator.weight)
    obj = indicator
    for attr in field_.split("."):
        obj = getattr(obj, attr)
    return obj


def baseline_years(indicator: Indicator, fiscal_year: int) -> list:
    years = sorted(indicator.baseline)[-len(BASELINE_COLUMNS):]
    return years or [fiscal_year - 3, fiscal_year - 2, fiscal_year - 1]


def _write_indicator_sheet(wb, agreement: Agreement, indicator: Indicator, names: dict) -> None:
    from openpyxl.styles import Protection

    ws = wb.create_sheet(template_sheet(indicator.id))
    border = style.thin_border()
    unlocked = Protection(locked=False)
    input_fill = style.fill(style.INPUT_FILL)
    ws.column_dimensions["A"].width = 30
    for column in "BCDEFG":
        ws.column_dimensions[column].width = 15
    ws["A1"] = "เอกสารสรุปรายละเอียดตัวชี้วัด (KPI Template)"
    ws["A1"].font = style.font(bold=True, size=18)
    style.put_text(ws["A2"], f"{agreement.department} · ปีงบประมาณ พ.ศ. {agreement.fiscal_year}")
    ws["A2"].font = style.font(bold=True)

    def value_cell(row: int, value, is_input: bool, name: str | None = None):
        ws.merge_cells(f"B{row}:G{row}")
        cell = ws[f"B{row}"]
        if isinstance(value, str):
            style.put_text(cell, value)
        else:
            cell.value = value
        cell.font = style.font()
        cell.alignment = style.wrap()
        for column in "BCDEFG":
            ws[f"{column}{row}"].border = border
        if is_input:
            cell.protection = unlocked
            cell.fill = input_fill
        if name:
            names[name] = (ws.title, f"B{row}")
        return cell

    for index, (field_, th, en, is_input) in enumerate(TEMPLATE_FIELDS):
        row = TEMPLATE_FIRST_ROW + index
        label = ws[f"A{row}"]
        label.value = f"{th}\n({en})"
        label.font = style.font(bold=True, size=13)
        label.alignment = style.wrap()
        label.border = border
        value = field_value(indicator, field_)
        value_cell(row, value, is_input, template_name(indicator.id, field_))
        # LibreOffice prints wrapped cells at the default height, clipping the two-line
        # labels: give each row the lines its label (2) or value needs
        lines = max(2, math.ceil(len(str(value or "")) / (6 * 15 * CHARS_PER_WIDTH)))
        ws.row_dimensions[row].height = LINE_HEIGHT * lines + 3
        if is_input and field_ in ("definition", "formula", "rationale", "conditions", "evaluation",
                                   "evidence_expected", "data_source"):
            ws.row_dimensions[row].height = max(60, LINE_HEIGHT * lines + 3)

    # baseline: the last fiscal years' results
    ws[f"A{BASELINE_ROW}"] = "ข้อมูลพื้นฐาน (baseline), ปีงบประมาณ พ.ศ."
    ws[f"A{BASELINE_ROW}"].font = style.font(bold=True, size=13)
    ws[f"A{BASELINE_ROW + 1}"] = "ผล (result)"
    ws[f"A{BASELINE_ROW + 1}"].font = style.font(size=13)
    for column, year in zip(BASELINE_COLUMNS, baseline_years(indicator, agreement.fiscal_year)):
        head = ws[f"{column}{BASELINE_ROW}"]
        head.value = year
        head.font = style.font(bold=True)
        head.fill = style.fill(style.HEADER_FILL)
        cell = ws[f"{column}{BASELINE_ROW + 1}"]
        value = indicator.baseline.get(year)
        cell.value = _value(value) if value is not None else None
        cell.protection = unlocked
        cell.fill = input_fill
        head.border = cell.border = border
        names[template_name(indicator.id, f"baseline_{year}")] = (ws.title, f"{column}{BASELINE_ROW + 1}")

    # scoring criteria, levels 1..5
    ws[f"A{CRITERIA_ROW}"] = "เกณฑ์การให้คะแนน (scoring criteria)"
    ws[f"A{CRITERIA_ROW}"].font = style.font(bold=True, size=13)
    for level, column in enumerate(TEMPLATE_CRITERIA_COLUMNS, start=1):
        head = ws[f"{column}{CRITERIA_ROW}"]
        head.value = level
        head.font = style.font(bold=True)
        head.fill = style.fill(style.HEADER_FILL)
        head.alignment = style.wrap("center")
        head.border = border
    if indicator.kind == WEIGHTED:
        head = ws[f"{PART_WEIGHT_COL}{CRITERIA_ROW}"]
        head.value = "น้ำหนัก (Wi)"
        head.font = style.font(bold=True)
        head.fill = style.fill(style.HEADER_FILL)
    rows: list = []
    if indicator.kind == THRESHOLD:
        rows = [(indicator.name or indicator.id, indicator.thresholds, None)]
    elif indicator.kind == MILESTONE:
        rows = [("ขั้นตอน (milestones)", indicator.milestones, None)]
    elif indicator.kind == WEIGHTED:
        rows = [(f"{p.name} ({p.unit}{', ต่ำดี' if p.direction == 'down' else ''})", p.thresholds, p.weight)
                for p in indicator.parts]
        rows.append(("ค่าเฉลี่ยถ่วงน้ำหนัก (composite)", indicator.composite_thresholds, None))
    elif indicator.kind == GROUP:
        rows = [(f"{c.id} {c.name}", [], c.weight) for c in indicator.children]
    for offset, (label, values, weight) in enumerate(rows, start=1):
        row = CRITERIA_ROW + offset
        style.put_text(ws[f"A{row}"], label)
        ws[f"A{row}"].font = style.font(size=13)
        ws[f"A{row}"].alignment = style.wrap()
        ws[f"A{row}"].border = border
        ws.row_dimensions[row].height = LINE_HEIGHT * max(1, math.ceil(len(label) / (30 * CHARS_PER_WIDTH))) + 3
        for column, value in zip(TEMPLATE_CRITERIA_COLUMNS, values):
            cell = ws[f"{column}{row}"]
            if isinstance(value, str):
                style.put_text(cell, value)
            else:
                cell.value = "–" if value is None else _value(value)
            cell.font = style.font(size=12 if indicator.kind == MILESTONE else 14)
            cell.alignment = style.wrap("center" if indicator.kind != MILESTONE else "left")
            cell.border = border
        if weight is not None:
            ws[f"{PART_WEIGHT_COL}{row}"] = _value(weight)
            ws[f"{PART_WEIGHT_COL}{row}"].border = border
        if indicator.kind == MILESTONE:
            ws.row_dimensions[row].height = 110
    if indicator.granted:
        row = CRITERIA_ROW + len(rows) + 2
        style.put_text(ws[f"A{row}"], f"ได้คะแนนโดยปริยาย (granted): {indicator.granted_reason}")
        ws[f"A{row}"].font = style.font(italic=True)
    if not indicator.applicable:
        row = CRITERIA_ROW + len(rows) + 2
        ws[f"A{row}"] = f"ไม่ประเมิน (not applicable) — น้ำหนักย้ายไป {indicator.moved_to or '–'}"
        ws[f"A{row}"].font = style.font(italic=True)
    style.setup_a4(ws, landscape=False, fit_height=True)
    ws.print_area = f"A1:G{CRITERIA_ROW + len(rows) + 2}"


def build_template(agreement: Agreement, password: str = style.DEFAULT_PASSWORD, signer=None):
    from openpyxl import Workbook

    wb = Workbook()
    cover = _write_cover(wb, agreement, "KPI Template — เอกสารสรุปรายละเอียดตัวชี้วัด")
    cover.cell(row=11, column=1, value="ตัวชี้วัด (indicators)").font = style.font(bold=True, size=16)
    for n, indicator in enumerate(agreement.walk(), start=12):
        cell = cover.cell(row=n, column=1, value=indicator.id)
        cell.hyperlink = f"#{quoted(template_sheet(indicator.id))}!A1"
        cell.font = style.font(color="0563C1", underline="single")
        style.put_text(cover.cell(row=n, column=2), f"{indicator.name} — {_value(indicator.weight)}%")
        cover.cell(row=n, column=2).font = style.font()
    style.setup_a4(cover)
    names: dict = {}
    for indicator in agreement.walk():
        _write_indicator_sheet(wb, agreement, indicator, names)
    return finish_workbook(wb, agreement, names, KIND_TEMPLATE, password, signer)


def write_template(agreement: Agreement, path, password: str = style.DEFAULT_PASSWORD, signer=None) -> Path:
    return save_workbook(build_template(agreement, password, signer), path)
