"""The SAR Card and KPI Template workbooks: protection, inputs, names, look, round trip.

The expected input cells, defined names and labels are worked out here from the agreement
and DOMAIN §7/§8 (which cells an officer types into), not taken from `layout.input_columns`
or `layout.row_names`; only the row order of the sheet (indicators depth first, a weighted
indicator's parts below it) is restated, and checked against the ids in column A.
"""
from __future__ import annotations

import copy
import random

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.protection import hash_password

from xlkpi.agreement import to_dict
from xlkpi.model import GROUP, MILESTONE, ROUNDS, THRESHOLD, WEIGHTED, Agreement, Contact, Indicator, Part
from xlkpi.sample import random_agreement
from xlkpi.workbook.readback import read_agreement
from xlkpi.workbook.sar import write_sar
from xlkpi.workbook.template import write_template

FONT = "TH Sarabun New"
INPUT_FILL = "FFF2CC"
FIRST_ROW = 6  # DOMAIN §8's table starts under the title, department line, policy and headings
MET, NOT_MET = "ผ่าน", "ไม่ผ่าน"
ROUND_SHEETS = {6: "SAR 6 เดือน", 9: "SAR 9 เดือน", 12: "SAR 12 เดือน"}
# The KPI Template fields a department fills in (DOMAIN §7), by their printed Thai label
TEMPLATE_INPUT_LABELS = {"คำอธิบาย", "ตารางและสูตรการคำนวณ / โดยที่", "แหล่งข้อมูล/วิธีการจัดเก็บข้อมูล",
                         "ผู้กำกับดูแลตัวชี้วัด", "โทรศัพท์ (ผู้กำกับดูแล)", "ผู้จัดเก็บข้อมูล",
                         "โทรศัพท์ (ผู้จัดเก็บข้อมูล)", "เหตุผล", "เงื่อนไข", "แนวทางการประเมินผล",
                         "1. ประเมินผลจากข้อมูล เอกสาร หลักฐานต่าง ๆ", "หน่วยงานผู้รับผิดชอบหลัก"}


def generated(seed: int, leaves: int = 40) -> Agreement:
    return random_agreement(random.Random(seed), leaves=leaves, rounds=(6, 9, 12))


@pytest.fixture(scope="module")
def agreement() -> Agreement:
    return generated(7, 40)


@pytest.fixture(scope="module")
def sar_path(agreement, tmp_path_factory):
    return write_sar(agreement, tmp_path_factory.mktemp("sar") / "sar.xlsx")


@pytest.fixture(scope="module")
def template_path(agreement, tmp_path_factory):
    return write_template(agreement, tmp_path_factory.mktemp("tpl") / "template.xlsx")


# --- the rows of a round sheet, restated from DOMAIN §8 ---------------------------------

def expected_rows(agreement: Agreement) -> list:
    """(label, indicator, part index or None, under a not-applicable group) in sheet order."""
    rows = []

    def visit(indicator: Indicator, covered: bool) -> None:
        rows.append((indicator.id, indicator, None, covered))
        for n, _ in enumerate(indicator.parts if indicator.kind == WEIGHTED else []):
            rows.append((f"{indicator.id} ({n + 1})", indicator, n, covered))
        for child in indicator.children:
            visit(child, covered or not indicator.applicable)

    for top in agreement.indicators:
        visit(top, False)
    return rows


def expected_inputs(agreement: Agreement) -> set:
    """Cells an officer types into on a round sheet (DOMAIN §8): results, milestones met,
    explanation and evidence; nothing for groups, not-applicable or granted indicators."""
    cells = set()
    for offset, (_label, ind, part, covered) in enumerate(expected_rows(agreement)):
        r = FIRST_ROW + offset
        if covered or not ind.applicable or ind.granted or ind.kind == GROUP:
            continue
        if part is not None:
            cells.add(f"K{r}")
        elif ind.kind == THRESHOLD:
            cells |= {f"K{r}", f"N{r}", f"O{r}"}
        elif ind.kind == MILESTONE:
            cells |= {f"{c}{r}" for c in "FGHIJ"} | {f"N{r}", f"O{r}"}
        elif ind.kind == WEIGHTED:
            cells |= {f"N{r}", f"O{r}"}
    return cells


def unlocked(ws) -> set:
    """Unlocked cells; a merged range counts as its top-left cell, the one a person types in."""
    return {c.coordinate for row in ws.iter_rows() for c in row
            if c.protection.locked is False and not isinstance(c, MergedCell)}


def validated(ws, kind: str) -> set:
    out = set()
    for dv in ws.data_validations.dataValidation:
        if dv.type == kind:
            for rng in dv.sqref.ranges:
                out |= {c for row in rng.cells for c in [f"{_col(row[1])}{row[0]}"]}
    return out


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


# --- protection and inputs --------------------------------------------------------------

@pytest.mark.parametrize("password", [None, "ก.พ.ร.-2552"])
def test_every_sheet_protected_with_the_password_and_structure_locked(agreement, tmp_path, password):
    given = {} if password is None else {"password": password}
    expected_hash = hash_password(password or "xlkpi")
    for write in (write_sar, write_template):
        wb = load_workbook(write(agreement, tmp_path / f"{write.__name__}.xlsx", **given))
        for ws in wb.worksheets:
            assert ws.protection.sheet, ws.title
            assert ws.protection.password == expected_hash, ws.title
        assert wb.security.lockStructure
        assert wb.security.workbookPassword == expected_hash


def test_sar_rows_are_the_indicators_depth_first_with_parts_below(agreement, sar_path):
    wb = load_workbook(sar_path)
    for sheet in ROUND_SHEETS.values():
        ws = wb[sheet]
        for offset, (label, *_rest) in enumerate(expected_rows(agreement)):
            assert ws[f"A{FIRST_ROW + offset}"].value == label


def test_sar_unlocked_cells_are_exactly_the_inputs_yellow_and_validated(agreement, sar_path):
    wb = load_workbook(sar_path)
    expected = expected_inputs(agreement)
    kinds = {(ind.kind if part is None else "part") for _l, ind, part, _c in expected_rows(agreement)}
    assert kinds >= {THRESHOLD, MILESTONE, WEIGHTED, GROUP, "part"}  # the agreement shows every kind
    assert any(not i.applicable for i in agreement.walk()) and any(i.granted for i in agreement.walk())
    milestone_cells = {c for c in expected if c[0] in "FGHIJ"}
    result_cells = {c for c in expected if c[0] == "K"}
    for sheet in ROUND_SHEETS.values():
        ws = wb[sheet]
        assert unlocked(ws) == expected, sheet
        for coordinate in expected:
            assert ws[coordinate].fill.fgColor.rgb[-6:] == INPUT_FILL, (sheet, coordinate)
        assert validated(ws, "decimal") == result_cells
        assert validated(ws, "list") == milestone_cells
        lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
        assert all(dv.formula1 == f'"{MET},{NOT_MET}"' for dv in lists)
    for sheet in ("ปก",):
        assert unlocked(wb[sheet]) == set()


def test_template_unlocked_cells_are_exactly_the_descriptive_fields_and_baselines(agreement, template_path):
    wb = load_workbook(template_path)
    sheets = [ws for ws in wb.worksheets if ws.title.startswith("KPI ")]
    assert len(sheets) == sum(1 for _ in agreement.walk())
    for ws in sheets:
        expected, fields = set(), set()
        for row in range(1, ws.max_row + 1):
            label = str(ws[f"A{row}"].value or "")
            if label in TEMPLATE_INPUT_LABELS:
                expected.add(f"B{row}")
                fields.add(label)
            if label.startswith("ข้อมูลพื้นฐาน"):  # baseline: a value under each fiscal year
                expected |= {f"{c}{row + 1}" for c in "BCDEF" if isinstance(ws[f"{c}{row}"].value, int)}
        assert fields == TEMPLATE_INPUT_LABELS, ws.title
        assert unlocked(ws) == expected, ws.title
        for coordinate in expected:
            assert ws[coordinate].fill.fgColor.rgb[-6:] == INPUT_FILL


# --- defined names ----------------------------------------------------------------------

def slug(indicator_id: str) -> str:
    return indicator_id.replace(".", "_")


def test_defined_names_point_at_the_cells_that_hold_the_agreement(agreement, sar_path):
    wb = load_workbook(sar_path)

    def cell(name):
        assert name in wb.defined_names, name
        (sheet, ref), = wb.defined_names[name].destinations
        return wb[sheet][ref.replace("$", "")], sheet

    checked = 0
    for round_, sheet_name in ROUND_SHEETS.items():
        for _label, ind, part, covered in expected_rows(agreement):
            base = f"kpi_{slug(ind.id)}"
            if part is not None:
                result, sheet = cell(f"{base}_p{part}_r{round_}_result")
                assert sheet == sheet_name
                assert result.value == ind.parts[part].result.get(round_)
                score, _ = cell(f"{base}_p{part}_r{round_}_score")
                assert score.row == result.row and str(score.value).startswith("=")
                continue
            weight, sheet = cell(f"{base}_r{round_}_weight")
            assert sheet == sheet_name and weight.value == ind.weight
            for output in ("score", "weighted"):
                out, _ = cell(f"{base}_r{round_}_{output}")
                assert out.row == weight.row
                assert out.column_letter == {"score": "L", "weighted": "M"}[output]
            if ind.kind == GROUP:
                continue
            for text in ("explanation", "evidence"):
                note, _ = cell(f"{base}_r{round_}_{text}")
                wanted = getattr(ind, text).get(round_)
                if ind.applicable and not ind.granted and not covered:
                    assert (note.value or None) == wanted
            result, _ = cell(f"{base}_r{round_}_result")
            if ind.kind == THRESHOLD and ind.applicable and not ind.granted and not covered:
                assert result.value == ind.result.get(round_)
            if ind.kind == MILESTONE:
                met = ind.result.get(round_)
                for level in range(1, 6):
                    mark, _ = cell(f"{base}_r{round_}_m{level}")
                    if met is not None and ind.applicable and not covered:
                        assert mark.value == (MET if met[level - 1] else NOT_MET)
            checked += 1
        total, sheet = cell(f"total_r{round_}")
        assert sheet == sheet_name and str(total.value).startswith("=ROUND(SUM(")
        for d in (1, 2, 3, 4):
            dim, _ = cell(f"dim{d}_r{round_}")
            assert dim.row < total.row and dim.column_letter == "M"
    assert checked >= 3 * 30


# --- the look ---------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["sar", "template"])
def test_every_written_cell_is_th_sarabun_new_on_a4_fitted_to_width(which, sar_path, template_path):
    wb = load_workbook(sar_path if which == "sar" else template_path)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    assert c.font.name == FONT, (ws.title, c.coordinate, c.font.name)
                    cells += 1
        if ws.sheet_state == "visible":
            assert ws.page_setup.paperSize == 9, ws.title  # 9 = A4
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
    assert cells > 500


# --- round trips ------------------------------------------------------------------------

SEEDS = list(range(24))


def test_round_trip_sar_card_gives_back_the_agreement_with_its_results(tmp_path):
    kinds_seen = set()
    for seed in SEEDS:
        original = generated(seed, leaves=4 + (seed * 7) % 57)
        kinds_seen |= {i.kind for i in original.walk()}
        path = write_sar(original, tmp_path / f"sar{seed}.xlsx")
        back, findings = read_agreement(path)
        assert not [f for f in findings if f.is_error], findings
        assert to_dict(back) == to_dict(original), seed
    assert kinds_seen == {THRESHOLD, MILESTONE, WEIGHTED, GROUP}


def test_round_trip_sar_card_reads_what_an_officer_typed(agreement, tmp_path):
    """Results typed into the yellow cells come back as the agreement's results."""
    blank = copy.deepcopy(agreement)
    for ind in blank.walk():
        ind.result, ind.explanation, ind.evidence = {}, {}, {}
        for part in ind.parts:
            part.result = {}
    path = write_sar(blank, tmp_path / "blank.xlsx")
    wb = load_workbook(path)
    for round_, sheet in ROUND_SHEETS.items():
        ws = wb[sheet]
        for offset, (_label, ind, part, covered) in enumerate(expected_rows(agreement)):
            r = FIRST_ROW + offset
            if covered or not ind.applicable or ind.granted:
                continue
            if part is not None and round_ in ind.parts[part].result:
                ws[f"K{r}"] = ind.parts[part].result[round_]
            elif part is None and ind.kind == THRESHOLD and round_ in ind.result:
                ws[f"K{r}"] = ind.result[round_]
            elif part is None and ind.kind == MILESTONE and round_ in ind.result:
                for c, met in zip("FGHIJ", ind.result[round_]):
                    ws[f"{c}{r}"] = MET if met else NOT_MET
            if part is None and round_ in ind.explanation:
                ws[f"N{r}"] = ind.explanation[round_]
            if part is None and round_ in ind.evidence:
                ws[f"O{r}"] = ind.evidence[round_]
    wb.save(tmp_path / "typed.xlsx")
    back, findings = read_agreement(tmp_path / "typed.xlsx")
    assert not [f for f in findings if f.is_error]
    assert to_dict(back) == to_dict(agreement)


TEMPLATE_FIELDS = ("definition", "formula", "data_source", "rationale", "conditions", "evaluation",
                   "evidence_expected", "baseline", "thresholds", "milestones", "name", "weight", "unit")


def template_view(agreement: Agreement) -> dict:
    view = {}
    for ind in agreement.walk():
        fields = {f: getattr(ind, f) for f in TEMPLATE_FIELDS}
        fields["owner"] = (ind.owner.name, ind.owner.phone)
        fields["collector"] = (ind.collector.name, ind.collector.phone)
        fields["parts"] = [(p.thresholds, p.weight) for p in ind.parts]
        view[ind.id] = fields
    return view


def test_round_trip_kpi_template_gives_back_the_template_fields(tmp_path):
    for seed in SEEDS[:8]:
        original = generated(100 + seed, leaves=6 + seed * 5)
        for n, ind in enumerate(original.walk()):  # fill what random agreements leave empty
            ind.rationale = f"เหตุผลของตัวชี้วัด {ind.id}"
            ind.conditions = "" if n % 3 == 0 else f"เงื่อนไข {n}"
            ind.evidence_expected = f"รายงาน\nหลักฐาน {n}"
        back, findings = read_agreement(write_template(original, tmp_path / f"tpl{seed}.xlsx"))
        assert not [f for f in findings if f.is_error]
        assert template_view(back) == template_view(original), seed


# --- formula injection ------------------------------------------------------------------

HOSTILE = ["=1+1", "+66 2 590 1234", "-5% จากปีที่แล้ว", "@SUM(A1)", '=HYPERLINK("http://x","y")']


def hostile_agreement() -> Agreement:
    agreement = generated(3, leaves=12)
    for n, ind in enumerate(agreement.walk()):
        text = HOSTILE[n % len(HOSTILE)]
        ind.name = text + " ชื่อ"
        ind.unit = text
        ind.definition = text
        ind.owner = Contact(text, HOSTILE[(n + 1) % len(HOSTILE)])
        if ind.kind != GROUP and ind.applicable and not ind.granted:
            ind.explanation = {r: text for r in ROUNDS}
            ind.evidence = {r: HOSTILE[(n + 2) % len(HOSTILE)] for r in ROUNDS}
        for part in ind.parts:
            part.name = text
    return agreement


def test_text_starting_with_formula_characters_stays_text(tmp_path):
    agreement = hostile_agreement()
    hostile_cells = 0
    for write in (write_sar, write_template):
        path = write(agreement, tmp_path / f"{write.__name__}.xlsx")
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value.lstrip().startswith(tuple(h[:4] for h in HOSTILE)):
                        assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                        assert c.quotePrefix or c.value.startswith(" "), (ws.title, c.coordinate)
                        hostile_cells += 1
        back, _ = read_agreement(path)
        if write is write_sar:
            assert to_dict(back) == to_dict(agreement)
        else:
            assert template_view(back) == template_view(agreement)
    assert hostile_cells > 100


# --- the committed blank workbooks ------------------------------------------------------

def test_workbooks_folder_is_what_the_generator_writes(tmp_path):
    """Fails when workbooks/ drifts from xlkpi.workbook.blanks: regenerate with
    `python -m xlkpi.workbook.blanks workbooks/`.  Every part of each file must be equal
    byte for byte except docProps/core.xml, which openpyxl stamps with the time of saving."""
    import zipfile
    from pathlib import Path

    from xlkpi.workbook.blanks import write_blanks

    committed = Path(__file__).resolve().parent.parent / "workbooks"
    fresh = write_blanks(tmp_path)
    assert sorted(p.name for p in committed.glob("*.xlsx")) == sorted(p.name for p in fresh)
    for path in fresh:
        with zipfile.ZipFile(path) as new, zipfile.ZipFile(committed / path.name) as old:
            assert sorted(new.namelist()) == sorted(old.namelist()), path.name
            drifted = [n for n in new.namelist() if n != "docProps/core.xml" and new.read(n) != old.read(n)]
            assert drifted == [], f"{path.name}: {drifted} differ — run python -m xlkpi.workbook.blanks workbooks/"


def test_blank_workbooks_have_no_results_and_fit_the_fy2552_framework():
    from pathlib import Path

    from xlkpi.framework import check_agreement, load_framework
    from xlkpi.workbook.blanks import FILES, fy2552_blank

    framework, _ = load_framework("fy2552-pilot-ministry")
    assert [f for f in check_agreement(fy2552_blank(), framework) if f.is_error] == []
    top = [i.id for i in fy2552_blank().indicators]
    assert top == ["1", "2", "3", "4", "5", "6"]  # DOMAIN §4's indicators 1–6
    folder = Path(__file__).resolve().parent.parent / "workbooks"
    for _template, sar in FILES.values():
        back, findings = read_agreement(folder / sar)
        assert back is not None and not [f for f in findings if f.is_error]
        assert sum(i.weight for i in back.leaves()) == pytest.approx(100)
        for ind in back.walk():
            assert ind.result == {} and all(p.result == {} for p in ind.parts), ind.id


def test_validated_cells_are_written_as_rectangles_covering_exactly_them():
    import random

    from xlkpi.audit.ooxml import expand_ref
    from xlkpi.workbook.sar_sheet import _runs

    assert sorted(_runs(["F13", "G13", "H13", "I13", "J13", "K8", "K9", "K11"])) == ["F13:J13", "K11", "K8:K9"]
    rng = random.Random(7)
    for _ in range(300):
        refs = [f"{c}{r}" for c in "DEFGHIJKLM" for r in range(5, 40) if rng.random() < 0.4]
        if refs:
            assert expand_ref(" ".join(_runs(refs))) == frozenset(refs)
