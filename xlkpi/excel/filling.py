"""Filling results in: rows of a table (CSV, xlsx, DataFrame) typed into a SAR Card's input cells.

Every cell is found through the workbook's defined names (`layout.name_for`), after checking
every row; when any row is refused nothing is written.  `fill` writes into an open workbook
through xlwings, `fill_file` into a closed one through openpyxl.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from ..findings import Finding, error
from ..model import GROUP, MILESTONE, ROUNDS, WEIGHTED
from ..workbook import style
from ..workbook.layout import KIND_SAR, MET, NOT_MET, Col, input_columns, name_for, sar_layout
from .book import is_remote

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
    from ..agreement import parse
    from ..workbook.readback import read_meta

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
    from ..audit.reader import _parse_name_target

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
    from ..workbook.readback import OpenpyxlCells, open_workbook
    from ..workbook.sar import save_workbook

    wb, findings = open_workbook(path)
    if wb is None:
        raise FillRefused(findings)
    generated = _generated_from(OpenpyxlCells(wb), str(path))
    from ..audit.reader import _parse_name_target

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


