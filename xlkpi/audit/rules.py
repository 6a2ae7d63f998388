"""The audit rules (DOMAIN §9): each a small function from an `AuditContext` to findings.

Adding a rule is adding one function decorated with `@rule(kind, ...)` and one test; the
registry `RULES` is all `audit_data` runs.  Every finding has a stable code, a severity, the
sheet and cell, and a Thai and an English message; README lists the codes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from ..checks import steps_are_even, sums_to, threshold_direction, thresholds_have_ends
from ..engine import DepartmentScore
from ..findings import Finding, error, warning
from ..model import GROUP, MILESTONE, ROUNDS, THRESHOLD, WEIGHTED, Agreement, Indicator
from ..workbook.layout import (
    BASELINE_ROW,
    COVER_SHEET,
    CRITERIA_ROW,
    KIND_SAR,
    KIND_TEMPLATE,
    META_SHEET,
    PART_WEIGHT_COL,
    REQUIRED_TEMPLATE_FIELDS,
    TEMPLATE_CRITERIA_COLUMNS,
    TEMPLATE_FIELDS,
    Col,
    SarLayout,
    input_columns,
    name_for,
    round_sheet,
    template_field_cell,
    template_milestone_cell,
    template_sheet,
)
from ..workbook.sar_formulas import normalise, row_formulas, total
from ..workbook.style import FORMULA_STARTS
from .reader import WorkbookData

SAR, TEMPLATE = KIND_SAR, KIND_TEMPLATE


@dataclass
class AuditContext:
    data: WorkbookData
    kind: str
    agreement: Agreement  # as the workbook shows it (read back)
    generated: Agreement  # as it was generated (the hidden copy)
    signed: Agreement  # the baseline: the signed agreement with approved changes
    round: int  # the round under audit
    layout: Optional[SarLayout] = None
    scores: dict = field(default_factory=dict)  # round -> DepartmentScore of the read-back agreement
    broken_sheets: set = field(default_factory=set)  # sheets whose rows moved: no cell checks there

    @property
    def file(self) -> str:
        return self.data.file

    def at(self, finding: Finding) -> Finding:
        return finding.located(file=self.file)


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


# --- both kinds ---------------------------------------------------------------------

@rule(SAR, TEMPLATE)
def find_protection_removed(ctx: AuditContext) -> list:
    out = []
    if ctx.data.protected is None:  # unknown (a live book through xlwings' remote engine)
        return out
    for sheet in ctx.data.sheetnames:
        if not ctx.data.protected.get(sheet, False):
            out.append(error("WB-PROTECTION-REMOVED", f"แผ่นงาน {sheet} ถูกยกเลิกการป้องกัน",
                             f"sheet protection was removed from {sheet}", sheet=sheet))
    if ctx.data.structure_locked is False:
        out.append(error("WB-PROTECTION-REMOVED", "สมุดงานถูกยกเลิกการป้องกันโครงสร้าง",
                         "the workbook's structure protection was removed", cell="workbook"))
    return out


def expected_sheets(ctx: AuditContext) -> list:
    if ctx.kind == SAR:
        return [COVER_SHEET] + [round_sheet(r) for r in ROUNDS] + [META_SHEET]
    return [COVER_SHEET] + [template_sheet(i.id) for i in ctx.generated.walk()] + [META_SHEET]


@rule(SAR, TEMPLATE)
def find_sheets_changed(ctx: AuditContext) -> list:
    expected = expected_sheets(ctx)
    actual = ctx.data.sheetnames
    out = [error("WB-SHEET-DELETED", f"แผ่นงาน {s} หายไป", f"sheet {s} was deleted", sheet=s)
           for s in expected if s not in actual]
    out += [error("WB-SHEET-INSERTED", f"มีแผ่นงาน {s} เพิ่มเข้ามา", f"sheet {s} was inserted", sheet=s)
            for s in actual if s not in expected]
    return out


@rule(SAR)
def find_rows_moved(ctx: AuditContext) -> list:
    """Rows inserted or deleted: the ids and the totals are no longer where they were written."""
    out = []
    for round_ in ROUNDS:
        sheet = round_sheet(round_)
        if sheet not in ctx.data.sheetnames:
            continue
        for row in ctx.layout.rows:
            if str(ctx.data.get(sheet, row.cell(Col.ID)) or "") != row.label:
                ctx.broken_sheets.add(sheet)
                out.append(error("WB-ROWS-CHANGED", f"มีการแทรกหรือลบแถว: แถว {row.row} ควรเป็นตัวชี้วัด {row.label}",
                                 f"rows were inserted or deleted: row {row.row} should hold indicator {row.label}",
                                 sheet=sheet, cell=row.cell(Col.ID)))
                break
        else:
            last = ctx.data.max_row.get(sheet, 0)
            if last != ctx.layout.last_row:
                ctx.broken_sheets.add(sheet)
                out.append(error("WB-ROWS-CHANGED", f"มีการแทรกหรือลบแถว: แถวสุดท้ายคือ {last} ไม่ใช่ {ctx.layout.last_row}",
                                 f"rows were inserted or deleted: the last row is {last}, not {ctx.layout.last_row}",
                                 sheet=sheet, cell=f"A{last}"))
    return out


def _text_inputs(ctx: AuditContext):
    """(sheet, cell, text, indicator id) of every text an officer typed."""
    if ctx.kind == SAR:
        for round_ in ROUNDS:
            sheet = round_sheet(round_)
            for row in ctx.layout.rows:
                for column in (Col.EXPLANATION, Col.EVIDENCE):
                    if column in input_columns(row, round_):
                        yield sheet, row.cell(column), ctx.data.get(sheet, row.cell(column)), row.indicator.id
    else:
        for ind in ctx.generated.walk():
            sheet = template_sheet(ind.id)
            for field_, _th, _en, is_input in TEMPLATE_FIELDS:
                if is_input or field_ == "name":
                    cell = template_field_cell(field_)
                    yield sheet, cell, ctx.data.get(sheet, cell), ind.id


@rule(SAR, TEMPLATE)
def find_formula_injection(ctx: AuditContext) -> list:
    out = []
    for sheet, cell, value, indicator in _text_inputs(ctx):
        formula = ctx.data.formula(sheet, cell)
        text = formula if formula else value
        if isinstance(text, str) and text.lstrip().startswith(FORMULA_STARTS):
            out.append(error("WB-FORMULA-INJECTION",
                             f"ข้อความขึ้นต้นด้วย {text.lstrip()[0]} อาจถูกเรียกใช้เป็นสูตร: {text[:40]!r}",
                             f"text starting with {text.lstrip()[0]} could run as a formula: {text[:40]!r}",
                             sheet=sheet, cell=cell, indicator=indicator))
    return out


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
            if _is_blank(ctx.data.get(sheet, cell)):
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
        if sheet in ctx.data.sheetnames and sheet not in ctx.broken_sheets:
            yield round_, sheet


@rule(SAR)
def find_tampered_formulas(ctx: AuditContext) -> list:
    if ctx.data.formulas is None:  # a live Excel book gives values only
        return []
    out = []
    totals = [(f"{Col.WEIGHTED}{r}", total([x.row for x in ctx.layout.leaf_rows(dimension)]), f"dim {dimension}")
              for dimension, r in ctx.layout.dimension_rows.items()]
    totals.append((f"{Col.WEIGHTED}{ctx.layout.total_row}", total([x.row for x in ctx.layout.leaf_rows()]), "total"))
    for round_, sheet in _round_sheets(ctx):
        # a row not due in a round has no formulas there (DOMAIN §6.5a)
        expected = list(totals)
        for row in ctx.layout.rows:
            expected += [(f"{column}{row.row}", formula, row.label)
                         for column, formula in row_formulas(row, round_).items()]
        for cell, formula, label in ((c, normalise(f), lb) for c, f, lb in expected):
            actual = ctx.data.formula(sheet, cell)
            if actual is None:
                out.append(error("SAR-FORMULA-REPLACED", f"สูตรในช่องนี้ ({label}) ถูกแทนด้วยค่าคงที่ {_fmt(ctx.data.get(sheet, cell))}",
                                 f"the formula in this cell ({label}) was replaced by the constant {_fmt(ctx.data.get(sheet, cell))}",
                                 sheet=sheet, cell=cell))
            elif normalise(actual) != formula:
                out.append(error("SAR-FORMULA-CHANGED", f"สูตรในช่องนี้ ({label}) ถูกแก้ไข: {actual[:60]}",
                                 f"the formula in this cell ({label}) was changed: {actual[:60]}", sheet=sheet, cell=cell))
    return out


@rule(SAR)
def find_missing_results(ctx: AuditContext) -> list:
    out = []
    sheet = round_sheet(ctx.round)
    if sheet not in ctx.data.sheetnames or sheet in ctx.broken_sheets:
        return out
    for row in ctx.layout.rows:
        inputs = input_columns(row, ctx.round)  # none when not due in the round (DOMAIN §6.5a)
        if Col.RESULT in inputs or row.indicator.kind == MILESTONE and inputs:
            cells = [Col.RESULT] if Col.RESULT in inputs else list(Col.CRITERIA)
            if all(_is_blank(ctx.data.get(sheet, f"{c}{row.row}")) for c in cells):
                out.append(error("SAR-RESULT-MISSING", f"ตัวชี้วัด {row.label}: ยังไม่ได้รายงานผลรอบ {ctx.round} เดือน",
                                 f"indicator {row.label}: no result for the {ctx.round}-month round",
                                 sheet=sheet, cell=f"{cells[0]}{row.row}", indicator=row.indicator.id))
    return out


@rule(SAR)
def find_missing_evidence(ctx: AuditContext) -> list:
    out = []
    sheet = round_sheet(ctx.round)
    if sheet not in ctx.data.sheetnames or sheet in ctx.broken_sheets:
        return out
    for row in ctx.layout.rows:
        if row.is_part or Col.EVIDENCE not in input_columns(row, ctx.round):
            continue
        ind = ctx.agreement.find(row.indicator.id)
        reported = ctx.round in ind.result or (ind.kind == WEIGHTED and any(ctx.round in p.result for p in ind.parts))
        if reported and _is_blank(ctx.data.get(sheet, row.cell(Col.EVIDENCE))):
            out.append(warning("SAR-EVIDENCE-MISSING", f"ตัวชี้วัด {row.label}: รายงานผลแล้วแต่ไม่มีหลักฐานอ้างอิง",
                               f"indicator {row.label}: a result is reported without evidence",
                               sheet=sheet, cell=row.cell(Col.EVIDENCE), indicator=row.indicator.id))
    return out


def _same(stored, recomputed) -> bool:
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
        for d, r in ctx.layout.dimension_rows.items():
            outputs.append((sheet, f"{Col.WEIGHTED}{r}", result.dimensions[str(d)], f"dim {d}"))
        outputs.append((sheet, f"{Col.WEIGHTED}{ctx.layout.total_row}", result.total, "total"))
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


@rule(SAR)
def find_agreement_changed(ctx: AuditContext) -> list:
    """Weights and criteria in the sheets must be the signed agreement's (with approved changes)."""
    out = []
    signed_ids = [i.id for i in ctx.signed.walk()]
    shown_ids = [i.id for i in ctx.generated.walk()]
    if signed_ids != shown_ids:
        added = [i for i in shown_ids if i not in signed_ids]
        removed = [i for i in signed_ids if i not in shown_ids]
        return [error("SAR-AGREEMENT-CHANGED",
                      f"ตัวชี้วัดไม่ตรงกับคำรับรองที่ลงนาม (เพิ่ม {added or '–'}, หาย {removed or '–'})",
                      f"the indicators differ from the signed agreement (added {added or '–'}, missing {removed or '–'})",
                      sheet=COVER_SHEET)]
    signed_by_id = {i.id: i for i in ctx.signed.walk()}
    for round_, sheet in _round_sheets(ctx):
        for row in ctx.layout.rows:
            signed = signed_by_id[row.indicator.id]
            target = signed.parts[row.part] if row.is_part and row.part < len(signed.parts) else signed
            checks = [(Col.WEIGHT, target.weight, "น้ำหนัก", "weight")]
            thresholds = (target.thresholds if row.is_part else signed.composite_thresholds if signed.kind == WEIGHTED
                          else signed.thresholds if signed.kind == THRESHOLD and row.applicable and not signed.granted else [])
            for column, value in zip(Col.CRITERIA, thresholds):
                checks.append((column, value, f"เกณฑ์ระดับ {Col.CRITERIA.index(column) + 1}",
                               f"level {Col.CRITERIA.index(column) + 1} threshold"))
            for column, expected, th, en in checks:
                shown = ctx.data.get(sheet, f"{column}{row.row}")
                shown_number = None if shown in (None, "", "–") else shown
                if expected is None and shown_number is None:
                    continue
                if not isinstance(shown_number, (int, float)) or expected is None or abs(shown_number - expected) > 1e-9:
                    out.append(error("SAR-AGREEMENT-CHANGED",
                                     f"ตัวชี้วัด {row.label}: {th} {_fmt(shown)} ไม่ตรงกับคำรับรองที่ลงนาม ({_fmt(expected)})",
                                     f"indicator {row.label}: {en} {_fmt(shown)} differs from the signed agreement ({_fmt(expected)})",
                                     sheet=sheet, cell=f"{column}{row.row}", indicator=row.indicator.id))
    return out
