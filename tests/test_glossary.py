"""One vocabulary: the glossary's file values are the ones the model, the loader, the workbooks
and the audit use, and every term has a Thai and an English label."""
import re

import pytest
import yaml

from xlkpi import findings, model
from xlkpi.agreement import load
from xlkpi.audit import STATUS_ERRORS, STATUS_OK, STATUS_UNREADABLE, STATUS_WARNINGS
from xlkpi.glossary import (ApprovalStage, DepartmentType, Dimension, Direction, IndicatorKind, ScoreRound,
                            Severity, Status, Term, WorkbookKind)
from xlkpi.sample import write_sample
from xlkpi.workbook.layout import KIND_SAR, KIND_TEMPLATE

TERMS = [Direction, IndicatorKind, DepartmentType, WorkbookKind, Status, Severity, Dimension, ApprovalStage,
         ScoreRound]
THAI = re.compile("[\u0e00-\u0e7f]")


@pytest.mark.parametrize("enum", TERMS)
def test_every_term_has_a_file_value_and_thai_and_english_labels(enum):
    assert issubclass(enum, Term) and len(set(enum.values())) == len(enum)
    for member in enum:
        assert member == member.value and str(member) == member.value
        assert THAI.search(member.th) and member.en and not THAI.search(member.en)
        assert member.both == f"{member.th} ({member.en})"
        assert enum.label(member.value) == member.both and enum.th_en(member.value) == (member.th, member.en)
    assert enum.label("no-such-value") == "no-such-value" and enum.label(None) == "–"


def test_the_other_modules_use_the_glossarys_values():
    assert model.KINDS == IndicatorKind.values() == ("threshold", "milestone", "weighted", "group")
    assert (model.UP, model.DOWN) == Direction.values()
    assert model.DEPARTMENT_TYPES == DepartmentType.values()
    assert (findings.ERROR, findings.WARNING) == Severity.values()
    assert {KIND_TEMPLATE, KIND_SAR} == set(WorkbookKind.values())
    assert {STATUS_OK, STATUS_WARNINGS, STATUS_ERRORS, STATUS_UNREADABLE} == set(Status.values())
    assert Dimension.values() == tuple(str(d) for d in model.DIMENSIONS)
    assert Dimension.label(1) == Dimension.label("1")  # numbers in agreements, strings in scores


@pytest.mark.parametrize("department_type", [*DepartmentType.values(), "ministry_itself"])
def test_the_loader_accepts_exactly_the_glossarys_department_types(tmp_path, department_type):
    path = write_sample(tmp_path)[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["department_type"] = department_type
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    agreement, found = load(path)
    bad = [f for f in found if f.cell == "department_type"]
    if department_type in DepartmentType.values():
        assert agreement.department_type == department_type and not bad
    else:
        assert bad and all(t in bad[0].message_en for t in DepartmentType.values())


def test_the_a1_and_sheet_name_helpers_are_openpyxls():
    from openpyxl.utils import get_column_letter, quote_sheetname

    from xlkpi.workbook.layout import column_letter, quoted

    assert all(column_letter(n) == get_column_letter(n) for n in range(1, 18279))  # A … XFD … ZZZ
    for name in ["SAR 6 เดือน", "ปก", "it's", "Cover", "ตัวชี้วัด 15.1.1"]:
        assert quoted(name) == quote_sheetname(name)


def test_the_approvals_use_the_glossarys_stages_in_order():
    from xlkpi.cycle import approvals

    assert approvals.STAGES[approvals.FINAL] == ApprovalStage.values()
    assert approvals.STAGES[approvals.ROUND1] == ApprovalStage.values()[:4]  # round 1 ends when sent
    assert (approvals.ROUND1, approvals.FINAL) == ScoreRound.values()
