"""The `formulas` package, fast: each formula shape compiled once, cells in dependency order.

`formulas.ExcelModel` parses and compiles every formula cell on its own (a few milliseconds
each) and computes through one schedula dispatcher over the whole workbook. A SAR Card has
a few thousand formula cells but only a few dozen *shapes* — the same formula, row by row,
in R1C1 form — so here:

1. every formula is tokenised and written in R1C1 form (its shape);
2. each shape is parsed and compiled by `formulas` once (`Parser().ast(...)[1].compile()`)
   and kept for later cells and later workbooks; its steps — `formulas`' own functions and
   operators, with `install_excel_semantics`' corrections — are taken out of the compiled
   dispatcher into a flat list;
3. the cells are sorted topologically and each shape's steps are run on the cell's inputs,
   fed as `formulas` itself feeds them (a `Ranges` per reference, blanks as EMPTY).

A step's result depends only on its function and its arguments, so a step already run on the
same arguments (same types, same values) is not run again. Whatever this module does not
handle — array formulas, error literals in cells, names that are not plain references,
position-dependent functions (ROW, OFFSET, INDIRECT, …), a circular reference, a result
that is not one cell — raises `Unsupported`, and `xlkpi.recalc.formulas_values` computes the
workbook with the plain `ExcelModel` instead. tests/test_fastcalc.py proves that both give
the same value in every cell.
"""
from __future__ import annotations

import re
from pathlib import Path

# Functions whose value depends only on their arguments' values (not on where the formula
# is, nor on a reference's geometry, nor on the clock): a shape using only these is compiled
# once and reused at every place.
PURE_FUNCTIONS = frozenset("""
ABS AND AVERAGE CHOOSE COUNT COUNTA IF IFERROR INT ISBLANK ISERROR ISLOGICAL ISNUMBER
ISTEXT MAX MIN MOD NOT OR POWER ROUND ROUNDDOWN ROUNDUP SQRT SUM TRUNC
""".split())

_TOKENS = re.compile(r"""
  (?P<string>"(?:[^"]|"")*")
| (?P<error>\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA))
| (?P<ref>(?:(?P<sheet>'(?:[^']|'')+'|[^\s'!"(),:;=<>+\-*/^&%{}\[\]#$@]+)!)?
    (?P<c1>\$?[A-Za-z]{1,3})(?P<r1>\$?[0-9]+)
    (?::(?P<c2>\$?[A-Za-z]{1,3})(?P<r2>\$?[0-9]+))?)(?![\w.(!])
| (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
| (?P<name>[^\W\d][\w.]*)(?P<call>\s*\()?
| (?P<space>\s+)
""", re.X | re.S)
# What may stand between tokens in a shape shared across cells: arithmetic, comparison,
# concatenation, parentheses and argument separators. Spaces (intersection), ':' between
# expressions and '@' depend on a reference's geometry, so their shapes are not shared.
_SHAREABLE_REST = re.compile(r"[-+*/^&=<>(),%]*")
_MARKED = re.compile("\x00[^\x00]*\x00")
_STRINGS = re.compile(r'"(?:[^"]|"")*"')

_MAX_COL, _MAX_ROW = 16384, 1048576
_MAX_RANGE_CELLS = 100_000


class Unsupported(Exception):
    """The workbook needs something the fast path does not do; use the plain `ExcelModel`."""


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _col_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _unquote(sheet: str) -> str:
    return sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet


class _Ref:
    """One reference of a shape: its sheet (None = the formula's own) and R1C1 corners."""

    __slots__ = ("sheet", "corners")

    def __init__(self, sheet, corners):
        self.sheet = sheet  # upper-cased sheet name, or None
        self.corners = corners  # ((row, row_abs, col, col_abs), ...) one or two corners

    def at(self, row: int, col: int) -> tuple:
        """(sheet, r1, c1, r2, c2) of this reference in the cell at (row, col)."""
        cells = []
        for r, r_abs, c, c_abs in self.corners:
            cells.append((r if r_abs else row + r, c if c_abs else col + c))
        (r1, c1), (r2, c2) = cells[0], cells[-1]
        r1, r2 = sorted((r1, r2))
        c1, c2 = sorted((c1, c2))
        return self.sheet, r1, c1, r2, c2


def _corner(col: str, row: str, at_row: int, at_col: int) -> tuple:
    col_abs, row_abs = col.startswith("$"), row.startswith("$")
    c, r = _col_number(col.lstrip("$")), int(row.lstrip("$"))
    if not (1 <= c <= _MAX_COL and 1 <= r <= _MAX_ROW):
        raise Unsupported(f"reference out of the sheet: {col}{row}")
    return (r if row_abs else r - at_row, row_abs, c if col_abs else c - at_col, col_abs)


class _Shape:
    """A formula read at one cell: its R1C1 key and its references in order."""

    __slots__ = ("key", "refs", "calls", "names", "odd", "_at", "_defined", "_seen")

    def __init__(self, formula: str, row: int, col: int, names: dict):
        self.refs: list = []  # (_Ref, text as written)
        self.calls: set = set()  # function names called
        self.names = False  # a defined name was replaced by its reference
        self.odd = False  # a space between operands: not shared
        self._at, self._defined, self._seen = (row, col), names, {}
        self.key = _TOKENS.sub(self._token, formula)

    def _token(self, m) -> str:
        kind = m.lastgroup
        if kind == "ref":
            return self._ref(m, m.group(0))
        if kind == "call":
            word = m["name"].upper()
            self.calls.add(word[6:] if word.startswith("_XLFN.") else word)
        elif kind == "name":
            word = m["name"].upper()
            if word in ("TRUE", "FALSE"):
                return word
            if word not in self._defined:
                raise Unsupported(f"name {m['name']} is not a defined name")
            text = self._defined[word]
            target = _TOKENS.fullmatch(text)
            if target is None or target["ref"] is None or target["sheet"] is None:
                raise Unsupported(f"defined name {m['name']} is not a plain reference")
            self.names = True
            return self._ref(target, text)
        elif kind == "space":
            self.odd = True
        return m.group(0)

    def _ref(self, m, text: str) -> str:
        seen = self._seen.get(text)
        if seen is None:
            row, col = self._at
            sheet = _unquote(m["sheet"]).upper() if m["sheet"] else None
            corners = (_corner(m["c1"], m["r1"], row, col),)
            if m["c2"] is not None:
                corners += (_corner(m["c2"], m["r2"], row, col),)
            spelled = ":".join(f"R{'' if ra else '~'}{r}C{'' if ca else '~'}{c}" for r, ra, c, ca in corners)
            seen = self._seen[text] = _Ref(sheet, corners), f"\x00{sheet}!{spelled}\x00"
        self.refs.append((seen[0], text))
        return seen[1]

    def shareable(self) -> bool:
        """Can this shape's compiled form serve every cell with the same key?"""
        if self.odd or not self.calls <= PURE_FUNCTIONS:
            return False
        plain = _MARKED.sub("A1", self.key)
        rest = _TOKENS.sub("", plain)  # what is left between tokens
        if not _SHAREABLE_REST.fullmatch(rest):
            return False
        return not _has_union(plain)

    def source(self, formula: str, names: dict) -> str:
        """The formula to compile: as written, defined names replaced by their references."""
        if not self.names:
            return formula

        def swap(m):
            if m["name"] is not None and m["call"] is None and m["name"].upper() in names:
                return names[m["name"].upper()]
            return m.group(0)

        return _TOKENS.sub(swap, formula)


def _has_union(key: str) -> bool:
    """A comma inside parentheses that are not a function call: a union of references."""
    stack = []
    text = re.sub(r'"(?:[^"]|"")*"', '""', key)
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_."))
        elif ch == ")":
            if stack:
                stack.pop()
        elif ch == "," and stack and not stack[-1]:
            return True
    return False


# --- compiled shapes -----------------------------------------------------------------------

class _Program:
    """A compiled formula: `formulas`' steps (functions and operators) by the slot they fill."""

    __slots__ = ("inputs", "templates", "spec", "spec_keys", "producers", "out", "pipe", "pure")

    def run(self, args: list, arg_keys: list):
        """The formula's value from its inputs' `Ranges`, as `formulas`' Cell computes it.

        `arg_keys` are the inputs' `_scalar_key`s. A pure shape's step already run on
        arguments with the same keys gives its earlier result (`_MEMO`).
        """
        if self.pipe is not None:
            return self.pipe(*args)
        slots, keys = list(self.spec), list(self.spec_keys)
        for i, value, key in zip(self.inputs, args, arg_keys):
            slots[i], keys[i] = value, key
        memo = _MEMO if self.pure else None
        producers = self.producers

        def value(slot):
            found = slots[slot]
            if found is not _UNSET:
                return found
            fn, ins, filters, lazy = producers[slot]
            if lazy:
                ins = _taken(value, ins)
            else:
                for i in ins:
                    value(i)
            key = None
            if memo is not None:
                key = (fn, *[keys[i] for i in ins])
                if None in key:
                    key = None
                else:
                    hit = memo.get(key)
                    if hit is not None:
                        slots[slot], keys[slot] = hit
                        return hit[0]
            result = fn(*[slots[i] for i in ins])
            if result is _NONE[0]:
                raise _CellFailed
            for f in filters:
                result = f(result)
            slots[slot] = result
            keys[slot] = result_key = _scalar_key(result) if memo is not None else None
            if key is not None:
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                memo[key] = result, result_key
            return result

        return value(self.out)


def _taken(value, ins: tuple) -> tuple:
    """IF's arguments with the branch not taken replaced by one that is computed anyway.

    `formulas`' IF gives the condition's error, #VALUE! for a text condition, else the
    branch its truth picks; the other branch's value never reaches the result.
    """
    import numpy as np

    cond = value(ins[0])
    c = getattr(cond, "value", cond)
    c = c[0, 0] if isinstance(c, np.ndarray) and c.shape == (1, 1) else c
    if isinstance(c, str):  # an error, text, or EMPTY (0, false)
        pick = 2 if type(c).__name__ == "Token" and str(c) == "empty" else 0
    elif isinstance(c, (bool, int, float, np.bool_, np.integer, np.floating)):
        pick = 1 if c else 2
    else:
        for i in ins:
            value(i)
        return ins
    if pick and pick < len(ins):
        value(ins[pick])
        return tuple(ins[pick] if n and n != pick else i for n, i in enumerate(ins))
    return (ins[0],) + (ins[0],) * (len(ins) - 1)


class _CellFailed(Exception):
    """A step gave no value: `formulas` leaves the cell (and what depends on it) out."""


_NONE: list = []  # [schedula.NONE], set on first use
_UNSET = object()  # a slot not computed yet
_MEMO: dict = {}  # (function, argument keys...) → (result, its key)
_MEMO_LIMIT = 50_000
_SHAPES: dict = {}
_COMPILED = [0]  # formulas compiled by `formulas` in this process
_SHAPES_LIMIT = 5_000


def _scalar_key(value):
    """A hashable stand-in for a step argument, exact in type and value, or None."""
    import numpy as np
    import schedula as sh

    from formulas.ranges import Ranges

    if isinstance(value, Ranges):
        value = value.value
    if isinstance(value, np.ndarray):
        if value.shape != (1, 1):
            return None
        kind = type(value), value.dtype.char
        value = value[0, 0]
    else:
        kind = None
    t = type(value)
    if t is int or t is str or t is bool:
        return kind, t, value
    if t is float or isinstance(value, np.floating):
        if value != value:
            return None
        return (kind, t, str(value)) if value == 0 else (kind, t, value)  # 0.0 ≠ -0.0 after 1/x
    if isinstance(value, (np.integer, np.bool_, sh.Token)):
        return kind, t, value
    return None


def _compile(text: str, pure: bool, at: str) -> tuple[_Program, list]:
    """Parse and compile `text` with `formulas`; returns the program and its input names.

    A shape that is not shared is compiled as `formulas`' Cell compiles it, knowing its
    place `at` (for ROW(), COLUMN(), …).
    """
    from formulas import Parser
    from formulas.cell import Cell
    from formulas.errors import FormulaError

    try:
        if pure:
            func = Parser().ast(text)[1].compile()
        else:
            func = Cell(at, text).compile().func.func
    except (FormulaError, ValueError, AttributeError) as ex:
        raise Unsupported(f"formulas cannot compile {text}") from ex
    program = _Program()
    program.pure = pure
    program.pipe = None
    names = list(func.inputs)
    dsp = func.dsp
    nodes = dsp.nodes
    slot = {}

    def slot_of(node):
        if node not in slot:
            slot[node] = len(slot)
        return slot[node]

    program.inputs = [slot_of(n) for n in names]
    program.templates = [func.inputs[n] for n in names]
    if not all(hasattr(t, "ranges") and t.ranges for t in program.templates):
        raise Unsupported(f"an input of {text} is not a reference")
    steps, spec_values = [], {}
    functions = {k: v for k, v in nodes.items() if v["type"] == "function"}
    allowed = {"type", "inputs", "outputs", "function", "index", "solve_cycle", "wait_inputs"}
    simple = all(set(v) <= allowed and len(v["outputs"]) == 1 and v.get("wait_inputs", True)
                 for v in functions.values())
    [output] = func.outputs
    for k, v in nodes.items():
        if v["type"] == "data" and (set(v) - {"type", "index", "filters", "wait_inputs"} or v.get("wait_inputs")
                                    or (v.get("filters") and k != output)):
            simple = False
    if not simple:
        program.pipe = func
        return program, names
    for k, d in dsp.default_values.items():
        spec_values[slot_of(k)] = d["value"]
    producers = {}  # slot → (function, input slots, filters, lazy)
    if_function = _if_function()
    for k, v in functions.items():
        out = v["outputs"][0]
        producers[slot_of(out)] = (v["function"], tuple(slot_of(i) for i in v["inputs"]),
                                   tuple(nodes[out].get("filters", ())), False)
    program.out = slot_of(output)
    if output not in {v["outputs"][0] for v in functions.values()}:  # =A1, =5: one operand
        program.out = len(slot)
        slot[_OUTPUT] = program.out
        producers[program.out] = (_output_filter(), (slot_of(output),), (), False)
    spec = [_UNSET] * len(slot)
    for i, value in spec_values.items():
        spec[i] = value
    if _has_cycle(producers):
        program.pipe = func
        return program, names
    if pure:
        # IF computes only the branch its condition takes, when no branch can be an array
        # (a range, an array constant): the other would not change its value.
        multi = {i for i, t in zip(program.inputs, program.templates)
                 if any(r["n1"] != r["n2"] or r["r1"] != r["r2"] for r in t.ranges)}
        multi |= {i for i, v in spec_values.items() if getattr(v, "size", 1) != 1}
        for out, (fn, ins, filters, _) in list(producers.items()):
            if fn is if_function and not any(_reaches(producers, i, multi) for i in ins[1:]):
                producers[out] = (fn, ins, filters, True)
    program.producers = producers
    program.spec = spec
    program.spec_keys = [_scalar_key(v) if v is not _UNSET else None for v in spec]
    return program, names


_OUTPUT = object()  # the slot of a formula's value when it is one operand


def _if_function():
    from formulas.functions import get_functions

    found = get_functions()["IF"]
    return found["function"] if isinstance(found, dict) else found


def _reaches(producers: dict, slot: int, targets: set, seen=None) -> bool:
    if slot in targets:
        return True
    if slot not in producers:
        return False
    seen = set() if seen is None else seen
    if slot in seen:
        return False
    seen.add(slot)
    return any(_reaches(producers, i, targets, seen) for i in producers[slot][1])


def _has_cycle(producers: dict) -> bool:
    state: dict = {}

    def visit(slot) -> bool:
        if state.get(slot) == 1:
            return True
        if state.get(slot) == 2 or slot not in producers:
            return False
        state[slot] = 1
        if any(visit(i) for i in producers[slot][1]):
            return True
        state[slot] = 2
        return False

    return any(visit(slot) for slot in producers)


def _output_filter():
    from formulas.builder import _default_filter

    return _default_filter()[0]


def _program_for(shape: _Shape, formula: str, names: dict, at: str) -> tuple[_Program, list]:
    """The compiled shape and, per input, which of the formula's references feeds it."""
    cached = _SHAPES.get(shape.key)
    if cached is not None:
        return cached
    from formulas.errors import FormulaError
    from formulas.ranges import Ranges

    pure = shape.shareable()
    text = shape.source(formula, names)
    program, inputs = _compile(text, pure, at)
    _COMPILED[0] += 1
    by_name = {}
    for n, (ref, token) in enumerate(shape.refs):
        try:
            by_name.setdefault(Ranges.get_range(token)["name"].upper(), n)
        except (FormulaError, ValueError) as ex:
            raise Unsupported(f"formulas reads no reference in {token}") from ex
    feeds = []
    for name in inputs:
        if name.upper() not in by_name:
            raise Unsupported(f"input {name} of {text} is not one of its references")
        feeds.append(by_name[name.upper()])
    cached = program, feeds
    if pure:
        if len(_SHAPES) >= _SHAPES_LIMIT:
            _SHAPES.clear()
        _SHAPES[shape.key] = cached
    return cached


# --- a workbook ------------------------------------------------------------------------------

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
        for row in ws.iter_rows():
            for c in row:
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


def _compile_cells(formulas_: list, names: dict) -> dict:
    cells: dict = {}
    for sheet, row, col, text in formulas_:
        if "[" in _STRINGS.sub("", text):
            raise Unsupported(f"an external or structured reference: {text}")
        shape = _Shape(text, row, col, names)
        program, feeds = _program_for(shape, text, names, f"{_col_letters(col)}{row}")
        inputs = []
        for n in feeds:
            ref_sheet, r1, c1, r2, c2 = shape.refs[n][0].at(row, col)
            if (r2 - r1 + 1) * (c2 - c1 + 1) > _MAX_RANGE_CELLS:
                raise Unsupported("a range too large")
            inputs.append((ref_sheet or sheet, r1, c1, r2, c2))
        cells[sheet, row, col] = _Cell((sheet, row, col), program, inputs)
    return cells


def _dependency_order(cells: dict) -> list:
    """Formula cells, each after the formula cells it refers to (Kahn); a cycle is Unsupported."""
    users: dict = {}
    pending = {}
    for at, cell in cells.items():
        deps = set()
        for ref_sheet, r1, c1, r2, c2 in cell.inputs:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (ref_sheet, r, c) in cells:
                        deps.add((ref_sheet, r, c))
        pending[at] = len(deps)
        for d in deps:
            users.setdefault(d, []).append(at)
    order = [at for at, n in pending.items() if n == 0]
    for at in order:  # grows while it is walked
        for u in users.get(at, ()):
            pending[u] -= 1
            if pending[u] == 0:
                order.append(u)
    if len(order) != len(cells):
        raise Unsupported("a circular reference")
    return [cells[at] for at in order]


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

    _NONE[:] = [sh.NONE]
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
                rng = template.ranges[0]
                arg = Ranges(template.ranges, {rng["name"]: (rng, array)})
                arg._value = array
                args.append(arg)
                keys.append(key)
            result = program.run(args, keys)
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

    from .recalc import _plain, install_excel_semantics

    install_excel_semantics()
    compiled = _COMPILED[0]
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
    t1 = time.process_time()
    cells = _compile_cells(formulas_, names)
    t2 = time.process_time()
    computed = _evaluate(_dependency_order(cells), constants)
    out = {(titles[sheet], f"{_col_letters(col)}{row}"): _plain(array)
           for (sheet, row, col), array in computed.items()}
    t3 = time.process_time()
    if timings is not None:
        timings.update(read=t1 - t0, shapes=t2 - t1, calculate=t3 - t2, compiled=_COMPILED[0] - compiled,
                       formula_cells=len(cells))
    return out


def _cell_range(at) -> dict:
    col = _col_letters(at[2])
    return {"r1": str(at[1]), "r2": str(at[1]), "c1": col, "c2": col, "n1": at[2], "n2": at[2],
            "ref": f"{col}{at[1]}", "name": f"{col}{at[1]}", "sheet_id": ""}


def _error(code: str):
    from formulas.tokens.operand import Error

    return Error.errors[code]
