"""Commands for the cycle after the rounds: review requests, round-1 and final approvals, the
round-1 notice, OPDC's results, the Final Report, incentives (docs/cycle.md, in that order).
Each is a thin wrapper over xlkpi.cycle."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import (EXIT_FINDINGS, EXIT_USAGE, ministry_option, print_findings, print_json, round_option,
                     round_or_exit)
from .cycle import _date_or_exit, decision_request_or_exit


def register(app: typer.Typer) -> None:
    review_app = typer.Typer(help="คำขอทบทวนผลการประเมิน — review requests", no_args_is_help=True)
    review_app.command("add")(review_add)
    review_app.command("decide")(review_decide)
    review_app.command("oversight")(review_oversight)
    app.add_typer(review_app, name="review")
    app.command("approve")(approve)
    app.command("notice")(notice)
    app.command("opdc-results")(opdc_results)
    report_app = typer.Typer(help="รายงานผล — reports", no_args_is_help=True)
    report_app.command("final")(report_final)
    app.add_typer(report_app, name="report")
    app.command("incentives")(incentives)


def review_add(
    folder: Path = ministry_option(),
    department: str = typer.Argument(..., help="รหัสส่วนราชการ — the department's file stem"),
    indicator: str = typer.Argument(..., help="ตัวชี้วัด — indicator id"),
    reason: str = typer.Option(..., "--reason", help="เหตุผล — the reason"),
    result: Optional[float] = typer.Option(None, "--result", help="ผลที่ขอ — the result asked for"),
    score: Optional[float] = typer.Option(None, "--score", help="คะแนนที่ขอ — the score asked for"),
    round_: int = round_option(12),
    date: str = typer.Option("", "--date", help="วันที่ยื่น — date submitted"),
    changes_framework: bool = typer.Option(False, "--changes-framework",
                                           help="คำขอนี้เปลี่ยนกรอบการประเมินผล — the request would change the framework"),
):
    """บันทึกคำขอทบทวนผลการประเมิน — record a review request and write the working group's
    analysis workbook (reports/review-<dept>-<n>.xlsx)."""
    from ..cycle.changes import baseline_for
    from ..cycle.reviews import check_new_review, new_review, write_review_analysis

    round_or_exit(round_)
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

    loaded = decision_request_or_exit(approved, date, load_review, request)
    save_review(decide_review(loaded, approved, date, note, result, score), request)
    typer.echo(f"{request}: {loaded.decision} {date}")


def review_oversight(
    request: Path = typer.Argument(..., help="ไฟล์คำขอ reviews/<dept>-<n>.yaml"),
    approved: Optional[bool] = typer.Option(None, "--approved/--rejected"),
    date: str = typer.Option(..., "--date", help="วันที่ประชุม — meeting date"),
    ref: str = typer.Option("", "--ref", help="ครั้งที่ประชุม — meeting reference"),
):
    """ผลการพิจารณาของคณะกรรมการกำกับฯ — the oversight committee's decision on a review request
    that changes the framework (DOMAIN §3: for decision, not only acknowledgement)."""
    from ..cycle.reviews import decide_oversight, load_review, save_review

    loaded = decision_request_or_exit(approved, date, load_review, request)
    if not loaded.changes_framework:
        from ..findings import error

        print_findings([error(
            "REV-NOT-FRAMEWORK", "คำขอนี้ไม่ได้เปลี่ยนกรอบการประเมินผล คณะกรรมการเจรจาฯ เป็นผู้พิจารณา",
            "this request does not change the framework: the negotiation committee decides it", file=str(request))])
        raise typer.Exit(EXIT_FINDINGS)
    save_review(decide_oversight(loaded, approved, date, ref), request)
    typer.echo(f"{request}: oversight {loaded.oversight_decision} {date}")


def approve(
    stage: str = typer.Argument(..., help="drafted | vetted | approved | sent | certified | announced"),
    round_: str = typer.Option(..., "--round", "-r", help="1 (ผลรอบที่ 1 round 1) หรือ final (ผลรอบสุดท้าย)"),
    folder: Path = ministry_option(),
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


def notice(
    folder: Path = ministry_option(),
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


def opdc_results(
    file: Path = typer.Argument(..., help="ไฟล์ผลจาก ก.พ.ร. (YAML) — OPDC's results, typed in"),
    folder: Path = ministry_option(),
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


def report_final(
    folder: Path = ministry_option(),
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
    folder: Path = ministry_option(),
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
