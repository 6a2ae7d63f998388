"""The KPI Audit Report (รายงานผลการตรวจสอบตัวชี้วัด): one workbook for the ministry.

A summary sheet (a row per audited file: department, file, kind, status, error and warning
counts, stored and recomputed totals; a bar chart of errors and warnings per department)
and a sheet per department listing its findings, each with a link to the file and cell.
Thai first, TH Sarabun New, A4.  Every text that comes from a finding or a file name is
written with `style.put_text`, so a finding quoting "=HYPERLINK(...)" stays text.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from pathlib import Path

from ..glossary import Severity, Status, WorkbookKind
from ..workbook import measure, style


def _kind(kind) -> str:
    """The workbook kind as the report names it: "SAR Card", "KPI Template", "–" when unknown."""
    return "–" if kind is None else WorkbookKind.th_en(kind)[1]

SUMMARY_SHEET = "สรุป"
# widths in units of the 16 pt default font; both sheets print fitted to A4 landscape
SUMMARY_HEADINGS = [("ส่วนราชการ", "Department", 20), ("ไฟล์", "File", 22), ("ประเภท", "Kind", 11),
                    ("สถานะ", "Status", 13), ("ข้อผิดพลาด", "Errors", 8), ("ข้อสังเกต", "Warnings", 8),
                    ("คะแนนรวมที่บันทึก", "Stored total", 10), ("คะแนนรวมที่คำนวณใหม่", "Recomputed total", 11)]
FINDING_HEADINGS = [("รหัส", "Code", 17), ("ระดับ", "Severity", 10), ("แผ่นงาน", "Sheet", 11), ("ช่อง", "Cell", 6),
                    ("ข้อความ", "Message (Thai)", 32), ("ข้อความภาษาอังกฤษ", "Message (English)", 28),
                    ("ไฟล์", "File", 16)]
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
UNKNOWN_DEPARTMENT = "ไม่ทราบส่วนราชการ"
LANG = style.DEFAULT_LANG  # headings on paper: Thai only (style.LANGS)


def cell_link(file: str, sheet: str = "", cell: str = ""):
    """A link to a cell of another workbook, as Excel itself writes one.

    The target is the file's URI (file:///abs/path.xlsx) and the cell goes in the link's
    location ('Sheet'!A1), which Excel opens as the sub-address and LibreOffice reads as
    file:///abs/path.xlsx#'Sheet'!A1; a fragment inside the target would need
    percent-encoding of Thai sheet names, which Excel does not undo.
    """
    from openpyxl.worksheet.hyperlink import Hyperlink

    location = None
    if sheet and cell and re.fullmatch(r"\$?[A-Z]{1,3}\$?\d+", cell):
        location = f"'{sheet.replace(chr(39), chr(39) * 2)}'!{cell}"
    return Hyperlink(ref="", target=Path(file).resolve().as_uri(), location=location,
                     tooltip=f"{Path(file).name} {location or ''}".strip()[:255])


def _department(result) -> str:
    return result.department or UNKNOWN_DEPARTMENT


def _sheet_title(name: str, taken: set) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("_", name).strip("'") or "_"
    base = base[:31]
    title, n = base, 1
    while title.lower() in taken or title == SUMMARY_SHEET:
        n += 1
        suffix = f" ({n})"
        title = base[:31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def _headings(ws, row: int, headings: list) -> None:
    from openpyxl.utils import get_column_letter

    for column, (th, en, width) in enumerate(headings, start=1):
        cell = ws.cell(row=row, column=column)
        style.put_text(cell, style.label(th, en, LANG, "\n"))
        cell.font, cell.fill = style.font(bold=True), style.fill(style.HEADER_FILL)
        cell.alignment, cell.border = style.wrap("center", "center"), style.thin_border()
        ws.column_dimensions[get_column_letter(column)].width = width


def _number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _write_summary(ws, results: list, by_department: dict, titles: dict) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws.sheet_view.showGridLines = False
    ws["A1"] = style.label("รายงานผลการตรวจสอบตัวชี้วัด", "KPI Audit Report", LANG)
    ws["A1"].font = style.font(bold=True, size=style.TITLE_SIZE)
    ministries = sorted({r.ministry for r in results if r.ministry})
    files, errors = len(results), sum(r.errors for r in results)
    style.put_text(ws["A2"], (" / ".join(ministries) + " — " if ministries else "")
                   + f"ตรวจ {files} ไฟล์ พบข้อผิดพลาด {errors} รายการ ข้อสังเกต {sum(r.warnings for r in results)} รายการ"
                   f" (audited {files} files)")
    ws["A2"].font = style.font()
    head = 4
    _headings(ws, head, SUMMARY_HEADINGS)
    row = head
    for department, items in by_department.items():
        for result in items:
            row += 1
            values = [department, Path(result.file).name, _kind(result.kind),
                      Status.label(result.status)]
            for column, text in enumerate(values, start=1):
                style.put_text(ws.cell(row=row, column=column), text)
            ws.cell(row=row, column=5, value=result.errors)
            ws.cell(row=row, column=6, value=result.warnings)
            ws.cell(row=row, column=7, value=_number(result.total_stored))
            ws.cell(row=row, column=8, value=_number(result.total_recomputed))
            link = ws.cell(row=row, column=1)
            link.hyperlink = Hyperlink(ref="", location=f"'{titles[department]}'!A1")  # its findings sheet
            ws.cell(row=row, column=2).hyperlink = cell_link(result.file)
            for column in range(1, 9):
                cell = ws.cell(row=row, column=column)
                cell.border, cell.alignment = style.thin_border(), style.wrap()
                cell.font = style.font(color="0563C1", underline="single") if column in (1, 2) else style.font(
                    bold=column == 5 and result.errors > 0, color="C00000" if column == 5 and result.errors else None)
                if column in (7, 8):
                    cell.number_format = "0.0000"
            if result.status in ("errors", "unreadable"):
                ws.cell(row=row, column=4).fill = style.fill(style.PROBLEM_FILL)
    last = row
    # Chart data: one row per department (errors, warnings), beside the table.
    chart_col = 11
    style.put_text(ws.cell(row=head, column=chart_col), style.label("ส่วนราชการ", "Department", LANG))
    style.put_text(ws.cell(row=head, column=chart_col + 1), style.label("ข้อผิดพลาด", "errors", LANG))
    style.put_text(ws.cell(row=head, column=chart_col + 2), style.label("ข้อสังเกต", "warnings", LANG))
    for n, (department, items) in enumerate(by_department.items(), start=1):
        style.put_text(ws.cell(row=head + n, column=chart_col), department)
        ws.cell(row=head + n, column=chart_col + 1, value=sum(r.errors for r in items))
        ws.cell(row=head + n, column=chart_col + 2, value=sum(r.warnings for r in items))
    for column in range(chart_col, chart_col + 3):
        for r in range(head, head + len(by_department) + 1):
            ws.cell(row=r, column=column).font = style.font(size=10, color="808080")
    if by_department:
        from openpyxl.worksheet.pagebreak import Break

        ws.row_breaks.append(Break(id=last + 2))  # the chart starts a page: never split across two
        chart = BarChart()
        chart.type = "bar"
        chart.title = style.label("ข้อผิดพลาดและข้อสังเกตรายส่วนราชการ", "errors and warnings per department", LANG)
        chart.y_axis.title = style.label("จำนวน", "count", LANG)
        data = Reference(ws, min_col=chart_col + 1, max_col=chart_col + 2, min_row=head, max_row=head + len(by_department))
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=chart_col, min_row=head + 1, max_row=head + len(by_department)))
        chart.height = max(7.0, 1.0 + 0.8 * len(by_department))
        chart.width = 24
        chart.style = 10
        ws.add_chart(chart, f"A{last + 3}")
    ws.freeze_panes = f"A{head + 1}"
    for column, width in zip("KLM", (22, 12, 12)):
        ws.column_dimensions[column].width = width
    measure.fit_rows(ws, rows=range(1, last + 1))
    # a fixed scale, not fit-to-page: LibreOffice ignores manual page breaks when fitting
    style.setup_a4(ws, landscape=True, title_rows=f"{head}:{head}", fit_width=False)
    ws.page_setup.scale = 80
    ws.print_area = f"A1:H{last + 3 + int(max(7.0, 1.0 + 0.8 * len(by_department)) * 2) + 2}"


def _write_department(ws, department: str, items: list) -> None:
    ws.sheet_view.showGridLines = False
    style.put_text(ws["A1"], f"ผลการตรวจสอบ: {department}")
    ws["A1"].font = style.font(bold=True, size=style.TITLE_SIZE)
    ws["A2"] = f"=HYPERLINK(\"#'{SUMMARY_SHEET}'!A1\",\"← กลับไปหน้าสรุป\")"
    ws["A2"].font = style.font(color="0563C1", underline="single")
    head = 4
    _headings(ws, head, FINDING_HEADINGS)
    row = head
    for result in items:
        findings = result.findings or []
        if not findings:
            row += 1
            style.put_text(ws.cell(row=row, column=1), "ไม่พบข้อผิดพลาด (no findings)")
            style.put_text(ws.cell(row=row, column=7), Path(result.file).name)
            ws.cell(row=row, column=7).hyperlink = cell_link(result.file)
            for column in range(1, 8):
                ws.cell(row=row, column=column).font = style.font(italic=column == 1)
                ws.cell(row=row, column=column).border = style.thin_border()
            ws.cell(row=row, column=7).font = style.font(color="0563C1", underline="single")
            continue
        for finding in findings:
            row += 1
            values = [finding.code, Severity.label(finding.severity), finding.sheet,
                      finding.cell, finding.message_th, finding.message_en, Path(finding.file or result.file).name]
            for column, text in enumerate(values, start=1):
                cell = ws.cell(row=row, column=column)
                style.put_text(cell, text)
                cell.font, cell.border, cell.alignment = style.font(), style.thin_border(), style.wrap()
            for column in (4, 7):
                cell = ws.cell(row=row, column=column)
                cell.hyperlink = cell_link(finding.file or result.file, finding.sheet, finding.cell)
                cell.font = style.font(color="0563C1", underline="single")
            if finding.is_error:
                ws.cell(row=row, column=2).fill = style.fill(style.PROBLEM_FILL)
    ws.freeze_panes = f"A{head + 1}"
    ws.auto_filter.ref = f"A{head}:G{max(row, head + 1)}"
    measure.fit_rows(ws)
    style.setup_a4(ws, landscape=True, title_rows=f"{head}:{head}")


def build_audit_report(results: list):
    """The report as an openpyxl Workbook (one summary sheet, one sheet per department)."""
    from openpyxl import Workbook

    by_department: "OrderedDict[str, list]" = OrderedDict()
    for result in sorted(results, key=lambda r: (_department(r), r.file)):
        by_department.setdefault(_department(result), []).append(result)
    wb = Workbook()
    summary = wb.active
    summary.title = SUMMARY_SHEET
    taken: set = {SUMMARY_SHEET.lower()}
    titles = {department: _sheet_title(department, taken) for department in by_department}
    for department, items in by_department.items():
        _write_department(wb.create_sheet(titles[department]), department, items)
    _write_summary(summary, results, by_department, titles)
    style.default_font(wb)
    return wb


def write_audit_report(results: list, path) -> Path:
    """Write the KPI Audit Report to `path` (through a temporary file renamed into place)."""
    from ..workbook.sar import save_workbook

    return save_workbook(build_audit_report(list(results)), path)
