"""Excel's edge: the ribbon's Score & Audit button and filling results in (xlwings, openpyxl).

`main()` is what the button runs (`xlkpi.main()` through xlwings' RunPython).  It reads the
workbook in front into the audit's `WorkbookData`, runs `audit_data`, and writes back an audit
sheet, the problem cells' marks and a summary message — never an officer's input.  The same
code drives live Excel (Windows / macOS desktop) and xlwings' remote engine
(`xw.Book(json=...)`), which is how the tests run it without Excel.

`fill` / `fill_file` type results from a table (CSV, xlsx, DataFrame) into the input cells,
found through the workbook's defined names (`layout.name_for`), after checking every row.
"""
from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass
from typing import Optional

from .findings import Finding, error
from .model import GROUP, MILESTONE, ROUNDS, WEIGHTED
from .workbook import style
from .workbook.layout import (
    column_letter,
    HEADER_ROW,
    HEADINGS,
    KIND_SAR,
    KIND_TEMPLATE,
    MET,
    META_SHEET,
    NOT_MET,
    TEMPLATE_FIELDS,
    BASELINE_COLUMNS,
    BASELINE_ROW,
    Col,
    input_columns,
    name_for,
    quoted,
    ref,
    round_sheet,
    sar_layout,
    template_field_cell,
    template_sheet,
)

AUDIT_SHEET = "ผลการตรวจ (Audit)"
AUDIT_WIDTH = 7  # columns A..G of the audit sheet
MARK_COLUMN = 6  # 0-based: column G lists the cells this run coloured (read back by the next run)
TITLE = "xlkpi — ประเมินและตรวจสอบ (Score & Audit)"
MARKS_HEADING = "เซลล์ที่ระบายสี (marked cell)"


# --- xlwings, imported lightly -----------------------------------------------------------

def _xlwings():
    """xlwings, without letting it import pandas and numpy on a ribbon click.

    xlwings imports pandas and numpy when they are installed (about 0.5 s of CPU) only to
    register converters the button never uses.  In a fresh process (the click), both are
    hidden while xlwings loads; a process that already has xlwings or pandas is left alone.
    """
    if "xlwings" in sys.modules or "pandas" in sys.modules or "numpy" in sys.modules:
        import xlwings

        return xlwings
    sys.modules["pandas"] = None  # `import pandas` raises ImportError: xlwings skips it
    sys.modules["numpy"] = None
    try:
        import xlwings
    finally:
        del sys.modules["pandas"], sys.modules["numpy"]
    return xlwings


def is_remote(book) -> bool:
    """True for xlwings' remote engine (xw.Book(json=...)): no COM, actions replayed by a client."""
    try:
        return book.app.engine.name == "remote"
    except Exception:
        return False


# --- reading a book ----------------------------------------------------------------------

def _block(rng):
    value = rng.options(ndim=2).value
    return value or []


def read_book(book, exclude=(AUDIT_SHEET,)):
    """The book as the audit's `WorkbookData` (values; formulas and protection when live)."""
    from .audit.reader import WorkbookData, _parse_name_target

    remote = is_remote(book)
    data = WorkbookData(book.name, [], {}, None if remote else {},
                        protected=None if remote else {}, structure_locked=None)
    for sheet in book.sheets:
        name = sheet.name
        if name in exclude:
            continue
        data.sheetnames.append(name)
        rng = sheet.used_range
        top, left = rng.row, rng.column
        last = 0
        for r, row in enumerate(_block(rng), start=top):
            for c, value in enumerate(row, start=left):
                if value is None or value == "":
                    continue
                if isinstance(value, float) and value.is_integer() and not remote:
                    value = int(value)  # COM gives every number as a float
                data.values[(name, f"{column_letter(c)}{r}")] = value
                last = r
        data.max_row[name] = last
        if not remote:
            try:  # live Excel: formulas and protection are there to read
                formulas = rng.formula
                formulas = formulas if isinstance(formulas, (list, tuple)) else ((formulas,),)
                for r, row in enumerate(formulas, start=top):
                    for c, text in enumerate(row, start=left):
                        if isinstance(text, str) and text.startswith("="):
                            data.formulas[(name, f"{column_letter(c)}{r}")] = text
            except Exception:
                data.formulas = None
            try:
                data.protected[name] = bool(sheet.api.ProtectContents)
                data.hidden[name] = {-1: "visible", 0: "hidden", 2: "veryHidden"}.get(sheet.api.Visible, "visible")
            except Exception:
                data.protected = None
    if not remote:
        try:
            data.structure_locked = bool(book.api.ProtectStructure)
        except Exception:
            data.structure_locked = None
    for item in book.names:
        try:
            target = _parse_name_target(str(item.refers_to).lstrip("="))
        except Exception:
            continue
        if target:
            data.names[item.name] = target
    return data


def _previous_marks(book) -> set:
    """Cells the last run coloured: column G of the audit sheet."""
    if AUDIT_SHEET not in [s.name for s in book.sheets]:
        return set()
    marks = set()
    for row in _block(book.sheets[AUDIT_SHEET].used_range):
        value = row[MARK_COLUMN] if len(row) > MARK_COLUMN else None
        if isinstance(value, str) and "!" in value:
            sheet, cell = value.rsplit("!", 1)
            marks.add((sheet, cell))
    return marks


# --- what a cell looks like before any audit --------------------------------------------

def original_fills(data, kind: Optional[str]) -> dict:
    """(sheet, cell) -> fill colour as generated, for the cells a generator coloured.

    Recomputed from the layout, not remembered: restoring a mark gives a cell its
    generated fill back (pale yellow for inputs, pale green for totals, none otherwise).
    """
    from .agreement import parse
    from .workbook.readback import read_meta

    _kind, meta = read_meta(data)
    generated, _ = parse(meta, data.file) if meta is not None else (None, [])
    fills = {}
    if generated is None:
        return fills
    if kind == KIND_SAR:
        layout = sar_layout(generated)
        for round_ in ROUNDS:
            sheet = round_sheet(round_)
            for column in HEADINGS:
                fills[(sheet, f"{column}{HEADER_ROW}")] = style.HEADER_FILL
            for row in layout.rows:
                for column in input_columns(row, round_):
                    fills[(sheet, row.cell(column))] = style.INPUT_FILL
                if row.applicable and not row.due(round_):
                    for column in (Col.RESULT, Col.SCORE, Col.WEIGHTED):
                        fills[(sheet, row.cell(column))] = style.NOT_DUE_FILL
            for r in (*layout.dimension_rows.values(), layout.total_row):
                for column in (Col.NAME, Col.WEIGHT, Col.WEIGHTED):
                    fills[(sheet, f"{column}{r}")] = style.TOTAL_FILL
    elif kind == KIND_TEMPLATE:
        for ind in generated.walk():
            sheet = template_sheet(ind.id)
            for field_, _th, _en, is_input in TEMPLATE_FIELDS:
                if is_input:
                    fills[(sheet, template_field_cell(field_))] = style.INPUT_FILL
            for column in BASELINE_COLUMNS:
                fills[(sheet, f"{column}{BASELINE_ROW}")] = style.HEADER_FILL
                fills[(sheet, f"{column}{BASELINE_ROW + 1}")] = style.INPUT_FILL
    return fills


def _hex(colour: Optional[str]) -> Optional[str]:
    return None if colour is None else "#" + colour


# --- the audit sheet ---------------------------------------------------------------------

STATUS_TEXT = {
    "ok": "ผ่าน ไม่พบข้อผิดพลาด (ok)",
    "warnings": "มีข้อสังเกต (warnings)",
    "errors": "พบข้อผิดพลาด (errors)",
    "unreadable": "อ่านไม่ได้ (unreadable)",
}
SEVERITY_TEXT = {"error": "ข้อผิดพลาด (error)", "warning": "ข้อสังเกต (warning)"}


def _link(sheet: str, cell: str) -> str:
    target = f"#{quoted(sheet)}!{cell}".replace('"', '""')
    return f'=HYPERLINK("{target}","{cell}")'


def _same(stored, recomputed) -> str:
    from .verify import same_value

    return "ตรงกัน (same)" if same_value(recomputed, stored) else "ไม่ตรงกัน (differs)"


def _cell_value(value):
    return "" if value is None else value


def audit_sheet_rows(result, data, marked: set) -> list:
    """The audit sheet as rows of AUDIT_WIDTH values (Thai first, English beside)."""
    rows = [
        [f"ผลการตรวจสมุดงาน (audit) — {data.file}", "", "", "", "", "", ""],
        ["ส่วนราชการ (department)", result.department, "รอบที่ตรวจ (round)",
         f"{result.round} เดือน (months)" if result.round else "", "สถานะ (status)", STATUS_TEXT[result.status], ""],
        ["ข้อผิดพลาด (errors)", result.errors, "ข้อสังเกต (warnings)", result.warnings, "", "", ""],
        [""] * AUDIT_WIDTH,
    ]
    if result.scores:
        rows.append(["คะแนนรวม (totals)", "รอบ (round)", "ค่าที่บันทึก (stored)", "ค่าที่คำนวณใหม่ (recomputed)",
                     "ผลเทียบ (comparison)", "เซลล์ (cell)", ""])
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
                rows.append([label, round_, _cell_value(stored), recomputed, _same(stored, recomputed),
                             _link(sheet, cell), ""])
        rows.append([""] * AUDIT_WIDTH)
    rows.append(["รหัส (code)", "ระดับ (severity)", "แผ่นงาน (sheet)", "เซลล์ (cell)", "ข้อความ", "message",
                 MARKS_HEADING])
    if not result.findings:
        rows.append(["–", "", "", "", "ไม่พบปัญหา", "no findings", ""])
    for f in result.findings:
        linkable = f.sheet in data.sheetnames and _is_cell(f.cell)
        rows.append([f.code, SEVERITY_TEXT.get(f.severity, f.severity), f.sheet,
                     _link(f.sheet, f.cell) if linkable else f.cell, f.message_th, f.message_en,
                     ref(f.sheet, f.cell) if (f.sheet, f.cell) in marked else ""])
    return rows


def _total_cells(data, round_: int) -> dict:
    """Cells of a round's stored totals, from the workbook's defined names ("total" / dimension -> cell)."""
    from .workbook.layout import dimension_name, total_name

    cells = {}
    for key, name in [("total", total_name(round_))] + [(d, dimension_name(d, round_)) for d in (1, 2, 3, 4)]:
        target = data.names.get(name)
        cells[key] = target[1] if target else ""
    return cells


def _is_cell(cell: str) -> bool:
    from .audit.reader import CELL_RE

    return bool(cell) and bool(CELL_RE.fullmatch(cell))


def problem_cells(result, data) -> set:
    """(sheet, cell) of every finding that names a cell of a sheet the workbook shows."""
    return {(f.sheet, f.cell) for f in result.findings
            if f.sheet in data.sheetnames and f.sheet != META_SHEET and _is_cell(f.cell)}


# --- protection in live Excel ------------------------------------------------------------

class _Unprotected:
    """Live Excel only: lift sheet / structure protection while marking, then restore it.

    Needs the protection password (the ministry's, else the documented default).  The remote
    engine has no protection to lift: Office.js clients apply formats to protected sheets
    through the add-in's own permissions, so nothing is done there.
    """

    def __init__(self, book, sheets, structure: bool, password: str):
        self.book, self.sheets, self.structure, self.password = book, sheets, structure, password
        self.lifted_sheets, self.lifted_structure = [], False

    def __enter__(self):
        if is_remote(self.book):
            return self
        for name in self.sheets:
            try:
                api = self.book.sheets[name].api
                if api.ProtectContents:
                    api.Unprotect(self.password)
                    self.lifted_sheets.append(name)
            except Exception:
                pass
        if self.structure:
            try:
                if self.book.api.ProtectStructure:
                    self.book.api.Unprotect(self.password)
                    self.lifted_structure = True
            except Exception:
                pass
        return self

    def __exit__(self, *exc):
        for name in self.lifted_sheets:
            try:
                # the generator's settings: locked cells protected, nothing selectable but inputs
                self.book.sheets[name].api.Protect(self.password, DrawingObjects=True, Contents=True,
                                                  Scenarios=True)
            except Exception:
                pass
        if self.lifted_structure:
            try:
                self.book.api.Protect(self.password, Structure=True)
            except Exception:
                pass
        return False


def _password(password: Optional[str]) -> str:
    return password or os.environ.get("XLKPI_PASSWORD") or style.DEFAULT_PASSWORD


# --- the button ----------------------------------------------------------------------------

def summary(result) -> str:
    lines = [f"ตรวจแล้ว: ข้อผิดพลาด {result.errors} รายการ, ข้อสังเกต {result.warnings} รายการ",
             f"Checked: {result.errors} errors, {result.warnings} warnings."]
    if result.total_recomputed is not None:
        stored = result.total_stored
        stored_text = f"{stored:.4f}" if isinstance(stored, (int, float)) else ("–" if stored in (None, "") else str(stored))
        lines.append(f"คะแนนรวมรอบ {result.round} เดือน: ที่บันทึก {stored_text} / คำนวณใหม่ {result.total_recomputed:.4f}")
        lines.append(f"Total, {result.round} months: stored {stored_text} / recomputed {result.total_recomputed:.4f}")
    if result.kind is not None:
        lines.append(f"ดูรายละเอียดที่แผ่นงาน '{AUDIT_SHEET}' — details on that sheet.")
    return "\n".join(lines)


def score_and_audit(book, password: Optional[str] = None, round_: Optional[int] = None, signed=None,
                    alert: bool = True):
    """Recalculate, audit and report on an xlwings Book; returns the AuditResult."""
    from .audit import audit_data

    remote = is_remote(book)
    if not remote:
        book.app.calculate()
    data = read_book(book)
    result = audit_data(data, signed, round_)
    if result.kind is not None:  # never write into a workbook xlkpi did not generate
        write_report(book, data, result, _password(password))
    if alert:
        book.app.alert(summary(result), title=TITLE, mode="critical" if result.errors else "info")
    return result


def write_report(book, data, result, password: str) -> None:
    """Marks and the audit sheet; the officer's inputs are never written."""
    marks = problem_cells(result, data)
    previous = _previous_marks(book) - marks
    fills = original_fills(data, result.kind) if previous else {}
    touched = sorted({s for s, _c in marks | previous if s in data.sheetnames})
    exists = AUDIT_SHEET in [s.name for s in book.sheets]
    with _Unprotected(book, touched, structure=not exists, password=password):
        for sheet, cell in sorted(previous):
            if sheet in data.sheetnames:
                book.sheets[sheet][cell].color = _hex(fills.get((sheet, cell)))
        for sheet, cell in sorted(marks):
            book.sheets[sheet][cell].color = _hex(style.PROBLEM_FILL)
        if exists:
            target = book.sheets[AUDIT_SHEET]
            target.clear_contents()
        else:
            after = book.sheets[round_sheet(12)] if round_sheet(12) in data.sheetnames else book.sheets[-1]
            target = book.sheets.add(AUDIT_SHEET, after=after)
        rows = audit_sheet_rows(result, data, marks)
        target["A1"].value = rows
        target.activate()


def main(book=None, password: Optional[str] = None):
    """What the ribbon's Score & Audit button runs: the active book (not the add-in)."""
    xw = _xlwings()
    if book is None:
        book = xw.books.active  # Book.caller() would be the add-in that holds the button
    return score_and_audit(book, password)


# --- fill ----------------------------------------------------------------------------------

@dataclass
class Write:
    line: int  # row of the input file (header = 1)
    name: str  # defined name of the target cell
    value: object


def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    try:  # numpy scalars
        return float(value)
    except (TypeError, ValueError):
        return None


TRUE_MARKS = {"1", "true", "yes", "y", "x", "✓", MET.lower(), "met", "ผ่าน"}
FALSE_MARKS = {"0", "false", "no", "n", "", "-", "–", NOT_MET.lower(), "not met", "ไม่ผ่าน"}


def parse_milestones(value) -> Optional[list]:
    """'1,1,1,0,0', 'ผ่าน,ผ่าน,ไม่ผ่าน,…' or a list of bools -> five bools, or None if unreadable."""
    if isinstance(value, str):
        items = [x.strip() for x in value.replace(";", ",").replace("|", ",").split(",")]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        return None
    out = []
    for item in items:
        if isinstance(item, bool):
            out.append(item)
            continue
        if isinstance(item, (int, float)) and item in (0, 1):
            out.append(bool(item))
            continue
        text = str(item).strip().lower()
        if text in TRUE_MARKS:
            out.append(True)
        elif text in FALSE_MARKS:
            out.append(False)
        else:
            return None
    return out if len(out) == 5 else None


def _refuse(line: int, source: str, th: str, en: str, column: str = "") -> Finding:
    return error("FILL-REFUSED", f"แถว {line} ของ {source}: {th}", f"row {line} of {source}: {en}",
                 file=source, cell=f"row {line}" + (f", {column}" if column else ""))


def _text(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(style.FORMULA_STARTS) else text  # stays text in Excel


def plan_fill(generated, records: list, round_: Optional[int] = None, source: str = "input",
              names: Optional[dict] = None) -> tuple[list, list]:
    """(writes, refusals) for rows of {id, round, result | milestones, part, explanation, evidence}.

    `generated` is the agreement the workbook was generated from (its hidden copy); a target
    must be one of the row's input cells (layout.input_columns) and a defined name of the book.
    Nothing is to be written when any row is refused.
    """
    layout = sar_layout(generated)
    inputs = {}  # defined name -> True for every input of every round
    for round_n in ROUNDS:
        for row in layout.rows:
            cols = input_columns(row, round_n)
            ind = row.indicator
            part = row.part
            if Col.RESULT in cols:
                inputs[name_for(ind.id, round_n, "result", part)] = True
            if Col.EXPLANATION in cols:
                inputs[name_for(ind.id, round_n, "explanation")] = True
                inputs[name_for(ind.id, round_n, "evidence")] = True
            if ind.kind == MILESTONE and not row.is_part and cols:
                for level in range(1, 6):
                    inputs[name_for(ind.id, round_n, f"m{level}")] = True
    writes, refusals = [], []
    for n, record in enumerate(records):
        line = n + 2  # the header is line 1
        refused = []

        def refuse(th, en, column=""):
            refused.append(_refuse(line, source, th, en, column))

        raw_id = record.get("id")
        ind_id = "" if _blank(raw_id) else str(raw_id).strip()
        if ind_id.endswith(".0") and ind_id[:-2].isdigit():
            ind_id = ind_id[:-2]  # a spreadsheet turned id 1 into 1.0
        ind = generated.find(ind_id) if ind_id else None
        if ind is None:
            refuse(f"ไม่มีตัวชี้วัด {ind_id or '(ว่าง)'} ในคำรับรอง", f"there is no indicator {ind_id or '(blank)'} in the agreement", "id")
            refusals += refused
            continue
        raw_round = record.get("round")
        if _blank(raw_round):
            the_round = round_
        else:
            number = _number(raw_round)
            the_round = int(number) if number is not None and number.is_integer() else raw_round
        if the_round not in ROUNDS:
            refuse(f"รอบ {raw_round if not _blank(raw_round) else '(ว่าง)'} ไม่ถูกต้อง (ต้องเป็น 6, 9 หรือ 12)",
                   f"round {raw_round if not _blank(raw_round) else '(blank)'} is not 6, 9 or 12", "round")
        elif round_ is not None and the_round != round_:
            refuse(f"รอบ {the_round} ไม่ใช่รอบที่กรอก ({round_})", f"round {the_round} is not the round being filled ({round_})", "round")
        part = None
        raw_part = record.get("part")
        if not _blank(raw_part):
            number = _number(raw_part)
            if ind.kind != WEIGHTED:
                refuse(f"ตัวชี้วัด {ind.id} ไม่มีส่วนย่อย (part)", f"indicator {ind.id} has no parts", "part")
            elif number is None or not number.is_integer() or not 1 <= number <= len(ind.parts):
                refuse(f"ส่วนที่ {raw_part} ไม่มีในตัวชี้วัด {ind.id} (มี 1–{len(ind.parts)})",
                       f"indicator {ind.id} has no part {raw_part} (it has 1–{len(ind.parts)})", "part")
            else:
                part = int(number) - 1
        if refused:
            refusals += refused
            continue
        wanted = []  # (field, defined name, value)
        result, milestones = record.get("result"), record.get("milestones")
        if not _blank(result):
            number = _number(result)
            if number is None:
                refuse(f"ผล {result!r} ไม่ใช่ตัวเลข", f"result {result!r} is not a number", "result")
            elif ind.kind == MILESTONE:
                refuse(f"ตัวชี้วัด {ind.id} เป็นแบบขั้นตอน ให้กรอกคอลัมน์ milestones", f"indicator {ind.id} is a milestone indicator: use the milestones column", "result")
            elif ind.kind == WEIGHTED and part is None:
                refuse(f"ตัวชี้วัด {ind.id} เป็นค่าเฉลี่ยถ่วงน้ำหนัก ให้ระบุส่วน (part) ของผล",
                       f"indicator {ind.id} is a weighted average: give the part of the result", "part")
            else:
                wanted.append(("result", name_for(ind.id, the_round, "result", part), int(number) if number.is_integer() else number))
        if not _blank(milestones):
            marks = parse_milestones(milestones)
            if ind.kind != MILESTONE:
                refuse(f"ตัวชี้วัด {ind.id} ไม่ใช่แบบขั้นตอน", f"indicator {ind.id} is not a milestone indicator", "milestones")
            elif marks is None:
                refuse(f"ขั้นตอน {milestones!r} อ่านไม่ได้ (ต้องมี 5 ค่า เช่น 1,1,1,0,0 หรือ ผ่าน/ไม่ผ่าน)",
                       f"milestones {milestones!r} cannot be read (five values, e.g. 1,1,1,0,0 or met / not met)", "milestones")
            else:
                for level, met in enumerate(marks, start=1):
                    wanted.append((f"m{level}", name_for(ind.id, the_round, f"m{level}"), MET if met else NOT_MET))
        for field_ in ("explanation", "evidence"):
            value = record.get(field_)
            if not _blank(value):
                if part is not None:
                    refuse(f"{field_} เป็นของตัวชี้วัด ไม่ใช่ของส่วนย่อย", f"the {field_} belongs to the indicator, not to a part", field_)
                else:
                    wanted.append((field_, name_for(ind.id, the_round, field_), _text(value)))
        if not wanted and not refused:
            refuse("ไม่มีค่าให้กรอก (result / milestones / explanation / evidence ว่าง)",
                   "nothing to fill (result / milestones / explanation / evidence are blank)")
        for field_, name, value in wanted:
            if name not in inputs:
                why_th = ("ไม่ประเมิน (n/a)" if not ind.applicable else "ได้คะแนนโดยปริยาย (granted)" if ind.granted
                          else "เป็นกลุ่ม คะแนนมาจากตัวชี้วัดย่อย" if ind.kind == GROUP else "ช่องนี้คำนวณด้วยสูตร")
                why_en = ("not applicable" if not ind.applicable else "granted" if ind.granted
                          else "a group scored from its sub-indicators" if ind.kind == GROUP else "the cell is a formula")
                refuse(f"ช่อง {field_} ของตัวชี้วัด {ind.id} ถูกล็อก ({why_th})",
                       f"the {field_} of indicator {ind.id} is locked ({why_en})", field_)
            elif names is not None and name not in names:
                refuse(f"ไม่พบชื่อ {name} ในสมุดงาน", f"the workbook has no defined name {name}", field_)
            else:
                writes.append(Write(line, name, value))
        refusals += refused
    return (writes if not refusals else []), refusals


def records_from(df) -> list:
    """A DataFrame (or a list of dicts) as a list of dicts with lower-case column names."""
    if isinstance(df, list):
        return [{str(k).strip().lower(): v for k, v in r.items()} for r in df]
    columns = [str(c).strip().lower() for c in df.columns]
    return [dict(zip(columns, values)) for values in df.itertuples(index=False, name=None)]


def read_table(path):
    """A CSV or xlsx file as a DataFrame of text and numbers (pandas)."""
    import pandas as pd

    path = str(path)
    if path.lower().endswith((".xlsx", ".xlsm")):
        return pd.read_excel(path, dtype=object)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


class FillRefused(Exception):
    def __init__(self, findings):
        super().__init__("\n".join(str(f) for f in findings))
        self.findings = findings


def _generated_from(cells, source: str):
    from .agreement import parse
    from .workbook.readback import read_meta

    kind, meta = read_meta(cells)
    if kind != KIND_SAR or meta is None:
        raise FillRefused([error("FILL-NOT-SAR", "ไม่ใช่ SAR Card ที่ xlkpi สร้าง", "not a SAR Card xlkpi generated", file=source)])
    generated, findings = parse(meta, source)
    if generated is None:
        raise FillRefused(findings)
    return generated


class _BookCells:
    """get(sheet, cell) over an xlwings book, for the hidden agreement copy."""

    def __init__(self, book):
        self.book = book
        self.sheetnames = [s.name for s in book.sheets]

    def get(self, sheet, cell):
        return self.book.sheets[sheet][cell].value


def fill(book, df, round_: Optional[int] = None, source: str = "input") -> list:
    """Type the rows of `df` into an xlwings book's input cells; returns the writes.

    Raises FillRefused (with every refusal) and writes nothing when any row is refused.
    """
    from .audit.reader import _parse_name_target

    generated = _generated_from(_BookCells(book), book.name)
    names = {}
    for item in book.names:
        target = _parse_name_target(str(item.refers_to).lstrip("="))
        if target:
            names[item.name] = target
    writes, refusals = plan_fill(generated, records_from(df), round_, source, names)
    if refusals:
        raise FillRefused(refusals)
    for w in writes:
        sheet, cell = names[w.name]
        book.sheets[sheet][cell].value = w.value
    if writes and not is_remote(book):
        book.app.calculate()
    return writes


def fill_file(path, df, round_: Optional[int] = None, out=None, source: str = "input") -> list:
    """Fill a closed workbook through openpyxl (formulas kept); saved through a temporary file."""
    from .workbook.readback import OpenpyxlCells, open_workbook
    from .workbook.sar import save_workbook

    wb, findings = open_workbook(path)
    if wb is None:
        raise FillRefused(findings)
    generated = _generated_from(OpenpyxlCells(wb), str(path))
    from .audit.reader import _parse_name_target

    names = {}
    for name, defined in wb.defined_names.items():
        target = _parse_name_target(defined.attr_text or "")
        if target:
            names[name] = target
    writes, refusals = plan_fill(generated, records_from(df), round_, source, names)
    if refusals:
        raise FillRefused(refusals)
    for w in writes:
        sheet, cell = names[w.name]
        target = wb[sheet][cell]
        if isinstance(w.value, str):
            style.put_text(target, w.value[1:] if w.value.startswith("'") else w.value)
        else:
            target.value = w.value
    save_workbook(wb, out or path)
    return writes


# --- replaying the remote engine's actions on a file (tests, and offline use) ---------------

def apply_actions(path, actions, out=None) -> list:
    """Apply xlwings remote-engine actions (`book.json()["actions"]`) to an xlsx through openpyxl.

    What Excel would do with them, for the actions this module sends: setValues, addSheet,
    setSheetName, activateSheet, sheetClearContents, rangeClearContents, setRangeColor(s),
    addHyperlink, calculate (nothing to do), alert (returned).  Returns the alerts' texts.
    """
    from openpyxl import load_workbook
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    from .workbook.sar import save_workbook

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
            for i, row in enumerate(action["values"]):
                for j, value in enumerate(row):
                    ws.cell(row=r0 + i, column=c0 + j).value = None if value == "" else value
        elif func == "addSheet":
            wb.create_sheet(args[1], args[0])
        elif func == "setSheetName":
            ws.title = args[0]
        elif func == "activateSheet":
            wb.active = args[0]
        elif func == "sheetClearContents":
            for row in ws.iter_rows():
                for cell in row:
                    cell.value = None
        elif func == "rangeClearContents":
            for r, c in cells:
                ws.cell(row=r, column=c).value = None
        elif func == "setRangeColor":
            for r, c in cells:
                ws.cell(row=r, column=c).fill = fill_of(args[0])
        elif func == "setRangeColors":
            for i, row in enumerate(args[0]):
                for j, colour in enumerate(row):
                    if colour != "keep":
                        ws.cell(row=r0 + i, column=c0 + j).fill = fill_of(colour)
        elif func == "addHyperlink":
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
