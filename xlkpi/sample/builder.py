"""Builds the sample ministry's agreements from the tables in `data`, deterministically,
and applies the deliberate mistakes."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Optional

from ..model import (
    GROUP,
    MILESTONE,
    THRESHOLD,
    UP,
    WEIGHTED,
    Agreement,
    Contact,
    Indicator,
    Part,
)
from .data import (
    BASELINE_YEARS, FRAMEWORK, SIGNED_ON, CORE_KPIS, DEPARTMENTS, EFFICIENCY_KPIS, ENERGY_MILESTONES, EVALUATIONS,
    FISCAL_YEAR, GOVERNANCE_MILESTONES, GRANTED_REASON, MILESTONE_PROJECTS,
    MINISTRY, MINISTRY_EN, MINISTRY_TARGETS, MISSION_GROUP_TARGETS, OWNER_OFFICES, PMQA_CATEGORIES,
    PMQA_CUSTOM_KPIS, PMQA_PLAN_KPIS, RM_KPIS, ROUNDS, SAMPLE_MISTAKES, SERVICE_CENTRE_MILESTONES,
    SERVICE_KPIS, SERVICE_MILESTONE, SHARED_TARGETS, UNIT_COST_MILESTONE, WORKBOOK_PASSWORD,
    SampleDepartment, SampleMistake,
)
from .blocks import (
    _baselines, _definition, _milestone_results, _num, _person, _phone, _thresholds, _yearly_results,
)


class _DepartmentBuilder:
    """Builds one sample department's agreement from the tables, with its own seeded rng."""

    def __init__(self, department: SampleDepartment):
        self.d = department
        self.rng = random.Random(f"xlkpi-sample-{department.slug}")

    # -- KPI Template texts ---------------------------------------------------------
    def fill_template(self, indicator: Indicator, office: Optional[str] = None) -> None:
        rng, d = self.rng, self.d
        office = office or OWNER_OFFICES[indicator.dimension]
        indicator.definition, indicator.formula = _definition(indicator, d.name)
        indicator.data_source = (f"รายงานผลการดำเนินงานรายไตรมาสของหน่วยงานที่รับผิดชอบ รวบรวมโดย{office} "
                                 f"{d.name}")
        indicator.owner = Contact(f"{_person(rng)} (ผู้อำนวยการ{office})", _phone(rng))
        indicator.collector = Contact(f"{_person(rng)} (นักวิเคราะห์นโยบายและแผน)", _phone(rng))
        indicator.rationale = (f"เพื่อติดตามผลสัมฤทธิ์ของ{d.topic}ตามแผนปฏิบัติราชการประจำปีงบประมาณ "
                               f"พ.ศ. {FISCAL_YEAR} และยุทธศาสตร์{MINISTRY}")
        indicator.conditions = (f"ใช้ข้อมูล ณ วันสิ้นรอบการประเมิน (31 มีนาคม, 30 มิถุนายน และ 30 กันยายน "
                                f"{FISCAL_YEAR})")
        indicator.evaluation = rng.choice(EVALUATIONS)
        indicator.evidence_expected = (f"รายงานสรุปผลการดำเนินงาน{indicator.name} พร้อมเอกสารอ้างอิง "
                                       f"ที่ผู้บริหารลงนามรับรอง")

    def report(self, indicator: Indicator, rounds) -> None:
        """Explanation and evidence texts for every round with a result."""
        for round_ in sorted(rounds):
            indicator.explanation[round_] = (f"รอบ {round_} เดือน ดำเนินการตามแผนงานของ{indicator.name} "
                                             f"ได้ตามที่รายงาน")
            indicator.evidence[round_] = (f"รายงานผลรอบ {round_} เดือน ({self.d.slug}-{indicator.id}-{round_}.pdf) "
                                          f"และบันทึกการประชุมติดตามผล")

    def rounds_for(self, annual_only: bool = False) -> tuple:
        if annual_only or self.rng.random() < 0.25:
            return (12,)
        return ROUNDS

    @staticmethod
    def schedule(indicator: Indicator, rounds: tuple) -> None:
        """An indicator measured once a year reports at 12 months only (DOMAIN §6.5a)."""
        if tuple(rounds) != ROUNDS:
            indicator.report_rounds = sorted(rounds)

    # -- indicator kinds ---------------------------------------------------------------
    def threshold(self, id_, dimension, weight, row, blank_levels=(), interpolate=True,
                  rounds=None) -> Indicator:
        name, unit, direction, target, step = row
        name = name.format(topic=self.d.topic, service=self.d.service)
        indicator = Indicator(id=id_, name=name, dimension=dimension, weight=weight, kind=THRESHOLD,
                              unit=unit, direction=direction, interpolate=interpolate,
                              thresholds=_thresholds(target, step, direction, blank_levels))
        self.fill_template(indicator)
        indicator.baseline = _baselines(target, step, direction, unit, self.rng)
        rounds = rounds or self.rounds_for()
        indicator.result = _yearly_results(target, step, direction, unit, self.rng, rounds)
        self.report(indicator, rounds)
        self.schedule(indicator, rounds)
        return indicator

    def milestone(self, id_, dimension, weight, name, milestones, office=None, rounds=None) -> Indicator:
        indicator = Indicator(id=id_, name=name.format(topic=self.d.topic, service=self.d.service),
                              dimension=dimension, weight=weight, kind=MILESTONE, unit="ระดับ",
                              milestones=list(milestones))
        self.fill_template(indicator, office)
        indicator.baseline = {BASELINE_YEARS[1]: 1, BASELINE_YEARS[2]: 2}  # level reached on the project's earlier phase
        rounds = rounds or self.rounds_for()
        indicator.result = _milestone_results(self.rng, rounds)
        self.report(indicator, rounds)
        self.schedule(indicator, rounds)
        return indicator

    def part(self, row, weight, rounds) -> Part:
        name, unit, direction, target, step = row
        return Part(name=name, weight=weight, unit=unit, direction=direction,
                    thresholds=_thresholds(target, step, direction),
                    result=_yearly_results(target, step, direction, unit, self.rng, rounds))

    def weighted(self, id_, dimension, weight, name, rows, weights, rounds=None, category=None) -> Indicator:
        rounds = rounds or self.rounds_for()
        indicator = Indicator(id=id_, name=name, dimension=dimension, weight=weight, kind=WEIGHTED,
                              unit="ระดับ", parts=[self.part(r, w, rounds) for r, w in zip(rows, weights)],
                              category=category)
        self.fill_template(indicator)
        self.report(indicator, rounds)
        self.schedule(indicator, rounds)
        return indicator

    def group(self, id_, dimension, weight, name, children) -> Indicator:
        indicator = Indicator(id=id_, name=name, dimension=dimension, weight=weight, kind=GROUP,
                              unit="ระดับ", children=children)
        self.fill_template(indicator)
        return indicator

    # -- the framework ------------------------------------------------------------------
    def split(self, total: float, count: int) -> list:
        """`total` split into `count` weights in steps of 0.5, none below 1."""
        halves = round(total * 2)
        shares = [2] * count
        for _ in range(halves - 2 * count):
            shares[self.rng.randrange(count)] += 1
        return [_num(h / 2) for h in shares]

    def build(self) -> Agreement:
        d, rng = self.d, self.rng
        a, b, c = (base + extra for base, extra in zip((d.a, d.b, d.c), d.extra))
        indicators = []
        if d.type != "under_minister":
            indicators.append(self.indicator_1())
        if d.type == "in_mission_group":
            targets = MISSION_GROUP_TARGETS[d.mission_group]
            indicators.append(self.weighted(
                "2", 1, 10, "ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมายตามแผนปฏิบัติราชการ"
                            f"ของ{d.mission_group}", targets[:2], [0.5, 0.5]))
        indicators += self.dimension_1(a)
        indicators += self.dimension_2(b)
        indicators += self.dimension_3(c)
        indicators.append(self.indicator_15())
        pmqa = dict(self.pmqa, plan_kpis=self.plan_kpis)
        return Agreement(
            fiscal_year=FISCAL_YEAR, ministry=MINISTRY, department=d.name, department_type=d.type,
            department_code=f"MOPH-{d.slug.upper()}", below_level_1=1, indicators=indicators, mission_group=d.mission_group,
            split_reasons=self.split_reasons(), governance_pilot=d.governance_pilot,
            pmqa=pmqa, version="1", signed_on=SIGNED_ON, staff=d.staff, framework=FRAMEWORK)

    def split_reasons(self) -> str:
        d = self.d
        text = (f"กระทรวงกำหนด A = {d.a}, B = {d.b}, C = {d.c} (รวม 43) โดยให้น้ำหนักมิติที่ 1 สูงสุด "
                f"เพื่อเน้นผลสัมฤทธิ์ตามภารกิจหลักด้าน{d.topic} และให้น้ำหนักมิติที่ 2 ตามปริมาณงานบริการ"
                f"{d.service}")
        if any(d.extra):
            moved = "1 และ 2" if d.type == "under_minister" else "2"
            text += (f"; {d.name}ไม่มีตัวชี้วัดที่ {moved} จึงกระจายน้ำหนักให้ A, B, C เพิ่ม "
                     f"{d.extra[0]}, {d.extra[1]}, {d.extra[2]} ตามลำดับ")
        return text

    def indicator_1(self) -> Indicator:
        d, rng = self.d, self.rng
        count = rng.choice([2, 3, 4])
        rows = rng.sample(MINISTRY_TARGETS, count)
        weights = {2: [0.6, 0.4], 3: [0.4, 0.3, 0.3], 4: [0.4, 0.2, 0.2, 0.2]}[count]
        one_one = self.weighted("1.1", 1, 15 if d.shared_targets else 18,
                                "ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมายตามแผนปฏิบัติราชการ"
                                "ของกระทรวง", rows, weights)
        shared_name = "ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมายร่วมระหว่างกระทรวง"
        if d.shared_targets:
            one_two = self.weighted("1.2", 1, 3, shared_name, rng.sample(SHARED_TARGETS, 2), [0.5, 0.5])
        else:
            one_two = Indicator(id="1.2", name=shared_name, dimension=1, weight=0, applicable=False,
                                moved_to="1.1")
            self.fill_template(one_two)
            one_two.conditions = "ไม่มีเป้าหมายร่วมระหว่างกระทรวง จึงโอนน้ำหนักร้อยละ 3 ไปรวมกับตัวชี้วัดที่ 1.1"
        one_three = self.milestone("1.3", 1, 2, "ระดับความสำเร็จของการพัฒนาศูนย์บริการร่วม/เคาน์เตอร์บริการประชาชน",
                                   SERVICE_CENTRE_MILESTONES)
        return self.group("1", 1, 20, "ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมาย"
                                      "ตามแผนปฏิบัติราชการของกระทรวง", [one_one, one_two, one_three])

    def dimension_1(self, weight: float) -> list:
        d = self.d
        milestones = {"in_mission_group": 1, "no_mission_group": 2, "under_minister": 3}[d.type]
        rows = CORE_KPIS[d.slug]
        weights = self.split(weight, len(rows) + milestones)
        out = []
        for n, (row, w) in enumerate(zip(rows, weights), start=1):
            # Level 2 and 4 left blank ("–") on the sixth KPI, as ministries did for new targets.
            blanks = (2, 4) if n == 6 else ()
            out.append(self.threshold(f"3.{n}", 1, w, row, blank_levels=blanks,
                                      interpolate=not (d.slug == "nvi" and n == 5)))
        for k in range(milestones):
            n = len(rows) + k + 1
            name, steps = MILESTONE_PROJECTS[k]
            out.append(self.milestone(f"3.{n}", 1, weights[n - 1], name, steps))
        return out

    def dimension_2(self, weight: float) -> list:
        weights = self.split(weight, len(SERVICE_KPIS) + 1)
        out = [self.threshold(f"4.{n}", 2, w, row, interpolate=not (self.d.slug == "dmh" and n == 2))
               for n, (row, w) in enumerate(zip(SERVICE_KPIS, weights), start=1)]
        name, steps = SERVICE_MILESTONE
        out.append(self.milestone(f"4.{len(out) + 1}", 2, weights[-1], name, steps))
        return out

    def dimension_3(self, c: float) -> list:
        d = self.d
        out = [
            self.threshold("5.1", 3, 4, ("ร้อยละของการเบิกจ่ายเงินงบประมาณรายจ่ายลงทุน", "%", UP, 80, 4)),
            self.milestone("5.2", 3, 3, "ระดับความสำเร็จของการดำเนินการตามมาตรการประหยัดพลังงาน",
                           ENERGY_MILESTONES, office="สำนักงานเลขานุการกรม"),
        ]
        if d.governance_pilot:
            out.append(self.milestone("5.3", 3, 4, "ระดับความสำเร็จของการดำเนินการตามแผนที่ทางเดิน (Roadmap) "
                                                   "การส่งเสริมธรรมาภิบาล", GOVERNANCE_MILESTONES))
            c -= 4
        extra = [("threshold", row) for row in EFFICIENCY_KPIS] + [("milestone", UNIT_COST_MILESTONE)]
        count = 2 if c < 12 else 3
        weights = self.split(c, count)
        for k, ((kind, row), w) in enumerate(zip(extra[-count:], weights)):
            id_ = f"5.{len(out) + 1 + (0 if d.governance_pilot else 1)}"
            if kind == "threshold":
                out.append(self.threshold(id_, 3, w, row))
            else:
                out.append(self.milestone(id_, 3, w, row[0], row[1]))
        return out

    # -- indicator 15 (PMQA, DOMAIN §5) ---------------------------------------------------
    @property
    def pmqa(self) -> dict:
        d = self.d
        done = [1, 2] if d.agency_type == "policy" else [1, 3]
        rng = random.Random(f"xlkpi-pmqa-{d.slug}")
        mandatory = rng.choice([1, 4] if d.agency_type == "policy" else [1, 6])
        voluntary = rng.choice([c for c in range(1, 7) if c not in done and c != mandatory])
        return {"agency_type": d.agency_type, "categories_fy2552": done, "mandatory_category": mandatory,
                "voluntary_category": voluntary, "categories_passed_fy2552": [done[1]]}

    def indicator_15(self) -> Indicator:
        pmqa, rng = self.pmqa, self.rng
        mandatory, voluntary = pmqa["mandatory_category"], pmqa["voluntary_category"]
        office = OWNER_OFFICES[4]
        basic = "ร้อยละของการผ่านเกณฑ์คุณภาพการบริหารจัดการภาครัฐระดับพื้นฐาน"
        pct_row = lambda name: (name, "%", UP, 80, 10)  # noqa: E731 — 60/70/80/90/100

        def category_name(label: str, category: int) -> str:
            return f"{basic} {label} หมวด {category} {PMQA_CATEGORIES[category]}"

        c111 = self.threshold("15.1.1.1", 4, 4, pct_row(category_name("(หมวดภาคบังคับ)", mandatory)),
                              rounds=(12,))
        c112 = self.threshold("15.1.1.2", 4, 4, pct_row(category_name("(หมวดภาคสมัครใจ)", voluntary)),
                              rounds=(12,))
        c111.category, c112.category = mandatory, voluntary
        plans = []
        self.plan_kpis = {}  # DOMAIN §5: which 15.1.2 KPIs are recommended, which custom outcomes
        for n, category in enumerate((mandatory, voluntary), start=1):
            names = PMQA_PLAN_KPIS[category]
            if rng.random() < 0.5:
                rows, weights = names, [0.5, 0.5]
            else:
                rows, weights = names + PMQA_CUSTOM_KPIS, [0.4, 0.4, 0.1, 0.1]
            self.plan_kpis[f"15.1.2.{n}"] = ["recommended"] * len(names) + [
                {"type": "custom", "measures": "outcome"}] * (len(rows) - len(names))
            plans.append(self.weighted(
                f"15.1.2.{n}", 4, 1, f"ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมายของแผนพัฒนาองค์การ "
                                     f"หมวด {category}", [(r, "ร้อยละของเป้าหมาย", UP, 80, 10) for r in rows],
                weights, category=category))
        failed = []
        for n, category in enumerate(pmqa["categories_fy2552"], start=1):
            row = pct_row(f"{basic} ในหมวดที่ดำเนินการไม่ผ่านในปีงบประมาณ พ.ศ. 2552 (หมวด {category})")
            if category in pmqa["categories_passed_fy2552"]:
                indicator = Indicator(id=f"15.1.3.{n}", name=row[0], dimension=4, weight=1, unit="%",
                                      thresholds=_thresholds(80, 10, UP), granted=True,
                                      granted_reason=GRANTED_REASON)
                self.fill_template(indicator)  # passed already: no baseline to beat
            else:
                indicator = self.threshold(f"15.1.3.{n}", 4, 1, row, rounds=(12,))
            indicator.category = category
            failed.append(indicator)
        fifteen_one = self.group("15.1", 4, 12, "ระดับความสำเร็จของการดำเนินการผ่านเกณฑ์คุณภาพการบริหารจัดการ"
                                                "ภาครัฐระดับพื้นฐาน", [
            self.group("15.1.1", 4, 8, basic, [c111, c112]),
            self.group("15.1.2", 4, 2, "ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมายความสำเร็จ"
                                       "ของผลลัพธ์ในการดำเนินการพัฒนาองค์การ", plans),
            self.group("15.1.3", 4, 2, f"{basic} ในหมวดที่ดำเนินการไม่ผ่านเกณฑ์ในปีงบประมาณ พ.ศ. 2552", failed),
        ])
        not_this_year = [c for c in range(1, 7) if c not in (mandatory, voluntary)]
        rm_names = [name for c in not_this_year for name in RM_KPIS[c]]
        hundredths = [100 // len(rm_names)] * len(rm_names)
        hundredths[0] += 100 - sum(hundredths)
        fifteen_two = self.weighted(
            "15.2", 4, 4, "ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมายความสำเร็จของผลลัพธ์"
                          "การดำเนินการตามเกณฑ์คุณภาพการบริหารจัดการภาครัฐระดับพื้นฐาน (หมวด 7)",
            [(n, "ร้อยละของเป้าหมาย", UP, 80, 10) for n in rm_names], [h / 100 for h in hundredths])
        fifteen_three = self.group("15.3", 4, 4, "ระดับความสำเร็จเฉลี่ยถ่วงน้ำหนักของการจัดทำแผนพัฒนาองค์การ "
                                                 "ปีงบประมาณ พ.ศ. 2554", [
            self.completeness("15.3.1", 1, "ระดับความครบถ้วนของการจัดทำลักษณะสำคัญขององค์การ (15 คำถาม)",
                              "ข้อ", [3, 6, 9, 12, 15]),
            self.completeness("15.3.2", 1, "ระดับความครบถ้วนของการประเมินองค์การด้วยตนเอง หมวด 1–7", "หมวด",
                              [3, 4, 5, 6, 7]),
            self.completeness("15.3.3", 2, "ระดับความครบถ้วนของการจัดทำแผนพัฒนาองค์การ ปีงบประมาณ พ.ศ. 2554 "
                                           "(2 แผน)", "แผน", [0, None, 1, None, 2]),
        ])
        fifteen = self.group("15", 4, 20, "ระดับความสำเร็จของการพัฒนาคุณภาพการบริหารจัดการภาครัฐ",
                             [fifteen_one, fifteen_two, fifteen_three])
        # PMQA is assessed once a year (the framework says so): every part of 15 reports at 12
        fifteen.report_rounds = [12]
        for indicator in fifteen.walk():
            if indicator is not fifteen:
                indicator.report_rounds = None
                for round_ in (6, 9):
                    for values in [indicator.result, indicator.explanation, indicator.evidence,
                                   *(p.result for p in indicator.parts)]:
                        values.pop(round_, None)
        return fifteen

    def completeness(self, id_, weight, name, unit, thresholds) -> Indicator:
        indicator = Indicator(id=id_, name=name, dimension=4, weight=weight, unit=unit,
                              thresholds=list(thresholds))
        self.fill_template(indicator)
        indicator.baseline = {}  # new in this cycle: no earlier results to compare with
        top = thresholds[-1]
        indicator.result = {12: self.rng.choice([top, top, thresholds[2]])}
        self.report(indicator, (12,))
        return indicator


# --- the mistakes, applied ------------------------------------------------------------

def _resolve(indicator: Indicator, path: str):
    """The object holding the last step of `path`, and that last step."""
    steps = path.replace("[", ".").replace("]", "").split(".")
    target = indicator
    for step in steps[:-1]:
        if isinstance(target, list):
            target = target[int(step)]
        elif isinstance(target, dict):
            target = target[int(step)]
        else:
            target = getattr(target, step)
    return target, steps[-1]


def field_value(indicator: Indicator, path: str):
    """The value at a field path inside an indicator (`owner.phone`, `parts[1].result.12`)."""
    holder, last = _resolve(indicator, path)
    if isinstance(holder, dict):
        return holder.get(int(last))
    return getattr(holder, last)


def _apply(agreement: Agreement, mistake: SampleMistake) -> None:
    if not mistake.indicator:
        return  # department-level mistakes are built into DEPARTMENTS' weights
    indicator = agreement.find(mistake.indicator)
    holder, last = _resolve(indicator, mistake.field)
    if mistake.code == "TPL-REQUIRED-BLANK":
        setattr(holder, last, "")
    elif mistake.code == "WB-FORMULA-INJECTION":
        setattr(holder, last, '=HYPERLINK("http://example.invalid/kpi","คลิกเพื่ออ่านคำอธิบาย")')
    elif mistake.code == "TPL-UNEVEN-STEPS":
        t = indicator.thresholds
        step = t[1] - t[0]
        t[3] = _num(t[2] + step / 2, 4)  # steps s, s, s/2, 3s/2: still increasing
    elif mistake.code == "TPL-TARGET-EASIER":
        t3, step = indicator.thresholds[2], indicator.thresholds[3] - indicator.thresholds[2]
        holder[int(last)] = _num(t3 + step / 2, 2)  # last year already beyond level 3
    elif mistake.code == "SAR-RESULT-MISSING":
        holder.pop(int(last), None)
        if last == "12" and holder is indicator.result:
            indicator.evidence.pop(12, None)
            indicator.explanation[12] = "อยู่ระหว่างรวบรวมข้อมูลผลการดำเนินงาน"
    elif mistake.code == "SAR-EVIDENCE-MISSING":
        holder.pop(int(last), None)


# --- public API -------------------------------------------------------------------------

def sample_ministry() -> list:
    """The ten sample departments' agreements (list[Agreement]), in DEPARTMENTS order."""
    agreements = []
    for department in DEPARTMENTS:
        agreement = _DepartmentBuilder(department).build()
        for mistake in SAMPLE_MISTAKES:
            if mistake.department == department.slug:
                _apply(agreement, mistake)
        agreements.append(agreement)
    return agreements


def write_sample(folder) -> list:
    """Write one YAML agreement file per department (`ddc.yaml`, ...); returns the paths."""
    from ..agreement import dump

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for department, agreement in zip(DEPARTMENTS, sample_ministry()):
        path = folder / f"{department.slug}.yaml"
        dump(agreement, path)
        paths.append(path)
    return paths


def ministry_settings() -> dict:
    """Ministry-wide settings the workbooks and reports share."""
    return {
        "ministry": MINISTRY,
        "ministry_en": MINISTRY_EN,
        "fiscal_year": FISCAL_YEAR,
        "workbook_password": WORKBOOK_PASSWORD,
        "departments": [
            {"slug": d.slug, "name": d.name, "name_en": d.name_en, "department_type": d.type,
             "mission_group": d.mission_group, "file": f"{d.slug}.yaml"}
            for d in DEPARTMENTS
        ],
    }
