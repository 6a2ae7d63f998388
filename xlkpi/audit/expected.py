"""What the generator writes for a trusted agreement, as the audit's canonical model.

`expected_model(text, kind)` runs the generator itself (`build_sar` / `build_template`) on
the agreement, writing into a `recording.RecordingWorkbook` rather than openpyxl's, and takes
the canonical model of what it wrote (`inmemory`: what `ooxml.read_book` gives for the saved
file, without building or saving one — tests hold the three equal),
so both sides pass through one canonicalisation; whatever the generator writes — a new
column, another formula — the whitelist follows without a change here.  Models are cached per (kind, agreement text): a batch builds each agreement's once.

It also says which cells are the officer's inputs (the cells the generator leaves unlocked)
and what each may hold, and gives the audit a *trusted view* of the workbook: the generator's
value for every other cell, the file's only for inputs.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..workbook.layout import (
    BASELINE_ROW,
    KIND_SAR,
    KIND_TEMPLATE,
    META_SHEET,
    Col,
    round_sheet,
    sar_layout,
)
from ..model import ROUNDS
from .inmemory import book_from_recording
from .ooxml import Book
from .whitelist import CHOICE, NUMBER, TEXT, InputCell

#: Hidden-sheet cells that are not the generator's to fix: its version and the signature.
FREE_CELLS = frozenset({(META_SHEET, "B2"), (META_SHEET, "A5"), (META_SHEET, "B5")})
_CACHE: "OrderedDict[tuple, Expected]" = OrderedDict()
MAX_ROWS = 2000  # indicators and parts: a ministry's largest agreement has under 200
CACHE_SIZE = 4  # a batch meets an agreement's workbooks together; memory stays flat in N


@dataclass
class Expected:
    kind: str
    agreement: object  # Agreement (the trusted one, without results)
    book: Book
    inputs: dict  # (sheet, cell) -> InputCell
    sheetnames: list


@lru_cache(maxsize=64)
def _choices(formula: Optional[str]) -> frozenset:
    text = (formula or "").strip()
    if text.startswith('"') and text.endswith('"'):
        return frozenset(t.strip() for t in text[1:-1].replace('""', '"').split(","))
    return frozenset()


def _input_cells(book: Book, kind: str, agreement) -> dict:
    labels, locked_results = {}, set()
    if kind == KIND_SAR:
        for row in sar_layout(agreement).rows:
            labels[row.row] = row.indicator.id
            if row.is_part and not row.applicable:
                # the generator shows a part's result even under a not-applicable group, in a
                # locked cell: a result of the agreement, not of the signed part of it
                locked_results.add(row.cell(Col.RESULT))
    inputs = {}
    round_sheets = {round_sheet(r) for r in ROUNDS}
    unlocked = {n for n, style in enumerate(book.styles) if not style[4][0]}
    for sheet in book.sheets:
        by_cell = {}
        for (vtype, _op, f1, _f2, *_flags), cells in sheet.validations.items():
            for cell in cells:
                by_cell[cell] = (vtype, f1)
        for ref, cell in sheet.cells.items():
            if ref in locked_results and sheet.name in round_sheets:
                inputs[(sheet.name, ref)] = InputCell(NUMBER, label=labels.get(int(ref[1:]), ""))
                continue
            if cell.style not in unlocked:
                continue
            row = int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            label = labels.get(row, "") if kind == KIND_SAR else sheet.name.removeprefix("KPI ")
            vtype, f1 = by_cell.get(ref, (None, None))
            if vtype in ("decimal", "whole"):
                spec = InputCell(NUMBER, label=label)
            elif vtype == "list":
                spec = InputCell(CHOICE, _choices(f1), label=label)
            elif kind == KIND_TEMPLATE and row == BASELINE_ROW + 1:
                spec = InputCell(NUMBER, label=label, code="TPL-BASELINE-NOT-NUMBER")
            elif kind == KIND_SAR and ref.startswith(Col.RESULT):
                spec = InputCell(NUMBER, label=label)
            else:
                spec = InputCell(TEXT, label=label)
            inputs[(sheet.name, ref)] = spec
    return inputs


def expected_model(text: str, kind: str, lang: str = "th") -> tuple[Optional[Expected], list]:
    """The generator's workbook for the agreement `text` (its canonical JSON), or findings."""
    from ..workbook.sar import build_sar
    from ..workbook.template import build_template
    from .recording import RecordingWorkbook

    key = (kind, lang, text)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key], []
    agreement, findings = _trusted_agreement(text)
    if agreement is None:
        return None, findings
    count = sum(1 for _ in agreement.walk()) + sum(len(i.parts) for i in agreement.walk())
    if count > MAX_ROWS:  # an unverified copy could ask the generator for anything
        from ..findings import error

        return None, [error("WB-TOO-LARGE", f"คำรับรองในสมุดงานมีตัวชี้วัด {count} รายการ เกินกว่าที่ตรวจได้ ({MAX_ROWS})",
                            f"the workbook's agreement has {count} indicators and parts, more than can be audited ({MAX_ROWS})",
                            sheet=META_SHEET, cell="B4")]
    build = build_sar if kind == KIND_SAR else build_template
    recording = build(agreement, lang=lang, workbook=RecordingWorkbook())
    book = book_from_recording(recording)
    recording.release()
    expected = Expected(kind, agreement, book, _input_cells(book, kind, agreement), [s.name for s in book.sheets])
    _CACHE[key] = expected
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return expected, []


def layout_inputs(agreement, kind: str) -> dict:
    """The input cells as the layout names them (no workbook generated): for a live book."""
    from ..model import ROUNDS
    from ..workbook.layout import (
        BASELINE_COLUMNS,
        MET,
        NOT_MET,
        TEMPLATE_FIELDS,
        input_columns,
        round_sheet,
        template_field_cell,
        template_sheet,
    )

    inputs = {}
    if kind == KIND_SAR:
        for row in sar_layout(agreement).rows:
            for round_ in ROUNDS:
                for column in input_columns(row, round_):  # none where the row is not due
                    spec = (InputCell(NUMBER, label=row.indicator.id) if column == Col.RESULT else
                            InputCell(CHOICE, frozenset({MET, NOT_MET}), label=row.indicator.id)
                            if column in Col.CRITERIA else InputCell(TEXT, label=row.indicator.id))
                    inputs[(round_sheet(round_), row.cell(column))] = spec
    else:
        for ind in agreement.walk():
            sheet = template_sheet(ind.id)
            for field_, _th, _en, is_input in TEMPLATE_FIELDS:
                if is_input:
                    inputs[(sheet, template_field_cell(field_))] = InputCell(TEXT, label=ind.id)
            for column in BASELINE_COLUMNS:
                inputs[(sheet, f"{column}{BASELINE_ROW + 1}")] = InputCell(NUMBER, label=ind.id,
                                                                          code="TPL-BASELINE-NOT-NUMBER")
    return inputs


def light_expected(text: str, kind: str) -> tuple[Optional[Expected], list]:
    """The trusted agreement and its input cells without generating the workbook."""
    agreement, findings = _trusted_agreement(text)
    if agreement is None:
        return None, findings
    return Expected(kind, agreement, None, layout_inputs(agreement, kind), []), []


class TrustedView:
    """Cells as the audit may believe them: the generator's, except the officer's inputs."""

    def __init__(self, expected: Expected, actual_values: dict):
        self.sheetnames = list(expected.sheetnames)
        self._inputs = expected.inputs
        self._actual = actual_values
        self._expected = {s.name: s.cells for s in expected.book.sheets}

    def get(self, sheet: str, cell: str):
        key = (sheet, cell)
        if key in self._inputs:
            return self._actual.get(key)
        found = self._expected.get(sheet, {}).get(cell)
        value = found.value if found is not None else None
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value


def _trusted_agreement(text: str) -> tuple:
    """The agreement in the canonical text the baseline vouches for, or (None, findings)."""
    from ..agreement import parse
    from ..findings import error

    try:
        data = json.loads(text)
    except ValueError as exc:
        return None, [error("WB-NOT-XLKPI", f"สำเนาคำรับรองในแผ่นงานซ่อนอ่านไม่ได้: {exc}",
                            f"the hidden copy of the agreement cannot be read: {exc}", sheet=META_SHEET, cell="B4")]
    agreement, findings = parse(data, "")
    if agreement is None or any(f.is_error for f in findings):
        return None, [f.located(sheet=META_SHEET) for f in findings]
    return agreement, []
