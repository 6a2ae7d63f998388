"""Frameworks as data (DOMAIN §4, §5) and the check of an agreement against one.

A framework (กรอบการประเมินผล) is a YAML file in `templates/`: its dimensions and their
weights as sums of the ministry's shares A, B, C and numbers, its indicators with fixed
weights, which department types do not take which indicators, where the weight of an
indicator that does not apply goes, and, for indicator 15, the PMQA rules.  The format is
documented in `templates/README.md`.

`check_agreement` runs every rule in `RULES` (one small function each, as in Beancount's
VALIDATIONS) and returns findings; nothing here raises for bad user data.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Union

from .findings import Finding, error, warning
from .model import GROUP, WEIGHTED, Agreement, Indicator

#: Environment variable naming another folder of framework files (instead of templates/).
TEMPLATES_ENV = "XLKPI_TEMPLATES"

#: Tolerance for percentage weights (they are typed by people: 0.1 + 0.2 must equal 0.3).
PERCENT_TOLERANCE = 1e-6
#: Tolerance for the parts' ΣWi = 1 (DOMAIN §6.3).
PARTS_TOLERANCE = 1e-9

DEPARTMENT_TYPE_NAMES = {
    "in_mission_group": ("ส่วนราชการที่อยู่ในกลุ่มภารกิจ", "a department in a mission group"),
    "no_mission_group": ("ส่วนราชการที่ไม่มีกลุ่มภารกิจ", "a department without a mission group"),
    "under_minister": ("ส่วนราชการที่ขึ้นตรงต่อรัฐมนตรี", "a department directly under the Minister"),
}

PLAN_KPI_TYPES = ("recommended", "custom")


# --- the records ------------------------------------------------------------------------

@dataclass(frozen=True)
class Weight:
    """A weight written as a sum of numbers and the ministry's shares, e.g. "A + 30"."""

    constant: float
    variables: tuple = ()  # ((name, coefficient), ...)
    text: str = ""

    @property
    def is_fixed(self) -> bool:
        return not self.variables

    def __str__(self) -> str:
        return self.text or f"{self.constant:g}"


@dataclass(frozen=True)
class Dimension:
    number: int
    weight: Weight
    name_th: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class Condition:
    """Σ weights of the dimensions `greater` must exceed Σ of the dimensions `than`."""

    code: str
    greater: tuple
    than: tuple


@dataclass(frozen=True)
class FrameworkIndicator:
    id: str
    dimension: int
    weight: Weight
    name_th: str = ""
    name_en: str = ""
    children: tuple = ()
    optional: bool = False  # may be absent; its weight then goes to `moves_to`
    moves_to: str = ""
    only_if: str = ""  # an agreement flag (e.g. governance_pilot) that must be true to take it
    taken_from: str = ""  # the share (A, B, C) its weight comes out of
    department_kpis: bool = False  # filled with the department's own KPIs; its id may be absent
    kind: str = ""
    thresholds: Optional[tuple] = None
    category: str = ""  # PMQA role: mandatory | voluntary | fy2552
    plan_kpis: bool = False  # 15.1.2.x: parts are recommended / custom plan KPIs
    rm_kpis: bool = False  # 15.2: parts are RM KPIs
    granted_if_passed: bool = False
    report_rounds: Optional[tuple] = None  # rounds it reports in (DOMAIN §6.5a); None = not set

    def walk(self) -> Iterator["FrameworkIndicator"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Framework:
    name: str
    path: str = ""
    title_th: str = ""
    title_en: str = ""
    fiscal_years: tuple = ()
    component: bool = False  # describes one indicator tree, not a whole framework
    total: Optional[float] = None
    variables: tuple = ()
    dimensions: tuple = ()
    conditions: tuple = ()
    requires_split_reasons: bool = False
    indicators: tuple = ()
    not_taken: dict = field(default_factory=dict)  # department type -> ids it does not take
    redistribute_within: tuple = ()  # dimensions that absorb the weight of what is not taken
    pmqa: Optional[dict] = None

    def walk(self) -> Iterator[FrameworkIndicator]:
        for indicator in self.indicators:
            yield from indicator.walk()

    def find(self, indicator_id: str) -> Optional[FrameworkIndicator]:
        return next((i for i in self.walk() if i.id == indicator_id), None)

    def siblings_moving_to(self, indicator_id: str) -> list:
        return [i for i in self.walk() if i.moves_to == indicator_id]

    def dimension(self, number: int) -> Optional[Dimension]:
        return next((d for d in self.dimensions if d.number == number), None)

    @property
    def fixed_total(self) -> float:
        """The numbers in the dimension weights (57 for FY2552); the shares make up the rest."""
        return sum(d.weight.constant for d in self.dimensions)


# --- reading framework files ------------------------------------------------------------

_TERM = re.compile(r"\s*([+-])?\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_]\w*))\s*")


def parse_weight(value: Any) -> Optional[Weight]:
    """`20`, `"A"`, `"A + 30"`, `"C + 7"` → Weight; None when it is not such a sum."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Weight(float(value), (), f"{value:g}")
    if not isinstance(value, str) or not value.strip():
        return None
    text, position, constant, variables = value.strip(), 0, 0.0, {}
    while position < len(text):
        match = _TERM.match(text, position)
        if not match or match.end() == position:
            return None
        if position and not match.group(1):
            return None  # two terms without an operator between them
        sign = -1.0 if match.group(1) == "-" else 1.0
        if match.group(2):
            constant += sign * float(match.group(2))
        else:
            variables[match.group(3)] = variables.get(match.group(3), 0.0) + sign
        position = match.end()
    return Weight(constant, tuple(sorted(variables.items())), text)


def templates_dir() -> Path:
    """Where the framework files are: $XLKPI_TEMPLATES, else the repository's templates/."""
    override = os.environ.get(TEMPLATES_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "templates"


def available_frameworks() -> dict:
    """{name: path} of the framework files in the templates folder (name = file stem)."""
    folder = templates_dir()
    if not folder.is_dir():
        return {}
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file())
    return {p.stem: p for p in files}


def _resolve(name_or_path: Union[str, Path], beside: Optional[Path] = None) -> Optional[Path]:
    candidate = Path(name_or_path)
    if candidate.suffix.lower() in (".yaml", ".yml") and candidate.is_file():
        return candidate
    for folder in ([beside] if beside else []) + [templates_dir()]:
        for suffix in (".yaml", ".yml"):
            path = folder / f"{name_or_path}{suffix}"
            if path.is_file():
                return path
    return None


class _FrameworkReader:
    """Turns a framework file into records, collecting findings instead of raising."""

    def __init__(self):
        self.findings: list = []
        self.source = ""

    def bad(self, where: str, th: str, en: str) -> None:
        self.findings.append(error("FW-FILE", f"ไฟล์กรอบการประเมิน: {th}", f"framework file: {en}",
                                   file=self.source, cell=where))

    def read(self, name_or_path, beside: Optional[Path] = None, seen: tuple = ()) -> Optional[Framework]:
        path = _resolve(name_or_path, beside)
        if path is None:
            known = ", ".join(available_frameworks()) or "—"
            self.findings.append(error(
                "FW-UNKNOWN", f"ไม่พบกรอบการประเมิน {name_or_path!r} (ที่มี: {known})",
                f"no framework {name_or_path!r} (available: {known})", cell="framework"))
            return None
        if path.resolve() in seen:
            self.bad("extends", f"อ้างถึงกันเป็นวง: {path.name}", f"circular reference: {path.name}")
            return None
        seen = seen + (path.resolve(),)
        self.source = str(path)
        try:
            import yaml

            data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except Exception as exc:  # a broken framework file is a finding, not a traceback
            self.bad("", f"อ่านไฟล์ไม่ได้: {exc}", f"cannot read: {exc}")
            return None
        if not isinstance(data, dict):
            self.bad("", "ต้องเป็นรายการ (mapping) ของช่องข้อมูล", "must be a mapping of fields")
            return None
        base = None
        if data.get("extends"):
            base = self.read(data["extends"], path.parent, seen)
            if base is None:
                return None
            self.source = str(path)
        framework = self.framework(data, path, base)
        for replaced, component_name in (data.get("replace") or {}).items():
            component = self.read(component_name, path.parent, seen)
            self.source = str(path)
            if component is None:
                return None
            framework = self.replace(framework, str(replaced), component)
        return framework

    def weight(self, value, where: str) -> Weight:
        weight = parse_weight(value)
        if weight is None:
            self.bad(where, f"น้ำหนักต้องเป็นตัวเลขหรือผลรวม เช่น A + 30 ไม่ใช่ {value!r}",
                     f"a weight must be a number or a sum such as A + 30, not {value!r}")
            return Weight(0.0)
        return weight

    def indicator(self, data, where: str, dimension: int = 0) -> Optional[FrameworkIndicator]:
        if not isinstance(data, dict) or data.get("id") in (None, ""):
            self.bad(where, "ตัวชี้วัดต้องมี id", "an indicator needs an id")
            return None
        dimension = int(data.get("dimension", dimension) or 0)
        thresholds = data.get("thresholds")
        return FrameworkIndicator(
            id=str(data["id"]),
            dimension=dimension,
            weight=self.weight(data.get("weight", 0), f"{where}.weight"),
            name_th=str(data.get("name_th", "")),
            name_en=str(data.get("name_en", "")),
            children=tuple(c for c in (self.indicator(d, f"{where}.children[{n}]", dimension)
                                       for n, d in enumerate(data.get("children") or [])) if c),
            optional=bool(data.get("optional", False)),
            moves_to=str(data.get("moves_to", "") or ""),
            only_if=str(data.get("only_if", "") or ""),
            taken_from=str(data.get("taken_from", "") or ""),
            department_kpis=bool(data.get("department_kpis", False)),
            kind=str(data.get("kind", "") or ""),
            thresholds=tuple(thresholds) if isinstance(thresholds, list) else None,
            category=str(data.get("category", "") or ""),
            plan_kpis=bool(data.get("plan_kpis", False)),
            rm_kpis=bool(data.get("rm_kpis", False)),
            granted_if_passed=bool(data.get("granted_if_passed", False)),
            report_rounds=tuple(sorted(int(r) for r in data["report_rounds"]))
            if isinstance(data.get("report_rounds"), list) else None,
        )

    def framework(self, data: dict, path: Path, base: Optional[Framework]) -> Framework:
        def pick(key, default):
            if key in data:
                return data[key]
            return getattr(base, key) if base is not None else default

        dimensions = base.dimensions if base and "dimensions" not in data else tuple(
            Dimension(int(d.get("number", 0)), self.weight(d.get("weight"), f"dimensions[{n}].weight"),
                      str(d.get("name_th", "")), str(d.get("name_en", "")))
            for n, d in enumerate(data.get("dimensions") or []) if isinstance(d, dict))
        conditions = base.conditions if base and "conditions" not in data else tuple(
            Condition(str(c.get("code", "FW-CONDITION")), tuple(c.get("greater") or ()), tuple(c.get("than") or ()))
            for c in (data.get("conditions") or []) if isinstance(c, dict))
        indicators = base.indicators if base and "indicators" not in data else tuple(
            i for i in (self.indicator(d, f"indicators[{n}]") for n, d in enumerate(data.get("indicators") or []))
            if i)
        if base and "department_types" not in data:
            not_taken = dict(base.not_taken)
        else:
            not_taken = {str(t): tuple(str(i) for i in (v or {}).get("not_taken") or ())
                         for t, v in (data.get("department_types") or {}).items()}
        total = pick("total", None)
        return Framework(
            name=str(data.get("name") or path.stem),
            path=str(path),
            title_th=str(data.get("title_th", "")),
            title_en=str(data.get("title_en", "")),
            fiscal_years=tuple(int(y) for y in (data.get("fiscal_years") or ())),
            component=bool(data.get("component", False)),
            total=float(total) if total is not None else None,
            variables=tuple(pick("variables", ())),
            dimensions=dimensions,
            conditions=conditions,
            requires_split_reasons=bool(pick("requires_split_reasons", False)),
            indicators=indicators,
            not_taken=not_taken,
            redistribute_within=tuple(pick("redistribute_within", ())),
            pmqa=data.get("pmqa") if "pmqa" in data else (base.pmqa if base else None),
        )

    def replace(self, framework: Framework, indicator_id: str, component: Framework) -> Framework:
        """The framework with top-level indicator `indicator_id` replaced by the component's tree."""
        position = next((n for n, i in enumerate(framework.indicators) if i.id == indicator_id), None)
        if position is None:
            self.bad(f"replace.{indicator_id}", f"ไม่มีตัวชี้วัด {indicator_id} ให้แทนที่",
                     f"there is no indicator {indicator_id} to replace")
            return framework
        indicators = (framework.indicators[:position] + tuple(component.indicators)
                      + framework.indicators[position + 1:])
        values = {f: getattr(framework, f) for f in framework.__dataclass_fields__}
        values["indicators"] = indicators
        values["pmqa"] = component.pmqa or framework.pmqa
        return Framework(**values)


def load_framework(name_or_path: Union[str, Path]) -> tuple:
    """Load a framework by name (from templates/) or path → (Framework | None, findings)."""
    reader = _FrameworkReader()
    framework = reader.read(name_or_path)
    if reader.findings and any(f.is_error for f in reader.findings):
        return None, reader.findings
    return framework, reader.findings


def load_framework_for(agreement: Agreement, override: Optional[str] = None) -> tuple:
    """The framework an agreement follows: `override`, else `agreement.framework`, else the
    framework for its fiscal year whose indicator ids the agreement matches best (so a FY2552
    agreement with indicator 15 in dimension 4 gets fy2552-pilot-with-pmqa-2553)."""
    chosen = override or agreement.framework
    if chosen:
        return load_framework(chosen)
    ids = {i.id for i in agreement.walk()}
    candidates = []
    for name in available_frameworks():
        framework, findings = load_framework(name)
        if framework is None or agreement.fiscal_year not in framework.fiscal_years:
            continue
        fixed_ids = [i.id for i in framework.walk() if not i.department_kpis and not i.optional]
        matched = sum(1 for i in fixed_ids if i in ids) / max(len(fixed_ids), 1)
        candidates.append((-matched, framework.component, framework.name, framework))
    if not candidates:
        return None, [error("FW-NO-FRAMEWORK",
                            f"ไม่มีกรอบการประเมินสำหรับปีงบประมาณ {agreement.fiscal_year} ใน {templates_dir()}"
                            " (ระบุด้วยช่อง framework หรือ --framework)",
                            f"no framework for fiscal year {agreement.fiscal_year} in {templates_dir()}"
                            " (name one in the framework field or with --framework)", cell="fiscal_year")]
    candidates.sort(key=lambda c: c[:3])
    return candidates[0][3], []


# --- helpers the rules share ------------------------------------------------------------

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
    return DEPARTMENT_TYPE_NAMES.get(department_type, (department_type, department_type))


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
    top = sum(i.weight for i in agreement.indicators if i.applicable)
    leaves = sum(i.weight for i in _applicable_leaves(agreement.indicators))
    findings = []
    for label_th, label_en, value in (("ตัวชี้วัดระดับบนสุด", "the top-level indicators", top),
                                      ("ตัวชี้วัดย่อยที่ให้คะแนน", "the scored (leaf) indicators", leaves)):
        if abs(value - total) > PERCENT_TOLERANCE:
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
        total = sum(c.weight for c in indicator.children if c.applicable)
        if abs(total - indicator.weight) > PERCENT_TOLERANCE:
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
        total = sum(p.weight for p in indicator.parts)
        if abs(total - 1.0) > PARTS_TOLERANCE:
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


# --- PMQA (indicator 15) ------------------------------------------------------------------

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


# --- reporting schedule and granted scores (DOMAIN §6.5, §6.5a) ---------------------------

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


#: Every rule, in the order its findings are reported.  Adding a rule = one function + one test.
RULES: list[Callable[[Agreement, Framework], list]] = [
    check_total,
    check_dimension_split,
    check_conditions,
    check_split_reasons,
    check_subweights,
    check_parts_sum,
    check_fixed_weights,
    check_moved_weight,
    check_mandatory_indicators,
    check_not_taken,
    check_indicator_dimensions,
    check_thresholds,
    check_pmqa_categories,
    check_pmqa_kpis,
    check_report_rounds,
    check_granted,
]


def check_agreement(agreement: Agreement, framework: Framework) -> list:
    """Every finding of every rule: what in the agreement does not fit the framework."""
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule(agreement, framework))
    return findings
