"""The audit's package reader, made faster (issue 10 item 7, issue 14 item 4), reads every
workbook into the same `Book` — and the same `WorkbookData`, the same container findings — as
the reader it replaced.  That reader is copied here, and only here (`_old_*`, as it was at
8e658db), and both read the same varied workbooks: the generator's SAR Card and KPI Template,
the same saved by LibreOffice, every Excel-form rewrite of them (shared formulas, Strict
Open XML, no `r`, inline strings, repackaged), a sheet of odd cells written by hand, and a
sample of every tampering class of the corpus (DTDs and entities, macros, broken references,
duplicate entries …), where both must fail alike.
"""
from __future__ import annotations

import contextlib
import gc
import io
import posixpath
import random
import re
import zipfile
from xml.etree import ElementTree as ET

import pytest

import corpus as c
from xlkpi.audit import container, ooxml
from xlkpi.audit.container import _EMBED_TYPES, _EXTERNAL_TYPES, _MACRO_TYPES, _bad, _decoded, container_findings
from xlkpi.audit.expected import expected_model
from xlkpi.audit.ooxml import (CELL_RE, MAIN_NS, PKG_REL, REL_NS, BadPackage, Book, Cell, Sheet, column_letters,
                               column_number, read_book)
from xlkpi.audit.sheet_xml import _finish_sheet, _parse_setting, _shared_strings_of
from xlkpi.audit.reader import WorkbookData, _parse_name_target, _plain, data_from_book
from xlkpi.audit.rewrite import REWRITES
from xlkpi.audit.styles import _bool, _float, _Ns, _shared_strings, _styles, theme_colours
from xlkpi.bench import good_agreement
from xlkpi.sample import sample_ministry
from xlkpi.workbook.layout import KIND_SAR, KIND_TEMPLATE
from xlkpi.workbook.readback import check_container
from xlkpi.workbook.sar import build_sar, meta_text
from xlkpi.workbook.template import build_template

# --- the reader as it was (8e658db), for comparison only ---------------------------------

_OLD_ENTITY = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
_OLD_SHEET_QUOTED = re.compile(r"'((?:[^']|'')*)'!")


def _old_declares_entities(data: bytes) -> bool:
    return _OLD_ENTITY.search(_decoded(data)) is not None


def _old_canonical_reference(text: str) -> str:
    text = (text or "").strip().lstrip("=").lstrip("#")
    text = _OLD_SHEET_QUOTED.sub(lambda m: m.group(1).replace("''", "'") + "!", text).replace("$", "")
    return ",".join(sorted(p.strip() for p in text.split(",")))


def _old_parse_sheet(data: bytes, sheet: Sheet, ns, rel_ids: tuple, strings: list, rels: dict) -> None:
    from xlkpi.audit.formulas import shift

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
                for cel in row_el:
                    if cel.tag != c_tag:
                        continue
                    ref = cel.get("r")
                    if ref:
                        m = CELL_RE.fullmatch(ref)
                        if m is None:
                            raise BadPackage("WB-CORRUPT", f"อ้างอิงช่องไม่ถูกต้อง: {ref}", f"a bad cell reference: {ref}")
                        column = column_number(m.group(1))
                        ref = f"{m.group(1)}{m.group(2)}"
                    else:
                        column += 1
                        ref = f"{column_letters(column)}{row_number}"
                    kind = cel.get("t", "n")
                    f = v = inline = None
                    for part in cel:
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
                    style = int(cel.get("s", "0"))
                    cells[ref] = Cell(value, formula, style, kind)
                    if column > last_col:
                        last_col = column
                    if (value is not None or formula is not None) and row_number > last_row:
                        last_row = row_number
        else:
            _parse_setting(sheet, child, tag, ns, rels)
    _finish_sheet(sheet, last_row, last_col)


def _old_rels(archive, names: set, part: str) -> dict:
    folder, base = posixpath.split(part)
    path = posixpath.join(folder, "_rels", base + ".rels")
    if path not in names:
        return {}
    data = archive.read(path)
    if _old_declares_entities(data):
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


def _old_read_part(archive, names: set, part: str, findings: list, blobs=None):
    if part not in names:
        raise BadPackage("WB-CORRUPT", f"ไม่พบส่วน {part}", f"part {part} is missing")
    data = blobs[part] if blobs and part in blobs else archive.read(part)
    if _old_declares_entities(data):
        raise BadPackage("WB-XML-ENTITY", f"ส่วน {part} ประกาศ DTD/entity (ไม่อ่าน ไม่ขยาย)",
                         f"part {part} declares a DTD or entities (not read, not expanded)")
    return data


@contextlib.contextmanager
def _old_names():
    """The old canonical_reference also where the unchanged helpers call it (hyperlinks)."""
    new = ooxml.canonical_reference
    ooxml.canonical_reference = _old_canonical_reference
    try:
        yield
    finally:
        ooxml.canonical_reference = new


def _old_read_book(source) -> Book:
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    try:
        with zipfile.ZipFile(source) as archive, _old_names():
            return _old_read(archive)
    except BadPackage:
        raise
    except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError, IndexError, OSError, EOFError,
            NotImplementedError, RuntimeError) as exc:
        raise BadPackage("WB-CORRUPT", f"ไฟล์เสียหาย อ่านส่วนประกอบไม่ได้: {exc}",
                         f"the file is corrupt, a part cannot be read: {exc}") from exc


def _old_read(archive: zipfile.ZipFile) -> Book:
    names = set(archive.namelist())
    types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    findings = container_findings(archive, types)
    blobs = {}
    for name in sorted(names):
        if name.lower().endswith((".xml", ".rels", ".vml")):
            blobs[name] = archive.read(name)
        if name in blobs and _old_declares_entities(blobs[name]):
            findings.append(_bad("WB-XML-ENTITY", f"ส่วน {name} ประกาศ DTD/entity (ไม่อ่าน ไม่ขยาย)",
                                 f"part {name} declares a DTD or entities (not read, not expanded)", name))
    if any(f.code == "WB-XML-ENTITY" for f in findings):
        return Book([], [], {}, False, findings)
    package = _old_rels(archive, names, "")
    workbook_part = next((t for k, t in package.values() if k == "officeDocument"), "xl/workbook.xml")
    root = ET.fromstring(_old_read_part(archive, names, workbook_part, findings, blobs))
    main = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else MAIN_NS[0]
    if main not in MAIN_NS:
        raise BadPackage("WB-NOT-EXCEL", "ไม่ใช่สมุดงาน Excel", "not an Excel workbook")
    ns = _Ns(main)
    rels = _old_rels(archive, names, workbook_part)
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
    theme = theme_colours(ET.fromstring(_old_read_part(archive, names, theme_part, findings, blobs))) \
        if theme_part and theme_part in names else {}
    styles = _styles(ET.fromstring(_old_read_part(archive, names, styles_part, findings, blobs)) if styles_part else None,
                     ns, theme)
    strings = _shared_strings(ET.fromstring(_old_read_part(archive, names, strings_part, findings, blobs))
                              if strings_part else None, ns)
    protection = root.find(ns("workbookProtection"))
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
        sheet_rels = _old_rels(archive, names, target)
        for k, t in sheet_rels.values():
            if k.lower() in _EMBED_TYPES or k.lower() in ("drawing", "image", "chart"):
                sheet.objects.append(k)
        _old_parse_sheet(_old_read_part(archive, names, target, findings, blobs), sheet, ns, REL_NS, strings, sheet_rels)
    names_el = root.find(ns("definedNames"))
    for dn in (names_el if names_el is not None else ()):
        local = dn.get("localSheetId")
        book.names[(dn.get("name", "").lower(), int(local) if local is not None else None)] = \
            _old_canonical_reference(dn.text or "")
    return book


def _old_data_from_book(book, file: str) -> WorkbookData:
    data = WorkbookData(file, [], {}, {}, structure_locked=book.structure_locked)
    values, formulas = data.values, data.formulas
    for sheet in book.sheets:
        name = sheet.name
        data.sheetnames.append(name)
        data.hidden[name] = sheet.state
        data.protected[name] = bool(sheet.protection and sheet.protection.get("sheet"))
        data.max_row[name] = sheet.max_row
        for ref, cell in sheet.cells.items():
            if cell.value is not None:
                values[(name, ref)] = _plain(cell.value)
            if cell.formula is not None:
                formulas[(name, ref)] = "=" + cell.formula
    for (name, local), target in book.names.items():
        if local is None:
            parsed = _parse_name_target(target)
            if parsed:
                data.names[name] = parsed
    return data


# --- comparing the two ---------------------------------------------------------------------

def _outcome(read, data: bytes):
    """A reader's Book, or the (code, th, en) of the BadPackage it raises."""
    try:
        return read(data)
    except BadPackage as exc:
        return ("BadPackage", exc.code, exc.th, exc.en)


def _nan_named(book: Book) -> Book:
    """NaN (a mutant's stored value) is not equal to itself: name it, to compare the rest."""
    for sheet in book.sheets:
        for cell in sheet.cells.values():
            if cell.value != cell.value:
                cell.value = "NaN, as read"
    return book


def _assert_same(data: bytes, label: str) -> None:
    old, new = _outcome(_old_read_book, data), _outcome(read_book, data)
    if isinstance(new, Book) and isinstance(old, Book):
        new_data, old_data = data_from_book(new, label), _old_data_from_book(old, label)
        assert {k: v for k, v in new_data.values.items() if v == v} == \
            {k: v for k, v in old_data.values.items() if v == v}, label
        assert new_data.values.keys() == old_data.values.keys(), label
        new_data.values = old_data.values = {}
        assert new_data == old_data, label
        old, new = _nan_named(old), _nan_named(new)
    assert new == old, label


def _saved(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _variants(data: bytes) -> dict:
    out = {"as written": data, **{k: f(data) for k, f in REWRITES.items()}}
    combined = data
    for rewrite in REWRITES.values():
        combined = rewrite(combined)
    out["all rewrites at once"] = combined
    return out


ODD_ROWS = (  # cells of every kind and spelling the reader accepts, and two sheetData
    '<row r="2" ht="20" hidden="1"><c r="$B$2" t="b"><v> true</v></c><c t="e"><v>#DIV/0!</v></c>'
    '<c t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="F2" t="d"><v>2026-01-31</v></c>'
    '<c r="G2" t="inlineStr"><is><r><t>x</t></r><r><t>y</t></r></is></c><c r="H2" t="str"><v></v></c>'
    '<c r="I2" s="1"><f t="shared" si="7" ref="I2:I4">H2+1</f><v>1</v></c></row>'
    '<row><c r="I3"><f t="shared" si="7"/></c><c><v>1e3</v></c><c r="AB3"><v>-0</v></c></row>'
    '</sheetData><sheetData><row r="4"><c r="I4"><f t="shared" si="7"/></c><c r="J4"><f/></c><c r="K4"/></row>')


def _odd_cells(data: bytes) -> bytes:
    """The first sheet with hand-written rows appended after its own (parsed by a real parser),
    and, where there are shared strings, an empty one and a cell showing it."""
    files = c.parts(data)
    part = next(iter(c.sheet_parts(files).values()))
    text = files[part].decode("utf-8")
    end = text.rindex("</sheetData>")
    rows = ODD_ROWS + '<row r="5"><c r="B5" t="inlineStr"><is><t></t></is></c></row>'
    if "xl/sharedStrings.xml" in files:
        strings = files["xl/sharedStrings.xml"].decode("utf-8")
        count = len(ET.fromstring(strings))
        at = strings.rindex("</sst>")
        files["xl/sharedStrings.xml"] = (strings[:at] + "<si><t></t></si>" + strings[at:]).encode("utf-8")
        rows += f'<row r="6"><c r="B6" t="s"><v>{count}</v></c><c r="C6" t="s"><v>0</v></c></row>'
    files[part] = (text[:end] + rows + text[end:]).encode("utf-8")
    return c.build(files)


def test_canonical_reference_is_unchanged_on_every_spelling():
    texts = ["", "  =#'SAR 12 เดือน'!$L$6 ", "A!$A$1:$B$2", "'It''s'!A1", "'a'b'!A1", "'abc'", "'S'!", "x'!A1",
             "'S,1'!A1", "'S'!A1'", "'x'!A1,'y'!B2", "B2, A1", "'S'!$5:$5", "Sheet1!#REF!", "'ab'!'cd'!A1",
             "'$'!$A$1", "'S' !A1", "=", "#", "'", "''!A1", "'a''b'!A1", "name", " 'S'!A1 , 'R'!A1", "= $A$1 ",
             "# 'S'!A1", "=#\t'S'!$B$2\n"]
    for text in texts:
        assert ooxml.canonical_reference(text) == _old_canonical_reference(text), text


def test_the_entity_pre_test_changes_no_answer():
    samples = [b"<a/>", b"<!DOCTYPE x><a/>", b"<!  entity x 'y'>", b"<!-- c --><a/>", b"<a><![CDATA[<!x]]></a>",
               b"<! DOCTYPE", b"<!", b"", "<!DOCTYPE x>".encode("utf-16"), "<a/>".encode("utf-16"),
               "<?xml?><!ENTITY x>".encode("utf-16-le"), "<?xml?><!ENTITY x>".encode("utf-16-be"),
               "<?xml?><a/>".encode("utf-16-le")]
    for data in samples:
        assert container.declares_entities(data) == _old_declares_entities(data), data


@pytest.mark.parametrize("label, workbook", [
    ("SAR Card, sample ministry", lambda: build_sar(sample_ministry()[0])),
    ("SAR Card, random agreement", lambda: build_sar(good_agreement(random.Random(3), 12))),
    ("KPI Template, sample ministry", lambda: build_template(sample_ministry()[9])),
])
def test_the_generators_workbooks_and_their_rewrites_read_the_same(label, workbook):
    data = _saved(workbook())
    for name, variant in {**_variants(data), "odd cells": _odd_cells(data)}.items():
        _assert_same(variant, f"{label}: {name}")


def test_the_odd_cells_are_read_as_written():
    """Pinned facts, so that the comparison above compares something."""
    book = read_book(_odd_cells(_saved(build_sar(sample_ministry()[0]))))
    cells = book.sheets[0].cells
    assert cells["B2"].value is True and cells["C2"].value == ("#ERR", "#DIV/0!")
    assert (cells["D2"].value, cells["D2"].formula) == ("ab", '"a"&"b"')
    assert cells["F2"].value == "2026-01-31" and cells["G2"].value == "xy" and cells["H2"].value is None
    assert cells["I3"].formula == "H3+1" and cells["I4"].formula == "H4+1" and cells["J4"].formula == ""
    assert cells["J3"].value == 1000.0 and cells["AB3"].value == 0.0 and cells["K4"] == Cell(None, None, 0, "n")
    assert book.sheets[0].rows[2] == (20.0, True) and cells["B5"] == Cell(None, None, 0, "inlineStr")


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory):
    from xlkpi.recalc import libreoffice_recalc
    from xlkpi.workbook.sar import write_sar
    from xlkpi.workbook.template import write_template

    root = tmp_path_factory.mktemp("reader")
    sar, template = sample_ministry()[0], sample_ministry()[9]
    paths = [write_sar(sar, root / "sar.xlsx"), write_template(template, root / "template.xlsx")]
    calculated = libreoffice_recalc(paths, root / "calculated")
    return [(calculated[p].read_bytes(), agreement, kind)
            for p, agreement, kind in zip(paths, (sar, template), (KIND_SAR, KIND_TEMPLATE))]


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_libreoffices_workbooks_their_rewrites_and_every_tampering_class_read_the_same(saved_by_libreoffice):
    classes = set()
    for n, (data, agreement, kind) in enumerate(saved_by_libreoffice):
        for name, variant in {**_variants(data), "odd cells": _odd_cells(data)}.items():
            _assert_same(variant, f"{kind}: {name}")
        expected, _ = expected_model(meta_text(agreement), kind)
        for klass, mutants in c.classes(data, expected.inputs, random.Random(n), limit=6).items():
            classes.add(klass)
            for sheet, cell, mutant in mutants:
                _assert_same(mutant, f"{kind}: {klass} at {sheet}!{cell}")
    assert len(classes) >= 15, classes


def test_parts_kept_by_the_container_check_are_the_parts_read(tmp_path):
    first = _saved(build_sar(sample_ministry()[0]))
    second = REWRITES["shared-formulas"](_saved(build_sar(sample_ministry()[1])))
    paths = []
    for n, data in enumerate((first, second)):
        paths.append(tmp_path / f"{n}.xlsx")
        paths[-1].write_bytes(data)
    kept = {}
    assert check_container(paths[0], kept) == check_container(paths[0]) == []
    with zipfile.ZipFile(paths[0]) as archive:
        assert {name: data for name, (_crc, data) in kept.items()} == \
            {n: archive.read(n) for n in archive.namelist() if n.endswith((".xml", ".rels", ".vml"))}
    assert read_book(paths[0], kept) == _old_read_book(first)
    # parts of another file are not taken for this one's (their CRC differs)
    assert read_book(paths[1], kept) == _old_read_book(second)
    # a damaged entry (bad deflate data; a bad CRC): the same finding with and without keeping
    damaged = bytearray(first)
    at = damaged.index(b"xl/worksheets/sheet1.xml") + 40  # inside that entry's compressed data
    damaged[at:at + 8] = bytes(8)
    stored = bytearray(REWRITES["repackaged"](first))  # stored, so one byte of the XML can change
    at = stored.index(b"<sheetData>")
    stored[at + 1:at + 2] = b"S"
    for n, broken in enumerate((damaged, stored)):
        path = tmp_path / f"broken-{n}.xlsx"
        path.write_bytes(bytes(broken))
        findings = check_container(path, {})
        assert findings == check_container(path) and [f.code for f in findings] == ["WB-CORRUPT"]
    assert "(part xl/worksheets/" in check_container(tmp_path / "broken-1.xlsx")[0].message_en  # it names the part


def test_reading_leaves_garbage_collection_as_it_was_and_repeated_parts_unshared():
    data = _saved(build_sar(sample_ministry()[0]))
    assert gc.isenabled()
    book = read_book(data)
    assert gc.isenabled()
    with pytest.raises(BadPackage):
        read_book(data[:-100])
    assert gc.isenabled()
    gc.disable()
    try:
        read_book(data)
        assert not gc.isenabled()
    finally:
        gc.enable()
    first = list(book.styles)
    book.styles.clear()  # the styles of the next file with the same styles part are its own
    assert read_book(data).styles == first == _old_read_book(data).styles
