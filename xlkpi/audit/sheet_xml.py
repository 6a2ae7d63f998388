"""One worksheet's XML read into the canonical model's `Sheet` (`ooxml` reads the package).

Cells in one pass (a cell's `r` optional, shared formulas expanded, inline or shared strings),
then every other element that changes what the sheet shows or prints: columns, the default
row height, views, protection, merges, validations, conditional formats, hyperlinks, print
settings, and any drawing, picture, object or control.  `inmemory` reads the generator's
settings through the same `_parse_setting`.
"""
from __future__ import annotations

import re
from typing import Optional
from xml.etree import ElementTree as ET

from .ooxml import (CELL_RE, DEFAULT_COL_WIDTH, DEFAULT_ROW_HEIGHT, OBJECT_TAGS, PRINT_DEFAULTS, REL_NS, SHEET_PROTECTION_DEFAULTS, BadPackage, Cell,
                    Sheet, canonical_reference, expand_ref)
from .styles import _bool, _float
from ..workbook.layout import column_index as column_number, column_letter as column_letters

_REFS: dict = {}  # a cell's r -> (column number, the reference without $): the same in every file
_REFS_MAX = 100_000  # entries; past that, references are worked out each time (memory stays flat)


def _cell_ref(ref: str) -> tuple:
    known = _REFS.get(ref)
    if known is None:
        m = CELL_RE.fullmatch(ref)
        if m is None:
            raise BadPackage("WB-CORRUPT", f"อ้างอิงช่องไม่ถูกต้อง: {ref}", f"a bad cell reference: {ref}")
        known = (column_number(m.group(1)), m.group(1) + m.group(2))
        if len(_REFS) < _REFS_MAX:
            _REFS[ref] = known
    return known


def _parse_sheet(data: bytes, sheet: Sheet, ns, rel_ids: tuple, strings: list, rels: dict) -> None:
    root = ET.fromstring(data)
    data_tag = ns("sheetData")
    shared: dict = {}  # shared formulas by si, across the sheet
    last_row = last_col = 0
    for child in root:
        tag = child.tag
        if tag == data_tag:
            last_row, last_col = _parse_cells(child, sheet, ns, strings, shared, last_row, last_col)
        else:
            _parse_setting(sheet, child, tag, ns, rels)
    _finish_sheet(sheet, last_row, last_col)


def _parse_cells(sheet_data, sheet: Sheet, ns, strings: list, shared: dict, last_row: int, last_col: int) -> tuple:
    """The rows and cells of one <sheetData>; (last row holding anything, last column)."""
    from .formulas import shift

    row_tag, c_tag, f_tag, v_tag, is_tag = (ns(t) for t in ("row", "c", "f", "v", "is"))
    cells, rows, n_strings, refs_get = sheet.cells, sheet.rows, len(strings), _REFS.get
    row_number = 0
    for row_el in sheet_data:
        if row_el.tag != row_tag:
            continue
        r_attr = row_el.get("r")
        row_number = int(r_attr) if r_attr else row_number + 1
        ht, hidden = row_el.get("ht"), _bool(row_el.get("hidden"), False)
        if ht is not None or hidden:
            rows[row_number] = (_float(ht), hidden)
        column = 0
        for c in row_el:
            if c.tag != c_tag:
                continue
            get = c.get
            ref = get("r")
            if ref:
                column, ref = refs_get(ref) or _cell_ref(ref)
            else:
                column += 1
                ref = f"{column_letters(column)}{row_number}"
            kind = get("t", "n")
            f = v = inline = None
            for part in c:
                tag = part.tag
                if tag == v_tag:
                    v = part
                elif tag == f_tag:
                    f = part
                elif tag == is_tag:
                    inline = part
            value = None  # an empty text is no value (`or None` below)
            if kind == "inlineStr":
                if inline is not None:
                    value = "".join(_shared_strings_of(inline, ns)) or None
            elif v is not None:
                text = v.text
                if text is None:
                    pass
                elif kind == "n":
                    value = float(text)
                elif kind == "s":
                    index = int(text)
                    if not 0 <= index < n_strings:
                        raise BadPackage("WB-CORRUPT", f"ช่อง {ref} อ้างถึงข้อความที่ไม่มี", f"cell {ref} refers to a missing string")
                    value = strings[index] or None
                elif kind == "str" or kind == "d":
                    value = text or None
                elif kind == "e":
                    value = ("#ERR", text)
                elif kind == "b":
                    value = text.strip() in ("1", "true")
                else:
                    value = float(text)
            formula = None
            if f is not None:
                formula = f.text
                if f.get("t") == "shared":
                    index = f.get("si")
                    if formula:
                        shared[index] = (row_number, column, formula)
                    elif index in shared:
                        r0, c0, master = shared[index]
                        formula = shift(master, row_number - r0, column - c0)
                if formula is None:
                    formula = ""
            style = get("s")
            cells[ref] = Cell(value, formula, int(style) if style is not None else 0, kind)
            if column > last_col:
                last_col = column
            if row_number > last_row and (value is not None or formula is not None):
                last_row = row_number
    return last_row, last_col


def _finish_sheet(sheet: Sheet, last_row: int, last_col: int) -> None:
    for key, default in PRINT_DEFAULTS.items():
        sheet.printing.setdefault(key, default)
    if not sheet.printing.get("fit_to_page"):
        sheet.printing.pop("fit_width", None)
        sheet.printing.pop("fit_height", None)
    else:
        sheet.printing.pop("scale", None)
    sheet.max_row = last_row
    sheet.max_col = last_col


def _parse_setting(sheet: Sheet, child, tag: str, ns, rels: dict) -> None:
    """One of a worksheet's elements other than its cells (columns, protection, printing …)."""
    if tag == ns("cols"):
        for col in child:
            lo, hi = int(col.get("min", "1")), int(col.get("max", "1"))
            width, hidden = _float(col.get("width")), _bool(col.get("hidden"), False)
            for n in range(lo, min(hi, 256) + 1):
                sheet.cols[n] = (width, hidden)
    elif tag == ns("sheetFormatPr"):
        sheet.format["zero_height"] = _bool(child.get("zeroHeight"), False)
        sheet.format["default_row_height"] = _float(child.get("defaultRowHeight"), DEFAULT_ROW_HEIGHT)
        width = _float(child.get("defaultColWidth"))
        if width is None and child.get("baseColWidth") is not None:
            width = _float(child.get("baseColWidth"), 8) + 0.43
        sheet.format["default_col_width"] = width if width is not None else DEFAULT_COL_WIDTH
    elif tag == ns("sheetViews"):
        for view in child:
            sheet.format["show_zeros"] = _bool(view.get("showZeros"), True)
            sheet.format["right_to_left"] = _bool(view.get("rightToLeft"), False)
    elif tag == ns("sheetPr"):
        setup = child.find(ns("pageSetUpPr"))
        sheet.printing["fit_to_page"] = setup is not None and _bool(setup.get("fitToPage"), False)
    elif tag == ns("sheetProtection"):
        sheet.protection = {k: _bool(child.get(k), d) for k, d in SHEET_PROTECTION_DEFAULTS.items()}
    elif tag == ns("mergeCells"):
        sheet.merges = frozenset(m.get("ref", "").replace("$", "") for m in child)
    elif tag == ns("dataValidations"):
        for dv in child:
            kind = dv.get("type", "none")
            operator = dv.get("operator", "between") if kind not in ("list", "custom", "none") else ""
            two = operator in ("between", "notBetween")
            key = (kind, operator, _formula_text(dv.find(ns("formula1"))),
                   _formula_text(dv.find(ns("formula2"))) if two else None,
                   _bool(dv.get("allowBlank"), False), _bool(dv.get("showErrorMessage"), False),
                   dv.get("errorStyle", "stop"))
            sheet.validations[key] = sheet.validations.get(key, frozenset()) | expand_ref(dv.get("sqref", ""))
    elif tag == ns("conditionalFormatting"):
        rules = []
        for rule in child:
            rules.append((rule.get("type"), rule.get("operator"), rule.get("dxfId"), rule.get("text"),
                          tuple(_formula_text(f) for f in rule.findall(ns("formula")))))
        sheet.conditional = sheet.conditional | {(child.get("sqref", ""), tuple(rules))}
    elif tag == ns("hyperlinks"):
        for link in child:
            rid = next((link.get("{%s}id" % n) for n in REL_NS if link.get("{%s}id" % n)), None)
            target = rels.get(rid, ("", ""))[1] if rid else ""
            location = link.get("location")
            text = _hyperlink(target, location)
            for cell in expand_ref(link.get("ref", "")):
                sheet.hyperlinks[cell] = text
    elif tag == ns("printOptions"):
        for k in ("horizontalCentered", "verticalCentered", "gridLines", "headings"):
            sheet.printing[k] = _bool(child.get(k), False)
    elif tag == ns("pageMargins"):
        for k in ("left", "right", "top", "bottom"):
            sheet.printing["margin_" + k] = round(_float(child.get(k), 0.75), 2)
    elif tag == ns("pageSetup"):
        sheet.printing["paper"] = child.get("paperSize", "1")
        orientation = child.get("orientation") or "portrait"
        sheet.printing["orientation"] = "portrait" if orientation == "default" else orientation
        sheet.printing["fit_width"] = int(_float(child.get("fitToWidth"), 1))
        sheet.printing["fit_height"] = int(_float(child.get("fitToHeight"), 1))
        sheet.printing["scale"] = int(_float(child.get("scale"), 100))
        sheet.printing["black_and_white"] = _bool(child.get("blackAndWhite"), False)
        sheet.printing["cell_comments"] = child.get("cellComments", "none")
    elif tag == ns("headerFooter"):
        for part in child:
            local = part.tag.rsplit("}", 1)[-1]
            if part.text:
                # the footer's words and fields; its font face (&"name,style") LibreOffice drops
                sheet.printing[local] = re.sub(r'&"[^"]*"', "", part.text)
    elif tag.rsplit("}", 1)[-1] in OBJECT_TAGS:
        sheet.objects.append(tag.rsplit("}", 1)[-1])
    elif tag == ns("extLst"):
        # Excel 2010 keeps some conditional formats, validations and sparklines here: all
        # change what a sheet shows, and the generator writes none
        for element in child.iter():
            local = element.tag.rsplit("}", 1)[-1]
            if local in ("conditionalFormatting", "dataValidation", "sparklineGroup"):
                sheet.objects.append(f"extLst:{local}")


def _shared_strings_of(inline, ns):
    t_tag, r_tag = ns("t"), ns("r")
    for child in inline:
        if child.tag == t_tag:
            yield child.text or ""
        elif child.tag == r_tag:
            for t in child.iter(t_tag):
                yield t.text or ""


def _formula_text(element) -> Optional[str]:
    if element is None or element.text is None:
        return None
    from .formulas import canonical

    text = element.text.strip()
    try:
        return repr(float(text))
    except ValueError:
        return canonical(text)


def _hyperlink(target: str, location: Optional[str]) -> str:
    """A link by where it goes; LibreOffice writes an in-file link as this file's name + location."""
    from urllib.parse import unquote

    if location:
        relative_self = target and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) and \
            target.lower().endswith((".xlsx", ".xlsm"))
        if not target or relative_self:
            return "#" + canonical_reference(unquote(location))
        return f"{target}#{canonical_reference(unquote(location))}"
    if target.startswith("#"):
        return "#" + canonical_reference(unquote(target[1:]))
    return target


