"""Commands for the agreement cycle: calendar, committees, documents, change and review
requests, progress, final report, incentives.  Each is a thin wrapper over xlkpi.cycle."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import (EXIT_FINDINGS, EXIT_USAGE, load_agreement_or_exit, ministry_option, print_findings,
                     print_json, round_option, round_or_exit)


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
    app.add_typer(review_app, name="review")
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
    folder: Optional[Path] = ministry_option(needed=False),  # to tell what is done
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
    folder: Path = ministry_option(),
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
    folder: Optional[Path] = ministry_option(needed=False),  # for the signatories' names
):
    """พิมพ์คำรับรองสำหรับลงนาม — write the printable agreement document."""
    from ..cycle.signing import write_agreement_document

    loaded = load_agreement_or_exit(agreement)
    settings = _settings_or_exit(folder) if folder else None
    write_agreement_document(loaded, settings, output)
    typer.echo(str(output))


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
    folder: Path = ministry_option(),
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
    folder: Path = ministry_option(),
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
    folder: Path = ministry_option(),
    department: str = typer.Argument(..., help="รหัสส่วนราชการ — the department's file stem"),
    indicator: str = typer.Argument(..., help="ตัวชี้วัด — indicator id"),
    reason: str = typer.Option(..., "--reason", help="เหตุผล — the reason"),
    result: Optional[float] = typer.Option(None, "--result", help="ผลที่ขอ — the result asked for"),
    score: Optional[float] = typer.Option(None, "--score", help="คะแนนที่ขอ — the score asked for"),
    round_: int = round_option(12),
    date: str = typer.Option("", "--date", help="วันที่ยื่น — date submitted"),
):
    """บันทึกคำขอทบทวนผลการประเมิน — record a review request."""
    from ..cycle.reviews import new_review

    round_or_exit(round_)
    review = new_review(folder, department, indicator, reason, round_, result, score, date)
    typer.echo(str(review.path))


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


def progress(
    folder: Path = ministry_option(),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="สมุดงาน — write the progress workbook"),
    as_json: bool = typer.Option(False, "--json"),
):
    """ความก้าวหน้ารายรอบ — which department has reported which round, and what is missing."""
    from ..cycle.progress import STATUS_TEXT, progress as table, write_progress
    from ..cycle.results import load_baselines

    agreements, findings = load_baselines(folder)
    print_findings(findings)
    rows = table(agreements)
    if output:
        write_progress(agreements, output)
    if as_json:
        print_json({d: {str(r): {"status": p.status, "reported": p.reported, "needed": p.needed, "missing": p.missing}
                        for r, p in rounds.items()} for d, rounds in rows.items()})
        return
    for department, rounds in rows.items():
        typer.echo(department)
        for r, p in rounds.items():
            missing = f" — ขาด missing: {', '.join(p.missing)}" if p.missing else ""
            typer.echo(f"  รอบ {r:>2} เดือน: {p.reported}/{p.needed} {STATUS_TEXT[p.status]}{missing}")


def report_final(
    folder: Path = ministry_option(),
    output: Path = typer.Option(..., "--output", "-o", help="Final Report .xlsx"),
):
    """รายงานสรุปผลการประเมินประจำปี — write the Final Report workbook."""
    from ..cycle.final_report import write_final_report
    from ..cycle.results import ministry_results

    results, allocation, findings = ministry_results(folder)
    print_findings(findings)
    if not results:
        raise typer.Exit(EXIT_FINDINGS)
    write_final_report(results, allocation, output)
    typer.echo(str(output))


def incentives(
    folder: Path = ministry_option(),
    as_json: bool = typer.Option(False, "--json"),
):
    """จัดสรรสิ่งจูงใจ — allocate the reward pool by the tiers in ministry.yaml."""
    from ..cycle.results import ministry_results

    results, allocation, findings = ministry_results(folder)
    print_findings(findings)
    if allocation is None:
        typer.echo("ไม่มีวงเงินสิ่งจูงใจใน ministry.yaml (incentives.pool) / no incentive pool set", err=True)
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
