"""The bad-workbook corpus: good SAR Cards and KPI Templates, and mutated copies of them;
and (below, `classes`) the corpus by class of issue 10: mutants generated in memory over
the eligible cells of a workbook, class by class.

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


# --- the corpus by class (issue 10): mutants over every eligible cell, in memory ----------
#
# Each class is a generator over a good workbook (its bytes and its canonical model) of
# (label, sheet, cell, mutated bytes).  The mutations are made in the package's XML the way
# someone who knows the format would; the audit must report every one as an error.

import xml.etree.ElementTree as ET  # noqa: E402

from xlkpi.audit.expected import FREE_CELLS  # noqa: E402
from xlkpi.audit.ooxml import column_letters, column_number, read_book  # noqa: E402

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def parts(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {info.filename: z.read(info.filename) for info in z.infolist()}


def build(files: dict, extra: Optional[list] = None) -> bytes:
    """A zip from {name: bytes} (and extra (name, bytes) entries, duplicates allowed)."""
    import warnings

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a duplicate entry is the point of one mutant
        for name, data in files.items():
            z.writestr(name, data)
        for name, data in extra or []:
            z.writestr(zipfile.ZipInfo(name), data)
    return out.getvalue()


def sheet_parts(files: dict) -> dict:
    """Sheet name -> its part, through the workbook's relationships."""
    workbook = files["xl/workbook.xml"].decode("utf-8")
    rels = files["xl/_rels/workbook.xml.rels"].decode("utf-8")
    out = {}
    for m in re.finditer(r"<sheet\b[^>]*>", workbook):
        tag = m.group(0)
        name = re.search(r'name="([^"]*)"', tag).group(1)
        rid = re.search(r'r:id="([^"]*)"', tag).group(1)
        rel = next(r for r in re.findall(r"<Relationship\b[^>]*>", rels) if f'Id="{rid}"' in r)
        target = re.search(r'Target="([^"]*)"', rel).group(1)
        out[_unescape(name)] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


def _unescape(text: str) -> str:
    return text.replace("&apos;", "'").replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _cell_span(text: str, ref: str):
    m = re.search(r'<c r="%s"(?=[\s/>])[^>]*?(?:/>|>.*?</c>)' % ref, text, re.S)
    return m


def with_cell(files: dict, part: str, ref: str, new: Callable[[str], str]) -> Optional[bytes]:
    text = files[part].decode("utf-8")
    m = _cell_span(text, ref)
    if m is None:
        return None
    cell = new(m.group(0))
    if cell == m.group(0):
        return None  # nothing to change here (a formula without references, say)
    changed = dict(files)
    changed[part] = (text[:m.start()] + cell + text[m.end():]).encode("utf-8")
    return build(changed)


def with_part(files: dict, part: str, edit: Callable[[str], str]) -> Optional[bytes]:
    text = files[part].decode("utf-8")
    new = edit(text)
    if new == text:
        return None
    changed = dict(files)
    changed[part] = new.encode("utf-8")
    return build(changed)


def _style_attr(cell: str) -> str:
    m = re.search(r' s="(\d+)"', cell)
    return m.group(1) if m else "0"


def _inline(ref: str, style: str, text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{escaped}</t></is></c>'


def _number(ref: str, style: str, value: str, formula: Optional[str] = None) -> str:
    f = f"<f>{formula}</f>" if formula is not None else ""
    return f'<c r="{ref}" s="{style}" t="n">{f}<v>{value}</v></c>'


def sample(items: list, limit: int, rng: random.Random) -> list:
    return items if len(items) <= limit else rng.sample(items, limit)


def classes(data: bytes, inputs: dict, rng: random.Random, limit: int = 40) -> dict:
    """Class name -> list of (sheet, cell, mutated bytes) for one good workbook.

    `inputs` is the set of (sheet, cell) the generator leaves unlocked (the officer's)."""
    files = parts(data)
    book = read_book(data)
    where = sheet_parts(files)
    out: dict = {}
    # per-sheet classes on a sample of the sheets (a KPI Template has one per indicator)
    some_sheets = book.sheets[:2] + sample(book.sheets[2:], 3, rng)

    def add(name, sheet, cell, mutated):
        if mutated is not None:
            out.setdefault(name, []).append((sheet, cell, mutated))

    constants, formulas, scores, empties = [], [], [], []
    for sheet in book.sheets:
        for ref, c in sheet.cells.items():
            key = (sheet.name, ref)
            if key in inputs or key in FREE_CELLS:  # the generator's version and the signature: not fixed
                continue
            if c.formula is not None:
                formulas.append(key)
                if c.value is not None and re.match(r"[LMK]\d", ref) or sheet.name == "ปก":
                    scores.append(key)
            elif c.value is not None:
                constants.append(key)
    # 1. a locked constant changed (numbers +1, text with an invisible character added)
    for sheet, ref in sample(constants, limit, rng):
        value = book.sheet(sheet).cells[ref].value
        if isinstance(value, float):
            new = lambda c, ref=ref, v=value: _number(ref, _style_attr(c), repr(v + 1))  # noqa: E731
        else:
            new = lambda c, ref=ref, v=value: _inline(ref, _style_attr(c), str(v) + "\u200b")  # noqa: E731
        add("constant", sheet, ref, with_cell(files, where[sheet], ref, new))
    # 2. a formula changed (one reference moved), or replaced by its own cached value
    for sheet, ref in sample(formulas, limit, rng):
        def moved(c):
            return re.sub(r"<f([^>]*)>(.*?)</f>", lambda m: "<f%s>%s</f>" % (m.group(1), re.sub(
                r"([A-Z])(\d+)", lambda r: r.group(1) + str(int(r.group(2)) + 1), m.group(2), count=1)), c, count=1, flags=re.S)
        add("formula", sheet, ref, with_cell(files, where[sheet], ref, moved))
        add("formula", sheet, ref, with_cell(files, where[sheet], ref,
                                             lambda c: re.sub(r"<f[^>]*>.*?</f>|<f[^>]*/>", "", c, flags=re.S)))
    # 3. a stored (cached) value of a shown score changed, the formula kept
    for sheet, ref in sample(scores, limit, rng):
        add("cached-value", sheet, ref, with_cell(files, where[sheet], ref, lambda c: re.sub(
            r"<v>[^<]*</v>", "<v>4.9999</v>", c) if "<v>" in c else c.replace("</c>", "<v>4.9999</v></c>")))
    # 4. the officer's inputs: values of the wrong kind or range, formulas, injection
    for (sheet, ref), spec in sample(sorted(inputs.items()), limit // 2, rng):
        if sheet not in where:
            continue
        if spec.kind == "number":
            bad = [_number(ref, "{s}", v) for v in ("NaN", "INF", "-INF", "1E+300")] + \
                  [_inline(ref, "{s}", "ประมาณ 80"), f'<c r="{ref}" s="{{s}}" t="b"><v>1</v></c>',
                   f'<c r="{ref}" s="{{s}}" t="e"><v>#DIV/0!</v></c>', _number(ref, "{s}", "90", "100-10")]
        elif spec.kind == "choice":
            bad = [_inline(ref, "{s}", t) for t in ("ผ่าน ", "yes", "ผ่าน\u200b")] + [_number(ref, "{s}", "1")]
        else:
            bad = [_inline(ref, "{s}", t) for t in ('=HYPERLINK("http://evil.example","x")', "+1+1", "@SUM(A1)",
                                                     "\u200b=1+1", "cmd|' /C calc'!A0")] + \
                  [f'<c r="{ref}" s="{{s}}" t="str"><f>1+1</f><v>2</v></c>']
        for template in bad:
            add("input", sheet, ref, with_cell(files, where[sheet], ref,
                                               lambda c, t=template: t.replace("{s}", _style_attr(c))))
    # 5. formats by effect: hidden number format, white font, unlocked, a different fill
    styles = files["xl/styles.xml"].decode("utf-8")
    shown = [k for k in constants + formulas + sorted(inputs) if k[0] in where and book.sheet(k[0]).state == "visible"]
    for sheet, ref in sample(shown, limit, rng):
        text = files[where[sheet]].decode("utf-8")
        m = _cell_span(text, ref)
        if m is None:
            continue
        for variant in ("hide-numbers", "white-font", "flip-lock"):
            new_styles, index = _new_style(styles, int(_style_attr(m.group(0))), variant)
            changed = dict(files)
            changed["xl/styles.xml"] = new_styles.encode("utf-8")
            cell = re.sub(r' s="\d+"', f' s="{index}"', m.group(0)) if ' s="' in m.group(0) else \
                m.group(0).replace(f'<c r="{ref}"', f'<c r="{ref}" s="{index}"', 1)
            changed[where[sheet]] = (text[:m.start()] + cell + text[m.end():]).encode("utf-8")
            add("format", sheet, ref, build(changed))
    # 5b. the text colour redefined: a theme whose text colour is white, a cell's font in it
    for sheet, ref in sample(shown, 3, rng):
        text = files[where[sheet]].decode("utf-8")
        m = _cell_span(text, ref)
        if m is None:
            continue
        new_styles, index = _new_style(styles, int(_style_attr(m.group(0))), "theme-text")
        changed = dict(files)
        changed["xl/styles.xml"] = new_styles.encode("utf-8")
        changed["xl/theme/theme9.xml"] = WHITE_TEXT_THEME
        changed["xl/_rels/workbook.xml.rels"] = re.sub(
            r'<Relationship [^>]*relationships/theme"[^>]*/>', "", files["xl/_rels/workbook.xml.rels"].decode()).replace(
            "</Relationships>", '<Relationship Id="rIdT9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/theme" Target="theme/theme9.xml"/></Relationships>').encode()
        cell = re.sub(r' s="\d+"', f' s="{index}"', m.group(0))
        changed[where[sheet]] = (text[:m.start()] + cell + text[m.end():]).encode("utf-8")
        add("format", sheet, ref, build(changed))
    # 6. rows hidden or too low, columns hidden or too narrow
    for sheet in [s for s in some_sheets if s.state == "visible"]:
        part = where[sheet.name]
        rows = sorted({int(re.sub(r"[A-Z]+", "", r)) for r in sheet.cells})
        for r in sample(rows, limit // 4, rng):
            for attrs in ('hidden="1"', 'ht="2" customHeight="1"'):
                add("rows", sheet.name, f"A{r}", with_part(files, part, lambda t, r=r, a=attrs: re.sub(
                    r'<row r="%d"[^>]*?(/?)>' % r, lambda m: f'<row r="{r}" {a}{m.group(1)}>', t, count=1)))
        used = sorted({column_number(re.sub(r"\d+", "", ref)) for ref in sheet.cells} -
                      {n for n, (_w, hidden) in sheet.cols.items() if hidden})
        for n in sample(used, limit // 4, rng):
            for attrs in ('hidden="1" width="10" customWidth="1"', 'width="0.7" customWidth="1"'):
                add("columns", sheet.name, f"{column_letters(n)}1", with_part(files, part, lambda t, n=n, a=attrs:
                    _set_column(t, sheet, n, a)))
    # 7. merges added over a shown cell
    for sheet, ref in sample([k for k in scores if k[0] in where], limit // 2, rng):
        m = re.match(r"([A-Z]+)(\d+)", ref)
        left = column_letters(max(1, column_number(m.group(1)) - 1)) + m.group(2)
        add("merges", sheet, ref, with_part(files, where[sheet], lambda t, rng_=f"{left}:{ref}": _add_merge(t, rng_)))
    # 8. sheets renamed, hidden, reordered, a second sheet under a round sheet's name
    workbook = files["xl/workbook.xml"].decode("utf-8")
    for sheet in some_sheets:
        add("sheets", sheet.name, "", with_part(files, "xl/workbook.xml", lambda t, s=sheet.name: t.replace(
            f'name="{_xml_escape(s)}"', f'name="{_xml_escape(s)} "', 1)))
        if sheet.state == "visible":
            add("sheets", sheet.name, "", with_part(files, "xl/workbook.xml", lambda t, s=sheet.name: re.sub(
                r'(<sheet name="%s"[^>]*?)state="visible"' % re.escape(_xml_escape(s)), r'\1state="hidden"', t)))
        else:
            add("sheets", sheet.name, "", with_part(files, "xl/workbook.xml", lambda t, s=sheet.name: re.sub(
                r'(<sheet name="%s"[^>]*?)state="\w+"' % re.escape(_xml_escape(s)), r'\1state="visible"', t)))
    sheets_xml = re.findall(r"<sheet\b[^>]*/>", workbook)
    if len(sheets_xml) > 2:
        swapped = workbook.replace(sheets_xml[1], "\0").replace(sheets_xml[2], sheets_xml[1]).replace("\0", sheets_xml[2])
        add("sheets", "", "workbook", with_part(files, "xl/workbook.xml", lambda t: swapped))
        add("sheets", "", "workbook", _second_sheet_named(files, book.sheets[-2].name, where[book.sheets[-2].name]))
    # 9. protection removed or loosened; the structure unlocked
    for sheet in some_sheets:
        part = where[sheet.name]
        add("protection", sheet.name, "", with_part(files, part, lambda t: re.sub(r"<sheetProtection\b[^>]*/>", "", t)))
        add("protection", sheet.name, "", with_part(files, part, lambda t: re.sub(
            r"<sheetProtection\b", '<sheetProtection formatCells="false" formatColumns="false" insertRows="false"', t)))
    add("protection", "", "workbook", with_part(files, "xl/workbook.xml", lambda t: re.sub(r"<workbookProtection\b[^>]*/>", "", t)))
    add("protection", "", "workbook", with_part(files, "xl/workbook.xml", lambda t: re.sub(
        r"<workbookProtection\b[^>]*/>", '<workbookProtection lockStructure="false"/>', t)))
    # 10. defined names re-pointed
    names = re.findall(r"<definedName\b[^>]*>[^<]*</definedName>", workbook)
    for name in sample(names, limit // 2, rng):
        moved = re.sub(r"\$(\d+)</definedName>", lambda m: f"${int(m.group(1)) + 1}</definedName>", name)
        moved = moved if moved != name else re.sub(r"\$([A-Z]+)\$", lambda m: f"${column_letters(column_number(m.group(1)) + 1)}$", name, count=1)
        add("names", "", re.search(r'name="([^"]+)"', name).group(1), with_part(files, "xl/workbook.xml", lambda t, a=name, b=moved: t.replace(a, b)))
    # 11. data validations removed or loosened; conditional formats, hyperlinks, objects added
    for sheet in [s for s in some_sheets if s.validations]:
        part = where[sheet.name]
        add("validations", sheet.name, "", with_part(files, part, lambda t: re.sub(r"<dataValidations\b.*?</dataValidations>", "", t, flags=re.S)))
        add("validations", sheet.name, "", with_part(files, part, lambda t: t.replace('showErrorMessage="true"', 'showErrorMessage="false"', 1)
                                                   .replace('showErrorMessage="1"', 'showErrorMessage="0"', 1)))
    for sheet, ref in sample([k for k in scores if k[0] in where], limit // 2, rng):
        add("conditional-format", sheet, ref, with_part(files, where[sheet], lambda t, ref=ref: _insert_after_sheet_data(
            t, f'<conditionalFormatting sqref="{ref}"><cfRule type="expression" dxfId="0" priority="1"><formula>TRUE</formula></cfRule></conditionalFormatting>')))
        add("hyperlinks", sheet, ref, with_part(files, where[sheet], lambda t, ref=ref: _add_hyperlink(t, ref)))
    for sheet in some_sheets:
        add("objects", sheet.name, "", with_part(files, where[sheet.name], lambda t: t.replace(
            "</worksheet>", '<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdX9"/></worksheet>')))
        add("objects", sheet.name, "", with_part(files, where[sheet.name], lambda t: t.replace("</worksheet>", (
            '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" xmlns:x14="http://schemas.microsoft.com/office/'
            'spreadsheetml/2009/9/main"><x14:conditionalFormattings><x14:conditionalFormatting><x14:cfRule type="expression"'
            ' id="{00000000-0000-0000-0000-000000000001}"><xm:f xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
            'TRUE</xm:f></x14:cfRule></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst></worksheet>'))))
    # 12. print settings
    for sheet in [s for s in some_sheets if s.state == "visible"]:
        part = where[sheet.name]
        add("print", sheet.name, "", with_part(files, part, lambda t: re.sub(r'orientation="(\w+)"', lambda m: 'orientation="%s"' % (
            "portrait" if m.group(1) == "landscape" else "landscape"), t, count=1)))
        add("print", sheet.name, "", with_part(files, part, lambda t: re.sub(r'paperSize="\d+"', 'paperSize="5"', t, count=1)))
        add("print", sheet.name, "", with_part(files, part, lambda t: re.sub(r'fitToPage="(true|1)"', 'fitToPage="false"', t, count=1)))
    # 13. the container
    add("container", "", "", build(files, [("xl/worksheets/sheet2.xml", files[where[book.sheets[1].name]])]))
    add("container", "", "", build(files, [("../../evil.txt", b"x")]))
    add("container", "", "", build(files, [("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 Sub AutoOpen() End Sub")]))
    add("container", "", "", build(files, [("xl/macrosheets/sheet1.xml", b"<xm:macrosheet/>")]))
    add("container", "", "", build(files, [("xl/externalLinks/externalLink1.xml", b"<externalLink/>")]))
    add("container", "", "", build(files, [("xl/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0")]))
    add("container", "", "", build(files, [("xl/richData/rdrichvalue.xml", b"<rvData/>")]))
    part = where[book.sheets[1].name]
    add("container", "", "", with_part(files, part, lambda t: t.replace(
        "?>", '?><!DOCTYPE worksheet [<!ENTITY x "4.9">]>', 1)))
    if "xl/sharedStrings.xml" in files:
        add("container", "", "", with_part(files, "xl/sharedStrings.xml", lambda t: t.replace(
            "?>", '?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>', 1)))
    return out


WHITE_TEXT_THEME = (b'<?xml version="1.0" encoding="UTF-8"?><a:theme xmlns:a="http://schemas.openxmlformats.org/'
                    b'drawingml/2006/main" name="t"><a:themeElements><a:clrScheme name="c"><a:dk1><a:srgbClr val="FFFFFF"/>'
                    b'</a:dk1><a:lt1><a:srgbClr val="FFFFFF"/></a:lt1></a:clrScheme></a:themeElements></a:theme>')


def _new_style(styles: str, index: int, variant: str) -> tuple[str, int]:
    """styles.xml with a copy of cellXfs[index] changed by `variant`, and the copy's index."""
    root = ET.fromstring(styles)
    ns = "{%s}" % MAIN
    xfs = root.find(ns + "cellXfs")
    xf = ET.fromstring(ET.tostring(list(xfs)[index]))
    if variant == "hide-numbers":
        numfmts = root.find(ns + "numFmts")
        if numfmts is None:
            numfmts = ET.Element(ns + "numFmts")
            root.insert(0, numfmts)
        ET.SubElement(numfmts, ns + "numFmt", numFmtId="300", formatCode=";;;")
        xf.set("numFmtId", "300")
    elif variant == "white-font":
        fonts = root.find(ns + "fonts")
        font = ET.fromstring(ET.tostring(list(fonts)[int(xf.get("fontId", "0"))]))
        for color in font.findall(ns + "color"):
            font.remove(color)
        ET.SubElement(font, ns + "color", rgb="FFFFFFFF")
        fonts.append(font)
        xf.set("fontId", str(len(fonts) - 1))
    elif variant == "theme-text":
        fonts = root.find(ns + "fonts")
        font = ET.fromstring(ET.tostring(list(fonts)[int(xf.get("fontId", "0"))]))
        for color in font.findall(ns + "color"):
            font.remove(color)
        ET.SubElement(font, ns + "color", theme="1")
        fonts.append(font)
        xf.set("fontId", str(len(fonts) - 1))
    else:
        protection = xf.find(ns + "protection")
        locked = protection is None or protection.get("locked") not in ("0", "false")
        if protection is None:
            protection = ET.SubElement(xf, ns + "protection")
        protection.set("locked", "false" if locked else "true")
    xfs.append(xf)
    ET.register_namespace("", MAIN)
    return ET.tostring(root, encoding="unicode"), len(xfs) - 1


def _set_column(text: str, sheet, n: int, attrs: str) -> str:
    cols = dict(sheet.cols)
    width, _hidden = cols.get(n, (None, False))
    hidden = ' hidden="1"'
    rebuilt = "".join(f'<col min="{c}" max="{c}" width="{w or 8.43}" customWidth="1"{hidden if h else ""}/>'
                      for c, (w, h) in sorted(cols.items()) if c != n)
    rebuilt += f'<col min="{n}" max="{n}" {attrs}/>'
    if "<cols>" in text:
        return re.sub(r"<cols>.*?</cols>", f"<cols>{rebuilt}</cols>", text, count=1, flags=re.S)
    return text.replace("<sheetData", f"<cols>{rebuilt}</cols><sheetData", 1)


def _add_merge(text: str, rng: str) -> str:
    if "<mergeCells" in text:
        return re.sub(r"(<mergeCells[^>]*>)", r'\1<mergeCell ref="%s"/>' % rng, text, count=1)
    return _insert_after_sheet_data(text, f'<mergeCells count="1"><mergeCell ref="{rng}"/></mergeCells>', after_protection=True)


def _insert_after_sheet_data(text: str, xml: str, after_protection: bool = True) -> str:
    m = re.search(r"<sheetProtection\b[^>]*/>", text) if after_protection else None
    if m is None:
        m = re.search(r"</sheetData>|<sheetData[^>]*/>", text)
    return text[:m.end()] + xml + text[m.end():]


def _add_hyperlink(text: str, ref: str) -> str:
    link = f'<hyperlink ref="{ref}" location="\'ปก\'!A1" display="x"/>'
    if "<hyperlinks>" in text:
        return text.replace("<hyperlinks>", "<hyperlinks>" + link, 1)
    m = re.search(r"<printOptions\b|<pageMargins\b", text)
    return text[:m.start()] + f"<hyperlinks>{link}</hyperlinks>" + text[m.start():]


def _second_sheet_named(files: dict, name: str, part: str) -> bytes:
    """A second sheet with an existing sheet's name, placed before it, holding other values."""
    changed = dict(files)
    changed["xl/worksheets/sheet99.xml"] = files[part]
    changed["xl/_rels/workbook.xml.rels"] = files["xl/_rels/workbook.xml.rels"].decode().replace(
        "</Relationships>", '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet99.xml"/></Relationships>').encode()
    workbook = files["xl/workbook.xml"].decode()
    escaped = _xml_escape(name)
    changed["xl/workbook.xml"] = re.sub(r'(<sheet name="%s")' % re.escape(escaped),
                                        f'<sheet name="{escaped}" sheetId="99" state="visible" r:id="rId99"/>\\1',
                                        workbook, count=1).encode()
    return build(changed)
