"""A workbook's cells for the fast path from the audit's reader, `xlkpi.audit.ooxml.read_book`.

`read_book` reads a SAR Card about five times faster than openpyxl's full load (no cell
objects, no merged cells, no style objects), and `xlkpi verify` reads a card with it once for
both the engine's read-back and the `formulas` recomputation. What `formulas` computes must
stay what it computes from openpyxl's reading (its own reader is openpyxl's), so a value the
two readers could give differently is never guessed: `Reread` is raised, and the caller reads
the workbook with openpyxl as before. That is so for

- a number in a date or time format (openpyxl gives a datetime), a number that is not
  finite, or a whole number of 15 digits or more (openpyxl keeps "1234567890123456" exact,
  `read_book` reads a float);
- a boolean constant (openpyxl reads "2" as TRUE), a t="d" date cell;
- a text holding "_x" or "x005F_" (escapes, which readers decode differently), and a text cell
  that `read_book` reads as blank (openpyxl reads an empty text as "") if a formula refers
  to it (the read-back takes "" and blank alike);
- container findings (macros, external links, parts declaring entities);
- a formula using a defined name (`read_book` keeps names without their $ signs).

One difference is left as it is: a text made of runs (rich text) is joined by `read_book` in
the order written and by openpyxl with the unformatted part first; they differ only for a
text mixing both ways, which no spreadsheet program writes, and `xlkpi verify` then reads
it as the audit does.

A whole number is given as an int, as openpyxl reads "85" (the way openpyxl and LibreOffice
write whole numbers); a fractional one as a float to 15 significant digits, as
`install_excel_semantics` loads it. A whole number written "85.0" (by hand) is an int here
and a float to openpyxl; below 10^15 both compute alike, but for a power so large that a
float overflows where an int does not. Shared formulas come expanded by `read_book`.
"""
from __future__ import annotations

import math

from .shapes import Unsupported

_TEXT_KINDS = ("s", "str", "inlineStr")
_WHOLE_LIMIT = 1e15  # below it a whole number keeps its value at 15 significant digits


class Reread(Exception):
    """The audit's reader and openpyxl could read a cell differently: read with openpyxl."""


class NoNames(dict):
    """The defined names of a book read by `read_book`: any use means `Reread`."""

    def __contains__(self, name) -> bool:
        raise Reread(f"a formula uses the defined name {name}")


def _date_styles(book) -> frozenset:
    """Indexes of the styles whose number format openpyxl reads as a date or a time."""
    from openpyxl.styles.numbers import is_date_format, is_timedelta_format

    return frozenset(i for i, style in enumerate(book.styles)
                     if is_date_format(style[0]) or is_timedelta_format(style[0]))


class BookCells:
    """The cells as openpyxl (formulas, not cached values) shows them to the read-back
    (`xlkpi.workbook.readback.agreement_from_workbook`): a formula cell's value is its
    "=formula", a whole number an int."""

    def __init__(self, sheetnames: list, values: dict):
        self.sheetnames, self.values = sheetnames, values

    def get(self, sheet: str, cell: str):
        return self.values.get((sheet, cell))


def book_contents(book) -> tuple[dict, list, dict, BookCells, frozenset]:
    """(constants by (SHEET, row, col), formulas as (SHEET, row, col, text), titles by SHEET,
    the cells for the read-back, the unsure cells) of an `ooxml.Book`, as `fastcalc._contents`
    and openpyxl give them; raises `Reread` (or `Unsupported`, which the caller also reads
    again). The unsure cells are text cells `read_book` reads as blank: an empty text, which
    openpyxl reads as "" (a generated card holds many), or a text cell without a value; a
    formula referring to one means `Reread` (`computed_values`)."""
    from ..audit.ooxml import CELL_RE
    from ..workbook.layout import column_index

    if book.findings:
        raise Reread("container findings")
    dates = _date_styles(book)
    constants: dict = {}
    formulas_: list = []
    titles: dict = {}
    values: dict = {}  # (title, "A1") → the value openpyxl reads
    unsure: set = set()  # text cells read as blank, which openpyxl may read as ""
    places: dict = {}  # "A1" → (row, col), shared by the sheets
    for ws in book.sheets:
        sheet = ws.name.upper()
        titles[sheet] = ws.name
        for ref, c in ws.cells.items():
            place = places.get(ref)
            if place is None:
                m = CELL_RE.fullmatch(ref)
                place = places[ref] = int(m.group(2)), column_index(m.group(1))
            formula, value, kind = c.formula, c.value, c.kind
            if formula is not None:
                text = values[ws.name, ref] = "=" + formula
                if text[:2] == "==":
                    text = text[1:]
                formulas_.append((sheet, place[0], place[1], text.replace("\n", "")))
                continue
            if value is None:
                if kind in _TEXT_KINDS:  # "" or nothing: the read-back takes both as blank
                    unsure.add((sheet, place[0], place[1]))
                continue
            if kind == "e" or isinstance(value, tuple):
                raise Unsupported(f"{ws.name}!{ref}: an error or formula-like value")
            if kind in _TEXT_KINDS:
                if "_x" in value or "x005F_" in value:  # openpyxl drops "x005F_"
                    raise Reread(f"{ws.name}!{ref}: a text with an escape")
            elif kind == "n" and type(value) is float:
                if c.style in dates:
                    raise Reread(f"{ws.name}!{ref}: a date")
                if not math.isfinite(value):
                    raise Reread(f"{ws.name}!{ref}: not a finite number")
                if value.is_integer():
                    if abs(value) >= _WHOLE_LIMIT:
                        raise Reread(f"{ws.name}!{ref}: a whole number of 15 digits or more")
                    value = int(value)
                else:
                    values[ws.name, ref] = value  # the read-back reads it unrounded
                    constants[sheet, place[0], place[1]] = float("%.15g" % value)
                    continue
            else:
                raise Reread(f"{ws.name}!{ref}: a cell of type {kind}")
            constants[sheet, place[0], place[1]] = values[ws.name, ref] = value
    return constants, formulas_, titles, BookCells([ws.name for ws in book.sheets], values), frozenset(unsure)
