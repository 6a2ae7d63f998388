"""Commands for the agreement cycle: calendar, committees, documents, change and review
requests, progress, final report, incentives.  Each is a thin wrapper over xlkpi.cycle."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import EXIT_FINDINGS, EXIT_USAGE, load_agreement_or_exit, ministry_option, print_findings, print_json


def register(app: typer.Typer) -> None:
    from . import cycle_results

    app.command("calendar")(calendar)
    app.command("committees")(committees)
    app.command("sign")(sign)
    change_app = typer.Typer(help="คำขอเปลี่ยนแปลงรายละเอียดตัวชี้วัด — change requests", no_args_is_help=True)
    change_app.command("diff")(change_diff)
    change_app.command("request")(change_request)
    change_app.command("decide")(change_decide)
    change_app.command("baseline")(change_baseline)
    app.add_typer(change_app, name="change")
    app.command("progress")(progress)
    cycle_results.register(app)


def _date_or_exit(text: str):
    from ..cycle.calendar import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_USAGE)


def decision_request_or_exit(approved: Optional[bool], date: str, load, path: Path):
    """What every "decide" command checks first: --approved or --rejected given, a valid date,
    and a request file that loads without errors (exit 2, 2, 1 otherwise); the request."""
    if approved is None:
        typer.echo("ต้องระบุ --approved หรือ --rejected / give --approved or --rejected", err=True)
        raise typer.Exit(EXIT_USAGE)
    _date_or_exit(date)
    loaded, findings = load(path)
    if loaded is None or any(f.is_error for f in findings):
        print_findings(findings)
        raise typer.Exit(EXIT_FINDINGS)
    return loaded


def calendar(
    year: int = typer.Argument(..., help="ปีงบประมาณ พ.ศ. เช่น 2552 — fiscal year (B.E.)"),
    on: Optional[str] = typer.Option(None, "--on", help="วันที่ YYYY-MM-DD (ค.ศ. หรือ พ.ศ.) — show what is due on this date"),
    folder: Optional[Path] = ministry_option(needed=False),  # to tell what is done
    as_json: bool = typer.Option(False, "--json", help="พิมพ์ JSON — JSON on stdout"),
):
    """ปฏิทินการดำเนินงาน — the fiscal year's milestones (and their state on a date)."""
    from ..cycle.calendar import milestones, status_on
    from ..glossary import CalendarStatus

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
        state = f"  [{CalendarStatus(status).th} / {CalendarStatus(status).en}]" if status else ""
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
    from ..cycle.changes import _show, diff_agreements, write_change_analysis
    from ..glossary import ChangeKind

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
        typer.echo(f"{c.indicator or '(agreement)'}\t{c.field or '*'}\t{ChangeKind.label(c.kind)}\t"
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

    loaded = decision_request_or_exit(approved, date, load_request, request)
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


def progress(
    folder: Path = ministry_option(),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="สมุดงาน — write the progress workbook"),
    as_json: bool = typer.Option(False, "--json"),
):
    """ความก้าวหน้ารายรอบ — which department has reported which round, and what is missing."""
    from ..cycle.approvals import FINAL, ROUND1, load_approvals, state_text
    from ..cycle.progress import progress as table, write_progress
    from ..cycle.results import load_baselines
    from ..engine import score_agreement
    from ..glossary import ReportingStatus, ScoreRound

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
            typer.echo(f"  รอบ {r:>2} เดือน: {p.reported}/{p.needed} {ReportingStatus.label(p.status)}  "
                       f"คะแนน {score.total:.4f} จากน้ำหนัก {score.covered_weight:g} ของ {score.full_weight:g}{missing}")
    for key in (ROUND1, FINAL):
        typer.echo(f"{ScoreRound.label(key)}: {states[key][0]} — {states[key][1]}")
