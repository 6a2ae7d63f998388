"""The cycle's steps for the demo (`xlkpi demo`, `make demo`) on the sample ministry.

Each step takes the ministry folder that `setup_folder` makes and returns a list of
(label, path) of what it wrote; `run_cycle(agreements, out)` runs them all in order.

The demo's ministry settings (committee roster, signatories, incentive pool) are made up
for the demo and pass `check_committees`.
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
    return folder, [("ตั้งค่ากระทรวง — ministry settings", folder / "ministry.yaml")]


def _agreements(folder):
    from .results import load_department_baselines

    pairs, _ = load_department_baselines(folder)
    return pairs


def agreement_documents(folder) -> list:
    from .ministry import load_settings
    from .signing import write_agreement_document

    settings, _ = load_settings(folder)
    out = []
    for stem, agreement in _agreements(folder):
        path = write_agreement_document(agreement, settings, Path(folder) / "reports" / f"agreement-{stem}.xlsx")
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
                                                 f"(request to ease indicator {target.id}'s criteria)", "2552-01-15")
    analysis = write_change_analysis(changes, Path(folder) / "reports" / f"change-{stem}-{request.number}.xlsx",
                                     old=agreement, request=request)
    save_request(decide(request, True, "2552-02-10", "คณะกรรมการเจรจาฯ อนุมัติ (approved by the committee)"))
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
    write_progress([a for _, a in _agreements(folder)], path)
    return [("ความก้าวหน้ารายรอบ — progress by round", path)]


def review_request(folder) -> list:
    """The lowest-scoring department asks to revisit its weakest threshold indicator; the
    committee approves the result reaching level 5."""
    from ..engine import score_agreement
    from .reviews import decide_review, new_review, save_review

    pairs = _agreements(folder)
    stem, agreement = min(pairs, key=lambda p: score_agreement(p[1], 12).total)
    scores = score_agreement(agreement, 12).by_id()
    candidates = [i for i in agreement.leaves() if i.kind == THRESHOLD and i.applicable and not i.granted
                  and 12 in i.result and scores[i.id].score is not None and scores[i.id].score < 5]
    if not candidates:
        return []
    target = min(candidates, key=lambda i: scores[i.id].score)
    review = new_review(folder, stem, target.id, "ผลการดำเนินงานที่ตรวจสอบแล้วหลังปิดรอบ "
                                                 "(audited result after the round closed)", 12,
                        requested_result=target.thresholds[-1], submitted_on="2552-12-20")
    save_review(decide_review(review, True, "2553-01-20", "เห็นชอบตามหลักฐาน (approved on the evidence)"))
    return [(f"คำขอทบทวน {agreement.department} — review request", review.path)]


def final_report(folder) -> list:
    from .final_report import write_final_report
    from .results import ministry_results

    results, allocation, _ = ministry_results(folder)
    path = write_final_report(results, allocation, Path(folder) / "reports" / "final-report.xlsx")
    return [("รายงานสรุปผลประจำปี (Final Report) — ministry results and incentives", path)]


def run_cycle(agreements, out, stems=None) -> list:
    """Every step in order; returns [(label, path)] of what was written."""
    folder, written = setup_folder(agreements, out, stems)
    for step in (agreement_documents, change_request, progress, review_request, final_report):
        written += step(folder)
    return written
