"""Where everything lives in the workbooks xlkpi writes: the one source of truth.

The generator, the reader, the verifier, the audit and the xlwings code all ask this module
(or the defined names it creates inside the workbook) where the result of indicator 1.1 in
the 12-month round is; none of them hard-codes a cell.

The SAR Card has one sheet per round.  Each indicator takes one row; a weighted indicator is
followed by one row per part; group parents come before their children.  Columns:

    A id  B name  C unit  D weight  E baseline  F..J criteria 1..5  K result  L score
    M weighted  N explanation  O evidence  | hidden helpers: P sign  Q interpolate
    R level reached  S next defined level  T weight×score  U weight-if-scored

Milestone rows use F..J as the officer's "met / not met" inputs for levels 1..5, and K shows
the level reached.  A weighted indicator's K is the composite of its parts' scores.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ..glossary import WorkbookKind
from ..model import GROUP, MILESTONE, ROUNDS, THRESHOLD, WEIGHTED, Agreement, Indicator, rounds_of

COVER_SHEET = "ปก"
META_SHEET = "_xlkpi"  # very hidden: the agreement as generated, for lossless read-back
SAR_TITLE = WorkbookKind.SAR.en
TEMPLATE_TITLE = WorkbookKind.TEMPLATE.en
#: The layout's version, stored in the hidden sheet and signed with the agreement: a change to
#: what the generators write bumps it, so a workbook is audited against the layout it was made in.
LAYOUT_VERSION = 1
KIND_SAR = WorkbookKind.SAR.value
KIND_TEMPLATE = WorkbookKind.TEMPLATE.value

HEADER_ROW = 5  # column headings
FIRST_ROW = 6  # first indicator row
BELOW_LEVEL_1_CELL = "D3"  # the score for a result short of level 1 (0 or 1), per round sheet

MET = "ผ่าน"  # a milestone met
NOT_MET = "ไม่ผ่าน"


class Col:
    ID = "A"
    NAME = "B"
    UNIT = "C"
    WEIGHT = "D"
    BASELINE = "E"
    CRITERIA = ("F", "G", "H", "I", "J")
    RESULT = "K"
    SCORE = "L"
    WEIGHTED = "M"
    EXPLANATION = "N"
    EVIDENCE = "O"
    SIGN = "P"
    INTERPOLATE = "Q"
    LEVEL = "R"
    NEXT_LEVEL = "S"
    PRODUCT = "T"
    SCORED_WEIGHT = "U"
    HIDDEN = ("P", "Q", "R", "S", "T", "U")
    LAST = "U"


HEADINGS = {
    Col.ID: ("ตัวชี้วัด", "KPI"),
    Col.NAME: ("ชื่อตัวชี้วัด", "indicator"),
    Col.UNIT: ("หน่วยวัด", "unit"),
    Col.WEIGHT: ("น้ำหนัก (ร้อยละ)", "weight %"),
    Col.BASELINE: ("ผลปีที่แล้ว", "last year"),
    Col.CRITERIA[0]: ("เกณฑ์ 1", "level 1"),
    Col.CRITERIA[1]: ("เกณฑ์ 2", "level 2"),
    Col.CRITERIA[2]: ("เกณฑ์ 3", "level 3"),
    Col.CRITERIA[3]: ("เกณฑ์ 4", "level 4"),
    Col.CRITERIA[4]: ("เกณฑ์ 5", "level 5"),
    Col.RESULT: ("ผลการดำเนินงาน", "result"),
    Col.SCORE: ("ค่าคะแนนที่ได้", "score"),
    Col.WEIGHTED: ("ค่าคะแนนถ่วงน้ำหนัก", "weighted score"),
    Col.EXPLANATION: ("คำชี้แจง", "explanation"),
    Col.EVIDENCE: ("หลักฐานอ้างอิง", "evidence"),
    Col.SIGN: ("ทิศทาง", "sign"),
    Col.INTERPOLATE: ("เทียบบัญญัติไตรยางศ์", "interpolate"),
    Col.LEVEL: ("ระดับที่ถึง", "level"),
    Col.NEXT_LEVEL: ("ระดับถัดไป", "next level"),
    Col.PRODUCT: ("น้ำหนัก×คะแนน", "w×s"),
    Col.SCORED_WEIGHT: ("น้ำหนักที่มีคะแนน", "scored w"),
}

def round_sheet(round_: int) -> str:
    return f"SAR {round_} เดือน"


# A1 and sheet-name helpers: the same results as openpyxl.utils.get_column_letter and
# quote_sheetname (tests/test_glossary.py proves it), written here once because the Excel
# ribbon's click reads books through xlwings and must not import openpyxl (≈0.4 s).

def column_letter(n: int) -> str:
    """1 → A, 27 → AA (openpyxl.utils.get_column_letter)."""
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 1, aa → 27 (openpyxl.utils.column_index_from_string)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def quoted(sheet: str) -> str:
    """'Sheet name' for a formula (openpyxl.utils.quote_sheetname)."""
    return "'" + sheet.replace("'", "''") + "'"


def ref(sheet: str, cell: str) -> str:
    """Sheet!A1 as people read it (findings, JSON)."""
    return f"{sheet}!{cell}"


# --- defined names ------------------------------------------------------------------
# kpi_<id with . as _>[_p<n>]_r<round>_<field>; totals: total_r12, dim1_r12.

@lru_cache(maxsize=4096)  # every name of an indicator's cells, in every workbook
def _slug(indicator_id: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "_", indicator_id)


def name_for(indicator_id: str, round_: int, field_: str, part: Optional[int] = None) -> str:
    part_text = f"_p{part}" if part is not None else ""
    return f"kpi_{_slug(indicator_id)}{part_text}_r{round_}_{field_}"


def total_name(round_: int) -> str:
    return f"total_r{round_}"


def dimension_name(dimension: int, round_: int) -> str:
    return f"dim{dimension}_r{round_}"


@dataclass
class Row:
    """One row of a round sheet."""

    row: int
    indicator: Indicator
    depth: int
    part: Optional[int] = None  # index into indicator.parts for a part row
    children_rows: list = field(default_factory=list)  # group: its children's rows
    part_rows: list = field(default_factory=list)  # weighted: its parts' rows
    within_applicable: bool = True  # False under a not-applicable group (DOMAIN §6.5)
    rounds: tuple = ROUNDS  # the rounds this row is due in (DOMAIN §6.5a)

    def due(self, round_: int) -> bool:
        """Does this row report (and score) in the round?  Not-due rows are greyed, no input."""
        return round_ in self.rounds

    @property
    def applicable(self) -> bool:
        return self.within_applicable and self.indicator.applicable

    @property
    def is_part(self) -> bool:
        return self.part is not None

    @property
    def kind(self) -> str:
        return "part" if self.is_part else self.indicator.kind

    @property
    def label(self) -> str:
        return f"{self.indicator.id} ({self.part + 1})" if self.is_part else self.indicator.id

    @property
    def scored_leaf(self) -> bool:
        """A row whose weighted score counts in the dimension and department totals."""
        return not self.is_part and self.indicator.kind != GROUP

    def cell(self, column: str) -> str:
        return f"{column}{self.row}"


@dataclass
class SarLayout:
    rows: list  # Row, in sheet order
    dimension_rows: dict  # dimension -> row of its total
    total_row: int
    last_row: int
    #: below the totals: a heading, then one row per milestone indicator printing the text of
    #: its five levels (the criteria cells above hold the officer's ผ่าน / ไม่ผ่าน)
    milestone_rows: dict = field(default_factory=dict)  # indicator id -> row

    def indicator_row(self, indicator_id: str) -> Row:
        by_id = self.__dict__.get("_by_id")  # `sar_layout` makes the rows once; indexed on first use
        if by_id is None:
            by_id = self.__dict__["_by_id"] = {r.indicator.id: r for r in reversed(self.rows) if not r.is_part}
        return by_id[indicator_id]

    def part_row(self, indicator_id: str, part: int) -> Row:
        """The row of an indicator's part (KeyError for a part the layout has not)."""
        by_part = self.__dict__.get("_by_part")  # indexed on first use, as indicator_row is
        if by_part is None:
            by_part = self.__dict__["_by_part"] = {}
            for r in self.rows:
                if r.is_part:
                    by_part.setdefault((r.indicator.id, r.part), r)
        return by_part[(indicator_id, part)]

    def leaf_rows(self, dimension: Optional[int] = None) -> list:
        return [r for r in self.rows if r.scored_leaf and (dimension is None or r.indicator.dimension == dimension)]

    def covered_weight(self, round_: int, dimension: Optional[int] = None) -> float:
        """Σ weight of the applicable leaves due in a round (the interim total covers it)."""
        return round(sum(r.indicator.weight for r in self.leaf_rows(dimension)
                         if r.applicable and r.due(round_)), 4) + 0.0

    def full_weight(self) -> float:
        """Σ weight of the applicable leaves: what the 12-month total normally covers."""
        return round(sum(r.indicator.weight for r in self.leaf_rows() if r.applicable), 4) + 0.0

    def input_cells(self, row: Row) -> list[str]:
        return input_columns(row)


def input_columns(row: Row, round_: Optional[int] = None) -> list[str]:
    """Columns of a row an officer types into (every other cell is locked); with a round,
    none when the row is not due in it (DOMAIN §6.5a)."""
    indicator = row.indicator
    if not row.applicable or indicator.granted or (round_ is not None and not row.due(round_)):
        return []
    if row.is_part:
        return [Col.RESULT]
    notes = [Col.EXPLANATION, Col.EVIDENCE]
    return {
        THRESHOLD: [Col.RESULT] + notes,
        MILESTONE: list(Col.CRITERIA) + notes,
        WEIGHTED: notes,
        GROUP: [],
    }[indicator.kind]


def sar_layout(agreement: Agreement) -> SarLayout:
    """Rows of every round sheet (the same in every round) for an agreement."""
    rows: list[Row] = []
    next_row = FIRST_ROW

    def place(indicator: Indicator, depth: int, within_applicable: bool = True,
              inherited: tuple = ROUNDS) -> Row:
        nonlocal next_row
        row = Row(next_row, indicator, depth, within_applicable=within_applicable,
                  rounds=indicator.due_rounds(inherited))
        rows.append(row)
        next_row += 1
        own = indicator.own_rounds(inherited)
        if indicator.kind == WEIGHTED:
            for index, part in enumerate(indicator.parts):
                part_row = Row(next_row, indicator, depth + 1, part=index,
                               within_applicable=within_applicable,
                               rounds=rounds_of(part.report_rounds, own))
                rows.append(part_row)
                row.part_rows.append(part_row.row)
                next_row += 1
        elif indicator.kind == GROUP:
            for child in indicator.children:
                row.children_rows.append(place(child, depth + 1, row.applicable, own).row)
        return row

    for top in agreement.indicators:
        place(top, 0)
    del place  # a recursive closure is a reference cycle: the rows would wait for the collector
    next_row += 1  # a blank line before the totals
    dimension_rows = {}
    for dimension in (1, 2, 3, 4):
        dimension_rows[dimension] = next_row
        next_row += 1
    total_row = next_row
    milestone_rows = {}
    texts = [r for r in rows if not r.is_part and r.indicator.kind == MILESTONE and r.indicator.milestones]
    if texts:
        next_row = total_row + 2  # a blank line, then the heading
        for r in texts:
            next_row += 1
            milestone_rows[r.indicator.id] = next_row
    return SarLayout(rows, dimension_rows, total_row, max([total_row, *milestone_rows.values()]), milestone_rows)


MILESTONE_HEADING_OFFSET = 2  # the heading of the milestone texts: total_row + 2


# --- names of a row's cells -----------------------------------------------------------

def row_names(row: Row, round_: int) -> dict:
    """Defined name -> cell for one row's inputs and outputs in a round."""
    ind = row.indicator
    names = {}
    if row.is_part:
        names[name_for(ind.id, round_, "result", row.part)] = row.cell(Col.RESULT)
        names[name_for(ind.id, round_, "score", row.part)] = row.cell(Col.SCORE)
        return names
    names[name_for(ind.id, round_, "weight")] = row.cell(Col.WEIGHT)
    if ind.kind == MILESTONE:
        for level, column in enumerate(Col.CRITERIA, start=1):
            names[name_for(ind.id, round_, f"m{level}")] = row.cell(column)
    if ind.kind != GROUP:
        names[name_for(ind.id, round_, "result")] = row.cell(Col.RESULT)
        names[name_for(ind.id, round_, "explanation")] = row.cell(Col.EXPLANATION)
        names[name_for(ind.id, round_, "evidence")] = row.cell(Col.EVIDENCE)
    names[name_for(ind.id, round_, "score")] = row.cell(Col.SCORE)
    names[name_for(ind.id, round_, "weighted")] = row.cell(Col.WEIGHTED)
    return names


def layout_names(layout: SarLayout) -> dict:
    """Every defined name of a SAR Card -> (sheet, cell)."""
    names = {}
    for round_ in ROUNDS:
        sheet = round_sheet(round_)
        for row in layout.rows:
            for name, cell in row_names(row, round_).items():
                names[name] = (sheet, cell)
        for dimension, row in layout.dimension_rows.items():
            names[dimension_name(dimension, round_)] = (sheet, f"{Col.WEIGHTED}{row}")
        names[total_name(round_)] = (sheet, f"{Col.WEIGHTED}{layout.total_row}")
    return names


# --- KPI Template: one sheet per indicator, in seed 004's printed order ---------------
#
# Rows 1-2 title and department; then, from TEMPLATE_FIRST_ROW, one row per field in the
# order seed 004 prints an indicator (DOMAIN §7): ประเด็นการประเมินผล · ตัวชี้วัดที่ · น้ำหนัก ·
# คำอธิบาย · เกณฑ์การให้คะแนน · ตารางและสูตรการคำนวณ · เงื่อนไข · แนวทางการประเมินผล (1 documents,
# 2 interviews, 3 observation) · เหตุผล · หน่วยงานผู้รับผิดชอบหลัก; then what departments add:
# baseline, data source, owner and collector.  The criteria table has a fixed block of rows
# (CRITERIA_BLOCK) so that every field keeps one address in every sheet; the rows an
# indicator does not use are hidden and do not print.

#: (field, Thai label, English label, an officer fills it in), in printed order.  The
#: criteria table sits after "definition", the baseline table after "data_source".
TEMPLATE_FIELDS = [
    ("dimension", "ประเด็นการประเมินผล", "evaluation issue", False),
    ("id", "ตัวชี้วัดที่", "indicator", False),
    ("name", "ชื่อตัวชี้วัด", "name", False),
    ("weight", "น้ำหนัก (ร้อยละ)", "weight %", False),
    ("unit", "หน่วยวัด", "unit", False),
    ("kind", "ลักษณะตัวชี้วัด", "kind", False),
    ("direction", "ทิศทาง", "direction", False),
    ("definition", "คำอธิบาย", "definition", True),
    ("formula", "ตารางและสูตรการคำนวณ / โดยที่", "calculation formula", True),
    ("conditions", "เงื่อนไข", "conditions", True),
    ("evaluation", "แนวทางการประเมินผล", "evaluation approach", True),
    ("evidence_expected", "1. ประเมินผลจากข้อมูล เอกสาร หลักฐานต่าง ๆ", "evidence expected", True),
    ("rationale", "เหตุผล", "rationale", True),
    ("responsible_unit", "หน่วยงานผู้รับผิดชอบหลัก", "responsible unit", True),
    ("data_source", "แหล่งข้อมูล/วิธีการจัดเก็บข้อมูล", "data source and collection", True),
    ("owner.name", "ผู้กำกับดูแลตัวชี้วัด", "indicator owner", True),
    ("owner.phone", "โทรศัพท์ (ผู้กำกับดูแล)", "owner's phone", True),
    ("collector.name", "ผู้จัดเก็บข้อมูล", "data collector", True),
    ("collector.phone", "โทรศัพท์ (ผู้จัดเก็บข้อมูล)", "collector's phone", True),
]
#: Seed 004's evaluation approach, parts 2 and 3: the same for every indicator, printed
#: after part 1 (the documents a department lists in "evidence_expected").
EVALUATION_FIXED = [
    ("2. ประเมินผลจากข้อมูลที่ได้จากการสัมภาษณ์บุคคลที่เกี่ยวข้องต่าง ๆ", "2. interviews",
     "• ผู้กำกับดูแลตัวชี้วัด และคณะทำงานที่เกี่ยวข้อง\n• ผู้จัดเก็บข้อมูล"),
    ("3. การสังเกตการณ์", "3. observation",
     "• การจัดเก็บข้อมูลผลการดำเนินงานตามตัวชี้วัด\n• ความถูกต้อง ความน่าเชื่อถือ ความทันสมัย และความสามารถ"
     "ในการตรวจสอบได้ของข้อมูล\n• สภาพแวดล้อมของสถานที่ที่ดำเนินการตามกิจกรรมหรือโครงการหลัก\n"
     "• การเก็บรักษาและดูแลเอกสาร/ข้อมูล\n• การมีส่วนร่วมของผู้บริหารระดับสูงของส่วนราชการ"),
]
TEMPLATE_FIRST_ROW = 4
TEMPLATE_VALUE_COL = "B"  # values sit in B (merged B:G)
TEMPLATE_LAST_COL = "G"
CRITERIA_BLOCK = 13  # rows below the level numbers: up to 12 weighted parts + the composite
MAX_TEMPLATE_PARTS = CRITERIA_BLOCK - 1


def _template_rows() -> tuple:
    rows, row = {}, TEMPLATE_FIRST_ROW
    criteria = baseline = fixed = None
    for field_, *_ in TEMPLATE_FIELDS:
        rows[field_] = row
        row += 1
        if field_ == "definition":
            criteria = row
            row += 1 + CRITERIA_BLOCK
        if field_ == "evidence_expected":
            fixed = row
            row += len(EVALUATION_FIXED)
        if field_ == "data_source":
            baseline = row
            row += 2
    return rows, criteria, baseline, fixed, row - 1


_FIELD_ROWS, CRITERIA_ROW, BASELINE_ROW, EVALUATION_FIXED_ROW, TEMPLATE_LAST_ROW = _template_rows()
#: CRITERIA_ROW: the heading "เกณฑ์การให้คะแนน" with the level numbers 1..5; criteria below.
#: BASELINE_ROW: the heading "ข้อมูลพื้นฐาน" with the fiscal years; results below.
BASELINE_COLUMNS = ("B", "C", "D", "E", "F")
TEMPLATE_CRITERIA_COLUMNS = ("B", "C", "D", "E", "F")  # levels 1..5
PART_WEIGHT_COL = "G"
#: Fields an audit requires to be filled (DOMAIN §9: "a required field blank").
REQUIRED_TEMPLATE_FIELDS = ("name", "unit", "definition", "formula", "data_source", "owner.name",
                            "owner.phone", "collector.name", "collector.phone", "evaluation")


def template_sheet(indicator_id: str) -> str:
    return f"KPI {indicator_id}"[:31]


def template_field_row(field_: str) -> int:
    return _FIELD_ROWS[field_]


def template_field_cell(field_: str) -> str:
    return f"{TEMPLATE_VALUE_COL}{_FIELD_ROWS[field_]}"


def template_milestone_cell(level: int) -> str:
    """Where the text of milestone `level` (1..5) is: one row per level, merged B:G."""
    return f"{TEMPLATE_VALUE_COL}{CRITERIA_ROW + level}"


def template_name(indicator_id: str, field_: str) -> str:
    return f"tpl_{_slug(indicator_id)}_{field_.replace('.', '_')}"


def criteria_rows(indicator: Indicator) -> int:
    """How many rows the criteria table of an indicator takes below its level numbers."""
    if indicator.kind == WEIGHTED:
        return len(indicator.parts) + 1  # the parts, then the composite's criterion
    if indicator.kind == MILESTONE:
        return 5
    if indicator.kind == GROUP:
        return max(1, len(indicator.children))
    return 1
