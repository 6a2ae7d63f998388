"""The `formulas` package, fast: each formula shape compiled once, cells in dependency order.

`formulas.ExcelModel` parses and compiles every formula cell on its own (a few milliseconds
each) and computes through one schedula dispatcher over the whole workbook: 6-12 s for a
40-indicator SAR Card. A SAR Card has about a thousand formula cells but a few dozen
*shapes* — the same formula, row by row, in R1C1 form — so here:

1. every formula is read (`shapes`) once per place across workbooks: its references in R1C1
   form, and a key that is the same for the same formula copied down or across;
2. each shape is parsed and compiled by `formulas` once (`Parser().ast(...)[1].compile()`)
   and kept for later cells and workbooks; its steps — `formulas`' own functions and
   operators, with `install_excel_semantics`' corrections — are taken out of the compiled
   dispatcher (`program`);
3. the cells are sorted topologically and each cell's steps are run on its inputs, fed as
   `formulas` feeds them (a `Ranges` per reference, a blank as EMPTY). IF computes the
   branch it takes; a step (or a whole cell of a shared shape) already computed on the
   same arguments is not computed again; a one-cell step calls `formulas`' element
   function without numpy's vectorize.

`formulas_values` reads the workbook with openpyxl; `computed_values` takes it already read,
as `book.book_contents` reads it from the audit's reader for `xlkpi verify`.

Whatever this does not handle — array formulas, error literals in cells, names that are not
plain references, external references, a circular reference — raises `Unsupported`, and
`xlkpi.recalc.formulas_values` computes the workbook with the plain `ExcelModel` instead.
Position-dependent functions (ROW, OFFSET, INDIRECT, …) are compiled cell by cell.
tests/test_fastcalc.py proves that both paths give the same value in every cell.
"""
from __future__ import annotations

from pathlib import Path

from .program import _COMPILED, _EMPTY, _MEMO, _MEMO_LIMIT, _NONE, _SHAPES, _CellFailed, _program_for, _scalar_key
from .shapes import _MAX_RANGE_CELLS, _STRINGS, Unsupported, _col_letters, _Shape  # noqa: F401

class _Cell:
    __slots__ = ("at", "program", "inputs")

    def __init__(self, at, program, inputs):
        self.at, self.program, self.inputs = at, program, inputs


def _own_read(path: Path):
    """The workbook as `formulas`' ExcelModel reads it (dates as serial numbers, …)."""
    from formulas.excel.xlreader import load_workbook

    try:
        return load_workbook(str(path), data_only=False)
    except Exception as ex:  # the plain path reports it in its own way
        raise Unsupported(f"cannot read {path}: {ex}") from ex


def _defined_names(book) -> dict:
    names = {}
    items = book.defined_names
    items = items.values() if isinstance(items, dict) else items.definedName
    for n in items:
        if n.hidden or n.localSheetId is not None:
            continue
        names[n.name.upper()] = n.value
    return names


class _Reread(Exception):
    """A plain openpyxl workbook holds a value `formulas`' own reader reads otherwise."""


def _contents(book, own_reader: bool) -> tuple[dict, list]:
    """(constants by (SHEET, row, col), formulas as (SHEET, row, col, text)).

    Constants are what `formulas`' ExcelModel puts in its cells: numbers to 15 significant
    digits (`install_excel_semantics`). A workbook opened by plain openpyxl (`own_reader`
    False) may be used when it holds no date and no _xHHHH_ escape, which `formulas`' own
    reader reads differently.
    """
    constants: dict = {}
    formulas_: list = []
    plain_types = (int, float, str, bool)
    for ws in book.worksheets:
        sheet = ws.title.upper()
        if getattr(ws, "array_formulae", None):
            raise Unsupported("array formulas")
        # the cells the sheet holds (what iter_rows would give, without creating the empty
        # ones in between, as `formulas`' own _book2dict reads them)
        stored = ws._cells.values() if hasattr(ws, "_cells") else (c for row in ws.iter_rows() for c in row)
        for c in stored:
            value = getattr(c, "value", None)
            if value is None:
                continue
            kind = c.data_type
            if kind == "f":
                if not isinstance(value, str):
                    raise Unsupported(f"{ws.title}!{c.coordinate}: an array or table formula")
                if value[:2] == "==":
                    value = value[1:]
                formulas_.append((sheet, c.row, c.column, value.replace("\n", "")))
                continue
            if kind == "e" or (kind != "s" and isinstance(value, str)):
                raise Unsupported(f"{ws.title}!{c.coordinate}: an error or formula-like value")
            if not own_reader and (type(value) not in plain_types or (kind == "s" and "_x" in value)):
                raise _Reread
            if kind == "n" and isinstance(value, float):
                value = float("%.15g" % value)
            constants[sheet, c.row, c.column] = value
    return constants, formulas_


_PLACED: dict = {}  # (formula, row, col, sheet) → (program, its inputs' places), across workbooks
_PLACED_LIMIT = 20_000


def forget() -> None:
    """Drop what earlier workbooks left: compiled shapes, formulas read, steps computed."""
    _PLACED.clear()
    _SHAPES.clear()
    _MEMO.clear()


def _compile_cells(formulas_: list, names: dict) -> dict:
    """Each formula cell with its compiled shape and the places its inputs come from.

    The same formula at the same place (the three round sheets of a SAR Card, the same row
    in the next department's card) is read once; a formula using a defined name is read
    anew in every workbook, whose names may differ; one naming a sheet, on each sheet (on
    its own sheet, =A2+S!A2 refers to one place twice, elsewhere to two).
    """
    cells: dict = {}
    for sheet, row, col, text in formulas_:
        at = (text, row, col, sheet if "!" in text else None)
        placed = _PLACED.get(at)
        if placed is None:
            if "[" in _STRINGS.sub("", text):
                raise Unsupported(f"an external or structured reference: {text}")
            shape = _Shape(text, row, col, names, sheet)
            program, feeds = _program_for(shape, text, names, f"{_col_letters(col)}{row}")
            places = []
            for n in feeds:
                place = shape.refs[n][0].at(row, col)
                if (place[3] - place[1] + 1) * (place[4] - place[2] + 1) > _MAX_RANGE_CELLS:
                    raise Unsupported("a range too large")
                places.append(place)
            placed = program, places
            if not shape.names:
                if len(_PLACED) >= _PLACED_LIMIT:
                    _PLACED.clear()
                _PLACED[at] = placed
        program, places = placed
        inputs = [(ref_sheet or sheet, r1, c1, r2, c2) for ref_sheet, r1, c1, r2, c2 in places]
        cells[sheet, row, col] = _Cell((sheet, row, col), program, inputs)
    return cells


def _places(wanted) -> list:
    """(sheet, "A1") cells as (SHEET, row, col)."""
    from ..workbook.layout import column_index

    out = []
    for sheet, ref in wanted:
        letters = ref.rstrip("0123456789")
        out.append((sheet.upper(), int(ref[len(letters):]), column_index(letters)))
    return out


def _dependency_order(cells: dict, unsure: frozenset = frozenset(), roots=None) -> list:
    """Formula cells, each after the formula cells it refers to (depth first): all of them, or
    those among `roots` ((SHEET, row, col)) and those they refer to, in turn. A cycle is
    Unsupported, a reference to an `unsure` cell is `book.Reread`."""
    def deps(at) -> list:
        found = []
        for ref_sheet, r1, c1, r2, c2 in cells[at].inputs:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (ref_sheet, r, c) in cells:
                        found.append((ref_sheet, r, c))
                    elif unsure and (ref_sheet, r, c) in unsure:
                        from .book import Reread

                        raise Reread(f"{at} refers to a text cell read as blank")
        return found

    order: list = []
    state: dict = {}  # 1: its inputs are being ordered; 2: ordered
    for root in (cells if roots is None else roots):
        if root in state or root not in cells:
            continue
        state[root] = 1
        stack = [(root, iter(deps(root)))]
        while stack:
            at, pending = stack[-1]
            for d in pending:
                seen = state.get(d)
                if seen is None:
                    state[d] = 1
                    stack.append((d, iter(deps(d))))
                    break
                if seen == 1:
                    raise Unsupported("a circular reference")
            else:
                stack.pop()
                state[at] = 2
                order.append(cells[at])
    return order


def _evaluate(order: list, constants: dict) -> dict:
    """(SHEET, row, col) → the cell's value array, for every formula cell `formulas` computes.

    Each input is fed as `formulas`' Cell feeds it: a `Ranges` whose value is the referred
    cell's array ([[EMPTY]] for a blank, a block for a range). A cell whose formula fails
    is left out, and so is every cell that refers to it, as in `ExcelModel`.
    """
    import numpy as np
    import schedula as sh
    from formulas.cell import format_output
    from formulas.functions import replace_empty
    from formulas.ranges import Ranges

    _NONE[:], _EMPTY[:] = [sh.NONE], [sh.EMPTY]
    empty = np.asarray([[sh.EMPTY]], object)
    empty_key = _scalar_key(empty)
    values: dict = {}  # (SHEET, row, col) → (1×1 array as the cell's Ranges holds it, its key)
    failed = set()

    def value_at(at):
        found = values.get(at)
        if found is None:
            if at in failed:
                raise _CellFailed
            if at in constants:
                array = np.asarray([[constants[at]]], object)
                found = values[at] = array, _scalar_key(array)
            else:
                found = empty, empty_key
        return found

    for cell in order:
        program = cell.program
        args, keys = [], []
        try:
            for (ref_sheet, r1, c1, r2, c2), template in zip(cell.inputs, program.templates):
                if r1 == r2 and c1 == c2:
                    array, key = value_at((ref_sheet, r1, c1))
                else:
                    array, key = np.empty((r2 - r1 + 1, c2 - c1 + 1), object), None
                    for r in range(r1, r2 + 1):
                        for c in range(c1, c2 + 1):
                            array[r - r1, c - c1] = value_at((ref_sheet, r, c))[0][0, 0]
                if program.arrays:
                    args.append(array)
                else:
                    rng = template.ranges[0]
                    arg = Ranges(template.ranges, {rng["name"]: (rng, array)})
                    arg._value = array
                    args.append(arg)
                keys.append(key)
            whole = (program, *keys) if program.pure and None not in keys else None
            result = _MEMO.get(whole) if whole is not None else None
            if result is None:
                result = program.run(args, keys)
                if whole is not None:
                    if len(_MEMO) >= _MEMO_LIMIT:
                        _MEMO.clear()
                    _MEMO[whole] = result
        except _CellFailed:
            failed.add(cell.at)
            continue
        except sh.DispatcherError as ex:  # as formulas' CellWrapper: NotImplementedError → #NAME?
            if not isinstance(getattr(ex, "ex", None), NotImplementedError):
                failed.add(cell.at)
                continue
            result = np.asarray([[_error("#NAME?")]], object)
        except NotImplementedError:
            result = np.asarray([[_error("#NAME?")]], object)
        except Exception:  # `formulas`' dispatcher leaves such a cell without a value
            failed.add(cell.at)
            continue
        if isinstance(result, np.ndarray) and result.shape == (1, 1) and result.dtype == object and not (
                isinstance(result[0, 0], str) and result[0, 0] == sh.EMPTY):
            array = result  # what replace_empty and format_output would give back unchanged
        else:
            array = format_output(_cell_range(cell.at), replace_empty(result)).value
        values[cell.at] = array, _scalar_key(array)
    return {at: found[0] for at, found in values.items() if at not in constants}


def formulas_values(path: Path, timings: dict | None = None, book=None) -> dict[tuple[str, str], object]:
    """(sheet, cell) → value of every formula cell, as `xlkpi.recalc.formulas_values` gives it.

    `book`, when given, is the workbook already opened by openpyxl (formulas, not cached
    values); it is used unless it holds something `formulas` reads its own way.
    `timings` receives CPU seconds spent reading, reading shapes and calculating.
    Raises `Unsupported` for a workbook this fast path does not handle.
    """
    import time

    t0 = time.process_time()
    try:
        if book is None:
            raise _Reread
        constants, formulas_ = _contents(book, own_reader=False)
    except _Reread:
        book = _own_read(path)
        constants, formulas_ = _contents(book, own_reader=True)
    names = _defined_names(book)
    titles = {ws.title.upper(): ws.title for ws in book.worksheets}
    if timings is not None:
        timings["read"] = time.process_time() - t0
    return computed_values(constants, formulas_, names, titles, timings)


def computed_values(constants: dict, formulas_: list, names: dict, titles: dict,
                    timings: dict | None = None, unsure: frozenset = frozenset(),
                    wanted=None) -> dict[tuple[str, str], object]:
    """`formulas_values` of a workbook already read: its constants and formulas as
    `_contents` (or `book.book_contents`) gives them, its defined names, its sheets' titles,
    and the cells no formula may refer to (`book.book_contents`' unsure cells).

    `wanted`, when given, are the (sheet, "A1") cells asked for: only they and the formula
    cells they depend on are computed (a cell's value depends on nothing else), and the
    values of those are given."""
    import time

    from ..recalc import _plain, install_excel_semantics

    install_excel_semantics()
    compiled = _COMPILED[0]
    t1 = time.process_time()
    cells = _compile_cells(formulas_, names)
    t2 = time.process_time()
    order = _dependency_order(cells, unsure, None if wanted is None else _places(wanted))
    computed = _evaluate(order, constants)
    out = {(titles[sheet], f"{_col_letters(col)}{row}"): _plain(array)
           for (sheet, row, col), array in computed.items()}
    t3 = time.process_time()
    if timings is not None:
        timings.update(shapes=t2 - t1, calculate=t3 - t2, compiled=_COMPILED[0] - compiled,
                       formula_cells=len(cells))
    return out


def _cell_range(at) -> dict:
    col = _col_letters(at[2])
    return {"r1": str(at[1]), "r2": str(at[1]), "c1": col, "c2": col, "n1": at[2], "n2": at[2],
            "ref": f"{col}{at[1]}", "name": f"{col}{at[1]}", "sheet_id": ""}


def _error(code: str):
    from formulas.tokens.operand import Error

    return Error.errors[code]
