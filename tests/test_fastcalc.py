"""The fast `formulas` path (xlkpi.fastcalc) gives what `formulas.ExcelModel` gives, cell for cell.

`formulas_values(path, fast=False)` is the package's own way: every formula parsed and
compiled on its own, computed by one dispatcher over the workbook. The fast path compiles
each formula shape once and runs the compiled steps itself. Both run with Excel's semantics
installed. They must agree in every formula cell — same cells, same type, same value to the
last bit — on generated SAR Cards (the sample ministry, random agreements, the three-way
test's rounding-boundary cases) and on workbooks full of errors, blanks and text.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from xlkpi import fastcalc
from xlkpi.recalc import formulas_values


def assert_same_values(fast: dict, plain: dict) -> None:
    assert set(fast) == set(plain), sorted(set(fast) ^ set(plain))[:10]
    differ = [(key, fast[key], plain[key]) for key in plain
              if type(fast[key]) is not type(plain[key]) or repr(fast[key]) != repr(plain[key])]
    assert differ == [], differ[:10]


def book_values(path: Path, timings: dict | None = None) -> dict:
    """The fast path on the cells of the audit's reader (`xlkpi verify`'s way); raises
    `Reread` where that reader and openpyxl could read a cell differently."""
    from xlkpi.audit.ooxml import read_book
    from xlkpi.fastcalc.book import NoNames, book_contents

    constants, formulas_, titles, _cells, unsure = book_contents(read_book(path))
    return fastcalc.computed_values(constants, formulas_, NoNames(), titles, timings, unsure)


def fast_and_plain(path: Path, reread: bool = False) -> tuple[dict, dict, dict]:
    """The fast path's values (from openpyxl's reading and, unless `reread` says the audit's
    reader must give way, from the audit's reader too, asserted equal) and the plain path's."""
    from xlkpi.fastcalc.book import Reread

    timings: dict = {}
    fast = fastcalc.formulas_values(path, timings)  # raises Unsupported rather than fall back
    plain = formulas_values(path, fast=False)
    if reread:
        with pytest.raises(Reread):
            book_values(path)
    else:
        assert_same_values(book_values(path), plain)
    return fast, plain, timings


def _sar(agreement, path: Path) -> Path:
    from xlkpi.workbook.sar import write_sar

    return write_sar(agreement, path)


# --- generated SAR Cards -------------------------------------------------------------------

@pytest.mark.parametrize("department", [0, 7])
def test_sample_ministry_card(tmp_path, department):
    from xlkpi.sample import sample_ministry

    agreement = sample_ministry()[department]
    fast, plain, timings = fast_and_plain(_sar(agreement, tmp_path / "sar.xlsx"))
    # every score, helper, dimension and total of three rounds (rows not due in a round have
    # no formulas there, DOMAIN §6.5a)
    assert len(plain) > 500
    assert_same_values(fast, plain)
    # a few dozen shapes serve the whole card
    assert timings["compiled"] < 80 and timings["compiled"] * 6 < len(plain)


@pytest.mark.parametrize("seed, leaves", [(1, 8), (2, 12), (3, 16)])
def test_random_agreement_card(tmp_path, seed, leaves):
    from xlkpi.sample import random_agreement

    agreement = random_agreement(random.Random(seed), leaves, rounds=(6, 9, 12))
    fast, plain, _ = fast_and_plain(_sar(agreement, tmp_path / "sar.xlsx"))
    assert plain and any(isinstance(v, float) for v in plain.values())
    assert_same_values(fast, plain)


@pytest.mark.parametrize("policy", [0, 1])
def test_rounding_boundary_card(tmp_path, policy):
    """The three-way test's hard places: x.xxxx5 scores, results at and a hair off thresholds,
    blank levels, weighted composites and weighted scores on a boundary."""
    from test_three_way import boundary_agreement

    agreement = boundary_agreement(4000 + policy, 45, policy)
    fast, plain, _ = fast_and_plain(_sar(agreement, tmp_path / "sar.xlsx"))
    assert_same_values(fast, plain)


@pytest.mark.parametrize("booleans", [True, False])
def test_card_with_errors_text_and_blanks(tmp_path, booleans):
    """An officer's mistakes reach the formulas: text, booleans, errors and blanks as results
    and thresholds; ISNUMBER, comparisons and arithmetic must fail or pass exactly alike.
    Without booleans and "" results (on which the audit's reader gives way) the card goes
    through the audit's reader too, the generated card's empty texts and all."""
    from openpyxl import load_workbook

    from xlkpi.model import THRESHOLD
    from xlkpi.sample import random_agreement
    from xlkpi.workbook.layout import layout_names, name_for, sar_layout

    agreement = random_agreement(random.Random(9), 12, rounds=(6, 9, 12))
    path = _sar(agreement, tmp_path / "sar.xlsx")
    names = layout_names(sar_layout(agreement))
    leaves = [i for i in agreement.leaves() if i.kind == THRESHOLD and i.applicable and not i.granted]
    typed = ["85", "abc", True, "", "=1/0", "=NA()", '=""', 0, -0.0, 1e-300]
    if not booleans:  # nor a result typed as "" (Excel writes a cleared cell as blank)
        typed[2], typed[3] = "=TRUE()", None
    wb = load_workbook(path)
    changed = 0
    for n, leaf in enumerate(leaves):
        for round_ in (6, 9, 12):
            key = name_for(leaf.id, round_, "result")
            if key in names:
                sheet, cell = names[key]
                wb[sheet][cell] = typed[(n + round_) % len(typed)]
                changed += 1
                # and a threshold typed as text on the same row
                if n % 3 == 0:
                    wb[sheet][f"G{wb[sheet][cell].row}"] = "ไม่มี"
    wb.save(tmp_path / "mistakes.xlsx")
    assert changed >= 9
    fast, plain, _ = fast_and_plain(tmp_path / "mistakes.xlsx", reread=booleans)
    assert {"#VALUE!", "#DIV/0!"} <= {v for v in plain.values() if isinstance(v, str)}
    assert_same_values(fast, plain)


# --- small workbooks: Excel's edges and what the fast path leaves to ExcelModel ---------------

def test_excel_semantics_cases(tmp_path):
    """tests/test_recalc.py's workbook of ROUND, IS-functions, blanks, text and errors."""
    from test_recalc import _semantics_book

    fast, plain, _ = fast_and_plain(_semantics_book(tmp_path / "semantics.xlsx"), reread=True)
    assert len(plain) > 70
    assert_same_values(fast, plain)


def test_defined_names_and_thai_sheets(tmp_path):
    from test_recalc import _named_book

    fast, plain, _ = fast_and_plain(_named_book(tmp_path / "named.xlsx"), reread=True)
    assert fast["คะแนน", "B2"] == 0.525
    assert_same_values(fast, plain)


def _book(path: Path, cells: dict) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)
    return path


def test_shapes_are_shared_across_rows_but_not_across_meanings(tmp_path):
    """=A{r}*2 copied down and =$A$1*2 are one shape; a range shifts along."""
    cells = {f"A{r}": r * 1.5 for r in range(1, 9)}
    cells.update({f"B{r}": f"=A{r}*2" for r in range(1, 9)})       # relative
    cells.update({f"C{r}": f"=$A$1*2" for r in range(1, 9)})       # absolute: the same steps
    cells.update({f"D{r}": f"=SUM(A{r}:B{r})" for r in range(1, 9)})  # a range per row
    cells.update({f"E{r}": f"=IF(D{r}>10,\"big\",D{r})" for r in range(1, 9)})
    path = _book(tmp_path / "shapes.xlsx", cells)
    fastcalc.forget()
    fast, plain, timings = fast_and_plain(path)
    assert timings["compiled"] == 3
    assert [fast["Data", f"B{r}"] for r in (1, 2, 8)] == [3, 6, 24]
    assert [fast["Data", f"C{r}"] for r in (1, 8)] == [3, 3]
    assert fast["Data", "D2"] == 9 and fast["Data", "E8"] == "big" and fast["Data", "E1"] == 4.5
    assert_same_values(fast, plain)


@pytest.mark.parametrize("formulas, why", [
    ({"A1": 5, "B1": "=ROW()+A1", "B2": "=ROW()+A1"}, "position-dependent function"),
    ({"A1": "=B1+1", "B1": "=A1+1"}, "circular reference"),
    ({"A1": 1, "B1": "=undefined_name+A1"}, "unknown name"),
])
def test_what_the_fast_path_leaves_to_excel_model(tmp_path, formulas, why):
    """Unsupported workbooks still get `formulas`' values: the plain path computes them."""
    path = _book(tmp_path / "odd.xlsx", formulas)
    timings: dict = {}
    values = formulas_values(path, timings=timings)
    assert values == formulas_values(path, fast=False)
    if why == "position-dependent function":
        # ROW() compiles per cell (never shared), still on the fast path
        assert timings["path"] == "fast" and values["Data", "B2"] == 7
    else:
        assert timings["path"] == "model", timings
        with pytest.raises(fastcalc.Unsupported):
            fastcalc.formulas_values(path)


def test_formula_shape_key_reads_references_in_r1c1():
    names = {"RESULT": "'ผล งาน'!$B$2"}
    a = fastcalc._Shape('=IF(K6="","",ROUND(K6*$D$3/RESULT,4))&"A1"', 6, 12, names, "SAR")
    b = fastcalc._Shape('=IF(K7="","",ROUND(K7*$D$3/RESULT,4))&"A1"', 7, 12, names, "SAR")
    c = fastcalc._Shape('=IF(K7="","",ROUND(K7*$D$4/RESULT,4))&"A1"', 7, 12, names, "SAR")
    d = fastcalc._Shape('=IF(K7="","",ROUND(K7*K7/RESULT,4))&"A1"', 7, 12, names, "SAR")
    # copied down, or pointing elsewhere: one shape; the same place twice: another
    assert a.key == b.key == c.key != d.key
    assert fastcalc._Shape("=SUM(A1:B1)", 3, 3, {}).key != fastcalc._Shape("=SUM(A1:A2)", 3, 3, {}).key
    assert [text for _, text in a.refs] == ["K6", "K6", "$D$3", "'ผล งาน'!$B$2"]
    assert a.refs[0][0].at(9, 12) == (None, 9, 11, 9, 11)  # K one column left, same row
    assert a.refs[2][0].at(9, 12) == (None, 3, 4, 3, 4)  # $D$3 wherever the formula is
    assert a.refs[3][0].at(9, 12) == ("ผล งาน", 2, 2, 2, 2)
    assert a.shareable()
    assert not fastcalc._Shape("=SUM((A1,B1))", 1, 3, {}).shareable()  # a union
    assert not fastcalc._Shape("=A1:B2 B1:C2", 1, 4, {}).shareable()  # an intersection
    assert not fastcalc._Shape("=OFFSET(A1,1,1)", 1, 4, {}).shareable()


def _same_array(a, b) -> bool:
    import numpy as np

    if type(a) is not type(b):
        return False
    if not isinstance(a, np.ndarray):
        return repr(a) == repr(b)
    return (a.shape == b.shape and a.dtype == b.dtype
            and all(type(x) is type(y) and repr(x) == repr(y) for x, y in zip(a.flat, b.flat)))


def test_element_kernels_give_what_the_functions_give():
    """The shortcut past numpy's vectorize returns what `formulas`' function returns, for
    every kind of argument a SAR Card feeds it (and falls back for the rest)."""
    import numpy as np
    import schedula as sh
    from formulas.functions import Array, get_functions
    from formulas.functions.operators import OPERATORS
    from formulas.ranges import Ranges
    from formulas.tokens.operand import Error

    from xlkpi.fastcalc.program import _kernel
    from xlkpi.recalc import install_excel_semantics

    install_excel_semantics()

    def cell(v):
        return np.asarray([[v]], object).view(Array)

    def ref(v):
        r = Ranges().push("A1", np.asarray([[v]], object))
        return r

    values = [cell(2.5), cell(0), cell(-0.0), cell(1e-300), cell(sh.EMPTY), cell(""), cell("85"),
              cell(True), cell(Error.errors["#DIV/0!"]), np.asarray(3.25, object).view(Array), ref(7),
              ref(sh.EMPTY), np.True_, 4, "x", np.asarray([[1.0, 2.0]], object).view(Array),
              np.asarray([[False]]), sh.EMPTY, np.asarray([[sh.EMPTY, 1]], object)]
    functions = {name: OPERATORS[name] for name in ("+", "-", "*", "/", ">=", "=", "<>", "&")}
    functions.update({name: get_functions()[name] for name in ("ROUND", "IF", "CHOOSE")})
    compared = 0
    for name, fn in functions.items():
        fn = fn["function"] if isinstance(fn, dict) else fn
        fast = _kernel(fn)
        assert fast is not fn, name  # all of these are wrap_ufunc functions
        arity = 3 if name in ("IF", "CHOOSE") else 2
        for n, a in enumerate(values):
            for b in values[n % 3::3]:
                args = (a, b, values[(n + 1) % len(values)])[:arity]
                expected, got = fn(*args), fast(*args)
                assert _same_array(expected, got), (name, args, expected, got)
                compared += 1
    assert compared > 150


# --- the audit's reader (`xlkpi verify` reads a card once, with `read_book`) -----------------

@pytest.mark.parametrize("cells, why", [
    ({"A1": "date", "B1": "=A1+1"}, "a date"),
    ({"A1": True, "B1": "=A1+1"}, "type b"),
    ({"A1": "line_x000D_break", "B1": '=A1&"!"'}, "an escape"),
    ({"A1": "linex005F_break", "B1": '=A1&"!"'}, "an escape"),
    ({"A1": "", "B1": '=A1&"!"'}, "read as blank"),
    ({"A1": 1234567890123456, "B1": "=A1+1"}, "15 digits"),
    ({"A1": 5, "B1": "=A1+1", "C1": "=B1*kpi"}, "defined name"),
])
def test_what_the_audit_reader_gives_way_on(tmp_path, cells, why):
    """Where `read_book` and openpyxl could read a cell differently, the card is read again
    with openpyxl (`Reread`); the same workbook without that cell goes through."""
    import datetime

    from openpyxl.workbook.defined_name import DefinedName

    from xlkpi.fastcalc.book import Reread

    cells = {ref: datetime.date(2026, 1, 31) if v == "date" else v for ref, v in cells.items()}
    path = _book(tmp_path / "odd.xlsx", cells)
    if why == "defined name":
        import openpyxl

        wb = openpyxl.load_workbook(path)
        wb.defined_names["kpi"] = DefinedName("kpi", attr_text="Data!$A$1")
        wb.save(path)
    with pytest.raises(Reread, match=why):
        book_values(path)
    fine = _book(tmp_path / "fine.xlsx", {"A1": 7.25, "A2": "text", "A3": "", "B1": "=A1+1",
                                          "B2": '=A2&"!"', "B3": "=ISNUMBER(A1)"})
    assert_same_values(book_values(fine), formulas_values(fine, fast=False))
    assert book_values(fine)["Data", "B1"] == 8.25


def _shared_formulas(path: Path, out: Path) -> int:
    """`path` with each run of formulas copied down a column stored as one shared formula,
    as Excel and LibreOffice store them; returns how many cells lost their own text."""
    import itertools
    import zipfile
    from xml.etree import ElementTree as ET

    from xlkpi.audit.formulas import shift
    from xlkpi.workbook.layout import column_index

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ET.register_namespace("", main)
    ET.register_namespace("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships")
    shared, ids = 0, itertools.count()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                root = ET.fromstring(data)
                masters: dict = {}  # column → (row, formula, <f> element, last row)
                for c in root.iter(f"{{{main}}}c"):
                    f = c.find(f"{{{main}}}f")
                    ref = c.get("r")
                    letters = ref.rstrip("0123456789")
                    row, col = int(ref[len(letters):]), column_index(letters)
                    master = masters.get(col)
                    if f is None or not f.text:
                        continue
                    if master and master[3] == row - 1 and shift(master[1], row - master[0], 0) == f.text:
                        if master[2].get("t") != "shared":
                            master[2].set("t", "shared")
                            master[2].set("si", str(next(ids)))
                        f.text = None
                        f.set("t", "shared")
                        f.set("si", master[2].get("si"))
                        masters[col] = master[:3] + (row,)
                        shared += 1
                    else:
                        masters[col] = (row, f.text, f, row)
                data = ET.tostring(root, xml_declaration=True, encoding="UTF-8")
            dst.writestr(info, data)
    return shared


@pytest.mark.parametrize("seed, leaves", [(4, 12), (5, 20)])
def test_shared_formulas_read_alike(tmp_path, seed, leaves):
    """A card whose formulas are stored shared (as Excel and LibreOffice save it): the audit's
    reader expands them as openpyxl does, so the values are the plain path's."""
    from xlkpi.sample import random_agreement

    agreement = random_agreement(random.Random(seed), leaves, rounds=(6, 9, 12))
    path = _sar(agreement, tmp_path / "sar.xlsx")
    assert _shared_formulas(path, tmp_path / "shared.xlsx") > 100
    fast, plain, _ = fast_and_plain(tmp_path / "shared.xlsx")
    assert_same_values(fast, plain)
    assert plain == formulas_values(path, fast=False)


def test_only_the_cells_asked_for_and_what_they_depend_on(tmp_path):
    """`xlkpi verify` asks for the score cells only: they get the values the whole workbook's
    computation gives them, and cells no score depends on are not computed."""
    from xlkpi.audit.ooxml import read_book
    from xlkpi.fastcalc.book import NoNames, book_contents
    from xlkpi.sample import random_agreement
    from xlkpi.verify import output_cells

    agreement = random_agreement(random.Random(6), 16, rounds=(6, 9, 12))
    path = _sar(agreement, tmp_path / "sar.xlsx")
    constants, formulas_, titles, _cells, unsure = book_contents(read_book(path))
    everything = fastcalc.computed_values(constants, formulas_, NoNames(), titles, unsure=unsure)
    wanted = [(sheet, cell) for sheet, cell, _ in output_cells(agreement).values()]
    asked = fastcalc.computed_values(constants, formulas_, NoNames(), titles, unsure=unsure, wanted=wanted)
    # (a row not due in a round has no formula there)
    assert set(wanted) & set(everything) <= set(asked) < set(everything)
    assert len(asked) < 0.9 * len(everything)
    assert_same_values(asked, {key: everything[key] for key in asked})


def test_a_formula_naming_a_sheet_is_read_on_each_sheet(tmp_path):
    """=A2+S!A2 refers to one place twice on sheet S (the shape of =A1+A1) and to two places
    on sheet T: the same formula at the same cell of both sheets is not read once for both."""
    import openpyxl

    wb = openpyxl.Workbook()
    s = wb.active
    s.title = "S"
    t = wb.create_sheet("T")
    s["A1"], s["A2"], t["A2"] = 1, 10, 100
    s["B1"], s["B2"], t["B2"] = "=A1+A1", "=A2+S!A2", "=A2+S!A2"
    path = tmp_path / "sheets.xlsx"
    wb.save(path)
    fastcalc.forget()
    fast, plain, _ = fast_and_plain(path)
    assert fast["S", "B2"] == 20 and fast["T", "B2"] == 110
    assert_same_values(fast, plain)
