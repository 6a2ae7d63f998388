"""Where framework files are and how they are read: the frameworks shipped in the package
(`xlkpi/_templates/`, built from the repository's `templates/`), plus a folder named by
$XLKPI_FRAMEWORKS that may add frameworks or override shipped ones by name."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Union

from ..findings import error
from ..model import Agreement
from .records import Condition, Dimension, Framework, FrameworkIndicator, Weight, parse_weight

#: Environment variable naming a folder of framework files that add to or override (by name)
#: the frameworks shipped with xlkpi.  Several folders may be given, separated by os.pathsep.
FRAMEWORKS_ENV = "XLKPI_FRAMEWORKS"
#: Its old name, still read.
LEGACY_ENV = "XLKPI_TEMPLATES"
_SUFFIXES = (".yaml", ".yml")


def packaged_dir() -> Optional[Path]:
    """The frameworks shipped with xlkpi: `xlkpi/_templates/` in an installed package (the build
    maps the repository's templates/ there, see setup.py), else, in a source checkout or an
    editable install, the repository's templates/."""
    from importlib.resources import files

    shipped = files("xlkpi") / "_templates"
    if isinstance(shipped, Path) and shipped.is_dir():
        return shipped
    checkout = Path(__file__).resolve().parents[2] / "templates"
    return checkout if checkout.is_dir() else None


def frameworks_dirs() -> list:
    """The folders searched for a framework by name, first match wins: $XLKPI_FRAMEWORKS, then
    the shipped frameworks."""
    extra = os.environ.get(FRAMEWORKS_ENV) or os.environ.get(LEGACY_ENV) or ""
    folders = [Path(p) for p in extra.split(os.pathsep) if p.strip()]
    shipped = packaged_dir()
    return folders + ([shipped] if shipped is not None else [])


def _searched() -> str:
    return ", ".join(str(p) for p in frameworks_dirs()) or "—"


def available_frameworks() -> dict:
    """{name: path} of every framework file (name = file stem); $XLKPI_FRAMEWORKS wins a clash."""
    found: dict = {}
    for folder in reversed(frameworks_dirs()):
        if folder.is_dir():
            found.update({p.stem: p for p in folder.iterdir() if p.suffix.lower() in _SUFFIXES and p.is_file()})
    return dict(sorted(found.items()))


def _resolve(name_or_path: Union[str, Path], beside: Optional[Path] = None) -> Optional[Path]:
    candidate = Path(name_or_path)
    if candidate.suffix.lower() in _SUFFIXES and candidate.is_file():
        return candidate
    for folder in ([beside] if beside else []) + frameworks_dirs():
        for suffix in _SUFFIXES:
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
                "FW-UNKNOWN", f"ไม่พบกรอบการประเมิน {name_or_path!r} (ที่มี: {known}; ค้นใน {_searched()})",
                f"no framework {name_or_path!r} (available: {known}; searched {_searched()})", cell="framework"))
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
    """Load a framework by name (see frameworks_dirs) or path → (Framework | None, findings)."""
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
                            f"ไม่มีกรอบการประเมินสำหรับปีงบประมาณ {agreement.fiscal_year} ใน {_searched()}"
                            " (ระบุด้วยช่อง framework หรือ --framework)",
                            f"no framework for fiscal year {agreement.fiscal_year} in {_searched()}"
                            " (name one in the framework field or with --framework)", cell="fiscal_year")]
    candidates.sort(key=lambda c: c[:3])
    return candidates[0][3], []


