"""A workbook package read into one canonical model: the same for a file and for the generator's.

`read_book(bytes_or_path)` opens the zip read-only, follows the package relationships (not
fixed part names), accepts both Open XML dialects (transitional and Strict namespaces), cells
without the optional `r`, inline or shared strings, shared formulas, any part order and any
compression, and ignores what does not change what a workbook shows or computes (calcChain,
document properties, themes, views).  What it keeps is `Book`: per sheet every cell's value,
formula (as written; `formulas.canonical` compares them) and style *by effect*; merges, rows
and columns, protection, validations, conditional formats, hyperlinks, print settings; the
workbook's sheets, defined names and structure lock.

Each worksheet's XML is read by `sheet_xml`.  The container is checked on the way (`container_findings`): duplicate or escaping entries,
macros and macro sheets, external links and data connections, embedded objects, XML that
declares a DTD or entities.  A part that declares entities is never parsed; nothing is run.
"""
from __future__ import annotations

import gc
import io
import posixpath
import re
import threading
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional
from xml.etree import ElementTree as ET

from .container import _EMBED_TYPES, _EXTERNAL_TYPES, _MACRO_TYPES, _bad, container_findings, declares_entities
from .styles import _bool, _Ns, _shared_strings, _styles, theme_colours
from ..workbook.layout import column_index as column_number, column_letter as column_letters

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


@dataclass(slots=True)
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


# --- small helpers ----------------------------------------------------------------------

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


@lru_cache(maxsize=16384)  # a batch's workbooks name the same cells: each text once
def canonical_reference(text: str) -> str:
    """A defined name's or link's target with $ and sheet quoting removed, areas sorted."""
    text = (text or "").strip().lstrip("=").lstrip("#")
    if "," not in text:  # one area (most names): the same result without the pattern and the sort
        quotes = text.count("'")
        if not quotes:
            return text.replace("$", "").strip()
        end = text.find("'", 1)
        if quotes == 2 and text[0] == "'" and text[end + 1:end + 2] == "!":
            return (text[1:end] + text[end + 1:]).replace("$", "").strip()
    text = _SHEET_QUOTED.sub(lambda m: m.group(1).replace("''", "'") + "!", text).replace("$", "")
    return ",".join(sorted(p.strip() for p in text.split(",")))


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


# --- the package -----------------------------------------------------------------------

def _rels(archive, names: set, part: str, blobs: dict) -> dict:
    """rId -> (type suffix, resolved target) of one part's relationships."""
    folder, base = posixpath.split(part)
    path = posixpath.join(folder, "_rels", base + ".rels")
    if path not in names:
        return {}
    data = blobs.get(path)  # in blobs: already read and scanned by _read
    if data is None and declares_entities(data := archive.read(path)):
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


def _read_part(archive, names: set, part: str, findings: list, blobs: dict):
    if part not in names:
        raise BadPackage("WB-CORRUPT", f"ไม่พบส่วน {part}", f"part {part} is missing")
    data = blobs.get(part)  # in blobs: already read and scanned by _read
    if data is None and declares_entities(data := archive.read(part)):
        raise BadPackage("WB-XML-ENTITY", f"ส่วน {part} ประกาศ DTD/entity (ไม่อ่าน ไม่ขยาย)",
                         f"part {part} declares a DTD or entities (not read, not expanded)")
    return data


_PARSED: dict = {}  # (kind, part's bytes, context) -> its canonical result: parts a batch repeats
_PARSED_MAX = 8  # entries (oldest dropped first), so memory stays flat however many files
_PARSED_LOCK = threading.Lock()


def _parsed_once(key: tuple, build):
    """`build()` for a part's bytes, kept for the next file with byte-identical bytes (styles, theme).
    The result must be immutable or copied by the caller."""
    with _PARSED_LOCK:
        hit = _PARSED.get(key)
    if hit is None:
        hit = build()
        with _PARSED_LOCK:
            while len(_PARSED) >= _PARSED_MAX:
                del _PARSED[next(iter(_PARSED))]
            _PARSED[key] = hit
    return hit


def read_book(source, parts: Optional[dict] = None) -> Book:
    """The canonical model of a workbook (bytes, a path or a file object). Raises BadPackage.

    `parts`: name -> (CRC, bytes) of XML parts already decompressed and CRC-checked from this
    file (`readback.check_container(path, keep)`); a part is taken from there only when its
    CRC and size are those the archive now records, else it is read again."""
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    paused = gc.isenabled()
    if paused:  # the model is tens of thousands of acyclic objects: no collection while they are made
        gc.disable()
    try:
        with zipfile.ZipFile(source) as archive:
            return _read(archive, parts or {})
    except BadPackage:
        raise
    except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError, IndexError, OSError, EOFError,
            NotImplementedError, RuntimeError) as exc:
        raise BadPackage("WB-CORRUPT", f"ไฟล์เสียหาย อ่านส่วนประกอบไม่ได้: {exc}",
                         f"the file is corrupt, a part cannot be read: {exc}") from exc
    finally:
        if paused:
            gc.enable()


def _read(archive: zipfile.ZipFile, parts: dict) -> Book:
    from .sheet_xml import _parse_sheet

    names = set(archive.namelist())
    types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    blobs = {}  # each XML part decompressed once: scanned here, parsed below
    for name in sorted(names):
        if name.lower().endswith((".xml", ".rels", ".vml")):
            kept = parts.get(name)
            info = archive.getinfo(name)
            blobs[name] = kept[1] if kept and kept[0] == info.CRC and len(kept[1]) == info.file_size \
                else archive.read(name)
    findings = container_findings(archive, types)
    for name in sorted(blobs):
        if declares_entities(blobs[name]):
            findings.append(_bad("WB-XML-ENTITY", f"ส่วน {name} ประกาศ DTD/entity (ไม่อ่าน ไม่ขยาย)",
                                 f"part {name} declares a DTD or entities (not read, not expanded)", name))
    if any(f.code == "WB-XML-ENTITY" for f in findings):
        book = Book([], [], {}, False, findings)
        return book
    package = _rels(archive, names, "", blobs)
    workbook_part = next((t for k, t in package.values() if k == "officeDocument"), "xl/workbook.xml")
    root = ET.fromstring(_read_part(archive, names, workbook_part, findings, blobs))
    main = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else MAIN_NS[0]
    if main not in MAIN_NS:
        raise BadPackage("WB-NOT-EXCEL", "ไม่ใช่สมุดงาน Excel", "not an Excel workbook")
    ns = _Ns(main)
    rels = _rels(archive, names, workbook_part, blobs)
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
    theme_part = next((t for k, t in rels.values() if k == "theme"), None)
    theme = {}
    if theme_part and theme_part in names:
        data = _read_part(archive, names, theme_part, findings, blobs)
        theme = dict(_parsed_once(("theme", data), lambda: theme_colours(ET.fromstring(data))))
    if styles_part:
        data = _read_part(archive, names, styles_part, findings, blobs)
        styles = list(_parsed_once(("styles", data, ns.m, tuple(sorted(theme.items()))),
                                   lambda: _styles(ET.fromstring(data), ns, theme)))
    else:
        styles = _styles(None, ns, theme)
    strings = _shared_strings(ET.fromstring(_read_part(archive, names, strings_part, findings, blobs))
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
        sheet_rels = _rels(archive, names, target, blobs)
        for k, t in sheet_rels.values():
            if k.lower() in _EMBED_TYPES or k.lower() in ("drawing", "image", "chart"):
                sheet.objects.append(k)
        _parse_sheet(_read_part(archive, names, target, findings, blobs), sheet, ns, REL_NS, strings, sheet_rels)
    names_el = root.find(ns("definedNames"))
    for dn in (names_el if names_el is not None else ()):
        local = dn.get("localSheetId")
        book.names[(dn.get("name", "").lower(), int(local) if local is not None else None)] = \
            canonical_reference(dn.text or "")
    return book
