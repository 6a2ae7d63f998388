"""Review requests (คำขอทบทวนผลการประเมิน, DOMAIN §3 step 8).

A department asks the negotiation committee to revisit one indicator's result or score
for a round (normally 12 months), with its reason.  The committee approves (giving the
result or score it decided; if it gives neither, what was requested stands) or rejects.
Round-1 scores are the engine's scores of the baseline agreement; final scores are the same
with the approved reviews applied: a decided result replaces the reported result and is
re-scored; a decided score replaces the indicator's score.  Group and total scores are
recomputed by DOMAIN §6.4 and §6.6.

Review file `reviews/<dept>-<n>.yaml`::

    department: ddc
    number: 1
    indicator: "5.1"
    round: 12
    reason: ...
    requested_result: 88
    requested_score: null
    submitted_on: "2552-12-20"
    decision: approved          # pending | approved | rejected
    decided_on: "2553-01-15"
    decided_result: 88
    decided_score: null
    note: ...
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ..engine import DepartmentScore, score_agreement
from ..findings import Finding, error, warning
from ..glossary import Decision
from ..model import MILESTONE, THRESHOLD, Agreement
from .changes import APPROVED, DECISIONS, PENDING, REJECTED


@dataclass
class ReviewRequest:
    department: str
    number: int
    indicator: str
    reason: str = ""
    round: int = 12
    requested_result: Optional[float] = None
    requested_score: Optional[float] = None
    submitted_on: str = ""
    decision: str = PENDING
    decided_on: str = ""
    decided_result: Optional[float] = None
    decided_score: Optional[float] = None
    note: str = ""
    path: Optional[Path] = None
    # DOMAIN §3 (1.5.8): a request that would change the ministry's framework goes to the
    # oversight committee for decision; it applies only once that committee approves it too.
    changes_framework: bool = False
    oversight_decision: str = PENDING
    oversight_decided_on: str = ""
    oversight_ref: str = ""

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("department", "number", "indicator", "round", "reason",
                                               "requested_result", "requested_score", "submitted_on",
                                               "decision", "decided_on", "decided_result", "decided_score",
                                               "note", "changes_framework", "oversight_decision",
                                               "oversight_decided_on", "oversight_ref")}

    @property
    def applies(self) -> bool:
        """Approved by the negotiation committee and, if it changes the framework, by the
        oversight committee as well."""
        return self.decision == APPROVED and (not self.changes_framework or self.oversight_decision == APPROVED)

    @property
    def effective(self) -> tuple[Optional[float], Optional[float]]:
        """(result, score) an approved review applies."""
        if not self.applies:
            return None, None
        if self.decided_result is None and self.decided_score is None:
            return self.requested_result, self.requested_score
        return self.decided_result, self.decided_score


def _number(value: Any, path: str, findings: list, source: str) -> Optional[float]:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        findings.append(error("REV-NUMBER", f"ต้องเป็นตัวเลข ไม่ใช่ {value!r}", f"must be a number, not {value!r}",
                              file=source, cell=path))
        return None


def review_from_dict(data: Any, source: str) -> tuple[Optional[ReviewRequest], list[Finding]]:
    if not isinstance(data, dict) or not data.get("department") or not data.get("indicator"):
        return None, [error("REV-FORMAT", "คำขอทบทวนต้องมี department และ indicator",
                            "a review request needs a department and an indicator", file=source)]
    findings: list[Finding] = []
    decision = data.get("decision") or PENDING
    if decision not in DECISIONS:
        findings.append(error("REV-DECISION", f"ผลการพิจารณาต้องเป็น {' | '.join(DECISIONS)} ไม่ใช่ {decision!r}",
                              f"the decision must be one of {', '.join(DECISIONS)}, not {decision!r}",
                              file=source, cell="decision"))
        decision = PENDING
    round_ = data.get("round", 12)
    if round_ not in (6, 9, 12):
        findings.append(error("REV-ROUND", f"รอบต้องเป็น 6, 9 หรือ 12 ไม่ใช่ {round_!r}",
                              f"the round must be 6, 9 or 12, not {round_!r}", file=source, cell="round"))
        round_ = 12
    oversight = data.get("oversight_decision") or PENDING
    if oversight not in DECISIONS:
        findings.append(error("REV-DECISION", f"ผลการพิจารณาต้องเป็น {' | '.join(DECISIONS)} ไม่ใช่ {oversight!r}",
                              f"the decision must be one of {', '.join(DECISIONS)}, not {oversight!r}",
                              file=source, cell="oversight_decision"))
        oversight = PENDING
    score = _number(data.get("decided_score"), "decided_score", findings, source)
    if score is not None and not 0 <= score <= 5:
        findings.append(error("REV-SCORE", "คะแนนต้องอยู่ระหว่าง 0 ถึง 5", "a score must be between 0 and 5",
                              file=source, cell="decided_score"))
    review = ReviewRequest(
        str(data["department"]), int(data.get("number") or 0), str(data["indicator"]),
        str(data.get("reason") or ""), round_,
        _number(data.get("requested_result"), "requested_result", findings, source),
        _number(data.get("requested_score"), "requested_score", findings, source),
        str(data.get("submitted_on") or ""), decision, str(data.get("decided_on") or ""),
        _number(data.get("decided_result"), "decided_result", findings, source), score,
        str(data.get("note") or ""), Path(source), bool(data.get("changes_framework", False)), oversight,
        str(data.get("oversight_decided_on") or ""), str(data.get("oversight_ref") or ""))
    return review, findings


def load_review(path) -> tuple[Optional[ReviewRequest], list[Finding]]:
    from ._io import load_record

    return load_record(path, review_from_dict, "REV-READ")


def load_reviews(folder, department: Optional[str] = None) -> tuple[list[ReviewRequest], list[Finding]]:
    from ._io import load_records

    return load_records(folder, "reviews", load_review, department)


def save_review(review: ReviewRequest, path=None) -> Path:
    from ._io import save_record

    return save_record(review, path)


def check_new_review(folder, department: str, indicator: str, round_: int) -> list[Finding]:
    """What makes a review request impossible to record: a department with no agreement in
    the folder, an indicator not in its agreement (or not scored), a round that is not 6, 9
    or 12 or that the indicator does not report in (DOMAIN §6.5a)."""
    from .changes import baseline_for
    from .results import department_stems

    stems = department_stems(folder)
    if department not in stems:
        return [error("REV-DEPARTMENT",
                      f"ไม่พบส่วนราชการ {department!r} (agreements/{department}.yaml) มีเพียง {', '.join(stems) or '–'}",
                      f"unknown department {department!r} (no agreements/{department}.yaml); known: "
                      f"{', '.join(stems) or 'none'}", file=str(Path(folder) / "agreements"))]
    where = dict(file=str(Path(folder) / "agreements" / f"{department}.yaml"), indicator=indicator)
    if round_ not in (6, 9, 12):
        return [error("REV-ROUND", f"รอบต้องเป็น 6, 9 หรือ 12 ไม่ใช่ {round_!r}",
                      f"the round must be 6, 9 or 12, not {round_!r}", **where)]
    agreement, findings = baseline_for(folder, department)
    if agreement is None or any(f.is_error for f in findings):
        return [f for f in findings if f.is_error]
    found = agreement.find(indicator)
    if found is None or found.is_group:
        ids = ", ".join(i.id for i in agreement.leaves())
        return [error("REV-INDICATOR", f"ไม่พบตัวชี้วัด {indicator} ในคำรับรองของ {department} "
                                       f"(ตัวชี้วัดที่ทบทวนได้: {ids})",
                      f"indicator {indicator} is not a scored indicator of {department}'s agreement ({ids})", **where)]
    score = score_agreement(agreement, round_).by_id()[indicator]
    if not score.applicable:
        return [error("REV-INDICATOR", f"ตัวชี้วัด {indicator} ไม่ประเมิน (not applicable) จึงทบทวนไม่ได้",
                      f"indicator {indicator} is not applicable: there is no score to review", **where)]
    if not score.due:
        return [error("REV-ROUND", f"ตัวชี้วัด {indicator} ไม่ต้องรายงานผลรอบ {round_} เดือน",
                      f"indicator {indicator} does not report in the {round_}-month round", **where)]
    return []


def new_review(folder, department: str, indicator: str, reason: str, round_: int = 12,
               requested_result: Optional[float] = None, requested_score: Optional[float] = None,
               submitted_on: str = "", changes_framework: bool = False) -> ReviewRequest:
    existing, _ = load_reviews(folder, department)
    number = max((r.number for r in existing), default=0) + 1
    review = ReviewRequest(department, number, indicator, reason, round_, requested_result, requested_score,
                           submitted_on, changes_framework=changes_framework)
    save_review(review, Path(folder) / "reviews" / f"{department}-{number}.yaml")
    return review


def decide_review(review: ReviewRequest, approved: bool, decided_on: str, note: str = "",
                  decided_result: Optional[float] = None, decided_score: Optional[float] = None) -> ReviewRequest:
    review.decision = APPROVED if approved else REJECTED
    review.decided_on = decided_on
    review.note = note
    review.decided_result = decided_result if approved else None
    review.decided_score = decided_score if approved else None
    return review


def decide_oversight(review: ReviewRequest, approved: bool, decided_on: str, ref: str = "") -> ReviewRequest:
    """The oversight committee's decision on a request that changes the framework."""
    review.oversight_decision = APPROVED if approved else REJECTED
    review.oversight_decided_on = decided_on
    review.oversight_ref = ref
    return review


def review_findings(agreement: Agreement, reviews) -> list[Finding]:
    """Approved reviews that cannot be applied: unknown indicator, a result for a kind that has none."""
    findings = []
    for review in reviews:
        result, score = review.effective
        indicator = agreement.find(review.indicator)
        where = dict(file=str(review.path or ""), indicator=review.indicator)
        if review.decision != APPROVED:
            continue
        if review.changes_framework and review.oversight_decision == PENDING:
            findings.append(warning(
                "REV-OVERSIGHT-PENDING",
                "คำขอนี้เปลี่ยนกรอบการประเมินผล ต้องเสนอคณะกรรมการกำกับฯ พิจารณาก่อนจึงจะนำมาใช้ได้",
                "this request would change the framework: it applies only once the oversight committee decides it",
                **where))
        if indicator is None:
            findings.append(error("REV-INDICATOR", f"ไม่พบตัวชี้วัด {review.indicator} ในคำรับรอง",
                                  f"indicator {review.indicator} is not in the agreement", **where))
        elif result is not None and indicator.kind != THRESHOLD and score is None:
            findings.append(error("REV-RESULT-KIND", "ตัวชี้วัดนี้ทบทวนได้ด้วยคะแนนเท่านั้น (decided_score)",
                                  "this indicator's review must give a score (decided_score), not a result",
                                  **where))
    return findings


def apply_reviews(agreement: Agreement, reviews, round_: int = 12,
                  decided: Optional[dict] = None) -> DepartmentScore:
    """The department's scores for the round with the approved reviews applied; `decided`
    (indicator id -> score) are scores set elsewhere, e.g. OPDC's ministry-level results,
    which a review decision on the same indicator replaces."""
    revised = copy.deepcopy(agreement)
    overrides: dict = dict(decided or {})
    for review in reviews:
        if review.round != round_ or not review.applies:
            continue
        indicator = revised.find(review.indicator)
        if indicator is None:
            continue
        result, score = review.effective
        if score is not None:
            overrides[review.indicator] = score
        elif result is not None and indicator.kind == THRESHOLD:
            indicator.result[round_] = result
        elif result is not None and indicator.kind == MILESTONE:
            level = int(result)
            indicator.result[round_] = [i < level for i in range(5)]
    # a decided score goes through the engine like any other: groups and totals follow (§6.4, §6.6)
    return score_agreement(revised, round_, overrides)


def write_review_analysis(review: ReviewRequest, agreement: Agreement, path) -> Path:
    """The working group's analysis of one review request (DOMAIN §3 step 8): what the
    department reported and scored, what it asks for, what that would do to the indicator's
    score and the department's total (computed by the engine), and a column for the working
    group's comment.  A request that changes the framework says it must go to the oversight
    committee."""
    from openpyxl import Workbook
    from openpyxl.styles import Protection

    from ..workbook.style import INPUT_FILL, default_font, fill, font, put_text, setup_a4, thin_border, wrap
    from ._io import heading_row, save_workbook

    before = score_agreement(agreement, review.round)
    asked = copy.deepcopy(review)
    asked.decision, asked.oversight_decision = APPROVED, APPROVED
    asked.decided_result, asked.decided_score = review.requested_result, review.requested_score
    after = apply_reviews(agreement, [asked], review.round)
    indicator = agreement.find(review.indicator)
    old, new = before.by_id().get(review.indicator), after.by_id().get(review.indicator)
    reported = indicator.result.get(review.round) if indicator is not None else None

    def show(value) -> str:
        if value is None:
            return "–"
        if isinstance(value, list):
            return f"ผ่าน {sum(1 for v in value if v)} ขั้น (milestones met)"
        return f"{value:g}"

    def score_text(value) -> str:  # scores are shown with 4 decimals (DOMAIN §6)
        return "–" if value is None else f"{value:.4f}"

    wb = Workbook()
    default_font(wb)
    ws = wb.active
    ws.title = "วิเคราะห์คำขอทบทวน"
    put_text(ws["A1"], "การวิเคราะห์คำขอทบทวนผลการประเมิน — analysis of a review request")
    ws["A1"].font = font(bold=True, size=18)
    put_text(ws["A2"], f"{agreement.department} ({agreement.ministry}) ปีงบประมาณ พ.ศ. {agreement.fiscal_year} — "
                       f"คำขอที่ {review.number} (request {review.number}), ยื่นเมื่อ {review.submitted_on or '–'}")
    heading_row(ws, 4, ["รายการ\nitem", "ข้อมูล\nvalue"], widths=[44, 70])
    rows = [
        ("ตัวชี้วัด (indicator)", f"{review.indicator} {indicator.name if indicator else '(ไม่พบ not found)'}"),
        ("รอบ (round)", f"{review.round} เดือน (months)"),
        ("เหตุผลของส่วนราชการ (the department's reason)", review.reason),
        ("ผลที่รายงาน (result reported)", show(reported)),
        ("คะแนนเดิม (score now)", score_text(old.score if old else None)),
        ("ผลที่ขอ (result asked for)", show(review.requested_result)),
        ("คะแนนที่ขอ (score asked for)", score_text(review.requested_score)),
        ("คะแนนหากเห็นชอบตามคำขอ (score if granted as asked)", score_text(new.score if new else None)),
        ("คะแนนรวมเดิม → หากเห็นชอบ (department total now → if granted)",
         f"{before.total:.4f} → {after.total:.4f} ({after.total - before.total:+.4f})"),
        ("เปลี่ยนกรอบการประเมินผลหรือไม่ (changes the framework?)",
         "ใช่: ต้องเสนอคณะกรรมการกำกับฯ พิจารณา (yes: the oversight committee decides)" if review.changes_framework
         else "ไม่ใช่: คณะกรรมการเจรจาฯ พิจารณา (no: the negotiation committee decides)"),
        ("ผลการพิจารณาของคณะกรรมการเจรจาฯ (negotiation committee)",
         f"{Decision.label(review.decision)} {review.decided_on} {review.note}".strip()),
    ]
    if review.changes_framework:
        rows.append(("ผลการพิจารณาของคณะกรรมการกำกับฯ (oversight committee)",
                     f"{Decision.label(review.oversight_decision)} {review.oversight_decided_on} "
                     f"{review.oversight_ref}".strip()))
    rows.append(("ความเห็นคณะทำงาน (the working group's analysis)", ""))
    for n, (label, value) in enumerate(rows, start=5):
        for col, text in ((1, label), (2, value)):
            cell = ws.cell(row=n, column=col)
            put_text(cell, text)
            cell.border = thin_border()
            cell.alignment = wrap()
            cell.font = font(bold=col == 1)
        ws.row_dimensions[n].height = 22 * max(1, len(str(value)) // 60 + 1)
    comment = ws.cell(row=4 + len(rows), column=2)
    comment.fill = fill(INPUT_FILL)
    comment.protection = Protection(locked=False)
    ws.row_dimensions[4 + len(rows)].height = 120
    setup_a4(ws)
    return save_workbook(wb, path)
