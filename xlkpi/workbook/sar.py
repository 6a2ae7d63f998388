"""The SAR Card workbook: one sheet per round (6, 9, 12 months), every score a formula.

An officer types results (or ticks milestones) into the pale-yellow cells and sees the score,
the weighted score and the totals at once; everything else is locked.
"""
from __future__ import annotations

import io
import json
from functools import lru_cache
from pathlib import Path

from .. import agreement as agreement_io
from ..model import ROUNDS, Agreement
from . import measure, style
from .layout import (
    COVER_SHEET,
    Col,
    KIND_SAR,
    LAYOUT_VERSION,
    META_SHEET,
    layout_names,
    quoted,
    round_sheet,
    sar_layout,
)
from .sar_sheet import _value, write_round_sheet

COVER_WIDTHS = {"A": 22, "B": 36}  # A4 portrait at 100 %
META_CHUNK = 30000  # characters per cell of the hidden agreement copy (Excel allows 32,767)


def agreement_without_results(agreement: Agreement) -> dict:
    """The agreement as signed: the canonical dict with results and round texts removed."""
    data = agreement_io.to_dict(agreement)

    def strip(indicator: dict) -> None:
        for key in ("result", "explanation", "evidence"):
            indicator.pop(key, None)
        for part in indicator.get("parts", []):
            part.pop("result", None)
        for child in indicator.get("children", []):
            strip(child)

    for indicator in data.get("indicators", []):
        strip(indicator)
    return data


def meta_text(agreement: Agreement) -> str:
    """The canonical agreement as the hidden sheet stores it (and as `xlkpi.keys` signs it)."""
    return json.dumps(agreement_without_results(agreement), ensure_ascii=False, sort_keys=True)


def signed_layout(lang: str = style.DEFAULT_LANG) -> str:
    """What the signature binds besides the agreement: the layout version and the language."""
    return f"{LAYOUT_VERSION} {lang}"


def write_meta(wb, agreement: Agreement, kind: str, signer=None, lang: str = style.DEFAULT_LANG) -> None:
    """A very hidden sheet with what the workbook was generated from.

    `signer(text, layout)` returns the signature (xlkpi.keys) of the canonical agreement and
    the layout (its version and language, B3 and B6), stored in B5; the audit believes none of
    it unless the signature verifies."""
    from .. import __version__

    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "veryHidden"
    ws["A1"], ws["B1"] = "kind", kind
    ws["A2"], ws["B2"] = "generator", f"xlkpi {__version__}"
    ws["A3"], ws["B3"] = "format", LAYOUT_VERSION
    text = meta_text(agreement)
    ws["A4"] = "agreement"
    for n, start in enumerate(range(0, len(text), META_CHUNK)):
        style.put_text(ws.cell(row=4, column=2 + n), text[start:start + META_CHUNK])
    if signer is not None:
        ws["A5"], ws["B5"] = "signature", signer(text, signed_layout(lang))
    ws["A6"], ws["B6"] = "lang", lang
    style.protect(ws)


def _department_type(agreement: Agreement, lang: str) -> str:
    from ..glossary import DepartmentType

    return style.label(*DepartmentType.th_en(agreement.department_type), lang)


def _write_cover(wb, agreement: Agreement, title: str, lang: str = style.DEFAULT_LANG):
    """The cover: title, then each label with its value on the same row (both top-aligned)."""
    ws = wb.active
    ws.title = COVER_SHEET
    for column, width in COVER_WIDTHS.items():
        ws.column_dimensions[column].width = width
    ws.merge_cells("A1:B1")
    ws["A1"] = title
    ws["A1"].font = style.font(bold=True, size=style.TITLE_SIZE + 2)
    ws["A1"].alignment = style.wrap()
    rows = [
        (("กระทรวง", "ministry"), agreement.ministry),
        (("ส่วนราชการ", "department"), agreement.department),
        (("ปีงบประมาณ พ.ศ.", "fiscal year, B.E."), agreement.fiscal_year),
        (("ประเภทส่วนราชการ", "department type"), _department_type(agreement, lang)),
        (("กลุ่มภารกิจ", "mission group"), agreement.mission_group or "–"),
        (("คะแนนเมื่อต่ำกว่าระดับ 1", "score below level 1"), agreement.below_level_1),
        (("ฉบับ", "version"), agreement.version or "–"),
    ]
    if agreement.signed_on:
        rows.append((("วันที่ลงนาม", "signed on"), style.thai_date(agreement.signed_on)))
    for n, ((th, en), value) in enumerate(rows, start=3):
        label = ws.cell(row=n, column=1)
        style.put_text(label, style.label(th, en, lang))
        label.font = style.font(bold=True)
        label.alignment = style.wrap()
        cell = ws.cell(row=n, column=2)
        if isinstance(value, str):
            style.put_text(cell, value)
        else:
            cell.value = value
        cell.font = style.font()
        cell.alignment = style.wrap()
    return ws


def build_sar(agreement: Agreement, password: str = style.DEFAULT_PASSWORD, lang: str = style.DEFAULT_LANG,
              signer=None, workbook=None):
    """The SAR Card as an openpyxl Workbook (or written into `workbook`, e.g. the audit's
    `RecordingWorkbook`)."""
    from openpyxl import Workbook

    layout = sar_layout(agreement)
    wb = workbook if workbook is not None else Workbook()
    cover = _write_cover(wb, agreement, style.label("รายงานผลการปฏิบัติราชการตามคำรับรอง (SAR Card)", "SAR Card", lang), lang)
    row = 11
    cover.cell(row=row, column=1, value=style.label("สรุปคะแนน", "summary", lang)).font = style.font(bold=True)
    for round_ in ROUNDS:
        row += 1
        covered, full = layout.covered_weight(round_), layout.full_weight()
        on_th = f" จากน้ำหนัก {_value(covered)} ของ {_value(full)}" if covered < full - 1e-9 else ""
        on_en = f" on {_value(covered)} of {_value(full)}" if covered < full - 1e-9 else ""
        label = cover.cell(row=row, column=1, value=style.label(f"คะแนนรวม รอบ {round_} เดือน{on_th}",
                                                                f"total, {round_} months{on_en}", lang))
        label.font = style.font()
        label.alignment = style.wrap()
        cell = cover.cell(row=row, column=2, value=f"={quoted(round_sheet(round_))}!{Col.WEIGHTED}{layout.total_row}")
        cell.number_format = "0.0000"
        cell.font = style.font(bold=True)
        cell.alignment = style.wrap("left")
    guide = [
        ("วิธีใช้", "how to use"),
        ("1. เลือกแผ่นงานของรอบที่รายงาน (6, 9 หรือ 12 เดือน)", "open the sheet of the round you report."),
        ("2. กรอกผลการดำเนินงานในช่องสีเหลือง ตัวชี้วัดแบบขั้นตอนให้เลือก ผ่าน/ไม่ผ่าน ทีละขั้น",
         "type results in the yellow cells; for milestones choose met / not met per level."),
        ("3. คะแนนคำนวณอัตโนมัติด้วยสูตร", "scores are computed by formulas as you type."),
        ("4. ช่องอื่นถูกล็อกไว้ตามคำรับรองที่ลงนาม", "every other cell is locked to the signed agreement."),
    ]
    for n, (th, en) in enumerate(guide, start=row + 2):
        cell = cover.cell(row=n, column=1)
        style.put_text(cell, style.label(th, en, lang, " — ") if lang == "th-en" else th)
        cell.font = style.font(bold=(n == row + 2))
        cover.merge_cells(start_row=n, start_column=1, end_row=n, end_column=2)
        cell.alignment = style.wrap()
    measure.fit_rows(cover)
    style.setup_a4(cover, landscape=False)

    cell_styles: dict = {}
    written: dict = {}
    for round_ in ROUNDS:
        write_round_sheet(wb, agreement, layout, round_, lang, cell_styles, written)
    return finish_workbook(wb, agreement, layout_names(layout), KIND_SAR, password, signer, lang)


@lru_cache(maxsize=16384)  # a thousand names a workbook, on the same cells in every workbook
def _absolute(cell: str) -> str:
    """A1 -> $A$1."""
    column = "".join(c for c in cell if c.isalpha())
    return f"${column}${cell[len(column):]}"


def finish_workbook(wb, agreement: Agreement, names: dict, kind: str, password: str, signer=None,
                    lang: str = style.DEFAULT_LANG):
    """What every generated workbook ends with: defined names, the hidden copy of the
    agreement, the Thai default font, and protection of every sheet and of the structure."""
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.workbook.protection import WorkbookProtection

    targets = {name: f"{quoted(sheet)}!{_absolute(cell)}" for name, (sheet, cell) in names.items()}
    if hasattr(wb, "record_names"):  # the audit's recording workbook keeps them as text
        wb.record_names(targets)
    else:
        for name, text in targets.items():
            wb.defined_names[name] = DefinedName(name, attr_text=text)
    write_meta(wb, agreement, kind, signer, lang)
    style.default_font(wb)
    for ws in wb.worksheets:
        style.protect(ws, password)
    wb.security = WorkbookProtection(workbookPassword=password, lockStructure=True)
    return wb


def save_workbook(wb, path) -> Path:
    """Save through a temporary file renamed into place."""
    buffer = io.BytesIO()
    wb.save(buffer)
    agreement_io.write_atomic(path, buffer.getvalue())
    return Path(path)


def write_sar(agreement: Agreement, path, password: str = style.DEFAULT_PASSWORD,
              lang: str = style.DEFAULT_LANG, signer=None) -> Path:
    return save_workbook(build_sar(agreement, password, lang, signer), path)
