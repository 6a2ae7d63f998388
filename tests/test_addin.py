"""The Excel add-in xlkpi.xlam: its ribbon, the VBA behind the button, the package parts."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from xlkpi.addin import ADDIN_FILENAME, RIBBON_PART, SHEET_NOTE, VBA_MODULE, build_addin, from_hex_text, hex_text, render_vba, vba_sources

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
    assert re.fullmatch(r"(Public )?Sub RunMain\(control As IRibbonControl\)", signature)


def _code(xlam: Path) -> str:
    """XlkpiButton as oletools decodes it, without the Attribute lines the editor hides."""
    code = _normalized(_module(xlam, VBA_MODULE))
    return "\n".join(line for line in code.split("\n") if not line.startswith("Attribute "))


def _rendered(**fields) -> str:
    text = _normalized(render_vba(**fields))
    return "\n".join(line for line in text.split("\n") if not line.startswith("Attribute "))


def test_the_addin_holds_xlkpis_vba_source_and_nothing_else(xlam):
    # oletools decodes the compressed module stream back to exactly the rendered source
    assert _code(xlam).rstrip("\n") == _rendered().rstrip("\n")
    assert set(vba_sources(xlam)) == {"ThisWorkbook.cls", "Sheet2.cls", "XlkpiButton.bas"}
    for name in ("ThisWorkbook.cls", "Sheet2.cls"):  # document modules: attributes only, no code
        assert [line for line in _normalized(vba_sources(xlam)[name]).split("\n")
                if line.strip() and not line.startswith("Attribute ")] == []


def test_installed_interpreter_is_recorded_in_the_addin(tmp_path):
    python = r"C:\Users\สมชาย ใจดี\xlkpi-env\Scripts\pythonw.exe"
    xlam = build_addin(tmp_path, interpreter_win=python)
    code = _code(xlam)
    assert code.isascii()  # Thai and any folder name travel as UTF-16 hex
    assert f'InstalledInterpreter = U("{hex_text(python)}")' in code
    assert from_hex_text(hex_text(python)) == python
    assert _code(xlam).rstrip("\n") == _rendered(interpreter_win=python).rstrip("\n")


def _without_comment(line: str) -> str:
    """A VBA line without its comment: a ' outside "..." starts one."""
    inside = False
    for i, ch in enumerate(line):
        if ch == '"':
            inside = not inside
        elif ch == "'" and not inside:
            return line[:i]
    return line


def test_the_vba_reads_no_setting_from_the_clicked_workbook(xlam):
    code = _code(xlam)
    lines = [_without_comment(line) for line in code.split("\n")]
    text = "\n".join(lines)
    # the clicked workbook is used for exactly one thing: its name, which travels as hex
    assert re.findall(r"ActiveWorkbook\b[.\w]*", text) == ["ActiveWorkbook"]
    assert set(re.findall(r"\bwb\.\w+", text)) == {"wb.Name"}
    assert "WindowsCommandLine(python, wb.Name," in text and "PythonCommand(wb.Name)" in text
    code_only = [re.sub(r'"[^"]*"', '""', line) for line in lines]  # string literals emptied
    for forbidden in (".Sheets", ".Worksheets", ".Path", "FullName", "GetConfig", "RunPython", "Shell ", "Shell(",
                      "Evaluate", "ExecuteExcel4Macro", "Application.Run"):
        offending = [line for line in code_only if forbidden in line and "Application.Path" not in line]
        assert not offending, (forbidden, offending)
    assert "cmd.exe" not in text and "PYTHONPATH" not in text.replace('"false;;;;"', "")
    # settings: the recorded interpreter, else the user's own file, both named by the add-in
    assert 'Environ("USERPROFILE") & "\\" & USER_SETTINGS & "\\xlwings.conf"' in text
    assert 'Private Const USER_SETTINGS As String = ".xlwings"' in text
    # the command line: the recorded python, a fixed command, the name as hex, Excel's window
    assert 'PythonCommand = "import xlkpi;xlkpi.main(\'" & HexText(bookName) & "\')"' in text
    assert "sh.Run(cmdLine, 0, True)" in text
    # nothing depends on the add-in's file name: a renamed copy ("xlkpi (1).xlam") works the same
    assert "ThisWorkbook.Name" not in text
    # started from the interpreter's folder: -c puts the current directory on Python's path
    assert "sh.CurrentDirectory = fso.GetParentFolderName(python)" in text


def test_vba_hex_text_is_pythons(xlam):
    """HexText (VBA) writes each UTF-16 unit as 4 hex digits; xlkpi.addin.hex_text is the same."""
    code = _code(xlam)
    assert 'Right$("000" & Hex$(AscW(Mid$(s, i, 1)) And &HFFFF&), 4)' in code
    name = "SAR สำนักงาน 2552 (ฉบับ 1) & 100%.xlsx"
    digits = hex_text(name)
    assert digits == "".join(f"{ord(c):04X}" for c in name) and re.fullmatch(r"[0-9A-F]+", digits)
    assert from_hex_text(digits) == name


def test_versions_recorded_in_the_addin(xlam):
    import xlwings

    import xlkpi

    code = _code(xlam)
    assert f'Public Const XLWINGS_VERSION As String = "{xlwings.__version__}"' in code
    assert f'Public Const XLKPI_VERSION As String = "{xlkpi.__version__}"' in code


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


def test_macros_vba_source_is_the_packaged_copy():
    assert (MACROS / f"{VBA_MODULE}.bas").read_bytes() == (REPO / "xlkpi" / "data" / f"{VBA_MODULE}.bas").read_bytes()


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
    # the template's settings sheet is now a note: no key, no value to read
    assert wb.sheetnames == ["xlkpi"]
    assert [[c.value for c in row] for row in wb["xlkpi"].iter_rows()] == [[text] for text in SHEET_NOTE]
    assert "xl/vbaProject.bin" in wb.vba_archive.namelist()


_UNO_LIST = r"""
import json, sys, time
import uno
from com.sun.star.beans import PropertyValue

def props(**kw):
    out = []
    for k, v in kw.items():
        p = PropertyValue(); p.Name = k; p.Value = v; out.append(p)
    return tuple(out)

pipe, path, calls = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
deadline = time.time() + 90
while True:
    try:
        ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        break
    except Exception:
        if time.time() > deadline:
            raise
        time.sleep(0.2)
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0,
                                   props(Hidden=True, FilterName="Calc MS Excel 2007 VBA XML",
                                         MacroExecutionMode=4 if calls else 0))
libs = doc.BasicLibraries
out = {lib: {m: libs.getByName(lib).getByName(m) for m in libs.getByName(lib).getElementNames()}
       for lib in libs.getElementNames()}
out["_sheet_a1"] = doc.Sheets.getByIndex(0).getCellByPosition(0, 0).getString()
provider = doc.getScriptProvider()
out["_calls"] = []
for name, args in calls:
    script = provider.getScript(f"vnd.sun.star.script:MyAddin.XlkpiButton.{name}?language=Basic&location=document")
    out["_calls"].append(script.invoke(tuple(args), (), ())[0])
print(json.dumps(out), flush=True)
doc.close(True)
try:
    desktop.terminate()
except Exception:
    pass
# leave without tearing down the UNO bridge: under load its teardown has crashed (SIGSEGV)
# after everything above was done and printed
import os
os._exit(0)
"""


def _libreoffice_basic(xlam: Path, work: Path, calls=()) -> dict:
    """{library: {module: source}} of the document's Basic libraries, as LibreOffice lists them over UNO."""
    import os
    import uuid

    from xlkpi.recalc import SOFFICE, UNO_PYTHON, _private_profile

    pipe = "xlkpi_addin_" + uuid.uuid4().hex
    office = subprocess.Popen(
        [SOFFICE, f"-env:UserInstallation={_private_profile(work / 'profile')}", "--headless", "--invisible",
         "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        client = subprocess.run([UNO_PYTHON, "-c", _UNO_LIST, pipe, str(xlam), __import__("json").dumps(calls)],
                                capture_output=True, text=True, timeout=180)
        assert client.returncode == 0, client.stderr
        return __import__("json").loads(client.stdout.strip().splitlines()[-1])
    finally:
        try:
            office.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(office.pid, 9)  # only the soffice this test started
            office.wait()


@pytest.mark.libreoffice
def test_libreoffice_opens_the_addin_and_lists_its_modules_over_uno(tmp_path):
    python = r"C:\Users\สมชาย\env\Scripts\pythonw.exe"
    xlam = build_addin(tmp_path / "out", interpreter_win=python)
    libraries = _libreoffice_basic(xlam, tmp_path)
    # the VBA project (still named MyAddin, as in the xlwings template) and its three modules
    assert set(libraries["MyAddin"]) == {"ThisWorkbook", "Sheet2", VBA_MODULE}
    assert libraries["_sheet_a1"] == SHEET_NOTE[0]
    source = _normalized(libraries["MyAddin"][VBA_MODULE])
    # LibreOffice's Basic holds the very source (after its two VBA-support lines)
    body = [line for line in source.split("\n") if not line.startswith(("Rem Attribute", "Option VBASupport"))]
    assert "\n".join(body).strip() == _rendered(interpreter_win=python).strip()


#: Appended to the module for the next test only: public doors to its private functions.
_SELF_TEST = (
    "Public Function XlkpiHex(ByVal s As String) As String\r\n    XlkpiHex = HexText(s)\r\nEnd Function\r\n"
    "Public Function XlkpiUnhex(ByVal s As String) As String\r\n    XlkpiUnhex = U(s)\r\nEnd Function\r\n"
    "Public Function XlkpiInterpreter() As String\r\n    XlkpiInterpreter = Interpreter()\r\nEnd Function\r\n"
    "Public Function XlkpiSetting(ByVal p As String) As String\r\n"
    "    XlkpiSetting = SettingFromUserFile(p, \"INTERPRETER_WIN\")\r\nEnd Function\r\n"
    "Public Function XlkpiCommandLine(ByVal p As String, ByVal b As String, ByVal x As String) As String\r\n"
    "    XlkpiCommandLine = WindowsCommandLine(p, b, x, 4242)\r\nEnd Function\r\n"
)


def _windows_argv(line: str) -> list:
    """CommandLineToArgvW for lines without backslash-quote pairs: spaces split outside quotes."""
    assert '\\"' not in line
    argv, current, quoted, started = [], "", False, False
    for ch in line:
        if ch == '"':
            quoted, started = not quoted, True
        elif ch == " " and not quoted:
            if started:
                argv.append(current)
            current, started = "", False
        else:
            current, started = current + ch, True
    if started:
        argv.append(current)
    return argv


@pytest.mark.libreoffice
def test_libreoffice_compiles_and_runs_the_vba(tmp_path, monkeypatch):
    """LibreOffice's VBA mode compiles the whole module (conditional compilation, the ribbon
    callback's type) and runs its helpers: HexText is Python's hex_text, U its inverse, the
    recorded interpreter comes back, and a settings file install wrote is read by Input #."""
    import xlkpi.addin as addin
    from xlkpi.addin_install import write_settings

    rendered = addin.render_vba
    monkeypatch.setattr(addin, "render_vba", lambda *a, **k: rendered(*a, **k) + _SELF_TEST)
    python = r"C:\Users\สมชาย ใจดี\xlkpi-env\Scripts\pythonw.exe"
    xlam = build_addin(tmp_path / "out", interpreter_win=python)
    conf = tmp_path / "xlwings.conf"
    write_settings(conf, [("CONDA PATH", r"C:\conda"), ("INTERPRETER_WIN", r"D:\Python312\pythonw.exe")],
                   encoding="cp1252")
    name = "SAR สำนักงาน 2552 & 100% (1).xlsx"
    excel = r"C:\Program Files\Microsoft Office\root\Office16\Microsoft Excel"
    calls = [["XlkpiHex", [name]], ["XlkpiUnhex", [hex_text(name)]], ["XlkpiInterpreter", []],
             ["XlkpiSetting", [str(conf)]], ["XlkpiCommandLine", [python, name, excel]]]
    results = _libreoffice_basic(xlam, tmp_path, calls)["_calls"]
    assert results[:4] == [hex_text(name), name, python, r"D:\Python312\pythonw.exe"]
    # the process the button starts is the one the click benchmark runs
    from xlkpi.bench_click import command_line

    assert _windows_argv(results[4]) == command_line(python, name, 4242)


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


# --- xlkpi addin install / uninstall -----------------------------------------------------------

def _install(tmp_path, monkeypatch, *args):
    from typer.testing import CliRunner

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "home"))
    return CliRunner().invoke(_cli_app(), ["addin", *args])


def test_install_puts_the_addin_in_xlstart_with_this_python_recorded(tmp_path, monkeypatch):
    from xlkpi.addin_install import interpreter, read_settings, settings_file

    xlstart = tmp_path / "XLSTART"
    conf = tmp_path / "home" / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(b'"CONDA PATH","C:\\\\anaconda3"\r\n"INTERPRETER_WIN","C:\\\\old\\\\python.exe"\r\n')
    result = _install(tmp_path, monkeypatch, "install", "--xlstart", str(xlstart))
    assert result.exit_code == 0, result.output
    assert settings_file() == conf
    xlam = xlstart / ADDIN_FILENAME
    python = interpreter()
    # the add-in's decoded VBA names this Python, and reads nothing from the clicked workbook
    code = _code(xlam)
    assert f'InstalledInterpreter = U("{hex_text(python)}")' in code
    assert "ActiveWorkbook.Sheets" not in code and "GetConfig" not in code
    # the user's file: ours updated in place, the others kept, in the format VBA's Input # reads
    assert read_settings(conf) == [("CONDA PATH", "C:\\\\anaconda3"), ("INTERPRETER_WIN", python),
                                   ("ADD_WORKBOOK_TO_PYTHONPATH", "false")]
    assert conf.read_bytes().endswith(b'"ADD_WORKBOOK_TO_PYTHONPATH","false"\r\n')
    receipt = __import__("json").loads((conf.parent / "xlkpi-addin.json").read_text(encoding="utf-8"))
    import xlwings

    assert receipt["xlwings_version"] == xlwings.__version__ and receipt["interpreter"] == python

    result = _install(tmp_path, monkeypatch, "uninstall", "--xlstart", str(xlstart))
    assert result.exit_code == 0, result.output
    assert not xlam.exists() and not (conf.parent / "xlkpi-addin.json").exists()
    assert read_settings(conf) == [("CONDA PATH", "C:\\\\anaconda3"), ("INTERPRETER_WIN", "C:\\\\old\\\\python.exe")]


def test_install_without_a_startup_folder_is_a_usage_error(tmp_path, monkeypatch):
    import xlkpi.addin_install as inst

    monkeypatch.setattr(inst, "default_xlstart", lambda: None)
    result = _install(tmp_path, monkeypatch, "install")
    assert result.exit_code == 2
    assert "--xlstart" in result.output and "Traceback" not in result.output


def test_windows_interpreter_is_pythonw_beside_python(tmp_path):
    from xlkpi.addin_install import interpreter

    scripts = tmp_path / "Scripts"
    scripts.mkdir()
    (scripts / "python.exe").write_bytes(b"")
    (scripts / "pythonw.exe").write_bytes(b"")
    assert interpreter(str(scripts / "python.exe"), windows=True) == str(scripts / "pythonw.exe")
    assert interpreter(str(scripts / "python.exe"), windows=False) == str(scripts / "python.exe")


def test_settings_file_in_the_ansi_code_page_round_trips(tmp_path):
    from xlkpi.addin_install import read_settings, write_settings

    path = tmp_path / "xlwings.conf"
    items = [("INTERPRETER_WIN", r"C:\Users\สมชาย\env\Scripts\pythonw.exe")]
    write_settings(path, items, encoding="cp874")  # Thai Windows' ANSI code page
    assert path.read_bytes().startswith(b'"INTERPRETER_WIN","C:\\Users\\')
    assert read_settings(path, encoding="cp874") == items


def test_python_dash_m_xlkpi_installs_as_the_readme_says(tmp_path):
    """`py -m xlkpi addin install` (the README's form when Scripts\\ is not on PATH)."""
    import os

    env = dict(os.environ, HOME=str(tmp_path / "home"), USERPROFILE=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, "-m", "xlkpi", "addin", "install", "--xlstart", str(tmp_path / "XLSTART")],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "XLSTART" / ADDIN_FILENAME).exists()
    assert "xlwings" in done.stdout and str(tmp_path / "XLSTART") in done.stdout
