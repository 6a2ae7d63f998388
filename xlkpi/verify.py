"""`xlkpi verify`: recompute a SAR Card's formulas without Excel and compare with the engine.

The workbook is read back (its results are the officer's inputs), scored by the Python
engine, and recalculated by the `formulas` package with Excel's semantics installed (each
formula shape compiled once, `xlkpi.fastcalc`); every score, weighted score and total must
agree to 4 decimals. The card is read once, by the audit's reader, for both (and only the
score cells and what they depend on are computed); a card that reader and openpyxl could
read differently is read with openpyxl (`xlkpi.fastcalc.book`). `verify_one` is one file of
a batch (`xlkpi verify FOLDER`), and `formulas_findings` is the check `xlkpi audit --formulas`
adds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .engine import score_agreement
from .findings import Finding, error
from .model import ROUNDS
from .workbook.layout import KIND_SAR, dimension_name, layout_names, name_for, sar_layout, total_name


@dataclass
class Comparison:
    name: str  # defined name, e.g. kpi_1_1_r12_score
    sheet: str
    cell: str
    engine: object
    workbook: object

    @property
    def agrees(self) -> bool:
        return same_value(self.engine, self.workbook)


def same_value(engine, workbook) -> bool:
    if engine is None:
        return workbook in (None, "")
    if isinstance(workbook, bool) or not isinstance(workbook, (int, float)):
        return False
    return round(abs(float(workbook) - engine), 9) < 0.00005 and f"{engine:.4f}" == f"{float(workbook):.4f}"


def expected_values(agreement) -> dict:
    """Defined name -> the engine's value for every score, weighted score and total."""
    expected = {}
    for round_ in ROUNDS:
        result = score_agreement(agreement, round_)
        for s in result.indicators:
            expected[name_for(s.id, round_, "score")] = s.score
            expected[name_for(s.id, round_, "weighted")] = s.weighted
        for d, value in result.dimensions.items():
            expected[dimension_name(int(d), round_)] = value
        expected[total_name(round_)] = result.total
    return expected


def compare(agreement, values: dict, outputs: dict | None = None) -> list[Comparison]:
    """Engine vs a workbook's values ((sheet, cell) -> value) at every output cell.

    `outputs` is `output_cells(agreement)` if the caller has it."""
    out = []
    for name, (sheet, cell, engine_value) in (outputs or output_cells(agreement)).items():
        out.append(Comparison(name, sheet, cell, engine_value, values.get((sheet, cell))))
    return out


def output_cells(agreement) -> dict:
    """Defined name -> (sheet, cell, the engine's value) of every score, weighted score and total."""
    names = layout_names(sar_layout(agreement))
    return {name: (*names[name], value) for name, value in expected_values(agreement).items()}


def verify_file(path) -> tuple[list[Comparison], list[Finding]]:
    """Recalculate a SAR Card with `formulas` and compare every output with the engine.

    The card is read once, by the audit's reader, for both the read-back and the
    recalculation (`xlkpi.fastcalc.book`); a card holding anything that reader and openpyxl
    could read differently, or that the fast path does not handle, is read with openpyxl as
    before (`_verify_openpyxl`), so the outcome is the same either way.
    """
    from .fastcalc import Unsupported
    from .fastcalc.book import Reread
    from .workbook.readback import check_container

    findings = check_container(path)
    if findings:
        return [], findings
    try:
        return _verify_read_once(Path(path))
    except (Reread, Unsupported):
        return _verify_openpyxl(path)


def _verify_read_once(path: Path) -> tuple[list[Comparison], list[Finding]]:
    from .audit.ooxml import read_book
    from .fastcalc import computed_values
    from .fastcalc.book import NoNames, Reread, book_contents
    from .workbook.readback import agreement_from_workbook

    try:
        book = read_book(path)
    except Exception as exc:  # openpyxl says what it makes of the file
        raise Reread(str(exc)) from exc
    constants, formulas_, titles, cells, unsure = book_contents(book)
    agreement, findings, kind = agreement_from_workbook(cells, str(path))
    if agreement is None:
        return [], findings
    if kind != KIND_SAR:
        return [], findings + [_not_sar(path)]
    outputs = output_cells(agreement)
    values = computed_values(constants, formulas_, NoNames(), titles, unsure=unsure,
                             wanted=[(sheet, cell) for sheet, cell, _ in outputs.values()])
    return _compared(agreement, values, findings, path, outputs)


def _verify_openpyxl(path) -> tuple[list[Comparison], list[Finding]]:
    """`verify_file` with the card opened by openpyxl and recalculated by `recalc.formulas_values`."""
    from .recalc import formulas_values
    from .workbook.readback import open_workbook, agreement_from_workbook

    wb, findings = open_workbook(path)
    if wb is None:
        return [], findings
    agreement, more, kind = agreement_from_workbook(wb, str(path))
    findings += more
    if agreement is None:
        return [], findings
    if kind != KIND_SAR:
        return [], findings + [_not_sar(path)]
    return _compared(agreement, formulas_values(Path(path), book=wb), findings, path)


def _not_sar(path) -> Finding:
    return error("VERIFY-NOT-SAR", "ตรวจคะแนนได้เฉพาะ SAR Card", "only a SAR Card has scores to verify",
                 file=str(path))


def _compared(agreement, values: dict, findings: list, path,
              outputs=None) -> tuple[list[Comparison], list[Finding]]:
    comparisons = compare(agreement, values, outputs)
    for c in comparisons:
        if not c.agrees:
            findings.append(error(
                "VERIFY-DIFF", f"สูตรได้ {c.workbook!r} แต่เครื่องคำนวณได้ {c.engine!r} ({c.name})",
                f"the formulas give {c.workbook!r}, the engine {c.engine!r} ({c.name})",
                file=str(path), sheet=c.sheet, cell=c.cell))
    return comparisons, findings


VERIFY_CODES = ("VERIFY-DIFF", "VERIFY-NOT-SAR", "VERIFY-FAILED")


@dataclass
class VerifyResult:
    """One workbook of a batch: how many score cells were compared, and what differs."""

    file: str
    cells: int = 0
    differences: list = field(default_factory=list)  # Comparison that do not agree
    findings: list = field(default_factory=list)
    readable: bool = True

    @property
    def status(self) -> str:
        if not self.readable:
            return "unreadable"
        if any(f.is_error for f in self.findings) or not self.cells:
            return "errors"
        return "warnings" if self.findings else "ok"

    def to_dict(self) -> dict:
        return {"file": self.file, "status": self.status, "cells": self.cells,
                "differences": [{"name": c.name, "cell": f"{c.sheet}!{c.cell}", "engine": c.engine,
                                 "workbook": c.workbook} for c in self.differences],
                "findings": [f.to_dict() for f in self.findings]}


def verify_one(path) -> VerifyResult:
    """`verify_file` for a batch: never raises, whatever the file holds."""
    try:
        comparisons, findings = verify_file(path)
    except Exception as exc:  # a batch never stops for one file
        return VerifyResult(str(path), findings=[error(
            "VERIFY-FAILED", f"คำนวณสูตรใหม่ไม่ได้: {exc!r}", f"cannot recalculate the formulas: {exc!r}",
            file=str(path))], readable=False)
    readable = bool(comparisons) or not any(f.code.startswith("WB-") for f in findings)
    return VerifyResult(str(path), len(comparisons), [c for c in comparisons if not c.agrees], findings,
                        readable)


def formulas_findings(path) -> list[Finding]:
    """What `xlkpi audit --formulas` adds: the formulas, recomputed, against the engine."""
    result = verify_one(path)
    return [f for f in result.findings if f.code in VERIFY_CODES]
