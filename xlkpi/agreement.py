"""The agreement file (DOMAIN §10): load, validate and save YAML or JSON.

Problems in a file are findings naming the file and the field path
(`indicators[3].children[0].thresholds`), in Thai and English; `load` never raises for bad
content.  `dump` writes the canonical form, which `load` reads back to an equal agreement.
"""
from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from dataclasses import fields
from pathlib import Path
from typing import Any, Optional

from .checks import thresholds_have_ends, thresholds_in_order
from .findings import Finding, error, warning
from .model import (
    DEPARTMENT_TYPES,
    DOWN,
    GROUP,
    LEVELS,
    MILESTONE,
    ROUNDS,
    THRESHOLD,
    UP,
    WEIGHTED,
    Agreement,
    Contact,
    Indicator,
    rounds_of,
    Part,
)


class _Reader:
    """Turns parsed data into model records, collecting findings instead of raising."""

    def __init__(self, source: str):
        self.source = source
        self.findings: list[Finding] = []
        self.ids: dict = {}  # indicator id -> field path where it first appeared

    def bad(self, path: str, th: str, en: str, code: str = "AGR-FIELD") -> None:
        self.findings.append(error(code, th, en, file=self.source, cell=path))

    def warn(self, path: str, th: str, en: str, code: str) -> None:
        self.findings.append(warning(code, th, en, file=self.source, cell=path))

    def unknown_fields(self, data: dict, record, path: str) -> None:
        known = {f.name for f in fields(record)}
        for key in data:
            if key not in known:
                self.warn(f"{path}.{key}" if path else str(key), f"ไม่รู้จักช่อง {key!r} จึงไม่ได้ใช้",
                          f"unknown field {key!r} is ignored", "AGR-UNKNOWN-FIELD")

    # -- scalars -------------------------------------------------------------------
    def number(self, value: Any, path: str, allow_none: bool = False) -> Optional[float]:
        if value is None or value == "–" or value == "-":
            if allow_none:
                return None
            self.bad(path, "ต้องเป็นตัวเลข แต่ว่างอยู่", "must be a number but is blank", "AGR-NUMBER")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                return float(str(value).replace(",", ""))
            except ValueError:
                self.bad(path, f"ต้องเป็นตัวเลข ไม่ใช่ {value!r}", f"must be a number, not {value!r}",
                         "AGR-NUMBER")
                return None
        return float(value)

    def text(self, value: Any, path: str) -> str:
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            self.bad(path, "ต้องเป็นข้อความ", "must be text")
            return ""
        return str(value)

    def boolean(self, value: Any, path: str, default: bool) -> bool:
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in ("true", "yes", "ใช่", "ผ่าน", "1"):
            return True
        if isinstance(value, str) and value.strip().lower() in ("false", "no", "ไม่ใช่", "ไม่ผ่าน", "0"):
            return False
        self.bad(path, f"ต้องเป็น true หรือ false ไม่ใช่ {value!r}", f"must be true or false, not {value!r}")
        return default

    def choice(self, value: Any, path: str, choices: tuple, default: str) -> str:
        if value is None:
            return default
        if value not in choices:
            listed = " | ".join(str(c) for c in choices)
            self.bad(path, f"ต้องเป็นค่าใดค่าหนึ่งใน {listed} ไม่ใช่ {value!r}",
                     f"must be one of {listed}, not {value!r}")
            return default
        return value

    def thresholds(self, value: Any, path: str, direction: str) -> list:
        if not isinstance(value, list) or len(value) != LEVELS:
            self.bad(path, f"ต้องมีเกณฑ์ {LEVELS} ระดับ", f"must list {LEVELS} thresholds", "AGR-THRESHOLDS")
            return [None] * LEVELS
        out = [self.number(v, f"{path}[{i}]", allow_none=True) for i, v in enumerate(value)]
        if not thresholds_have_ends(out):
            self.bad(path, "เกณฑ์ระดับ 1 และระดับ 5 ต้องไม่ว่าง", "levels 1 and 5 must have thresholds",
                     "AGR-THRESHOLD-ENDS")
            return out
        if not thresholds_in_order(out, direction):
            word_th = "ลดลง" if direction == DOWN else "เพิ่มขึ้น"
            word_en = "decreasing" if direction == DOWN else "increasing"
            self.bad(path, f"เกณฑ์ต้อง{word_th}อย่างเคร่งครัด (direction: {direction})",
                     f"thresholds must be strictly {word_en} (direction: {direction})",
                     "AGR-THRESHOLD-ORDER")
        return out

    def results(self, value: Any, path: str, milestone: bool) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.bad(path, "ต้องระบุผลเป็นรอบ เช่น {6: 70, 12: 93.5}",
                     "must map rounds to results, e.g. {6: 70, 12: 93.5}", "AGR-RESULT")
            return {}
        out: dict = {}
        for key, raw in value.items():
            try:
                round_ = int(key)
            except (TypeError, ValueError):
                round_ = None
            if round_ not in ROUNDS:
                self.bad(f"{path}.{key}", f"รอบต้องเป็น 6, 9 หรือ 12 ไม่ใช่ {key!r}",
                         f"the round must be 6, 9 or 12, not {key!r}", "AGR-ROUND")
                continue
            if raw is None:
                continue
            if milestone:
                if not isinstance(raw, list) or len(raw) != LEVELS:
                    self.bad(f"{path}.{key}", "ผลของตัวชี้วัดแบบขั้นตอนต้องเป็นรายการ 5 ค่า (ผ่าน/ไม่ผ่าน)",
                             "a milestone result must list 5 values (met / not met)", "AGR-RESULT")
                    continue
                out[round_] = [self.boolean(v, f"{path}.{key}[{i}]", False) for i, v in enumerate(raw)]
            else:
                number = self.number(raw, f"{path}.{key}")
                if number is not None:
                    out[round_] = number
        return out

    def report_rounds(self, value: Any, path: str) -> Optional[list]:
        """The rounds an indicator or part reports in (DOMAIN §6.5a); None = inherited."""
        if value in (None, []):
            return None
        if isinstance(value, (int, str)):
            value = [value]
        rounds = []
        for raw in value if isinstance(value, list) else [value]:
            try:
                round_ = int(raw)
            except (TypeError, ValueError):
                round_ = None
            if round_ not in ROUNDS:
                self.bad(path, f"รอบที่รายงานต้องเป็น 6, 9 หรือ 12 ไม่ใช่ {raw!r}",
                         f"a reporting round must be 6, 9 or 12, not {raw!r}", "AGR-ROUND")
            elif round_ not in rounds:
                rounds.append(round_)
        return sorted(rounds) or None

    def round_texts(self, value: Any, path: str) -> dict:
        if not value:
            return {}
        if not isinstance(value, dict):
            self.bad(path, "ต้องระบุเป็นรอบ เช่น {12: ...}", "must map rounds to text, e.g. {12: ...}")
            return {}
        return {int(k): self.text(v, f"{path}.{k}") for k, v in value.items() if str(k).isdigit()}

    def baseline(self, value: Any, path: str) -> dict:
        if not value:
            return {}
        if not isinstance(value, dict):
            self.bad(path, "ต้องระบุเป็นปี พ.ศ. เช่น {2551: 85}", "must map fiscal years to results, e.g. {2551: 85}")
            return {}
        out = {}
        for key, raw in value.items():
            year = self.number(key, f"{path}.{key}")
            if year is not None:
                out[int(year)] = self.number(raw, f"{path}.{key}", allow_none=True)
        return out

    def contact(self, value: Any, path: str) -> Contact:
        if value is None:
            return Contact()
        if isinstance(value, str):
            return Contact(name=value)
        if not isinstance(value, dict):
            self.bad(path, "ต้องมี name และ phone", "must have a name and a phone")
            return Contact()
        return Contact(self.text(value.get("name"), f"{path}.name"),
                       self.text(value.get("phone"), f"{path}.phone"))

    # -- records -------------------------------------------------------------------
    def part(self, data: Any, path: str) -> Optional[Part]:
        if not isinstance(data, dict):
            self.bad(path, "ต้องเป็นรายการที่มี name, weight, thresholds",
                     "must be a mapping with name, weight, thresholds")
            return None
        self.unknown_fields(data, Part, path)
        direction = self.choice(data.get("direction"), f"{path}.direction", (UP, DOWN), UP)
        weight = self.number(data.get("weight"), f"{path}.weight")
        return Part(
            name=self.text(data.get("name"), f"{path}.name"),
            weight=weight if weight is not None else 0.0,
            thresholds=self.thresholds(data.get("thresholds"), f"{path}.thresholds", direction),
            unit=self.text(data.get("unit"), f"{path}.unit"),
            direction=direction,
            interpolate=self.boolean(data.get("interpolate"), f"{path}.interpolate", True),
            result=self.results(data.get("result"), f"{path}.result", milestone=False),
            report_rounds=self.report_rounds(data.get("report_rounds"), f"{path}.report_rounds"),
        )

    def indicator(self, data: Any, path: str, parent: Optional[Indicator] = None) -> Optional[Indicator]:
        if not isinstance(data, dict):
            self.bad(path, "ตัวชี้วัดต้องเป็นรายการที่มี id", "an indicator must be a mapping with an id")
            return None
        if data.get("id") in (None, ""):
            self.bad(f"{path}.id", "ไม่มีรหัสตัวชี้วัด (id)", "the indicator has no id", "AGR-ID")
        self.unknown_fields(data, Indicator, path)
        self.check_id(data.get("id"), path)
        children_data = data.get("children") or []
        kind_default = (GROUP if children_data else WEIGHTED if data.get("parts")
                        else MILESTONE if data.get("milestones") else THRESHOLD)
        kind = self.choice(data.get("kind"), f"{path}.kind", (THRESHOLD, MILESTONE, WEIGHTED, GROUP),
                           kind_default)
        direction = self.choice(data.get("direction"), f"{path}.direction", (UP, DOWN), UP)
        applicable = self.boolean(data.get("applicable"), f"{path}.applicable", True)
        granted = self.boolean(data.get("granted"), f"{path}.granted", False)
        dimension = data.get("dimension", parent.dimension if parent else None)
        if dimension not in (1, 2, 3, 4):
            self.bad(f"{path}.dimension", f"มิติต้องเป็น 1, 2, 3 หรือ 4 ไม่ใช่ {dimension!r}",
                     f"the dimension must be 1, 2, 3 or 4, not {dimension!r}", "AGR-DIMENSION")
            dimension = 0
        weight = self.number(data.get("weight", 0), f"{path}.weight")
        indicator = Indicator(
            id=str(data.get("id", "")),
            name=self.text(data.get("name"), f"{path}.name"),
            dimension=dimension,
            weight=weight if weight is not None else 0.0,
            kind=kind,
            unit=self.text(data.get("unit"), f"{path}.unit"),
            direction=direction,
            interpolate=self.boolean(data.get("interpolate"), f"{path}.interpolate", True),
            applicable=applicable,
            moved_to=self.text(data.get("moved_to"), f"{path}.moved_to"),
            granted=granted,
            granted_reason=self.text(data.get("granted_reason"), f"{path}.granted_reason"),
            definition=self.text(data.get("definition"), f"{path}.definition"),
            formula=self.text(data.get("formula"), f"{path}.formula"),
            baseline=self.baseline(data.get("baseline"), f"{path}.baseline"),
            data_source=self.text(data.get("data_source"), f"{path}.data_source"),
            owner=self.contact(data.get("owner"), f"{path}.owner"),
            collector=self.contact(data.get("collector"), f"{path}.collector"),
            rationale=self.text(data.get("rationale"), f"{path}.rationale"),
            conditions=self.text(data.get("conditions"), f"{path}.conditions"),
            evaluation=self.text(data.get("evaluation"), f"{path}.evaluation"),
            evidence_expected=self.text(data.get("evidence_expected"), f"{path}.evidence_expected"),
            responsible_unit=self.text(data.get("responsible_unit"), f"{path}.responsible_unit"),
            explanation=self.round_texts(data.get("explanation"), f"{path}.explanation"),
            evidence=self.round_texts(data.get("evidence"), f"{path}.evidence"),
            category=data.get("category"),
            report_rounds=self.report_rounds(data.get("report_rounds"), f"{path}.report_rounds"),
        )
        scored = applicable and not granted
        if kind == THRESHOLD:
            if "thresholds" in data or scored:
                indicator.thresholds = self.thresholds(data.get("thresholds"), f"{path}.thresholds", direction)
            indicator.result = self.results(data.get("result"), f"{path}.result", milestone=False)
        elif kind == MILESTONE:
            milestones = data.get("milestones")
            if not isinstance(milestones, list) or len(milestones) != LEVELS:
                self.bad(f"{path}.milestones", "ต้องมีขั้นตอน 5 ระดับ", "must list 5 milestones", "AGR-MILESTONES")
                milestones = [""] * LEVELS
            indicator.milestones = [self.text(m, f"{path}.milestones[{i}]") for i, m in enumerate(milestones)]
            indicator.result = self.results(data.get("result"), f"{path}.result", milestone=True)
        elif kind == WEIGHTED:
            parts = data.get("parts")
            if not isinstance(parts, list) or not parts:
                if scored:
                    self.bad(f"{path}.parts", "ตัวชี้วัดแบบถ่วงน้ำหนักต้องมีองค์ประกอบ (parts)",
                             "a weighted indicator must list its parts", "AGR-PARTS")
                parts = []
            indicator.parts = [p for p in (self.part(d, f"{path}.parts[{i}]") for i, d in enumerate(parts)) if p]
            if "composite_thresholds" in data:
                indicator.composite_thresholds = self.thresholds(
                    data["composite_thresholds"], f"{path}.composite_thresholds", UP)
        else:
            if not isinstance(children_data, list) or not children_data:
                self.bad(f"{path}.children", "ตัวชี้วัดแบบกลุ่มต้องมีตัวชี้วัดย่อย",
                         "a group indicator must list its children", "AGR-CHILDREN")
                children_data = []
            indicator.children = [c for c in (self.indicator(d, f"{path}.children[{i}]", indicator)
                                              for i, d in enumerate(children_data)) if c]
        return indicator

    def agreement(self, data: Any) -> Optional[Agreement]:
        if not isinstance(data, dict):
            self.bad("", "ไฟล์คำรับรองต้องเป็นรายการ (mapping) ของช่องข้อมูล",
                     "an agreement file must be a mapping of fields", "AGR-FORMAT")
            return None
        self.unknown_fields(data, Agreement, "")
        for required in ("fiscal_year", "ministry", "department", "indicators"):
            if data.get(required) in (None, ""):
                self.bad(required, f"ไม่มีช่อง {required} ซึ่งจำเป็น", f"the required field {required} is missing",
                         "AGR-REQUIRED")
        year = self.number(data.get("fiscal_year"), "fiscal_year") if data.get("fiscal_year") else None
        if year is not None and not 2500 <= year <= 2700:
            self.bad("fiscal_year", f"ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2552 ไม่ใช่ {year:g}",
                     f"the fiscal year must be a Buddhist Era year such as 2552, not {year:g}", "AGR-YEAR")
        below = data.get("below_level_1", 1)
        if below not in (0, 1):
            self.bad("below_level_1", f"ต้องเป็น 0 หรือ 1 ไม่ใช่ {below!r}", f"must be 0 or 1, not {below!r}")
            below = 1
        indicators_data = data.get("indicators") or []
        if not isinstance(indicators_data, list):
            self.bad("indicators", "ต้องเป็นรายการตัวชี้วัด", "must be a list of indicators")
            indicators_data = []
        agreement = Agreement(
            fiscal_year=int(year) if year else 0,
            ministry=self.text(data.get("ministry"), "ministry"),
            department=self.text(data.get("department"), "department"),
            department_code=unicodedata.normalize("NFC", self.text(data.get("department_code"), "department_code")).strip(),
            department_type=self.choice(data.get("department_type"), "department_type",
                                        DEPARTMENT_TYPES, "in_mission_group"),
            below_level_1=int(below),
            indicators=[i for i in (self.indicator(d, f"indicators[{n}]") for n, d in enumerate(indicators_data)) if i],
            framework=self.text(data.get("framework"), "framework"),
            mission_group=self.text(data.get("mission_group"), "mission_group"),
            split_reasons=self.text(data.get("split_reasons"), "split_reasons"),
            governance_pilot=self.boolean(data.get("governance_pilot"), "governance_pilot", False),
            pmqa=data.get("pmqa") or {},
            version=self.text(data.get("version"), "version"),
            signed_on=self.text(data.get("signed_on"), "signed_on"),
            staff=int(self.number(data.get("staff"), "staff") or 0) if data.get("staff") else 0,
        )
        return agreement

    def check_id(self, value: Any, path: str) -> None:
        """A second indicator with an id already seen is an error at its own field path."""
        if value in (None, ""):
            return
        key = str(value)
        if key in self.ids:
            self.bad(f"{path}.id", f"รหัสตัวชี้วัด {key} ซ้ำกับ {self.ids[key]}",
                     f"indicator id {key} appears twice (first at {self.ids[key]})", "AGR-DUPLICATE-ID")
        else:
            self.ids[key] = path


def parse(data: Any, source: str = "<data>") -> tuple[Optional[Agreement], list[Finding]]:
    """Build an agreement from parsed YAML/JSON data; findings say what is wrong with it."""
    reader = _Reader(source)
    agreement = reader.agreement(data)
    if agreement is not None:
        _warn_results_not_due(agreement, reader)
    return agreement, reader.findings


def _warn_results_not_due(agreement: Agreement, reader: "_Reader") -> None:
    """A result for a round the indicator does not report in is not scored (DOMAIN §6.5a)."""

    def visit(indicator: Indicator, path: str, inherited: tuple) -> None:
        own = indicator.own_rounds(inherited)
        holders = [(indicator.result, own, indicator.id, path)] + [
            (p.result, rounds_of(p.report_rounds, own), f"{indicator.id} ({n + 1})", f"{path}.parts[{n}]")
            for n, p in enumerate(indicator.parts)]
        for results, rounds, label, where in holders:
            for round_ in sorted(set(results) - set(rounds)):
                reader.warn(f"{where}.result.{round_}",
                            f"ตัวชี้วัด {label} ไม่ต้องรายงานผลรอบ {round_} เดือน (report_rounds) ผลนี้จึงไม่นำมาคิดคะแนน",
                            f"indicator {label} does not report in the {round_}-month round (report_rounds): "
                            "this result is not scored", "AGR-RESULT-NOT-DUE")
        for n, child in enumerate(indicator.children):
            visit(child, f"{path}.children[{n}]", own)

    for n, top in enumerate(agreement.indicators):
        visit(top, f"indicators[{n}]", ROUNDS)


def read_text(text: str, source: str = "<text>") -> tuple[Optional[Agreement], list[Finding]]:
    try:
        if source.lower().endswith(".json"):
            data = json.loads(text)
        else:
            import yaml

            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ~10x faster
    except Exception as exc:  # a syntax error in the file is a finding, not a traceback
        where = getattr(exc, "problem_mark", None)
        cell = f"line {where.line + 1}" if where is not None else (
            f"line {exc.lineno}" if hasattr(exc, "lineno") else "")
        return None, [error("AGR-SYNTAX", f"อ่านไฟล์ไม่ได้: {exc}", f"cannot parse the file: {exc}",
                            file=source, cell=cell)]
    return parse(data, source)


def load(path) -> tuple[Optional[Agreement], list[Finding]]:
    """Read an agreement file (.yaml, .yml or .json); never raises for bad content."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error("AGR-READ", f"เปิดไฟล์ไม่ได้: {exc}", f"cannot read the file: {exc}", file=str(path))]
    return read_text(text, str(path))


# --- writing ---------------------------------------------------------------------------

def _clean(mapping: dict) -> dict:
    """Drop empty optional fields so the canonical form stays short and diffable."""
    return {k: v for k, v in mapping.items() if v not in ("", None, {}, [])}


def _number(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _results(values: dict) -> dict:
    return {r: (list(v) if isinstance(v, list) else _number(v)) for r, v in sorted(values.items())}


def part_to_dict(part: Part) -> dict:
    data = {"name": part.name, "weight": _number(part.weight), "unit": part.unit,
            "thresholds": [_number(t) for t in part.thresholds], "result": _results(part.result)}
    if part.direction != UP:
        data["direction"] = part.direction
    if not part.interpolate:
        data["interpolate"] = False
    if part.report_rounds:
        data["report_rounds"] = sorted(part.report_rounds)
    return _clean(data)


def indicator_to_dict(indicator: Indicator, parent: Optional[Indicator] = None) -> dict:
    data: dict = {"id": indicator.id, "name": indicator.name}
    if parent is None or parent.dimension != indicator.dimension:
        data["dimension"] = indicator.dimension
    data["weight"] = _number(indicator.weight)
    data["kind"] = indicator.kind
    data["unit"] = indicator.unit
    if indicator.direction != UP:
        data["direction"] = indicator.direction
    if not indicator.interpolate:
        data["interpolate"] = False
    if indicator.kind == THRESHOLD:
        data["thresholds"] = [_number(t) for t in indicator.thresholds]
    elif indicator.kind == MILESTONE:
        data["milestones"] = list(indicator.milestones)
    elif indicator.kind == WEIGHTED:
        data["parts"] = [part_to_dict(p) for p in indicator.parts]
        if list(indicator.composite_thresholds) != [1, 2, 3, 4, 5]:
            data["composite_thresholds"] = [_number(t) for t in indicator.composite_thresholds]
    if not indicator.applicable:
        data["applicable"] = False
    data["moved_to"] = indicator.moved_to
    if indicator.granted:
        data["granted"] = True
    data["granted_reason"] = indicator.granted_reason
    if indicator.report_rounds:
        data["report_rounds"] = sorted(indicator.report_rounds)
    data["result"] = _results(indicator.result)
    for name in ("definition", "formula", "data_source", "rationale", "conditions", "evaluation",
                 "evidence_expected", "responsible_unit"):
        data[name] = getattr(indicator, name)
    data["baseline"] = {y: _number(v) for y, v in sorted(indicator.baseline.items())}
    for name in ("owner", "collector"):
        contact = getattr(indicator, name)
        data[name] = _clean({"name": contact.name, "phone": contact.phone})
    data["explanation"] = dict(sorted(indicator.explanation.items()))
    data["evidence"] = dict(sorted(indicator.evidence.items()))
    data["category"] = indicator.category
    if indicator.kind == GROUP:
        data["children"] = [indicator_to_dict(c, indicator) for c in indicator.children]
    return _clean(data)


def to_dict(agreement: Agreement) -> dict:
    data = {
        "fiscal_year": agreement.fiscal_year,
        "ministry": agreement.ministry,
        "department": agreement.department,
        "department_code": agreement.department_code,
        "department_type": agreement.department_type,
        "below_level_1": agreement.below_level_1,
        "framework": agreement.framework,
        "mission_group": agreement.mission_group,
        "split_reasons": agreement.split_reasons,
        "governance_pilot": agreement.governance_pilot or None,
        "pmqa": agreement.pmqa,
        "version": agreement.version,
        "signed_on": agreement.signed_on,
        "staff": agreement.staff or None,
        "indicators": [indicator_to_dict(i) for i in agreement.indicators],
    }
    data = _clean(data)
    data.setdefault("below_level_1", agreement.below_level_1)
    return data


def dumps(agreement: Agreement, fmt: str = "yaml") -> str:
    data = to_dict(agreement)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return _yaml_dump(data)


def _yaml_dump(data) -> str:
    """YAML with short lists of scalars on one line (thresholds, milestones met), for diffs."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def represent_list(dumper, items):
        flow = all(isinstance(i, (int, float, bool)) or i is None for i in items)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)

    Dumper.add_representer(list, represent_list)
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)


def write_atomic(path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def dump(agreement: Agreement, path) -> None:
    """Save an agreement; the format follows the file's suffix (.json, else YAML)."""
    fmt = "json" if str(path).lower().endswith(".json") else "yaml"
    write_atomic(path, dumps(agreement, fmt).encode("utf-8"))
