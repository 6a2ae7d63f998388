"""Workbook files as the Excel double's books, and its books back as files (openpyxl, lazily).

`snapshot_of(path)` is what desktop Excel would show of a file through xlwings: cached values as
COM gives them, formulas, locked cells, protection and its password hashes, defined names; a
plain dict (JSON-able but for dates), so the double itself loads nothing heavy.
"""
from __future__ import annotations

from ..workbook.layout import column_index as _col, column_letter as _letters

COM_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}




def snapshot_of(path) -> dict:
    """A workbook file as the double's book: cached values (as COM gives them), formulas,
    locked cells, protection, defined names."""
    from pathlib import Path

    from openpyxl import load_workbook

    path = Path(path)
    wb = load_workbook(path)
    cached = load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        cws = cached[ws.title]
        cells = []
        for row in ws.iter_rows():
            for cell in row:
                raw = cell.value
                formula = raw if isinstance(raw, str) and raw.startswith("=") else getattr(raw, "text", None)
                value = cws.cell(row=cell.row, column=cell.column).value
                locked = bool(cell.protection.locked)
                if raw is None and value is None and locked:
                    continue
                cells.append([cell.row, cell.column, _com(value), formula, locked])
        p = ws.protection
        sheets.append({"name": ws.title, "state": ws.sheet_state, "protected": bool(p.sheet),
                       "password_hash": p.password or "", "format_protected": bool(p.formatCells),
                       "cells": cells})
    security = wb.security
    return {"name": path.name, "fullname": str(path),
            "structure_locked": bool(security is not None and security.lockStructure),
            "structure_hash": (security.workbookPassword or "") if security is not None else "",
            "names": {n: "=" + (d.attr_text or "") for n, d in wb.defined_names.items()},
            "sheets": sheets}


def _com(value):
    """A stored value as xlwings gives it from COM."""
    import datetime

    if value in ("", None) or (isinstance(value, str) and value in COM_ERRORS):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime.time):
        return value.isoformat()
    return value  # text, and dates as datetime (xlwings converts COM dates)


def to_openpyxl(book):
    """A book of the double (e.g. the report) as an openpyxl Workbook, formats included."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in book.sheets:
        ws = wb.create_sheet(sheet.name)
        for (r, c), cell in sorted(sheet.cells.items()):
            target = ws.cell(row=r, column=c)
            target.value = cell.get("formula") or cell.get("value")
            if not cell.get("formula") and isinstance(target.value, str) and target.value.startswith("="):
                target.data_type = "s"  # text that looks like a formula stays text
            font = cell.get("font") or {}
            if font:
                target.font = Font(name=font.get("name"), size=font.get("size"), bold=font.get("bold"))
            if cell.get("color"):
                colour = cell["color"].lstrip("#").upper()
                target.fill = PatternFill("solid", start_color=colour, end_color=colour)
            if cell.get("wrap"):
                target.alignment = Alignment(wrap_text=True, vertical="top")
        for c, width in sheet.widths.items():
            ws.column_dimensions[_letters(c)].width = width
        setup = sheet.api.PageSetup.__dict__
        if setup.get("PaperSize") == 9:
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
        if setup.get("Orientation") == 2:
            ws.page_setup.orientation = "landscape"
        if setup.get("FitToPagesWide"):
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = setup["FitToPagesWide"]
            ws.page_setup.fitToHeight = 0 if setup.get("FitToPagesTall") is False else setup.get("FitToPagesTall", 1)
        if setup.get("PrintTitleRows"):
            ws.print_title_rows = setup["PrintTitleRows"].replace("$", "")
    return wb
