"""The general rules: each takes (agreement, framework) and returns findings, and the
helpers they share with the PMQA rules."""
from __future__ import annotations

from typing import Iterator, Optional

from ..checks import sums_to
from ..findings import error
from ..model import GROUP, WEIGHTED, Agreement, Indicator
from ..glossary import DepartmentType
from .records import (PERCENT_TOLERANCE, Dimension, Framework,
                      FrameworkIndicator)

def _paths(agreement: Agreement) -> dict:
    """id(indicator) → its field path, e.g. indicators[0].children[1]."""
    paths: dict = {}

    def visit(indicators, prefix):
        for n, indicator in enumerate(indicators):
            path = f"{prefix}[{n}]" if prefix == "indicators" else f"{prefix}.children[{n}]"
            paths[id(indicator)] = path
            visit(indicator.children, path)

    for n, indicator in enumerate(agreement.indicators):
        paths[id(indicator)] = f"indicators[{n}]"
        visit(indicator.children, f"indicators[{n}]")
    return paths


def _path(agreement: Agreement, indicator: Indicator, attribute: str = "") -> str:
    path = _paths(agreement).get(id(indicator), f"indicators (id {indicator.id})")
    return f"{path}.{attribute}" if attribute else path


def _applicable_leaves(indicators) -> Iterator[Indicator]:
    for indicator in indicators:
        if not indicator.applicable:
            continue
        if indicator.kind == GROUP:
            yield from _applicable_leaves(indicator.children)
        else:
            yield indicator


def _dimension_weights(agreement: Agreement) -> dict:
    totals = {d: 0.0 for d in (1, 2, 3, 4)}
    for leaf in _applicable_leaves(agreement.indicators):
        totals[leaf.dimension] = totals.get(leaf.dimension, 0.0) + leaf.weight
    return totals


def _is_present(indicator: Optional[Indicator]) -> bool:
    """Present and counted: an indicator marked not applicable with weight 0 is not taken."""
    return indicator is not None and (indicator.applicable or abs(indicator.weight) > PERCENT_TOLERANCE)


def _not_taken_ids(agreement: Agreement, framework: Framework) -> set:
    """Framework ids the department does not take (its type, unmet only_if), with descendants."""
    ids: set = set()
    for top_id in framework.not_taken.get(agreement.department_type, ()):
        fw = framework.find(top_id)
        ids.add(top_id)
        if fw is not None:
            ids.update(i.id for i in fw.walk())
    for fw in framework.walk():
        if fw.only_if and not getattr(agreement, fw.only_if, False):
            ids.update(i.id for i in fw.walk())
    return ids


def _redistributes(agreement: Agreement, framework: Framework) -> bool:
    return bool(framework.not_taken.get(agreement.department_type))


def _fmt(value: float) -> str:
    return f"{round(value, 9):g}"


def _type_names(department_type: str) -> tuple:
    return DepartmentType.th_en(department_type)



# --- the rules: each takes (agreement, framework) and returns findings -------------------

def check_total(agreement: Agreement, framework: Framework) -> list:
    """Σ top-level weights and Σ leaf weights must both be the framework's total (100)."""
    if framework.total is None:
        return []
    total = framework.total
    shares = ""
    if framework.variables:
        names = " + ".join(framework.variables)
        shares = f" ({names} = {_fmt(total - framework.fixed_total)})"
    top = [i.weight for i in agreement.indicators if i.applicable]
    leaves = [i.weight for i in _applicable_leaves(agreement.indicators)]
    findings = []
    for label_th, label_en, weights in (("ตัวชี้วัดระดับบนสุด", "the top-level indicators", top),
                                        ("ตัวชี้วัดย่อยที่ให้คะแนน", "the scored (leaf) indicators", leaves)):
        value = sum(weights)
        if not sums_to(weights, total):
            findings.append(error(
                "FW-TOTAL", f"น้ำหนักรวมของ{label_th}เท่ากับ {_fmt(value)} ต้องเท่ากับ {_fmt(total)}{shares}",
                f"the weights of {label_en} sum to {_fmt(value)}; they must sum to {_fmt(total)}{shares}",
                cell="indicators"))
    return findings


def _dimension_floor(agreement: Agreement, framework: Framework, dimension: Dimension) -> float:
    """The least weight the dimension can have: its numbers, less what this department does not
    take, plus conditional indicators (5.3) that come out of the dimension's own share."""
    not_taken = _not_taken_ids(agreement, framework)
    floor = dimension.weight.constant
    shares = {name for name, _ in dimension.weight.variables}
    for fw in framework.walk():
        if fw.dimension != dimension.number or not fw.weight.is_fixed:
            continue
        parent_not_taken = fw.id in not_taken and not fw.only_if
        top_level = fw in framework.indicators
        if parent_not_taken and top_level:
            floor -= fw.weight.constant
        if fw.only_if and fw.id not in not_taken and fw.taken_from in shares:
            floor += fw.weight.constant
    return floor


def check_dimension_split(agreement: Agreement, framework: Framework) -> list:
    """Each dimension's weight fits its formula: exact for a number (dim 4 = 20), at least its
    numbers for a share (dim 1 = A + 30 ≥ 30), more than 0 (all four dimensions weighted)."""
    weights = _dimension_weights(agreement)
    redistributes = _redistributes(agreement, framework)
    findings = []
    for dimension in framework.dimensions:
        actual = weights.get(dimension.number, 0.0)
        floor = _dimension_floor(agreement, framework, dimension)
        absorbs = redistributes and dimension.number in framework.redistribute_within
        name_th, name_en = dimension.name_th, dimension.name_en
        where = dict(cell="indicators", indicator="")
        if actual <= PERCENT_TOLERANCE:
            findings.append(error(
                "FW-DIM-SPLIT", f"มิติที่ {dimension.number} ({name_th}) ไม่มีน้ำหนัก ต้องกำหนดน้ำหนักให้ครบทั้ง 4 มิติ",
                f"dimension {dimension.number} ({name_en}) has no weight; all four dimensions must be weighted",
                **where))
        elif dimension.weight.is_fixed and not absorbs:
            if abs(actual - floor) > PERCENT_TOLERANCE:
                findings.append(error(
                    "FW-DIM-SPLIT",
                    f"น้ำหนักมิติที่ {dimension.number} ({name_th}) เท่ากับ {_fmt(actual)} ต้องเท่ากับ {_fmt(floor)}",
                    f"dimension {dimension.number} ({name_en}) weighs {_fmt(actual)}; it must weigh {_fmt(floor)}",
                    **where))
        elif actual < floor - PERCENT_TOLERANCE:
            shares = " + ".join(n for n, _ in dimension.weight.variables) or "0"
            findings.append(error(
                "FW-DIM-SPLIT",
                f"น้ำหนักมิติที่ {dimension.number} ({name_th}) เท่ากับ {_fmt(actual)} น้อยกว่าส่วนที่กำหนดตายตัว "
                f"{_fmt(floor)} (ตามสูตร {dimension.weight}: {shares} ติดลบไม่ได้)",
                f"dimension {dimension.number} ({name_en}) weighs {_fmt(actual)}, less than its fixed part "
                f"{_fmt(floor)} (formula {dimension.weight}: {shares} cannot be negative)", **where))
    return findings


def check_conditions(agreement: Agreement, framework: Framework) -> list:
    """The framework's conditions, e.g. dim1 + dim2 > dim3 + dim4 (FW-DIM12-GT-DIM34)."""
    weights = _dimension_weights(agreement)
    findings = []
    for condition in framework.conditions:
        left = sum(weights.get(d, 0.0) for d in condition.greater)
        right = sum(weights.get(d, 0.0) for d in condition.than)
        if not left > right + PERCENT_TOLERANCE:
            lhs = " + ".join(f"มิติที่ {d}" for d in condition.greater)
            rhs = " + ".join(f"มิติที่ {d}" for d in condition.than)
            lhs_en = " + ".join(f"dim{d}" for d in condition.greater)
            rhs_en = " + ".join(f"dim{d}" for d in condition.than)
            findings.append(error(
                condition.code, f"{lhs} ({_fmt(left)}) ต้องมากกว่า {rhs} ({_fmt(right)})",
                f"{lhs_en} ({_fmt(left)}) must be greater than {rhs_en} ({_fmt(right)})", cell="indicators"))
    return findings


def check_split_reasons(agreement: Agreement, framework: Framework) -> list:
    if framework.requires_split_reasons and not agreement.split_reasons.strip():
        return [error("FW-REASONS", "กระทรวงต้องแสดงเหตุผลประกอบการกำหนดสัดส่วนน้ำหนักแต่ละมิติ (split_reasons)",
                      "the ministry must state its reasons for the dimension weight split (split_reasons)",
                      cell="split_reasons")]
    return []


def check_subweights(agreement: Agreement, framework: Framework) -> list:
    """A group's applicable children weigh, together, what the group weighs (DOMAIN §6.4)."""
    findings = []
    for indicator in agreement.walk():
        if indicator.kind != GROUP or not indicator.applicable:
            continue
        weights = [c.weight for c in indicator.children if c.applicable]
        total = sum(weights)
        if not sums_to(weights, indicator.weight):
            findings.append(error(
                "FW-SUBWEIGHTS",
                f"น้ำหนักรวมของตัวชี้วัดย่อยของ {indicator.id} เท่ากับ {_fmt(total)} ไม่เท่ากับน้ำหนักของ "
                f"{indicator.id} ({_fmt(indicator.weight)})",
                f"the children of {indicator.id} weigh {_fmt(total)} together, not {indicator.id}'s "
                f"{_fmt(indicator.weight)}", cell=_path(agreement, indicator, "children"), indicator=indicator.id))
    return findings


def check_parts_sum(agreement: Agreement, framework: Framework) -> list:
    """The parts of a weighted-average indicator have ΣWi = 1 (DOMAIN §6.3)."""
    findings = []
    for indicator in agreement.walk():
        if indicator.kind != WEIGHTED or not indicator.applicable or not indicator.parts:
            continue
        weights = [p.weight for p in indicator.parts]
        total = sum(weights)
        if not sums_to(weights, 1.0):
            findings.append(error(
                "FW-PARTS-SUM", f"น้ำหนักขององค์ประกอบของ {indicator.id} รวมกันได้ {_fmt(total)} ต้องเท่ากับ 1",
                f"the parts of {indicator.id} weigh {_fmt(total)} together; ΣWi must be 1",
                cell=_path(agreement, indicator, "parts"), indicator=indicator.id))
    return findings


def _moved_in(agreement: Agreement, framework: Framework, fw: FrameworkIndicator) -> list:
    """Framework siblings whose weight moves to `fw` because the agreement does not take them."""
    moved = []
    for sibling in framework.siblings_moving_to(fw.id):
        if not _is_present(agreement.find(sibling.id)) or not agreement.find(sibling.id).applicable:
            moved.append(sibling)
    return moved


def check_fixed_weights(agreement: Agreement, framework: Framework) -> list:
    """An indicator the framework weighs with a number has that weight (plus what moved to it).
    A department that does not take some indicator may have put their weight on any indicator
    of the redistribution dimensions, so there the framework's number is a floor."""
    not_taken = _not_taken_ids(agreement, framework)
    redistributes = _redistributes(agreement, framework)
    findings = []
    for fw in framework.walk():
        indicator = agreement.find(fw.id)
        if fw.id in not_taken or not fw.weight.is_fixed or indicator is None or not indicator.applicable:
            continue
        moved = _moved_in(agreement, framework, fw)
        expected = fw.weight.constant + sum(m.weight.constant for m in moved)
        floor_only = redistributes and fw.dimension in framework.redistribute_within
        wrong = (indicator.weight < expected - PERCENT_TOLERANCE if floor_only
                 else abs(indicator.weight - expected) > PERCENT_TOLERANCE)
        if not wrong:
            continue
        where = dict(cell=_path(agreement, indicator, "weight"), indicator=fw.id)
        relation_th, relation_en = ("อย่างน้อย ", "at least ") if floor_only else ("", "")
        if moved:
            sources = ", ".join(m.id for m in moved)
            sum_text = " + ".join(_fmt(w) for w in [fw.weight.constant] + [m.weight.constant for m in moved])
            findings.append(error(
                "FW-MOVED-WEIGHT",
                f"ตัวชี้วัด {fw.id} มีน้ำหนัก {_fmt(indicator.weight)} ต้องเป็น{relation_th} {sum_text} = {_fmt(expected)} "
                f"เพราะรับน้ำหนักของ {sources} ที่ไม่ได้ประเมิน",
                f"indicator {fw.id} weighs {_fmt(indicator.weight)}; it must weigh {relation_en}{sum_text} = "
                f"{_fmt(expected)}, taking the weight of {sources}, which is not assessed", **where))
        else:
            findings.append(error(
                "FW-FIXED-WEIGHT",
                f"ตัวชี้วัด {fw.id} มีน้ำหนัก {_fmt(indicator.weight)} กรอบการประเมินกำหนด{relation_th} {_fmt(expected)}",
                f"indicator {fw.id} weighs {_fmt(indicator.weight)}; the framework sets {relation_en}{_fmt(expected)}",
                **where))
    return findings


def check_moved_weight(agreement: Agreement, framework: Framework) -> list:
    """A not-applicable indicator weighs 0 and names, in moved_to, the sibling the framework names."""
    findings = []
    for indicator in agreement.walk():
        if indicator.applicable:
            continue
        fw = framework.find(indicator.id)
        if abs(indicator.weight) > PERCENT_TOLERANCE:
            findings.append(error(
                "FW-MOVED-WEIGHT",
                f"ตัวชี้วัด {indicator.id} ไม่ได้ประเมิน (applicable: false) แต่ยังมีน้ำหนัก {_fmt(indicator.weight)} "
                f"ต้องเป็น 0 และย้ายน้ำหนักไปที่ {fw.moves_to if fw and fw.moves_to else 'ตัวชี้วัดอื่น'}",
                f"indicator {indicator.id} is not applicable but still weighs {_fmt(indicator.weight)}; it must weigh 0 "
                f"with its weight moved to {fw.moves_to if fw and fw.moves_to else 'another indicator'}",
                cell=_path(agreement, indicator, "weight"), indicator=indicator.id))
        if fw and fw.moves_to and indicator.moved_to and indicator.moved_to != fw.moves_to:
            findings.append(error(
                "FW-MOVED-WEIGHT",
                f"น้ำหนักของ {indicator.id} ต้องย้ายไปที่ {fw.moves_to} ตามกรอบการประเมิน ไม่ใช่ {indicator.moved_to}",
                f"the framework moves the weight of {indicator.id} to {fw.moves_to}, not {indicator.moved_to}",
                cell=_path(agreement, indicator, "moved_to"), indicator=indicator.id))
    return findings


def check_mandatory_indicators(agreement: Agreement, framework: Framework) -> list:
    """Every indicator the framework gives this department is in the agreement and assessed."""
    not_taken = _not_taken_ids(agreement, framework)
    findings = []
    for fw in framework.walk():
        if fw.id in not_taken or fw.optional or fw.department_kpis:
            continue
        indicator = agreement.find(fw.id)
        if indicator is None:
            findings.append(error(
                "FW-MANDATORY-IND", f"ไม่มีตัวชี้วัดภาคบังคับ {fw.id} {fw.name_th}".rstrip(),
                f"the mandatory indicator {fw.id} ({fw.name_en}) is missing", cell="indicators", indicator=fw.id))
        elif not indicator.applicable:
            findings.append(error(
                "FW-MANDATORY-IND", f"ตัวชี้วัด {fw.id} เป็นตัวชี้วัดภาคบังคับ จะระบุว่าไม่ประเมินไม่ได้",
                f"indicator {fw.id} is mandatory; it cannot be marked not applicable",
                cell=_path(agreement, indicator, "applicable"), indicator=fw.id))
    return findings


def check_not_taken(agreement: Agreement, framework: Framework) -> list:
    """A department does not take what its type excludes (under_minister: 1 and 2;
    no_mission_group: 2) nor a conditional indicator whose condition it does not meet (5.3)."""
    type_th, type_en = _type_names(agreement.department_type)
    excluded = set(framework.not_taken.get(agreement.department_type, ()))
    findings = []
    for fw in framework.walk():
        indicator = agreement.find(fw.id)
        if not _is_present(indicator):
            continue
        where = dict(cell=_path(agreement, indicator), indicator=fw.id)
        if fw.id in excluded:
            findings.append(error(
                "FW-NOT-TAKEN", f"{type_th} ไม่ต้องประเมินตัวชี้วัดที่ {fw.id} ให้นำน้ำหนักไปรวมในตัวชี้วัดมิติที่ "
                f"{', '.join(str(d) for d in framework.redistribute_within)}",
                f"{type_en} does not take indicator {fw.id}; its weight goes to indicators of dimensions "
                f"{', '.join(str(d) for d in framework.redistribute_within)}", **where))
        elif fw.only_if and not getattr(agreement, fw.only_if, False):
            findings.append(error(
                "FW-NOT-TAKEN", f"ตัวชี้วัด {fw.id} วัดผลเฉพาะส่วนราชการที่มี {fw.only_if}: true",
                f"indicator {fw.id} is only for departments with {fw.only_if}: true", **where))
    return findings


def check_indicator_dimensions(agreement: Agreement, framework: Framework) -> list:
    findings = []
    for fw in framework.walk():
        indicator = agreement.find(fw.id)
        if indicator is not None and fw.dimension and indicator.dimension != fw.dimension:
            findings.append(error(
                "FW-DIMENSION", f"ตัวชี้วัด {fw.id} อยู่ในมิติที่ {fw.dimension} ไม่ใช่มิติที่ {indicator.dimension}",
                f"indicator {fw.id} belongs to dimension {fw.dimension}, not {indicator.dimension}",
                cell=_path(agreement, indicator, "dimension"), indicator=fw.id))
    return findings


def check_thresholds(agreement: Agreement, framework: Framework) -> list:
    """Where the framework fixes the criteria (15.1.1.x 60/70/80/90/100, 15.3.3 0/–/1/–/2)."""
    findings = []
    for fw in framework.walk():
        indicator = agreement.find(fw.id)
        if fw.thresholds is None or indicator is None or not indicator.thresholds:
            continue
        same = len(indicator.thresholds) == len(fw.thresholds) and all(
            (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= PERCENT_TOLERANCE)
            for a, b in zip(indicator.thresholds, fw.thresholds))
        if not same:
            shown = "/".join("–" if t is None else _fmt(t) for t in fw.thresholds)
            findings.append(error(
                "FW-THRESHOLDS", f"เกณฑ์การให้คะแนนของ {fw.id} ต้องเป็น {shown} ตามกรอบการประเมิน",
                f"the framework sets the criteria of {fw.id} to {shown}",
                cell=_path(agreement, indicator, "thresholds"), indicator=fw.id))
    return findings


