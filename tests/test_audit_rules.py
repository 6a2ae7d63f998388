"""One test per content rule (DOMAIN §9), and the cell-level whitelist over values.

The workbooks are generated once and read with the audit's own reader; each test changes one
thing in a copy of what was read (the cells the audit sees) and audits it against the signed
agreement, through `audit_data` (the path a live Excel book takes: values, and formulas when
the book gives them).  The calculated SAR Card holds the engine's scores as its stored values
(the corpus tests do the same with LibreOffice).  A content rule about the agreement itself
(thresholds, weights, milestones) is triggered by the agreement: a template generated from a
changed agreement and audited against it; the same change made in the workbook only is
tampering, an error of the whitelist at the cell.  File-level checks (formats, protection,
names, the package) are in test_audit_whitelist.py.
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
    META_SHEET,
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
            if s.composite is not None:  # what the result cell of a weighted indicator shows
                stored[row.cell(Col.RESULT)] = s.composite
            for n, part_score in enumerate(s.part_scores):
                stored[layout.part_row(s.id, n).cell(Col.SCORE)] = part_score
            met = row.indicator.result.get(round_) if row.indicator.kind == MILESTONE else None
            if met:  # a milestone row's result cell: how many milestones in a row are met
                stored[row.cell(Col.RESULT)] = (met + [False]).index(False)
        for dimension, r in layout.dimension_rows.items():
            stored[f"{Col.WEIGHTED}{r}"] = score.dimensions[str(dimension)]
        stored[f"{Col.WEIGHTED}{layout.total_row}"] = score.total
        data.values.update({(sheet, cell): v for cell, v in stored.items() if v not in (None, "")})
        for (cover, cell), formula in data.formulas.items():  # the cover shows each round's total
            if cover == COVER_SHEET and formula.replace("$", "").endswith(f"{sheet}'!{Col.WEIGHTED}{layout.total_row}"):
                data.values[(cover, cell)] = score.total
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
    _SIGNED[str(path)] = agreement
    return {"agreement": agreement, "raw": raw, "data": _calculated(raw, agreement), "layout": layout, "row": row}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    agreement = next(a for d, a in zip(DEPARTMENTS, sample_ministry()) if d.slug == "pbri")
    path = write_template(agreement, tmp_path_factory.mktemp("rules") / "template.xlsx")
    data, findings = read_workbook_data(path)
    assert data is not None and not findings
    _SIGNED[str(path)] = agreement
    return {"agreement": agreement, "data": data, "path": path}


def sar_copy(sar):
    return copy.deepcopy(sar["data"])


def found(result, code) -> set:
    return {(f.sheet, f.cell) for f in result.findings if f.code == code}


_SIGNED: dict = {}


def audit(data, signed=None):
    """Audit against the signed agreement the workbook was generated from (or `signed`)."""
    return audit_data(data, signed if signed is not None else _SIGNED.get(data.file), ROUND)


def test_clean_sar_has_no_findings(sar):
    result = audit(sar_copy(sar))
    assert result.kind == "sar" and result.baseline == "agreement" and result.findings == []
    assert result.total_recomputed == pytest.approx(result.total_stored)


def test_clean_template_has_no_errors(template):
    result = audit(copy.deepcopy(template["data"]))
    assert result.kind == "template" and [f for f in result.findings if f.is_error] == []


def test_without_a_signed_agreement_the_baseline_is_unverified_and_never_ok(sar):
    result = audit_data(sar_copy(sar), None, ROUND)
    assert result.baseline == "unverified" and result.status == "warnings"
    assert [f.code for f in result.findings] == ["WB-BASELINE-UNVERIFIED"]


def test_a_workbook_matching_no_signed_agreement_is_an_error_not_a_fallback(sar):
    other = copy.deepcopy(sar["agreement"])
    other.department, other.department_code = "กรมอื่น", "OTHER"
    result = audit_data(sar_copy(sar), other, ROUND)
    assert result.baseline == "unverified" and result.status == "errors"
    assert "WB-NO-SIGNED-AGREEMENT" in {f.code for f in result.findings}


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
    check(audit(sar_copy(sar)), audit(data), "WB-FORMULA-REPLACED", (SHEET, cell))


def test_sar_formula_changed(sar):
    data, cell = sar_copy(sar), f"{Col.WEIGHTED}{sar['row'].row}"
    data.formulas[(SHEET, cell)] = data.formulas[(SHEET, cell)].replace("/100", "/50")
    check(audit(sar_copy(sar)), audit(data), "WB-FORMULA-CHANGED", (SHEET, cell))


def test_sar_agreement_changed_against_the_signed_agreement(sar):
    row = sar["row"]
    signed = copy.deepcopy(sar["agreement"])
    signed.find(row.indicator.id).weight += 1
    cell = (SHEET, f"{Col.WEIGHT}{row.row}")
    check(audit(sar_copy(sar), sar["agreement"]), audit(sar_copy(sar), signed), "WB-CELL-CHANGED", cell)


def test_sar_threshold_changed_in_the_sheet(sar):
    data, cell = sar_copy(sar), f"{Col.CRITERIA[0]}{sar['row'].row}"
    data.values[(SHEET, cell)] = -999
    changed = audit(data)
    check(audit(sar_copy(sar)), changed, "WB-CELL-CHANGED", (SHEET, cell))
    # the score is recomputed from the signed threshold, not from the one in the sheet
    assert changed.total_recomputed == audit(sar_copy(sar)).total_recomputed


def test_sar_result_not_a_number(sar):
    data, cell = sar_copy(sar), f"{Col.RESULT}{sar['row'].row}"
    data.values[(SHEET, cell)] = "ประมาณ 80"
    check(audit(sar_copy(sar)), audit(data), "SAR-RESULT-NOT-NUMBER", (SHEET, cell))


# --- both kinds -------------------------------------------------------------------------

def test_wb_sheet_deleted(sar):
    data, gone = sar_copy(sar), round_sheet(6)
    data.sheetnames.remove(gone)
    check(audit(sar_copy(sar)), audit(data), "WB-SHEET-DELETED", (gone, ""))


def test_wb_sheet_inserted(sar):
    data = sar_copy(sar)
    data.sheetnames.insert(1, "แผ่นงานใหม่")
    check(audit(sar_copy(sar)), audit(data), "WB-SHEET-INSERTED", ("แผ่นงานใหม่", ""))


def test_a_row_inserted_moves_cells_away_from_the_generators(sar):
    data, second = sar_copy(sar), sar["layout"].rows[1].row

    def shifted(cells):
        out = {}
        for (sheet, ref), value in cells.items():
            column, number = ref.rstrip("0123456789"), int(ref[len(ref.rstrip("0123456789")):])
            out[(sheet, f"{column}{number + 1}" if sheet == SHEET and number >= second else ref)] = value
        return out

    data.values, data.formulas = shifted(data.values), shifted(data.formulas)
    data.max_row[SHEET] += 1
    check(audit(sar_copy(sar)), audit(data), "WB-CELL-CHANGED", (SHEET, f"{Col.ID}{second}"))


def test_a_value_below_the_table_is_found(sar):
    data = sar_copy(sar)
    cell = f"A{sar['layout'].total_row + 2}"
    data.values[(SHEET, cell)] = "แถวเพิ่ม"
    check(audit(sar_copy(sar)), audit(data), "WB-CELL-CHANGED", (SHEET, cell))


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 1e300])
def test_a_result_that_is_not_a_usable_number_is_an_error(sar, value):
    data, cell = sar_copy(sar), f"{Col.RESULT}{sar['row'].row}"
    data.values[(SHEET, cell)] = value
    check(audit(sar_copy(sar)), audit(data), "WB-INPUT-IMPLAUSIBLE", (SHEET, cell))


def test_a_milestone_cell_holds_exactly_met_or_not_met(sar):
    row = next(r for r in sar["layout"].rows if not r.is_part and r.indicator.kind == MILESTONE
               and r.applicable and not r.indicator.granted)
    data, cell = sar_copy(sar), f"{Col.CRITERIA[0]}{row.row}"
    data.values[(SHEET, cell)] = "ผ่าน "  # a trailing space: not the word the formula compares with
    check(audit(sar_copy(sar)), audit(data), "SAR-MILESTONE-VALUE", (SHEET, cell))


def test_a_formula_in_an_input_cell_is_an_error(sar):
    data, cell = sar_copy(sar), f"{Col.RESULT}{sar['row'].row}"
    data.formulas[(SHEET, cell)] = "=1000"
    check(audit(sar_copy(sar)), audit(data), "WB-INPUT-FORMULA", (SHEET, cell))


def test_the_hidden_copy_cannot_switch_the_rules_off(sar):
    """Edits to the hidden sheet (the kind, the agreement) are differences from the signed one."""
    data = sar_copy(sar)
    data.values[(META_SHEET, "B1")] = "other"
    result = audit(data)
    assert (META_SHEET, "B1") in found(result, "WB-CELL-CHANGED")
    assert result.kind == "sar" and "SAR-RESULT-MISSING" not in {f.code for f in result.findings}
    data = sar_copy(sar)
    del data.values[(sar["layout"].rows[0].row and SHEET, f"{Col.RESULT}{sar['row'].row}")]
    data.values[(META_SHEET, "B1")] = "template"
    assert (SHEET, f"{Col.RESULT}{sar['row'].row}") in found(audit(data), "SAR-RESULT-MISSING")


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


@pytest.mark.parametrize("text", ["\u200b=1+1", "\t@SUM(A1)", "x DDE(\"cmd\")", "cmd|' /C calc'!A0"])
def test_wb_formula_injection_hidden_behind_invisible_characters_or_dde(sar, text):
    data, cell = sar_copy(sar), f"{Col.EVIDENCE}{sar['row'].row}"
    data.values[(SHEET, cell)] = text
    check(audit(sar_copy(sar)), audit(data), "WB-FORMULA-INJECTION", (SHEET, cell))


# --- KPI Template -------------------------------------------------------------------------

def _threshold_indicator(template, baseline: bool = False):
    """A threshold indicator with five evenly spaced thresholds (and a baseline when asked)."""
    for ind in template["agreement"].walk():
        if (ind.kind == THRESHOLD and ind.applicable and not ind.granted and None not in ind.thresholds
                and not threshold_problems(ind.thresholds, ind.direction) and (ind.baseline or not baseline)):
            return ind
    raise AssertionError("no such indicator")


def _template_check(template, change, code, where):
    """`change` edits the workbook's input cells (what the department types)."""
    data = copy.deepcopy(template["data"])
    change(data)
    check(audit(copy.deepcopy(template["data"])), audit(data), code, where)


def _agreement_check(template, tmp_path, change, code, where):
    """`change` edits the agreement; its template, audited against it, has `code` at `where`."""
    agreement = copy.deepcopy(template["agreement"])
    change(agreement)
    path = write_template(agreement, tmp_path / "changed.xlsx")
    data, findings = read_workbook_data(path)
    assert not findings
    changed = audit(data, agreement)
    check(audit(copy.deepcopy(template["data"])), changed, code, where)
    assert not {f.code for f in changed.findings} & {"WB-CELL-CHANGED", "WB-FORMULA-CHANGED"}
    return changed


def _tampered_check(template, change, where):
    """The same change made in the workbook only: tampering, whatever the rule would say."""
    data = copy.deepcopy(template["data"])
    change(data)
    assert where in found(audit(data), "WB-CELL-CHANGED")


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


def _unusable_agreement(template, tmp_path, change):
    """A template generated from an agreement the agreement file itself rejects."""
    agreement = copy.deepcopy(template["agreement"])
    change(agreement)
    data, _ = read_workbook_data(write_template(agreement, tmp_path / "unusable.xlsx"))
    return audit_data(data, None, ROUND)


@pytest.mark.parametrize("change", [
    lambda t: t.__setitem__(1, t[4] + (t[4] - t[0])),  # out of order
    lambda t: t.__setitem__(4, None),  # level 5 blank
    lambda t: t.reverse(),  # against the direction
])
def test_thresholds_the_agreement_file_rejects_make_the_workbook_an_error(template, tmp_path, change):
    ind = _threshold_indicator(template)
    result = _unusable_agreement(template, tmp_path, lambda a: change(a.find(ind.id).thresholds))
    codes = {f.code for f in result.findings if f.is_error}
    assert codes & {"AGR-THRESHOLD-ORDER", "AGR-THRESHOLD-ENDS", "AGR-FIELD"}, codes
    assert result.status == "errors"
    _sheet, cells = _criteria(ind)
    _tampered_check(template, lambda d: d.values.__setitem__(cells[1], ind.thresholds[4] * 3), cells[1])


def test_tpl_uneven_steps(template, tmp_path):
    ind = _threshold_indicator(template)
    _sheet, cells = _criteria(ind)
    t = list(ind.thresholds)
    result = _agreement_check(template, tmp_path, lambda a: a.find(ind.id).thresholds.__setitem__(2, t[2] + (t[3] - t[2]) / 4),
                              "TPL-UNEVEN-STEPS", cells[0])
    assert all(not f.is_error for f in result.findings if f.code == "TPL-UNEVEN-STEPS")


def test_tpl_target_easier_than_last_year(template):
    ind = _threshold_indicator(template, baseline=True)
    sheet = template_sheet(ind.id)
    data = copy.deepcopy(template["data"])  # the baseline results are the department's inputs
    last = max(ind.baseline)
    column = next(c for c in BASELINE_COLUMNS if data.values.get((sheet, f"{c}{BASELINE_ROW}")) == last)
    step = abs(ind.thresholds[3] - ind.thresholds[2])
    data.values[(sheet, f"{column}{BASELINE_ROW + 1}")] = ind.thresholds[2] + (step if ind.direction == "up" else -step)
    check(audit(copy.deepcopy(template["data"])), audit(data), "TPL-TARGET-EASIER",
          (sheet, f"{TEMPLATE_CRITERIA_COLUMNS[2]}{FIRST_CRITERIA}"))


def test_tpl_milestone_text(template, tmp_path):
    ind = next(i for i in template["agreement"].walk() if i.kind == MILESTONE and i.applicable)
    where = (template_sheet(ind.id), template_milestone_cell(2))  # one row per level (seed 004)
    _agreement_check(template, tmp_path, lambda a: a.find(ind.id).milestones.__setitem__(1, ""),
                     "TPL-MILESTONE-TEXT", where)
    _tampered_check(template, lambda d: d.values.pop(where), where)


def test_tpl_weight_total(template, tmp_path):
    top = template["agreement"].indicators[0]
    where = (template_sheet(top.id), template_field_cell("weight"))

    def change(agreement):
        agreement.indicators[0].weight += 1

    _agreement_check(template, tmp_path, change, "TPL-WEIGHT-TOTAL", (COVER_SHEET, ""))
    _tampered_check(template, lambda d: d.values.__setitem__(where, top.weight + 1), where)


def test_tpl_weight_children(template, tmp_path):
    parent = next(i for i in template["agreement"].walk() if i.kind == GROUP and i.applicable)
    child = parent.children[0]

    def change(agreement):
        agreement.find(child.id).weight += 1
        agreement.indicators.append(copy.deepcopy(agreement.indicators[-1]))  # keep Σ = 100 out of it
        agreement.indicators.pop()

    _agreement_check(template, tmp_path, change, "TPL-WEIGHT-CHILDREN",
                     (template_sheet(parent.id), template_field_cell("weight")))


def test_tpl_weight_parts(template, tmp_path):
    ind = next(i for i in template["agreement"].walk() if i.kind == WEIGHTED and i.applicable and i.parts)
    where = (template_sheet(ind.id), f"{PART_WEIGHT_COL}{FIRST_CRITERIA}")
    _agreement_check(template, tmp_path, lambda a: setattr(a.find(ind.id).parts[0], "weight", ind.parts[0].weight + 0.1),
                     "TPL-WEIGHT-PARTS", where)


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
    missing = {f.indicator: f.cell for f in audit_data(copy.deepcopy(data), agreement, 6).findings
               if f.code == "SAR-RESULT-MISSING"}
    assert missing == {"3": layout.indicator_row("3").cell(Col.RESULT)}  # 15 is not due at 6
    result_6 = audit_data(copy.deepcopy(data), agreement, 6)
    assert [f.code for f in result_6.findings if f.code != "SAR-RESULT-MISSING"] == []
    # the 6-month sheet shows 15 as not due, with no formula to tamper with
    assert "ไม่ต้องรายงาน" in str(raw.get(six, layout.indicator_row("15").cell(Col.RESULT)))
    assert raw.formula(six, layout.indicator_row("15").cell(Col.SCORE)) is None
    # the missing 6-month result of 3 scores the floor: 60 × 1 / 100 = 0.6, on 60 of 100
    score_6 = score_agreement(agreement, 6)
    assert (score_6.total, score_6.covered_weight) == (0.6, 60)
    assert result_6.total_recomputed == pytest.approx(0.6)
    # at 12 months both are due and reported: nothing missing
    assert not [f for f in audit_data(copy.deepcopy(data), agreement, 12).findings if f.code == "SAR-RESULT-MISSING"]


def _numbers():
    from hypothesis import strategies as st

    return st.one_of(st.none(), st.booleans(), st.text(max_size=3), st.integers(-10**6, 10**6),
                     st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -0.0, 1.0, 2.5, 1e-5, 3.00004]))


def test_stored_values_compare_as_same_value_says():
    """The rule comparing stored with recomputed values takes a shortcut for equal numbers:
    it must answer exactly as `verify.same_value` does, for any pair."""
    from hypothesis import example, given

    from xlkpi.audit.rules import _same
    from xlkpi.verify import same_value

    @given(_numbers(), _numbers())
    @example(float("inf"), float("inf"))
    @example(float("nan"), float("nan"))
    @example(2, 2.0)
    @example(0, -0.0)
    @example(-0.0, 0.0)
    @example(True, 1.0)
    def check(stored, recomputed):
        if isinstance(recomputed, (str, bool)):
            return  # the engine computes numbers or nothing
        assert _same(stored, recomputed) == same_value(recomputed, stored)
        assert _same(recomputed, recomputed) == same_value(recomputed, recomputed)

    check()
