"""The whitelist: a workbook must be exactly what the generator writes for its trusted agreement.

`compare(expected, actual, inputs)` takes two `ooxml.Book` models — the generator's workbook
for the trusted agreement and the audited file, read by the same reader — and reports every
difference as an error at its cell with the expected and the found value: cell values and
formulas (compared canonically), formats by effect, hidden rows and columns, row heights and
column widths that hide text, merges, sheets and their order and visibility, protection,
defined names, data validations, conditional formats, hyperlinks, print settings and added
objects.  One mechanism instead of a rule per trick.

Only the officer's input cells (those the generator leaves unlocked) may differ, and only in
value: `inputs` says what each may hold (a number, one of a few words, or text), and
`check_input` holds each value to it.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from ..findings import Finding, error
from .formulas import canonical
from .ooxml import Book, Sheet, column_letters

NUMBER, CHOICE, TEXT = "number", "choice", "text"
MAX_FINDINGS = 200  # per workbook; beyond that, PER_CODE of each code and a summary
PER_CODE = 25
PLAUSIBLE = 1e15  # the generator's data validation range for results
ROW_TOLERANCE = 0.9  # LibreOffice stores 50 pt as 49.5 pt
COLUMN_TOLERANCE = 0.8
FORMULA_STARTS = ("=", "+", "-", "@")
_DDE = re.compile(r"\w+\|.*!|(?i:\bdde\s*\()|(?i:^\s*(?:cmd|msexcel|powershell)\s*\|)")
_INVISIBLE = "".join(chr(c) for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00A0, 0x00AD))


@dataclass(frozen=True)
class InputCell:
    kind: str  # number | choice | text
    choices: frozenset = frozenset()
    label: str = ""  # indicator or field, for messages
    code: str = "SAR-RESULT-NOT-NUMBER"  # the finding for a value of the wrong type


def _show(value) -> str:
    if value is None:
        return "(ว่าง/blank)"
    if isinstance(value, tuple):
        return value[-1]
    if isinstance(value, float):
        return f"{value:g}"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def same_value(expected, found) -> bool:
    if expected is None or expected == "":
        return found is None or found == ""
    if isinstance(expected, bool) or isinstance(found, bool):
        return expected is found or (isinstance(expected, bool) and isinstance(found, bool) and expected == found)
    if isinstance(expected, (int, float)) and isinstance(found, (int, float)):
        return expected == found or abs(expected - found) <= 1e-12 * max(1.0, abs(expected))
    return type(expected) is type(found) and expected == found


def _diff(code: str, sheet: str, cell: str, what_th: str, what_en: str, expected, found) -> Finding:
    return error(code, f"{what_th}: ควรเป็น {_show(expected)} แต่พบ {_show(found)}",
                 f"{what_en}: expected {_show(expected)}, found {_show(found)}", sheet=sheet or None, cell=cell or None)


STYLE_PARTS = (("รูปแบบตัวเลข", "number format"), ("แบบอักษร/สี", "font or colour"), ("สีพื้น", "fill"),
               ("การจัดวาง", "alignment"), ("การล็อก/ซ่อนสูตร", "locked/hidden protection"))


def _style_diff(es: tuple, fs: tuple, has_content: bool) -> list:
    """Which parts of two canonical styles differ (number format and font only matter with content)."""
    out = []
    for n, (e, f) in enumerate(zip(es, fs)):
        if e == f:
            continue
        if not has_content and n in (0, 1, 3):
            continue  # an empty cell shows neither its number format, nor its font, nor its alignment
        out.append((STYLE_PARTS[n], e, f))
    return out


def _style_text(part) -> str:
    if isinstance(part, tuple) and len(part) == 8:  # a font
        name, size, bold, italic, strike, underline, color, vert = part
        flags = "".join(c for c, on in (("B", bold), ("I", italic), ("S", strike)) if on)
        return f"{name} {size:g}{' ' + flags if flags else ''}{' u' if underline else ''} #{color}" if size else str(part)
    return str(part)


def check_input(sheet: str, ref: str, spec: InputCell, cell) -> list:
    """An input cell's value against what it may hold; formulas are never allowed."""
    out = []
    if cell is None:
        return out
    if cell.formula is not None:
        out.append(error("WB-INPUT-FORMULA", f"ช่องกรอกข้อมูลมีสูตร ={cell.formula[:60]} (ต้องเป็นค่าที่พิมพ์เท่านั้น)",
                         f"an input cell holds the formula ={cell.formula[:60]} (only typed values are allowed)",
                         sheet=sheet, cell=ref, indicator=spec.label or None))
    value = cell.value
    if value is None:
        return out
    if spec.kind == NUMBER:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            out.append(error(spec.code, f"ผลต้องเป็นตัวเลข ไม่ใช่ {_show(value)}",
                             f"the result must be a number, not {_show(value)}", sheet=sheet, cell=ref,
                             indicator=spec.label or None))
        elif not math.isfinite(value) or abs(value) > PLAUSIBLE:
            out.append(error("WB-INPUT-IMPLAUSIBLE", f"ค่าที่กรอกไม่ใช่ตัวเลขที่ใช้ได้ ({_show(value)}; ต้องอยู่ระหว่าง ±1E15)",
                             f"the value is not a usable number ({_show(value)}; it must lie within ±1E15)",
                             sheet=sheet, cell=ref, indicator=spec.label or None))
    elif spec.kind == CHOICE:
        if value not in spec.choices:
            allowed = " / ".join(sorted(spec.choices))
            out.append(error("SAR-MILESTONE-VALUE", f"ต้องเป็น {allowed} เท่านั้น ไม่ใช่ {_show(value)}",
                             f"must be exactly {allowed}, not {_show(value)}", sheet=sheet, cell=ref,
                             indicator=spec.label or None))
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).lstrip(" \t\r\n" + _INVISIBLE)
        if text.startswith(FORMULA_STARTS) or _DDE.search(text):
            first = text[:1]
            out.append(error("WB-FORMULA-INJECTION",
                             f"ข้อความขึ้นต้นด้วย {first} หรือมีรูปแบบ DDE อาจถูกเรียกใช้เป็นสูตร: {value[:40]!r}",
                             f"text starting with {first} or shaped like DDE could run as a formula: {value[:40]!r}",
                             sheet=sheet, cell=ref, indicator=spec.label or None))
    elif isinstance(value, tuple):
        out.append(error("WB-INPUT-TYPE", f"ช่องกรอกข้อความมีค่าผิดพลาด {value[-1]}",
                         f"a text input holds the error value {value[-1]}", sheet=sheet, cell=ref,
                         indicator=spec.label or None))
    return out


def _compare_cells(sheet: str, e: Sheet, a: Sheet, e_styles: list, a_styles: list, inputs: dict,
                   free: set, out: list, same: set) -> None:
    """`same`: the (expected, found) style index pairs equal by effect (`_same_styles`)."""
    e_cells, a_cells = e.cells, a.cells
    e_default, a_default = e_styles[0], a_styles[0]
    covered = _covered(e.merges & a.merges)  # under a merge only the top-left cell shows
    sheet_inputs = {ref: spec for (name, ref), spec in inputs.items() if name == sheet}
    sheet_free = {ref for name, ref in free if name == sheet}
    for ref in e_cells.keys() | a_cells.keys():
        if ref in sheet_free:
            continue
        ec, ac = e_cells.get(ref), a_cells.get(ref)
        spec = sheet_inputs.get(ref)
        e_index = ec.style if ec is not None else 0
        a_index = ac.style if ac is not None else 0
        if (e_index, a_index) in same:
            if spec is None and ec is not None and ac is not None:
                # the same text is the same content (what same_value and canonical would say)
                ef, af = ec.formula, ac.formula
                if ef is None and af is None:
                    ev, av = ec.value, ac.value
                    if ev == av and type(ev) is type(av):
                        continue
                elif ef == af:
                    continue
            _compare_content(sheet, ref, ec, ac, spec, out)
            continue
        es = e_styles[e_index] if e_index < len(e_styles) else e_default
        fs = a_styles[a_index] if a_index < len(a_styles) else a_default
        if es is not fs and es != fs and ref not in covered:
            # an input shows what the officer will type: its format matters while it is empty
            has_content = spec is not None or \
                (ec is not None and (ec.value is not None or ec.formula is not None)) or \
                (ac is not None and (ac.value is not None or ac.formula is not None))
            for (th, en), ev, fv in _style_diff(es, fs, has_content):
                out.append(_diff("WB-FORMAT-CHANGED", sheet, ref, f"{th}ของช่องถูกเปลี่ยน", f"the cell's {en} changed",
                                 _style_text(ev), _style_text(fv)))
        _compare_content(sheet, ref, ec, ac, spec, out)


def _same_styles(e_styles: list, a_styles: list) -> set:
    """(expected index, found index) of the style pairs that are equal by effect: most cells'
    styles compare as two small numbers."""
    by_style: dict = {}
    for n, style in enumerate(e_styles):
        by_style.setdefault(style, []).append(n)
    return {(e_index, a_index) for a_index, style in enumerate(a_styles) for e_index in by_style.get(style, ())}


def _covered(merges) -> frozenset:
    from .ooxml import expand_ref

    out = set()
    for rng in merges:
        cells = expand_ref(rng)
        out |= cells - {rng.split(":")[0]}
    return frozenset(out)


def _compare_content(sheet: str, ref: str, ec, ac, spec, out: list, formulas_known: bool = True) -> None:
    if spec is not None:
        out.extend(check_input(sheet, ref, spec, ac))
        return
    ef = ec.formula if ec is not None else None
    af = ac.formula if ac is not None else None
    if ef is not None:
        if not formulas_known:
            return
        if af is None:
            out.append(_diff("WB-FORMULA-REPLACED", sheet, ref, "สูตรถูกแทนด้วยค่าคงที่", "the formula was replaced by a constant",
                             "=" + ef, ac.value if ac is not None else None))
        elif canonical(ef) != canonical(af):
            out.append(_diff("WB-FORMULA-CHANGED", sheet, ref, "สูตรถูกแก้ไข", "the formula was changed", "=" + ef, "=" + af))
        return
    ev = ec.value if ec is not None else None
    if af is not None:
        out.append(_diff("WB-CELL-CHANGED", sheet, ref, "มีสูตรในช่องที่ควรเป็นค่าคงที่", "a formula where a constant belongs",
                         ev, "=" + af))
    elif not same_value(ev, ac.value if ac is not None else None):
        out.append(_diff("WB-CELL-CHANGED", sheet, ref, "ค่าในช่องที่ล็อกไว้ถูกเปลี่ยน", "a locked cell's value changed",
                         ev, ac.value if ac is not None else None))


def _compare_layout(sheet: str, e: Sheet, a: Sheet, out: list) -> None:
    e_row_default = e.format.get("default_row_height", 15.0)
    a_row_default = a.format.get("default_row_height", 15.0)
    if a.format.get("zero_height") and not e.format.get("zero_height"):
        out.append(_diff("WB-ROW-HIDDEN", sheet, "", "แถวทั้งหมดถูกซ่อน (zeroHeight)", "every row was hidden (zeroHeight)", False, True))
    if a_row_default < ROW_TOLERANCE * e_row_default:
        out.append(_diff("WB-ROW-HEIGHT", sheet, "", "ความสูงแถวปกติลดลงจนซ่อนข้อความ", "the default row height shrank, hiding text",
                         e_row_default, a_row_default))
    for r in sorted(e.rows.keys() | a.rows.keys()):
        eh, ehid = e.rows.get(r, (None, False))
        ah, ahid = a.rows.get(r, (None, False))
        if ehid != ahid:
            out.append(_diff("WB-ROW-HIDDEN", sheet, f"A{r}", f"การซ่อนแถว {r} ถูกเปลี่ยน", f"row {r} was hidden or shown", ehid, ahid))
        elif not ehid:
            floor = min(eh or e_row_default, e_row_default) if eh is None else eh
            if ah is not None and ah < ROW_TOLERANCE * floor - 0.5:
                out.append(_diff("WB-ROW-HEIGHT", sheet, f"A{r}", f"แถว {r} เตี้ยลงจนซ่อนข้อความ", f"row {r} was made too low to show its text",
                                 eh or e_row_default, ah))
    e_col_default = e.format.get("default_col_width", 8.43)
    a_col_default = a.format.get("default_col_width", 8.43)
    last = max([0, *e.cols, *a.cols, e.max_col])
    for n in range(1, last + 1):
        ew, ehid = e.cols.get(n, (None, False))
        aw, ahid = a.cols.get(n, (None, False))
        letters = column_letters(n)
        if ehid != ahid:
            out.append(_diff("WB-COLUMN-HIDDEN", sheet, f"{letters}1", f"การซ่อนคอลัมน์ {letters} ถูกเปลี่ยน",
                             f"column {letters} was hidden or shown", ehid, ahid))
        elif not ehid:
            expected = ew if ew is not None else e_col_default
            found = aw if aw is not None else a_col_default
            if found < COLUMN_TOLERANCE * expected:
                out.append(_diff("WB-COLUMN-WIDTH", sheet, f"{letters}1", f"คอลัมน์ {letters} แคบลงจนซ่อนข้อมูล",
                                 f"column {letters} was narrowed, hiding its content", expected, found))
    for key, th, en, default in (("show_zeros", "การแสดงค่าศูนย์", "showing zero values", True),
                                 ("right_to_left", "ทิศทางของแผ่นงาน (ขวาไปซ้าย)", "the sheet's right-to-left direction", False)):
        if e.format.get(key, default) != a.format.get(key, default):
            out.append(_diff("WB-FORMAT-CHANGED", sheet, "", f"{th}ถูกเปลี่ยน", f"{en} was changed",
                             e.format.get(key, default), a.format.get(key, default)))


def _compare_sheet_settings(sheet: str, e: Sheet, a: Sheet, out: list, printed: bool = True) -> None:
    for rng in sorted(e.merges ^ a.merges):
        out.append(_diff("WB-MERGE-CHANGED", sheet, rng.split(":")[0], f"การผสานช่อง {rng} ถูกเปลี่ยน",
                         f"the merged range {rng} changed", rng if rng in e.merges else None, rng if rng in a.merges else None))
    if e.protection is not None and a.protection is None or (e.protection or {}).get("sheet") and not (a.protection or {}).get("sheet"):
        out.append(error("WB-PROTECTION-REMOVED", f"แผ่นงาน {sheet} ถูกยกเลิกการป้องกัน",
                         f"sheet protection was removed from {sheet}", sheet=sheet))
    elif e.protection != a.protection:
        keys = sorted(k for k in (e.protection or {}) if (e.protection or {}).get(k) != (a.protection or {}).get(k))
        out.append(_diff("WB-PROTECTION-CHANGED", sheet, "", "การตั้งค่าการป้องกันแผ่นงานถูกเปลี่ยน",
                         "the sheet protection settings changed", {k: e.protection[k] for k in keys},
                         {k: (a.protection or {}).get(k) for k in keys}))
    for key in e.validations.keys() | a.validations.keys():
        ec, ac = e.validations.get(key, frozenset()), a.validations.get(key, frozenset())
        if ec != ac:
            missing, extra = sorted(ec - ac), sorted(ac - ec)
            where = (missing or extra)[0]
            out.append(_diff("WB-VALIDATION-CHANGED", sheet, where if re.fullmatch(r"[A-Z]+\d+", where) else "",
                             f"การตรวจสอบข้อมูล ({key[0]} {key[2] or ''}) ถูกเปลี่ยน", f"a data validation ({key[0]} {key[2] or ''}) changed",
                             f"{len(ec)} ช่อง/cells", f"{len(ac)} ช่อง/cells (ขาด/missing {missing[:3]}, เกิน/extra {extra[:3]})"))
    for rule in sorted(e.conditional ^ a.conditional, key=repr):
        out.append(_diff("WB-CONDITIONAL-FORMAT", sheet, rule[0].split(":")[0].split()[0] if rule[0] else "",
                         "การจัดรูปแบบตามเงื่อนไขถูกเปลี่ยน", "a conditional format changed",
                         rule if rule in e.conditional else None, rule if rule in a.conditional else None))
    for ref in sorted(e.hyperlinks.keys() | a.hyperlinks.keys()):
        if e.hyperlinks.get(ref) != a.hyperlinks.get(ref):
            out.append(_diff("WB-HYPERLINK-CHANGED", sheet, ref, "ลิงก์ถูกเปลี่ยน", "a hyperlink changed",
                             e.hyperlinks.get(ref), a.hyperlinks.get(ref)))
    for key in sorted(e.printing.keys() | a.printing.keys()) if printed else ():
        ev, av = e.printing.get(key), a.printing.get(key)
        if ev != av and not (key.startswith("margin_") and ev is not None and av is not None and abs(ev - av) < 0.02):
            out.append(_diff("WB-PRINT-CHANGED", sheet, "", f"การตั้งค่าการพิมพ์ ({key}) ถูกเปลี่ยน",
                             f"the print setting {key} changed", ev, av))
    for kind in sorted(set(a.objects) - set(e.objects)):
        out.append(error("WB-OBJECT-ADDED", f"มีวัตถุ ({kind}) เพิ่มในแผ่นงาน อาจบังหรือแทนค่าที่แสดง",
                         f"an object ({kind}) was added to the sheet; it could cover or replace what is shown", sheet=sheet))


def _visible(state: str) -> bool:
    return state in (None, "", "visible")


def compare(expected: Book, actual: Book, inputs: dict, free: frozenset = frozenset()) -> list[Finding]:
    """Every difference between the generator's workbook and the audited one (errors)."""
    out: list = []
    e_names = [s.name for s in expected.sheets]
    a_names = [s.name for s in actual.sheets]
    for name in e_names:
        if name not in a_names:
            out.append(error("WB-SHEET-DELETED", f"แผ่นงาน {name} หายไป", f"sheet {name} was deleted", sheet=name))
    for n, name in enumerate(a_names):
        if name not in e_names or a_names.count(name) > 1 and a_names.index(name) != n:
            out.append(error("WB-SHEET-INSERTED", f"มีแผ่นงาน {name} เพิ่มเข้ามา", f"sheet {name} was inserted", sheet=name))
    if [n for n in a_names if n in e_names] != [n for n in e_names if n in a_names]:
        out.append(_diff("WB-SHEETS-REORDERED", "", "workbook", "ลำดับแผ่นงานถูกเปลี่ยน", "the sheets were reordered",
                         ", ".join(e_names), ", ".join(a_names)))
    if expected.structure_locked and not actual.structure_locked:
        out.append(error("WB-PROTECTION-REMOVED", "สมุดงานถูกยกเลิกการป้องกันโครงสร้าง",
                         "the workbook's structure protection was removed", cell="workbook"))
    e_targets, a_targets = expected.names, actual.names
    changed = [key for key in e_targets.keys() | a_targets.keys() if e_targets.get(key) != a_targets.get(key)]
    for key in sorted(changed, key=repr):  # a thousand names: only the changed ones sorted
        out.append(_diff("WB-NAME-CHANGED", "", key[0], f"ชื่อที่กำหนด {key[0]} ถูกเปลี่ยน", f"the defined name {key[0]} changed",
                         e_targets.get(key), a_targets.get(key)))
    seen = set()
    same = _same_styles(expected.styles, actual.styles)
    for e in expected.sheets:
        a = next((s for s in actual.sheets if s.name == e.name), None)
        if a is None or e.name in seen:
            continue
        seen.add(e.name)
        if _visible(e.state) != _visible(a.state):
            out.append(_diff("WB-SHEET-VISIBILITY", e.name, "", f"การซ่อนแผ่นงาน {e.name} ถูกเปลี่ยน",
                             f"sheet {e.name} was hidden or shown", e.state, a.state))
        _compare_cells(e.name, e, a, expected.styles, actual.styles, inputs, free, out, same)
        _compare_layout(e.name, e, a, out)
        _compare_sheet_settings(e.name, e, a, out, printed=_visible(e.state))
    return _capped(out, e_names)


def _position(finding: Finding, sheets: list) -> tuple:
    cell = finding.cell or ""
    letters = cell.rstrip("0123456789")
    digits = cell[len(letters):]
    order = sheets.index(finding.sheet) if finding.sheet in sheets else -1
    return order, int(digits) if digits.isdigit() else 0, len(letters), letters


def _capped(out: list, sheets: list) -> list:
    """At most PER_CODE findings of each code, the first in reading order (sheet, row, column),
    then one finding saying how many more; a wholesale change stays readable."""
    if len(out) <= MAX_FINDINGS:
        return out
    kept, omitted = [], {}
    for finding in sorted(out, key=lambda f: _position(f, sheets)):
        count = sum(1 for k in kept if k.code == finding.code)
        if count < PER_CODE:
            kept.append(finding)
        else:
            omitted[finding.code] = omitted.get(finding.code, 0) + 1
    if omitted:
        more = ", ".join(f"{code} × {n}" for code, n in sorted(omitted.items()))
        kept.append(error("WB-MANY-DIFFERENCES", f"และยังมีความแตกต่างอีก: {more}", f"and more differences: {more}",
                          cell="workbook"))
    return kept


def compare_values(expected, data, free: frozenset = frozenset()) -> list[Finding]:
    """The cell-level whitelist over values (and formulas when known) of a live book."""
    from .ooxml import Cell

    out: list = []
    for name in expected.sheetnames:
        if name not in data.sheetnames:
            out.append(error("WB-SHEET-DELETED", f"แผ่นงาน {name} หายไป", f"sheet {name} was deleted", sheet=name))
    for name in data.sheetnames:
        if name not in expected.sheetnames:
            out.append(error("WB-SHEET-INSERTED", f"มีแผ่นงาน {name} เพิ่มเข้ามา", f"sheet {name} was inserted", sheet=name))
    by_sheet: dict = {}
    for (sheet, ref), value in data.values.items():
        by_sheet.setdefault(sheet, {})[ref] = [value, None]
    for (sheet, ref), formula in (data.formulas or {}).items():
        by_sheet.setdefault(sheet, {}).setdefault(ref, [None, None])[1] = formula.lstrip("=")
    for sheet in expected.book.sheets:
        if sheet.name not in data.sheetnames:
            continue
        actual = by_sheet.get(sheet.name, {})
        for ref in sheet.cells.keys() | actual.keys():
            if (sheet.name, ref) in free:
                continue
            found = actual.get(ref)
            ac = Cell(found[0], found[1]) if found else None
            _compare_content(sheet.name, ref, sheet.cells.get(ref), ac, expected.inputs.get((sheet.name, ref)), out,
                             formulas_known=data.formulas is not None)
    return _capped(out, list(expected.sheetnames))


def light_checks(data, agreement, kind: str) -> list[Finding]:
    """What a live book's click can check without generating the workbook: sheet and structure
    protection (when the book says), and on a SAR Card every score formula against the ones
    `sar_formulas` writes (desktop Excel gives formulas; the remote engine does not)."""
    from ..model import ROUNDS
    from ..workbook.layout import KIND_SAR, Col, round_sheet, sar_layout
    from ..workbook.sar_formulas import row_formulas, total

    out: list = []
    if data.protected is not None:
        for sheet in data.sheetnames:
            if not data.protected.get(sheet, False):
                out.append(error("WB-PROTECTION-REMOVED", f"แผ่นงาน {sheet} ถูกยกเลิกการป้องกัน",
                                 f"sheet protection was removed from {sheet}", sheet=sheet))
    if data.structure_locked is False:
        out.append(error("WB-PROTECTION-REMOVED", "สมุดงานถูกยกเลิกการป้องกันโครงสร้าง",
                         "the workbook's structure protection was removed", cell="workbook"))
    if kind != KIND_SAR or data.formulas is None:
        return out
    layout = sar_layout(agreement)
    totals = [(f"{Col.WEIGHTED}{r}", total([x.row for x in layout.leaf_rows(d)])) for d, r in layout.dimension_rows.items()]
    totals.append((f"{Col.WEIGHTED}{layout.total_row}", total([x.row for x in layout.leaf_rows()])))
    for round_ in ROUNDS:
        sheet = round_sheet(round_)
        if sheet not in data.sheetnames:
            continue
        expected = list(totals)
        for row in layout.rows:
            expected += [(f"{column}{row.row}", formula) for column, formula in row_formulas(row, round_).items()]
        for cell, formula in expected:
            found = data.formula(sheet, cell)
            if found is None:
                out.append(_diff("WB-FORMULA-REPLACED", sheet, cell, "สูตรถูกแทนด้วยค่าคงที่",
                                 "the formula was replaced by a constant", formula, data.get(sheet, cell)))
            elif canonical(found) != canonical(formula):
                out.append(_diff("WB-FORMULA-CHANGED", sheet, cell, "สูตรถูกแก้ไข", "the formula was changed", formula, found))
    return _capped(out, list(data.sheetnames))
