"""The Excel add-in xlkpi.xlam: its ribbon, the VBA behind the button, the package parts."""
from __future__ import annotations

import importlib
import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from xlkpi.addin import ADDIN_FILENAME, RIBBON_PART, build_addin, vba_sources

REPO = Path(__file__).resolve().parents[1]
MACROS = REPO / "macros"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
UI_EXTENSIBILITY = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TAB_LABEL = "ตัวชี้วัด KPI"


@pytest.fixture
def xlam(tmp_path) -> Path:
    return build_addin(tmp_path)


def _ribbon(xlam: Path) -> ET.Element:
    with zipfile.ZipFile(xlam) as z:
        return ET.fromstring(z.read(RIBBON_PART))


def _button(xlam: Path) -> ET.Element:
    buttons = _ribbon(xlam).findall(f".//{{{CUSTOMUI_NS}}}button")
    assert len(buttons) == 1
    return buttons[0]


def _module(xlam: Path, vb_name: str) -> str:
    """The source of the VBA module whose VB_Name is `vb_name`."""
    for code in vba_sources(xlam).values():
        if re.search(rf'^Attribute VB_Name = "{re.escape(vb_name)}"', code, re.M):
            return code
    raise AssertionError(f"no VBA module {vb_name}")


def _procedure(code: str, name: str) -> tuple[str, list[str]]:
    """(signature, body lines stripped) of `Sub name` in a VBA module."""
    match = re.search(rf"^((?:Public |Private )?Sub {re.escape(name)}\b[^\r\n]*)\r?\n(.*?)^End Sub",
                      code, re.M | re.S | re.I)
    assert match, f"no Sub {name}"
    return match.group(1).strip(), [line.strip() for line in match.group(2).splitlines() if line.strip()]


def _normalized(text: str) -> str:
    return text.replace("\r\n", "\n")


def test_build_writes_xlkpi_xlam_as_a_valid_zip(xlam):
    assert xlam.name == ADDIN_FILENAME == "xlkpi.xlam"
    with zipfile.ZipFile(xlam) as z:
        assert z.testzip() is None
        assert {"xl/workbook.xml", "xl/vbaProject.bin", RIBBON_PART} <= set(z.namelist())


def test_build_is_reproducible(tmp_path):
    first = build_addin(tmp_path / "a").read_bytes()
    assert build_addin(tmp_path / "b").read_bytes() == first


def test_ribbon_is_customui_with_a_thai_tab(xlam):
    root = _ribbon(xlam)
    assert root.tag == f"{{{CUSTOMUI_NS}}}customUI"
    tabs = root.findall(f"./{{{CUSTOMUI_NS}}}ribbon/{{{CUSTOMUI_NS}}}tabs/{{{CUSTOMUI_NS}}}tab")
    assert [tab.get("label") for tab in tabs] == [TAB_LABEL]
    assert tabs[0].findall(f"./{{{CUSTOMUI_NS}}}group/{{{CUSTOMUI_NS}}}button")


def test_score_audit_button_is_large(xlam):
    button = _button(xlam)
    assert button.get("size") == "large"
    assert button.get("label") == "ประเมินและตรวจสอบ (Score & Audit)"


def test_button_callback_is_the_vba_ribbon_sub_runmain(xlam):
    # onAction "Module.Proc": the procedure must exist with the ribbon-callback signature.
    module, proc = _button(xlam).get("onAction").split(".")
    assert proc == "RunMain"
    signature, _ = _procedure(_module(xlam, module), proc)
    assert re.fullmatch(r"Sub RunMain\(control As IRibbonControl\)", signature)


def test_runmain_runs_main_of_the_module_named_after_the_addin_file(xlam):
    module, proc = _button(xlam).get("onAction").split(".")
    _, body = _procedure(_module(xlam, module), proc)
    assert body == [
        'mymodule = Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, ".", -1, vbTextCompare) - 1))',
        'RunPython "import " & mymodule & ";" & mymodule & ".main()"',
    ]
    # The same two lines in Python, with ThisWorkbook.Name = the built file's name.
    this_workbook_name = xlam.name
    mymodule = this_workbook_name[: this_workbook_name.rindex(".")]
    command = "import " + mymodule + ";" + mymodule + ".main()"
    assert command == "import xlkpi;xlkpi.main()"
    assert callable(importlib.import_module(mymodule).main)


def test_runpython_and_xlwings_version_come_with_the_addin(xlam):
    import xlwings

    xlwings_vba = _module(xlam, "xlwings")
    assert re.search(r"^Public Function RunPython\(PythonCommand As String\)", xlwings_vba, re.M)
    # The VBA finds the versioned dll/AppleScript of exactly this xlwings release.
    assert f'Public Const XLWINGS_VERSION As String = "{xlwings.__version__}"' in xlwings_vba


def test_content_types_cover_the_custom_ui_part(xlam):
    with zipfile.ZipFile(xlam) as z:
        types = ET.fromstring(z.read("[Content_Types].xml"))
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{{{CT_NS}}}Override")}
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.iter(f"{{{CT_NS}}}Default")}
    # An OPC part's type is its Override, else the Default of its extension; Office writes application/xml.
    content_type = overrides.get("/" + RIBBON_PART, defaults.get(RIBBON_PART.rsplit(".", 1)[1]))
    assert content_type == "application/xml"


def test_package_rels_point_to_the_custom_ui_part(xlam):
    with zipfile.ZipFile(xlam) as z:
        rels = ET.fromstring(z.read("_rels/.rels"))
        names = set(z.namelist())
    ui = [r.get("Target") for r in rels.iter(f"{{{RELS_NS}}}Relationship") if r.get("Type") == UI_EXTENSIBILITY]
    assert ui == [RIBBON_PART]
    assert all(r.get("Target").lstrip("/") in names for r in rels.iter(f"{{{RELS_NS}}}Relationship"))


def test_macros_ribbon_xml_is_the_packaged_copy():
    assert (MACROS / "ribbon.xml").read_bytes() == (REPO / "xlkpi" / "data" / "ribbon.xml").read_bytes()


def test_built_ribbon_is_macros_ribbon_xml(xlam):
    with zipfile.ZipFile(xlam) as z:
        assert z.read(RIBBON_PART) == (MACROS / "ribbon.xml").read_bytes()


def test_macros_vba_sources_are_what_the_addin_holds(xlam):
    sources = vba_sources(xlam)
    exported = {p.name for p in MACROS.iterdir() if p.suffix in (".bas", ".cls")}
    assert exported == set(sources)
    for name, code in sources.items():
        assert _normalized((MACROS / name).read_text(encoding="utf-8")) == _normalized(code), name


def _as_xlsm(xlam: Path) -> io.BytesIO:
    """The package with its workbook typed as .xlsm: openpyxl knows no add-in content type."""
    out = io.BytesIO()
    with zipfile.ZipFile(xlam) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.ms-excel.addin.macroEnabled.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            dst.writestr(info.filename, data)
    out.seek(0)
    return out


def test_openpyxl_reads_the_addin_with_its_vba(xlam):
    import openpyxl

    wb = openpyxl.load_workbook(_as_xlsm(xlam), keep_vba=True)
    assert wb.sheetnames == ["_myaddin.conf"]
    assert wb["_myaddin.conf"]["A1"].value == "Interpreter_Win"
    assert "xl/vbaProject.bin" in wb.vba_archive.namelist()


@pytest.mark.libreoffice
def test_libreoffice_converts_the_addin(xlam, tmp_path):
    out = tmp_path / "converted"
    # LibreOffice does not detect .xlam by itself; the filter says how to read it.
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--infilter=Calc MS Excel 2007 VBA XML", "--convert-to", "csv", "--outdir", str(out), str(xlam)],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr, result.stderr
    rows = (out / "xlkpi.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "Interpreter_Win,"
    assert "Conda Env," in rows


def _cli_app():
    try:
        from xlkpi.cli import app
    except ImportError:  # another area's command module is not written yet
        import typer

        from xlkpi.commands import excel

        app = typer.Typer()
        excel.register(app)
    return app


def test_cli_addin_build_prints_the_path(tmp_path):
    from typer.testing import CliRunner

    result = CliRunner().invoke(_cli_app(), ["addin", "build", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip())
    assert path == tmp_path / "out" / "xlkpi.xlam"
    assert zipfile.is_zipfile(path)


def test_addin_modules_import_without_xlwings_or_oletools():
    code = ("import sys, xlkpi, xlkpi.addin, xlkpi.commands.excel; "
            "print(sorted(m for m in ('xlwings', 'oletools') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
