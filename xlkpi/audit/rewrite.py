"""Legitimate spellings of the same workbook, as Excel and other writers save it.

The audit must find every edit and must not mistake these for one.  Each function takes the
bytes of an .xlsx and returns the bytes of the same workbook written differently:

* `shared_formulas` — runs of same-shape formulas down a column written once, the rest
  `<f t="shared" si=…/>`, as Excel saves them (also what `make bench` audits);
* `without_cell_refs` — `<c>` elements without the optional `r` where the column follows on;
* `inline_strings` — every shared string written inline in its cell;
* `strict` — the Strict Open XML dialect (ISO/IEC 29500 Strict namespaces);
* `repackaged` — parts in another order, stored without compression, no calcChain.

Used by the tests (the corpus of legitimate rewrites) and by the benchmark.
"""
from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree as ET

from .formulas import shift
from .ooxml import CELL_RE, MAIN_NS, column_number

MAIN = MAIN_NS[0]
M = "{%s}" % MAIN


def _sheet_parts(archive: zipfile.ZipFile) -> list:
    return [n for n in archive.namelist() if re.match(r"xl/worksheets/[^/]+\.xml$", n)]


def _rezip(data: bytes, edit, compression=zipfile.ZIP_DEFLATED, order=None) -> bytes:
    """Every part through `edit(name, bytes) -> bytes | None` (None drops the part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", compression) as zout:
        names = zin.namelist()
        for name in (order(names) if order else names):
            new = edit(name, zin.read(name))
            if new is not None:
                zout.writestr(name, new)
    return out.getvalue()


def _namespaces(data: bytes) -> dict:
    return dict(ev[1] for ev in ET.iterparse(io.BytesIO(data), events=("start-ns",)))


def _serialise(root, namespaces: dict) -> bytes:
    for prefix, uri in namespaces.items():
        ET.register_namespace(prefix, uri)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + ET.tostring(root, encoding="utf-8")


def _edit_sheets(data: bytes, edit_root) -> bytes:
    def edit(name, part):
        if re.match(r"xl/worksheets/[^/]+\.xml$", name):
            namespaces = _namespaces(part)
            root = ET.fromstring(part)
            edit_root(root)
            return _serialise(root, namespaces)
        return part
    return _rezip(data, edit)


def shared_formulas(data: bytes, minimum: int = 2) -> bytes:
    """Same-shape formulas in consecutive rows of a column become one shared formula."""
    def edit(root):
        sheet_data = root.find(M + "sheetData")
        if sheet_data is None:
            return
        by_column: dict = {}
        for row in sheet_data.iter(M + "row"):
            for c in row.iter(M + "c"):
                f = c.find(M + "f")
                if f is None or f.get("t") or not f.text:
                    continue
                m = CELL_RE.fullmatch(c.get("r", ""))
                if m:
                    by_column.setdefault(m.group(1), []).append((int(m.group(2)), c, f))
        index = 0
        for column, cells in by_column.items():
            run: list = []

            def flush():
                nonlocal index
                if len(run) >= minimum:
                    first_row, _c, master = run[0]
                    master.set("t", "shared")
                    master.set("ref", f"{column}{first_row}:{column}{run[-1][0]}")
                    master.set("si", str(index))
                    for _r, _c2, f in run[1:]:
                        f.text = None
                        f.attrib.clear()
                        f.set("t", "shared")
                        f.set("si", str(index))
                    index += 1
                run.clear()

            for number, c, f in cells:
                if run:
                    r0, _c0, master = run[0]
                    if number == run[-1][0] + 1 and shift(master.text, number - r0, 0) == f.text:
                        run.append((number, c, f))
                        continue
                    flush()
                run.append((number, c, f))
            flush()
    return _edit_sheets(data, edit)


def without_cell_refs(data: bytes) -> bytes:
    """Drop a cell's `r` where it is the next column after the previous cell of its row."""
    def edit(root):
        for row in root.iter(M + "row"):
            previous = 0
            for c in row.iter(M + "c"):
                m = CELL_RE.fullmatch(c.get("r", ""))
                if not m:
                    continue
                column = column_number(m.group(1))
                if column == previous + 1:
                    del c.attrib["r"]
                previous = column
    return _edit_sheets(data, edit)


def inline_strings(data: bytes) -> bytes:
    """Every shared-string cell written as an inline string."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        strings = []
        if "xl/sharedStrings.xml" in names:
            root = ET.fromstring(z.read("xl/sharedStrings.xml"))
            for si in root.iter(M + "si"):
                strings.append("".join(t.text or "" for t in si.iter(M + "t")))

    def edit(root):
        for c in root.iter(M + "c"):
            if c.get("t") == "s":
                v = c.find(M + "v")
                text = strings[int(v.text)]
                c.remove(v)
                c.set("t", "inlineStr")
                is_ = ET.SubElement(c, M + "is")
                t = ET.SubElement(is_, M + "t")
                t.text = text
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return _edit_sheets(data, edit)


STRICT = {
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": "http://purl.oclc.org/ooxml/spreadsheetml/main",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": "http://purl.oclc.org/ooxml/officeDocument/relationships",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "http://purl.oclc.org/ooxml/drawingml/main",
}


def strict(data: bytes) -> bytes:
    """The Strict dialect: its namespaces and relationship types, conformance="strict"."""
    def edit(name, part):
        if not name.endswith((".xml", ".rels")):
            return part
        text = part.decode("utf-8")
        for old, new in STRICT.items():
            text = text.replace(old, new)
        if name == "xl/workbook.xml":
            text = re.sub(r"<workbook(\s)", r'<workbook conformance="strict"\1', text, count=1)
        return text.encode("utf-8")
    return _rezip(data, edit)


def repackaged(data: bytes) -> bytes:
    """Parts in reverse order, stored uncompressed, without calcChain."""
    def edit(name, part):
        return None if name.endswith("calcChain.xml") else part
    return _rezip(data, edit, zipfile.ZIP_STORED, order=lambda names: list(reversed(names)))


REWRITES = {"shared-formulas": shared_formulas, "no-cell-refs": without_cell_refs,
            "inline-strings": inline_strings, "strict": strict, "repackaged": repackaged}
