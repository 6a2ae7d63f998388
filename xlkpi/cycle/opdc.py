"""OPDC's ministry- and mission-group-level results (DOMAIN §3, แผนภาพที่ 5; §2 Feb).

OPDC evaluates dimension 1 at ministry and mission-group level and sends the results in
February of the next year.  A department does not measure its indicators 1 (the ministry's
action plan) and 2 (its mission group's action plan): it takes these results, and the final
scores use them (DOMAIN §3 step 9).

The file OPDC's results are typed into (``xlkpi opdc-results FOLDER FILE``)::

    received_on: "2553-02-20"          # the date the ministry received them (B.E. or C.E.)
    reference: สำนักงาน ก.พ.ร. ที่ นร 1200/123   # OPDC's letter, optional
    ministry:                           # indicator id -> score (1–5) for every department
      "1.1": 3.7412
      "1.3": 4
    mission_groups:                     # mission group -> {indicator id -> score}
      กลุ่มภารกิจด้านพัฒนาการสาธารณสุข: {"2": 3.9}

Ministry-level ids must be indicator 1 or under it; mission-group ids indicator 2 or under
it.  They are scores, as OPDC reports them; each replaces the score of that (leaf) indicator
in every department that takes it — a department under the Minister takes neither, one not
in a mission group not indicator 2 (those indicators are not applicable in its agreement).
It is recorded as ``opdc/results.yaml`` in the ministry folder.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..findings import Finding, error, warning

OPDC_FOLDER = "opdc"
OPDC_FILE = "results.yaml"
#: The top-level indicator each level's results belong to (DOMAIN §3 table).
LEVEL_INDICATOR = {"ministry": "1", "mission_groups": "2"}


@dataclass
class OpdcResults:
    received_on: str
    reference: str = ""
    ministry: dict = field(default_factory=dict)  # indicator id -> score
    mission_groups: dict = field(default_factory=dict)  # group -> {indicator id -> score}
    path: Optional[Path] = None

    def to_dict(self) -> dict:
        return {"received_on": self.received_on, "reference": self.reference,
                "ministry": dict(self.ministry), "mission_groups": {g: dict(v) for g, v in self.mission_groups.items()}}

    def source_text(self, level: str) -> str:
        who = "กระทรวง (ministry)" if level == "ministry" else "กลุ่มภารกิจ (mission group)"
        ref = f", {self.reference}" if self.reference else ""
        return f"ผลระดับ{who} จาก สำนักงาน ก.พ.ร. (OPDC) รับเมื่อ {self.received_on}{ref}"

    def for_department(self, agreement) -> dict:
        """Indicator id -> (score, source text) this department takes (scored leaves only)."""
        out = {}
        levels = [("ministry", self.ministry)]
        if agreement.mission_group:
            levels.append(("mission_groups", self.mission_groups.get(agreement.mission_group, {})))
        for level, scores in levels:
            for indicator_id, score in scores.items():
                indicator = agreement.find(indicator_id)
                if indicator is not None and indicator.applicable and not indicator.is_group:
                    out[indicator_id] = (score, self.source_text(level))
        return out


def _scores(data: Any, level: str, where: str, findings: list, source: str) -> dict:
    if data in (None, {}):
        return {}
    if not isinstance(data, dict):
        findings.append(error("OPDC-FORMAT", f"{where} ต้องเป็นรายการ รหัสตัวชี้วัด: คะแนน",
                              f"{where} must map indicator ids to scores", file=source, cell=where))
        return {}
    top = LEVEL_INDICATOR[level]
    out = {}
    for key, value in data.items():
        indicator_id = str(key)
        cell = f"{where}.{indicator_id}"
        if indicator_id != top and not indicator_id.startswith(top + "."):
            findings.append(error(
                "OPDC-INDICATOR", f"ผลระดับนี้ใช้กับตัวชี้วัดที่ {top} เท่านั้น ไม่ใช่ {indicator_id}",
                f"results at this level are for indicator {top} (and under it), not {indicator_id}",
                file=source, cell=cell, indicator=indicator_id))
            continue
        try:
            score = float(value)
        except (TypeError, ValueError):
            score = None
        if score is None or not 0 <= score <= 5:
            findings.append(error("OPDC-SCORE", f"คะแนนต้องเป็นตัวเลข 0–5 ไม่ใช่ {value!r}",
                                  f"a score must be a number from 0 to 5, not {value!r}",
                                  file=source, cell=cell, indicator=indicator_id))
            continue
        out[indicator_id] = score
    return out


def opdc_from_dict(data: Any, source: str, received_on: str = "") -> tuple[Optional[OpdcResults], list[Finding]]:
    from .calendar import parse_date

    if not isinstance(data, dict):
        return None, [error("OPDC-FORMAT", "ไฟล์ผลจาก ก.พ.ร. ต้องมี received_on, ministry, mission_groups",
                            "OPDC's results file must have received_on, ministry, mission_groups", file=source)]
    findings: list[Finding] = []
    received = str(received_on or data.get("received_on") or "")
    if not received:
        findings.append(error("OPDC-DATE", "ต้องระบุวันที่ได้รับผล (received_on หรือ --received)",
                              "the date the results were received is required (received_on or --received)",
                              file=source, cell="received_on"))
    else:
        try:
            parse_date(received)
        except ValueError as exc:
            findings.append(error("OPDC-DATE", f"วันที่ไม่ถูกต้อง: {received}", str(exc), file=source,
                                  cell="received_on"))
    groups_data = data.get("mission_groups") or {}
    if not isinstance(groups_data, dict):
        findings.append(error("OPDC-FORMAT", "mission_groups ต้องเป็นรายการ กลุ่มภารกิจ: {ตัวชี้วัด: คะแนน}",
                              "mission_groups must map each group to {indicator: score}", file=source,
                              cell="mission_groups"))
        groups_data = {}
    results = OpdcResults(
        received, str(data.get("reference") or ""),
        _scores(data.get("ministry"), "ministry", "ministry", findings, source),
        {str(g): _scores(v, "mission_groups", f"mission_groups.{g}", findings, source)
         for g, v in groups_data.items()},
        Path(source))
    if not results.ministry and not any(results.mission_groups.values()) and not findings:
        findings.append(error("OPDC-EMPTY", "ไม่มีผลระดับกระทรวงหรือกลุ่มภารกิจ", "no ministry or mission-group results",
                              file=source))
    return results, findings


def record_opdc_results(folder, file, received_on: str = "") -> tuple[Optional[Path], list[Finding]]:
    """Check OPDC's results against the folder's agreements and record them in opdc/results.yaml."""
    import yaml

    from ._io import save_yaml
    from .results import load_baselines

    try:
        data = yaml.safe_load(Path(file).read_text(encoding="utf-8-sig"))
    except Exception as exc:
        return None, [error("OPDC-READ", f"อ่านไฟล์ไม่ได้: {exc}", f"cannot read the file: {exc}", file=str(file))]
    results, findings = opdc_from_dict(data, str(file), received_on)
    if results is None or any(f.is_error for f in findings):
        return None, findings
    agreements, _ = load_baselines(folder)
    groups = {a.mission_group for a in agreements if a.mission_group}
    for group in results.mission_groups:
        if group not in groups:
            findings.append(warning("OPDC-GROUP", f"ไม่มีส่วนราชการในกลุ่มภารกิจ {group}",
                                    f"no department of the folder is in the mission group {group}",
                                    file=str(file), cell=f"mission_groups.{group}"))
    for agreement in agreements:
        for level, scores in (("ministry", results.ministry),
                              ("mission_groups", results.mission_groups.get(agreement.mission_group, {}))):
            for indicator_id in scores:
                found = agreement.find(indicator_id)
                if found is not None and found.is_group and found.applicable:
                    findings.append(error(
                        "OPDC-INDICATOR",
                        f"ตัวชี้วัด {indicator_id} ของ {agreement.department} มีตัวชี้วัดย่อย: ระบุคะแนนของตัวชี้วัดย่อยแต่ละตัว",
                        f"{agreement.department}'s indicator {indicator_id} has sub-indicators: give each one's score",
                        file=str(file), cell=f"{level}.{indicator_id}", indicator=indicator_id))
    if any(f.is_error for f in findings):
        return None, findings
    path = save_yaml(results.to_dict(), Path(folder) / OPDC_FOLDER / OPDC_FILE)
    return path, findings


def load_opdc(folder) -> tuple[Optional[OpdcResults], list[Finding]]:
    """The recorded OPDC results of a ministry folder (None when none are recorded yet)."""
    import yaml

    path = Path(folder) / OPDC_FOLDER / OPDC_FILE
    if not path.exists():
        return None, []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except Exception as exc:
        return None, [error("OPDC-READ", f"อ่านไฟล์ไม่ได้: {exc}", f"cannot read the file: {exc}", file=str(path))]
    results, findings = opdc_from_dict(data, str(path))
    return (None if any(f.is_error for f in findings) else results), findings
