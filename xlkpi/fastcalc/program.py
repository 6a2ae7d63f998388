"""A formula shape compiled once by `formulas`, run cell after cell.

`formulas.Parser().ast(text)[1].compile()` builds a small schedula dispatcher per formula;
its steps (`formulas`' functions and operators, with `install_excel_semantics`' corrections)
are taken out of it and run here directly, on demand from the formula's value: IF computes
the branch its condition takes. A step already run on arguments of the same types and values
gives its earlier result (`_MEMO`), and a `wrap_ufunc` function on one cell calls its element
function directly (`_kernel`).
"""
from __future__ import annotations

from .shapes import Unsupported, _Shape


class _Program:
    """A compiled formula: `formulas`' steps (functions and operators) by the slot they fill."""

    __slots__ = ("inputs", "templates", "spec", "spec_keys", "producers", "out", "pipe", "pure", "arrays")

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
            fn, ins, filters, lazy, computed = producers[slot]
            if lazy:
                ins = _taken(value, ins)
            else:
                for i in computed:
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
    _, ndarray, _, _, numbers = _TYPES or _types()
    cond = value(ins[0])
    c = getattr(cond, "value", cond)
    c = c[0, 0] if isinstance(c, ndarray) and c.shape == (1, 1) else c
    if isinstance(c, str):  # an error or text: no branch; EMPTY is 0: false
        pick = 2 if c is _EMPTY[0] else 0
    elif isinstance(c, numbers):
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
_EMPTY: list = []  # [schedula.EMPTY], set on first use
_UNSET = object()  # a slot not computed yet
_MEMO: dict = {}  # (function, argument keys...) → (result, its key)
_MEMO_LIMIT = 20_000
_SHAPES: dict = {}
_COMPILED = [0]  # formulas compiled by `formulas` in this process
_SHAPES_LIMIT = 5_000


_TYPES: list = []  # numpy, schedula and formulas types _scalar_key and _taken test, set on first use


def _types() -> list:
    import numpy as np
    import schedula as sh

    from formulas.ranges import Ranges

    _TYPES[:] = [Ranges, np.ndarray, np.floating, (np.integer, np.bool_, sh.Token),
                 (bool, int, float, np.bool_, np.integer, np.floating)]
    return _TYPES


def _scalar_key(value):
    """A hashable stand-in for a step argument, exact in type and value, or None."""
    ranges, ndarray, floating, others, _ = _TYPES or _types()
    if isinstance(value, ranges):
        value = value.value
    if isinstance(value, ndarray):
        if value.shape != (1, 1):
            return None
        kind = type(value), value.dtype.char
        value = value[0, 0]
    else:
        kind = None
    t = type(value)
    if t is int or t is str or t is bool:
        return kind, t, value
    if t is float or isinstance(value, floating):
        if value != value:
            return None
        return (kind, t, str(value)) if value == 0 else (kind, t, value)  # 0.0 ≠ -0.0 after 1/x
    if isinstance(value, others):
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
    program.arrays = False
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
    spec_values = {}
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
    producers = {}  # slot → (function, input slots, filters, lazy, input slots computed by steps)
    if_function = _kernel(_if_function())
    for k, v in functions.items():
        out = v["outputs"][0]
        producers[slot_of(out)] = (_kernel(v["function"]), tuple(slot_of(i) for i in v["inputs"]),
                                   tuple(nodes[out].get("filters", ())), False)
    program.out = slot_of(output)
    if output not in {v["outputs"][0] for v in functions.values()}:  # =A1, =5: one operand
        program.out = len(slot)
        slot[_OUTPUT] = program.out
        producers[program.out] = (_output_filter(), (slot_of(output),), (), False)
    spec = [_UNSET] * len(slot)
    for i, value in spec_values.items():
        spec[i] = value
    known = set(producers) | set(program.inputs) | set(spec_values)
    if _has_cycle(producers) or any(i not in known for _, ins, _, _ in producers.values() for i in ins):
        program.pipe = func  # a cycle, or a value nothing gives: leave it to schedula
        return program, names
    lazy = set()
    if pure:
        # IF computes only the branch its condition takes, when no branch can be an array
        # (a range, an array constant): the other would not change its value.
        multi = {i for i, t in zip(program.inputs, program.templates)
                 if any(r["n1"] != r["n2"] or r["r1"] != r["r2"] for r in t.ranges)}
        multi |= {i for i, v in spec_values.items() if getattr(v, "size", 1) != 1}
        lazy = {out for out, (fn, ins, _, _) in producers.items()
                if fn is if_function and not any(_reaches(producers, i, multi) for i in ins[1:])}
    # Every step of a shared shape reads its arguments' values, never their place (its
    # function converts a `Ranges` to its value first): its inputs may be fed as values.
    program.arrays = pure and all(_reads_values(fn) for fn, _, _, _ in producers.values())
    # each step also says which of its inputs are other steps' results (the rest are set)
    program.producers = {out: (fn, ins, filters, out in lazy, tuple(i for i in ins if i in producers))
                         for out, (fn, ins, filters, _) in producers.items()}
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


# --- formulas' element kernels ---------------------------------------------------------------

_KERNELS: dict = {}


class _Slow(Exception):
    """Arguments the element kernel shortcut does not take: call the function as it is."""


def _kernel(fn):
    """`fn`, or for a `formulas.functions.wrap_ufunc` function on one-cell arguments the same
    computation without numpy's vectorize: `formulas`' own per-element function (`safe_eval`,
    with the function's `args_parser`, `otype` and `return_func`) called on the one element.

    Anything else — several cells, a non-object array, no array at all, an exception — goes
    through `fn` itself, so the result is `fn`'s in every case (tests/test_fastcalc.py).
    """
    found = _KERNELS.get(fn)
    if found is None:
        found = _KERNELS[fn] = _element_kernel(fn) or fn
    return found


def _closure(fn) -> dict:
    return dict(zip(fn.__code__.co_freevars, (c.cell_contents for c in fn.__closure__ or ())))


def _element_kernel(fn):
    import numpy as np

    from formulas.ranges import Ranges

    try:
        middle = _closure(fn)["func"]  # wrap_ranges_func → wrap_func → wrap_ufunc's wrapper
        inner = _closure(_closure(middle)["func"])
        safe_eval, args_parser = inner["safe_eval"], inner["args_parser"]
        otype, return_func, kw = inner["otype"], inner["return_func"], inner["kw"]
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    if fn.__code__.co_name != "wrapper" or kw != {"otypes": [object]} or not callable(safe_eval):
        return None
    from formulas.functions import replace_empty, wrap_ufunc
    import schedula as sh

    empty = sh.EMPTY
    if args_parser is _default_args_parser(wrap_ufunc):  # map(replace_empty, args)
        def parse(*values):
            # replace_empty leaves an object array without EMPTY (compared by identity) as it is
            return [replace_empty(v) if (v is empty or isinstance(v, np.ndarray) and (
                v.dtype != object or v.size != 1 or v.flat[0] is empty)) else v for v in values]
    else:
        parse = args_parser

    def element(*args):
        try:
            values = tuple(parse(*[a.value if isinstance(a, Ranges) else a for a in args]))
            if len(values) >= 32:
                raise _Slow
            # as numpy's vectorize with otypes=[object]: every argument cast to an object
            # array, the element function called once, its result in an array of the
            # broadcast shape, viewed as `otype`
            arrays = [v if isinstance(v, np.ndarray) and v.dtype == object else np.asarray(v, dtype=object)
                      for v in values]
            shape = (1, 1) if all(a.shape == (1, 1) for a in arrays) else np.broadcast_shapes(*(a.shape for a in arrays))
            if shape not in ((1, 1), ()):
                raise _Slow
            result = safe_eval(*[a.flat[0] for a in arrays])
            if isinstance(result, (np.ndarray, list, tuple)):
                raise _Slow
            out = np.empty(shape, object)
            out[...] = None
            out.flat[0] = result
            return return_func(out.view(otype), *values)
        except Exception:
            return fn(*args)

    return element


def _default_args_parser(wrap_ufunc):
    import inspect

    return inspect.signature(wrap_ufunc).parameters["args_parser"].default


def _reads_values(fn) -> bool:
    """Does `fn` take a `Ranges` argument only for its value (`formulas`' wrap_ranges_func)?"""
    import schedula as sh

    if fn is sh.bypass:  # a repeated subexpression: passes its argument on as it is
        return True
    if fn in _KERNELS.values() and fn not in _KERNELS:  # an element kernel: reads .value
        return True
    code = getattr(fn, "__code__", None)
    return code is not None and code.co_name == "wrapper" and code.co_freevars == ("func", "n_out") \
        and code.co_filename.endswith("formulas/functions/__init__.py")
