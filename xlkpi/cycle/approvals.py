"""Approval of round-1 and final scores (DOMAIN §3 steps 7 and 9).

Round-1 scores: the working group's summary (drafted) → vetted by the negotiation committee
→ approved by the oversight committee → sent to the departments to confirm or contest.
Final scores: drafted (adjusted for review decisions and OPDC's results) → vetted → approved
→ sent to OPDC → certified by OPDC → announced by the ministry.  Incentives use the
certified final scores only.

Each step is recorded with its date and the meeting or letter it rests on, in order only,
in ``approvals.yaml`` of the ministry folder, with the totals it concerned: a later change
to the scores (a new review decision, OPDC's results) is then visible as scores that differ
from what was approved::

    round1:
      - {stage: drafted, date: "2552-11-20", ref: บันทึกคณะทำงาน 5/2552, totals: {ddc: 3.8116}}
      - {stage: vetted, date: "2552-11-27", ref: ประชุมคณะกรรมการเจรจาฯ 3/2552, totals: {...}}
    final: [...]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..findings import Finding, error
from ..glossary import ApprovalStage, ScoreRound

APPROVALS_FILE = "approvals.yaml"
ROUND1, FINAL = ScoreRound.ROUND1.value, ScoreRound.FINAL.value
_S = ApprovalStage
STAGES = {
    ROUND1: tuple(s.value for s in (_S.DRAFTED, _S.VETTED, _S.APPROVED, _S.SENT)),
    FINAL: tuple(s.value for s in _S),
}


def round_key(value: str) -> Optional[str]:
    """'1', 'round1' → round1; 'final' → final; anything else None."""
    text = str(value).strip().lower()
    return ROUND1 if text in ("1", "round1", "round-1") else FINAL if text == "final" else None


@dataclass(frozen=True)
class Step:
    stage: str
    date: str
    ref: str = ""
    totals: dict = field(default_factory=dict)  # stem -> total approved at this step

    def to_dict(self) -> dict:
        return {"stage": self.stage, "date": self.date, "ref": self.ref, "totals": dict(self.totals)}


def stage_text(round_: str, stage: str) -> tuple[str, str]:
    if stage == ApprovalStage.SENT:
        # where "sent" goes depends on the scores: round 1 to the departments, final to OPDC
        return ScoreRound(round_).sent_th, ScoreRound(round_).sent_en
    return ApprovalStage.th_en(stage)


def state_text(approvals: dict, round_: str) -> tuple[str, str]:
    """'อนุมัติแล้ว … 2553-01-20 (ref)' for the last step of a round's scores, Thai and English."""
    steps = approvals.get(round_) or []
    if not steps:
        return "ยังไม่มีการพิจารณา", "not yet drafted"
    last = steps[-1]
    th, en = stage_text(round_, last.stage)
    ref = f" ({last.ref})" if last.ref else ""
    return f"{th} {last.date}{ref}", f"{en} on {last.date}{ref}"


def load_approvals(folder) -> tuple[dict, list[Finding]]:
    """{round1: [Step], final: [Step]} from approvals.yaml (empty lists when absent)."""
    import yaml

    path = Path(folder) / APPROVALS_FILE
    out: dict = {ROUND1: [], FINAL: []}
    if not path.exists():
        return out, []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except Exception as exc:
        return out, [error("APR-READ", f"อ่าน {APPROVALS_FILE} ไม่ได้: {exc}", f"cannot read {APPROVALS_FILE}: {exc}",
                           file=str(path))]
    findings = []
    for key in (ROUND1, FINAL):
        for n, item in enumerate(data.get(key) or []):
            if not isinstance(item, dict) or item.get("stage") not in STAGES[key]:
                findings.append(error("APR-STAGE", f"ขั้นตอนไม่ถูกต้อง: {item!r}", f"not a stage of {key}: {item!r}",
                                      file=str(path), cell=f"{key}[{n}]"))
                continue
            totals = {str(k): float(v) for k, v in (item.get("totals") or {}).items()}
            out[key].append(Step(item["stage"], str(item.get("date") or ""), str(item.get("ref") or ""), totals))
        expected = list(STAGES[key][:len(out[key])])
        if [s.stage for s in out[key]] != expected:
            findings.append(error("APR-ORDER", f"ขั้นตอนของ {key} ไม่เรียงตามลำดับ {' → '.join(STAGES[key])}",
                                  f"the {key} stages are not in the order {' → '.join(STAGES[key])}",
                                  file=str(path), cell=key))
    return out, findings


def record_step(folder, round_: str, stage: str, date: str, ref: str, totals: dict) -> tuple[Optional[Step], list[Finding]]:
    """Record the next step of a round's scores; out of order (or a date before the previous
    step's, or final before round 1 was sent) is a finding and nothing is written."""
    from ._io import save_yaml
    from .calendar import parse_date

    approvals, findings = load_approvals(folder)
    if any(f.is_error for f in findings):
        return None, findings
    where = dict(file=str(Path(folder) / APPROVALS_FILE), cell=round_)
    steps = approvals[round_]
    done = [s.stage for s in steps]
    stages = STAGES[round_]
    if stage not in stages:
        return None, [error("APR-STAGE", f"ขั้นตอนต้องเป็น {' → '.join(stages)} ไม่ใช่ {stage!r}",
                            f"the stage must be one of {' → '.join(stages)}, not {stage!r}", **where)]
    if len(done) == len(stages) or stages[len(done)] != stage:
        expected = stages[len(done)] if len(done) < len(stages) else None
        th_next = f"ขั้นตอนถัดไปคือ {expected}" if expected else "ครบทุกขั้นตอนแล้ว"
        en_next = f"the next stage is {expected}" if expected else "every stage is recorded"
        return None, [error("APR-ORDER", f"{ScoreRound(round_).th}: บันทึก {stage} ไม่ได้ ({th_next})",
                            f"{ScoreRound(round_).en}: cannot record {stage} ({en_next})", **where)]
    if round_ == FINAL and stage == "drafted" and "sent" not in [s.stage for s in approvals[ROUND1]]:
        return None, [error("APR-ORDER", "ต้องแจ้งผลรอบที่ 1 ให้ส่วนราชการก่อนสรุปผลรอบสุดท้าย",
                            "round-1 scores must be sent to the departments before the final scores are drafted",
                            **where)]
    day = parse_date(date)
    previous = steps[-1] if steps else (approvals[ROUND1][-1] if round_ == FINAL and approvals[ROUND1] else None)
    if previous is not None and day < parse_date(previous.date):
        return None, [error("APR-DATE", f"วันที่ {date} ก่อนขั้นตอนก่อนหน้า ({previous.stage} {previous.date})",
                            f"the date {date} is before the previous step ({previous.stage} on {previous.date})",
                            **where)]
    step = Step(stage, date, ref, {k: round(v, 4) for k, v in totals.items()})
    approvals[round_].append(step)
    save_yaml({k: [s.to_dict() for s in v] for k, v in approvals.items()}, Path(folder) / APPROVALS_FILE)
    return step, []


def current_totals(results, round_: str) -> dict:
    """stem -> the total a round's step concerns: round-1 or final total of each department."""
    return {r.stem: (r.round1.total if round_ == ROUND1 else r.final.total) for r in results}


def certified_totals(folder, results) -> tuple[Optional[dict], list[Finding]]:
    """The certified final totals, when the final scores were certified and are still the
    scores computed now; otherwise None and a finding saying why."""
    approvals, findings = load_approvals(folder)
    steps = {s.stage: s for s in approvals[FINAL]}
    where = dict(file=str(Path(folder) / APPROVALS_FILE), cell=FINAL)
    if "certified" not in steps:
        last_th, last_en = state_text(approvals, FINAL)
        return None, findings + [error("APR-NOT-CERTIFIED",
                                       f"ผลรอบสุดท้ายยังไม่ได้รับการรับรองจาก ก.พ.ร. (สถานะ: {last_th}) จึงจัดสรรสิ่งจูงใจไม่ได้",
                                       f"the final scores are not certified by OPDC (state: {last_en}); "
                                       "incentives use certified scores only", **where)]
    certified = steps["certified"].totals
    now = current_totals(results, FINAL)
    changed = sorted(stem for stem in now if stem not in certified or abs(certified[stem] - now[stem]) > 1e-9)
    if changed:
        return None, findings + [error("APR-CHANGED",
                                       f"คะแนนรอบสุดท้ายของ {', '.join(changed)} ต่างจากที่ ก.พ.ร. รับรอง",
                                       f"the final scores of {', '.join(changed)} differ from what OPDC certified",
                                       **where)]
    return certified, findings
