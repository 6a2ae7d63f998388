"""Replaying xlwings remote-engine actions on an xlsx, refusing what Excel refuses.

`book.json()["actions"]` is what an xlwings client (Office.js, Office Scripts) would apply to
the workbook.  `apply_actions` applies them through openpyxl as Excel would, including its
refusals: a protected sheet takes no value in a locked cell, no cleared locked cell, no format
and no hyperlink; a workbook with a locked structure takes no new or renamed sheet.  A refused
action raises `ExcelRefused` and nothing is saved.
"""
from __future__ import annotations


class ExcelRefused(Exception):
    """What Excel answers when an action breaks the workbook's protection."""

    def __init__(self, th: str, en: str):
        super().__init__(en)
        self.th, self.en = th, en


def _refuse_locked(ws, cells, what: str) -> None:
    if not ws.protection.sheet:
        return
    for r, c in cells:
        if ws.cell(row=r, column=c).protection.locked:
            coordinate = ws.cell(row=r, column=c).coordinate
            raise ExcelRefused(f"แผ่นงาน '{ws.title}' ถูกป้องกัน: เซลล์ {coordinate} ถูกล็อก ({what})",
                               f"sheet '{ws.title}' is protected: cell {coordinate} is locked ({what})")


def _refuse_protected(ws, allowed: bool, what: str) -> None:
    if ws.protection.sheet and not allowed:
        raise ExcelRefused(f"แผ่นงาน '{ws.title}' ถูกป้องกัน ({what})", f"sheet '{ws.title}' is protected ({what})")


def _refuse_structure(wb, what: str) -> None:
    if wb.security is not None and wb.security.lockStructure:
        raise ExcelRefused(f"โครงสร้างสมุดงานถูกป้องกัน ({what})", f"the workbook's structure is protected ({what})")


def apply_actions(path, actions, out=None) -> list:
    """Apply xlwings remote-engine actions to an xlsx through openpyxl; returns the alerts' texts.

    Supported: setValues, addSheet, setSheetName, activateSheet, sheetClearContents,
    rangeClearContents, setRangeColor(s), addHyperlink, calculate (nothing to do), alert.
    """
    from openpyxl import load_workbook
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    from ..workbook.sar import save_workbook

    wb = load_workbook(path)
    alerts = []

    def fill_of(colour):
        if colour is None:
            return PatternFill(fill_type=None)
        colour = colour.lstrip("#").upper()
        return PatternFill("solid", start_color=colour, end_color=colour)

    for action in actions:
        func, args = action["func"], action.get("args") or []
        ws = wb.worksheets[action["sheet_position"]] if action.get("sheet_position") is not None else None
        if ws is not None and action.get("start_row") is not None:
            r0, c0 = action["start_row"] + 1, action["start_column"] + 1
            cells = [(r0 + i, c0 + j) for i in range(action["row_count"]) for j in range(action["column_count"])]
        else:
            cells = []
        if func == "setValues":
            values = action["values"]
            _refuse_locked(ws, [(r0 + i, c0 + j) for i, row in enumerate(values) for j in range(len(row))], "setValues")
            for i, row in enumerate(values):
                for j, value in enumerate(row):
                    ws.cell(row=r0 + i, column=c0 + j).value = None if value == "" else value
        elif func == "addSheet":
            _refuse_structure(wb, "addSheet")
            wb.create_sheet(args[1], args[0])
        elif func == "setSheetName":
            _refuse_structure(wb, "setSheetName")
            ws.title = args[0]
        elif func == "activateSheet":
            wb.active = args[0]
        elif func == "sheetClearContents":
            _refuse_locked(ws, [(c.row, c.column) for row in ws.iter_rows() for c in row if c.value is not None],
                           "clear contents")
            for row in ws.iter_rows():
                for cell in row:
                    cell.value = None
        elif func == "rangeClearContents":
            _refuse_locked(ws, cells, "clear contents")
            for r, c in cells:
                ws.cell(row=r, column=c).value = None
        elif func in ("setRangeColor", "setRangeColors"):
            # openpyxl's formatCells=True means "formatting is protected" (Excel's default)
            _refuse_protected(ws, not ws.protection.formatCells, func)
            if func == "setRangeColor":
                for r, c in cells:
                    ws.cell(row=r, column=c).fill = fill_of(args[0])
            else:
                for i, row in enumerate(args[0]):
                    for j, colour in enumerate(row):
                        if colour != "keep":
                            ws.cell(row=r0 + i, column=c0 + j).fill = fill_of(colour)
        elif func == "addHyperlink":
            _refuse_protected(ws, not ws.protection.insertHyperlinks, "addHyperlink")
            for r, c in cells:
                cell = ws.cell(row=r, column=c)
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=args[0].lstrip("#"))
                if args[1]:
                    cell.value = args[1]
        elif func == "calculate":
            pass
        elif func == "alert":
            alerts.append(args[0])
        else:
            raise ValueError(f"action {func} is not supported by apply_actions")
    save_workbook(wb, out or path)
    return alerts
