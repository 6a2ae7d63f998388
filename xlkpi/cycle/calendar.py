"""The fiscal year's calendar (DOMAIN §2, seed 000 "ปฏิทินการดำเนินงาน"), for any year.

Fiscal year พ.ศ. N runs 1 October CE N−544 to 30 September CE N−543.  Each milestone sits
at a fixed month relative to the fiscal year's start, so FY2560's calendar is FY2552's moved
by 8 years.  A milestone stated as a month is due at the end of that month; one stated as
a day (the 15 August briefing) is due that day; "ตุลาคม – พฤศจิกายน" opens on 1 October
and is due on 30 November.
"""
from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Optional

from ..glossary import CalendarStatus

BE_OFFSET = 543

THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
               "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")

# a milestone's states, labelled in the glossary
DONE = CalendarStatus.DONE.value
DUE = CalendarStatus.DUE.value  # open now: the date is inside the milestone's window
OVERDUE = CalendarStatus.OVERDUE.value  # past its due date and the folder shows it not done
PAST = CalendarStatus.PAST.value  # past its due date; the folder cannot tell whether it was done
UPCOMING = CalendarStatus.UPCOMING.value


def fiscal_year_start(year_be: int) -> date:
    return date(year_be - 544, 10, 1)


def fiscal_year_end(year_be: int) -> date:
    return date(year_be - 543, 9, 30)


def thai_date(day: date, with_day: bool = True) -> str:
    """'15 สิงหาคม 2551' (B.E. year); without the day: 'สิงหาคม 2551'."""
    text = f"{THAI_MONTHS[day.month - 1]} {day.year + BE_OFFSET}"
    return f"{day.day} {text}" if with_day else text


def parse_date(text: str) -> date:
    """An ISO date; a year above 2400 is read as B.E. (2552-04-30 = 30 April 2009).

    Raises ValueError with a bilingual message for anything else.
    """
    try:
        year, month, day = (int(p) for p in str(text).strip().split("-"))
        if year > 2400:
            year -= BE_OFFSET
        return date(year, month, day)
    except (ValueError, TypeError):
        raise ValueError(f"วันที่ต้องอยู่ในรูป YYYY-MM-DD (ค.ศ. หรือ พ.ศ.) ไม่ใช่ {text!r} / "
                         f"a date must be YYYY-MM-DD (CE or B.E.), not {text!r}") from None


@dataclass(frozen=True)
class MilestoneSpec:
    key: str
    th: str
    en: str
    year_offset: int  # CE year relative to the CE year the fiscal year starts in
    month: int
    day: Optional[int] = None  # an exact day; else the end of the month
    start_month: Optional[int] = None  # a window of months opening earlier in the same year


#: The FY2552 calendar of seed 000, as offsets from the fiscal year's start (Oct of year 0).
MILESTONES = (
    MilestoneSpec("briefing", "สำนักงาน ก.พ.ร. ประชุมชี้แจงแนวทางการประเมินผล",
                  "OPDC briefing on the guideline", 0, 8, day=15),
    MilestoneSpec("framework", "กระทรวงส่งกรอบการประเมินผลของส่วนราชการระดับกรมพร้อมปฏิทินการดำเนินงานให้ ก.พ.ร.",
                  "ministry sends the department framework and calendar to OPDC", 0, 9),
    MilestoneSpec("agreements", "กระทรวงส่งคำรับรองที่ลงนามแล้วพร้อมเอกสารประกอบให้ ก.พ.ร.",
                  "ministry sends the signed agreements with annexes", 0, 11, start_month=10),
    MilestoneSpec("kpi_templates", "กระทรวงส่งเอกสารสรุปรายละเอียดตัวชี้วัดฉบับสมบูรณ์ (หลังตรวจสอบและพิจารณาคำขอเปลี่ยนแปลง) 3 ชุด และ e-File",
                  "ministry sends every final KPI Template (after audit and change requests), 3 copies + e-file",
                  1, 3),
    MilestoneSpec("sar_6", "รายงานการประเมินผลตนเอง (SAR) รอบ 6 เดือน และ e-SAR Card",
                  "6-month SAR to OPDC; departments key the 6-month e-SAR Card", 1, 4),
    MilestoneSpec("meetings_6", "ประชุมติดตามความก้าวหน้ารอบ 6 เดือน ณ ส่วนราชการ",
                  "6-month progress meetings at each department", 1, 5),
    MilestoneSpec("esar_9", "รายงานการประเมินผลตนเองรอบ 9 เดือน ผ่านระบบ e-SAR Card",
                  "9-month e-SAR Card", 1, 7),
    MilestoneSpec("sar_12", "รายงานการประเมินผลตนเอง (SAR) รอบ 12 เดือน และประชุมติดตามผลรอบ 12 เดือน",
                  "12-month SAR to OPDC; 12-month evaluation meetings", 1, 10),
    MilestoneSpec("round1_results", "กระทรวงแจ้งผลการประเมินรอบที่ 1 (คณะกรรมการกำกับฯ เห็นชอบแล้ว) ให้ส่วนราชการและ ก.พ.ร.",
                  "ministry sends round-1 results (approved by the oversight committee)", 1, 12),
    MilestoneSpec("opdc_round1", "ก.พ.ร. แจ้งผลการประเมินระดับกระทรวงและกลุ่มภารกิจรอบที่ 1",
                  "OPDC sends ministry- and mission-group-level round-1 results", 2, 2),
    MilestoneSpec("final_results", "กระทรวงส่งผลรอบสุดท้ายให้ ก.พ.ร. รับรอง และแจ้งผลที่รับรองแล้ว",
                  "ministry sends final results for certification; OPDC certifies; ministry announces", 2, 3),
    MilestoneSpec("incentives", "ก.พ.ร. แจ้งผลการจัดสรรสิ่งจูงใจ กระทรวงจัดสรรให้ส่วนราชการ",
                  "OPDC announces the incentive allocation; ministry allocates to departments", 2, 4),
    MilestoneSpec("final_report", "กระทรวงส่งรายงานสรุปผลการประเมินประจำปี (Final Report)",
                  "ministry sends the annual Final Report", 2, 5),
)


@dataclass(frozen=True)
class Milestone:
    key: str
    th: str
    en: str
    start: date  # the window opens
    due: date

    @property
    def when_th(self) -> str:
        """How the seed writes it: '15 สิงหาคม 2551', 'กันยายน 2551', 'ตุลาคม – พฤศจิกายน 2551'."""
        if self.start == self.due:
            return thai_date(self.due)
        if self.start.month != self.due.month:
            return f"{THAI_MONTHS[self.start.month - 1]} – {thai_date(self.due, with_day=False)}"
        return thai_date(self.due, with_day=False)


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, _calendar.monthrange(year, month)[1])


def milestones(year_be: int) -> list[Milestone]:
    """The fiscal year's milestones in order, with their windows and due dates."""
    base = year_be - 544  # the CE year the fiscal year starts in
    out = []
    for spec in MILESTONES:
        year = base + spec.year_offset
        if spec.day:
            start = due = date(year, spec.month, spec.day)
        else:
            start = date(year, spec.start_month or spec.month, 1)
            due = _end_of_month(year, spec.month)
        out.append(Milestone(spec.key, spec.th, spec.en, start, due))
    return out


# --- what the ministry's folder proves done ---------------------------------------------

def _agreements(folder: Path) -> list:
    from ..agreement import load

    out = []
    for path in sorted((folder / "agreements").glob("*.y*ml")) + sorted((folder / "agreements").glob("*.json")):
        agreement, _ = load(path)
        if agreement is not None:
            out.append(agreement)
    return out


def _agreements_signed(folder: Path) -> Optional[bool]:
    agreements = _agreements(folder)
    return bool(agreements) and all(a.signed_on for a in agreements)


def _changes_settled(folder: Path) -> Optional[bool]:
    from .changes import load_requests

    if not _agreements(folder):
        return False
    requests, _ = load_requests(folder)
    return all(r.decision != "pending" for r in requests)


def _reported(folder: Path) -> list:
    """Each department's results as the folder holds them: its SAR Card in sar/<dept>.xlsx
    (read back, results typed by the department) when there is one, else the results in its
    agreement file.  A SAR Card that cannot be read counts as nothing reported."""
    from ..agreement import load
    from ..workbook.readback import read_agreement

    out = []
    for path in sorted((folder / "agreements").glob("*.yaml")):
        card = folder / "sar" / f"{path.stem}.xlsx"
        agreement, _ = read_agreement(card) if card.exists() else load(path)
        if agreement is None and card.exists():
            agreement, _ = load(path)
            if agreement is not None:  # unreadable card: its results are not reported
                for indicator in agreement.walk():
                    indicator.result = {}
                    for part in indicator.parts:
                        part.result = {}
        if agreement is not None:
            out.append(agreement)
    return out


def _round_reported(round_: int) -> Callable[[Path], Optional[bool]]:
    def check(folder: Path) -> Optional[bool]:
        from .progress import round_progress

        agreements = _reported(folder)
        if not agreements:
            return False
        return all(row.complete for row in round_progress(agreements, round_))
    return check


def _approval_recorded(round_: str, stage: str) -> Callable[[Path], Optional[bool]]:
    def check(folder: Path) -> Optional[bool]:
        from .approvals import load_approvals

        approvals, _ = load_approvals(folder)
        return any(step.stage == stage for step in approvals[round_])
    return check


def _opdc_recorded(folder: Path) -> Optional[bool]:
    from .opdc import load_opdc

    results, _ = load_opdc(folder)
    return results is not None and bool(results.received_on)


def _final_report_sent(folder: Path) -> Optional[bool]:
    """The Final Report is written and the final scores it reports were announced."""
    return (folder / "reports" / "final-report.xlsx").exists() and _approval_recorded("final", "announced")(folder)


#: Milestone key -> a check of the folder: True done, False not done, None cannot tell.
EVIDENCE: dict = {
    "agreements": _agreements_signed,
    "kpi_templates": _changes_settled,
    "sar_6": _round_reported(6),
    "esar_9": _round_reported(9),
    "sar_12": _round_reported(12),
    "round1_results": _approval_recorded("round1", "sent"),
    "opdc_round1": _opdc_recorded,
    "final_results": _approval_recorded("final", "announced"),
    "incentives": _approval_recorded("final", "certified"),
    "final_report": _final_report_sent,
}

EVIDENCE_TEXT = {
    "agreements": "ทุกไฟล์ใน agreements/ มี signed_on — every agreement has signed_on",
    "kpi_templates": "ไม่มีคำขอเปลี่ยนแปลงค้างพิจารณา — no change request pending",
    "sar_6": "SAR Card (sar/) หรือคำรับรองของทุกส่วนราชการมีผลที่ต้องรายงานรอบ 6 เดือนครบ — "
             "every department's SAR Card (or agreement) has every result due at 6 months",
    "esar_9": "ผลที่ต้องรายงานรอบ 9 เดือนครบ — every result due at 9 months",
    "sar_12": "ผลที่ต้องรายงานรอบ 12 เดือนครบ — every result due at 12 months",
    "round1_results": "approvals.yaml: แจ้งผลรอบที่ 1 แล้ว — round-1 scores sent",
    "opdc_round1": "opdc/results.yaml พร้อมวันที่ได้รับ — OPDC's results recorded with the date received",
    "final_results": "approvals.yaml: ประกาศผลรอบสุดท้ายแล้ว — final scores announced",
    "incentives": "approvals.yaml: ก.พ.ร. รับรองผลรอบสุดท้ายแล้ว (ใช้จัดสรรสิ่งจูงใจ) — final scores certified",
    "final_report": "มี reports/final-report.xlsx และประกาศผลรอบสุดท้ายแล้ว — the Final Report is written "
                    "and the final scores announced",
}


@dataclass(frozen=True)
class MilestoneStatus:
    milestone: Milestone
    status: str
    evidence: str = ""  # how the folder was read, where it can tell


def status_on(year_be: int, on: date, folder=None) -> list[MilestoneStatus]:
    """Each milestone's state on a date: done / due / overdue / past / upcoming.

    Without a folder nothing is known to be done: milestones whose due date has passed are
    `past`.  With a folder, a milestone the folder can speak for is `done` (whenever the date),
    or `overdue` once its due date has passed.
    """
    out = []
    folder = Path(folder) if folder else None
    for milestone in milestones(year_be):
        check = EVIDENCE.get(milestone.key) if folder else None
        done = check(folder) if check else None
        evidence = EVIDENCE_TEXT.get(milestone.key, "") if check else ""
        if done:
            status = DONE
        elif on < milestone.start:
            status = UPCOMING
        elif on <= milestone.due:
            status = DUE
        elif done is False:
            status = OVERDUE
        else:
            status = PAST
        out.append(MilestoneStatus(milestone, status, evidence))
    return out
