"""Shared sample data for the cycle tests: two small departments written by hand.

The numbers are chosen so the scores can be worked out on paper (DOMAIN §6):

ddc (กรมควบคุมโรค, in a mission group), weights 20 + 40 + 20 + 20 = 100:
  1.1 weighted 18: parts 0.6 × score(93.5 on 80/85/90/95/100 = 3.7) + 0.4 × score(5 on 10/8/6/4/2 down = 3.5)
      composite = 2.22 + 1.4 = 3.62 → score 3.62, weighted 18 × 3.62 / 100 = 0.6516
  1.2 not applicable (weight 0, moved to 1.1)
  1.3 milestone 2: met [T, T, T, F, F] → 3, weighted 0.06
  → indicator 1 weighted 0.7116
  3   threshold 40 on 60/70/80/90/100, result 85 → 3.5, weighted 1.4
  5.1 threshold 20 on 72/76/80/84/88, result 86 → 4.5, weighted 0.9
  6   threshold 20 on 1/2/3/4/5, result 4 → 4, weighted 0.8
  total 0.7116 + 1.4 + 0.9 + 0.8 = 3.8116; dims 1: 2.1116, 2: 0, 3: 0.9, 4: 0.8

fda (สำนักงานคณะกรรมการอาหารและยา, under the Minister):
  3 weight 60 on 60/70/80/90/100, result 100 → 5 → 3.0; 6 weight 40 result 4.5 → 4.5 → 1.8
  total 4.8
"""
from __future__ import annotations

import textwrap

DDC = textwrap.dedent("""\
    fiscal_year: 2552
    ministry: กระทรวงสาธารณสุข
    department: กรมควบคุมโรค
    department_type: in_mission_group
    mission_group: กลุ่มภารกิจด้านพัฒนาการสาธารณสุข
    signed_on: "2551-10-31"
    staff: 120
    indicators:
      - id: "1"
        name: ระดับความสำเร็จตามแผนปฏิบัติราชการของกระทรวง
        dimension: 1
        weight: 20
        children:
          - id: "1.1"
            name: ร้อยละเฉลี่ยถ่วงน้ำหนักตามแผนของกระทรวง
            weight: 18
            kind: weighted
            parts:
              - {name: อัตราความครอบคลุมการได้รับวัคซีน, weight: 0.6, unit: "%", thresholds: [80, 85, 90, 95, 100], result: {6: 70, 9: 88, 12: 93.5}}
              - {name: ระยะเวลาเฉลี่ยในการสอบสวนโรค, weight: 0.4, unit: วัน, direction: down, thresholds: [10, 8, 6, 4, 2], result: {12: 5}}
          - {id: "1.2", name: เป้าหมายร่วมระหว่างกระทรวง, weight: 0, applicable: false, moved_to: "1.1"}
          - id: "1.3"
            name: ความสำเร็จของการจัดตั้งศูนย์บริการร่วม
            weight: 2
            kind: milestone
            milestones: [แต่งตั้งคณะทำงาน, จัดทำแผน, เปิดให้บริการ, ประเมินความพึงพอใจ, ปรับปรุงบริการ]
            result: {6: [true, false, false, false, false], 9: [true, true, false, false, false], 12: [true, true, true, false, false]}
      - {id: "3", name: ร้อยละของผู้ป่วยที่ได้รับการรักษาตามมาตรฐาน, dimension: 1, weight: 40, unit: "%", thresholds: [60, 70, 80, 90, 100], result: {6: 70, 9: 80, 12: 85}}
      - {id: "5.1", name: ร้อยละการเบิกจ่ายงบลงทุน, dimension: 3, weight: 20, unit: "%", thresholds: [72, 76, 80, 84, 88], result: {6: 40, 12: 86}}
      - {id: "6", name: ระดับความสำเร็จของ PMQA, dimension: 4, weight: 20, thresholds: [1, 2, 3, 4, 5], result: {6: 2, 9: 3, 12: 4}}
""")

FDA = textwrap.dedent("""\
    fiscal_year: 2552
    ministry: กระทรวงสาธารณสุข
    department: สำนักงานคณะกรรมการอาหารและยา
    department_type: under_minister
    signed_on: "2551-11-15"
    staff: 80
    indicators:
      - {id: "3", name: ร้อยละของผลิตภัณฑ์ที่ได้รับการตรวจ, dimension: 1, weight: 60, unit: "%", thresholds: [60, 70, 80, 90, 100], result: {6: 50, 12: 100}}
      - {id: "6", name: ระดับความสำเร็จของ PMQA, dimension: 4, weight: 40, thresholds: [1, 2, 3, 4, 5], result: {6: 2, 12: 4.5}}
""")


def agreement(text: str = DDC):
    import yaml

    from xlkpi.agreement import parse

    loaded, findings = parse(yaml.safe_load(text), "<test>")
    assert loaded is not None and not [f for f in findings if f.is_error], findings
    return loaded


def ministry_folder(tmp_path):
    """A ministry folder with both agreements in agreements/ (ddc.yaml, fda.yaml)."""
    (tmp_path / "agreements").mkdir(parents=True)
    (tmp_path / "agreements" / "ddc.yaml").write_text(DDC, encoding="utf-8")
    (tmp_path / "agreements" / "fda.yaml").write_text(FDA, encoding="utf-8")
    return tmp_path


def test_fixture_scores_as_worked_out_by_hand():
    from xlkpi.engine import score_agreement

    ddc = score_agreement(agreement(DDC), 12)
    assert ddc.total == 3.8116
    assert ddc.dimensions == {"1": 2.1116, "2": 0.0, "3": 0.9, "4": 0.8}
    assert score_agreement(agreement(FDA), 12).total == 4.8
