"""The built-in sample ministry (กระทรวงตัวอย่าง) and a random-agreement generator.

`sample_ministry()` builds ten departments of กระทรวงสาธารณสุข for FY2552, each a complete
agreement following the FY2552 pilot-ministry framework (DOMAIN §4) with dimension 4 laid
out as the FY2553 indicator 15 (DOMAIN §5).  The agreements are generated, deterministically,
from the tables of Thai KPI material below, so the demo, the workbook generator and the
audits all work on the same realistic data.

The sample is clean except for the deliberate mistakes listed in `SAMPLE_MISTAKES`, which
the audits must find.  Each names the finding code it should trigger:

=========================  ========  =================================================
code                       severity  what is wrong
=========================  ========  =================================================
TPL-REQUIRED-BLANK         error     a required KPI Template field is blank
TPL-UNEVEN-STEPS           warning   thresholds do not step evenly (per level, blank
                                     levels counted)
TPL-TARGET-EASIER          warning   the level-3 threshold is easier than last year's
                                     actual result (baseline of fiscal_year - 1)
WB-FORMULA-INJECTION       error     a text field starts with "=", "+", "-" or "@"
SAR-RESULT-MISSING         error     no 12-month result for an applicable, non-granted
                                     indicator (or one of its parts)
SAR-EVIDENCE-MISSING       warning   a 12-month result is reported with no evidence text
FW-DIM12-GT-DIM34          error     dimension 1 + 2 is not greater than dimension 3 + 4
=========================  ========  =================================================

What "clean" means for the sample, so the audit can be checked against it:
- Required KPI Template fields (every applicable indicator, parents included): name, unit,
  definition, formula, data_source, owner name and phone, collector name and phone,
  rationale, conditions, evaluation, evidence_expected.  `baseline` holds numbers for
  2549–2551 on threshold indicators; milestone indicators hold the level reached; weighted
  and group indicators (new composites in FY2552), granted ones and 15.3.x (new in the
  cycle) hold none.
- Thresholds step evenly per level; level 3 is harder than the 2551 baseline.
- Every applicable, non-granted leaf (and every part) has a 12-month result, and every
  reported result has explanation and evidence texts for its round.

`random_agreement(rng)` makes valid agreements of any size with every indicator kind, for
the benchmark and for round-trip tests; they do not follow the framework's numbering.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .model import (
    DOWN,
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

MINISTRY = "กระทรวงสาธารณสุข"
MINISTRY_EN = "Ministry of Public Health"
FISCAL_YEAR = 2552
BASELINE_YEARS = (2549, 2550, 2551)
ROUNDS = (6, 9, 12)
WORKBOOK_PASSWORD = "xlkpi"
GRANTED_REASON = "ผ่านเกณฑ์ในปีงบประมาณ พ.ศ. 2552 แล้ว"

# Units whose values are counts: results and baselines are whole numbers, and a 6- or
# 9-month result is the count so far (cumulative), not an estimate of the year's rate.
COUNT_UNITS = {"ราย", "แห่ง", "เรื่อง", "คน", "ชุด", "ตำรับ", "ครั้ง", "รายการ", "โครงการ",
               "ชุมชน", "เครือข่าย", "หลักสูตร", "ข้อ", "หมวด", "แผน", "กระบวนการ"}


# --- the departments -----------------------------------------------------------------

@dataclass(frozen=True)
class SampleDepartment:
    slug: str  # ASCII file name
    name: str
    name_en: str
    type: str
    topic: str  # what its core mission is about, for generated names and texts
    service: str  # its main service to the public, for dimension 2 names
    agency_type: str  # PMQA: policy or service agency (DOMAIN §5)
    staff: int
    a: int  # the ministry's A, B, C (A + B + C = 43, DOMAIN §4)
    b: int
    c: int
    extra: tuple = (0, 0, 0)  # weight of indicators 1/2 redistributed to A, B, C
    mission_group: str = ""
    shared_targets: bool = False  # indicator 1.2 applies (else its 3 go to 1.1)
    governance_pilot: bool = False  # takes 5.3 (4, out of C)


GROUP_DEVELOPMENT = "กลุ่มภารกิจด้านพัฒนาการสาธารณสุข"
GROUP_MEDICAL = "กลุ่มภารกิจด้านบริการทางการแพทย์"

DEPARTMENTS = (
    SampleDepartment("ddc", "กรมควบคุมโรค", "Department of Disease Control", "in_mission_group",
                     "การป้องกันควบคุมโรค", "การเฝ้าระวังและสอบสวนโรค", "policy", 4210,
                     20, 10, 13, mission_group=GROUP_DEVELOPMENT, shared_targets=True,
                     governance_pilot=True),
    SampleDepartment("dms", "กรมการแพทย์", "Department of Medical Services", "in_mission_group",
                     "การพัฒนาวิชาการด้านการแพทย์", "การรักษาพยาบาลในสถาบันเฉพาะทาง", "service", 9830,
                     22, 11, 10, mission_group=GROUP_MEDICAL),
    SampleDepartment("anamai", "กรมอนามัย", "Department of Health", "in_mission_group",
                     "การส่งเสริมสุขภาพและอนามัยสิ่งแวดล้อม", "การรับรองมาตรฐานอนามัยสิ่งแวดล้อม", "policy",
                     3560, 18, 12, 13, mission_group=GROUP_DEVELOPMENT, shared_targets=True,
                     governance_pilot=True),
    SampleDepartment("dmh", "กรมสุขภาพจิต", "Department of Mental Health", "in_mission_group",
                     "การพัฒนางานสุขภาพจิต", "การบริการสายด่วนสุขภาพจิต 1323", "policy", 5120,
                     20, 13, 10, mission_group=GROUP_MEDICAL),
    SampleDepartment("dmsc", "กรมวิทยาศาสตร์การแพทย์", "Department of Medical Sciences", "no_mission_group",
                     "การตรวจวิเคราะห์และวิจัยทางวิทยาศาสตร์การแพทย์", "การตรวจวิเคราะห์ทางห้องปฏิบัติการ",
                     "service", 2150, 18, 12, 13, extra=(6, 2, 2), governance_pilot=True),
    # dim1 + dim2 = 50 = dim3 + dim4: the framework's condition fails (see SAMPLE_MISTAKES).
    SampleDepartment("dtam", "กรมพัฒนาการแพทย์แผนไทยและการแพทย์ทางเลือก",
                     "Department for Development of Thai Traditional and Alternative Medicine",
                     "no_mission_group", "การแพทย์แผนไทยและการแพทย์ทางเลือก",
                     "การรับรองมาตรฐานสถานบริการการแพทย์แผนไทย", "policy", 640, 15, 10, 18, extra=(5, 0, 5)),
    SampleDepartment("fda", "สำนักงานคณะกรรมการอาหารและยา", "Food and Drug Administration",
                     "no_mission_group", "การคุ้มครองผู้บริโภคด้านผลิตภัณฑ์สุขภาพ",
                     "การอนุญาตผลิตภัณฑ์สุขภาพ", "service", 1380, 16, 15, 12, extra=(5, 5, 0),
                     shared_targets=True),
    SampleDepartment("ops", "สำนักงานปลัดกระทรวงสาธารณสุข", "Office of the Permanent Secretary",
                     "no_mission_group", "การพัฒนาระบบบริการสุขภาพ", "การบริการของหน่วยบริการในส่วนภูมิภาค",
                     "policy", 182400, 20, 10, 13, extra=(10, 0, 0), governance_pilot=True),
    SampleDepartment("nvi", "สถาบันวัคซีนแห่งชาติ", "National Vaccine Institute", "under_minister",
                     "การพัฒนาและความมั่นคงด้านวัคซีน", "การสนับสนุนวัคซีนแก่หน่วยบริการ", "service", 85,
                     20, 10, 13, extra=(20, 5, 5)),
    SampleDepartment("pbri", "สถาบันพระบรมราชชนก", "Praboromarajchanok Institute", "under_minister",
                     "การผลิตและพัฒนากำลังคนด้านสุขภาพ", "การจัดการศึกษาของวิทยาลัยในสังกัด", "service", 3900,
                     22, 12, 9, extra=(22, 4, 4)),
)

# Core-mission KPIs (indicator 3.x): name, unit, direction, level-3 target, step per level.
CORE_KPIS = {
    "ddc": [
        ("ร้อยละของอำเภอที่มีทีมเฝ้าระวังสอบสวนเคลื่อนที่เร็ว (SRRT) ผ่านเกณฑ์มาตรฐาน", "%", UP, 80, 5),
        ("อัตราป่วยด้วยโรคไข้เลือดออกต่อประชากรแสนคน", "ต่อแสนประชากร", DOWN, 80, 10),
        ("ร้อยละความครอบคลุมการได้รับวัคซีนหัดในเด็กอายุ 1 ปี", "%", UP, 95, 1),
        ("อัตราความสำเร็จของการรักษาผู้ป่วยวัณโรครายใหม่", "%", UP, 85, 2),
        ("ระยะเวลาเฉลี่ยในการสอบสวนโรคหลังได้รับแจ้ง", "ชั่วโมง", DOWN, 24, 6),
        ("ร้อยละของผู้ติดเชื้อเอชไอวีที่ได้รับยาต้านไวรัสตามเกณฑ์", "%", UP, 80, 5),
        ("จำนวนผู้ป่วยโรคเท้าช้างรายใหม่", "ราย", DOWN, 20, 5),
        ("ร้อยละของจังหวัดที่มีแผนเตรียมความพร้อมรับการระบาดของไข้หวัดใหญ่", "%", UP, 90, 5),
    ],
    "dms": [
        ("จำนวนองค์ความรู้และเทคโนโลยีทางการแพทย์ที่พัฒนาและถ่ายทอด", "เรื่อง", UP, 30, 5),
        ("ร้อยละของโรงพยาบาลเครือข่ายที่นำแนวทางเวชปฏิบัติไปใช้", "%", UP, 70, 5),
        ("อัตราตายของผู้ป่วยบาดเจ็บรุนแรงที่ศีรษะ", "%", DOWN, 15, 1),
        ("ระยะเวลารอคอยผ่าตัดต้อกระจกเฉลี่ย", "วัน", DOWN, 60, 10),
        ("ร้อยละของผู้ป่วยมะเร็งเต้านมระยะเริ่มแรกที่ได้รับการรักษาภายใน 4 สัปดาห์", "%", UP, 80, 5),
        ("จำนวนผู้ป่วยยาเสพติดที่ผ่านการบำบัดครบตามเกณฑ์", "ราย", UP, 12000, 500),
        ("อัตราการติดเชื้อในโรงพยาบาลสังกัดกรม", "ต่อ 1,000 วันนอน", DOWN, 2.0, 0.2),
        ("ร้อยละของผู้สูงอายุที่ได้รับการคัดกรองภาวะสมองเสื่อม", "%", UP, 60, 5),
    ],
    "anamai": [
        ("ร้อยละของเด็กอายุ 0–5 ปีที่มีพัฒนาการสมวัย", "%", UP, 85, 2),
        ("อัตราส่วนการตายมารดาต่อการเกิดมีชีพแสนคน", "ต่อแสนการเกิดมีชีพ", DOWN, 18, 2),
        ("ร้อยละของทารกแรกเกิดน้ำหนักน้อยกว่า 2,500 กรัม", "%", DOWN, 7, 0.5),
        ("จำนวนโรงเรียนส่งเสริมสุขภาพระดับเพชร", "แห่ง", UP, 300, 50),
        ("ร้อยละของตลาดสดที่ผ่านเกณฑ์ตลาดสดน่าซื้อ", "%", UP, 70, 5),
        ("ร้อยละของส้วมสาธารณะที่ได้มาตรฐาน HAS", "%", UP, 65, 5),
        ("ร้อยละของหญิงตั้งครรภ์ที่ฝากครรภ์ครั้งแรกก่อน 12 สัปดาห์", "%", UP, 60, 5),
        ("ร้อยละของเด็กอายุ 12 ปีที่ปราศจากฟันผุ", "%", UP, 50, 3),
    ],
    "dmh": [
        ("อัตราการฆ่าตัวตายสำเร็จต่อประชากรแสนคน", "ต่อแสนประชากร", DOWN, 6.0, 0.5),
        ("ร้อยละของผู้ป่วยโรคซึมเศร้าที่เข้าถึงบริการ", "%", UP, 20, 3),
        ("ร้อยละของผู้ป่วยจิตเวชที่กลับมารักษาซ้ำภายใน 28 วัน", "%", DOWN, 8, 1),
        ("ร้อยละของโรงเรียนที่มีระบบดูแลช่วยเหลือนักเรียนด้านสุขภาพจิต", "%", UP, 70, 5),
        ("จำนวนชุมชนที่ดำเนินงานสุขภาพจิตชุมชน", "ชุมชน", UP, 400, 50),
        ("ร้อยละของผู้ประสบภาวะวิกฤตที่ได้รับการเยียวยาจิตใจภายใน 72 ชั่วโมง", "%", UP, 90, 2),
        ("ระยะเวลารอคอยตรวจผู้ป่วยนอกจิตเวชเฉลี่ย", "นาที", DOWN, 90, 15),
        ("ร้อยละของเด็กที่มีระดับสติปัญญาต่ำกว่าเกณฑ์ได้รับการกระตุ้นพัฒนาการ", "%", UP, 60, 5),
    ],
    "dmsc": [
        ("จำนวนรายการทดสอบที่ได้รับการรับรองมาตรฐาน ISO/IEC 17025", "รายการ", UP, 150, 10),
        ("ร้อยละของผลการตรวจวิเคราะห์ที่รายงานได้ตามกำหนดเวลา", "%", UP, 90, 2),
        ("ระยะเวลาเฉลี่ยในการตรวจยืนยันเชื้อไข้หวัดใหญ่สายพันธุ์ใหม่", "ชั่วโมง", DOWN, 48, 6),
        ("จำนวนผลงานวิจัยที่นำไปใช้ประโยชน์", "เรื่อง", UP, 20, 3),
        ("ร้อยละของห้องปฏิบัติการในภูมิภาคที่ผ่านการทดสอบความชำนาญ", "%", UP, 85, 3),
        ("จำนวนชุดทดสอบอย่างง่ายที่ผลิตและกระจายสู่ชุมชน", "ชุด", UP, 50000, 5000),
        ("ร้อยละของตัวอย่างผลิตภัณฑ์สุขภาพที่ตรวจวิเคราะห์แล้วเสร็จภายใน 30 วัน", "%", UP, 85, 3),
        ("จำนวนสมุนไพรที่จัดทำข้อกำหนดมาตรฐาน (Thai Herbal Pharmacopoeia)", "รายการ", UP, 12, 2),
    ],
    "dtam": [
        ("ร้อยละของโรงพยาบาลชุมชนที่มีบริการการแพทย์แผนไทยตามมาตรฐาน", "%", UP, 70, 5),
        ("ร้อยละของมูลค่าการใช้ยาสมุนไพรในสถานบริการของรัฐ", "%", UP, 5, 0.5),
        ("จำนวนตำรับยาแผนไทยที่รวบรวมและขึ้นทะเบียนภูมิปัญญา", "ตำรับ", UP, 600, 50),
        ("จำนวนครั้งของการให้บริการนวดไทยเพื่อสุขภาพในสถานบริการของรัฐ", "ครั้ง", UP, 250000, 25000),
        ("ร้อยละของสถานประกอบการสปาเพื่อสุขภาพที่ผ่านมาตรฐาน", "%", UP, 80, 5),
        ("จำนวนองค์ความรู้การแพทย์ทางเลือกที่พัฒนาและเผยแพร่", "เรื่อง", UP, 15, 3),
        ("จำนวนแหล่งปลูกสมุนไพรที่ผ่านมาตรฐาน GAP", "แห่ง", UP, 40, 5),
        ("ร้อยละของหมอพื้นบ้านที่ได้รับการรับรองตามเกณฑ์", "%", UP, 60, 5),
    ],
    "fda": [
        ("ร้อยละของผลิตภัณฑ์สุขภาพที่ตรวจพบว่าได้มาตรฐาน", "%", UP, 90, 2),
        ("ระยะเวลาเฉลี่ยในการพิจารณาอนุญาตทะเบียนตำรับยา", "วัน", DOWN, 180, 20),
        ("ร้อยละของสถานที่ผลิตอาหารที่ผ่านเกณฑ์ GMP", "%", UP, 85, 3),
        ("ร้อยละของโฆษณาผลิตภัณฑ์สุขภาพที่ผิดกฎหมายที่ดำเนินการภายใน 30 วัน", "%", UP, 80, 5),
        ("จำนวนร้านขายยาที่ผ่านเกณฑ์ร้านยาคุณภาพ", "แห่ง", UP, 500, 50),
        ("ร้อยละของผู้บริโภคที่มีความรู้ในการเลือกซื้อผลิตภัณฑ์สุขภาพ", "%", UP, 75, 5),
        ("ร้อยละของอาหารที่ตรวจพบสารปนเปื้อน 4 ชนิด", "%", DOWN, 2, 0.5),
        ("ร้อยละของสถานที่นำเข้าผลิตภัณฑ์สุขภาพที่ได้รับการตรวจสอบ", "%", UP, 70, 5),
    ],
    "ops": [
        ("ร้อยละของโรงพยาบาลที่ผ่านการรับรองคุณภาพ (HA)", "%", UP, 60, 5),
        ("ร้อยละของประชาชนที่มีหลักประกันสุขภาพ", "%", UP, 99, 0.2),
        ("ร้อยละของสถานีอนามัยที่พัฒนาเป็นศูนย์สุขภาพชุมชน", "%", UP, 80, 5),
        ("อัตราส่วนประชากรต่อแพทย์ในจังหวัดที่ขาดแคลน", "คนต่อแพทย์ 1 คน", DOWN, 5000, 500),
        ("ร้อยละของหน่วยบริการที่ประสบวิกฤตทางการเงินระดับ 7", "%", DOWN, 10, 2),
        ("ร้อยละของอาสาสมัครสาธารณสุขประจำหมู่บ้าน (อสม.) ที่ได้รับการพัฒนาศักยภาพ", "%", UP, 80, 5),
        ("ร้อยละของผู้ป่วยฉุกเฉินที่ได้รับบริการการแพทย์ฉุกเฉินภายใน 10 นาที", "%", UP, 70, 5),
        ("ร้อยละของผู้ป่วยเบาหวานที่ควบคุมระดับน้ำตาลได้ดี", "%", UP, 40, 5),
    ],
    "nvi": [
        ("จำนวนโครงการวิจัยและพัฒนาวัคซีนที่ได้รับการสนับสนุน", "โครงการ", UP, 12, 2),
        ("ร้อยละของวัคซีนในแผนสร้างเสริมภูมิคุ้มกันโรคที่มีสำรองเพียงพอ 3 เดือน", "%", UP, 90, 2),
        ("ร้อยละความครอบคลุมการได้รับวัคซีนไข้หวัดใหญ่ในกลุ่มเสี่ยง", "%", UP, 70, 5),
        ("ระยะเวลาเฉลี่ยในการจัดหาวัคซีนกรณีฉุกเฉิน", "วัน", DOWN, 30, 5),
        ("จำนวนบุคลากรด้านวัคซีนที่ได้รับการพัฒนาศักยภาพ", "คน", UP, 200, 25),
        ("ร้อยละของหน่วยบริการที่ระบบลูกโซ่ความเย็นผ่านมาตรฐาน", "%", UP, 85, 3),
        ("จำนวนเครือข่ายความร่วมมือด้านวัคซีนกับต่างประเทศ", "เครือข่าย", UP, 6, 1),
        ("ร้อยละของอาการไม่พึงประสงค์หลังได้รับวัคซีนที่สอบสวนภายใน 24 ชั่วโมง", "%", UP, 90, 2),
    ],
    "pbri": [
        ("ร้อยละของผู้สำเร็จการศึกษาพยาบาลที่สอบใบประกอบวิชาชีพผ่านในครั้งแรก", "%", UP, 85, 3),
        ("จำนวนพยาบาลวิชาชีพที่ผลิตได้ตามแผนการผลิต", "คน", UP, 2500, 100),
        ("ร้อยละของวิทยาลัยในสังกัดที่ผ่านการรับรองมาตรฐานการศึกษา", "%", UP, 90, 3),
        ("ร้อยละของผู้ใช้บัณฑิตที่พึงพอใจในระดับดีขึ้นไป", "%", UP, 85, 2),
        ("จำนวนผลงานวิจัยของคณาจารย์ที่ได้รับการตีพิมพ์", "เรื่อง", UP, 60, 10),
        ("ร้อยละของอาจารย์ที่มีคุณวุฒิปริญญาโทขึ้นไป", "%", UP, 80, 3),
        ("อัตราการลาออกกลางคันของนักศึกษา", "%", DOWN, 3, 0.5),
        ("จำนวนหลักสูตรฝึกอบรมระยะสั้นสำหรับบุคลากรสาธารณสุข", "หลักสูตร", UP, 25, 5),
    ],
}

# Milestone projects (ระดับความสำเร็จ); "{topic}" is the department's core mission.
MILESTONE_PROJECTS = [
    ("ระดับความสำเร็จของการพัฒนาระบบฐานข้อมูลด้าน{topic}",
     ["แต่งตั้งคณะทำงานและจัดทำแผนพัฒนาระบบฐานข้อมูล", "วิเคราะห์ความต้องการและออกแบบระบบ",
      "พัฒนาระบบและทดสอบการใช้งาน", "เปิดใช้งานในหน่วยงานนำร่องไม่น้อยกว่า 5 แห่ง",
      "ประเมินผลการใช้งานและจัดทำข้อเสนอการปรับปรุง"]),
    ("ระดับความสำเร็จของการจัดทำยุทธศาสตร์{topic} ระยะ 5 ปี",
     ["ทบทวนสถานการณ์และผลการดำเนินงานที่ผ่านมา", "จัดประชุมรับฟังความคิดเห็นจากภาคีเครือข่าย",
      "จัดทำร่างยุทธศาสตร์เสนอผู้บริหาร", "ยุทธศาสตร์ได้รับความเห็นชอบจากผู้บริหารระดับกระทรวง",
      "ถ่ายทอดยุทธศาสตร์สู่หน่วยงานในสังกัดครบทุกหน่วยงาน"]),
    ("ระดับความสำเร็จของการพัฒนาเครือข่าย{topic}ในส่วนภูมิภาค",
     ["จัดทำทะเบียนเครือข่ายในส่วนภูมิภาค", "จัดทำแผนพัฒนาศักยภาพเครือข่าย",
      "จัดอบรมเครือข่ายไม่น้อยกว่าร้อยละ 80 ของเป้าหมาย", "เครือข่ายดำเนินงานตามแผนได้ไม่น้อยกว่าร้อยละ 60",
      "สรุปบทเรียนและเผยแพร่ตัวอย่างที่ดี"]),
    ("ระดับความสำเร็จของการจัดการความรู้ด้าน{topic}",
     ["กำหนดองค์ความรู้ที่จำเป็นต่อภารกิจ", "จัดทำแผนการจัดการความรู้",
      "ดำเนินการตามแผนได้ครบทุกกิจกรรม", "จัดทำคลังความรู้และเผยแพร่ทางเว็บไซต์",
      "นำความรู้ไปใช้ปรับปรุงงานอย่างน้อย 2 เรื่อง"]),
]

# Service-quality KPIs (indicator 4.x); "{service}" is the department's main service.
SERVICE_KPIS = [
    ("ร้อยละความพึงพอใจของผู้รับบริการ{service}", "%", UP, 80, 2),
    ("ร้อยละของเรื่องร้องเรียนที่ได้รับการแก้ไขภายในเวลาที่กำหนด", "%", UP, 85, 3),
    ("ระยะเวลาเฉลี่ยในการให้บริการ{service}", "วันทำการ", DOWN, 10, 1),
    ("ร้อยละของผู้รับบริการ{service}ผ่านระบบอิเล็กทรอนิกส์", "%", UP, 40, 5),
]
SERVICE_MILESTONE = (
    "ระดับความสำเร็จของการจัดทำมาตรฐานการให้บริการ{service}และประกาศให้ประชาชนทราบ",
    ["วิเคราะห์กระบวนงานบริการและความต้องการของผู้รับบริการ", "จัดทำร่างมาตรฐานการให้บริการ",
     "ประกาศมาตรฐานการให้บริการ ณ จุดบริการและทางเว็บไซต์", "ให้บริการได้ตามมาตรฐานไม่น้อยกว่าร้อยละ 80",
     "สำรวจความพึงพอใจและปรับปรุงมาตรฐาน"])

# Efficiency KPIs beyond 5.1–5.3 (indicator 5.x).
EFFICIENCY_KPIS = [
    ("ร้อยละของการเบิกจ่ายงบประมาณรายจ่ายภาพรวม", "%", UP, 94, 2),
    ("ปริมาณการใช้กระดาษต่อบุคลากร", "รีมต่อคนต่อปี", DOWN, 6, 0.5),
    ("ร้อยละของกระบวนงานที่ลดระยะเวลาการปฏิบัติราชการได้ตามเป้าหมาย", "%", UP, 80, 5),
]
UNIT_COST_MILESTONE = (
    "ระดับความสำเร็จของการจัดทำต้นทุนต่อหน่วยผลผลิต",
    ["จัดทำแผนการคำนวณต้นทุนต่อหน่วยผลผลิต", "เก็บรวบรวมข้อมูลค่าใช้จ่ายและผลผลิต",
     "คำนวณต้นทุนต่อหน่วยผลผลิตของปีงบประมาณ พ.ศ. 2551", "วิเคราะห์เปรียบเทียบต้นทุนกับปีก่อน",
     "จัดทำแผนเพิ่มประสิทธิภาพและลดต้นทุน"])
ENERGY_MILESTONES = [
    "แต่งตั้งคณะทำงานลดใช้พลังงานและจัดทำแผน", "รายงานข้อมูลการใช้ไฟฟ้าและน้ำมันครบทุกเดือน",
    "ดำเนินมาตรการประหยัดพลังงานตามแผน", "ลดปริมาณการใช้ไฟฟ้าได้ไม่น้อยกว่าร้อยละ 10",
    "ลดปริมาณการใช้น้ำมันเชื้อเพลิงได้ไม่น้อยกว่าร้อยละ 10"]
GOVERNANCE_MILESTONES = [
    "จัดทำแผนที่ทางเดิน (Roadmap) การส่งเสริมธรรมาภิบาล", "ประกาศนโยบายการกำกับดูแลองค์การที่ดี",
    "ดำเนินการตามแผนได้ไม่น้อยกว่าร้อยละ 80", "ประเมินผลตามตัวชี้วัดของแผนที่ทางเดิน",
    "เผยแพร่ผลการดำเนินงานต่อสาธารณะ"]
SERVICE_CENTRE_MILESTONES = [
    "จัดทำแผนพัฒนาศูนย์บริการร่วม", "จัดหาสถานที่และบุคลากรประจำเคาน์เตอร์บริการ",
    "เปิดให้บริการอย่างน้อย 3 งานบริการ", "เชื่อมโยงข้อมูลกับหน่วยบริการอื่นของกระทรวง",
    "สำรวจความพึงพอใจของผู้รับบริการไม่น้อยกว่าร้อยละ 80"]

# Ministry action-plan targets (parts of 1.1), shared targets with other ministries (1.2)
# and mission-group targets (parts of 2).
MINISTRY_TARGETS = [
    ("ร้อยละของประชาชนอายุ 35 ปีขึ้นไปที่ได้รับการคัดกรองเบาหวานและความดันโลหิตสูง", "%", UP, 80, 5),
    ("อัตราตายจากอุบัติเหตุทางถนนต่อประชากรแสนคน", "ต่อแสนประชากร", DOWN, 18, 1),
    ("ร้อยละของหมู่บ้านที่จัดการสุขภาพได้ตามเกณฑ์", "%", UP, 60, 5),
    ("ร้อยละของประชาชนที่มีพฤติกรรมสุขภาพที่พึงประสงค์", "%", UP, 65, 5),
    ("ร้อยละของอำเภอที่มีระบบเฝ้าระวังโรคที่ได้มาตรฐาน", "%", UP, 85, 3),
]
SHARED_TARGETS = [
    ("ร้อยละของผู้เสพยาเสพติดที่ได้รับการบำบัดรักษาตามเป้าหมาย (ร่วมกับกระทรวงมหาดไทย)", "%", UP, 90, 2),
    ("ร้อยละของนักเรียนที่มีภาวะโภชนาการสมวัย (ร่วมกับกระทรวงศึกษาธิการ)", "%", UP, 85, 2),
    ("ร้อยละของแรงงานในสถานประกอบการที่ได้รับการตรวจสุขภาพ (ร่วมกับกระทรวงแรงงาน)", "%", UP, 70, 5),
]
MISSION_GROUP_TARGETS = {
    GROUP_DEVELOPMENT: [
        ("ร้อยละของจังหวัดที่ควบคุมการระบาดของโรคติดต่อสำคัญได้ภายใน 2 รุ่นการฟักตัว", "%", UP, 80, 5),
        ("ร้อยละของชุมชนที่มีการจัดการอนามัยสิ่งแวดล้อมได้ตามเกณฑ์", "%", UP, 60, 5),
        ("อัตราป่วยด้วยโรคที่ป้องกันได้ด้วยวัคซีนต่อประชากรแสนคน", "ต่อแสนประชากร", DOWN, 5, 0.5),
    ],
    GROUP_MEDICAL: [
        ("ร้อยละของโรงพยาบาลในกลุ่มภารกิจที่พัฒนาเป็นศูนย์ความเป็นเลิศ", "%", UP, 50, 5),
        ("ระยะเวลารอคอยเฉลี่ยของผู้ป่วยที่ส่งต่อจากส่วนภูมิภาค", "วัน", DOWN, 14, 2),
        ("ร้อยละของผู้ป่วยที่ได้รับการรักษาตามแนวทางเวชปฏิบัติ", "%", UP, 85, 3),
    ],
}

# PMQA (DOMAIN §5): category names, plan KPIs of 15.1.2 (two recommended per category) and
# the RM KPIs of 15.2; their criteria are % of target achieved, 60/70/80/90/100 (seed 004).
PMQA_CATEGORIES = {
    1: "การนำองค์การ", 2: "การวางแผนเชิงยุทธศาสตร์", 3: "การให้ความสำคัญกับผู้รับบริการและผู้มีส่วนได้ส่วนเสีย",
    4: "การวัด การวิเคราะห์ และการจัดการความรู้", 5: "การมุ่งเน้นทรัพยากรบุคคล", 6: "การจัดการกระบวนการ",
}
PMQA_PLAN_KPIS = {
    1: ["ร้อยละของบุคลากรที่รับรู้และเข้าใจวิสัยทัศน์ พันธกิจ และเป้าประสงค์ของส่วนราชการ",
        "ร้อยละความสำเร็จของการดำเนินการตามแผนการกำกับดูแลองค์การที่ดี"],
    2: ["ร้อยละของตัวชี้วัดตามแผนปฏิบัติราชการที่บรรลุเป้าหมาย",
        "ร้อยละของตัวชี้วัดที่ถ่ายทอดลงสู่ระดับบุคคลครบถ้วน"],
    3: ["ร้อยละของข้อร้องเรียนที่ได้รับการแก้ไขภายในเวลาที่กำหนด",
        "ร้อยละความพึงพอใจของผู้รับบริการต่อกระบวนการให้บริการ"],
    4: ["ร้อยละของความพร้อมใช้งานของระบบฐานข้อมูลสนับสนุนการตัดสินใจ",
        "ร้อยละของบุคลากรที่นำความรู้จากการจัดการความรู้ไปใช้ในงาน"],
    5: ["ร้อยละของบุคลากรที่ได้รับการพัฒนาตามแผนพัฒนาบุคลากร",
        "ร้อยละความพึงพอใจของบุคลากรต่อสภาพแวดล้อมในการทำงาน"],
    6: ["ร้อยละของกระบวนการที่มีคู่มือการปฏิบัติงาน",
        "ร้อยละของกระบวนการที่บรรลุตามข้อกำหนดที่สำคัญ"],
}
PMQA_CUSTOM_KPIS = ["ร้อยละของโครงการตามแผนพัฒนาองค์การที่แล้วเสร็จตามกำหนด (ตัวชี้วัดเพิ่มเติม)",
                    "ร้อยละของหน่วยงานในสังกัดที่นำแผนพัฒนาองค์การไปปฏิบัติ (ตัวชี้วัดเพิ่มเติม)"]
RM_KPIS = {
    1: ["RM 1 : ร้อยละเฉลี่ยถ่วงน้ำหนักความสำเร็จของผลสัมฤทธิ์ของนโยบายการกำกับดูแลองค์การที่ดี"],
    2: ["RM 2 : ร้อยละเฉลี่ยถ่วงน้ำหนักของเป้าหมายของโครงการตามแผนบริหารความเสี่ยง"],
    3: ["RM 3 : ร้อยละความสำเร็จของผลสัมฤทธิ์ของโครงการที่เปิดโอกาสให้ประชาชนมีส่วนร่วม"],
    4: ["RM 4.1 : ร้อยละความพึงพอใจของประชาชนที่มีต่อการเปิดเผยข้อมูลข่าวสารของราชการ",
        "RM 4.2 : ระดับความสำเร็จของการบูรณาการข้อมูลสถิติภาครัฐ (statXchange)",
        "RM 4.3 : ร้อยละเฉลี่ยถ่วงน้ำหนักความสำเร็จของกิจกรรมตามแผนการจัดการความรู้"],
    5: ["RM 5 : ร้อยละของบุคลากรที่ได้รับการพัฒนาขีดสมรรถนะตามแผนพัฒนาบุคลากร"],
    6: ["RM 6 : จำนวนกระบวนการที่ได้รับการปรับปรุงให้ผลดำเนินการดีขึ้น"],
}
PERCENT_OF_TARGET = [60, 70, 80, 90, 100]

# People, positions and offices, for owners, collectors and data sources.
TITLES = ["นายแพทย์", "แพทย์หญิง", "นาย", "นาง", "นางสาว", "ดร."]
FIRST_NAMES = ["สมชาย", "สุนันทา", "วิชัย", "พรทิพย์", "ประเสริฐ", "กนกวรรณ", "ธนพล", "อรุณี", "สุรชัย",
               "วราภรณ์", "ชัยวัฒน์", "นงลักษณ์", "อนุชา", "ศิริพร", "ณรงค์", "จันทร์เพ็ญ"]
LAST_NAMES = ["ใจดี", "ศรีสุข", "บุญมา", "วงศ์สวัสดิ์", "ทองคำ", "แก้วมณี", "สุขเจริญ", "พงษ์ไพบูลย์",
              "รัตนวงศ์", "ชัยมงคล", "ศรีวิเศษ", "อินทรสุวรรณ"]
OWNER_OFFICES = {1: "สำนักวิชาการ", 2: "กลุ่มพัฒนาระบบบริหาร", 3: "กองแผนงาน", 4: "กลุ่มพัฒนาระบบบริหาร"}
EVALUATIONS = [
    "ตรวจสอบเอกสารหลักฐาน และสัมภาษณ์ผู้กำกับดูแลตัวชี้วัด",
    "ตรวจสอบเอกสารหลักฐาน สัมภาษณ์ผู้รับผิดชอบ และสังเกตการณ์การดำเนินงาน ณ หน่วยงาน",
    "ตรวจสอบข้อมูลในระบบสารสนเทศเทียบกับรายงาน และสุ่มตรวจเอกสารต้นฉบับ",
]


# --- deliberate mistakes -------------------------------------------------------------

@dataclass(frozen=True)
class SampleMistake:
    """One deliberate mistake in the sample, and the audit finding it should trigger."""

    department: str  # slug, as in DEPARTMENTS
    indicator: str  # indicator id; "" for a department-level mistake
    field: str  # path inside the indicator (owner.phone, baseline.2551, parts[1].result.12)
    code: str
    severity: str
    what_th: str
    what_en: str


SAMPLE_MISTAKES = (
    SampleMistake("dms", "3.3", "data_source", "TPL-REQUIRED-BLANK", "error",
                  "ไม่ได้ระบุแหล่งข้อมูล/วิธีการจัดเก็บข้อมูล", "the data source is blank"),
    SampleMistake("nvi", "4.2", "owner.phone", "TPL-REQUIRED-BLANK", "error",
                  "ไม่ได้ระบุหมายเลขโทรศัพท์ของผู้กำกับดูแลตัวชี้วัด", "the indicator owner's phone is blank"),
    SampleMistake("anamai", "3.2", "thresholds", "TPL-UNEVEN-STEPS", "warning",
                  "ช่วงปรับเกณฑ์ระหว่างระดับไม่เท่ากัน", "the thresholds do not step evenly"),
    SampleMistake("dmh", "3.1", "baseline.2551", "TPL-TARGET-EASIER", "warning",
                  "ค่าเป้าหมายระดับ 3 ต่ำกว่าผลการดำเนินงานจริงของปี 2551",
                  "the level-3 target is easier than the 2551 actual result"),
    SampleMistake("fda", "4.1", "definition", "WB-FORMULA-INJECTION", "error",
                  "คำอธิบายตัวชี้วัดขึ้นต้นด้วย \"=\" ซึ่ง Excel จะตีความเป็นสูตร",
                  "the definition starts with \"=\", which Excel would run as a formula"),
    SampleMistake("dmsc", "3.4", "result.12", "SAR-RESULT-MISSING", "error",
                  "ไม่มีผลการดำเนินงานรอบ 12 เดือน", "the 12-month result is missing"),
    SampleMistake("ddc", "1.1", "parts[1].result.12", "SAR-RESULT-MISSING", "error",
                  "ไม่มีผลรอบ 12 เดือนของตัวชี้วัดย่อยที่ 2 ของตัวชี้วัดเฉลี่ยถ่วงน้ำหนัก",
                  "the 12-month result of the weighted indicator's second part is missing"),
    SampleMistake("ops", "5.4", "evidence.12", "SAR-EVIDENCE-MISSING", "warning",
                  "รายงานผลรอบ 12 เดือนแล้วแต่ไม่มีหลักฐานประกอบ",
                  "a 12-month result is reported without evidence"),
    SampleMistake("dtam", "", "dimensions", "FW-DIM12-GT-DIM34", "error",
                  "น้ำหนักมิติที่ 1 รวมมิติที่ 2 (50) ไม่มากกว่ามิติที่ 3 รวมมิติที่ 4 (50)",
                  "dimensions 1 + 2 (50) are not more than dimensions 3 + 4 (50)"),
)


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
    """Results of 2549–2551, improving, with 2551 still short of the level-3 target."""
    sign = -1 if direction == DOWN else 1
    digits = _digits(unit)
    last = target - sign * step * rng.uniform(0.4, 1.5)
    middle = last - sign * step * rng.uniform(0.1, 0.9)
    first = middle - sign * step * rng.uniform(0.1, 0.9)
    values = [first, middle, last]
    if digits == 0:  # a count: round away from the target so 2551 stays short of it
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


class _DepartmentBuilder:
    """Builds one sample department's agreement from the tables, with its own seeded rng."""

    def __init__(self, department: SampleDepartment):
        self.d = department
        self.rng = random.Random(f"xlkpi-sample-{department.slug}")

    # -- KPI Template texts ---------------------------------------------------------
    def fill_template(self, indicator: Indicator, office: Optional[str] = None) -> None:
        rng, d = self.rng, self.d
        office = office or OWNER_OFFICES[indicator.dimension]
        kind_text = {
            THRESHOLD: f"วัดเป็น{indicator.unit} เทียบกับเกณฑ์การให้คะแนน 5 ระดับ",
            MILESTONE: "วัดจากขั้นตอนการดำเนินงานที่แล้วเสร็จตามเกณฑ์ 5 ระดับ",
            WEIGHTED: "วัดจากค่าเฉลี่ยถ่วงน้ำหนักของคะแนนตัวชี้วัดย่อยแต่ละตัว",
            GROUP: "วัดจากค่าเฉลี่ยถ่วงน้ำหนักของคะแนนตัวชี้วัดย่อย",
        }[indicator.kind]
        indicator.definition = (f"{indicator.name} หมายถึง ผลการดำเนินงานของ{d.name}ด้าน{d.topic} "
                                f"ในปีงบประมาณ พ.ศ. {FISCAL_YEAR} {kind_text}")
        indicator.formula = {
            THRESHOLD: (f"(ผลการดำเนินงานที่บรรลุตามนิยาม ÷ เป้าหมายทั้งหมด) × 100" if indicator.unit == "%"
                        else f"ผลการดำเนินงานรวมในหน่วย{indicator.unit} ตามข้อมูลจากแหล่งข้อมูลที่กำหนด"),
            MILESTONE: "พิจารณาจากขั้นตอนที่ดำเนินการแล้วเสร็จตามเกณฑ์การให้คะแนน ระดับ 1 ถึง 5 ตามลำดับ",
            WEIGHTED: "Σ(Wi × SMi) ÷ ΣWi โดย Wi = น้ำหนักของตัวชี้วัดย่อย และ SMi = คะแนนของตัวชี้วัดย่อย",
            GROUP: "Σ(น้ำหนักของตัวชี้วัดย่อย × คะแนนของตัวชี้วัดย่อย) ÷ Σ น้ำหนักของตัวชี้วัดย่อย",
        }[indicator.kind]
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
        indicator.baseline = {2550: 1, 2551: 2}  # level reached on the project's earlier phase
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
            below_level_1=1, indicators=indicators, mission_group=d.mission_group,
            split_reasons=self.split_reasons(), governance_pilot=d.governance_pilot,
            pmqa=pmqa, version="1", signed_on="2008-11-14", staff=d.staff)

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
    from .agreement import dump

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


# --- random agreements ---------------------------------------------------------------

_RANDOM_KINDS = ("up", "down", "blank", "step", "milestone", "weighted", "granted")
_NAME_POOL = [row for rows in CORE_KPIS.values() for row in rows] + SERVICE_KPIS + EFFICIENCY_KPIS


def _composition(total: int, count: int, minimum: int, rng: random.Random) -> list:
    """`count` integers ≥ `minimum` summing to `total`, uniformly cut."""
    spare = total - count * minimum
    cuts = sorted(rng.randint(0, spare) for _ in range(count - 1))
    edges = [0] + cuts + [spare]
    return [minimum + b - a for a, b in zip(edges, edges[1:])]


def _random_thresholds(rng: random.Random, direction: str, blanks: bool) -> tuple:
    base = rng.choice([0, 1, 10, 50, 60, 70, 100, 1000])
    step = rng.choice([0.5, 1, 2, 2.5, 5, 10, 0.25, 3])
    values = [_num(base + step * k, 4) for k in range(5)]
    if direction == DOWN:
        values.reverse()
    if blanks:
        for level in rng.sample([2, 3, 4], rng.randint(1, 2)):
            values[level - 1] = None
    return values, base, step


def _random_value(rng: random.Random, base: float, step: float) -> float:
    return _num(rng.uniform(base - step, base + 5 * step), 2)


def _random_results(rng: random.Random, rounds: tuple, base: float, step: float) -> dict:
    return {r: _random_value(rng, base, step) for r in rounds if rng.random() < 0.9}


def random_agreement(rng: random.Random, leaves: int = 40, *, rounds: Optional[tuple] = None,
                     fiscal_year: Optional[int] = None) -> Agreement:
    """A valid random agreement with `leaves` leaf indicators, deterministic given `rng`.

    Leaf weights (up to 2 decimals) sum to 100, children sum to their parent, and
    dimension 1 + 2 > dimension 3 + 4.  Every indicator kind appears once there are at
    least 8 leaves and a group (groups are likely from about 10 leaves).  `rounds` are the
    rounds reported (default: chosen at random); a leaf may still miss a round.
    """
    leaves = max(4, leaves)
    if leaves > 4000:
        raise ValueError("at most 4000 leaves (weights are kept to 2 decimals)")
    rounds = rounds or rng.choice([(6,), (6, 9), (6, 9, 12), (6, 9, 12), (12,), (6, 12)])
    # Leaf counts per dimension, dims 3 and 4 kept small enough for dim1+2 > dim3+4.
    n3 = max(1, round(leaves * rng.uniform(0.1, 0.2)))
    n4 = max(1, round(leaves * rng.uniform(0.1, 0.2)))
    n2 = max(1, round(leaves * rng.uniform(0.08, 0.2)))
    n1 = leaves - n2 - n3 - n4
    if n1 < 1:
        n2, n1 = n2 + n1 - 1, 1
    counts = [n1, n2, n3, n4]
    # Weights in units of 0.01, 0.5 or 1 (always 0.01 when leaves would not fit).
    unit = rng.choice([1, 50, 100]) if leaves <= 40 else 1
    total = 10000 // unit
    minimum = max(1, min(50 // unit, 4000 // (leaves * unit))) if unit == 1 else 1
    low34, high34 = minimum * (n3 + n4), min((total - 1) // 2, total - minimum * (n1 + n2))
    d34 = rng.randint(low34, high34)
    d3 = rng.randint(minimum * n3, d34 - minimum * n4)
    d1 = rng.randint(minimum * n1, total - d34 - minimum * n2)
    dims = [d1, total - d34 - d1, d3, d34 - d3]

    kinds = list(_RANDOM_KINDS[:leaves]) + [rng.choice(_RANDOM_KINDS + ("up", "up", "milestone"))
                                            for _ in range(leaves - len(_RANDOM_KINDS))]
    rng.shuffle(kinds)
    kinds_iter = iter(kinds)

    def leaf(dimension: int, units: int) -> Indicator:
        kind = next(kinds_iter)
        name, unit_name = rng.choice(_NAME_POOL)[:2]
        indicator = Indicator(id="", name=name, dimension=dimension, weight=units * unit / 100,
                              unit=unit_name)
        if kind == "milestone":
            indicator.kind = MILESTONE
            indicator.name = name = f"ระดับความสำเร็จของการดำเนินงานตามตัวชี้วัด {name}"
            indicator.unit = "ระดับ"
            indicator.milestones = [f"ขั้นตอนที่ {k}: ดำเนินการ{name}" for k in range(1, 6)]
            indicator.result = {r: [rng.random() < 0.7 for _ in range(5)] for r in rounds
                                if rng.random() < 0.9}
        elif kind == "weighted":
            indicator.kind = WEIGHTED
            count = rng.randint(2, 4)
            parts_w = _composition(100, count, 5, rng)
            for w in parts_w:
                direction = rng.choice([UP, DOWN])
                thresholds, base, step = _random_thresholds(rng, direction, rng.random() < 0.2)
                part_name, part_unit = rng.choice(_NAME_POOL)[:2]
                indicator.parts.append(Part(
                    name=part_name, weight=w / 100, unit=part_unit, direction=direction,
                    thresholds=thresholds, interpolate=rng.random() < 0.9,
                    result=_random_results(rng, rounds, base, step)))
        else:
            indicator.direction = DOWN if kind == "down" or (kind != "up" and rng.random() < 0.3) else UP
            indicator.thresholds, base, step = _random_thresholds(rng, indicator.direction, kind == "blank")
            indicator.interpolate = kind != "step"
            if kind == "granted":
                indicator.granted, indicator.granted_reason = True, GRANTED_REASON
            else:
                indicator.result = _random_results(rng, rounds, base, step)
            indicator.baseline = {y: _random_value(rng, base, step) for y in (2549, 2550, 2551)}
        indicator.definition = f"{name} ตามนิยามของส่วนราชการ"
        indicator.formula = "ดูคำอธิบายตัวชี้วัด"
        indicator.data_source = "รายงานผลการดำเนินงานของหน่วยงาน"
        indicator.owner = Contact(_person(rng), _phone(rng))
        indicator.collector = Contact(_person(rng), _phone(rng))
        reported = rounds if kind == "weighted" else indicator.result
        for round_ in reported:
            indicator.explanation[round_] = f"ผลการดำเนินงานรอบ {round_} เดือน"
            indicator.evidence[round_] = f"หลักฐานรอบ {round_} เดือน"
        return indicator

    def grouped(items: list, dimension: int, depth: int) -> list:
        """Gather runs of 2–4 items into groups (nested once at most)."""
        out, i = [], 0
        while i < len(items):
            if len(items) - i >= 2 and rng.random() < 0.3:
                size = rng.randint(2, min(4, len(items) - i))
                children = items[i:i + size]
                if depth == 0 and size >= 3 and rng.random() < 0.5:
                    children = grouped(children, dimension, 1)
                out.append(Indicator(id="", name=f"กลุ่มตัวชี้วัดมิติที่ {dimension}", dimension=dimension,
                                     kind=GROUP, unit="ระดับ", children=children))
                i += size
            else:
                out.append(items[i])
                i += 1
        return out

    top: list = []
    for dimension, (count, units) in enumerate(zip(counts, dims), start=1):
        leaf_list = [leaf(dimension, u) for u in _composition(units, count, minimum, rng)]
        top += grouped(leaf_list, dimension, 0)

    def number(items: list, prefix: str) -> None:
        for n, item in enumerate(items, start=1):
            item.id = f"{prefix}{n}"
            if item.kind == GROUP:
                number(item.children, f"{item.id}.")

    number(top, "")
    # One not-applicable leaf, its weight moved to a sibling (DOMAIN §6.5).
    for parent in (i for item in top for i in item.walk() if i.kind == GROUP):
        candidates = [c for c in parent.children if c.kind != GROUP and not c.granted]
        if len(candidates) >= 2:
            gone, heir = candidates[0], candidates[1]
            heir.weight = round(heir.weight + gone.weight, 2)
            gone.weight, gone.applicable, gone.moved_to = 0.0, False, heir.id
            gone.result, gone.explanation, gone.evidence = {}, {}, {}
            break

    def total_weights(item: Indicator) -> int:
        """Set each group's weight to its children's sum, in hundredths (exact)."""
        if item.kind != GROUP:
            return round(item.weight * 100)
        hundredths = sum(total_weights(c) for c in item.children)
        item.weight = hundredths / 100
        return hundredths

    for item in top:
        total_weights(item)
    for item in (i for t in top for i in t.walk()):
        if item.kind != GROUP:
            item.weight = round(item.weight * 100) / 100
    return Agreement(
        fiscal_year=fiscal_year or rng.choice([2552, 2553]), ministry="กระทรวงทดสอบ",
        department=f"กรมทดสอบที่ {rng.randint(1, 999)}",
        department_type=rng.choice(["in_mission_group", "no_mission_group", "under_minister"]),
        below_level_1=rng.choice([0, 1]), indicators=top, staff=rng.randint(50, 5000))
