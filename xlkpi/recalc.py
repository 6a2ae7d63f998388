"""Headless recalculation: the two edges that compute a workbook's formulas without Excel.

* LibreOffice (`libreoffice_recalc`): the real spreadsheet on hand. One soffice process,
  driven over UNO by Debian's `python3-uno`, opens many workbooks, recalculates each in full
  and saves it back as xlsx with cached values, as Excel would have stored them.
* The `formulas` package (`formulas_values`): pure Python, no office suite. It departs from
  Excel in a few places the SAR Card relies on; `install_excel_semantics` corrects them in
  `formulas`' own function and operator registries before any workbook is compiled.

Also here: reading cached values (`cached_values`) and the PDF/PNG edges used to check the
printed SAR Card (`to_pdf`, `pdf_to_png`, `pdf_page_sizes`).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

# Debian's LibreOffice has no bundled Python; `python3-uno` puts `uno` into the system
# interpreter, which is not our virtualenv's, so the UNO client runs as a subprocess.
UNO_PYTHON = os.environ.get("XLKPI_UNO_PYTHON", "/usr/bin/python3")
SOFFICE = os.environ.get("XLKPI_SOFFICE", "soffice")
XLSX_FILTER = "Calc MS Excel 2007 XML"

# Load-time recalculation of OOXML files: 0 = always, 1 = never, 2 = ask. We recalc
# explicitly with calculateAll() after loading, so "never" avoids computing everything twice.
# Threaded formula-group calculation is off: in LibreOffice 7.4 it gave #VALUE! for a
# weighted indicator's composite in a 1,700-row SAR Card (tests/test_three_way.py), correct
# when the same indicator was alone in a workbook or computed without threads.
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Calculation"><prop oor:name="UseThreadedCalculationForFormulaGroups" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
</oor:items>
"""

# The UNO client. It reads [[src, dst], ...] as JSON on stdin and prints one JSON line per
# file, so one bad workbook is a line in the report, never the end of the batch.
_UNO_CLIENT = r'''
import json, sys, time
import uno
from com.sun.star.beans import PropertyValue

def props(**kw):
    out = []
    for k, v in kw.items():
        p = PropertyValue(); p.Name = k; p.Value = v; out.append(p)
    return tuple(out)

pipe, deadline = sys.argv[1], time.time() + float(sys.argv[2])
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext(
    "com.sun.star.bridge.UnoUrlResolver", local)
while True:
    try:
        ctx = resolver.resolve(
            "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        break
    except Exception:
        if time.time() > deadline:
            raise
        time.sleep(0.05)
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
load = props(Hidden=True, MacroExecutionMode=0, UpdateDocMode=0)
store = props(FilterName=sys.argv[3], Overwrite=True)
for src, dst in json.load(sys.stdin):
    doc = None
    try:
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, load)
        if doc is None:
            raise RuntimeError("LibreOffice could not load the file")
        doc.calculateAll()
        doc.storeToURL(uno.systemPathToFileUrl(dst), store)
        print(json.dumps({"src": src, "ok": True}), flush=True)
    except Exception as ex:
        print(json.dumps({"src": src, "ok": False, "error": str(ex)}), flush=True)
    finally:
        if doc is not None:
            try:
                doc.close(True)
            except Exception:
                pass
try:
    desktop.terminate()
except Exception:
    pass  # terminate() drops the bridge before it answers
'''


class RecalcError(RuntimeError):
    """LibreOffice could not be started or did not finish in time."""


def _private_profile(root: Path, recalc_mode: int = 1) -> str:
    """A throw-away LibreOffice profile: other people run soffice on the same machine."""
    user = root / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(
        _REGISTRY.format(mode=recalc_mode), encoding="utf-8")
    return root.resolve().as_uri()


def _out_names(paths: list[Path], out_dir: Path, suffix: str) -> dict[Path, Path]:
    """One output per input; same-named inputs from different folders get a counter."""
    taken: set[str] = set()
    out = {}
    for path in paths:
        name, n = path.stem + suffix, 1
        while name.lower() in taken:
            n += 1
            name = f"{path.stem}-{n}{suffix}"
        taken.add(name.lower())
        out[path] = out_dir / name
    return out


def libreoffice_recalc(paths: list[Path], out_dir: Path, timeout: float = 600.0,
                       errors: dict | None = None) -> dict[Path, Path]:
    """Recalculate every workbook in one headless LibreOffice run; save to `out_dir`.

    Returns input → output for the files LibreOffice saved. A file it could not open or
    save is left out; its message goes into `errors` (input → message) when given.
    """
    given = {Path(p).resolve(): Path(p) for p in paths}  # answer in the caller's paths
    paths = list(given)
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = _out_names(paths, out_dir, ".xlsx")
    if not paths:
        return {}
    work = Path(tempfile.mkdtemp(prefix="xlkpi-lo-"))
    pipe = "xlkpi_" + uuid.uuid4().hex
    office = client = None
    try:
        office = subprocess.Popen(
            [SOFFICE, f"-env:UserInstallation={_private_profile(work / 'profile')}",
             "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
             "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        job = json.dumps([[str(p), str(targets[p])] for p in paths])
        try:
            client = subprocess.run(
                [UNO_PYTHON, "-c", _UNO_CLIENT, pipe, str(timeout), XLSX_FILTER],
                input=job, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as ex:
            raise RecalcError(f"LibreOffice did not finish {len(paths)} files "
                              f"in {timeout:g} s") from ex
        done = {}
        for line in client.stdout.splitlines():
            if not line.startswith("{"):
                continue
            row = json.loads(line)
            src = Path(row["src"])
            if row["ok"]:
                done[given[src]] = targets[src]
            elif errors is not None:
                errors[given[src]] = row["error"]
        if client.returncode != 0 and not done:
            raise RecalcError("LibreOffice UNO client failed: " + client.stderr[-2000:])
        return done
    finally:
        if office is not None:
            # The client's terminate() ends soffice; if the client failed, nothing will.
            try:
                office.wait(timeout=10 if client is not None and client.returncode == 0
                            else 0.1)
            except subprocess.TimeoutExpired:
                os.killpg(office.pid, 9)  # only the soffice we started, by its own group
                office.wait()
        shutil.rmtree(work, ignore_errors=True)


def _soffice_convert(paths: list[Path], out_dir: Path, target: str, timeout: float) -> None:
    work = Path(tempfile.mkdtemp(prefix="xlkpi-lo-"))
    try:
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation={_private_profile(work / 'profile', 0)}",
             "--headless", "--norestore", "--nolockcheck", "--convert-to", target,
             "--outdir", str(out_dir), *map(str, paths)],
            stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
            start_new_session=True, check=False)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def to_pdf(paths: list[Path], out_dir: Path, timeout: float = 600.0) -> list[Path]:
    """Print workbooks to PDF with LibreOffice (one run); returns the PDFs it wrote."""
    paths = [Path(p).resolve() for p in paths]
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    _soffice_convert(paths, out_dir, "pdf", timeout)
    pdfs = [out_dir / (p.stem + ".pdf") for p in paths]
    return [pdf for pdf in pdfs if pdf.exists()]


def pdf_to_png(pdf: Path, out_prefix: Path, dpi: int = 60) -> list[Path]:
    """Render every page of a PDF to PNG (pdftoppm); returns the pages in order."""
    out_prefix = Path(out_prefix)
    out_prefix.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out_prefix)],
                   check=True, capture_output=True)
    pages = out_prefix.parent.glob(out_prefix.name + "-*.png")
    return sorted(pages, key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def pdf_page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Each page's (width, height) in millimetres (pdfinfo), to check A4 = 210 × 297."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", str(pages), str(pdf)], check=True,
                          capture_output=True, text=True).stdout
    sizes = re.findall(r"^Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    return [(float(w) * 25.4 / 72, float(h) * 25.4 / 72) for w, h in sizes]


def cached_values(path: Path) -> dict[tuple[str, str], object]:
    """(sheet, cell) → the value stored in the file (for formulas: the cached result)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        out = {}
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        out[ws.title, cell.coordinate] = cell.value
                    elif cell.data_type == "str":
                        # a formula whose cached result is "" (t="str", empty <v>):
                        # openpyxl reads None, which would make it look blank
                        out[ws.title, cell.coordinate] = ""
        return out
    finally:
        wb.close()


# --- the `formulas` package -----------------------------------------------------------

_RAW: dict[tuple[str, str], object] = {}  # (registry, name) → what `formulas` shipped


def _registries() -> dict[str, dict]:
    from formulas.functions import get_functions
    from formulas.functions.operators import OPERATORS

    # get_functions() is lru-cached: the dict it returns is the one every parser compiles
    # against, so an entry put there replaces the function for all later compilations.
    return {"functions": get_functions(), "operators": OPERATORS}


def _excel_corrections() -> dict[tuple[str, str], object]:
    """Corrected implementations, keyed like `_RAW`. Each one is a documented departure."""
    import functools
    from decimal import InvalidOperation

    import numpy as np
    import schedula as sh
    from formulas.functions import wrap_ranges_func, wrap_ufunc
    from formulas.functions.info import iserror
    from formulas.functions.operators import LOGIC_OPERATORS, logic_input_parser
    from formulas.tokens.operand import XlError

    from .rounding import excel_round

    def round_(x, digits):
        # Excel truncates the digits argument (ROUND(x, 2.9) = ROUND(x, 2)); `formulas`
        # computes round(x × 10^d) on the double, so ROUND(1.005, 2) gave 1.0, not 1.01.
        try:
            return excel_round(x, int(digits))
        except InvalidOperation:  # more digits than decimal's context holds: nothing to round
            return x

    def is_number(x):
        # Excel: ISNUMBER("85") is FALSE, text is never a number; `formulas` tried float().
        return (isinstance(x, (int, float, np.integer, np.floating))
                and not isinstance(x, (bool, np.bool_, XlError)))

    def fifteen_digits(x):
        return float("%.15g" % x) if isinstance(x, (int, float, np.number)) and not \
            isinstance(x, (bool, np.bool_)) else x

    def compare_input(x, y):
        # Excel compares a blank with a boolean as FALSE (`formulas` used 0, and a number is
        # never equal to a boolean), and rounds numeric operands to 15 significant digits
        # just for the comparison, so =0.1+0.2=0.3 is TRUE and =0.7+0.1>=0.8 is TRUE.
        if x is sh.EMPTY and isinstance(y, (bool, np.bool_)):
            x = False
        if y is sh.EMPTY and isinstance(x, (bool, np.bool_)):
            y = False
        return logic_input_parser(fifteen_digits(x), fifteen_digits(y))

    out = {
        ("functions", "ROUND"): wrap_ufunc(round_),
        ("functions", "ISNUMBER"): wrap_ranges_func(functools.partial(
            iserror, check=is_number, array=_false_array())),
    }
    for op, fn in LOGIC_OPERATORS.items():
        out["operators", op] = wrap_ufunc(fn, input_parser=compare_input,
                                          args_parser=lambda *a: a)
    return out


def _false_array():
    from formulas.functions.info import FalseArray

    return FalseArray


_RAW_COMPILE_CELL: list = []  # `formulas`' ExcelModel.compile_cell as shipped


def _install_number_loading() -> None:
    """Numbers read from cells keep 15 significant digits, as in Excel.

    `formulas` rounds every number it loads to 15 decimal *places* (round(x, 15)), so a
    result of 9.99999999996e-05 became 0.0001 and reached a threshold of 0.0001 that it is
    short of (found by tests/test_three_way.py: score 1 instead of 0).
    """
    from formulas.excel import ExcelModel

    if _RAW_COMPILE_CELL:
        ExcelModel.compile_cell = _RAW_COMPILE_CELL[1]
        return
    shipped = ExcelModel.compile_cell

    def compile_cell(self, cell, context, references, formula_references):
        if cell.data_type == "n" and isinstance(cell.value, float):
            crd = formula_references.get(cell.coordinate, cell.coordinate)
            return self._compile_cell(crd, float("%.15g" % cell.value), context, True, references)
        return shipped(self, cell, context, references, formula_references)

    _RAW_COMPILE_CELL[:] = [shipped, compile_cell]
    ExcelModel.compile_cell = compile_cell


def install_excel_semantics() -> None:
    """Make `formulas` compute like Excel where it departs (idempotent, process-wide)."""
    _install_number_loading()
    registries = _registries()
    if _RAW:
        if all(registries[reg].get(name) is not _RAW[reg, name] for reg, name in _RAW):
            return
    corrections = _excel_corrections()
    for (reg, name), fn in corrections.items():
        _RAW.setdefault((reg, name), registries[reg][name])
        registries[reg][name] = fn


def _uninstall_excel_semantics() -> None:
    if _RAW_COMPILE_CELL:
        from formulas.excel import ExcelModel

        ExcelModel.compile_cell = _RAW_COMPILE_CELL[0]
    registries = _registries()
    for (reg, name), fn in _RAW.items():
        registries[reg][name] = fn


_KEY = re.compile(r"^'?\[(?P<book>[^\]]+)\](?P<sheet>.+?)'?!(?P<cell>[A-Z]+[0-9]+)$")


def _plain(value):
    """numpy scalars and `formulas` markers → the Python values openpyxl would read."""
    import numpy as np
    import schedula as sh

    if isinstance(value, np.ndarray):
        value = value.ravel()[0] if value.size else None
    if value is sh.EMPTY:
        return 0  # a formula that refers to a blank cell shows 0 in Excel
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value) if value != 0 else 0  # also turns -0.0 into 0, as Excel shows it
    if type(value).__name__ == "XlError":
        return str(value)  # '#VALUE!', as openpyxl reads an error cached by Excel
    return value


def formulas_values(path: Path, excel_semantics: bool = True, timings: dict | None = None,
                    fast: bool = True, book=None) -> dict[tuple[str, str], object]:
    """(sheet, cell) → value of every formula cell, computed by the `formulas` package.

    With `excel_semantics` (the default) `formulas` first gets Excel's behaviour where it
    departs (`install_excel_semantics`); False computes with `formulas` as shipped, to show
    a departure. `fast` (the default, with Excel's semantics) compiles each formula shape
    once (`xlkpi.fastcalc`); a workbook it does not handle, or `fast=False`, goes through
    `formulas.ExcelModel` cell by cell. `book` is the workbook if the caller has already
    opened it with openpyxl (formulas, not cached values), to spare the fast path reading
    it again. `timings`, when given, receives the seconds spent and "path": "fast" or
    "model".
    """
    if fast and excel_semantics:
        from .fastcalc import Unsupported, formulas_values as fast_values

        try:
            values = fast_values(Path(path), timings, book)
            if timings is not None:
                timings["path"] = "fast"
            return values
        except Unsupported as ex:
            if timings is not None:
                timings["fast_unsupported"] = str(ex)
    return _model_values(path, excel_semantics, timings)


def _model_values(path: Path, excel_semantics: bool, timings: dict | None) -> dict:
    """`formulas_values` through a whole `formulas.ExcelModel` (the package's own way)."""
    import formulas
    from formulas.cell import Cell

    if excel_semantics:
        install_excel_semantics()
    else:
        _uninstall_excel_semantics()
    try:
        t0 = time.perf_counter()
        model = formulas.ExcelModel().loads(str(path)).finish()
        t1 = time.perf_counter()
        solution = model.calculate()
        t2 = time.perf_counter()
    finally:
        if not excel_semantics and _RAW:
            install_excel_semantics()
    if timings is not None:
        timings.update(model=t1 - t0, calculate=t2 - t1, path="model")

    # `formulas` upper-cases sheet names in its keys; answer in the workbook's spelling.
    sheets = {}
    for book in model.books.values():
        for ws in book[formulas.excel.BOOK].worksheets:
            sheets[ws.title.upper()] = ws.title
    formula_cells = {key for key, cell in model.cells.items()
                     if type(cell) is Cell and cell.func is not None}
    out = {}
    for key in formula_cells:
        match = _KEY.match(key)
        if match is None or key not in solution:
            continue
        sheet = match["sheet"].replace("''", "'")
        out[sheets.get(sheet, sheet), match["cell"]] = _plain(solution[key].value)
    return out
