"""One vocabulary (STYLE "one home per concept"): every coded word xlkpi writes in a file, with
its Thai and English labels.  Reports, messages and workbooks take their labels from here.

Each enum member is a `str` equal to its file value (`Direction.UP == "up"`), so records keep
plain strings (YAML and JSON write them as such) and code compares either way:

    Direction("down").th        -> "ค่ายิ่งต่ำยิ่งดี"
    DepartmentType.label("under_minister")  -> "ส่วนราชการที่ขึ้นตรงต่อรัฐมนตรี (a department directly under the Minister)"

Nothing here imports anything but `enum`: `import xlkpi` stays light.
"""
from __future__ import annotations

from enum import Enum


class Term(str, Enum):
    """A coded word: its value as written in files, and its Thai and English labels."""

    def __new__(cls, value: str, th: str, en: str):
        return _member(cls, value, th, en)

    def __str__(self) -> str:
        return self.value

    @property
    def both(self) -> str:
        """Thai first, English in brackets — the house style for one label."""
        return f"{self.th} ({self.en})"

    @classmethod
    def values(cls) -> tuple:
        """The file values, in order (what a loader accepts)."""
        return tuple(m.value for m in cls)

    @classmethod
    def label(cls, value) -> str:
        """`both` for a known value; an unknown value as it is (never an exception in a report)."""
        try:
            return cls(_coded(value)).both
        except ValueError:
            return "–" if value is None else str(value)

    @classmethod
    def th_en(cls, value) -> tuple:
        """(th, en) for a known value; (value, value) otherwise."""
        try:
            member = cls(_coded(value))
        except ValueError:
            return str(value), str(value)
        return member.th, member.en


def _member(cls, value: str, th: str, en: str):
    member = str.__new__(cls, value)
    member._value_ = value
    member.th = th
    member.en = en
    return member


def _coded(value):
    """Dimension numbers are written as numbers in agreements and as strings in scores."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Direction(Term):
    UP = "up", "ค่ายิ่งสูงยิ่งดี", "higher is better"
    DOWN = "down", "ค่ายิ่งต่ำยิ่งดี", "lower is better"


class IndicatorKind(Term):
    THRESHOLD = "threshold", "เกณฑ์การให้คะแนน 1–5", "thresholds 1–5"
    MILESTONE = "milestone", "ระดับขั้นตอนของความสำเร็จ", "milestones"
    WEIGHTED = "weighted", "ร้อยละเฉลี่ยถ่วงน้ำหนัก", "weighted average"
    GROUP = "group", "ตัวชี้วัดที่มีตัวชี้วัดย่อย", "group of indicators"


class DepartmentType(Term):
    IN_MISSION_GROUP = "in_mission_group", "ส่วนราชการที่อยู่ในกลุ่มภารกิจ", "a department in a mission group"
    NO_MISSION_GROUP = "no_mission_group", "ส่วนราชการที่ไม่มีกลุ่มภารกิจ", "a department without a mission group"
    UNDER_MINISTER = "under_minister", "ส่วนราชการที่ขึ้นตรงต่อรัฐมนตรี", "a department directly under the Minister"


class WorkbookKind(Term):
    TEMPLATE = "template", "เอกสารสรุปรายละเอียดตัวชี้วัด", "KPI Template"
    SAR = "sar", "รายงานผลการดำเนินงานตามตัวชี้วัด", "SAR Card"


class Status(Term):
    """An audited workbook's status."""

    OK = "ok", "ผ่าน", "ok"
    WARNINGS = "warnings", "มีข้อสังเกต", "warnings"
    ERRORS = "errors", "มีข้อผิดพลาด", "errors"
    UNREADABLE = "unreadable", "เปิดไม่ได้", "unreadable"


class Severity(Term):
    ERROR = "error", "ข้อผิดพลาด", "error"
    WARNING = "warning", "ข้อสังเกต", "warning"


class Dimension(Term):
    """The four dimensions of the performance agreement (DOMAIN §4); values as in score files.

    Each also has a short label for narrow table headings (`short_th`, `short_en`)."""

    def __new__(cls, value: str, th: str, en: str, short_th: str = "", short_en: str = ""):
        member = _member(cls, value, th, en)
        member.short_th = short_th or th
        member.short_en = short_en or en
        return member

    EFFECTIVENESS = ("1", "มิติที่ 1 ด้านประสิทธิผล", "dimension 1: effectiveness",
                     "มิติ 1 ประสิทธิผล", "effectiveness")
    SERVICE_QUALITY = ("2", "มิติที่ 2 ด้านคุณภาพการให้บริการ", "dimension 2: service quality",
                       "มิติ 2 คุณภาพบริการ", "service quality")
    EFFICIENCY = ("3", "มิติที่ 3 ด้านประสิทธิภาพของการปฏิบัติราชการ", "dimension 3: efficiency",
                  "มิติ 3 ประสิทธิภาพ", "efficiency")
    DEVELOPMENT = ("4", "มิติที่ 4 ด้านการพัฒนาองค์การ", "dimension 4: organisational development",
                   "มิติ 4 พัฒนาองค์การ", "org. development")


class ApprovalStage(Term):
    """A step round-1 and final scores go through (DOMAIN §3 steps 7 and 9), in this order."""

    DRAFTED = "drafted", "คณะทำงานสรุปผล", "drafted by the working group"
    VETTED = "vetted", "คณะกรรมการเจรจาข้อตกลงและประเมินผลกลั่นกรอง", "vetted by the negotiation committee"
    APPROVED = "approved", "คณะกรรมการกำกับฯ ให้ความเห็นชอบ", "approved by the oversight committee"
    SENT = "sent", "ส่งผลแล้ว", "sent"
    CERTIFIED = "certified", "สำนักงาน ก.พ.ร. รับรองผล", "certified by OPDC"
    ANNOUNCED = "announced", "กระทรวงประกาศผล", "announced by the ministry"


class ScoreRound(Term):
    """Which scores an approval concerns.  `sent_th`/`sent_en`: what the "sent" stage means for
    these scores (round 1 goes to the departments, final scores to OPDC)."""

    def __new__(cls, value: str, th: str, en: str, sent_th: str, sent_en: str):
        member = _member(cls, value, th, en)
        member.sent_th = sent_th
        member.sent_en = sent_en
        return member

    ROUND1 = ("round1", "ผลรอบที่ 1", "round-1 scores",
              "แจ้งส่วนราชการเพื่อยืนยันหรือโต้แย้ง", "sent to the departments to confirm or contest")
    FINAL = "final", "ผลรอบสุดท้าย", "final scores", "ส่ง ก.พ.ร. เพื่อรับรอง", "sent to OPDC for certification"


class CalendarStatus(Term):
    """A fiscal-year milestone's state on a date (xlkpi.cycle.calendar)."""

    DONE = "done", "เสร็จแล้ว", "done"
    DUE = "due", "ถึงกำหนด", "due"  # open now: the date is inside the milestone's window
    OVERDUE = "overdue", "เลยกำหนด", "overdue"  # past its due date and the folder shows it not done
    PAST = "past", "ผ่านกำหนดแล้ว (ตรวจจากโฟลเดอร์ไม่ได้)", "past (the folder cannot tell)"
    UPCOMING = "upcoming", "ยังไม่ถึง", "upcoming"


class ReportingStatus(Term):
    """How much of a round's results a department has reported (xlkpi.cycle.progress)."""

    COMPLETE = "complete", "ครบ", "complete"
    PARTIAL = "partial", "ยังไม่ครบ", "partial"
    NONE = "none", "ยังไม่รายงาน", "none"


class ChangeKind(Term):
    """What a change request does to an indicator or a field (xlkpi.cycle.changes)."""

    ADDED = "added", "เพิ่ม", "added"
    REMOVED = "removed", "ตัดออก", "removed"
    CHANGED = "changed", "เปลี่ยน", "changed"


class Decision(Term):
    """A committee's decision on a change or review request."""

    PENDING = "pending", "รอพิจารณา", "pending"
    APPROVED = "approved", "อนุมัติ", "approved"
    REJECTED = "rejected", "ไม่อนุมัติ", "rejected"


class AgreementField(Term):
    """The terms of an agreement a change request may change (field names as in agreement files)."""

    NAME = "name", "ชื่อตัวชี้วัด", "name"
    WEIGHT = "weight", "น้ำหนัก", "weight"
    THRESHOLDS = "thresholds", "เกณฑ์การให้คะแนน", "thresholds"
    MILESTONES = "milestones", "ขั้นตอน/ระดับ", "milestones"
    UNIT = "unit", "หน่วยวัด", "unit"
    DIRECTION = "direction", "ทิศทาง", "direction"
    KIND = "kind", "ประเภท", "kind"
    PARTS = "parts", "องค์ประกอบ", "parts"
    DIMENSION = "dimension", "มิติ", "dimension"
    DEFINITION = "definition", "คำอธิบาย", "definition"
    FORMULA = "formula", "สูตรการคำนวณ", "formula"
    APPLICABLE = "applicable", "ประเมิน/ไม่ประเมิน", "applicable"
    MOVED_TO = "moved_to", "น้ำหนักย้ายไป", "weight moved to"
    GRANTED = "granted", "ได้คะแนนโดยปริยาย", "granted"
    COMPOSITE_THRESHOLDS = "composite_thresholds", "เกณฑ์ค่าเฉลี่ยถ่วงน้ำหนัก", "composite thresholds"
