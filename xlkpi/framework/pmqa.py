"""The PMQA rules of indicator 15 (DOMAIN §5, seed 004): category choices, plan KPIs, RM KPIs."""
from __future__ import annotations

import re
from typing import Optional

from ..findings import error, warning
from ..model import WEIGHTED, Agreement, Indicator
from .records import PARTS_TOLERANCE, PLAN_KPI_TYPES, Framework
from .rules import _fmt, _path

def _category(value) -> Optional[int]:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _pmqa_applies(agreement: Agreement, framework: Framework) -> bool:
    return bool(framework.pmqa) and any(
        agreement.find(fw.id) is not None for fw in framework.walk() if fw.category or fw.plan_kpis or fw.rm_kpis)


def _pmqa_choices(agreement: Agreement, rules: dict) -> dict:
    """The department's PMQA choices, normalised; invalid ones become None (and are reported)."""
    pmqa = agreement.pmqa or {}
    agency = pmqa.get("agency_type")
    done = pmqa.get("categories_fy2552")
    return {
        "agency_type": agency if agency in (rules.get("agency_types") or {}) else None,
        "categories_fy2552": [_category(c) for c in done] if isinstance(done, list) else None,
        "mandatory": _category(pmqa.get("mandatory_category")),
        "voluntary": _category(pmqa.get("voluntary_category")),
    }


def _valid_fy2553_categories(agreement: Agreement, rules: dict) -> Optional[set]:
    """{mandatory, voluntary} when both choices follow the rules, else None."""
    choices = _pmqa_choices(agreement, rules)
    agency = (rules.get("agency_types") or {}).get(choices["agency_type"]) or {}
    mandatory, voluntary, done = choices["mandatory"], choices["voluntary"], choices["categories_fy2552"]
    if (mandatory not in (agency.get("mandatory_fy2553") or []) or voluntary in (None, mandatory)
            or voluntary not in rules.get("categories", [1, 2, 3, 4, 5, 6]) or not done or voluntary in done):
        return None
    return {mandatory, voluntary}


def check_pmqa_categories(agreement: Agreement, framework: Framework) -> list:
    """Mandatory category 1 or 4 (policy) / 1 or 6 (service); voluntary = one not done in FY2552;
    each 15.1.x.y sub-indicator is about the category its role says (DOMAIN §5)."""
    if not _pmqa_applies(agreement, framework):
        return []
    rules = framework.pmqa
    pmqa = agreement.pmqa or {}
    choices = _pmqa_choices(agreement, rules)
    categories = [int(c) for c in rules.get("categories", [1, 2, 3, 4, 5, 6])]
    findings = []

    def bad(key, th, en, severity=error):
        findings.append(severity("FW-PMQA-CATEGORY", th, en, cell=f"pmqa.{key}"))

    types = rules.get("agency_types") or {}
    if choices["agency_type"] is None:
        bad("agency_type", f"ต้องระบุประเภทหน่วยงาน ({' | '.join(types)}) ไม่ใช่ {pmqa.get('agency_type')!r}",
            f"the agency type must be one of {' | '.join(types)}, not {pmqa.get('agency_type')!r}")
    agency = types.get(choices["agency_type"]) or {}
    done = choices["categories_fy2552"]
    if done is None or not done or None in done:
        bad("categories_fy2552", "ต้องระบุหมวดที่ดำเนินการในปีงบประมาณ พ.ศ. 2552 เช่น [2, 5]",
            "list the categories done in FY2552, e.g. [2, 5]")
        done = None
    elif agency and agency.get("mandatory_fy2552") not in done:
        bad("categories_fy2552",
            f"ในปี 2552 {agency.get('name_th', '')}ดำเนินการหมวด {agency.get('mandatory_fy2552')} (หมวดบังคับ) "
            f"แต่ระบุไว้เป็น {done}",
            f"in FY2552 a {agency.get('name_en', '')} did category {agency.get('mandatory_fy2552')} (mandatory), "
            f"but {done} is listed", severity=warning)
    mandatory, voluntary = choices["mandatory"], choices["voluntary"]
    allowed = list(agency.get("mandatory_fy2553") or [])
    if agency and mandatory not in allowed:
        allowed_text = " หรือ ".join(str(c) for c in allowed)
        bad("mandatory_category",
            f"หมวดบังคับของ{agency.get('name_th', '')}ต้องเป็นหมวด {allowed_text} ไม่ใช่ {pmqa.get('mandatory_category')!r}",
            f"the mandatory category of a {agency.get('name_en', '')} must be "
            f"{' or '.join(str(c) for c in allowed)}, not {pmqa.get('mandatory_category')!r}")
    if voluntary not in categories:
        bad("voluntary_category", f"หมวดสมัครใจต้องเป็นหมวด 1–6 ไม่ใช่ {pmqa.get('voluntary_category')!r}",
            f"the voluntary category must be one of 1–6, not {pmqa.get('voluntary_category')!r}")
    elif voluntary == mandatory:
        bad("voluntary_category", "หมวดสมัครใจต้องไม่ซ้ำกับหมวดบังคับ",
            "the voluntary category must differ from the mandatory one")
    elif done is not None and voluntary in done:
        bad("voluntary_category",
            f"หมวดสมัครใจต้องเป็นหมวดที่ยังไม่ได้ดำเนินการในปี 2552 ({done}) ไม่ใช่หมวด {voluntary}",
            f"the voluntary category must be one not done in FY2552 ({done}), not category {voluntary}")

    expected = {"mandatory": mandatory, "voluntary": voluntary}
    fy2552_seen: dict = {}
    for fw in framework.walk():
        indicator = agreement.find(fw.id)
        if not fw.category or indicator is None:
            continue
        where = dict(cell=_path(agreement, indicator, "category"), indicator=fw.id)
        stated = _category(indicator.category)
        if indicator.category is None:
            findings.append(warning(
                "FW-PMQA-CATEGORY", f"ตัวชี้วัด {fw.id} ควรระบุหมวด (category) ที่วัด",
                f"indicator {fw.id} should state the category (category) it is about", **where))
            continue
        if fw.category in expected and expected[fw.category] is not None and stated != expected[fw.category]:
            role_th = "หมวดบังคับ" if fw.category == "mandatory" else "หมวดสมัครใจ"
            findings.append(error(
                "FW-PMQA-CATEGORY",
                f"ตัวชี้วัด {fw.id} วัด{role_th} (หมวด {expected[fw.category]}) แต่ระบุหมวด {indicator.category}",
                f"indicator {fw.id} is about the {fw.category} category ({expected[fw.category]}), "
                f"not category {indicator.category}", **where))
        elif fw.category == "fy2552":
            if done is not None and stated not in done:
                findings.append(error(
                    "FW-PMQA-CATEGORY",
                    f"ตัวชี้วัด {fw.id} ต้องเป็นหมวดที่ดำเนินการในปี 2552 ({done}) ไม่ใช่หมวด {indicator.category}",
                    f"indicator {fw.id} must be about a category done in FY2552 ({done}), "
                    f"not category {indicator.category}", **where))
            elif stated in fy2552_seen:
                findings.append(error(
                    "FW-PMQA-CATEGORY", f"ตัวชี้วัด {fw.id} ซ้ำหมวดกับ {fy2552_seen[stated]} (หมวด {stated})",
                    f"indicator {fw.id} repeats the category of {fy2552_seen[stated]} (category {stated})", **where))
            fy2552_seen[stated] = fw.id
    return findings


def _plan_kpi_type(entry) -> tuple:
    """'recommended' | 'custom' | {type: custom, measures: outcome} → (type, measures)."""
    if isinstance(entry, dict):
        return str(entry.get("type", "")), entry.get("measures")
    return str(entry), None


def _check_plan_kpis(agreement: Agreement, indicator: Indicator, rules: dict) -> list:
    """15.1.2 per plan: 2 recommended at 0.5; or 2 recommended at 0.4 and up to 2 custom
    weighing together ≤ 0.2; at most 4; custom KPIs measure quantitative outcomes."""
    limits = rules.get("plan_kpis") or {}
    only = limits.get("recommended_only") or {}
    mixed = limits.get("with_custom") or {}
    path = _path(agreement, indicator)
    findings = []

    def bad(th, en, cell=f"pmqa.plan_kpis.{indicator.id}", severity=error):
        findings.append(severity("FW-PMQA-KPI", th, en, cell=cell, indicator=indicator.id))

    if indicator.kind != WEIGHTED or not indicator.parts:
        bad(f"ตัวชี้วัด {indicator.id} ต้องเป็นค่าเฉลี่ยถ่วงน้ำหนักของตัวชี้วัดผลลัพธ์ตามแผน (parts)",
            f"indicator {indicator.id} must be a weighted average of its plan's outcome KPIs (parts)",
            cell=f"{path}.parts")
        return findings
    parts = indicator.parts
    if len(parts) > int(limits.get("max_kpis", 4)):
        bad(f"ตัวชี้วัด {indicator.id} มี {len(parts)} ตัวชี้วัดผลลัพธ์ ต้องไม่เกิน {limits.get('max_kpis', 4)}",
            f"indicator {indicator.id} has {len(parts)} outcome KPIs; at most {limits.get('max_kpis', 4)}",
            cell=f"{path}.parts")
    declared = ((agreement.pmqa or {}).get("plan_kpis") or {}).get(indicator.id)
    if declared is None:
        # undeclared: in every valid plan the recommended KPIs (0.5 or 0.4) are the two heaviest
        # and custom ones (≤ 0.2 together) the rest, so read the types from the weights
        heaviest = sorted(range(len(parts)), key=lambda n: -parts[n].weight)[:int(mixed.get("recommended", 2))]
        declared = ["recommended" if n in heaviest else "custom" for n in range(len(parts))]
    if not isinstance(declared, list) or len(declared) != len(parts):
        bad(f"ต้องระบุใน pmqa.plan_kpis.{indicator.id} ว่าตัวชี้วัดผลลัพธ์แต่ละตัว ({len(parts)} ตัว ตามลำดับ) "
            "เป็น recommended หรือ custom",
            f"pmqa.plan_kpis.{indicator.id} must say, for each of the {len(parts)} KPIs in order, "
            "recommended or custom")
        return findings
    types = [_plan_kpi_type(e) for e in declared]
    if any(t not in PLAN_KPI_TYPES for t, _ in types):
        bad("ชนิดของตัวชี้วัดต้องเป็น recommended หรือ custom", "each KPI must be recommended or custom")
        return findings
    recommended = [p for p, (t, _) in zip(parts, types) if t == "recommended"]
    custom = [p for p, (t, _) in zip(parts, types) if t == "custom"]
    if not custom:
        want, weight = int(only.get("recommended", 2)), float(only.get("recommended_weight", 0.5))
    else:
        want, weight = int(mixed.get("recommended", 2)), float(mixed.get("recommended_weight", 0.4))
        max_custom = int(mixed.get("max_custom", 2))
        max_weight = float(mixed.get("max_custom_weight", 0.2))
        if len(custom) > max_custom:
            bad(f"ตัวชี้วัดที่กำหนดเองของ {indicator.id} มี {len(custom)} ตัว ต้องไม่เกิน {max_custom}",
                f"{indicator.id} has {len(custom)} custom KPIs; at most {max_custom}")
        custom_weight = sum(p.weight for p in custom)
        if custom_weight > max_weight + PARTS_TOLERANCE:
            bad(f"น้ำหนักรวมของตัวชี้วัดที่กำหนดเองของ {indicator.id} เท่ากับ {_fmt(custom_weight)} ต้องไม่เกิน "
                f"{_fmt(max_weight)}",
                f"the custom KPIs of {indicator.id} weigh {_fmt(custom_weight)} together; at most {_fmt(max_weight)}",
                cell=f"{path}.parts")
    if len(recommended) != want:
        bad(f"ต้องเลือกตัวชี้วัดแนะนำ {want} ตัวสำหรับ {indicator.id} ไม่ใช่ {len(recommended)} ตัว",
            f"{indicator.id} must use {want} recommended KPIs, not {len(recommended)}")
    for n, (part, (kind, measures)) in enumerate(zip(parts, types)):
        cell = f"{path}.parts[{n}].weight"
        if kind == "recommended" and abs(part.weight - weight) > PARTS_TOLERANCE:
            bad(f"ตัวชี้วัดแนะนำ {part.name} ของ {indicator.id} ต้องมีน้ำหนัก {_fmt(weight)} ไม่ใช่ {_fmt(part.weight)}",
                f"the recommended KPI {part.name} of {indicator.id} must weigh {_fmt(weight)}, "
                f"not {_fmt(part.weight)}", cell=cell)
        if kind == "custom":
            need = limits.get("custom_must_measure", "outcome")
            if measures is None:
                bad(f"ตรวจสอบว่าตัวชี้วัดที่กำหนดเอง {part.name} เป็นตัวชี้วัดผลลัพธ์เชิงปริมาณ "
                    f"(ระบุ {{type: custom, measures: {need}}})",
                    f"confirm the custom KPI {part.name} is a quantitative outcome "
                    f"(state {{type: custom, measures: {need}}})",
                    cell=f"pmqa.plan_kpis.{indicator.id}[{n}]", severity=warning)
            elif measures != need:
                bad(f"ตัวชี้วัดที่กำหนดเอง {part.name} ต้องวัดผลลัพธ์ ไม่ใช่ {measures} (ผลผลิตหรือกิจกรรม)",
                    f"the custom KPI {part.name} must measure an outcome, not {measures} (an output or activity)",
                    cell=f"pmqa.plan_kpis.{indicator.id}[{n}]")
    return findings


_RM_NAME = re.compile(r"\s*RM\s*(\d(?:\.\d)?)\b", re.IGNORECASE)


def _check_rm_kpis(agreement: Agreement, indicator: Indicator, rules: dict) -> list:
    """15.2: one RM KPI per category not done in FY2553; category 4 takes RM 4.1–4.3."""
    table = rules.get("rm") or {}
    path = _path(agreement, indicator)
    findings = []

    def bad(th, en, cell="pmqa.rm"):
        findings.append(error("FW-PMQA-KPI", th, en, cell=cell, indicator=indicator.id))

    if indicator.kind != WEIGHTED or not indicator.parts:
        bad(f"ตัวชี้วัด {indicator.id} ต้องเป็นค่าเฉลี่ยถ่วงน้ำหนักของตัวชี้วัด RM (parts)",
            f"indicator {indicator.id} must be a weighted average of RM KPIs (parts)", cell=f"{path}.parts")
        return findings
    chosen = (agreement.pmqa or {}).get("rm")
    if chosen is None:
        # undeclared: read the code from the part's name, as the seed writes it ("RM 4.1 : …")
        named = [_RM_NAME.match(p.name or "") for p in indicator.parts]
        chosen = [f"RM{m.group(1)}" for m in named if m] if all(named) else None
    if not isinstance(chosen, list) or len(chosen) != len(indicator.parts):
        bad(f"ต้องระบุใน pmqa.rm (หรือขึ้นต้นชื่อองค์ประกอบด้วย \"RM 1 :\") ว่าองค์ประกอบแต่ละตัวของ "
            f"{indicator.id} ({len(indicator.parts)} ตัว ตามลำดับ) คือ RM ใด เช่น [RM1, RM2, ...]",
            f"pmqa.rm (or a part name starting \"RM 1 :\") must name the RM KPI of each of the "
            f"{len(indicator.parts)} parts of {indicator.id}, in order, e.g. [RM1, RM2, ...]")
        return findings
    chosen = [str(c).replace(" ", "").upper() for c in chosen]
    unknown = [c for c in chosen if c not in table]
    if unknown:
        bad(f"ไม่รู้จักตัวชี้วัด {', '.join(unknown)} (ที่มี: {', '.join(table)})",
            f"unknown RM KPI {', '.join(unknown)} (known: {', '.join(table)})")
    repeated = sorted({c for c in chosen if chosen.count(c) > 1})
    if repeated:
        bad(f"เลือกตัวชี้วัด {', '.join(repeated)} ซ้ำ", f"{', '.join(repeated)} chosen twice")
    done_2553 = _valid_fy2553_categories(agreement, rules)
    if done_2553 is None:
        return findings  # the category choices are wrong; FW-PMQA-CATEGORY says so
    remaining = [c for c in rules.get("categories", [1, 2, 3, 4, 5, 6]) if c not in done_2553]
    expected = [rm for rm, info in table.items() if info.get("category") in remaining]
    missing = [rm for rm in expected if rm not in chosen]
    extra = [rm for rm in dict.fromkeys(chosen) if rm in table and rm not in expected]
    if missing or extra:
        bad(f"ตัวชี้วัด 15.2 ต้องเป็น RM ของหมวดที่ไม่ได้ดำเนินการในปี 2553 (หมวด {remaining}): "
            f"{', '.join(expected)}"
            + (f"; ขาด {', '.join(missing)}" if missing else "") + (f"; เกิน {', '.join(extra)}" if extra else ""),
            f"15.2 must use the RM KPIs of the categories not done in FY2553 (categories {remaining}): "
            f"{', '.join(expected)}"
            + (f"; missing {', '.join(missing)}" if missing else "") + (f"; not allowed {', '.join(extra)}" if extra else ""))
    return findings


def check_pmqa_kpis(agreement: Agreement, framework: Framework) -> list:
    if not _pmqa_applies(agreement, framework):
        return []
    findings = []
    for fw in framework.walk():
        indicator = agreement.find(fw.id)
        if indicator is None or not indicator.applicable or indicator.granted:
            continue
        if fw.plan_kpis:
            findings += _check_plan_kpis(agreement, indicator, framework.pmqa)
        if fw.rm_kpis:
            findings += _check_rm_kpis(agreement, indicator, framework.pmqa)
    return findings

