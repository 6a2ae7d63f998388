"""A workbook package read into one canonical model: the same for a file and for the generator's.

`read_book(bytes_or_path)` opens the zip read-only, follows the package relationships (not
fixed part names), accepts both Open XML dialects (transitional and Strict namespaces), cells
without the optional `r`, inline or shared strings, shared formulas, any part order and any
compression, and ignores what does not change what a workbook shows or computes (calcChain,
document properties, themes, views).  What it keeps is `Book`: per sheet every cell's value,
formula (as written; `formulas.canonical` compares them) and style *by effect*; merges, rows
and columns, protection, validations, conditional formats, hyperlinks, print settings; the
workbook's sheets, defined names and structure lock.

The container is checked on the way (`container_findings`): duplicate or escaping entries,
macros and macro sheets, external links and data connections, embedded objects, XML that
declares a DTD or entities.  A part that declares entities is never parsed; nothing is run.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Optional
from xml.etree import ElementTree as ET

from ..findings import Finding, error

MAIN_NS = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
           "http://purl.oclc.org/ooxml/spreadsheetml/main")
REL_NS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "http://purl.oclc.org/ooxml/officeDocument/relationships")
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CELL_RE = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
DEFAULT_COL_WIDTH = 8.43
DEFAULT_ROW_HEIGHT = 15.0


class BadPackage(Exception):
    """The package cannot be read as a workbook; the message says why (Thai, English)."""

    def __init__(self, code: str, th: str, en: str):
        super().__init__(en)
        self.code, self.th, self.en = code, th, en


@dataclass
class Cell:
    value: object = None  # float, str, bool, or ("#ERR",) text for an error value
    formula: Optional[str] = None  # without the leading "=", shared formulas expanded
    style: int = 0  # index into Book.styles (effect-canonical)
    kind: str = "n"  # the cell's t attribute


@dataclass
class Sheet:
    name: str
    state: str = "visible"
    cells: dict = field(default_factory=dict)  # "A1" -> Cell
    merges: frozenset = frozenset()
    rows: dict = field(default_factory=dict)  # row -> (height or None, hidden)
    cols: dict = field(default_factory=dict)  # column number -> (width or None, hidden)
    format: dict = field(default_factory=dict)  # sheetFormatPr / sheetView effects
    protection: Optional[dict] = None
    validations: dict = field(default_factory=dict)  # (type, operator, f1, f2, flags) -> frozenset(cells)
    conditional: frozenset = frozenset()
    hyperlinks: dict = field(default_factory=dict)  # cell -> target
    printing: dict = field(default_factory=dict)
    objects: list = field(default_factory=list)  # drawings, pictures, OLE objects, controls, tables
    max_row: int = 0
    max_col: int = 0


@dataclass
class Book:
    sheets: list  # Sheet, in workbook order
    styles: list  # canonical style tuples; Cell.style indexes this
    names: dict  # (name lower-cased, local sheet index or None) -> canonical target
    structure_locked: bool = False
    findings: list = field(default_factory=list)  # container findings

    def sheet(self, name: str) -> Optional[Sheet]:
        return next((s for s in self.sheets if s.name == name), None)


# --- the container --------------------------------------------------------------------

_ENTITY = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
_MACRO_TYPES = ("vbaproject", "macrosheet", "intlmacrosheet", "dialogsheet", "macroenabled", "vbadata")
_EXTERNAL_TYPES = ("externallink", "connections", "querytable", "externallinkpath")
_EMBED_TYPES = ("oleobject", "package", "control", "activex", "embeddings", "activexcontrolbinary")


def _decoded(data: bytes) -> bytes:
    """The part as UTF-8 bytes whatever its declared encoding (UTF-16 hides nothing)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace").encode("utf-8")
    if data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return data.decode("utf-16-le" if data[0] == 0x3C else "utf-16-be", "replace").encode("utf-8")
    return data


def declares_entities(data: bytes) -> bool:
    return _ENTITY.search(_decoded(data[:1 << 16])) is not None or _ENTITY.search(_decoded(data)) is not None


def _bad(code, th, en, part=""):
    return error(code, th, en, cell=part or None)


def container_findings(archive: zipfile.ZipFile, content_types: bytes) -> list[Finding]:
    """Findings about the package itself (each an error); never raises."""
    out = []
    names = [i.filename for i in archive.infolist()]
    seen = {}
    for name in names:
        key = name.lower()
        if key in seen:
            out.append(_bad("WB-ZIP-DUPLICATE", f"มีส่วนประกอบชื่อซ้ำกันในไฟล์: {name}",
                            f"the package holds two entries named {name}", name))
        seen[key] = name
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or "\\" in name or re.match(r"^[A-Za-z]:", name):
            out.append(_bad("WB-ZIP-PATH", f"ส่วนประกอบชี้ออกนอกแพ็กเกจ: {name}",
                            f"an entry points outside the package: {name}", name))
    lowered = content_types.lower()
    for name in names:
        low = name.lower()
        if low.endswith("vbaproject.bin") or low.endswith("vbadata.xml") or "/macrosheets/" in low or "/dialogsheets/" in low:
            out.append(_bad("WB-MACROS", f"มีมาโคร (VBA หรือ macro sheet): {name}",
                            f"the package holds macros (VBA or a macro sheet): {name}", name))
        elif low.startswith("xl/externallinks/") or low.endswith("connections.xml") or "/querytables/" in low:
            out.append(_bad("WB-EXTERNAL-LINK", f"มีการเชื่อมโยงข้อมูลภายนอก: {name}",
                            f"the package links to external data: {name}", name))
        elif "/embeddings/" in low or "/activex/" in low or "/ctrlprops/" in low:
            out.append(_bad("WB-EMBEDDED-OBJECT", f"มีวัตถุฝังตัว: {name}", f"the package embeds an object: {name}", name))
    if any(t.encode() in lowered for t in ("vbaproject", "macrosheet", "macroenabled", "dialogsheet")) and \
            not any(f.code == "WB-MACROS" for f in out):
        out.append(_bad("WB-MACROS", "ชนิดเนื้อหาระบุว่ามีมาโคร", "the content types declare macros", "[Content_Types].xml"))
    return out


# --- small helpers ----------------------------------------------------------------------

def _bool(value, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "on")


def _float(value, default=None):
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


MAX_EXPANDED = 20000  # cells a range may stand for before it is kept as its text


def expand_ref(sqref: str) -> frozenset:
    """'K6:K7 K10' -> {'K6','K7','K10'}; a huge range stays as its text."""
    out = set()
    for part in (sqref or "").replace("$", "").split():
        if ":" not in part:
            out.add(part)
            continue
        a, b = part.split(":", 1)
        ma, mb = CELL_RE.fullmatch(a), CELL_RE.fullmatch(b)
        if not ma or not mb:
            out.add(part)
            continue
        c1, c2 = sorted((column_number(ma.group(1)), column_number(mb.group(1))))
        r1, r2 = sorted((int(ma.group(2)), int(mb.group(2))))
        if (c2 - c1 + 1) * (r2 - r1 + 1) > MAX_EXPANDED:
            out.add(part)
            continue
        for c in range(c1, c2 + 1):
            letters = column_letters(c)
            for r in range(r1, r2 + 1):
                out.add(f"{letters}{r}")
    return frozenset(out)


_SHEET_QUOTED = re.compile(r"'((?:[^']|'')*)'!")


def canonical_reference(text: str) -> str:
    """A defined name's or link's target with $ and sheet quoting removed, areas sorted."""
    text = (text or "").strip().lstrip("=").lstrip("#")
    text = _SHEET_QUOTED.sub(lambda m: m.group(1).replace("''", "'") + "!", text).replace("$", "")
    return ",".join(sorted(p.strip() for p in text.split(",")))


def _color(element) -> str:
    """A colour by effect: black/automatic/text colour -> 000000; RGB without alpha."""
    if element is None:
        return "000000"
    rgb = element.get("rgb")
    if rgb:
        rgb = rgb.upper()[-6:]
        return rgb
    if element.get("auto") in ("1", "true"):
        return "000000"
    theme = element.get("theme")
    if theme is not None:
        tint = element.get("tint")
        base = {"1": "000000", "0": "FFFFFF"}.get(theme, f"theme{theme}")
        return base if not tint or float(tint) == 0 else f"{base}~{float(tint):.3f}"
    indexed = element.get("indexed")
    if indexed is not None:
        return {"8": "000000", "9": "FFFFFF", "64": "000000", "65": "FFFFFF"}.get(indexed, f"indexed{indexed}")
    return "000000"


BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
                   11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
                   17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
                   22: "m/d/yy h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
                   40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@"}


class _Ns:
    """Tag names of one dialect (no namespace: openpyxl's elements before they are written)."""

    def __init__(self, main: str):
        self.m = "{%s}" % main if main else ""

    def __call__(self, tag: str) -> str:
        return self.m + tag


def _styles(root, ns) -> list:
    """cellXfs as canonical tuples: (number format, font, fill, alignment, protection)."""
    if root is None:
        return [("General", None, ("none",), ("general", "bottom", False, 0, 0, False), (True, False))]
    formats = dict(BUILTIN_FORMATS)
    numfmts = root.find(ns("numFmts"))
    for nf in (numfmts if numfmts is not None else ()):
        formats[int(nf.get("numFmtId", "0"))] = nf.get("formatCode", "")
    fonts = []
    fonts_el = root.find(ns("fonts"))
    for font in (fonts_el if fonts_el is not None else ()):
        def flag(tag):
            el = font.find(ns(tag))
            return el is not None and _bool(el.get("val"), True)
        name = font.find(ns("name"))
        size = font.find(ns("sz"))
        underline = font.find(ns("u"))
        vert = font.find(ns("vertAlign"))
        fonts.append((name.get("val") if name is not None else None,
                      _float(size.get("val")) if size is not None else None,
                      flag("b"), flag("i"), flag("strike"),
                      None if underline is None or underline.get("val") == "none" else underline.get("val", "single"),
                      _color(font.find(ns("color"))),
                      None if vert is None or vert.get("val") == "baseline" else vert.get("val")))
    fills = []
    fills_el = root.find(ns("fills"))
    for fill in (fills_el if fills_el is not None else ()):
        pattern = fill.find(ns("patternFill"))
        if pattern is None:
            fills.append(("gradient",) if fill.find(ns("gradientFill")) is not None else ("none",))
            continue
        kind = pattern.get("patternType", "none" if pattern.find(ns("fgColor")) is None else "solid")
        if kind == "none":
            fills.append(("none",))
        elif kind == "solid":
            fills.append(("solid", _color(pattern.find(ns("fgColor")))))
        else:
            fills.append((kind, _color(pattern.find(ns("fgColor"))), _color(pattern.find(ns("bgColor")))))
    out = []
    xfs = root.find(ns("cellXfs"))
    for xf in (xfs if xfs is not None else ()):
        code = formats.get(int(xf.get("numFmtId", "0")), f"#{xf.get('numFmtId')}")
        if code.lower() == "general":
            code = "General"
        font_id, fill_id = int(xf.get("fontId", "0")), int(xf.get("fillId", "0"))
        align = xf.find(ns("alignment"))
        a = align if align is not None else {}
        alignment = ((a.get("horizontal") or "general"), (a.get("vertical") or "bottom"),
                     _bool(a.get("wrapText"), False), int(_float(a.get("indent"), 0)),
                     int(_float(a.get("textRotation"), 0)), _bool(a.get("shrinkToFit"), False))
        prot = xf.find(ns("protection"))
        protection = (_bool(prot.get("locked"), True), _bool(prot.get("hidden"), False)) if prot is not None \
            else (True, False)
        out.append((code, fonts[font_id] if font_id < len(fonts) else None,
                    fills[fill_id] if fill_id < len(fills) else ("none",), alignment, protection))
    return out or [("General", fonts[0] if fonts else None, ("none",), ("general", "bottom", False, 0, 0, False),
                    (True, False))]


def _shared_strings(root, ns) -> list:
    if root is None:
        return []
    si_tag, t_tag, r_tag = ns("si"), ns("t"), ns("r")
    out = []
    for si in root.iter(si_tag):
        parts = []
        for child in si:  # direct <t> and the runs' <t>; phonetic runs (rPh) are not shown
            if child.tag == t_tag:
                parts.append(child.text or "")
            elif child.tag == r_tag:
                parts.extend(t.text or "" for t in child.iter(t_tag))
        out.append("".join(parts))
    return out


SHEET_PROTECTION_DEFAULTS = {
    "sheet": False, "objects": False, "scenarios": False, "formatCells": True, "formatColumns": True,
    "formatRows": True, "insertColumns": True, "insertRows": True, "insertHyperlinks": True,
    "deleteColumns": True, "deleteRows": True, "selectLockedCells": False, "sort": True,
    "autoFilter": True, "pivotTables": True, "selectUnlockedCells": False,
}
PRINT_DEFAULTS = {"fit_to_page": False, "horizontalCentered": False, "verticalCentered": False, "gridLines": False,
                  "headings": False, "margin_left": 0.7, "margin_right": 0.7, "margin_top": 0.75, "margin_bottom": 0.75,
                  "paper": "1", "orientation": "portrait", "fit_width": 1, "fit_height": 1, "scale": 100,
                  "black_and_white": False, "cell_comments": "none"}
OBJECT_TAGS = ("drawing", "picture", "oleObjects", "controls", "tableParts", "legacyDrawingHF")


# --- a worksheet -----------------------------------------------------------------------

def _parse_sheet(data: bytes, sheet: Sheet, ns, rel_ids: tuple, strings: list, rels: dict) -> None:
    from .formulas import shift

    root = ET.fromstring(data)
    row_tag, c_tag, f_tag, v_tag, is_tag, t_tag = (ns(t) for t in ("row", "c", "f", "v", "is", "t"))
    cells = sheet.cells
    shared: dict = {}
    last_row = last_col = 0
    for child in root:
        tag = child.tag
        if tag == ns("sheetData"):
            row_number = 0
            for row_el in child:
                if row_el.tag != row_tag:
                    continue
                r_attr = row_el.get("r")
                row_number = int(r_attr) if r_attr else row_number + 1
                ht, hidden = row_el.get("ht"), _bool(row_el.get("hidden"), False)
                if ht is not None or hidden:
                    sheet.rows[row_number] = (_float(ht), hidden)
                column = 0
                for c in row_el:
                    if c.tag != c_tag:
                        continue
                    ref = c.get("r")
                    if ref:
                        m = CELL_RE.fullmatch(ref)
                        if m is None:
                            raise BadPackage("WB-CORRUPT", f"อ้างอิงช่องไม่ถูกต้อง: {ref}", f"a bad cell reference: {ref}")
                        column = column_number(m.group(1))
                        ref = f"{m.group(1)}{m.group(2)}"
                    else:
                        column += 1
                        ref = f"{column_letters(column)}{row_number}"
                    kind = c.get("t", "n")
                    f = v = inline = None
                    for part in c:
                        if part.tag == v_tag:
                            v = part
                        elif part.tag == f_tag:
                            f = part
                        elif part.tag == is_tag:
                            inline = part
                    value = None
                    if kind == "inlineStr":
                        if inline is not None:
                            value = "".join(_shared_strings_of(inline, ns))
                    elif v is not None and v.text is not None:
                        text = v.text
                        if kind == "s":
                            index = int(text)
                            if not 0 <= index < len(strings):
                                raise BadPackage("WB-CORRUPT", f"ช่อง {ref} อ้างถึงข้อความที่ไม่มี", f"cell {ref} refers to a missing string")
                            value = strings[index]
                        elif kind in ("str", "d"):
                            value = text
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
                    if value == "":
                        value = None
                    style = int(c.get("s", "0"))
                    cells[ref] = Cell(value, formula, style, kind)
                    if column > last_col:
                        last_col = column
                    if (value is not None or formula is not None) and row_number > last_row:
                        last_row = row_number
        else:
            _parse_setting(sheet, child, tag, ns, rels)
    _finish_sheet(sheet, last_row, last_col)


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
                sheet.printing[local] = part.text
    elif tag.rsplit("}", 1)[-1] in OBJECT_TAGS:
        sheet.objects.append(tag.rsplit("}", 1)[-1])


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


# --- the package -----------------------------------------------------------------------

def _rels(archive, names: set, part: str) -> dict:
    """rId -> (type suffix, resolved target) of one part's relationships."""
    folder, base = posixpath.split(part)
    path = posixpath.join(folder, "_rels", base + ".rels")
    if path not in names:
        return {}
    data = archive.read(path)
    if declares_entities(data):
        raise BadPackage("WB-XML-ENTITY", f"ส่วน {path} ประกาศ DTD/entity", f"part {path} declares a DTD or entities")
    out = {}
    for rel in ET.fromstring(data).iter(PKG_REL):
        target = rel.get("Target", "")
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        if rel.get("TargetMode") == "External":
            out[rel.get("Id")] = (kind, target)
        else:
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id")] = (kind, resolved)
    return out


def _read_part(archive, names: set, part: str, findings: list):
    if part not in names:
        raise BadPackage("WB-CORRUPT", f"ไม่พบส่วน {part}", f"part {part} is missing")
    data = archive.read(part)
    if declares_entities(data):
        raise BadPackage("WB-XML-ENTITY", f"ส่วน {part} ประกาศ DTD/entity (ไม่อ่าน ไม่ขยาย)",
                         f"part {part} declares a DTD or entities (not read, not expanded)")
    return data


def read_book(source) -> Book:
    """The canonical model of a workbook (bytes, a path or a file object). Raises BadPackage."""
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    try:
        with zipfile.ZipFile(source) as archive:
            return _read(archive)
    except BadPackage:
        raise
    except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError, IndexError, OSError, EOFError,
            NotImplementedError, RuntimeError) as exc:
        raise BadPackage("WB-CORRUPT", f"ไฟล์เสียหาย อ่านส่วนประกอบไม่ได้: {exc}",
                         f"the file is corrupt, a part cannot be read: {exc}") from exc


def _read(archive: zipfile.ZipFile) -> Book:
    names = set(archive.namelist())
    types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    findings = container_findings(archive, types)
    for name in sorted(names):
        if name.lower().endswith((".xml", ".rels", ".vml")) and declares_entities(archive.read(name)):
            findings.append(_bad("WB-XML-ENTITY", f"ส่วน {name} ประกาศ DTD/entity (ไม่อ่าน ไม่ขยาย)",
                                 f"part {name} declares a DTD or entities (not read, not expanded)", name))
    if any(f.code == "WB-XML-ENTITY" for f in findings):
        book = Book([], [], {}, False, findings)
        return book
    package = _rels(archive, names, "")
    workbook_part = next((t for k, t in package.values() if k == "officeDocument"), "xl/workbook.xml")
    root = ET.fromstring(_read_part(archive, names, workbook_part, findings))
    main = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else MAIN_NS[0]
    if main not in MAIN_NS:
        raise BadPackage("WB-NOT-EXCEL", "ไม่ใช่สมุดงาน Excel", "not an Excel workbook")
    ns = _Ns(main)
    rels = _rels(archive, names, workbook_part)
    for kind, target in rels.values():
        low = kind.lower()
        if low in _MACRO_TYPES or low in _EXTERNAL_TYPES or low in _EMBED_TYPES:
            code = ("WB-MACROS" if low in _MACRO_TYPES else "WB-EXTERNAL-LINK" if low in _EXTERNAL_TYPES
                    else "WB-EMBEDDED-OBJECT")
            if not any(f.code == code and f.cell == target for f in findings):
                findings.append(_bad(code, f"สมุดงานอ้างถึงส่วน {kind}: {target}",
                                     f"the workbook refers to a {kind} part: {target}", target))
    styles_part = next((t for k, t in rels.values() if k == "styles"), None)
    strings_part = next((t for k, t in rels.values() if k == "sharedStrings"), None)
    styles = _styles(ET.fromstring(_read_part(archive, names, styles_part, findings)) if styles_part else None, ns)
    strings = _shared_strings(ET.fromstring(_read_part(archive, names, strings_part, findings))
                              if strings_part else None, ns)
    protection = root.find(ns("workbookProtection"))
    # LibreOffice keeps a protected structure as an empty <workbookProtection/>
    locked = protection is not None and _bool(protection.get("lockStructure"), True)
    book = Book([], styles, {}, locked, findings)
    sheets_el = root.find(ns("sheets"))
    for sheet_el in (sheets_el if sheets_el is not None else ()):
        rid = next((sheet_el.get("{%s}id" % n) for n in REL_NS if sheet_el.get("{%s}id" % n)), None)
        kind, target = rels.get(rid, ("", ""))
        sheet = Sheet(sheet_el.get("name", ""), sheet_el.get("state", "visible"))
        book.sheets.append(sheet)
        if kind != "worksheet":
            if kind.lower() not in _MACRO_TYPES:
                findings.append(_bad("WB-MACROS" if "macro" in kind.lower() else "WB-SHEET-KIND",
                                     f"แผ่นงาน {sheet.name} ไม่ใช่แผ่นงานปกติ ({kind})",
                                     f"sheet {sheet.name} is not a worksheet ({kind})", sheet.name))
            continue
        sheet_rels = _rels(archive, names, target)
        for k, t in sheet_rels.values():
            if k.lower() in _EMBED_TYPES or k.lower() in ("drawing", "image", "chart"):
                sheet.objects.append(k)
        _parse_sheet(_read_part(archive, names, target, findings), sheet, ns, REL_NS, strings, sheet_rels)
    names_el = root.find(ns("definedNames"))
    for dn in (names_el if names_el is not None else ()):
        local = dn.get("localSheetId")
        book.names[(dn.get("name", "").lower(), int(local) if local is not None else None)] = \
            canonical_reference(dn.text or "")
    return book
