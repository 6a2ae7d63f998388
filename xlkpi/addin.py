"""Build the Excel add-in `xlkpi.xlam`: xlwings' ribbon template with xlkpi's own VBA.

The package (workbook, ribbon relationship, content types) is the custom-ribbon template that
xlwings ships (`quickstart_addin_ribbon.xlam`).  Its VBA is replaced: the template's modules
(`xlwings` with RunPython, `Dictionary`, `RibbonMyAddin`) are deleted and the one module
`XlkpiButton` (macros/XlkpiButton.bas, packaged as xlkpi/data/XlkpiButton.bas) is written into
`xl/vbaProject.bin` from source by pyOpenVBA, which also clears the compiled p-code cache so
Excel compiles the new source.  That VBA reads no setting from the workbook that is clicked
(see the module's header); `install` records the interpreter in it.

The ribbon XML (`customUI/customUI.xml`) and the title are ours as well.
"""
from __future__ import annotations

import re
from pathlib import Path

#: Excel shows this file name; the button does not depend on it.
ADDIN_FILENAME = "xlkpi.xlam"
TEMPLATE_FILENAME = "quickstart_addin_ribbon.xlam"
RIBBON_PART = "customUI/customUI.xml"
VBA_PART = "xl/vbaProject.bin"
#: The one VBA module of the add-in and its ribbon callback (ribbon.xml's onAction).
VBA_MODULE = "XlkpiButton"
RIBBON_CALLBACK = f"{VBA_MODULE}.RunMain"
#: The template's modules, deleted: xlwings' RunPython reads settings from the active workbook.
TEMPLATE_MODULES = ("xlwings", "Dictionary", "RibbonMyAddin")
ADDIN_TITLE = "xlkpi — ตัวชี้วัด KPI"
#: The template's one sheet is xlwings' settings sheet `_myaddin.conf`; nothing reads it any
#: more, so it becomes a note saying where the settings are.
SHEET_NAME = "xlkpi"
SHEET_NOTE = ("xlkpi — ปุ่มประเมินและตรวจสอบ (Score & Audit)",
              "ไม่มีการตั้งค่าในแผ่นงานนี้: Python ที่ใช้บันทึกไว้ตอน xlkpi addin install — "
              "no settings here: the Python to run is recorded by xlkpi addin install")

_FIELD = re.compile(r"\{\{([A-Z_]+)\}\}")
_U_CALL = re.compile(r'U\("([^"\r\n]*)"\)')


def template_path() -> Path:
    """The custom-ribbon add-in template of the installed xlwings."""
    import xlwings

    return Path(xlwings.__file__).parent / TEMPLATE_FILENAME


def _data(name: str) -> bytes:
    from importlib.resources import files

    return files("xlkpi").joinpath("data", name).read_bytes()


def ribbon_xml() -> bytes:
    """The packaged ribbon XML (a copy of `macros/ribbon.xml`)."""
    return _data("ribbon.xml")


def vba_template() -> str:
    """The packaged VBA source (a copy of `macros/XlkpiButton.bas`), fields unfilled."""
    return _data(f"{VBA_MODULE}.bas").decode("utf-8")


def hex_text(text: str) -> str:
    """Each UTF-16 code unit as four upper-case hex digits (the VBA's HexText / U)."""
    data = text.encode("utf-16-le")
    return "".join(f"{data[i + 1]:02X}{data[i]:02X}" for i in range(0, len(data), 2))


def from_hex_text(digits: str) -> str:
    """The inverse of hex_text; ValueError unless `digits` is whole code units of hex."""
    if len(digits) % 4 or not re.fullmatch(r"[0-9A-Fa-f]*", digits):
        raise ValueError(f"not UTF-16 hex text: {digits[:40]!r}")
    data = bytes.fromhex(digits)
    return b"".join(data[i + 1:i + 2] + data[i:i + 1] for i in range(0, len(data), 2)).decode("utf-16-le")


def render_vba(interpreter_win: str = "", interpreter_mac: str = "", xlwings_version: str | None = None) -> str:
    """The module's text as the add-in holds it: fields filled, U("...") as hex, CRLF, ASCII."""
    from . import __version__

    if xlwings_version is None:
        from importlib.metadata import version

        xlwings_version = version("xlwings")
    fields = {"XLKPI_VERSION": __version__, "XLWINGS_VERSION": xlwings_version,
              "INTERPRETER_WIN": interpreter_win or "", "INTERPRETER_MAC": interpreter_mac or ""}
    for value in fields.values():
        if '"' in value or "\n" in value or "\r" in value:
            raise ValueError(f"cannot record {value!r} in the add-in")
    text = _FIELD.sub(lambda m: fields[m.group(1)] if m.group(1) in fields else m.group(0), vba_template())
    text = _U_CALL.sub(lambda m: f'U("{hex_text(m.group(1))}")', text)
    text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    if not text.isascii():
        raise ValueError("the VBA source must be ASCII outside U(\"...\")")
    return text


def build_addin(out_dir: Path, interpreter_win: str = "", interpreter_mac: str = "",
                filename: str = ADDIN_FILENAME) -> Path:
    """Write the add-in into `out_dir` (created if missing) and return its path."""
    import zipfile

    from pyopenvba import ExcelFile

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / filename
    replacements = {RIBBON_PART: ribbon_xml()}
    # Written under a temporary name first so a half-written add-in never sits where Excel looks.
    partial = target.with_name(target.name + ".partial.xlam")
    try:
        with zipfile.ZipFile(template_path()) as src:
            names = src.namelist()
            if RIBBON_PART not in names or VBA_PART not in names:
                raise RuntimeError(f"{template_path()} has no {RIBBON_PART}; is this the xlwings ribbon template?")
            replacements["docProps/core.xml"] = _with_title(src.read("docProps/core.xml"), ADDIN_TITLE)
            replacements.update(_note_sheet(src))
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in src.infolist():
                    data = replacements.get(info.filename)
                    # The template's dates, not now: the same inputs give the same bytes.
                    entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                    entry.external_attr = info.external_attr
                    dst.writestr(entry, src.read(info) if data is None else data,
                                 compress_type=zipfile.ZIP_DEFLATED)
        source = render_vba(interpreter_win, interpreter_mac)
        with ExcelFile(str(partial)) as book:
            project = book.vba_project()
            for name in TEMPLATE_MODULES:
                if name in project.module_names():
                    project.delete_module(name)
            project.add_module(VBA_MODULE, source)
            book.save()
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _note_sheet(src) -> dict:
    """The template's settings sheet rewritten as a two-line note (its name, cells, strings)."""
    from xml.sax.saxutils import escape

    workbook = src.read("xl/workbook.xml").replace(b'name="_myaddin.conf"', f'name="{SHEET_NAME}"'.encode())
    sheet = src.read("xl/worksheets/sheet1.xml")
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>{i - 1}</v></c></row>' for i in (1, 2))
    sheet = re.sub(rb"<sheetData>.*</sheetData>", f"<sheetData>{rows}</sheetData>".encode(), sheet, flags=re.S)
    sheet = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:A2" />', sheet)
    strings = "".join(f"<si><t>{escape(text)}</t></si>" for text in SHEET_NOTE)
    shared = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
              f'count="{len(SHEET_NOTE)}" uniqueCount="{len(SHEET_NOTE)}">{strings}</sst>')
    return {"xl/workbook.xml": workbook, "xl/worksheets/sheet1.xml": sheet,
            "xl/sharedStrings.xml": shared.encode("utf-8")}


def _with_title(core_xml: bytes, title: str) -> bytes:
    """Set dc:title in docProps/core.xml; the title names the add-in in Excel's Add-ins dialog."""
    from xml.sax.saxutils import escape

    element = f"<dc:title>{escape(title)}</dc:title>".encode("utf-8")
    new, count = re.subn(rb"<dc:title\s*/>|<dc:title>.*?</dc:title>", element, core_xml, count=1, flags=re.S)
    return new if count else core_xml


def vba_sources(xlam: Path) -> dict[str, str]:
    """The VBA modules of an add-in as text, decoded by oletools, by export file name."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(xlam))
    try:
        return {name: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()
