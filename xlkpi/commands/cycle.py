"""Commands for the agreement cycle: calendar, committees, documents, change and review
requests, progress, final report, incentives.  Each is a thin wrapper over xlkpi.cycle."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import EXIT_FINDINGS, EXIT_USAGE, load_agreement_or_exit, print_findings, print_json


def register(app: typer.Typer) -> None:
    app.command("calendar")(calendar)
    app.command("committees")(committees)
    app.command("sign")(sign)
    change_app = typer.Typer(help="คำขอเปลี่ยนแปลงรายละเอียดตัวชี้วัด — change requests", no_args_is_help=True)
    change_app.command("diff")(change_diff)
    change_app.command("request")(change_request)
    change_app.command("decide")(change_decide)
    change_app.command("baseline")(change_baseline)
    app.add_typer(change_app, name="change")
    review_app = typer.Typer(help="คำขอทบทวนผลการประเมิน — review requests", no_args_is_help=True)
    review_app.command("add")(review_add)
    review_app.command("decide")(review_decide)
    review_app.command("oversight")(review_oversight)
    app.add_typer(review_app, name="review")
    app.command("opdc-results")(opdc_results)
    app.command("approve")(approve)
    app.command("notice")(notice)
    app.command("progress")(progress)
    report_app = typer.Typer(help="รายงานผล — reports", no_args_is_help=True)
    report_app.command("final")(report_final)
    app.add_typer(report_app, name="report")
    app.command("incentives")(incentives)


def _date_or_exit(text: str):
    from ..cycle.calendar import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_USAGE)


def calendar(
    year: int = typer.Argument(..., help="ปีงบประมาณ พ.ศ. เช่น 2552 — fiscal year (B.E.)"),
    on: Optional[str] = typer.Option(None, "--on", help="วันที่ YYYY-MM-DD (ค.ศ. หรือ พ.ศ.) — show what is due on this date"),
    folder: Optional[Path] = typer.Option(None, "--folder", help="โฟลเดอร์กระทรวง — the ministry folder, to tell what is done"),
    as_json: bool = typer.Option(False, "--json", help="พิมพ์ JSON — JSON on stdout"),
):
    """ปฏิทินการดำเนินงาน — the fiscal year's milestones (and their state on a date)."""
    from ..cycle.calendar import STATUS_TEXT, milestones, status_on

    if not 2500 <= year <= 2700:
        typer.echo(f"ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2552 / the fiscal year must be B.E., e.g. 2552, not {year}", err=True)
        raise typer.Exit(EXIT_USAGE)
    if on is None and folder is None:
        rows = [(m, None, "") for m in milestones(year)]
    else:
        from datetime import date

        day = _date_or_exit(on) if on else date.today()
        rows = [(s.milestone, s.status, s.evidence) for s in status_on(year, day, folder)]
    if as_json:
        print_json([{"key": m.key, "when_th": m.when_th, "start": m.start.isoformat(), "due": m.due.isoformat(),
                     "th": m.th, "en": m.en, **({"status": st, "evidence": ev} if st else {})}
                    for m, st, ev in rows])
        return
    for m, status, _ in rows:
        state = f"  [{STATUS_TEXT[status][0]} / {STATUS_TEXT[status][1]}]" if status else ""
        typer.echo(f"{m.when_th:<28} (due {m.due.isoformat()}){state}\n    {m.th}\n    {m.en}")


def _settings_or_exit(folder: Path, as_json: bool = False):
    from ..cycle.ministry import load_settings

    settings, findings = load_settings(folder)
    if settings is None or any(f.is_error for f in findings):
        if as_json:
            print_json({"findings": [f.to_dict() for f in findings]})
        else:
            print_findings(findings)
        raise typer.Exit(EXIT_FINDINGS)
    print_findings(findings)
    return settings


def committees(
    folder: Path = typer.Argument(..., help="โฟลเดอร์กระทรวงหรือ ministry.yaml — the ministry folder"),
    as_json: bool = typer.Option(False, "--json"),
):
    """ตรวจองค์ประกอบคณะกรรมการ — check the committee roster against DOMAIN §1."""
    from ..cycle.ministry import check_committees

    settings = _settings_or_exit(folder, as_json)
    findings = check_committees(settings)
    if as_json:
        print_json({"findings": [f.to_dict() for f in findings]})
    else:
        print_findings(findings, None)
        if not findings:
            typer.echo("ผ่าน — the committees are composed as DOMAIN §1 requires")
    if any(f.is_error for f in findings):
        raise typer.Exit(EXIT_FINDINGS)


def sign(
    agreement: Path = typer.Argument(..., help="ไฟล์คำรับรอง — the agreement file"),
    output: Path = typer.Option(..., "--output", "-o", help="สมุดงานที่จะเขียน — the .xlsx to write"),
    folder: Optional[Path] = typer.Option(None, "--folder", help="โฟลเดอร์กระทรวง (ชื่อผู้ลงนาม) — for signatories' names"),
    framework: Optional[str] = typer.Option(None, "--framework", help="กรอบการประเมิน — the framework (name or file)"),
    override_reason: str = typer.Option("", "--override-reason",
                                        help="ลงนามแม้ไม่ผ่านกรอบ ด้วยเหตุผลนี้ — sign despite the findings, for this reason"),
):
    """พิมพ์คำรับรองสำหรับลงนาม — write the printable agreement document.

    An agreement that fails its framework is not written (exit 1, with the findings) unless
    --override-reason is given: the reason is then printed on the document and kept beside it
    (signing/<file>.yaml in the ministry folder, or <output>.override.yaml)."""
    from ..cycle._io import save_yaml
    from ..cycle.signing import Override, signing_findings, write_agreement_document

    loaded = load_agreement_or_exit(agreement)
    settings = _settings_or_exit(folder) if folder else None
    findings = signing_findings(loaded, framework)
    override = None
    if findings:
        print_findings(findings)
        if not override_reason.strip():
            typer.echo("คำรับรองไม่เป็นไปตามกรอบการประเมินผล จึงไม่พิมพ์ (ระบุ --override-reason เพื่อลงนามโดยมีเหตุผล) / "
                       "the agreement does not fit its framework: not written (give --override-reason to sign anyway)",
                       err=True)
            raise typer.Exit(EXIT_FINDINGS)
        override = Override(override_reason.strip(), tuple(findings))
    write_agreement_document(loaded, settings, output, override=override)
    typer.echo(str(output))
    if override is not None:
        kept = (Path(folder) / "signing" / f"{agreement.stem}.yaml" if folder
                else output.with_name(output.name + ".override.yaml"))
        save_yaml(override.to_dict(loaded), kept)
        typer.echo(str(kept))


def change_diff(
    old: Path = typer.Argument(..., help="ฉบับเดิม — the old version (.yaml/.json/.xlsx)"),
    new: Path = typer.Argument(..., help="ฉบับใหม่ — the new version"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="สมุดงานวิเคราะห์ — write the analysis workbook"),
    as_json: bool = typer.Option(False, "--json"),
):
    """เปรียบเทียบสองฉบับ — compare two versions of an agreement field by field."""
    from ..cycle.changes import KIND_TEXT, _show, diff_agreements, write_change_analysis

    versions = []
    for path in (old, new):
        if not path.exists():
            typer.echo(f"ไม่พบไฟล์ / file not found: {path}", err=True)
            raise typer.Exit(EXIT_USAGE)
        versions.append(_load_any_or_exit(path, as_json))
    changes = diff_agreements(*versions)
    if output:
        write_change_analysis(changes, output, old=versions[0])
    if as_json:
        print_json({"old": str(old), "new": str(new), "changes": [c.to_dict() for c in changes]})
        return
    for c in changes:
        typer.echo(f"{c.indicator or '(agreement)'}\t{c.field or '*'}\t{KIND_TEXT[c.kind]}\t"
                   f"{_show(c.old)} → {_show(c.new)}")
    typer.echo(f"{len(changes)} รายการเปลี่ยนแปลง — changes")


def _load_any_or_exit(path: Path, as_json: bool = False):
    from ..cycle.changes import load_any

    loaded, findings = load_any(path)
    if loaded is None or any(f.is_error for f in findings):
        if as_json:
            print_json({"file": str(path), "findings": [f.to_dict() for f in findings]})
        else:
            print_findings(findings)
        raise typer.Exit(EXIT_FINDINGS)
    return loaded


def change_request(
    folder: Path = typer.Argument(..., help="โฟลเดอร์กระทรวง — the ministry folder"),
    department: str = typer.Argument(..., help="รหัสส่วนราชการ (ชื่อไฟล์ใน agreements/) — the department's file stem"),
    proposed: Path = typer.Argument(..., help="คำรับรองฉบับที่ขอเปลี่ยน — the proposed version"),
    reason: str = typer.Option("", "--reason", help="เหตุผล — the department's reason"),
    submitted: str = typer.Option("", "--date", help="วันที่ยื่น — date submitted"),
):
    """บันทึกคำขอเปลี่ยนแปลง — record a change request (its diff against the current baseline)."""
    from ..cycle.changes import baseline_for, diff_agreements, new_request, write_change_analysis

    base, findings = baseline_for(folder, department)
    if base is None:
        print_findings(findings)
        raise typer.Exit(EXIT_FINDINGS)
    changes = diff_agreements(base, _load_any_or_exit(proposed))
    request = new_request(folder, department, changes, reason, submitted)
    analysis = Path(folder) / "reports" / f"change-{department}-{request.number}.xlsx"
    write_change_analysis(changes, analysis, old=base, request=request)
    typer.echo(f"{request.path}\n{analysis}\n{len(changes)} รายการเปลี่ยนแปลง — changes")


def change_decide(
    request: Path = typer.Argument(..., help="ไฟล์คำขอ changes/<dept>-<n>.yaml — the request file"),
    approved: Optional[bool] = typer.Option(None, "--approved/--rejected", help="อนุมัติ / ไม่อนุมัติ"),
    date: str = typer.Option(..., "--date", help="วันที่คณะกรรมการพิจารณา — decision date"),
    note: str = typer.Option("", "--note", help="หมายเหตุ — the committee's note"),
):
    """บันทึกผลการพิจารณาคำขอเปลี่ยนแปลง — record the committee's decision."""
    from ..cycle.changes import decide, load_request, save_request

    if approved is None:
        typer.echo("ต้องระบุ --approved หรือ --rejected / give --approved or --rejected", err=True)
        raise typer.Exit(EXIT_USAGE)
    _date_or_exit(date)
    loaded, findings = load_request(request)
    if loaded is None or any(f.is_error for f in findings):
        print_findings(findings)
        raise typer.Exit(EXIT_FINDINGS)
    save_request(decide(loaded, approved, date, note), request)
    typer.echo(f"{request}: {loaded.decision} {date}")


def change_baseline(
    folder: Path = typer.Argument(..., help="โฟลเดอร์กระทรวง — the ministry folder"),
    department: str = typer.Argument(..., help="รหัสส่วนราชการ — the department's file stem"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="เขียนไฟล์ — write it (.yaml/.json)"),
):
    """คำรับรองฉบับที่ใช้ตรวจ — the signed agreement with approved changes applied."""
    from ..agreement import dump, dumps
    from ..cycle.changes import baseline_for

    base, findings = baseline_for(folder, department)
    print_findings(findings)
    if base is None or any(f.is_error for f in findings):
        raise typer.Exit(EXIT_FINDINGS)
    if output:
        dump(base, output)
        typer.echo(str(output))
    else:
        typer.echo(dumps(base))


def review_add(
    folder: Path = typer.Argument(..., help="โฟลเดอร์กระทรวง — the ministry folder"),
    department: str = typer.Argument(..., help="รหัสส่วนราชการ — the department's file stem"),
    indicator: str = typer.Argument(..., help="ตัวชี้วัด — indicator id"),
    reason: str = typer.Option(..., "--reason", help="เหตุผล — the reason"),
    result: Optional[float] = typer.Option(None, "--result", help="ผลที่ขอ — the result asked for"),
    score: Optional[float] = typer.Option(None, "--score", help="คะแนนที่ขอ — the score asked for"),
    round_: int = typer.Option(12, "--round", help="รอบ — round"),
    date: str = typer.Option("", "--date", help="วันที่ยื่น — date submitted"),
    changes_framework: bool = typer.Option(False, "--changes-framework",
                                           help="คำขอนี้เปลี่ยนกรอบการประเมินผล — the request would change the framework"),
):
    """บันทึกคำขอทบทวนผลการประเมิน — record a review request and write the working group's
    analysis workbook (reports/review-<dept>-<n>.xlsx)."""
    from ..cycle.changes import baseline_for
    from ..cycle.reviews import check_new_review, new_review, write_review_analysis

    if date:
        _date_or_exit(date)
    findings = check_new_review(folder, department, indicator, round_)
    if findings:
        print_findings(findings)
        raise typer.Exit(EXIT_FINDINGS)
    review = new_review(folder, department, indicator, reason, round_, result, score, date, changes_framework)
    base, _ = baseline_for(folder, department)
    analysis = write_review_analysis(review, base, Path(folder) / "reports" / f"review-{department}-{review.number}.xlsx")
    typer.echo(f"{review.path}\n{analysis}")
    if changes_framework:
        typer.echo("คำขอนี้เปลี่ยนกรอบการประเมินผล: ต้องเสนอคณะกรรมการกำกับฯ พิจารณา (xlkpi review oversight) / "
                   "it changes the framework: the oversight committee must decide it (xlkpi review oversight)")


def review_decide(
    request: Path = typer.Argument(..., help="ไฟล์คำขอ reviews/<dept>-<n>.yaml"),
    approved: Optional[bool] = typer.Option(None, "--approved/--rejected"),
    date: str = typer.Option(..., "--date"),
    note: str = typer.Option("", "--note"),
    result: Optional[float] = typer.Option(None, "--result", help="ผลที่คณะกรรมการกำหนด — the result decided"),
    score: Optional[float] = typer.Option(None, "--score", help="คะแนนที่คณะกรรมการกำหนด — the score decided"),
):
    """บันทึกผลการพิจารณาคำขอทบทวน — record the committee's decision on a review request."""
    from ..cycle.reviews import decide_review, load_review, save_review

    if approved is None:
        typer.echo("ต้องระบุ --approved หรือ --rejected / give --approved or --rejected", err=True)
        raise typer.Exit(EXIT_USAGE)
    _date_or_exit(date)
    loaded, findings = load_review(request)
    if loaded is None or any(f.is_error for f in findings):
        print_findings(findings)
        raise typer.Exit(EXIT_FINDINGS)
    save_review(decide_review(loaded, approved, date, note, result, score), request)
    typer.echo(f"{request}: {loaded.decision} {date}")


def opdc_results(
    folder: Path = typer.Argument(..., help="โฟลเดอร์กระทรวง — the ministry folder"),
    file: Path = typer.Argument(..., help="ไฟล์ผลจาก ก.พ.ร. (YAML) — OPDC's results, typed in"),
    received: str = typer.Option("", "--received", help="วันที่ได้รับ — date received (else received_on in the file)"),
):
    """บันทึกผลระดับกระทรวงและกลุ่มภารกิจจาก ก.พ.ร. — record OPDC's ministry and mission-group results
    (indicators 1 and 2 of each department take them; DOMAIN §3)."""
    from ..cycle.opdc import record_opdc_results

    if received:
        _date_or_exit(received)
    if not file.exists():
        typer.echo(f"ไม่พบไฟล์ / file not found: {file}", err=True)
        raise typer.Exit(EXIT_USAGE)
    path, findings = record_opdc_results(folder, file, received)
    print_findings(findings)
    if path is None:
        raise typer.Exit(EXIT_FINDINGS)
    typer.echo(str(path))


def approve(
    folder: Path = typer.Argument(..., help="โฟลเดอร์กระทรวง — the ministry folder"),
    stage: str = typer.Argument(..., help="drafted | vetted | approved | sent | certified | announced"),
    round_: str = typer.Option(..., "--round", help="1 (ผลรอบที่ 1 round 1) หรือ final (ผลรอบสุดท้าย)"),
    date: str = typer.Option(..., "--date", help="วันที่ประชุม/หนังสือ — date of the meeting or letter"),
    ref: str = typer.Option("", "--ref", help="ครั้งที่ประชุม/เลขที่หนังสือ — meeting or letter reference"),
):
    """บันทึกขั้นตอนการพิจารณาผลคะแนน — record the next approval step of round-1 or final scores
    (drafted → vetted → approved → sent; final: … → sent → certified → announced), in order only."""
    from ..cycle.approvals import current_totals, record_step, round_key, stage_text
    from ..cycle.results import ministry_results

    key = round_key(round_)
    if key is None:
        typer.echo(f"--round ต้องเป็น 1 หรือ final / --round must be 1 or final, not {round_!r}", err=True)
        raise typer.Exit(EXIT_USAGE)
    _date_or_exit(date)
    results, _, findings = ministry_results(folder)
    if not results:
        print_findings(findings)
        typer.echo("ไม่มีคำรับรองใน agreements/ / no agreements in the folder", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    step, findings = record_step(folder, key, stage.strip().lower(), date, ref, current_totals(results, key))
    if step is None:
        print_findings(findings)
        raise typer.Exit(EXIT_FINDINGS)
    th, en = stage_text(key, step.stage)
    typer.echo(f"{Path(folder) / 'approvals.yaml'}: {key} {step.stage} — {th} / {en} {step.date} {step.ref}".rstrip())


def review_oversight(
    request: Path = typer.Argument(..., help="ไฟล์คำขอ reviews/<dept>-<n>.yaml"),
    approved: Optional[bool] = typer.Option(None, "--approved/--rejected"),
    date: str = typer.Option(..., "--date", help="วันที่ประชุม — meeting date"),
    ref: str = typer.Option("", "--ref", help="ครั้งที่ประชุม — meeting reference"),
):
    """ผลการพิจารณาของคณะกรรมการกำกับฯ — the oversight committee's decision on a review request
    that changes the framework (DOMAIN §3: for decision, not only acknowledgement)."""
    from ..cycle.reviews import decide_oversight, load_review, save_review

    if approved is None:
        typer.echo("ต้องระบุ --approved หรือ --rejected / give --approved or --rejected", err=True)
        raise typer.Exit(EXIT_USAGE)
    _date_or_exit(date)
    loaded, findings = load_review(request)
    if loaded is None or any(f.is_error for f in findings):
        print_findings(findings)
        raise typer.Exit(EXIT_FINDINGS)
    if not loaded.changes_framework:
        from ..findings import error

        print_findings([error(
            "REV-NOT-FRAMEWORK", "คำขอนี้ไม่ได้เปลี่ยนกรอบการประเมินผล คณะกรรมการเจรจาฯ เป็นผู้พิจารณา",
            "this request does not change the framework: the negotiation committee decides it", file=str(request))])
        raise typer.Exit(EXIT_FINDINGS)
    save_review(decide_oversight(loaded, approved, date, ref), request)
    typer.echo(f"{request}: oversight {loaded.oversight_decision} {date}")


def notice(
    folder: Path = typer.Argument(..., help="โฟลเดอร์กระทรวง — the ministry folder"),
):
    """หนังสือแจ้งผลรอบที่ 1 — a printable round-1 notice per department (its scores, what it may
    contest, the deadline), in reports/round1-notice-<dept>.xlsx."""
    from ..cycle.notices import write_round1_notices

    written = write_round1_notices(folder)
    if not written:
        typer.echo("ไม่มีคำรับรองใน agreements/ / no agreements in the folder", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    for _, path in written:
        typer.echo(str(path))


def progress(
    folder: Path = typer.Argument(..., help="โฟลเดอร์กระทรวง — the ministry folder"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="สมุดงาน — write the progress workbook"),
    as_json: bool = typer.Option(False, "--json"),
):
    """ความก้าวหน้ารายรอบ — which department has reported which round, and what is missing."""
    from ..cycle.approvals import FINAL, ROUND1, load_approvals, state_text
    from ..cycle.progress import STATUS_TEXT, progress as table, write_progress
    from ..cycle.results import load_baselines
    from ..engine import score_agreement

    agreements, findings = load_baselines(folder)
    approvals, more = load_approvals(folder)
    print_findings(findings + more)
    rows = table(agreements)
    scores = {a.department: {r: score_agreement(a, r) for r in (6, 9, 12)} for a in agreements}
    if output:
        write_progress(agreements, output, approvals)
    states = {key: state_text(approvals, key) for key in (ROUND1, FINAL)}
    if as_json:
        data = {d: {str(r): {"status": p.status, "reported": p.reported, "needed": p.needed, "missing": p.missing,
                             "total": scores[d][r].total, "covered_weight": scores[d][r].covered_weight}
                    for r, p in rounds.items()} for d, rounds in rows.items()}
        print_json({**data, "approvals": {k: v[1] for k, v in states.items()}})
        return
    for department, rounds in rows.items():
        typer.echo(department)
        for r, p in rounds.items():
            missing = f" — ขาด missing: {', '.join(p.missing)}" if p.missing else ""
            score = scores[department][r]
            typer.echo(f"  รอบ {r:>2} เดือน: {p.reported}/{p.needed} {STATUS_TEXT[p.status]}  "
                       f"คะแนน {score.total:.4f} จากน้ำหนัก {score.covered_weight:g} ของ {score.full_weight:g}{missing}")
    for key, label in ((ROUND1, "ผลรอบที่ 1 (round 1)"), (FINAL, "ผลรอบสุดท้าย (final)")):
        typer.echo(f"{label}: {states[key][0]} — {states[key][1]}")


def report_final(
    folder: Path = typer.Argument(..., help="โฟลเดอร์กระทรวง — the ministry folder"),
    output: Path = typer.Option(..., "--output", "-o", help="Final Report .xlsx"),
):
    """รายงานสรุปผลการประเมินประจำปี — write the Final Report workbook."""
    from ..cycle.final_report import final_report_inputs, write_final_report
    from ..cycle.results import ministry_results

    results, allocation, findings = ministry_results(folder)
    print_findings(findings)
    if not results:
        raise typer.Exit(EXIT_FINDINGS)
    write_final_report(results, allocation, output, **final_report_inputs(folder))
    typer.echo(str(output))


def incentives(
    folder: Path = typer.Argument(..., help="โฟลเดอร์กระทรวง — the ministry folder"),
    as_json: bool = typer.Option(False, "--json"),
):
    """จัดสรรสิ่งจูงใจ — allocate the reward pool by the tiers in ministry.yaml."""
    from ..cycle.results import ministry_results

    from ..cycle.approvals import certified_totals

    results, allocation, findings = ministry_results(folder)
    print_findings(findings)
    if allocation is None:
        typer.echo("ไม่มีวงเงินสิ่งจูงใจใน ministry.yaml (incentives.pool) / no incentive pool set", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    certified, findings = certified_totals(folder, results)  # incentives use certified scores only
    if certified is None:
        print_findings(findings)
        raise typer.Exit(EXIT_FINDINGS)
    if as_json:
        print_json({"pool": allocation.pool, "rows": [
            {"department": r.department, "score": r.score, "staff": r.staff, "tier": r.tier, "eligible": r.eligible,
             "amount": r.amount} for r in allocation.rows]})
        return
    for r in allocation.rows:
        score = "–" if r.score is None else f"{r.score:.4f}"
        typer.echo(f"{r.department}\t{score}\t{r.tier}\t{r.staff}\t{r.amount:,}")
    typer.echo(f"รวม total {allocation.total:,} / pool {allocation.pool:,}")
