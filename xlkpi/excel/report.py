"""The click's report: a NEW workbook opened beside the audited one (as Inquire and PerfectXL do).

The audited workbook is never written: the report lists the department, the round, the stored
and recomputed totals side by side and one row per finding, each cell reference a HYPERLINK
into the audited workbook (`[full name]'sheet'!A1`).  The report book is new and unsaved; the
officer saves it if wanted.
"""
from __future__ import annotations

from ..glossary import Severity, Status
from ..model import ROUNDS
from ..workbook.style import FONT_NAME, FONT_SIZE, FORMULA_STARTS
from ..workbook.layout import quoted, round_sheet

REPORT_SHEET = "ผลการตรวจ (Audit)"
AUDIT_SHEET = REPORT_SHEET  # the name used before the report moved into its own workbook
REPORT_WIDTH = 6  # columns A..F
TITLE = "xlkpi — ประเมินและตรวจสอบ (Score & Audit)"
HEADING_FILL = "#D9E1F2"
COLUMN_WIDTHS = (32, 14, 20, 20, 45, 45)



def link(book_ref: str, sheet: str, cell: str) -> str:
    """A HYPERLINK formula to `cell` of `sheet` in the workbook `book_ref` (its full name)."""
    target = f"[{book_ref}]{quoted(sheet)}!{cell}".replace('"', '""')
    return _Link(f'=HYPERLINK("{target}","{cell}")')


def _same(stored, recomputed) -> str:
    from ..verify import same_value

    return "ตรงกัน (same)" if same_value(recomputed, stored) else "ไม่ตรงกัน (differs)"


def _is_cell(cell: str) -> bool:
    from ..audit.reader import CELL_RE

    return bool(cell) and bool(CELL_RE.fullmatch(cell))


def _total_cells(data, round_: int) -> dict:
    """Cells of a round's stored totals, from the workbook's defined names ("total" / dimension -> cell)."""
    from ..workbook.layout import dimension_name, total_name

    cells = {}
    for key, name in [("total", total_name(round_))] + [(d, dimension_name(d, round_)) for d in (1, 2, 3, 4)]:
        target = data.names.get(name)
        cells[key] = target[1] if target else ""
    return cells


class _Link(str):
    """A formula the report itself wrote (the only text that may start with "=")."""


def as_text(value):
    """Text from the audited workbook stays text in the report: Excel would run "=…", "+…",
    "-…", "@…" typed into a cell as a formula (a leading ' keeps it text and is not shown)."""
    if isinstance(value, str) and not isinstance(value, _Link) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def report_rows(result, data, book_ref: str) -> tuple[list, list]:
    """(rows of REPORT_WIDTH values, indexes of heading rows); Thai first, English beside.

    Everything read from the audited workbook (its name, department, stored values, the texts
    findings quote) is written as text; the report's own links are its only formulas."""
    rows, headings = _rows(result, data, book_ref)
    return [[as_text(v) for v in row] for row in rows], headings


def _rows(result, data, book_ref: str) -> tuple[list, list]:
    blank = [""] * REPORT_WIDTH
    rows = [
        [f"ผลการตรวจสมุดงาน (audit) — {data.file}", "", "", "", "", ""],
        ["ส่วนราชการ (department)", result.department, "รอบที่ตรวจ (round)",
         f"{result.round} เดือน (months)" if result.round else "", "สถานะ (status)", Status.label(result.status)],
        ["ข้อผิดพลาด (errors)", result.errors, "ข้อสังเกต (warnings)", result.warnings,
         "สมุดงานที่ตรวจไม่ถูกแก้ไข (the audited workbook was not changed)", ""],
        blank,
    ]
    headings = [0]
    if result.scores:
        headings.append(len(rows))
        rows.append(["คะแนนรวม (totals)", "รอบ (round)", "ค่าที่บันทึก (stored)", "ค่าที่คำนวณใหม่ (recomputed)",
                     "ผลเทียบ (comparison)", "เซลล์ (cell)"])
        for round_ in ROUNDS:
            score = result.scores.get(round_)
            sheet = round_sheet(round_)
            if score is None or sheet not in data.sheetnames:
                continue
            cells = _total_cells(data, round_)
            items = [("รวมทั้งส่วนราชการ (department total)", cells["total"], score.total)]
            items += [(f"มิติที่ {d} (dimension {d})", cells[d], score.dimensions[str(d)]) for d in (1, 2, 3, 4)]
            for label, cell, recomputed in items:
                if not cell:
                    continue
                stored = data.get(sheet, cell)
                rows.append([label, round_, "" if stored is None else stored, recomputed, _same(stored, recomputed),
                             link(book_ref, sheet, cell)])
        rows.append(blank)
    headings.append(len(rows))
    rows.append(["รหัส (code)", "ระดับ (severity)", "แผ่นงาน (sheet)", "เซลล์ (cell)", "ข้อความ", "message"])
    if not result.findings:
        rows.append(["–", "", "", "", "ไม่พบปัญหา", "no findings"])
    for f in result.findings:
        linkable = f.sheet in data.sheetnames and _is_cell(f.cell)
        rows.append([f.code, Severity.label(f.severity), f.sheet,
                     link(book_ref, f.sheet, f.cell) if linkable else f.cell, f.message_th, f.message_en])
    return rows, headings


def write_report_book(app, audited, data, result):
    """Open a new workbook in `app` holding the report on `audited`; returns it."""
    rows, headings = report_rows(result, data, audited.fullname or audited.name)
    report = app.books.add()
    sheet = report.sheets[0]
    sheet.name = REPORT_SHEET
    last = f"F{len(rows)}"
    sheet["A1"].value = rows
    used = sheet.range(f"A1:{last}")
    used.font.name = FONT_NAME
    used.font.size = FONT_SIZE
    sheet.range(f"A2:{last}").wrap_text = True  # the title (A1) runs on over the empty cells
    for i, width in enumerate(COLUMN_WIDTHS):
        sheet.range(f"{'ABCDEF'[i]}1").column_width = width
    for r in headings:
        heading = sheet.range(f"A{r + 1}:F{r + 1}")
        heading.font.bold = True
        heading.color = HEADING_FILL
    _print_on_a4(sheet)
    sheet.activate()
    return report


def _print_on_a4(sheet) -> None:
    """A4 landscape, one page wide (Excel's PageSetup; skipped where the engine has none)."""
    try:
        setup = sheet.api.PageSetup
        setup.PaperSize = 9  # xlPaperA4
        setup.Orientation = 2  # xlLandscape
        setup.Zoom = False
        setup.FitToPagesWide = 1
        setup.FitToPagesTall = False
        setup.PrintTitleRows = "$1:$1"
    except Exception:
        pass


def summary(result) -> str:
    lines = [f"ตรวจแล้ว: ข้อผิดพลาด {result.errors} รายการ, ข้อสังเกต {result.warnings} รายการ",
             f"Checked: {result.errors} errors, {result.warnings} warnings."]
    if result.total_recomputed is not None:
        stored = result.total_stored
        stored_text = f"{stored:.4f}" if isinstance(stored, (int, float)) else ("–" if stored in (None, "") else str(stored))
        lines.append(f"คะแนนรวมรอบ {result.round} เดือน: ที่บันทึก {stored_text} / คำนวณใหม่ {result.total_recomputed:.4f}")
        lines.append(f"Total, {result.round} months: stored {stored_text} / recomputed {result.total_recomputed:.4f}")
    return "\n".join(lines)
