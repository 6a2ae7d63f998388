"""The ministry's folder and its settings file `ministry.yaml` (DOMAIN §1).

Folder layout (docs/cycle.md)::

    <ministry>/ministry.yaml            settings: ministry, fiscal year, committees, officials, incentives
    <ministry>/agreements/<dept>.yaml   each department's signed agreement (results are added per round)
    <ministry>/changes/<dept>-<n>.yaml  change requests with the committee's decision
    <ministry>/reviews/<dept>-<n>.yaml  review requests with the committee's decision
    <ministry>/sar/<dept>.xlsx          SAR workbooks returned by departments
    <ministry>/reports/                 what the cycle writes (documents, analyses, Final Report)

`<dept>` is the agreement file's stem (a short code such as `ddc`); the department's
Thai name lives inside the agreement.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..findings import Finding, error, warning
from ..workbook.style import DEFAULT_PASSWORD

SETTINGS_FILE = "ministry.yaml"
AGREEMENTS = "agreements"
CHANGES = "changes"
REVIEWS = "reviews"
SAR = "sar"
REPORTS = "reports"

NEGOTIATION = "negotiation"  # คณะกรรมการเจรจาข้อตกลงและประเมินผล (ชุดที่ 2)
WORKING_GROUP = "working_group"  # คณะทำงานจัดทำคำรับรองและประเมินผล (ชุดที่ 3)
OVERSIGHT = "oversight"  # คณะกรรมการกำกับการประเมินผล (ชุดที่ 1)
COMMITTEES = (OVERSIGHT, NEGOTIATION, WORKING_GROUP)

ROLES = ("chair", "member", "secretary", "adviser")


@dataclass
class Member:
    name: str
    position: str = ""
    role: str = "member"  # chair | member | secretary | adviser
    independent: bool = False  # an independent external expert (กรรมการอิสระจากภายนอก)
    opdc_nominee: bool = False  # the member OPDC nominated (ก.พ.ร. เสนอชื่อ)
    ps_office: bool = False  # from the Office of the Permanent Secretary (สำนักงานปลัดกระทรวง)


@dataclass
class Official:
    """Someone who signs: a name and the position printed under the signature."""

    name: str = ""
    position: str = ""


@dataclass
class Settings:
    ministry: str
    fiscal_year: int
    password: str = DEFAULT_PASSWORD
    committees: dict = field(default_factory=dict)  # committee -> list[Member]
    # Signatories: "minister", "permanent_secretary", "deputy_ps" (the deputy who signs for
    # departments outside mission groups) -> Official
    officials: dict = field(default_factory=dict)
    mission_groups: dict = field(default_factory=dict)  # group name -> Official (its deputy PS)
    department_heads: dict = field(default_factory=dict)  # department name -> Official
    incentives: dict = field(default_factory=dict)  # {"pool": baht, "tiers": [...]} (see incentives)


def folder_paths(folder) -> dict:
    folder = Path(folder)
    return {name: folder / name for name in (AGREEMENTS, CHANGES, REVIEWS, SAR, REPORTS)}


def init_folder(folder) -> None:
    for path in folder_paths(folder).values():
        path.mkdir(parents=True, exist_ok=True)


def _bool(value: Any, path: str, findings: list, source: str) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    findings.append(error("MIN-FIELD", f"ต้องเป็น true หรือ false ไม่ใช่ {value!r}",
                          f"must be true or false, not {value!r}", file=source, cell=path))
    return False


def _official(value: Any, path: str, findings: list, source: str) -> Official:
    if isinstance(value, str):
        return Official(position=value)
    if not isinstance(value, dict):
        findings.append(error("MIN-FIELD", "ต้องมี name และ position", "must have a name and a position",
                              file=source, cell=path))
        return Official()
    return Official(str(value.get("name") or ""), str(value.get("position") or ""))


def parse_settings(data: Any, source: str = SETTINGS_FILE) -> tuple[Optional[Settings], list[Finding]]:
    """Settings from parsed YAML; problems are findings naming the field path."""
    findings: list[Finding] = []
    if not isinstance(data, dict):
        return None, [error("MIN-FORMAT", "ไฟล์ตั้งค่ากระทรวงต้องเป็นรายการ (mapping) ของช่องข้อมูล",
                            "the ministry settings file must be a mapping of fields", file=source)]
    for required in ("ministry", "fiscal_year"):
        if data.get(required) in (None, ""):
            findings.append(error("MIN-REQUIRED", f"ไม่มีช่อง {required} ซึ่งจำเป็น",
                                  f"the required field {required} is missing", file=source, cell=required))
    year = data.get("fiscal_year")
    if year not in (None, "") and (not isinstance(year, int) or not 2500 <= year <= 2700):
        findings.append(error("MIN-YEAR", f"ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2552 ไม่ใช่ {year!r}",
                              f"the fiscal year must be a Buddhist Era year such as 2552, not {year!r}",
                              file=source, cell="fiscal_year"))
        year = None
    committees: dict = {}
    raw_committees = data.get("committees") or {}
    if not isinstance(raw_committees, dict):
        findings.append(error("MIN-FIELD", "committees ต้องเป็นรายการคณะกรรมการ",
                              "committees must map committee names to member lists", file=source,
                              cell="committees"))
        raw_committees = {}
    for name, members in raw_committees.items():
        path = f"committees.{name}"
        if name not in COMMITTEES:
            findings.append(warning("MIN-UNKNOWN-COMMITTEE", f"ไม่รู้จักคณะ {name!r}",
                                    f"unknown committee {name!r} (known: {', '.join(COMMITTEES)})",
                                    file=source, cell=path))
        if not isinstance(members, list):
            findings.append(error("MIN-FIELD", "ต้องเป็นรายชื่อกรรมการ", "must list the members",
                                  file=source, cell=path))
            continue
        out = []
        for i, m in enumerate(members):
            mpath = f"{path}[{i}]"
            if not isinstance(m, dict) or not m.get("name"):
                findings.append(error("MIN-MEMBER", "กรรมการต้องมีชื่อ (name)", "a member must have a name",
                                      file=source, cell=mpath))
                continue
            role = m.get("role") or "member"
            if role not in ROLES:
                findings.append(error("MIN-ROLE", f"บทบาทต้องเป็น {' | '.join(ROLES)} ไม่ใช่ {role!r}",
                                      f"the role must be one of {', '.join(ROLES)}, not {role!r}",
                                      file=source, cell=f"{mpath}.role"))
                role = "member"
            out.append(Member(
                name=str(m["name"]), position=str(m.get("position") or ""), role=role,
                independent=_bool(m.get("independent"), f"{mpath}.independent", findings, source),
                opdc_nominee=_bool(m.get("opdc_nominee"), f"{mpath}.opdc_nominee", findings, source),
                ps_office=_bool(m.get("ps_office"), f"{mpath}.ps_office", findings, source),
            ))
        committees[name] = out

    def officials(key: str) -> dict:
        raw = data.get(key) or {}
        if not isinstance(raw, dict):
            findings.append(error("MIN-FIELD", f"{key} ต้องเป็นรายการ (mapping)", f"{key} must be a mapping",
                                  file=source, cell=key))
            return {}
        return {str(k): _official(v, f"{key}.{k}", findings, source) for k, v in raw.items()}

    incentives = data.get("incentives") or {}
    if not isinstance(incentives, dict):
        findings.append(error("MIN-FIELD", "incentives ต้องเป็นรายการ (mapping)", "incentives must be a mapping",
                              file=source, cell="incentives"))
        incentives = {}
    if incentives:
        from .incentives import parse_tiers

        _, tier_findings = parse_tiers(incentives.get("tiers"), source)
        findings.extend(tier_findings)
        pool = incentives.get("pool")
        if pool is not None and (isinstance(pool, bool) or not isinstance(pool, int) or pool < 0):
            findings.append(error("MIN-POOL", f"วงเงินสิ่งจูงใจต้องเป็นจำนวนบาทเต็ม ไม่ใช่ {pool!r}",
                                  f"the incentive pool must be whole baht, not {pool!r}",
                                  file=source, cell="incentives.pool"))
    settings = Settings(
        ministry=str(data.get("ministry") or ""),
        fiscal_year=year or 0,
        password=str(data.get("password") or DEFAULT_PASSWORD),
        committees=committees,
        officials=officials("officials"),
        mission_groups=officials("mission_groups"),
        department_heads=officials("department_heads"),
        incentives=incentives,
    )
    return settings, findings


def load_settings(folder_or_file) -> tuple[Optional[Settings], list[Finding]]:
    """Read `ministry.yaml` (give the folder or the file); never raises for bad content."""
    path = Path(folder_or_file)
    if path.is_dir():
        path = path / SETTINGS_FILE
    try:
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        return None, [error("MIN-READ", f"เปิดไฟล์ตั้งค่ากระทรวงไม่ได้: {exc}",
                            f"cannot read the ministry settings: {exc}", file=str(path))]
    except Exception as exc:  # YAML syntax: a finding, not a traceback
        return None, [error("MIN-SYNTAX", f"อ่านไฟล์ไม่ได้: {exc}", f"cannot parse the file: {exc}",
                            file=str(path))]
    return parse_settings(data, str(path))


def settings_to_dict(settings: Settings) -> dict:
    def official(o: Official) -> dict:
        return {"name": o.name, "position": o.position}

    return {
        "ministry": settings.ministry,
        "fiscal_year": settings.fiscal_year,
        "password": settings.password,
        "committees": {name: [{"role": m.role, "name": m.name, "position": m.position,
                               "independent": m.independent, "opdc_nominee": m.opdc_nominee,
                               "ps_office": m.ps_office} for m in members]
                       for name, members in settings.committees.items()},
        "officials": {k: official(v) for k, v in settings.officials.items()},
        "mission_groups": {k: official(v) for k, v in settings.mission_groups.items()},
        "department_heads": {k: official(v) for k, v in settings.department_heads.items()},
        "incentives": settings.incentives,
    }


def save_settings(settings: Settings, folder) -> Path:
    import yaml

    from ..agreement import write_atomic

    path = Path(folder) / SETTINGS_FILE
    text = yaml.safe_dump(settings_to_dict(settings), allow_unicode=True, sort_keys=False, width=100)
    write_atomic(path, text.encode("utf-8"))
    return path


# --- committee composition (DOMAIN §1; seed 000 §4, ชุดที่ 2 and 3) ---------------------

#: Positions that may chair the negotiation committee: the permanent secretary, or the
#: deputy permanent secretary who is the Chief Change Officer.  Matched in the position text.
CHAIR_POSITIONS = ("ปลัดกระทรวง", "permanent secretary", "cco", "chief change officer")


def _chair_ok(position: str) -> bool:
    text = position.lower()
    return any(word in text for word in CHAIR_POSITIONS)


DEPUTY_PS_POSITIONS = ("รองปลัดกระทรวง", "deputy permanent secretary", "deputy ps")


def check_oversight(settings: Settings) -> list[Finding]:
    """The oversight committee (ชุดที่ 1) against DOMAIN §1: one chair who is the permanent
    secretary or the deputy PS who is CCO; deputy permanent secretaries (those heading mission
    groups among them) as members; at least one independent external expert; an OPDC
    representative (`opdc_nominee: true`)."""
    findings: list[Finding] = []
    where = dict(file=SETTINGS_FILE, cell=f"committees.{OVERSIGHT}")
    oversight = settings.committees.get(OVERSIGHT)
    if not oversight:
        return [error("COM-OVS-MISSING", "ไม่มีรายชื่อคณะกรรมการกำกับการประเมินผล (ชุดที่ 1)",
                      "the oversight committee is not listed", **where)]
    voting = [m for m in oversight if m.role in ("chair", "member")]
    chairs = [m for m in oversight if m.role == "chair"]
    if len(chairs) != 1:
        findings.append(error("COM-OVS-CHAIR", f"คณะกรรมการกำกับฯ ต้องมีประธาน 1 คน แต่มี {len(chairs)} คน",
                              f"the oversight committee must have one chair, it has {len(chairs)}", **where))
    for chair in chairs:
        if not _chair_ok(chair.position):
            findings.append(error("COM-OVS-CHAIR-POSITION",
                                  f"ประธานคณะกรรมการกำกับฯ ต้องเป็นปลัดกระทรวงหรือรองปลัดกระทรวง (CCO) ไม่ใช่ {chair.position!r}",
                                  f"the oversight chair must be the permanent secretary or the deputy PS/CCO, "
                                  f"not {chair.position!r}", **where))
    members = [m for m in voting if m.role == "member"]
    if not any(any(word in m.position.lower() for word in DEPUTY_PS_POSITIONS) for m in members):
        findings.append(error("COM-OVS-DEPUTIES", "คณะกรรมการกำกับฯ ต้องมีรองปลัดกระทรวง (หัวหน้ากลุ่มภารกิจ) เป็นกรรมการ",
                              "the oversight committee's members must include the deputy permanent secretaries "
                              "(heading the mission groups)", **where))
    if not any(m.independent for m in voting):
        findings.append(error("COM-OVS-INDEPENDENT", "คณะกรรมการกำกับฯ ต้องมีผู้ทรงคุณวุฒิอิสระจากภายนอก",
                              "the oversight committee needs independent external experts", **where))
    if not any(m.opdc_nominee for m in voting):
        findings.append(error("COM-OVS-OPDC", "คณะกรรมการกำกับฯ ต้องมีผู้แทนสำนักงาน ก.พ.ร.",
                              "the oversight committee needs an OPDC representative", **where))
    return findings


def check_committees(settings: Settings) -> list[Finding]:
    """The oversight committee (see check_oversight), the negotiation committee and the
    working group against DOMAIN §1.

    Negotiation committee: 5–7 members (advisers such as the ค.ต.ป. and the secretariat are
    not counted), one chair who is the permanent secretary or a deputy PS/CCO, at least one
    independent external member, and exactly one OPDC nominee.  Working group: at least 5
    members, at most 5 of them from the Office of the Permanent Secretary.
    """
    findings: list[Finding] = check_oversight(settings)
    where = dict(file=SETTINGS_FILE)

    negotiation = settings.committees.get(NEGOTIATION)
    path = f"committees.{NEGOTIATION}"
    if not negotiation:
        findings.append(error("COM-NEG-MISSING", "ไม่มีรายชื่อคณะกรรมการเจรจาข้อตกลงและประเมินผล",
                              "the negotiation committee is not listed", cell=path, **where))
    else:
        voting = [m for m in negotiation if m.role in ("chair", "member")]
        if not 5 <= len(voting) <= 7:
            findings.append(error("COM-NEG-SIZE",
                                  f"คณะกรรมการเจรจาฯ ต้องมี 5–7 คน แต่มี {len(voting)} คน",
                                  f"the negotiation committee must have 5–7 members, it has {len(voting)}",
                                  cell=path, **where))
        chairs = [m for m in negotiation if m.role == "chair"]
        if len(chairs) != 1:
            findings.append(error("COM-NEG-CHAIR",
                                  f"คณะกรรมการเจรจาฯ ต้องมีประธาน 1 คน แต่มี {len(chairs)} คน",
                                  f"the negotiation committee must have one chair, it has {len(chairs)}",
                                  cell=path, **where))
        for chair in chairs:
            if not _chair_ok(chair.position):
                findings.append(error("COM-NEG-CHAIR-POSITION",
                                      f"ประธานต้องเป็นปลัดกระทรวงหรือรองปลัดกระทรวง (CCO) ไม่ใช่ {chair.position!r}",
                                      f"the chair must be the permanent secretary or a deputy PS/CCO, "
                                      f"not {chair.position!r}", cell=path, **where))
        if not any(m.independent for m in voting):
            findings.append(error("COM-NEG-INDEPENDENT",
                                  "คณะกรรมการเจรจาฯ ต้องมีกรรมการอิสระจากภายนอกอย่างน้อย 1 คน",
                                  "the negotiation committee needs at least one independent external member",
                                  cell=path, **where))
        nominees = [m for m in voting if m.opdc_nominee]
        if len(nominees) != 1:
            findings.append(error("COM-NEG-OPDC",
                                  f"ต้องมีกรรมการที่สำนักงาน ก.พ.ร. เสนอชื่อ 1 คน แต่มี {len(nominees)} คน",
                                  f"the committee needs exactly one OPDC nominee, it has {len(nominees)}",
                                  cell=path, **where))

    group = settings.committees.get(WORKING_GROUP)
    path = f"committees.{WORKING_GROUP}"
    if not group:
        findings.append(error("COM-WG-MISSING", "ไม่มีรายชื่อคณะทำงานจัดทำคำรับรองและประเมินผล",
                              "the working group is not listed", cell=path, **where))
    else:
        if len(group) < 5:
            findings.append(error("COM-WG-SIZE", f"คณะทำงานต้องมีไม่น้อยกว่า 5 คน แต่มี {len(group)} คน",
                                  f"the working group needs at least 5 members, it has {len(group)}",
                                  cell=path, **where))
        from_ps = sum(1 for m in group if m.ps_office)
        if from_ps > 5:
            findings.append(error("COM-WG-PS-OFFICE",
                                  f"ผู้แทนสำนักงานปลัดกระทรวงต้องไม่เกิน 5 คน แต่มี {from_ps} คน",
                                  f"at most 5 members may come from the PS office, there are {from_ps}",
                                  cell=path, **where))
    return findings
