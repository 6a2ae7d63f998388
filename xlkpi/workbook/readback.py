"""Read a KPI Template or SAR Card back into an agreement (the inverse of the generators).

What the workbook shows wins: names, weights, criteria and results are read from the visible
cells at the places `layout` gives; the very hidden copy of the agreement supplies only the
structure and the fields a sheet does not show.  Opening is defensive: a corrupt, truncated,
encrypted, non-Excel or oversized file becomes a finding, never a traceback.
"""
from __future__ import annotations

import json
import zipfile
import zlib
from pathlib import Path
from typing import Optional

from ..agreement import parse
from ..findings import Finding, error
from ..model import GROUP, MILESTONE, ROUNDS, THRESHOLD, WEIGHTED, Agreement, Contact, Indicator, Part
from .layout import (
    column_letter,
    BASELINE_COLUMNS,
    BASELINE_ROW,
    CRITERIA_ROW,
    KIND_SAR,
    KIND_TEMPLATE,
    META_SHEET,
    MET,
    PART_WEIGHT_COL,
    TEMPLATE_CRITERIA_COLUMNS,
    TEMPLATE_FIELDS,
    Col,
    round_sheet,
    sar_layout,
    template_field_cell,
    template_milestone_cell,
    template_sheet,
)

MAX_FILE_BYTES = 50 * 1024 * 1024  # a department's workbook is well under a megabyte
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # zip-bomb limit on the sum of uncompressed parts
MAX_RATIO = 200  # and on any one part's compression ratio
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def _bad(code: str, th: str, en: str, path) -> list[Finding]:
    return [error(code, th, en, file=str(path))]


XML_SUFFIXES = (".xml", ".rels", ".vml")  # the parts the audit's reader reads whole


def check_container(path, keep: Optional[dict] = None) -> list[Finding]:
    """Is this an Excel workbook we may open?  Cheap checks before openpyxl sees it.

    Every entry is decompressed and its CRC checked; with `keep` (a dict), the XML parts'
    bytes are put there as name -> (CRC, bytes), so that `ooxml.read_book(path, keep)` does
    not decompress them again."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        return _bad("WB-UNREADABLE", f"อ่านไฟล์ไม่ได้: {exc}", f"cannot read the file: {exc}", path)
    if size > MAX_FILE_BYTES:
        return _bad("WB-TOO-LARGE", f"ไฟล์ใหญ่เกิน {MAX_FILE_BYTES // 2**20} MB", f"the file is larger than {MAX_FILE_BYTES // 2**20} MB", path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _bad("WB-ENCRYPTED", "ไฟล์ถูกเข้ารหัสด้วยรหัสผ่าน (หรือเป็นไฟล์ .xls รุ่นเก่า) จึงตรวจไม่ได้",
                    "the file is password-encrypted (or an old .xls) and cannot be audited", path)
    if not head.startswith(b"PK"):
        return _bad("WB-NOT-EXCEL", "ไม่ใช่ไฟล์ Excel (.xlsx)", "not an Excel workbook (.xlsx)", path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            total = 0
            for info in archive.infolist():
                total += info.file_size
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 2**20:
                    return _bad("WB-ZIP-BOMB", f"ส่วน {info.filename} ขยายตัวผิดปกติ (zip bomb)",
                                f"part {info.filename} expands abnormally (zip bomb)", path)
            if total > MAX_UNZIPPED_BYTES:
                return _bad("WB-ZIP-BOMB", "ไฟล์ขยายตัวใหญ่เกินกำหนด (zip bomb)", "the file expands beyond the limit (zip bomb)", path)
            if "xl/workbook.xml" not in names:
                return _bad("WB-NOT-EXCEL", "เป็นไฟล์ zip แต่ไม่ใช่สมุดงาน Excel", "a zip file, but not an Excel workbook", path)
            broken = archive.testzip() if keep is None else _test_keeping(archive, keep)
            if broken:
                return _bad("WB-CORRUPT", f"ไฟล์เสียหาย (ส่วน {broken})", f"the file is corrupt (part {broken})", path)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:  # zlib: a damaged entry
        return _bad("WB-CORRUPT", f"ไฟล์เสียหายหรือไม่สมบูรณ์: {exc}", f"the file is corrupt or truncated: {exc}", path)
    return []


def _test_keeping(archive: zipfile.ZipFile, keep: dict) -> Optional[str]:
    """`archive.testzip()` (the first entry failing its CRC, or None), keeping the XML parts."""
    for info in archive.filelist:
        name = info.filename
        try:
            with archive.open(name, "r") as entry:
                if name.lower().endswith(XML_SUFFIXES):
                    keep[name] = (archive.getinfo(name).CRC, entry.read())
                else:
                    while entry.read(2**20):
                        pass
        except zipfile.BadZipFile:
            keep.clear()
            return name
    return None


def open_workbook(path, data_only: bool = False):
    """openpyxl Workbook or None, with findings; never raises for a bad file, never runs macros."""
    findings = check_container(path)
    if findings:
        return None, findings
    from openpyxl import load_workbook

    try:
        # keep_vba=False: macros in an .xlsm are neither kept nor run; openpyxl never runs them.
        wb = load_workbook(path, data_only=data_only, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for malformed parts
        return None, _bad("WB-CORRUPT", f"เปิดสมุดงานไม่ได้: {exc}", f"cannot open the workbook: {exc}", path)
    return wb, []


class OpenpyxlCells:
    """The cell source read-back needs, over an openpyxl Workbook."""

    def __init__(self, wb):
        self.wb = wb
        self.sheetnames = list(wb.sheetnames)

    def get(self, sheet: str, cell: str):
        return self.wb[sheet][cell].value


def as_cells(source):
    """Anything with get(sheet, cell) and sheetnames; an openpyxl Workbook is wrapped."""
    return source if hasattr(source, "get") and hasattr(source, "sheetnames") else OpenpyxlCells(source)


def read_meta(wb) -> tuple[Optional[str], Optional[dict]]:
    """(kind, agreement data as generated) from the very hidden sheet, or (None, None)."""
    cells = as_cells(wb)
    if META_SHEET not in cells.sheetnames:
        return None, None
    kind = cells.get(META_SHEET, "B1")
    chunks = []
    column = 2
    while (value := cells.get(META_SHEET, f"{column_letter(column)}4")) not in (None, ""):
        chunks.append(str(value))
        column += 1
    try:
        return kind, json.loads("".join(chunks))
    except ValueError:
        return kind, None


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return None


def _threshold(value):
    return None if value in (None, "–", "-", "") else _number(value)


def _text(value) -> str:
    return "" if value is None else str(value)


def overlay_sar(agreement: Agreement, wb, findings: list, source: str) -> None:
    """Read results, round texts, weights and criteria from the SAR Card into `agreement`."""
    cells = as_cells(wb)
    layout = sar_layout(agreement)
    structure = round_sheet(12) if round_sheet(12) in cells.sheetnames else None
    for row in layout.rows:
        ind = row.indicator
        r = row.row
        if structure is not None:
            part = ind.parts[row.part] if row.is_part else None
            weight = _number(cells.get(structure, f"{Col.WEIGHT}{r}"))
            name = _text(cells.get(structure, f"{Col.NAME}{r}")).strip()
            thresholds = [_threshold(cells.get(structure, f"{c}{r}")) for c in Col.CRITERIA]
            target = part or ind
            if weight is not None:
                target.weight = weight
            target.name = name
            target.unit = _text(cells.get(structure, f"{Col.UNIT}{r}"))
            if part is not None:
                part.thresholds = thresholds
            elif ind.kind == THRESHOLD and row.applicable and not ind.granted:
                ind.thresholds = thresholds
            elif ind.kind == WEIGHTED:
                ind.composite_thresholds = thresholds
        for round_ in ROUNDS:
            sheet = round_sheet(round_)
            if sheet not in cells.sheetnames or not row.due(round_):
                continue  # a row not due in a round has no inputs there (DOMAIN §6.5a)
            if row.is_part:
                value = cells.get(sheet, f"{Col.RESULT}{r}")
                number = _number(value)
                if number is not None:
                    ind.parts[row.part].result[round_] = number
                elif value not in (None, ""):
                    findings.append(error("SAR-RESULT-NOT-NUMBER", f"ผลต้องเป็นตัวเลข ไม่ใช่ {value!r}",
                                          f"the result must be a number, not {value!r}", file=source,
                                          sheet=sheet, cell=f"{Col.RESULT}{r}", indicator=ind.id))
                continue
            if not row.applicable or ind.granted or ind.kind == GROUP:
                continue
            if ind.kind == THRESHOLD:
                value = cells.get(sheet, f"{Col.RESULT}{r}")
                number = _number(value)
                if number is not None:
                    ind.result[round_] = number
                elif value not in (None, ""):
                    findings.append(error("SAR-RESULT-NOT-NUMBER", f"ผลต้องเป็นตัวเลข ไม่ใช่ {value!r}",
                                          f"the result must be a number, not {value!r}", file=source,
                                          sheet=sheet, cell=f"{Col.RESULT}{r}", indicator=ind.id))
            elif ind.kind == MILESTONE:
                marks = [cells.get(sheet, f"{c}{r}") for c in Col.CRITERIA]
                if any(m not in (None, "") for m in marks):
                    ind.result[round_] = [m == MET for m in marks]
            explanation = cells.get(sheet, f"{Col.EXPLANATION}{r}")
            evidence = cells.get(sheet, f"{Col.EVIDENCE}{r}")
            if explanation not in (None, ""):
                ind.explanation[round_] = str(explanation)
            if evidence not in (None, ""):
                ind.evidence[round_] = str(evidence)


def _set_field(indicator: Indicator, field_: str, value) -> None:
    if field_ in ("id", "dimension", "kind", "direction", "weight"):
        return  # structure comes from the agreement; the audit compares these cells
    obj = indicator
    *path, last = field_.split(".")
    for attr in path:
        obj = getattr(obj, attr)
    setattr(obj, last, _text(value))


def overlay_template(agreement: Agreement, wb) -> None:
    """Read the KPI Template's fields, baselines and criteria into `agreement`."""
    cells = as_cells(wb)
    for ind in agreement.walk():
        sheet = template_sheet(ind.id)
        if sheet not in cells.sheetnames:
            continue

        def value(cell: str, sheet=sheet):
            return cells.get(sheet, cell)

        for field_, *_ in TEMPLATE_FIELDS:
            _set_field(ind, field_, value(template_field_cell(field_)))
        weight = _number(value(template_field_cell("weight")))
        if weight is not None:
            ind.weight = weight
        baseline = {}
        for column in BASELINE_COLUMNS:
            year = value(f"{column}{BASELINE_ROW}")
            result = value(f"{column}{BASELINE_ROW + 1}")
            if isinstance(year, (int, float)) and _number(result) is not None:
                baseline[int(year)] = _number(result)
        ind.baseline = baseline
        first = CRITERIA_ROW + 1
        if ind.kind == THRESHOLD and ind.thresholds:
            ind.thresholds = [_threshold(value(f"{c}{first}")) for c in TEMPLATE_CRITERIA_COLUMNS]
        elif ind.kind == MILESTONE:
            ind.milestones = [_text(value(template_milestone_cell(level))) for level in range(1, 6)]
        elif ind.kind == WEIGHTED:
            for offset, part in enumerate(ind.parts):
                row = first + offset
                part.thresholds = [_threshold(value(f"{c}{row}")) for c in TEMPLATE_CRITERIA_COLUMNS]
                weight = _number(value(f"{PART_WEIGHT_COL}{row}"))
                if weight is not None:
                    part.weight = weight
            row = first + len(ind.parts)
            ind.composite_thresholds = [_threshold(value(f"{c}{row}")) for c in TEMPLATE_CRITERIA_COLUMNS]


def agreement_from_workbook(wb, source: str) -> tuple[Optional[Agreement], list[Finding], Optional[str]]:
    """(agreement, findings, kind) from an open workbook."""
    kind, data = read_meta(wb)
    if data is None:
        return None, [error("WB-NOT-XLKPI", "ไม่ใช่สมุดงานที่ xlkpi สร้าง (ไม่พบข้อมูลกำกับ)",
                            "not a workbook xlkpi generated (its hidden agreement sheet is missing)",
                            file=source)], kind
    agreement, findings = parse(data, source)
    if agreement is None:
        return None, findings, kind
    if kind == KIND_SAR:
        overlay_sar(agreement, wb, findings, source)
    elif kind == KIND_TEMPLATE:
        overlay_template(agreement, wb)
    return agreement, findings, kind


_RECORDS = {Agreement, Indicator, Part, Contact}
_ROUND_ENTRIES = ("result", "explanation", "evidence")


def _without_round_entries(value):
    """A copy of an agreement (or a part of it) with every result and round text left out."""
    kind = type(value)
    if kind in _RECORDS:
        copied = {k: _without_round_entries(v) for k, v in value.__dict__.items()}
        if kind is Indicator or kind is Part:
            for key in _ROUND_ENTRIES:
                if key in copied:
                    copied[key] = {}
        new = object.__new__(kind)
        new.__dict__.update(copied)
        return new
    if kind is list:
        return [_without_round_entries(v) for v in value]
    if kind is dict:
        return {k: _without_round_entries(v) for k, v in value.items()}
    return value


def agreement_from_trusted(trusted: Agreement, wb, kind: str, source: str) -> tuple[Agreement, list[Finding]]:
    """`agreement_from_workbook` for a workbook whose hidden copy is the generator's for
    `trusted` (the audit's trusted view): that copy is `meta_text(trusted)`, which parses to
    `trusted` without results and round texts, so it is copied rather than parsed again.
    A test holds the two equal."""
    agreement, findings = _without_round_entries(trusted), []
    if kind == KIND_SAR:
        overlay_sar(agreement, wb, findings, source)
    elif kind == KIND_TEMPLATE:
        overlay_template(agreement, wb)
    return agreement, findings


def read_agreement(path) -> tuple[Optional[Agreement], list[Finding]]:
    """An agreement (with its results, for a SAR Card) read back from a workbook xlkpi wrote."""
    wb, findings = open_workbook(path)
    if wb is None:
        return None, findings
    agreement, more, _kind = agreement_from_workbook(wb, str(path))
    return agreement, findings + more
