"""The cells of a workbook as the content rules read them (`WorkbookData`).

A file is read by `ooxml.read_book` (read-only, no macros, both Open XML dialects); a live
Excel book by `xlkpi.excel.read_book`.  Both give the same `WorkbookData`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ..findings import Finding, error
from ..workbook.readback import check_container

CELL_RE = re.compile(r"([A-Z]+)(\d+)")


@dataclass
class WorkbookData:
    """A workbook as the audit sees it: the same for a file and for a live Excel book."""

    file: str
    sheetnames: list
    values: dict  # (sheet, "A1") -> stored (cached) value
    formulas: Optional[dict] = None  # (sheet, "A1") -> "=formula"; None when unavailable (live Excel)
    protected: Optional[dict] = field(default_factory=dict)  # sheet -> protection on; None = unknown (live book)
    structure_locked: Optional[bool] = None
    names: dict = field(default_factory=dict)  # defined name -> (sheet, "A1")
    hidden: dict = field(default_factory=dict)  # sheet -> state (visible / hidden / veryHidden)
    max_row: dict = field(default_factory=dict)  # sheet -> last row holding anything

    def get(self, sheet: str, cell: str):
        return self.values.get((sheet, cell))

    def formula(self, sheet: str, cell: str):
        return None if self.formulas is None else self.formulas.get((sheet, cell))


@lru_cache(maxsize=16384)  # a batch's workbooks name the same cells: each text parsed once
def _parse_name_target(text: str):
    """'SAR 12 เดือน'!$L$6 -> ('SAR 12 เดือน', 'L6'); anything else -> None."""
    if "!" not in text:
        return None
    sheet, cell = text.rsplit("!", 1)
    sheet = sheet.strip()
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    cell = cell.replace("$", "")
    return (sheet, cell) if CELL_RE.fullmatch(cell) else None


def _plain(value):
    """A model value as the rules see it: integers as int, error values as their text."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, tuple):
        return value[-1]
    return value


def data_from_book(book, file: str) -> WorkbookData:
    """The cells of an `ooxml.Book` as the content rules read them."""
    data = WorkbookData(file, [], {}, {}, structure_locked=book.structure_locked)
    values, formulas = data.values, data.formulas
    for sheet in book.sheets:
        name = sheet.name
        data.sheetnames.append(name)
        data.hidden[name] = sheet.state
        data.protected[name] = bool(sheet.protection and sheet.protection.get("sheet"))
        data.max_row[name] = sheet.max_row
        for ref, cell in sheet.cells.items():
            value, formula = cell.value, cell.formula
            if value is not None:
                # _plain, inlined: this loop runs for every cell of every audited file
                if isinstance(value, float):
                    values[(name, ref)] = int(value) if value.is_integer() else value
                else:
                    values[(name, ref)] = value[-1] if isinstance(value, tuple) else value
            if formula is not None:
                formulas[(name, ref)] = "=" + formula
    for (name, local), target in book.names.items():
        if local is None and "!" in target:
            parsed = _parse_name_target(target)
            if parsed:
                data.names[name] = parsed
    return data


def read_workbook_data(path) -> tuple[Optional[WorkbookData], list[Finding]]:
    """A workbook file as WorkbookData, or None with findings saying why it cannot be read."""
    from .ooxml import BadPackage, read_book

    parts = {}  # the XML parts check_container decompresses, so that read_book does not again
    findings = check_container(path, parts)
    if findings:
        return None, findings
    try:
        book = read_book(path, parts)
    except BadPackage as exc:
        return None, [error(exc.code, exc.th, exc.en, file=str(path))]
    return data_from_book(book, str(path)), []
