"""The cycle's steps for the demo (`xlkpi demo`, `make demo`) on the sample ministry.

Each step takes the ministry folder that `setup_folder` makes and returns a list of
(label, path) of what it wrote; `run_cycle(agreements, out)` runs them all in the order of a
fiscal year (DOMAIN §2, §3): agreement documents through the signing gate → a change request
→ the rounds' progress → round-1 scores drafted, vetted, approved → the round-1 notices →
sent → a review request with its analysis → OPDC's ministry and mission-group results → final
scores drafted … certified, announced → the Final Report → incentives from the certified
scores.  First of all, the proposals: the blank proposal form of the ministry's framework, and
each department's proposal (its agreement on the form, as a department returns it) read back
with `xlkpi agreement import`, which is the agreement the negotiation starts from.

The demo's ministry settings (committee roster, signatories, incentive pool) are made up
for the demo and pass `check_committees`; dates follow the sample's fiscal year.
"""
from __future__ import annotations

from pathlib import Path

from ..model import THRESHOLD
from .ministry import Member, Official, Settings, check_committees, init_folder, save_settings

DEMO_POOL = 10_000_000  # baht


def demo_settings(agreements) -> Settings:
    first = agreements[0]
    negotiation = [
        Member("นายแพทย์ปลัด ตัวอย่าง", "ปลัดกระทรวงสาธารณสุข", "chair"),
        Member("นายแพทย์รอง หัวหน้ากลุ่ม", "รองปลัดกระทรวงหัวหน้ากลุ่มภารกิจด้านพัฒนาการสาธารณสุข"),
        Member("แพทย์หญิงผู้ตรวจ ราชการ", "ผู้ตรวจราชการกระทรวงสาธารณสุข"),
        Member("ศาสตราจารย์อิสระ ทรงคุณวุฒิ", "ผู้ทรงคุณวุฒิ (กรรมการอิสระจากภายนอก)", independent=True),
        Member("ดร.กรรมการ ก.พ.ร.", "กรรมการเจรจาที่สำนักงาน ก.พ.ร. เสนอชื่อ", independent=True, opdc_nominee=True),
        Member("ประธาน ค.ต.ป. ประจำกระทรวง", "ค.ต.ป.", "adviser"),
    ]
    oversight = [
        Member("นายแพทย์ปลัด ตัวอย่าง", "ปลัดกระทรวงสาธารณสุข", "chair"),
        Member("นายแพทย์รอง หัวหน้ากลุ่ม", "รองปลัดกระทรวงหัวหน้ากลุ่มภารกิจด้านพัฒนาการสาธารณสุข"),
        Member("นายแพทย์รอง หัวหน้ากลุ่มสอง", "รองปลัดกระทรวงหัวหน้ากลุ่มภารกิจด้านพัฒนาการแพทย์"),
        Member("ศาสตราจารย์อิสระ ทรงคุณวุฒิ", "ผู้ทรงคุณวุฒิ (กรรมการอิสระจากภายนอก)", independent=True),
        Member("ผู้แทน ก.พ.ร.", "ผู้แทนสำนักงาน ก.พ.ร.", opdc_nominee=True),
    ]
    working = [Member(f"ผู้แทนสำนักงานปลัดกระทรวง {i}", "นักวิเคราะห์นโยบายและแผน", ps_office=True)
               for i in range(1, 4)]
    working += [Member(f"ผู้แทน{a.department}", "นักวิเคราะห์นโยบายและแผน") for a in agreements[:4]]
    groups = sorted({a.mission_group for a in agreements if a.mission_group})
    return Settings(
        ministry=first.ministry, fiscal_year=first.fiscal_year,
        committees={"oversight": oversight, "negotiation": negotiation, "working_group": working},
        officials={"minister": Official("", f"รัฐมนตรีว่าการ{first.ministry}"),
                   "permanent_secretary": Official("นายแพทย์ปลัด ตัวอย่าง", f"ปลัด{first.ministry}"),
                   "deputy_ps": Official("", f"รองปลัด{first.ministry}")},
        mission_groups={g: Official("", f"รองปลัด{first.ministry} หัวหน้า{g}") for g in groups},
        department_heads={a.department: Official("", f"หัวหน้าส่วนราชการ {a.department}") for a in agreements},
        incentives={"pool": DEMO_POOL},
    )


def setup_folder(agreements, out, stems=None) -> tuple[Path, list]:
    """Make `<out>/ministry` with ministry.yaml and agreements/<stem>.yaml.

    `agreements` are Agreement records or agreement file paths (their stems name the
    departments); without paths or `stems`, departments are named d01, d02, ….
    """
    from ..agreement import dump, load

    loaded, names = [], []
    for i, item in enumerate(agreements, start=1):
        if isinstance(item, (str, Path)):
            agreement, _ = load(item)
            names.append(Path(item).stem)
        else:
            agreement = item
            names.append(f"d{i:02d}")
        loaded.append(agreement)
    stems = list(stems or names)
    folder = Path(out) / "ministry"
    init_folder(folder)
    for stem, agreement in zip(stems, loaded):
        dump(agreement, folder / "agreements" / f"{stem}.yaml")
    settings = demo_settings(loaded)
    assert not check_committees(settings)  # the demo's own roster: a bug if it fails
    save_settings(settings, folder)
    from ..agreement import write_atomic

    write_atomic(folder / "proposals.txt", PROPOSALS.encode("utf-8"))  # the working group's, for the Final Report
    return folder, [("ตั้งค่ากระทรวง — ministry settings", folder / "ministry.yaml"),
                    ("ข้อเสนอแนวทางการดำเนินงานของคณะทำงาน — the working group's proposals", folder / "proposals.txt")]


def _agreements(folder):
    from .results import load_department_baselines

    pairs, _ = load_department_baselines(folder)
    return pairs


def _day(folder, years: int, month: int, day: int) -> str:
    """A B.E. date `years` after the start of the folder's fiscal year (B.E. year N), e.g.
    _day(f, 1, 2, 20) = 20 February of N + 1."""
    from .ministry import load_settings

    settings, _ = load_settings(folder)
    return f"{settings.fiscal_year + years}-{month:02d}-{day:02d}"


PROPOSALS = """1. ควรกำหนดตัวชี้วัดร่วมระหว่างกรมในกลุ่มภารกิจเดียวกันให้มากขึ้น เพื่อให้การดำเนินงานตามแผนปฏิบัติราชการของกลุ่มภารกิจมีเจ้าภาพร่วม

2. ควรให้ส่วนราชการรายงานผลตัวชี้วัดที่วัดได้รายไตรมาสทุกรอบ และกำหนดตัวชี้วัดที่วัดได้ปีละครั้งให้ชัดเจนในคำรับรอง (report_rounds) ตั้งแต่การเจรจา

3. ควรจัดทำฐานข้อมูลผลการดำเนินงานย้อนหลัง 3 ปีของทุกตัวชี้วัด เพื่อใช้กำหนดค่าเป้าหมายระดับ 3 ที่ท้าทายกว่าผลปีที่ผ่านมา
"""


def proposals(folder) -> list:
    """The proposal forms (DOMAIN §3 step 2): the framework's blank form for a department, and
    one department's proposal on the form read back into an agreement file with its findings."""
    from ..framework import load_framework_for
    from ..workbook.proposal import draft_from_agreement, draft_from_framework, write_proposal
    from ..workbook.proposal_import import import_proposal

    pairs = _agreements(folder)
    stem, agreement = pairs[0]
    framework, _ = load_framework_for(agreement)
    out = Path(folder) / "proposals"
    blank, open_ids = draft_from_framework(framework, agreement.department_type, agreement.governance_pilot)
    written = [("แบบเสนอตัวชี้วัด (ว่าง) — the blank proposal form",
                write_proposal(blank, out / f"proposal-blank-{framework.name}.xlsx", open_ids))]
    draft, open_ids = draft_from_agreement(agreement, framework)
    form = write_proposal(draft, out / f"proposal-{stem}.xlsx", open_ids)
    written.append((f"แบบเสนอตัวชี้วัด {agreement.department} — the department's proposal", form))
    imported, findings = import_proposal(form, out / f"proposal-{stem}.yaml")
    if imported is None:  # the demo's own data: a bug if it does not read back
        raise RuntimeError("; ".join(str(f) for f in findings))
    written.append((f"ข้อเสนอที่อ่านกลับเป็นไฟล์คำรับรอง {agreement.department} — the proposal read back", imported))
    return written


def agreement_documents(folder) -> list:
    """Each agreement through the signing gate: one that fails its framework is signed only
    with a reason, printed on the document and kept in signing/<dept>.yaml."""
    from ._io import save_yaml
    from .ministry import load_settings
    from .signing import Override, signing_findings, write_agreement_document

    settings, _ = load_settings(folder)
    out = []
    for stem, agreement in _agreements(folder):
        findings = signing_findings(agreement)
        override = None
        if findings:
            override = Override("คณะกรรมการกำกับฯ มีมติให้ลงนามตามที่เจรจาไว้ และให้ปรับน้ำหนักในปีถัดไป "
                                "(the oversight committee resolved to sign as negotiated and fix the weights next year)",
                                tuple(findings))
            kept = save_yaml(override.to_dict(agreement), Path(folder) / "signing" / f"{stem}.yaml")
            out.append((f"เหตุผลการลงนามแม้ไม่ผ่านกรอบ {agreement.department} — signing override", kept))
        path = write_agreement_document(agreement, settings, Path(folder) / "reports" / f"agreement-{stem}.xlsx",
                                        override=override)
        out.append((f"คำรับรอง {agreement.department} — agreement document", path))
    return out


def change_request(folder) -> list:
    """The first department asks to ease its first threshold indicator's criteria by a
    quarter of a step; the working group's analysis is written; the committee approves."""
    import copy

    from ..agreement import dump
    from .changes import baseline_for, decide, diff_agreements, new_request, save_request, write_change_analysis

    stem, agreement = _agreements(folder)[0]
    proposed = copy.deepcopy(agreement)
    target = next(i for i in proposed.leaves() if i.kind == THRESHOLD and i.applicable and not i.granted
                  and i.thresholds and None not in i.thresholds)
    step = abs(target.thresholds[1] - target.thresholds[0]) / 4
    shift = -step if target.direction == "up" else step
    target.thresholds = [round(t + shift, 4) for t in target.thresholds]
    changes = diff_agreements(agreement, proposed)
    request = new_request(folder, stem, changes, f"ขอปรับเกณฑ์การให้คะแนนตัวชี้วัด {target.id} "
                                                 f"(request to ease indicator {target.id}'s criteria)", _day(folder, 0, 1, 15))
    analysis = write_change_analysis(changes, Path(folder) / "reports" / f"change-{stem}-{request.number}.xlsx",
                                     old=agreement, request=request)
    save_request(decide(request, True, _day(folder, 0, 2, 10), "คณะกรรมการเจรจาฯ อนุมัติ (approved by the committee)"))
    analysis = write_change_analysis(changes, analysis, old=agreement, request=request)
    baseline, _ = baseline_for(folder, stem)
    baseline_path = Path(folder) / "reports" / f"baseline-{stem}.yaml"
    dump(baseline, baseline_path)
    return [(f"คำขอเปลี่ยนแปลง {agreement.department} — change request", request.path),
            ("วิเคราะห์คำขอเปลี่ยนแปลง — change analysis", analysis),
            ("คำรับรองฉบับที่ใช้ตรวจ — baseline after the approved change", baseline_path)]


def progress(folder) -> list:
    from .progress import write_progress

    path = Path(folder) / "reports" / "progress.xlsx"
    from .approvals import load_approvals

    write_progress([a for _, a in _agreements(folder)], path, load_approvals(folder)[0])
    return [("ความก้าวหน้าและคะแนนรายรอบ (6, 9, 12 เดือน) — progress and scores by round", path)]


def _approve(folder, round_: str, stages, dates, refs) -> list:
    from .approvals import APPROVALS_FILE, current_totals, record_step, stage_text
    from .results import ministry_results

    results, _, _ = ministry_results(folder)
    out = []
    for stage, day, ref in zip(stages, dates, refs):
        step, findings = record_step(folder, round_, stage, day, ref, current_totals(results, round_))
        if step is None:
            raise RuntimeError("; ".join(str(f) for f in findings))
        th, en = stage_text(round_, stage)
        out.append((f"{th} — {en} ({day})", Path(folder) / APPROVALS_FILE))
    return out[-1:]


def round1_approved(folder) -> list:
    """Round-1 scores: drafted by the working group, vetted, approved by the oversight committee."""
    return _approve(folder, "round1", ("drafted", "vetted", "approved"),
                    [_day(folder, 0, 12, 1), _day(folder, 0, 12, 8), _day(folder, 0, 12, 15)],
                    ["บันทึกคณะทำงาน ครั้งที่ 6", "ประชุมคณะกรรมการเจรจาฯ ครั้งที่ 4", "ประชุมคณะกรรมการกำกับฯ ครั้งที่ 3"])


def round1_notices(folder) -> list:
    """The round-1 notice to each department, then the notices recorded as sent."""
    from .notices import write_round1_notices

    out = [(f"หนังสือแจ้งผลรอบที่ 1 ({stem}) — round-1 notice", path) for stem, path in write_round1_notices(folder)]
    return out + _approve(folder, "round1", ("sent",), [_day(folder, 0, 12, 20)], ["หนังสือกระทรวง ที่ สธ 0201/ว 100"])


def review_request(folder) -> list:
    """The lowest-scoring department asks to revisit its weakest indicator it may contest; the
    working group's analysis is written; the committee approves the result reaching level 5."""
    from ..engine import score_agreement
    from .notices import contestable
    from .reviews import decide_review, new_review, save_review, write_review_analysis

    pairs = _agreements(folder)
    stem, agreement = min(pairs, key=lambda p: score_agreement(p[1], 12).total)
    scores = score_agreement(agreement, 12).by_id()
    candidates = [i for i in contestable(agreement) if i.kind == THRESHOLD and 12 in i.result
                  and scores[i.id].score < 5]
    if not candidates:
        return []
    target = min(candidates, key=lambda i: scores[i.id].score)
    review = new_review(folder, stem, target.id, "ผลการดำเนินงานที่ตรวจสอบแล้วหลังปิดรอบ "
                                                 "(audited result after the round closed)", 12,
                        requested_result=target.thresholds[-1], submitted_on=_day(folder, 0, 12, 28))
    analysis = write_review_analysis(review, agreement, Path(folder) / "reports" / f"review-{stem}-{review.number}.xlsx")
    save_review(decide_review(review, True, _day(folder, 1, 1, 20), "เห็นชอบตามหลักฐาน (approved on the evidence)"))
    return [(f"คำขอทบทวน {agreement.department} — review request", review.path),
            ("วิเคราะห์คำขอทบทวน — review analysis", analysis)]


def opdc_results(folder) -> list:
    """OPDC's ministry- and mission-group-level results (February of the next year)."""
    from ._io import save_yaml
    from .opdc import record_opdc_results

    groups = sorted({a.mission_group for _, a in _agreements(folder) if a.mission_group})
    typed = save_yaml({"received_on": _day(folder, 1, 2, 20), "reference": "หนังสือสำนักงาน ก.พ.ร. ที่ นร 1200/50",
                       "ministry": {"1.1": 3.8125, "1.2": 4.25, "1.3": 4},
                       "mission_groups": {g: {"2": 3.5 + 0.5 * n} for n, g in enumerate(groups)}},
                      Path(folder) / "inbox" / "opdc-results.yaml")
    path, findings = record_opdc_results(folder, typed)
    if path is None:
        raise RuntimeError("; ".join(str(f) for f in findings))
    return [("ผลระดับกระทรวงและกลุ่มภารกิจจาก ก.พ.ร. — OPDC's results", path)]


def final_certified(folder) -> list:
    """Final scores: drafted, vetted, approved, sent to OPDC, certified, announced."""
    return _approve(folder, "final", ("drafted", "vetted", "approved", "sent", "certified", "announced"),
                    [_day(folder, 1, 3, d) for d in (2, 5, 9, 10, 24, 31)],
                    ["บันทึกคณะทำงาน ครั้งที่ 8", "ประชุมคณะกรรมการเจรจาฯ ครั้งที่ 6", "ประชุมคณะกรรมการกำกับฯ ครั้งที่ 5",
                     "หนังสือกระทรวง ที่ สธ 0201/300", "หนังสือสำนักงาน ก.พ.ร. ที่ นร 1200/120", "ประกาศกระทรวง"])


def final_report(folder) -> list:
    from .final_report import final_report_inputs, write_final_report
    from .results import ministry_results

    results, allocation, _ = ministry_results(folder)
    path = write_final_report(results, allocation, Path(folder) / "reports" / "final-report.xlsx",
                              **final_report_inputs(folder))
    return [("รายงานสรุปผลประจำปี (Final Report) — ministry results, approvals, proposals", path)]


def incentives(folder) -> list:
    """The reward pool allocated from the certified final scores."""
    from ._io import save_yaml
    from .approvals import certified_totals
    from .results import ministry_results

    results, allocation, _ = ministry_results(folder)
    certified, findings = certified_totals(folder, results)
    if certified is None or allocation is None:
        raise RuntimeError("; ".join(str(f) for f in findings) or "no incentive pool")
    path = save_yaml({"pool": allocation.pool, "from": "certified final scores", "rows": [
        {"department": r.department, "score": r.score, "tier": r.tier, "staff": r.staff, "amount": r.amount}
        for r in allocation.rows]}, Path(folder) / "reports" / "incentives.yaml")
    return [("การจัดสรรสิ่งจูงใจจากผลที่รับรองแล้ว — incentives from certified scores", path)]


#: Before the rounds (the agreements signed, a KPI change), and after them.
SIGNING_STEPS = (proposals, agreement_documents, change_request)
YEAR_STEPS = (progress, round1_approved, round1_notices, review_request, opdc_results, final_certified,
              final_report, incentives)


def run_cycle(agreements, out, stems=None) -> list:
    """Every step in order; returns [(label, path)] of what was written."""
    folder, written = setup_folder(agreements, out, stems)
    for step in SIGNING_STEPS + YEAR_STEPS:
        written += step(folder)
    return written
