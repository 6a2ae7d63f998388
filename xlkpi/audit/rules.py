"""The content rules (DOMAIN §9): each a small function from an `AuditContext` to findings.

Tampering is not here: the whitelist (`whitelist.compare`) holds every cell but the inputs to
what the generator writes.  These rules judge the content the whitelist lets through — the
trusted agreement and the officer's inputs (template fields blank, thresholds, weights,
results missing, evidence, stored scores ≠ recomputed).  Adding a rule is adding one function
decorated with `@rule(kind, ...)` and one test; `RULES` is all the audit runs.  Every finding
has a stable code, a severity, the sheet and cell, and a Thai and an English message.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..checks import steps_are_even, sums_to, threshold_direction, thresholds_have_ends
from ..engine import DepartmentScore
from ..findings import Finding, error, warning
from ..model import GROUP, MILESTONE, ROUNDS, THRESHOLD, WEIGHTED, Agreement, Indicator
from ..workbook.layout import (
    COVER_SHEET,
    CRITERIA_ROW,
    KIND_SAR,
    KIND_TEMPLATE,
    PART_WEIGHT_COL,
    REQUIRED_TEMPLATE_FIELDS,
    TEMPLATE_CRITERIA_COLUMNS,
    TEMPLATE_FIELDS,
    Col,
    SarLayout,
    input_columns,
    round_sheet,
    template_field_cell,
    template_milestone_cell,
    template_sheet,
)
from .reader import WorkbookData

SAR, TEMPLATE = KIND_SAR, KIND_TEMPLATE


@dataclass(frozen=True)
class AuditContext:
    """What every rule reads; no rule writes to it (rules share no mutable state)."""

    data: WorkbookData  # the file's cells as stored (cached values included)
    view: object  # the trusted view: the generator's cells, the file's inputs (expected.TrustedView)
    kind: str
    agreement: Agreement  # the trusted agreement with the officer's inputs read from the workbook
    signed: Agreement  # the trusted baseline itself (signed agreement, or the copy said to be unverified)
    round: int  # the round under audit
    layout: Optional[SarLayout] = None
    scores: dict = field(default_factory=dict)  # round -> DepartmentScore of `agreement`
    cover_totals: dict = field(default_factory=dict)  # round -> cover cell showing that round's total

    @property
    def file(self) -> str:
        return self.data.file

    def at(self, finding: Finding) -> Finding:
        return finding.located(file=self.file)

    def indicator(self, indicator_id: str) -> Optional[Indicator]:
        """`agreement.find`, through an index made on first use (the rules look up every row)."""
        index = self.__dict__.get("_indicators")
        if index is None:
            index = {}
            for ind in self.agreement.walk():
                index.setdefault(ind.id, ind)  # the first in walk order, as `find` gives
            object.__setattr__(self, "_indicators", index)
        return index.get(indicator_id)


Rule = Callable[[AuditContext], list]
RULES: list[tuple[tuple, Rule]] = []


def rule(*kinds: str):
    def register(function: Rule) -> Rule:
        RULES.append((kinds, function))
        return function

    return register


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value) if isinstance(value, str) else str(value)


# --- KPI Template (on the trusted view) ------------------------------------------------

@rule(TEMPLATE)
def find_required_blank(ctx: AuditContext) -> list:
    out = []
    labels = {f[0]: (f[1], f[2]) for f in TEMPLATE_FIELDS}
    officer_fills = {f[0] for f in TEMPLATE_FIELDS if f[3]}
    for ind in ctx.agreement.walk():
        if ind.kind == GROUP or not ind.applicable:
            continue
        sheet = template_sheet(ind.id)
        for field_ in REQUIRED_TEMPLATE_FIELDS:
            cell = template_field_cell(field_)
            if _is_blank(ctx.view.get(sheet, cell)):
                th, en = labels[field_]
                if field_ in officer_fills:
                    out.append(error("TPL-REQUIRED-BLANK", f"ตัวชี้วัด {ind.id}: ยังไม่ได้กรอก {th}",
                                     f"indicator {ind.id}: {en} is blank", sheet=sheet, cell=cell, indicator=ind.id))
                else:  # a locked cell: the agreement lacks it, the department cannot fill it
                    out.append(error("TPL-AGREEMENT-BLANK",
                                     f"ตัวชี้วัด {ind.id}: คำรับรองไม่ได้ระบุ{th} (ฝ่ายเลขานุการต้องแก้ในคำรับรอง)",
                                     f"indicator {ind.id}: the agreement has no {en} (the secretariat must add it)",
                                     sheet=sheet, cell=cell, indicator=ind.id))
    return out


def _criteria_sets(ind: Indicator):
    """(label, thresholds, direction, row offset below the criteria heading) of an indicator."""
    if ind.kind == THRESHOLD and ind.applicable and not ind.granted:
        yield ind.id, ind.thresholds, ind.direction, 1
    elif ind.kind == WEIGHTED:
        for n, part in enumerate(ind.parts):
            yield f"{ind.id} ({n + 1})", part.thresholds, part.direction, 1 + n


def threshold_problems(thresholds: list, direction: str) -> list:
    """(code, severity, th, en) for a list of five thresholds (DOMAIN §6.1, §9)."""
    if not thresholds_have_ends(thresholds):
        return [("TPL-THRESHOLD-ENDS", "error", "เกณฑ์ระดับ 1 หรือระดับ 5 ว่าง", "the level 1 or level 5 threshold is blank")]
    actual = threshold_direction(thresholds)
    if actual is None:
        return [("TPL-THRESHOLD-ORDER", "error", "เกณฑ์ไม่เรียงลำดับ (ต้องเพิ่มขึ้นหรือลดลงอย่างเคร่งครัด)",
                 "thresholds are not strictly increasing or decreasing")]
    out = []
    if actual != direction:
        out.append(("TPL-DIRECTION", "error",
                    f"ทิศทางขัดกับเกณฑ์: ระบุ {direction} แต่เกณฑ์{'เพิ่มขึ้น' if actual == 'up' else 'ลดลง'}",
                    f"the direction says {direction} but the thresholds go {actual}"))
    if not steps_are_even(thresholds):
        out.append(("TPL-UNEVEN-STEPS", "warning", "ช่วงห่างระหว่างเกณฑ์แต่ละระดับไม่เท่ากัน",
                    "the steps between levels are uneven"))
    return out


@rule(TEMPLATE)
def find_threshold_problems(ctx: AuditContext) -> list:
    out = []
    for ind in ctx.agreement.walk():
        sheet = template_sheet(ind.id)
        for label, thresholds, direction, offset in _criteria_sets(ind):
            cell = f"{TEMPLATE_CRITERIA_COLUMNS[0]}{CRITERIA_ROW + offset}"
            for code, severity, th, en in threshold_problems(thresholds, direction):
                make = error if severity == "error" else warning
                out.append(make(code, f"ตัวชี้วัด {label}: {th}", f"indicator {label}: {en}",
                                sheet=sheet, cell=cell, indicator=ind.id))
    return out


@rule(TEMPLATE)
def find_target_easier_than_last_year(ctx: AuditContext) -> list:
    out = []
    for ind in ctx.agreement.walk():
        if ind.kind != THRESHOLD or not ind.baseline or not ind.applicable or ind.granted:
            continue
        level3 = ind.thresholds[2] if len(ind.thresholds) == 5 else None
        last_year = max(ind.baseline)
        actual = ind.baseline[last_year]
        if level3 is None or actual is None:
            continue
        easier = level3 < actual if ind.direction == "up" else level3 > actual
        if easier:
            out.append(warning("TPL-TARGET-EASIER",
                               f"ตัวชี้วัด {ind.id}: เป้าหมายระดับ 3 ({_fmt(level3)}) ง่ายกว่าผลปี {last_year} ({_fmt(actual)})",
                               f"indicator {ind.id}: the level-3 target ({_fmt(level3)}) is easier than the {last_year} result ({_fmt(actual)})",
                               sheet=template_sheet(ind.id), cell=f"{TEMPLATE_CRITERIA_COLUMNS[2]}{CRITERIA_ROW + 1}",
                               indicator=ind.id))
    return out


@rule(TEMPLATE)
def find_milestone_without_text(ctx: AuditContext) -> list:
    out = []
    for ind in ctx.agreement.walk():
        if ind.kind != MILESTONE or not ind.applicable:
            continue
        for level, text in enumerate(ind.milestones, start=1):
            if _is_blank(text):
                out.append(error("TPL-MILESTONE-TEXT", f"ตัวชี้วัด {ind.id}: ขั้นตอนระดับ {level} ไม่มีคำอธิบาย",
                                 f"indicator {ind.id}: milestone level {level} has no text",
                                 sheet=template_sheet(ind.id), cell=template_milestone_cell(level), indicator=ind.id))
    return out


@rule(TEMPLATE)
def find_weights_not_summing(ctx: AuditContext) -> list:
    out = []
    top = sum(i.weight for i in ctx.agreement.indicators)
    if not sums_to([i.weight for i in ctx.agreement.indicators], 100):
        out.append(error("TPL-WEIGHT-TOTAL", f"น้ำหนักรวมเป็น {_fmt(top)} ไม่ใช่ 100",
                         f"the weights total {_fmt(top)}, not 100", sheet=COVER_SHEET))
    for ind in ctx.agreement.walk():
        sheet = template_sheet(ind.id)
        if ind.kind == GROUP and ind.applicable:
            children = sum(c.weight for c in ind.children)
            if not sums_to([c.weight for c in ind.children], ind.weight):
                out.append(error("TPL-WEIGHT-CHILDREN",
                                 f"ตัวชี้วัด {ind.id}: น้ำหนักตัวชี้วัดย่อยรวม {_fmt(children)} ไม่เท่ากับ {_fmt(ind.weight)}",
                                 f"indicator {ind.id}: its sub-indicators weigh {_fmt(children)}, not {_fmt(ind.weight)}",
                                 sheet=sheet, cell=template_field_cell("weight"), indicator=ind.id))
        if ind.kind == WEIGHTED and ind.applicable and ind.parts:
            parts = sum(p.weight for p in ind.parts)
            if not sums_to([p.weight for p in ind.parts], 1):
                out.append(error("TPL-WEIGHT-PARTS", f"ตัวชี้วัด {ind.id}: ผลรวมน้ำหนัก Wi เป็น {_fmt(parts)} ไม่ใช่ 1",
                                 f"indicator {ind.id}: the part weights Wi sum to {_fmt(parts)}, not 1",
                                 sheet=sheet, cell=f"{PART_WEIGHT_COL}{CRITERIA_ROW + 1}", indicator=ind.id))
    return out


#: Framework findings the template rules above already give in workbook terms.
FRAMEWORK_CODES_COVERED = {"FW-TOTAL", "FW-SUBWEIGHTS", "FW-PARTS-SUM"}


@rule(TEMPLATE)
def find_framework_breaches(ctx: AuditContext) -> list:
    """The framework's rules (dimension split, dim1+dim2 > dim3+dim4, PMQA choices …)."""
    from ..framework import check_agreement, load_framework_for

    spec, findings = load_framework_for(ctx.agreement)
    if spec is None:  # no framework is a finding, never a rule that quietly passes
        return [f.located(sheet=COVER_SHEET) for f in findings]
    return [f.located(sheet=COVER_SHEET) for f in check_agreement(ctx.agreement, spec)
            if f.code not in FRAMEWORK_CODES_COVERED]


# --- SAR Card -----------------------------------------------------------------------

def _round_sheets(ctx: AuditContext):
    for round_ in ROUNDS:
        sheet = round_sheet(round_)
        if sheet in ctx.data.sheetnames:
            yield round_, sheet


@rule(SAR)
def find_missing_results(ctx: AuditContext) -> list:
    out = []
    sheet = round_sheet(ctx.round)
    if sheet not in ctx.data.sheetnames:
        return out
    for row in ctx.layout.rows:
        inputs = input_columns(row, ctx.round)  # none when not due in the round (DOMAIN §6.5a)
        if Col.RESULT in inputs or row.indicator.kind == MILESTONE and inputs:
            cells = [Col.RESULT] if Col.RESULT in inputs else list(Col.CRITERIA)
            if all(_is_blank(ctx.view.get(sheet, f"{c}{row.row}")) for c in cells):
                out.append(error("SAR-RESULT-MISSING", f"ตัวชี้วัด {row.label}: ยังไม่ได้รายงานผลรอบ {ctx.round} เดือน",
                                 f"indicator {row.label}: no result for the {ctx.round}-month round",
                                 sheet=sheet, cell=f"{cells[0]}{row.row}", indicator=row.indicator.id))
    return out


@rule(SAR)
def find_missing_evidence(ctx: AuditContext) -> list:
    out = []
    sheet = round_sheet(ctx.round)
    if sheet not in ctx.data.sheetnames:
        return out
    for row in ctx.layout.rows:
        if row.is_part or Col.EVIDENCE not in input_columns(row, ctx.round):
            continue
        ind = ctx.indicator(row.indicator.id)
        reported = ctx.round in ind.result or (ind.kind == WEIGHTED and any(ctx.round in p.result for p in ind.parts))
        if reported and _is_blank(ctx.view.get(sheet, row.cell(Col.EVIDENCE))):
            out.append(warning("SAR-EVIDENCE-MISSING", f"ตัวชี้วัด {row.label}: รายงานผลแล้วแต่ไม่มีหลักฐานอ้างอิง",
                               f"indicator {row.label}: a result is reported without evidence",
                               sheet=sheet, cell=row.cell(Col.EVIDENCE), indicator=row.indicator.id))
    return out


def _milestone_level(ind: Indicator, round_: int):
    """The level a milestone row's result cell shows: milestones 1..L all met ("" unreported)."""
    met = ind.result.get(round_)
    if not met:
        return None
    level = 0
    for done in met:
        if not done:
            break
        level += 1
    return level


def _same(stored, recomputed) -> bool:
    if type(stored) in (int, float) and type(recomputed) in (int, float) and stored == recomputed \
            and stored - stored == 0 and (stored or math.copysign(1, stored) == math.copysign(1, recomputed)):
        return True  # what same_value says of an equal finite number (0 and -0.0 print apart), unformatted
    from ..verify import same_value

    return same_value(recomputed, stored)


@rule(SAR)
def find_stored_scores_differing(ctx: AuditContext) -> list:
    """A stored score or weighted score (e.g. a cached value edited in the file) ≠ recomputed."""
    out = []
    outputs = []
    for round_, sheet in _round_sheets(ctx):
        result: DepartmentScore = ctx.scores[round_]
        for s in result.indicators:
            row = ctx.layout.indicator_row(s.id)
            outputs.append((sheet, row.cell(Col.SCORE), s.score, s.id))
            outputs.append((sheet, row.cell(Col.WEIGHTED), s.weighted, s.id))
            # the visible computed results: a weighted indicator's composite and its parts'
            # scores, a milestone indicator's level reached
            if not row.due(round_):
                continue  # a row not due in a round shows a label there, no computed value
            if s.part_scores or s.composite is not None:
                outputs.append((sheet, row.cell(Col.RESULT), s.composite, s.id))
                for n, part_score in enumerate(s.part_scores):
                    part_row = ctx.layout.part_row(s.id, n)
                    if part_row.due(round_):
                        outputs.append((sheet, part_row.cell(Col.SCORE), part_score, f"{s.id} ({n + 1})"))
            elif row.indicator.kind == MILESTONE and row.applicable and not row.indicator.granted:
                outputs.append((sheet, row.cell(Col.RESULT), _milestone_level(ctx.indicator(s.id), round_), s.id))
        for d, r in ctx.layout.dimension_rows.items():
            outputs.append((sheet, f"{Col.WEIGHTED}{r}", result.dimensions[str(d)], f"dim {d}"))
        outputs.append((sheet, f"{Col.WEIGHTED}{ctx.layout.total_row}", result.total, "total"))
        if round_ in ctx.cover_totals:  # the cover shows each round's total too
            outputs.append((COVER_SHEET, ctx.cover_totals[round_], result.total, f"total {round_}"))
    if outputs and all(ctx.data.get(sheet, cell) is None for sheet, cell, _v, _l in outputs):
        return [warning("WB-NOT-CALCULATED", "สมุดงานยังไม่เคยถูกคำนวณและบันทึกในโปรแกรมตารางคำนวณ จึงไม่มีค่าที่บันทึกไว้ให้ตรวจ",
                        "the workbook was never calculated and saved by a spreadsheet: it stores no values to check")]
    for sheet, cell, recomputed, label in outputs:
        stored = ctx.data.get(sheet, cell)
        if not _same(stored, recomputed):
            out.append(error("SAR-STORED-DIFFERS",
                             f"{label}: ค่าที่บันทึก {_fmt(stored)} ไม่ตรงกับที่คำนวณใหม่ {_fmt(recomputed)}",
                             f"{label}: the stored value {_fmt(stored)} differs from the recomputed {_fmt(recomputed)}",
                             sheet=sheet, cell=cell, indicator=label))
    return out


