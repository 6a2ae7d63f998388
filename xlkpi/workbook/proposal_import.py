"""Read a filled proposal form back into an agreement, with findings naming file, sheet, cell.

The rows are the ones `proposal.proposal_rows` computes from the draft kept in the form; the
fixed indicators keep the draft's ids, names and weights whatever the cells say (they are
locked, and the framework, not the workbook, is the baseline); the framework check runs on
the result, its findings placed on the row of the indicator they concern.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Optional

from ..findings import Finding, error
from ..model import GROUP, MILESTONE, THRESHOLD, WEIGHTED, Agreement, Contact, Indicator, Part
from .proposal import (
    BASELINE,
    COVER_FIELDS,
    CRITERIA,
    DIRECTION_LABELS,
    KIND_LABELS,
    KIND_PROPOSAL,
    LETTER,
    SHEET,
    TEXTS,
    ProposalRow,
    proposal_rows,
    total_row,
)
from .layout import COVER_SHEET, META_SHEET

KINDS = {label: kind for kind, label in KIND_LABELS.items()}
DIRECTIONS = {label: direction for direction, label in DIRECTION_LABELS.items()}


ROUND_LIST_HINT = "6, 9, 12 / 12 / 6, 12 / 9, 12"


def parse_rounds(value) -> tuple:
    """The reporting rounds typed in a "รอบที่รายงาน" cell (DOMAIN §6.5a), strictly:
    (None, None) when blank (the default rounds), (rounds, None) when every item is one of
    6, 9, 12 listed once each with 12 among them, else (None, reason in English)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, f"not a list of rounds ({ROUND_LIST_HINT})"
    if isinstance(value, (int, float)):
        items = [str(int(value))] if float(value).is_integer() else [str(value)]
    else:
        items = [t.strip() for t in str(value).replace("，", ",").split(",")]
    rounds = []
    for item in items:
        if item not in ("6", "9", "12"):
            return None, f"{item or 'an empty item'!s} is not a round ({ROUND_LIST_HINT})"
        if int(item) in rounds:
            return None, f"round {item} is listed twice"
        rounds.append(int(item))
    if 12 not in rounds:
        return None, "every indicator reports at round 12"
    return sorted(rounds), None


def _number(value) -> Optional[float]:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").strip())
        except ValueError:
            return None
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Reader:
    def __init__(self, cells, source: str):
        self.cells = cells
        self.source = source
        self.findings: list[Finding] = []

    def get(self, r: ProposalRow, key: str):
        return self.cells.get(SHEET, f"{LETTER[key]}{r.row}")

    def bad(self, code: str, th: str, en: str, r: ProposalRow, key: str, indicator: str = "") -> None:
        self.findings.append(error(code, th, en, file=self.source, sheet=SHEET, cell=f"{LETTER[key]}{r.row}",
                                   indicator=indicator or r.id))

    def number(self, r: ProposalRow, key: str, label: str, required: bool = False) -> Optional[float]:
        value = self.get(r, key)
        if value in (None, "", "–", "-"):
            if required:
                self.bad("PROP-BLANK", f"ตัวชี้วัด {r.id}: ยังไม่ได้กรอก{label}", f"indicator {r.id}: {label} is blank",
                         r, key)
            return None
        number = _number(value)
        if number is None:
            self.bad("PROP-NOT-NUMBER", f"ตัวชี้วัด {r.id}: {label}ต้องเป็นตัวเลข ไม่ใช่ {value!r}",
                     f"indicator {r.id}: {label} must be a number, not {value!r}", r, key)
        return number

    def direction(self, r: ProposalRow) -> str:
        value = _text(self.get(r, "direction"))
        if value in ("", DIRECTION_LABELS["up"]):
            return "up"
        if value in DIRECTIONS:
            return DIRECTIONS[value]
        self.bad("PROP-DIRECTION", f"ตัวชี้วัด {r.id}: ทิศทางต้องเป็น {' หรือ '.join(DIRECTIONS)} ไม่ใช่ {value!r}",
                 f"indicator {r.id}: direction must be one of {', '.join(DIRECTIONS)}, not {value!r}", r, "direction")
        return "up"

    def criteria(self, r: ProposalRow, kind: str) -> list:
        if kind == MILESTONE:
            texts = [_text(self.get(r, c)) for c in CRITERIA]
            for level, (column, text) in enumerate(zip(CRITERIA, texts), start=1):
                if not text:
                    self.bad("PROP-MILESTONE-BLANK", f"ตัวชี้วัด {r.id}: ขั้นตอนระดับ {level} ไม่มีคำอธิบาย",
                             f"indicator {r.id}: milestone level {level} has no text", r, column)
            return texts
        return [self.number(r, c, f"เกณฑ์ระดับ {n}", required=n in (1, 5)) for n, c in enumerate(CRITERIA, start=1)]

    def fill_details(self, r: ProposalRow, ind: Indicator, fiscal_year: int) -> None:
        for field_ in TEXTS:
            value = _text(self.get(r, field_))
            if field_.startswith(("owner.", "collector.")):
                who, attr = field_.split(".")
                setattr(getattr(ind, who), attr, value)
            else:
                setattr(ind, field_, value)
        baseline = {}
        for n, key in enumerate(BASELINE):
            value = self.number(r, key, f"ผลปี {fiscal_year - 3 + n}")
            if value is not None:
                baseline[fiscal_year - 3 + n] = value
        ind.baseline = baseline
        unit = _text(self.get(r, "unit"))
        if unit:
            ind.unit = unit

    def rounds(self, r: ProposalRow, indicator: str) -> Optional[list]:
        """The row's reporting rounds (None = the default, or its indicator's); a finding if bad."""
        rounds, reason = parse_rounds(self.get(r, "report_rounds"))
        if reason:
            self.bad("PROP-ROUNDS", f"ตัวชี้วัด {indicator}: รอบที่รายงานต้องเป็น {ROUND_LIST_HINT} ({reason})",
                     f"indicator {indicator}: reporting rounds must be {ROUND_LIST_HINT} ({reason})", r,
                     "report_rounds", indicator)
        return rounds

    def is_empty(self, r: ProposalRow) -> bool:
        """Nothing typed on the row (its locked id and a part's kind are the form's)."""
        return all(_text(self.get(r, key)) == "" for key in LETTER if key not in ("id", "kind"))


def _kept(ind: Indicator) -> Indicator:
    """What the form does not show of a draft indicator (PMQA category, granted, not
    applicable, interpolation, composite criteria); the form's cells fill in the rest."""
    return Indicator(id=ind.id, name=ind.name, dimension=ind.dimension, weight=ind.weight, kind=ind.kind,
                     interpolate=ind.interpolate, applicable=ind.applicable, moved_to=ind.moved_to,
                     granted=ind.granted, granted_reason=ind.granted_reason,
                     composite_thresholds=list(ind.composite_thresholds), category=ind.category,
                     report_rounds=list(ind.report_rounds) if ind.report_rounds else None)


def read_proposal(path) -> tuple[Optional[Agreement], list[Finding]]:
    """The agreement a department proposes in a filled proposal form, and the findings."""
    from ..agreement import parse
    from .readback import as_cells, open_workbook, read_meta

    source = str(path)
    wb, findings = open_workbook(path, data_only=True)
    if wb is None:
        return None, findings
    kind, data = read_meta(wb)
    if kind != KIND_PROPOSAL or data is None or SHEET not in wb.sheetnames:
        return None, [error("WB-NOT-PROPOSAL", "ไม่ใช่แบบเสนอตัวชี้วัดที่ xlkpi สร้าง",
                            "not a KPI proposal form written by xlkpi", file=source)]
    draft, parse_findings = parse(data, source)
    if draft is None:
        return None, parse_findings
    cells = as_cells(wb)
    open_ids = set(filter(None, _text(cells.get(META_SHEET, "B2")).split(",")))
    proposed = set(filter(None, _text(cells.get(META_SHEET, "B3")).split(",")))
    for ind in draft.walk():
        if ind.id in proposed:
            ind._proposed = True
    reader = _Reader(cells, source)
    rows = proposal_rows(draft, open_ids)
    by_id = {i.id: i for i in draft.walk()}

    for key, th, en, row in COVER_FIELDS:
        value = _text(cells.get(COVER_SHEET, f"B{row}"))
        setattr(draft, key, value)
        if key in ("ministry", "department") and not value:
            reader.findings.append(error("PROP-BLANK", f"ยังไม่ได้กรอก{th}", f"the {en} is blank", file=source,
                                         sheet=COVER_SHEET, cell=f"B{row}"))

    built: dict[str, Indicator] = {}
    children: dict[str, list] = {}
    row_of: dict[str, ProposalRow] = {}
    for r in rows:
        parent = r.parent
        if r.kind == "group":
            ind = by_id[r.id]
            group = copy.deepcopy(ind)  # a group's own texts are the draft's (the table lists leaves)
            group.children = []
            built[r.id] = group
            row_of[r.id] = r
            children.setdefault(parent, []).append(group)
            continue
        if r.kind == "part":
            owner = built.get(r.parent)
            if owner is None or reader.is_empty(r):
                continue
            name = _text(reader.get(r, "name"))
            if not name:
                reader.bad("PROP-BLANK", f"ตัวชี้วัด {r.id}: ยังไม่ได้กรอกชื่อองค์ประกอบ",
                           f"indicator {r.id}: the part has no name", r, "name", r.parent)
            owner.parts.append(Part(name=name, weight=reader.number(r, "weight", "น้ำหนัก Wi", True) or 0.0,
                                    unit=_text(reader.get(r, "unit")), direction=reader.direction(r),
                                    thresholds=reader.criteria(r, THRESHOLD),
                                    report_rounds=reader.rounds(r, r.parent)))
            continue
        if r.kind == "open" and reader.is_empty(r):
            continue
        if r.kind == "fixed":
            ind = by_id[r.id]
            made = _kept(ind)
            made.unit = ind.unit
            if ind.kind in (THRESHOLD, MILESTONE):
                made.direction = reader.direction(r)
                if ind.kind == THRESHOLD:
                    made.thresholds = reader.criteria(r, THRESHOLD)
                else:
                    made.milestones = reader.criteria(r, MILESTONE)
        else:
            name = _text(reader.get(r, "name"))
            if not name:
                reader.bad("PROP-BLANK", f"ตัวชี้วัด {r.id}: ยังไม่ได้กรอกชื่อตัวชี้วัด",
                           f"indicator {r.id}: the name is blank", r, "name")
            label = _text(reader.get(r, "kind"))
            kind = KINDS.get(label)
            if kind is None:
                reader.bad("PROP-KIND", f"ตัวชี้วัด {r.id}: ลักษณะตัวชี้วัดต้องเป็น {' หรือ '.join(KINDS)} ไม่ใช่ {label!r}",
                           f"indicator {r.id}: kind must be one of {', '.join(KINDS)}, not {label!r}", r, "kind")
                kind = THRESHOLD
            made = _kept(r.indicator) if r.indicator is not None else Indicator(id=r.id)
            made.name, made.kind, made.direction = name, kind, reader.direction(r)
            made.weight = reader.number(r, "weight", "น้ำหนัก", True) or 0.0
            if r.indicator is None:
                made.dimension = built[r.parent].dimension if r.parent in built else 0
            if kind == THRESHOLD:
                made.thresholds = reader.criteria(r, THRESHOLD)
            else:
                made.milestones = reader.criteria(r, MILESTONE)
        made.report_rounds = reader.rounds(r, r.id)
        made.owner, made.collector = Contact(), Contact()
        reader.fill_details(r, made, draft.fiscal_year)
        if not made.unit:
            reader.bad("PROP-BLANK", f"ตัวชี้วัด {r.id}: ยังไม่ได้กรอกหน่วยวัด", f"indicator {r.id}: the unit is blank",
                       r, "unit")
        built[r.id] = made
        row_of[r.id] = r
        children.setdefault(parent, []).append(made)

    def assemble(ind: Indicator) -> Indicator:
        if ind.kind == GROUP:
            ind.children = [assemble(c) for c in children.get(ind.id, [])]
            ind.weight = sum(c.weight for c in ind.children)
            for c in ind.children:
                c.dimension = c.dimension or ind.dimension
        return ind

    draft.indicators = [assemble(i) for i in children.get("", [])]
    flagged = {f.sheet + "!" + f.indicator for f in reader.findings}
    agreement, more = _validated(draft, source, row_of, flagged, f"{LETTER['weight']}{total_row(rows)}")
    return agreement, findings + reader.findings + more


def _validated(draft: Agreement, source: str, row_of: dict, flagged: set,
               total_cell: str) -> tuple[Optional[Agreement], list[Finding]]:
    """The agreement file's own checks and the framework check, placed on the rows; the
    file checks that repeat a cell finding already given (a blank threshold) are left out."""
    from dataclasses import replace

    from ..agreement import parse, to_dict
    from ..framework import check_agreement, load_framework_for

    agreement, findings = parse(to_dict(draft), source)

    def place(finding: Finding) -> Optional[Finding]:
        r = row_of.get(finding.indicator) or _row_from_path(finding.cell, draft, row_of)
        if r is None:
            if finding.code == "AGR-REQUIRED" and any(k.startswith(COVER_SHEET) for k in flagged):
                return None
            if finding.cell == "indicators":  # the weights as a whole: the total below the table
                return replace(finding, file=source, sheet=SHEET, cell=total_cell)
            if finding.cell == "split_reasons":
                return replace(finding, file=source, sheet=COVER_SHEET, cell="B9")
            return replace(finding, file=source)
        if finding.code.startswith("AGR-") and f"{SHEET}!{r.id}" in flagged | {f"{SHEET}!{p}" for p in _parts_of(r, flagged)}:
            return None
        return replace(finding, file=source, sheet=SHEET, cell=f"{LETTER['weight']}{r.row}", indicator=r.id)

    def placed(items) -> list:
        return [f for f in map(place, items) if f is not None]

    out = placed(findings)
    if agreement is None:
        return None, out
    framework, fw_findings = load_framework_for(agreement)
    out += placed(fw_findings)
    if framework is not None:
        out += placed(check_agreement(agreement, framework))
    from ..audit.rules import threshold_problems

    for ind in agreement.walk():
        sets = [(ind.id, ind.thresholds, ind.direction)] if ind.kind == THRESHOLD else []
        sets += [(f"{ind.id} ({n + 1})", p.thresholds, p.direction) for n, p in enumerate(ind.parts)]
        for label, thresholds, direction in sets:
            r = row_of.get(ind.id)
            for code, severity, th, en in threshold_problems(thresholds, direction):
                if severity != "error" or r is None or code.endswith("-ENDS"):
                    continue
                out.append(error(code, f"ตัวชี้วัด {label}: {th}", f"indicator {label}: {en}", file=source,
                                 sheet=SHEET, cell=f"{LETTER['c1']}{r.row}", indicator=ind.id))
    return agreement, out


def _parts_of(r: ProposalRow, flagged: set) -> list:
    """Ids of a weighted indicator's part rows that have findings (they name the indicator)."""
    return [key.split("!", 1)[1] for key in flagged if key.split("!", 1)[1].startswith(f"{r.id} (")]


def _row_from_path(path: str, draft: Agreement, row_of: dict):
    """indicators[2].children[0].weight -> the row of that indicator."""
    import re

    if not path or not path.startswith("indicators["):
        return None
    node, items = None, draft.indicators
    for kind, index in re.findall(r"(indicators|children)\[(\d+)\]", path):
        index = int(index)
        if index >= len(items):
            return None
        node = items[index]
        items = node.children
    return row_of.get(node.id) if node is not None else None


def import_proposal(path, out) -> tuple[Optional[Path], list[Finding]]:
    """Read a proposal and, when it has no errors, write the agreement file `out`."""
    from ..agreement import dump
    from ..findings import has_errors

    agreement, findings = read_proposal(path)
    if agreement is None or has_errors(findings):
        return None, findings
    dump(agreement, out)
    return Path(out), findings
