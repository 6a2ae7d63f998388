"""Small pieces the sample builder and the random generator share: clean numbers, thresholds,
baselines and results per round, people, and the KPI Template's definition texts."""
from __future__ import annotations

import math
import random

from ..model import DOWN, GROUP, MILESTONE, UP, WEIGHTED, Indicator
from .data import BASELINE_YEARS, COUNT_UNITS, FIRST_NAMES, FISCAL_YEAR, LAST_NAMES, TITLES

# --- building blocks ------------------------------------------------------------------

def _num(value: float, digits: int = 2):
    """A clean number: rounded, and an int when it is whole (so files read naturally)."""
    value = round(value, digits)
    return int(value) if float(value).is_integer() else value


def _digits(unit: str) -> int:
    return 0 if unit in COUNT_UNITS else 2


def _thresholds(target: float, step: float, direction: str, blank_levels: tuple = ()) -> list:
    """Five evenly stepped thresholds with `target` at level 3 (DOMAIN §6.1)."""
    sign = -1 if direction == DOWN else 1
    out = [_num(target + sign * step * (level - 3), 4) for level in range(1, 6)]
    return [None if level in blank_levels else t for level, t in enumerate(out, start=1)]


def _baselines(target: float, step: float, direction: str, unit: str, rng: random.Random) -> dict:
    """Results of the three years before, improving, with the last still short of the level-3 target."""
    sign = -1 if direction == DOWN else 1
    digits = _digits(unit)
    last = target - sign * step * rng.uniform(0.4, 1.5)
    middle = last - sign * step * rng.uniform(0.1, 0.9)
    first = middle - sign * step * rng.uniform(0.1, 0.9)
    values = [first, middle, last]
    if digits == 0:  # a count: round away from the target so the last year stays short of it
        values = [math.floor(v) if sign > 0 else math.ceil(v) for v in values]
    return {year: _num(max(v, 0), digits) for year, v in zip(BASELINE_YEARS, values)}


def _yearly_results(target: float, step: float, direction: str, unit: str, rng: random.Random,
                    rounds: tuple) -> dict:
    sign = -1 if direction == DOWN else 1
    digits = _digits(unit)
    final = target + sign * step * rng.uniform(-1.2, 2.4)
    if unit == "%":
        final = min(final, 100.0)
    final = max(final, 0.0)
    out = {}
    for round_ in rounds:
        if unit in COUNT_UNITS and direction == UP:
            value = final * round_ / 12  # a count so far
        else:
            value = final + sign * step * rng.uniform(-0.8, 0.3) * (12 - round_) / 6
        out[round_] = _num(max(value, 0), digits)
    return out


def _milestone_results(rng: random.Random, rounds: tuple) -> dict:
    final = rng.choice([2, 3, 4, 4, 5, 5])
    out = {}
    for round_ in rounds:
        reached = max(1, final - (12 - round_) // 3)
        out[round_] = [level <= reached for level in range(1, 6)]
    return out


def _person(rng: random.Random) -> str:
    return f"{rng.choice(TITLES)}{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _phone(rng: random.Random) -> str:
    return f"0 2590 {rng.randint(1000, 9999)}"


def _subject(name: str, prefix: str) -> str:
    return name[len(prefix):].strip() if name.startswith(prefix) else name


def _definition(indicator: Indicator, department: str) -> tuple[str, str]:
    """(definition, calculation formula) as a department writes them in its KPI Template:
    what is counted, over which population and period, and how."""
    name, unit = indicator.name, indicator.unit
    period = f"ตั้งแต่ 1 ตุลาคม {FISCAL_YEAR - 1} ถึงวันสิ้นรอบการประเมิน"
    if indicator.kind == MILESTONE:
        steps = " ".join(f"{n}) {m}" for n, m in enumerate(indicator.milestones, start=1))
        return (f"{name} พิจารณาจากความก้าวหน้าของการดำเนินงานของ{department}ตามขั้นตอน 5 ขั้น ได้แก่ {steps} "
                "โดยขั้นตอนที่สูงกว่าจะนับได้เมื่อขั้นตอนก่อนหน้าแล้วเสร็จครบถ้วน",
                "ระดับที่ได้ = ขั้นตอนสูงสุดที่ดำเนินการแล้วเสร็จ โดยขั้นตอนก่อนหน้าทุกขั้นแล้วเสร็จด้วย (ระดับ 1–5)")
    if indicator.kind == WEIGHTED:
        parts = "; ".join(f"{p.name} (น้ำหนัก {p.weight:g})" for p in indicator.parts)
        return (f"{name} คือค่าเฉลี่ยถ่วงน้ำหนักของคะแนนตัวชี้วัดย่อย {len(indicator.parts)} ตัว ได้แก่ {parts} "
                "แต่ละตัวคิดคะแนนตามเกณฑ์ของตนเอง (1–5) แล้วนำมาถ่วงน้ำหนัก",
                "Σ(Wi × SMi) ÷ ΣWi โดย Wi = น้ำหนักของตัวชี้วัดย่อยที่ i และ SMi = คะแนนของตัวชี้วัดย่อยที่ i")
    if indicator.kind == GROUP:
        children = "; ".join(f"{c.id} {c.name}" for c in indicator.children)
        return (f"{name} สรุปจากตัวชี้วัดย่อย ได้แก่ {children} ตามน้ำหนักของแต่ละตัว",
                "Σ(น้ำหนักของตัวชี้วัดย่อย × คะแนนของตัวชี้วัดย่อย) ÷ Σ น้ำหนักของตัวชี้วัดย่อย")
    if unit == "%" and "ผ่านเกณฑ์คุณภาพการบริหารจัดการภาครัฐ" in name:
        return (f"{name} คือสัดส่วนของประเด็นในเกณฑ์คุณภาพการบริหารจัดการภาครัฐระดับพื้นฐาน (Fundamental Level) "
                f"ของหมวดที่ระบุ ที่{department}ดำเนินการได้ครบถ้วนตามแนวทางของสำนักงาน ก.พ.ร. ณ วันสิ้นปีงบประมาณ",
                "(จำนวนประเด็นที่ผ่านเกณฑ์ ÷ จำนวนประเด็นทั้งหมดของเกณฑ์ในหมวดนั้น) × 100")
    if unit == "%" and not name.startswith("ร้อยละ"):
        return (f"{name} คิดเป็นร้อยละ: จำนวนรายที่เป็นไปตามเกณฑ์ที่กำหนด เทียบกับจำนวนรายทั้งหมดที่อยู่ในความรับผิดชอบ"
                f"ของ{department} นับผลสะสม{period}",
                "(จำนวนรายที่เป็นไปตามเกณฑ์ ÷ จำนวนรายทั้งหมด) × 100")
    if unit == "%":
        subject = _subject(_subject(name, "ร้อยละของ"), "ร้อยละ")
        return (f"ร้อยละของ{subject} คำนวณจากจำนวน{subject}ที่เป็นไปตามเกณฑ์หรือมาตรฐานที่กำหนด "
                f"เทียบกับจำนวนทั้งหมดที่อยู่ในความรับผิดชอบของ{department} นับผลสะสม{period}",
                f"(A ÷ B) × 100 โดย A = จำนวน{subject}ที่เป็นไปตามเกณฑ์ และ B = จำนวนทั้งหมดที่อยู่ในความรับผิดชอบ")
    if "ต่อแสน" in unit or "ต่อประชากร" in name:
        subject = _subject(name, "อัตรา")
        return (f"อัตรา{subject} คือจำนวนผู้ป่วยรายใหม่ที่รายงานเข้าระบบเฝ้าระวังโรค (รง. 506) {period} "
                "ต่อประชากรกลางปีของพื้นที่รับผิดชอบ 100,000 คน",
                "(จำนวนผู้ป่วยรายใหม่ ÷ ประชากรกลางปี) × 100,000")
    if name.startswith("ระยะเวลาเฉลี่ย"):
        subject = _subject(name, "ระยะเวลาเฉลี่ย")
        return (f"ระยะเวลาเฉลี่ย{subject} นับจากวันและเวลาที่ได้รับเรื่องจนดำเนินการแล้วเสร็จ "
                f"เฉลี่ยทุกรายที่ดำเนินการ{period} (หน่วย: {unit})",
                f"ผลรวมของระยะเวลาที่ใช้ทุกราย ÷ จำนวนรายที่ดำเนินการแล้วเสร็จ (หน่วย: {unit})")
    subject = _subject(name, "จำนวน")
    return (f"จำนวน{subject}ที่{department}ดำเนินการแล้วเสร็จและมีหลักฐานรับรอง นับสะสม{period} "
            f"(หน่วย: {unit})",
            f"นับจำนวน{subject}ที่แล้วเสร็จตามนิยาม (หน่วย: {unit}) จากทะเบียนของหน่วยงานที่รับผิดชอบ")
