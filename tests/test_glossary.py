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
    from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname

    from xlkpi.workbook.layout import column_index, column_letter, quoted

    assert all(column_letter(n) == get_column_letter(n) for n in range(1, 18279))  # A … XFD … ZZZ
    assert all(column_index(get_column_letter(n)) == n == column_index_from_string(get_column_letter(n))
               for n in range(1, 18279))
    for name in ["SAR 6 เดือน", "ปก", "it's", "Cover", "ตัวชี้วัด 15.1.1"]:
        assert quoted(name) == quote_sheetname(name)


def test_the_approvals_use_the_glossarys_stages_in_order():
    from xlkpi.cycle import approvals

    assert approvals.STAGES[approvals.FINAL] == ApprovalStage.values()
    assert approvals.STAGES[approvals.ROUND1] == ApprovalStage.values()[:4]  # round 1 ends when sent
    assert (approvals.ROUND1, approvals.FINAL) == ScoreRound.values()


# -- one home per label: no module keeps its own Thai label table for a glossary concept -----------

import ast  # noqa: E402
import inspect  # noqa: E402
from pathlib import Path  # noqa: E402

from xlkpi import glossary  # noqa: E402

XLKPI = Path(glossary.__file__).parent
#: Another change is moving xlkpi/audit onto the glossary; it is scanned once that lands.
NOT_SCANNED = ()
#: Dicts keyed by a glossary concept whose Thai values are data, not labels of that concept.
NOT_LABELS = {("sample/data.py", "OWNER_OFFICES")}  # the sample's indicator owners' office per dimension
ENUMS = [obj for obj in vars(glossary).values()
         if inspect.isclass(obj) and issubclass(obj, Term) and obj is not Term]


def _constants(trees) -> dict:
    """NAME -> the strings a module-level `NAME = "..."` (or `NAME = Enum.MEMBER.value`) binds anywhere."""
    out: dict = {}
    for tree in trees:
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                value = _literal(node.value, {})
                if value is not None:
                    out.setdefault(node.targets[0].id, set()).add(value)
    return out


def _literal(node, constants):
    """The coded word a dict key stands for: a literal, a known constant, or a glossary member."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int)) and not isinstance(node.value, bool):
        return str(node.value)
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.Attribute):
        chain = node.value.attr if node.attr == "value" and isinstance(node.value, ast.Attribute) else node.attr
        base = node.value.value if node.attr == "value" and isinstance(node.value, ast.Attribute) else node.value
        enum = getattr(glossary, base.id, None) if isinstance(base, ast.Name) else None
        if inspect.isclass(enum) and issubclass(enum, Term) and chain in enum.__members__:
            return enum[chain].value
    return None


def _has_thai(node) -> bool:
    return any(isinstance(n, ast.Constant) and isinstance(n.value, str) and THAI.search(n.value)
               for n in ast.walk(node))


def label_tables(sources: dict) -> list:
    """(file, name, enum) for every dict literal keyed by a glossary enum's values with Thai values
    (name: what the dict is assigned to, "" if nothing)."""
    trees = {name: ast.parse(text) for name, text in sources.items()}
    constants = _constants(trees.values())
    found = []
    for name, tree in trees.items():
        assigned = {id(n.value): n.targets[0].id for n in ast.walk(tree)
                    if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Dict) or len(node.keys) < 2 or None in node.keys:
                continue
            if not any(_has_thai(v) for v in node.values):
                continue
            keys = []
            for key in node.keys:
                value = _literal(key, {})
                keys.append({value} if value is not None else constants.get(getattr(key, "id", None), set()))
            for enum in ENUMS:
                values = set(enum.values())
                if all(k & values for k in keys) and (name, assigned.get(id(node), "")) not in NOT_LABELS:
                    found.append((name, assigned.get(id(node), ""), enum.__name__))
    return found


def _sources() -> dict:
    return {str(p.relative_to(XLKPI)): p.read_text(encoding="utf-8") for p in sorted(XLKPI.rglob("*.py"))
            if p.name != "glossary.py" and p.relative_to(XLKPI).parts[0] not in NOT_SCANNED}


def test_the_scan_finds_a_label_table_however_its_keys_are_written():
    sources = {
        "a.py": 'ADDED = "added"\nREMOVED = "removed"\nT = {ADDED: "เพิ่ม (added)", REMOVED: "ตัดออก"}\n',
        "b.py": 'T = {1: ("มิติที่ 1", "d1"), 2: ("มิติที่ 2", "d2")}\n',
        "c.py": 'T = {Status.OK: "ผ่าน", Status.ERRORS.value: "มีข้อผิดพลาด"}\n',
        "d.py": 'from a import ADDED, REMOVED\nT = {ADDED: "+", REMOVED: "-"}\n'  # no Thai: not a label table
                'U = {"sar_6": "รอบ 6 เดือน", "sar_9": "รอบ 9 เดือน"}\n',  # not a glossary concept
    }
    assert set(label_tables(sources)) == {("a.py", "T", "ChangeKind"), ("b.py", "T", "Dimension"),
                                          ("c.py", "T", "Status")}


def test_no_module_outside_the_glossary_keeps_a_thai_label_table():
    sources = _sources()
    assert len(sources) > 50 and "cycle/changes.py" in sources and "excel/report.py" in sources
    assert label_tables(sources) == []


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_glossary_enum_is_used_outside_the_glossary(enum):
    users = [name for name, text in _sources().items()
             if any(isinstance(n, ast.Name) and n.id == enum.__name__ for n in ast.walk(ast.parse(text)))]
    assert users, f"{enum.__name__} is defined but no module asks it for labels or values"
