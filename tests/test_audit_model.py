"""The audit's canonical model: the generator's workbook in memory equals its saved file read
back, and formulas compare as formulas (shared ones expanded, spellings canonical)."""
from __future__ import annotations

import io
import random

import pytest

from xlkpi.audit.formulas import canonical, shift
from xlkpi.audit.inmemory import book_from_openpyxl
from xlkpi.audit.ooxml import read_book
from xlkpi.bench import good_agreement
from xlkpi.sample import sample_ministry
from xlkpi.workbook.sar import build_sar
from xlkpi.workbook.template import build_template

SHEET_FIELDS = ("name", "state", "cells", "merges", "rows", "cols", "format", "protection", "validations",
                "conditional", "hyperlinks", "printing", "objects", "max_row", "max_col")


def _resolved(book):
    """Each sheet's fields with cell styles replaced by the style tuples they index."""
    out = []
    for sheet in book.sheets:
        fields = {f: getattr(sheet, f) for f in SHEET_FIELDS}
        fields["cells"] = {ref: (c.value, c.formula, book.styles[c.style]) for ref, c in sheet.cells.items()}
        out.append(fields)
    return out, book.names, book.structure_locked


@pytest.mark.parametrize("build, agreement", [
    (build_sar, good_agreement(random.Random(3), 12)),
    (build_sar, sample_ministry()[0]),
    (build_template, sample_ministry()[9]),
    (build_template, good_agreement(random.Random(5), 8)),
])
def test_the_model_in_memory_is_the_saved_file_read_back(build, agreement):
    wb = build(agreement)
    in_memory = _resolved(book_from_openpyxl(wb))
    buffer = io.BytesIO()
    wb.save(buffer)
    saved = _resolved(read_book(buffer.getvalue()))
    assert in_memory[1:] == saved[1:]
    for mine, theirs in zip(in_memory[0], saved[0]):
        for field in SHEET_FIELDS:
            assert mine[field] == theirs[field], (mine["name"], field)


def test_formulas_compare_without_dollars_xlfn_spaces_or_case_but_strings_exact():
    assert canonical("=ROUND( $D$6*L6/100 ,4)") == canonical("round(D6*L6/100,4)")
    assert canonical("=_xlfn.IFS(A1>0,1)") == canonical("IFS(A1>0,1)")
    assert canonical('=IF(F8<>"ผ่าน",0,1)') != canonical('=IF(F8<>"ผ่าน ",0,1)')
    assert canonical('=IF(A1="a",1)') != canonical('=IF(A1="A",1)')
    assert canonical("='SAR 6 เดือน'!M21") == canonical("'SAR 6 เดือน'!$M$21")


def test_shared_formulas_shift_relative_references_only():
    assert shift("IF(ISNUMBER(L6),ROUND(D6*L6/100,4),\"\")", 2, 0) == "IF(ISNUMBER(L8),ROUND(D8*L8/100,4),\"\")"
    assert shift("$D$3+K6*P6", 1, 0) == "$D$3+K7*P7"
    assert shift("SUM(A1:B2)+'S 1'!C3+LOG10(A1)", 1, 1) == "SUM(B2:C3)+'S 1'!D4+LOG10(B2)"
    assert shift('IF(A1="B2",1)', 1, 0) == 'IF(A2="B2",1)'
    assert shift("A1", -1, 0) == "#REF!"
