"""Change requests (คำขอเปลี่ยนแปลงรายละเอียดตัวชี้วัด, DOMAIN §3 step 5).

`diff_agreements(old, new)` compares two versions of an agreement field by field, per
indicator, on the terms of the agreement (results, explanations and evidence are reports,
not terms, and are left out).  A change request stores those changes with the committee's
decision; `baseline_for(folder, dept)` applies the approved ones, in request order, to the
signed agreement: that is the agreement the SAR audit compares against.  A rejected or
pending request changes nothing.

Change request file `changes/<dept>-<n>.yaml`::

    department: ddc            # the agreement's file stem in agreements/
    number: 1
    submitted_on: "2552-01-15"
    reason: ...
    decision: pending          # pending | approved | rejected
    decided_on: ""
    note: ""
    changes:
      - {indicator: "5.1", field: thresholds, kind: changed, old: [72, 76, 80, 84, 88], new: [70, 74, 78, 82, 86]}
"""
from __future__ import annotations

import copy
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..findings import Finding, error
from ..glossary import AgreementField, ChangeKind, Decision
from ..model import Agreement

# change kinds and decisions: values and labels in the glossary
ADDED, REMOVED, CHANGED = ChangeKind.values()
PENDING, APPROVED, REJECTED = DECISIONS = Decision.values()

#: Fields that record what was reported, not what was agreed.
REPORT_FIELDS = ("result", "explanation", "evidence")
#: Agreement-level fields compared (the rest are identity or bookkeeping).
AGREEMENT_FIELDS = ("department_type", "below_level_1", "framework", "mission_group", "split_reasons",
                    "governance_pilot", "pmqa", "staff")



@dataclass(frozen=True)
class Change:
    indicator: str  # indicator id; "" for an agreement-level field
    field: str  # path inside the indicator: "weight", "thresholds", "parts[0].thresholds"; "" for a whole indicator
    kind: str  # added | removed | changed
    old: Any = None
    new: Any = None
    parent: str = ""  # for an added indicator: its parent's id ("" at the top level)
    position: int = -1  # for an added indicator: its index among its siblings

    def to_dict(self) -> dict:
        data = asdict(self)
        if not self.parent:
            data.pop("parent")
        if self.position < 0:
            data.pop("position")
        return data

    @property
    def field_th(self) -> str:
        head = re.split(r"[.\[]", self.field)[0]
        return AgreementField.th_en(head)[0]


def _terms(data: dict) -> dict:
    """An indicator's dict without its children and reports."""
    return {k: v for k, v in data.items() if k not in REPORT_FIELDS and k != "children"}


def _flatten(value: Any, path: str, out: dict) -> None:
    """Leaf paths of a value: dicts by key, lists of dicts by index, other lists whole."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in REPORT_FIELDS:
                continue
            _flatten(item, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, item in enumerate(value):
            _flatten(item, f"{path}[{i}]", out)
    else:
        out[path] = value


def _indicator_dicts(agreement: Agreement) -> dict:
    """id -> (dict, parent id, position, dimension) for every indicator, in document order."""
    from ..agreement import indicator_to_dict

    out: dict = {}

    def visit(indicator, parent, position, parent_id):
        data = indicator_to_dict(indicator, parent)
        data.setdefault("dimension", indicator.dimension)
        out[indicator.id] = (data, parent_id, position)
        for i, child in enumerate(indicator.children):
            visit(child, indicator, i, indicator.id)

    for i, indicator in enumerate(agreement.indicators):
        visit(indicator, None, i, "")
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return a == b


def diff_agreements(old: Agreement, new: Agreement) -> list[Change]:
    """Every difference in the agreed terms, agreement fields first, then per indicator."""
    from ..agreement import to_dict

    changes: list[Change] = []
    old_top, new_top = to_dict(old), to_dict(new)
    for name in AGREEMENT_FIELDS:
        a, b = old_top.get(name), new_top.get(name)
        if not _same(a, b):
            changes.append(Change("", name, CHANGED, a, b))
    before, after = _indicator_dicts(old), _indicator_dicts(new)
    for ident, (data, parent, position) in after.items():
        if ident not in before:
            if parent in after and parent not in before:
                continue  # inside an added parent, which carries it
            changes.append(Change(ident, "", ADDED, None, _strip_reports(data), parent, position))
            continue
        a_flat: dict = {}
        b_flat: dict = {}
        _flatten(_terms(before[ident][0]), "", a_flat)
        _flatten(_terms(data), "", b_flat)
        for key in list(a_flat) + [k for k in b_flat if k not in a_flat]:
            a, b = a_flat.get(key), b_flat.get(key)
            if not _same(a, b):
                changes.append(Change(ident, key, CHANGED, a, b))
    for ident, (data, parent, _) in before.items():
        if ident not in after and not (parent in before and parent not in after):
            changes.append(Change(ident, "", REMOVED, _strip_reports(data), None, parent))
    return changes


def _strip_reports(data: dict) -> dict:
    out = {k: v for k, v in data.items() if k not in REPORT_FIELDS}
    if "children" in out:
        out["children"] = [_strip_reports(c) for c in out["children"]]
    if "parts" in out:
        out["parts"] = [{k: v for k, v in p.items() if k != "result"} for p in out["parts"]]
    return out


# --- applying changes ---------------------------------------------------------------------

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _segments(path: str) -> list:
    return [name if name else int(index) for name, index in _SEGMENT.findall(path)]


def _find(indicators: list, ident: str) -> Optional[tuple]:
    """(list holding it, index) of the indicator dict with this id."""
    for i, data in enumerate(indicators):
        if str(data.get("id")) == ident:
            return indicators, i
        found = _find(data.get("children") or [], ident)
        if found:
            return found
    return None


def _set(target: dict, path: str, value: Any) -> None:
    keys = _segments(path)
    for key, following in zip(keys, keys[1:]):
        if isinstance(key, int):
            target = target[key]
        else:
            target = target.setdefault(key, [] if isinstance(following, int) else {})
    last = keys[-1]
    if value is None and isinstance(target, dict):
        target.pop(last, None)
    else:
        target[last] = value


def apply_changes(agreement: Agreement, changes) -> tuple[Optional[Agreement], list[Finding]]:
    """The agreement with the changes applied (reports kept); findings for changes that no
    longer fit (an indicator that is not there)."""
    from ..agreement import parse, to_dict

    data = copy.deepcopy(to_dict(agreement))
    findings: list[Finding] = []
    for change in changes:
        if not change.indicator:
            _set(data, change.field, change.new)
            continue
        if change.kind == ADDED:
            siblings = data["indicators"]
            if change.parent:
                found = _find(data["indicators"], change.parent)
                if not found:
                    findings.append(error("CHG-PARENT", f"ไม่พบตัวชี้วัดแม่ {change.parent}",
                                          f"parent indicator {change.parent} not found", indicator=change.indicator))
                    continue
                holder, index = found
                siblings = holder[index].setdefault("children", [])
            position = change.position if 0 <= change.position <= len(siblings) else len(siblings)
            siblings.insert(position, copy.deepcopy(change.new))
            continue
        found = _find(data["indicators"], change.indicator)
        if not found:
            findings.append(error("CHG-INDICATOR", f"ไม่พบตัวชี้วัด {change.indicator} ที่ขอเปลี่ยน",
                                  f"indicator {change.indicator} to change is not in the agreement",
                                  indicator=change.indicator))
            continue
        holder, index = found
        if change.kind == REMOVED:
            del holder[index]
        else:
            _set(holder[index], change.field, copy.deepcopy(change.new))
    result, parse_findings = parse(data, agreement.department)
    return result, findings + parse_findings


# --- change-request records ------------------------------------------------------------

@dataclass
class ChangeRequest:
    department: str  # file stem of the agreement in agreements/
    number: int
    changes: list = field(default_factory=list)  # list[Change]
    reason: str = ""
    submitted_on: str = ""
    decision: str = PENDING
    decided_on: str = ""
    note: str = ""
    path: Optional[Path] = None

    def to_dict(self) -> dict:
        return {"department": self.department, "number": self.number, "submitted_on": self.submitted_on,
                "reason": self.reason, "decision": self.decision, "decided_on": self.decided_on,
                "note": self.note, "changes": [c.to_dict() for c in self.changes]}


def request_from_dict(data: Any, source: str) -> tuple[Optional[ChangeRequest], list[Finding]]:
    if not isinstance(data, dict) or not data.get("department"):
        return None, [error("CHG-FORMAT", "คำขอเปลี่ยนแปลงต้องมี department และ changes",
                            "a change request needs a department and changes", file=source)]
    findings = []
    decision = data.get("decision") or PENDING
    if decision not in DECISIONS:
        findings.append(error("CHG-DECISION", f"ผลการพิจารณาต้องเป็น {' | '.join(DECISIONS)} ไม่ใช่ {decision!r}",
                              f"the decision must be one of {', '.join(DECISIONS)}, not {decision!r}",
                              file=source, cell="decision"))
        decision = PENDING
    changes = []
    for i, raw in enumerate(data.get("changes") or []):
        if not isinstance(raw, dict) or raw.get("kind") not in (ADDED, REMOVED, CHANGED):
            findings.append(error("CHG-CHANGE", "รายการเปลี่ยนแปลงไม่ถูกต้อง", "a change entry is malformed",
                                  file=source, cell=f"changes[{i}]"))
            continue
        changes.append(Change(str(raw.get("indicator") or ""), str(raw.get("field") or ""), raw["kind"],
                              raw.get("old"), raw.get("new"), str(raw.get("parent") or ""),
                              int(raw.get("position", -1))))
    try:
        number = int(data.get("number") or 0)
    except (TypeError, ValueError):
        number = 0
    return ChangeRequest(str(data["department"]), number, changes, str(data.get("reason") or ""),
                         str(data.get("submitted_on") or ""), decision, str(data.get("decided_on") or ""),
                         str(data.get("note") or ""), Path(source)), findings


def load_request(path) -> tuple[Optional[ChangeRequest], list[Finding]]:
    from ._io import load_record

    return load_record(path, request_from_dict, "CHG-READ")


def load_requests(folder, department: Optional[str] = None) -> tuple[list[ChangeRequest], list[Finding]]:
    """Every change request in <folder>/changes (of one department when given), by number."""
    from ._io import load_records

    return load_records(folder, "changes", load_request, department)


def save_request(request: ChangeRequest, path=None) -> Path:
    from ._io import save_record

    return save_record(request, path)


def new_request(folder, department: str, changes, reason: str = "", submitted_on: str = "") -> ChangeRequest:
    """A pending request numbered after the department's last one, saved in changes/."""
    existing, _ = load_requests(folder, department)
    number = max((r.number for r in existing), default=0) + 1
    request = ChangeRequest(department, number, list(changes), reason, submitted_on)
    save_request(request, Path(folder) / "changes" / f"{department}-{number}.yaml")
    return request


def decide(request: ChangeRequest, approved: bool, decided_on: str, note: str = "") -> ChangeRequest:
    request.decision = APPROVED if approved else REJECTED
    request.decided_on = decided_on
    request.note = note
    return request


def baseline_for(folder, department: str) -> tuple[Optional[Agreement], list[Finding]]:
    """The signed agreement `agreements/<department>.yaml` with its approved changes applied."""
    from ..agreement import load

    path = Path(folder) / "agreements" / f"{department}.yaml"
    agreement, findings = load(path)
    if agreement is None:
        return None, findings
    requests, more = load_requests(folder, department)
    findings += more
    for request in requests:
        if request.decision == APPROVED:
            agreement, applied = apply_changes(agreement, request.changes)
            findings += [f.located(file=str(request.path)) for f in applied]
            if agreement is None:
                break
    return agreement, findings


# --- reading either form --------------------------------------------------------------

def load_any(path) -> tuple[Optional[Agreement], list[Finding]]:
    """An agreement from a YAML/JSON file, or from a workbook through the reader when present."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            from ..workbook.readback import read_agreement
        except ImportError:
            return None, [error("CHG-NO-READER", "ยังอ่านคำรับรองจากสมุดงานไม่ได้ (ไม่มี xlkpi.workbook.readback)",
                                "reading an agreement from a workbook is not available yet "
                                "(xlkpi.workbook.readback is missing)", file=str(path))]
        result = read_agreement(path)
        if isinstance(result, tuple):
            return result[0], list(result[1])
        return result, []
    from ..agreement import load

    return load(path)


# --- the analysis workbook ------------------------------------------------------------

def _show(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, dict):
        if "id" in value:
            return f"ตัวชี้วัด {value['id']} น้ำหนัก {_show(value.get('weight'))} — indicator {value['id']}"
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_change_analysis(changes, path, old: Optional[Agreement] = None, request: Optional[ChangeRequest] = None,
                          password: Optional[str] = None) -> Path:
    """The analysis the working group presents: one row per change, old → new, per indicator."""
    from openpyxl import Workbook

    from ..workbook.style import default_font, font, put_text, setup_a4, thin_border, wrap
    from ._io import heading_row, save_workbook

    wb = Workbook()
    default_font(wb)
    ws = wb.active
    ws.title = "วิเคราะห์คำขอ"
    title = "การวิเคราะห์คำขอเปลี่ยนแปลงรายละเอียดตัวชี้วัด — analysis of a change request"
    put_text(ws["A1"], title)
    ws["A1"].font = font(bold=True, size=18)
    row = 2
    if old is not None:
        put_text(ws.cell(row=row, column=1), f"{old.department} ({old.ministry}) ปีงบประมาณ พ.ศ. {old.fiscal_year}")
        row += 1
    if request is not None:
        put_text(ws.cell(row=row, column=1),
                 f"คำขอที่ {request.number} — request {request.number}; เหตุผล (reason): {request.reason}; "
                 f"ผลการพิจารณา (decision): {Decision.label(request.decision)} {request.decided_on} {request.note}")
        row += 1
    row += 1
    names = {i.id: i.name for i in old.walk()} if old is not None else {}
    heading_row(ws, row, ["ตัวชี้วัด\nindicator", "ชื่อตัวชี้วัด\nname", "รายการ\nfield", "การเปลี่ยนแปลง\nchange",
                          "เดิม\nold", "ใหม่\nnew", "ความเห็นคณะทำงาน\nworking group's analysis"],
                widths=[10, 36, 22, 16, 28, 28, 36])
    ws.print_title_rows = f"{row}:{row}"
    start = row + 1
    for change in changes:
        row += 1
        payload = change.new if isinstance(change.new, dict) else change.old if isinstance(change.old, dict) else {}
        name = names.get(change.indicator) or payload.get("name", "")
        values = [change.indicator or "(คำรับรอง)", name,
                  f"{change.field_th} ({change.field})" if change.field else "ทั้งตัวชี้วัด (whole indicator)",
                  ChangeKind.label(change.kind), _show(change.old), _show(change.new), ""]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col)
            put_text(cell, value)
            cell.border = thin_border()
            cell.alignment = wrap()
    if row < start:
        row += 1
        put_text(ws.cell(row=row, column=1), "ไม่มีการเปลี่ยนแปลง — no changes")
    setup_a4(ws, landscape=True)
    del password  # the analysis stays editable: the working group writes its comments in column G
    return save_workbook(wb, path)
