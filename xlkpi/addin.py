"""Build the Excel add-in `xlkpi.xlam` on the custom-ribbon template that xlwings ships.

`xlwings quickstart NAME --addin --ribbon` copies `quickstart_addin_ribbon.xlam` to `NAME.xlam`
and changes nothing inside it.  Its VBA module `RibbonMyAddin` holds the ribbon callback

    Sub RunMain(control As IRibbonControl)
        mymodule = Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, ".", -1, vbTextCompare) - 1))
        RunPython "import " & mymodule & ";" & mymodule & ".main()"
    End Sub

so the add-in runs `main()` of the module named after its own file.  We do what quickstart does:
the file is named `xlkpi.xlam`, and the click runs `import xlkpi;xlkpi.main()`.  The VBA project is
copied byte for byte; only the ribbon XML (`customUI/customUI.xml`) and the title are ours.
"""
from __future__ import annotations

from pathlib import Path

#: The file name decides the Python module RunMain imports (see the module docstring).
ADDIN_FILENAME = "xlkpi.xlam"
TEMPLATE_FILENAME = "quickstart_addin_ribbon.xlam"
RIBBON_PART = "customUI/customUI.xml"
#: The ribbon callback in the template's VBA, named in ribbon.xml's onAction.
RIBBON_CALLBACK = "RibbonMyAddin.RunMain"
ADDIN_TITLE = "xlkpi — ตัวชี้วัด KPI"


def template_path() -> Path:
    """The custom-ribbon add-in template of the installed xlwings."""
    import xlwings

    return Path(xlwings.__file__).parent / TEMPLATE_FILENAME


def ribbon_xml() -> bytes:
    """The packaged ribbon XML (a copy of `macros/ribbon.xml`)."""
    from importlib.resources import files

    return files("xlkpi").joinpath("data", "ribbon.xml").read_bytes()


def build_addin(out_dir: Path) -> Path:
    """Write `xlkpi.xlam` into `out_dir` (created if missing) and return its path."""
    import zipfile

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / ADDIN_FILENAME
    replacements = {RIBBON_PART: ribbon_xml()}
    with zipfile.ZipFile(template_path()) as src:
        names = src.namelist()
        if RIBBON_PART not in names:
            raise RuntimeError(f"{template_path()} has no {RIBBON_PART}; is this the xlwings ribbon template?")
        replacements["docProps/core.xml"] = _with_title(src.read("docProps/core.xml"), ADDIN_TITLE)
        # Write to a temporary name first so a half-written add-in never sits where Excel looks.
        partial = target.with_name(target.name + ".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = replacements.get(info.filename)
                # The template's dates, not now: the same inputs give the same bytes.
                entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                entry.external_attr = info.external_attr
                dst.writestr(entry, src.read(info) if data is None else data,
                             compress_type=zipfile.ZIP_DEFLATED)
    partial.replace(target)
    return target


def _with_title(core_xml: bytes, title: str) -> bytes:
    """Set dc:title in docProps/core.xml; the title names the add-in in Excel's Add-ins dialog."""
    import re
    from xml.sax.saxutils import escape

    element = f"<dc:title>{escape(title)}</dc:title>".encode("utf-8")
    new, count = re.subn(rb"<dc:title\s*/>|<dc:title>.*?</dc:title>", element, core_xml, count=1, flags=re.S)
    return new if count else core_xml


def vba_sources(xlam: Path) -> dict[str, str]:
    """The VBA modules of an add-in as text, by export file name (`RibbonMyAddin.bas`, ...)."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(xlam))
    try:
        return {name: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def export_vba_sources(xlam: Path, out_dir: Path) -> list[Path]:
    """Write the add-in's VBA modules into `out_dir` (this is how `macros/*.bas` are made)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, code in sorted(vba_sources(xlam).items()):
        path = out_dir / name
        # newline="" keeps VBA's own line endings: the exported text is exactly what the add-in holds.
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(code)
        written.append(path)
    return written
