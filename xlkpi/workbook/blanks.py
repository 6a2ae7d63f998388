"""The ready-to-use blank workbooks in `workbooks/`: KPI Template and SAR Card, no results.

* FY2552: the pilot-ministry framework's indicators 1–6 (DOMAIN §4, `templates/
  fy2552-pilot-ministry.yaml`) with the framework's names and fixed weights; where the
  ministry chooses (its shares A, B, C and the department's own KPIs) there are
  placeholders a ministry replaces: A = 23, B = 10, C = 10, two KPIs each under 3 and 4,
  one under 5, thresholds 60/70/80/90/100.
* The sample ministry's first department (`xlkpi.sample.sample_ministry()[0]`) as signed:
  its results, explanations and evidence removed.

Regenerate with ``python -m xlkpi.workbook.blanks workbooks/``; a test fails when the
committed files drift from this generator (every part but docProps/core.xml, which holds
the time of saving).
"""
from __future__ import annotations

import copy
import sys
from pathlib import Path

from ..model import GROUP, MILESTONE, THRESHOLD, WEIGHTED, Agreement, Indicator, Part

FRAMEWORK = "fy2552-pilot-ministry"
SHARES = {"A": 23, "B": 10, "C": 10}  # placeholders: A + B + C = 43, dim1 + dim2 > dim3 + dim4
PLACEHOLDER_THRESHOLDS = [60, 70, 80, 90, 100]
PLACEHOLDER_MILESTONES = [f"ขั้นตอนที่ {n} (ระบุ) — milestone {n}, to be stated" for n in range(1, 6)]
FILES = {
    "fy2552": ("fy2552-kpi-template.xlsx", "fy2552-sar-card.xlsx"),
    "sample": ("sample-department-kpi-template.xlsx", "sample-department-sar-card.xlsx"),
}


def _names() -> dict:
    """Indicator id -> Thai name, from the framework file (DOMAIN §4)."""
    from ..framework import load_framework

    framework, _findings = load_framework(FRAMEWORK)
    if framework is None:
        return {}
    return {i.id: i.name_th for i in framework.walk()}


def _threshold(id_: str, name: str, weight: float, dimension: int) -> Indicator:
    return Indicator(id=id_, name=name, dimension=dimension, weight=weight, kind=THRESHOLD, unit="ร้อยละ",
                     thresholds=list(PLACEHOLDER_THRESHOLDS))


def _milestone(id_: str, name: str, weight: float, dimension: int) -> Indicator:
    return Indicator(id=id_, name=name, dimension=dimension, weight=weight, kind=MILESTONE, unit="ระดับ",
                     milestones=list(PLACEHOLDER_MILESTONES))


def _weighted(id_: str, name: str, weight: float, dimension: int) -> Indicator:
    parts = [Part(name=f"เป้าหมายที่ {n} (ระบุ) — target {n}", weight=0.5, unit="ร้อยละ",
                  thresholds=list(PLACEHOLDER_THRESHOLDS)) for n in (1, 2)]
    return Indicator(id=id_, name=name, dimension=dimension, weight=weight, kind=WEIGHTED, unit="ระดับ",
                     parts=parts)


def _group(id_: str, name: str, dimension: int, children: list) -> Indicator:
    return Indicator(id=id_, name=name, dimension=dimension, weight=sum(c.weight for c in children),
                     kind=GROUP, unit="ระดับ", children=children)


def fy2552_blank() -> Agreement:
    """A department agreement on the FY2552 framework's structure, with placeholders."""
    names = _names()

    def name(id_: str) -> str:
        return names.get(id_) or f"ตัวชี้วัดที่ {id_}"

    own = "ตัวชี้วัดของส่วนราชการ (ระบุ) — the department's KPI, to be stated"
    a, b, c = SHARES["A"], SHARES["B"], SHARES["C"]
    indicators = [
        _group("1", name("1"), 1, [
            _weighted("1.1", name("1.1"), 15, 1),
            _weighted("1.2", name("1.2"), 3, 1),
            _milestone("1.3", name("1.3"), 2, 1),
        ]),
        _weighted("2", name("2"), 10, 1),
        _group("3", name("3"), 1, [_threshold("3.1", own, a - a // 2, 1), _threshold("3.2", own, a // 2, 1)]),
        _group("4", name("4"), 2, [_threshold("4.1", own, b - b // 2, 2), _milestone("4.2", own, b // 2, 2)]),
        _group("5", name("5"), 3, [
            _threshold("5.1", name("5.1"), 4, 3),
            _milestone("5.2", name("5.2"), 3, 3),
            _threshold("5.4", own, c, 3),
        ]),
        _milestone("6", name("6"), 20, 4),
    ]
    return Agreement(
        fiscal_year=2552, ministry="กระทรวง (ระบุ)", department="ส่วนราชการ (ระบุ)",
        department_type="in_mission_group", indicators=indicators, framework=FRAMEWORK,
        split_reasons="(ระบุเหตุผลการกำหนดสัดส่วนน้ำหนัก — state the reasons for the weight split)",
    )


def sample_blank() -> Agreement:
    """The sample ministry's first department as signed: no results, explanations or evidence."""
    from ..sample import sample_ministry

    agreement = copy.deepcopy(sample_ministry()[0])
    for indicator in agreement.walk():
        indicator.result, indicator.explanation, indicator.evidence = {}, {}, {}
        for part in indicator.parts:
            part.result = {}
    return agreement


def blanks() -> dict:
    return {"fy2552": fy2552_blank(), "sample": sample_blank()}


def write_blanks(folder) -> list:
    """Write the four blank workbooks into `folder`; returns their paths."""
    from .sar import write_sar
    from .template import write_template

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for key, agreement in blanks().items():
        template_name, sar_name = FILES[key]
        paths.append(write_template(agreement, folder / template_name))
        paths.append(write_sar(agreement, folder / sar_name))
    return paths


if __name__ == "__main__":  # python -m xlkpi.workbook.blanks workbooks/
    for written in write_blanks(sys.argv[1] if len(sys.argv) > 1 else "workbooks"):
        print(written)
