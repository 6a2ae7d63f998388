"""Formula shapes: a formula read so that the same formula copied down or across (or pointing
elsewhere) is recognised, and the references it makes, in R1C1 form, from any cell."""
from __future__ import annotations

import re

from ..workbook.layout import column_index as _col_number, column_letter as _col_letters

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
    """A formula read at one cell: its shape key and its references in order.

    The key is the formula with each reference replaced by the number of the place it
    refers to (in order of first use) and its size: the compiled steps of a shape that
    calls only position-independent functions do not depend on where its references point,
    only on which of them are the same place and which are ranges. So the same formula
    copied down or across has one key, and so do =SUM(U11,U12) and =SUM(U20,U21).
    """

    __slots__ = ("key", "refs", "calls", "names", "odd", "_at", "_defined", "_seen", "_places")

    def __init__(self, formula: str, row: int, col: int, names: dict, sheet: str | None = None):
        self.refs: list = []  # (_Ref, text as written)
        self.calls: set = set()  # function names called
        self.names = False  # a defined name was replaced by its reference
        self.odd = False  # a space between operands: not shared
        self._at, self._defined, self._seen, self._places = (row, col, sheet), names, {}, {}
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
            row, col, sheet = self._at
            ref_sheet = _unquote(m["sheet"]).upper() if m["sheet"] else None
            corners = (_corner(m["c1"], m["r1"], row, col),)
            if m["c2"] is not None:
                corners += (_corner(m["c2"], m["r2"], row, col),)
            ref = _Ref(ref_sheet, corners)
            place = ref.at(row, col)
            place = (place[0] or sheet,) + place[1:]
            number = self._places.setdefault(place, len(self._places))
            seen = self._seen[text] = ref, f"\x00{number}:{place[3] - place[1] + 1}x{place[4] - place[2] + 1}\x00"
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
