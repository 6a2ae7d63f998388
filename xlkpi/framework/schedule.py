"""Rules on when an indicator reports and when it may be granted (DOMAIN §6.5, §6.5a)."""
from __future__ import annotations

from ..findings import error
from ..model import Agreement
from .pmqa import _category
from .records import Framework
from .rules import _path


def check_report_rounds(agreement: Agreement, framework: Framework) -> list:
    """Where the framework sets the rounds an indicator reports in (PMQA: 12 only), the
    agreement's indicator and everything under it must report in exactly those."""
    findings = []
    inherited = agreement.inherited_rounds()
    for fw in framework.walk():
        if not fw.report_rounds:
            continue
        for indicator in (agreement.find(fw.id).walk() if agreement.find(fw.id) else ()):
            if not indicator.applicable or indicator.granted:
                continue
            own = indicator.own_rounds(inherited[indicator.id])
            schedules = [own] + [tuple(sorted(p.report_rounds)) for p in indicator.parts if p.report_rounds]
            if any(rounds != fw.report_rounds for rounds in schedules):
                want = ", ".join(str(r) for r in fw.report_rounds)
                findings.append(error(
                    "FW-REPORT-ROUNDS",
                    f"ตัวชี้วัด {indicator.id} ต้องรายงานผลในรอบ {want} เดือนตามกรอบการประเมิน "
                    f"ไม่ใช่ {', '.join(str(r) for r in own)}",
                    f"indicator {indicator.id} must report in the {want}-month round(s) the framework sets, "
                    f"not {', '.join(str(r) for r in own)}",
                    cell=_path(agreement, indicator, "report_rounds"), indicator=indicator.id))
    return findings


def check_granted(agreement: Agreement, framework: Framework) -> list:
    """Granted (score 5) only where the framework allows it (15.1.3) and only for a category
    the department passed in FY2552 (its `pmqa.categories_passed_fy2552`)."""
    findings = []
    passed = (agreement.pmqa or {}).get("categories_passed_fy2552") or []
    for indicator in agreement.walk():
        if not indicator.granted:
            continue
        fw = framework.find(indicator.id)
        where = _path(agreement, indicator, "granted")
        if fw is None or not fw.granted_if_passed:
            findings.append(error(
                "FW-GRANTED",
                f"ตัวชี้วัด {indicator.id} ได้คะแนนโดยปริยายไม่ได้: กรอบการประเมินไม่อนุญาต",
                f"indicator {indicator.id} may not be granted: the framework does not allow it",
                cell=where, indicator=indicator.id))
        elif _category(indicator.category) not in {_category(c) for c in passed}:
            findings.append(error(
                "FW-GRANTED",
                f"ตัวชี้วัด {indicator.id} ได้คะแนนโดยปริยายเฉพาะหมวดที่ผ่านเกณฑ์ในปี 2552 แล้ว: "
                f"หมวด {indicator.category!r} ไม่อยู่ใน pmqa.categories_passed_fy2552 ({passed})",
                f"indicator {indicator.id} may be granted only for a category passed in FY2552: "
                f"category {indicator.category!r} is not in pmqa.categories_passed_fy2552 ({passed})",
                cell=where, indicator=indicator.id))
    return findings
