"""One test per audit code (DOMAIN §9): a minimal trigger, found at its sheet and cell, and the
clean workbook it was made from, which does not have it.

The workbooks are generated once and read with the audit's own reader; each test changes one
thing in a copy of what was read (the cells the audit sees).  The calculated SAR Card holds
the engine's scores as its stored values (the corpus tests do the same with LibreOffice).
"""
from __future__ import annotations

import copy
import random

import pytest

from xlkpi.audit import audit_data
from xlkpi.audit.reader import read_workbook_data
from xlkpi.audit.rules import threshold_problems
from xlkpi.bench import good_agreement
from xlkpi.engine import score_agreement
from xlkpi.model import GROUP, MILESTONE, ROUNDS, THRESHOLD, WEIGHTED
from xlkpi.sample import DEPARTMENTS, sample_ministry
from xlkpi.workbook.layout import (
    BASELINE_COLUMNS,
    BASELINE_ROW,
    COVER_SHEET,
    CRITERIA_ROW,
    PART_WEIGHT_COL,
    TEMPLATE_CRITERIA_COLUMNS,
    Col,
    round_sheet,
    sar_layout,
    template_field_cell,
    template_milestone_cell,
    template_sheet,
)
from xlkpi.workbook.sar import write_sar
from xlkpi.workbook.template import write_template

ROUND = 12
SHEET = round_sheet(ROUND)
FIRST_CRITERIA = CRITERIA_ROW + 1


# --- fixtures -------------------------------------------------------------------------

def _calculated(data, agreement):
    """The workbook as a spreadsheet would have saved it: every score stored."""
    layout = sar_layout(agreement)
    data = copy.deepcopy(data)
    for round_ in ROUNDS:
        sheet, score = round_sheet(round_), score_agreement(agreement, round_)
        stored = {}
        for s in score.indicators:
            row = layout.indicator_row(s.id)
            stored[row.cell(Col.SCORE)], stored[row.cell(Col.WEIGHTED)] = s.score, s.weighted
        for dimension, r in layout.dimension_rows.items():
            stored[f"{Col.WEIGHTED}{r}"] = score.dimensions[str(dimension)]
        stored[f"{Col.WEIGHTED}{layout.total_row}"] = score.total
        data.values.update({(sheet, cell): v for cell, v in stored.items() if v not in (None, "")})
    return data


@pytest.fixture(scope="module")
def sar(tmp_path_factory):
    agreement = good_agreement(random.Random(11), 12)
    path = write_sar(agreement, tmp_path_factory.mktemp("rules") / "sar.xlsx")
    raw, findings = read_workbook_data(path)
    assert raw is not None and not findings
    layout = sar_layout(agreement)
    row = next(r for r in layout.rows if not r.is_part and r.indicator.kind == THRESHOLD
               and r.indicator.applicable and not r.indicator.granted)
    return {"agreement": agreement, "raw": raw, "data": _calculated(raw, agreement), "layout": layout, "row": row}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    agreement = next(a for d, a in zip(DEPARTMENTS, sample_ministry()) if d.slug == "pbri")
    path = write_template(agreement, tmp_path_factory.mktemp("rules") / "template.xlsx")
    data, findings = read_workbook_data(path)
    assert data is not None and not findings
    return {"agreement": agreement, "data": data, "path": path}


def sar_copy(sar):
    return copy.deepcopy(sar["data"])


def found(result, code) -> set:
    return {(f.sheet, f.cell) for f in result.findings if f.code == code}


def audit(data, signed=None):
    return audit_data(data, signed, ROUND)


def test_clean_sar_has_no_findings(sar):
    result = audit(sar_copy(sar))
    assert result.kind == "sar" and result.findings == []
    assert result.total_recomputed == pytest.approx(result.total_stored)


def test_clean_template_has_no_errors(template):
    result = audit(copy.deepcopy(template["data"]))
    assert result.kind == "template" and [f for f in result.findings if f.is_error] == []


def check(clean, changed, code, where):
    """`code` at `where` after the change, and not in the clean workbook."""
    assert where not in found(clean, code)
    assert where in found(changed, code), [str(f) for f in changed.findings]


# --- SAR Card -------------------------------------------------------------------------

def test_sar_result_missing(sar):
    data, r = sar_copy(sar), sar["row"].row
    del data.values[(SHEET, f"{Col.RESULT}{r}")]
    check(audit(sar_copy(sar)), audit(data), "SAR-RESULT-MISSING", (SHEET, f"{Col.RESULT}{r}"))


def test_sar_evidence_missing(sar):
    data, r = sar_copy(sar), sar["row"].row
    del data.values[(SHEET, f"{Col.EVIDENCE}{r}")]
    result = audit(data)
    check(audit(sar_copy(sar)), result, "SAR-EVIDENCE-MISSING", (SHEET, f"{Col.EVIDENCE}{r}"))
    assert not any(f.is_error for f in result.findings if f.code == "SAR-EVIDENCE-MISSING")


def test_sar_stored_differs(sar):
    data, cell = sar_copy(sar), f"{Col.SCORE}{sar['row'].row}"
    data.values[(SHEET, cell)] = data.values[(SHEET, cell)] + 0.5 if data.values[(SHEET, cell)] < 4 else 1
    check(audit(sar_copy(sar)), audit(data), "SAR-STORED-DIFFERS", (SHEET, cell))


def test_sar_stored_total_differs(sar):
    data, cell = sar_copy(sar), f"{Col.WEIGHTED}{sar['layout'].total_row}"
    data.values[(SHEET, cell)] += 0.0001  # one unit in the last decimal shown
    check(audit(sar_copy(sar)), audit(data), "SAR-STORED-DIFFERS", (SHEET, cell))


def test_sar_formula_replaced(sar):
    data, cell = sar_copy(sar), f"{Col.SCORE}{sar['row'].row}"
    del data.formulas[(SHEET, cell)]  # the constant (its old value) stays
    check(audit(sar_copy(sar)), audit(data), "SAR-FORMULA-REPLACED", (SHEET, cell))


def test_sar_formula_changed(sar):
    data, cell = sar_copy(sar), f"{Col.WEIGHTED}{sar['row'].row}"
    data.formulas[(SHEET, cell)] = data.formulas[(SHEET, cell)].replace("/100", "/50")
    check(audit(sar_copy(sar)), audit(data), "SAR-FORMULA-CHANGED", (SHEET, cell))


def test_sar_agreement_changed_against_the_signed_agreement(sar):
    row = sar["row"]
    signed = copy.deepcopy(sar["agreement"])
    signed.find(row.indicator.id).weight += 1
    cell = (SHEET, f"{Col.WEIGHT}{row.row}")
    check(audit(sar_copy(sar), sar["agreement"]), audit(sar_copy(sar), signed), "SAR-AGREEMENT-CHANGED", cell)


def test_sar_threshold_changed_in_the_sheet(sar):
    data, cell = sar_copy(sar), f"{Col.CRITERIA[0]}{sar['row'].row}"
    data.values[(SHEET, cell)] = -999
    check(audit(sar_copy(sar)), audit(data), "SAR-AGREEMENT-CHANGED", (SHEET, cell))


def test_sar_result_not_a_number(sar):
    data, cell = sar_copy(sar), f"{Col.RESULT}{sar['row'].row}"
    data.values[(SHEET, cell)] = "ประมาณ 80"
    check(audit(sar_copy(sar)), audit(data), "SAR-RESULT-NOT-NUMBER", (SHEET, cell))


# --- both kinds -------------------------------------------------------------------------

def test_wb_protection_removed(sar):
    data = sar_copy(sar)
    data.protected[SHEET] = False
    check(audit(sar_copy(sar)), audit(data), "WB-PROTECTION-REMOVED", (SHEET, ""))


def test_wb_structure_protection_removed(sar):
    data = sar_copy(sar)
    data.structure_locked = False
    check(audit(sar_copy(sar)), audit(data), "WB-PROTECTION-REMOVED", ("", "workbook"))


def test_wb_sheet_deleted(sar):
    data, gone = sar_copy(sar), round_sheet(6)
    data.sheetnames.remove(gone)
    check(audit(sar_copy(sar)), audit(data), "WB-SHEET-DELETED", (gone, ""))


def test_wb_sheet_inserted(sar):
    data = sar_copy(sar)
    data.sheetnames.insert(1, "แผ่นงานใหม่")
    check(audit(sar_copy(sar)), audit(data), "WB-SHEET-INSERTED", ("แผ่นงานใหม่", ""))


def test_wb_rows_changed_when_a_row_is_inserted(sar):
    data, second = sar_copy(sar), sar["layout"].rows[1].row

    def shifted(cells):
        out = {}
        for (sheet, ref), value in cells.items():
            column, number = ref.rstrip("0123456789"), int(ref[len(ref.rstrip("0123456789")):])
            out[(sheet, f"{column}{number + 1}" if sheet == SHEET and number >= second else ref)] = value
        return out

    data.values, data.formulas = shifted(data.values), shifted(data.formulas)
    data.max_row[SHEET] += 1
    check(audit(sar_copy(sar)), audit(data), "WB-ROWS-CHANGED", (SHEET, f"{Col.ID}{second}"))


def test_wb_rows_changed_when_a_row_is_added_below(sar):
    data = sar_copy(sar)
    data.max_row[SHEET] += 2
    data.values[(SHEET, f"A{data.max_row[SHEET]}")] = "แถวเพิ่ม"
    check(audit(sar_copy(sar)), audit(data), "WB-ROWS-CHANGED", (SHEET, f"A{data.max_row[SHEET]}"))


def test_wb_not_calculated(sar):
    result = audit(copy.deepcopy(sar["raw"]))  # as generated: formulas, no stored values
    assert "WB-NOT-CALCULATED" in {f.code for f in result.findings}
    assert "SAR-STORED-DIFFERS" not in {f.code for f in result.findings}
    assert "WB-NOT-CALCULATED" not in {f.code for f in audit(sar_copy(sar)).findings}


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-cmd", "@SUM(A1)", "  =1+1"])
def test_wb_formula_injection_in_a_sar_explanation(sar, text):
    data, cell = sar_copy(sar), f"{Col.EXPLANATION}{sar['row'].row}"
    data.values[(SHEET, cell)] = text
    check(audit(sar_copy(sar)), audit(data), "WB-FORMULA-INJECTION", (SHEET, cell))


def test_wb_formula_injection_in_a_template_field(template):
    data = copy.deepcopy(template["data"])
    ind = next(i for i in template["agreement"].walk() if i.kind == THRESHOLD and i.applicable)
    where = (template_sheet(ind.id), template_field_cell("definition"))
    data.values[where] = "=cmd|'/c calc'!A1"
    check(audit(copy.deepcopy(template["data"])), audit(data), "WB-FORMULA-INJECTION", where)


# --- KPI Template -------------------------------------------------------------------------

def _threshold_indicator(template, baseline: bool = False):
    """A threshold indicator with five evenly spaced thresholds (and a baseline when asked)."""
    for ind in template["agreement"].walk():
        if (ind.kind == THRESHOLD and ind.applicable and not ind.granted and None not in ind.thresholds
                and not threshold_problems(ind.thresholds, ind.direction) and (ind.baseline or not baseline)):
            return ind
    raise AssertionError("no such indicator")


def _template_check(template, change, code, where):
    data = copy.deepcopy(template["data"])
    change(data)
    check(audit(copy.deepcopy(template["data"])), audit(data), code, where)


def _criteria(ind):
    sheet = template_sheet(ind.id)
    return sheet, [(sheet, f"{c}{FIRST_CRITERIA}") for c in TEMPLATE_CRITERIA_COLUMNS]


def test_tpl_required_blank(template):
    ind = _threshold_indicator(template)
    where = (template_sheet(ind.id), template_field_cell("owner.phone"))
    _template_check(template, lambda d: d.values.pop(where), "TPL-REQUIRED-BLANK", where)


def test_tpl_required_blank_whitespace_only(template):
    ind = _threshold_indicator(template)
    where = (template_sheet(ind.id), template_field_cell("data_source"))
    _template_check(template, lambda d: d.values.__setitem__(where, "   "), "TPL-REQUIRED-BLANK", where)


def test_tpl_threshold_order(template):
    ind = _threshold_indicator(template)
    _sheet, cells = _criteria(ind)
    t = ind.thresholds
    _template_check(template, lambda d: d.values.__setitem__(cells[1], t[4] + (t[4] - t[0])),
                    "TPL-THRESHOLD-ORDER", cells[0])


def test_tpl_threshold_ends(template):
    ind = _threshold_indicator(template)
    _sheet, cells = _criteria(ind)
    _template_check(template, lambda d: d.values.__setitem__(cells[4], "–"), "TPL-THRESHOLD-ENDS", cells[0])


def test_tpl_direction(template):
    ind = _threshold_indicator(template)
    _sheet, cells = _criteria(ind)

    def reverse(d):
        for cell, value in zip(cells, reversed(ind.thresholds)):
            d.values[cell] = value

    _template_check(template, reverse, "TPL-DIRECTION", cells[0])


def test_tpl_uneven_steps(template):
    ind = _threshold_indicator(template)
    _sheet, cells = _criteria(ind)
    t = ind.thresholds
    data = copy.deepcopy(template["data"])
    data.values[cells[2]] = t[2] + (t[3] - t[2]) / 4
    result = audit(data)
    check(audit(copy.deepcopy(template["data"])), result, "TPL-UNEVEN-STEPS", cells[0])
    assert all(not f.is_error for f in result.findings if f.code == "TPL-UNEVEN-STEPS")


def test_tpl_target_easier_than_last_year(template):
    ind = _threshold_indicator(template, baseline=True)
    sheet = template_sheet(ind.id)
    data = copy.deepcopy(template["data"])
    last = max(ind.baseline)
    column = next(c for c in BASELINE_COLUMNS if data.values.get((sheet, f"{c}{BASELINE_ROW}")) == last)
    step = abs(ind.thresholds[3] - ind.thresholds[2])
    data.values[(sheet, f"{column}{BASELINE_ROW + 1}")] = ind.thresholds[2] + (step if ind.direction == "up" else -step)
    check(audit(copy.deepcopy(template["data"])), audit(data), "TPL-TARGET-EASIER",
          (sheet, f"{TEMPLATE_CRITERIA_COLUMNS[2]}{FIRST_CRITERIA}"))


def test_tpl_milestone_text(template):
    ind = next(i for i in template["agreement"].walk() if i.kind == MILESTONE and i.applicable)
    where = (template_sheet(ind.id), template_milestone_cell(2))  # one row per level (seed 004)
    _template_check(template, lambda d: d.values.pop(where), "TPL-MILESTONE-TEXT", where)


def test_tpl_weight_total(template):
    top = template["agreement"].indicators[0]
    where = (template_sheet(top.id), template_field_cell("weight"))
    _template_check(template, lambda d: d.values.__setitem__(where, top.weight + 1), "TPL-WEIGHT-TOTAL", (COVER_SHEET, ""))


def test_tpl_weight_children(template):
    parent = next(i for i in template["agreement"].walk() if i.kind == GROUP and i.applicable)
    child = parent.children[0]
    where = (template_sheet(child.id), template_field_cell("weight"))
    _template_check(template, lambda d: d.values.__setitem__(where, child.weight + 1), "TPL-WEIGHT-CHILDREN",
                    (template_sheet(parent.id), template_field_cell("weight")))


def test_tpl_weight_parts(template):
    ind = next(i for i in template["agreement"].walk() if i.kind == WEIGHTED and i.applicable and i.parts)
    where = (template_sheet(ind.id), f"{PART_WEIGHT_COL}{FIRST_CRITERIA}")
    _template_check(template, lambda d: d.values.__setitem__(where, ind.parts[0].weight + 0.1), "TPL-WEIGHT-PARTS", where)


def test_template_change_saved_with_openpyxl_is_found(template, tmp_path):
    """The same trigger through a real file: a cell set with openpyxl and saved."""
    from openpyxl import load_workbook

    ind = _threshold_indicator(template)
    # a field the department fills (a blank locked field is TPL-AGREEMENT-BLANK, the secretariat's)
    sheet, cell = template_sheet(ind.id), template_field_cell("data_source")
    wb = load_workbook(template["path"])
    wb[sheet][cell].value = None
    wb.save(tmp_path / "blank-unit.xlsx")
    data, findings = read_workbook_data(tmp_path / "blank-unit.xlsx")
    assert not findings
    assert (sheet, cell) in found(audit(data), "TPL-REQUIRED-BLANK")


# --- DOMAIN §6.5a: results due only in the rounds an indicator reports in (issue 13) --------

def test_sar_result_missing_only_for_rounds_an_indicator_reports_in(tmp_path):
    """A 6-month audit is not a screen of SAR-RESULT-MISSING for annual (PMQA) indicators;
    a due result left blank still is one, and the not-due rows have no input and no formula."""
    from xlkpi.model import Agreement, Indicator

    annual = Indicator(id="15", name="PMQA", dimension=4, weight=40, thresholds=[60, 70, 80, 90, 100],
                       report_rounds=[12], result={12: 85}, evidence={12: "รายงาน"})
    quarterly = Indicator(id="3", name="งานหลัก", dimension=1, weight=60, thresholds=[60, 70, 80, 90, 100],
                          result={9: 80, 12: 90}, evidence={9: "ก", 12: "ข"})
    agreement = Agreement(2552, "กระทรวงทดสอบ", "กรมทดสอบ", indicators=[quarterly, annual])
    path = write_sar(agreement, tmp_path / "annual.xlsx")
    raw, findings = read_workbook_data(path)
    assert raw is not None and not findings
    data = _calculated(raw, agreement)
    layout = sar_layout(agreement)
    six = round_sheet(6)
    missing = {f.indicator: f.cell for f in audit_data(copy.deepcopy(data), None, 6).findings
               if f.code == "SAR-RESULT-MISSING"}
    assert missing == {"3": layout.indicator_row("3").cell(Col.RESULT)}  # 15 is not due at 6
    result_6 = audit_data(copy.deepcopy(data), None, 6)
    assert [f.code for f in result_6.findings if f.code != "SAR-RESULT-MISSING"] == []
    # the 6-month sheet shows 15 as not due, with no formula to tamper with
    assert "ไม่ต้องรายงาน" in str(raw.get(six, layout.indicator_row("15").cell(Col.RESULT)))
    assert raw.formula(six, layout.indicator_row("15").cell(Col.SCORE)) is None
    # the missing 6-month result of 3 scores the floor: 60 × 1 / 100 = 0.6, on 60 of 100
    score_6 = score_agreement(agreement, 6)
    assert (score_6.total, score_6.covered_weight) == (0.6, 60)
    assert result_6.total_recomputed == pytest.approx(0.6)
    # at 12 months both are due and reported: nothing missing
    assert not [f for f in audit_data(copy.deepcopy(data), None, 12).findings if f.code == "SAR-RESULT-MISSING"]
