"""The bad-workbook corpus: good SAR Cards and KPI Templates, and mutated copies of them.

Good workbooks are generated and then calculated and saved by LibreOffice (so they hold
stored values as Excel would); each mutation edits a copy the way a person or a broken
tool would (the sheet XML inside the zip, openpyxl, or the raw bytes).  The originals are
never touched: `digest` lets a test prove it.
"""
from __future__ import annotations

import hashlib
import io
import random
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from xlkpi.bench import good_agreement
from xlkpi.model import ROUNDS
from xlkpi.workbook.layout import Col, round_sheet, sar_layout

AUDITED_ROUND = 12
SAR_SHEET = round_sheet(AUDITED_ROUND)
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def corpus_agreement(seed: int = 7, leaves: int = 12):
    """A small good agreement: every round reported, with explanation and evidence."""
    agreement = good_agreement(random.Random(seed), leaves)
    agreement.department = f"กรมตัวอย่าง {seed}"
    return agreement


def first_threshold_row(agreement):
    """The SAR row of the first applicable, scored threshold leaf (not granted)."""
    layout = sar_layout(agreement)
    for row in layout.rows:
        ind = row.indicator
        if (not row.is_part and ind.kind == "threshold" and ind.applicable and not ind.granted
                and not ind.children):
            return row
    raise AssertionError("no threshold leaf")


# --- the sheet XML inside the zip -----------------------------------------------------

def sheet_part(path: Path, sheet: str) -> str:
    """The zip member holding `sheet` (xl/worksheets/sheetN.xml)."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode("utf-8")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rid = re.search(r'<sheet [^>]*name="%s"[^>]*r:id="([^"]+)"' % re.escape(_xml_escape(sheet)), workbook)
    if rid is None:
        rid = re.search(r'<sheet [^>]*r:id="([^"]+)"[^>]*name="%s"' % re.escape(_xml_escape(sheet)), workbook)
    target = re.search(r'<Relationship [^>]*Id="%s"[^>]*Target="([^"]+)"' % rid.group(1), rels) or \
        re.search(r'<Relationship [^>]*Target="([^"]+)"[^>]*Id="%s"' % rid.group(1), rels)
    target = target.group(1)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def rewrite_zip(src: Path, dst: Path, edit: Callable[[str, bytes], Optional[bytes]]) -> Path:
    """Copy a zip member by member; `edit(name, data)` returns new bytes, the same, or None to drop."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info, data)
    return dst


def edit_sheet_xml(src: Path, dst: Path, sheet: str, edit: Callable[[str], str]) -> Path:
    part = sheet_part(src, sheet)

    def change(name, data):
        if name != part:
            return data
        text = data.decode("utf-8")
        changed = edit(text)
        assert changed != text, f"the mutation changed nothing in {sheet}"
        return changed.encode("utf-8")

    return rewrite_zip(src, dst, change)


def cell_xml(text: str, cell: str) -> re.Match:
    """The <c r="cell" …>…</c> element (or a self-closed one) in a sheet's XML."""
    match = re.search(r'<c r="%s"(?: [^>]*)?(?:/>|>.*?</c>)' % cell, text, re.S)
    assert match, f"no cell {cell}"
    return match


def replace_cell(text: str, cell: str, new: Callable[[str], str]) -> str:
    match = cell_xml(text, cell)
    return text[:match.start()] + new(match.group(0)) + text[match.end():]


# --- mutations (each: good file → bad copy, and the code and cell expected) -----------

@dataclass
class Mutation:
    name: str
    code: str
    sheet: str
    cell: str
    path: Path


def formula_to_constant(src: Path, dst: Path, cell: str) -> Path:
    """A score formula overwritten with a constant (its cached value kept)."""
    return edit_sheet_xml(src, dst, SAR_SHEET, lambda t: replace_cell(t, cell, lambda c: re.sub(r"<f>.*?</f>|<f [^>]*>.*?</f>|<f [^>]*/>", "", c, flags=re.S)))


def cached_value(src: Path, dst: Path, cell: str, value: str = "4.9999") -> Path:
    """The stored (cached) value of a score edited in the XML; the formula left alone."""
    return edit_sheet_xml(src, dst, SAR_SHEET,
                          lambda t: replace_cell(t, cell, lambda c: re.sub(r"<v>[^<]*</v>", f"<v>{value}</v>", c)))


def constant_value(src: Path, dst: Path, cell: str, value: str) -> Path:
    """A constant (a weight or threshold) changed in the XML."""
    return cached_value(src, dst, cell, value)


def strip_protection(src: Path, dst: Path, sheet: str = SAR_SHEET) -> Path:
    return edit_sheet_xml(src, dst, sheet, lambda t: re.sub(r"<sheetProtection[^>]*/>", "", t))


def _inline_text(cell: str, text: str) -> Callable[[str], str]:
    def new(old: str) -> str:
        style = re.search(r' s="\d+"', old)
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return (f'<c r="{cell}"{style.group(0) if style else ""} t="inlineStr">'
                f'<is><t xml:space="preserve">{escaped}</t></is></c>')
    return new


def text_in_cell(src: Path, dst: Path, cell: str, text: str, sheet: str = SAR_SHEET) -> Path:
    """A cell's content replaced with an inline string (as another tool would write it)."""
    return edit_sheet_xml(src, dst, sheet, lambda t: replace_cell(t, cell, _inline_text(cell, text)))


def insert_rows(src: Path, dst: Path, row: int, sheet: str = SAR_SHEET) -> Path:
    """A row inserted with openpyxl on a copy (cells below shift down)."""
    from openpyxl import load_workbook

    wb = load_workbook(src)
    wb[sheet].insert_rows(row)
    wb.save(dst)
    return dst


def delete_sheet(src: Path, dst: Path, sheet: str) -> Path:
    """A sheet removed from the workbook XML, its part and its relationship."""
    part = sheet_part(src, sheet)

    def change(name, data):
        if name == part:
            return None
        if name == "xl/workbook.xml":
            text = data.decode("utf-8")
            text = re.sub(r'<sheet [^>]*name="%s"[^>]*/>' % re.escape(_xml_escape(sheet)), "", text)
            return re.sub(r"<definedNames>.*?</definedNames>", "", text, flags=re.S).encode("utf-8")
        if name == "[Content_Types].xml":
            return re.sub(r'<Override [^>]*PartName="/%s"[^>]*/>' % re.escape(part), "", data.decode()).encode()
        return data

    return rewrite_zip(src, dst, change)


def truncate(src: Path, dst: Path) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst


def fake_pdf(dst: Path) -> Path:
    """A small but real PDF, named .xlsx."""
    dst.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return dst


def encrypt(src: Path, dst: Path, password: str = "secret") -> Path:
    import msoffcrypto.format.ooxml as ooxml

    with open(src, "rb") as plain, open(dst, "wb") as out:
        ooxml.OOXMLFile(plain).encrypt(password, out)
    return dst


def not_excel(dst: Path) -> Path:
    dst.write_text("department,score\nกรมตัวอย่าง,3.5\n", encoding="utf-8")
    return dst


def zip_bomb(dst: Path, megabytes: int = 64) -> Path:
    """A zip named .xlsx with a huge, highly compressible part (written in chunks)."""
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * 2**20
            for _ in range(megabytes):
                part.write(chunk)
    return dst


def with_macros(src: Path, dst: Path) -> Path:
    """An .xlsm: the good workbook plus a vbaProject.bin part that would write a file if run."""
    marker = dst.parent / "macro-ran.txt"
    vba = (b"\xd0\xcf\x11\xe0fake vbaProject: Sub Workbook_Open(): Open \"" + str(marker).encode()
           + b"\" For Output As #1: End Sub")

    def change(name, data):
        if name == "[Content_Types].xml":
            text = data.decode("utf-8").replace(
                "</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            return text.replace("sheet.main+xml", "sheet.macroEnabled.main+xml").encode("utf-8")
        return data

    rewrite_zip(src, dst, change)
    with zipfile.ZipFile(dst, "a") as z:
        z.writestr("xl/vbaProject.bin", vba)
    return dst


def copy(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst


__all__ = ["AUDITED_ROUND", "Col", "ROUNDS", "SAR_SHEET", "Mutation", "corpus_agreement", "digest", "io"]
