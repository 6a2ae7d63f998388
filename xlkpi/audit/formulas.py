"""Formulas compared as formulas: string literals exact, everything else canonical.

`canonical` drops what two spreadsheets legitimately spell differently (`_xlfn.`, `$`,
spaces, letter case outside strings); `shift` moves a shared formula's master to one of the
cells that share it, as Excel does when it reads `<f t="shared" si=…/>`.  Both are plain
string work (no tokenizer), fast enough for every formula of a ministry's batch.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..workbook.layout import column_index as _column_number, column_letter as _column_letters

_STRING = re.compile(r'"(?:[^"]|"")*"')
_QUOTED_SHEET = re.compile(r"'(?:[^']|'')*'")
# A cell reference not inside a name or a function: A1, $A$1, A$1 (and each end of A1:B2)
_REF = re.compile(r"(?<![A-Za-z0-9_.!'\"])(\$?)([A-Za-z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(])")
_SHEET_REF = re.compile(r"(?<=!)(\$?)([A-Za-z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(])")


def _pieces(formula: str):
    """(is_literal, text) pieces: string literals and quoted sheet names kept apart."""
    pos = 0
    pattern = re.compile(r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'')
    for match in pattern.finditer(formula):
        if match.start() > pos:
            yield False, formula[pos:match.start()]
        yield True, match.group(0)
        pos = match.end()
    if pos < len(formula):
        yield False, formula[pos:]


@lru_cache(maxsize=65536)
def canonical(formula) -> str:
    """A formula in the form two spellings of it compare equal in (no leading '=')."""
    text = str(formula or "").strip()
    if text.startswith("="):
        text = text[1:]
    out = []
    for literal, piece in _pieces(text):
        if literal:
            out.append(piece if piece.startswith('"') else piece.upper())
        else:
            piece = re.sub(r"_xlfn\.|_xlws\.", "", piece, flags=re.I)
            out.append(piece.replace("$", "").replace(" ", "").replace("\n", "").replace("\r", "").upper())
    return "".join(out)


@lru_cache(maxsize=65536)
def shift(formula: str, rows: int, columns: int) -> str:
    """The formula moved by (rows, columns): relative references shift, $-anchored ones stay.

    Cached: the same master and offset recur in every round sheet and every workbook."""
    if not rows and not columns:
        return formula

    def move(match: re.Match) -> str:
        col_abs, letters, row_abs, number = match.groups()
        column = _column_number(letters) + (0 if col_abs else columns)
        row = int(number) + (0 if row_abs else rows)
        if column < 1 or row < 1:
            return "#REF!"
        return f"{col_abs}{_column_letters(column)}{row_abs}{row}"

    out = []
    for literal, piece in _pieces(formula):
        if literal:
            out.append(piece)
        else:
            piece = _SHEET_REF.sub(move, piece) if "!" in piece else piece
            out.append(_REF.sub(move, piece))
    # a reference after a quoted sheet name ('SAR 6'!M5) is in its own piece, starting with "!"
    return "".join(out)
