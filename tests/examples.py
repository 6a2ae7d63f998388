"""Worked examples shared by the tests."""

#: The agreement file example of DOMAIN §10, milestone texts filled in.
SECTION_10 = """\
fiscal_year: 2552            # Buddhist Era
ministry: กระทรวงสาธารณสุข
department: กรมควบคุมโรค
department_type: in_mission_group   # in_mission_group | no_mission_group | under_minister
below_level_1: 1             # score for a result short of level 1: 1 (default) or 0
indicators:
  - id: "1"
    name: ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมายตามแผนปฏิบัติราชการของกระทรวง
    dimension: 1
    weight: 20
    children:
      - id: "1.1"
        weight: 18                     # 15 + 3 moved from 1.2
        kind: weighted
        parts:
          - {name: อัตราความครอบคลุมการได้รับวัคซีน, weight: 0.6, unit: "%",
             thresholds: [80, 85, 90, 95, 100], result: {6: 70, 9: 88, 12: 93.5}}
          - {name: ระยะเวลาเฉลี่ยในการสอบสวนโรค, weight: 0.4, unit: วัน, direction: down,
             thresholds: [10, 8, 6, 4, 2], result: {12: 5}}
      - {id: "1.2", weight: 0, applicable: false, moved_to: "1.1"}
      - {id: "1.3", weight: 2, kind: milestone,
         milestones: [แต่งตั้งคณะทำงาน, สำรวจความต้องการผู้รับบริการ, เปิดศูนย์บริการร่วม,
                      ประเมินความพึงพอใจ, ปรับปรุงตามผลการประเมิน],
         result: {12: [true, true, true, false, false]}}
  - {id: "5.1", dimension: 3, weight: 4, unit: "%", thresholds: [72, 76, 80, 84, 88],
     result: {12: 86}}
  - {id: "15.1.3", dimension: 4, weight: 1, thresholds: [60, 70, 80, 90, 100], granted: true,
     granted_reason: ผ่านเกณฑ์ในปีงบประมาณ พ.ศ. 2552 แล้ว}
"""
