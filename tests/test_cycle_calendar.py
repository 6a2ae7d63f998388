"""The calendar of DOMAIN §2 (seed 000 "ปฏิทินการดำเนินงาน") for FY2552 and other years."""
from __future__ import annotations

import json
from datetime import date

import pytest
import typer
from typer.testing import CliRunner

from xlkpi.cycle.calendar import DONE, DUE, OVERDUE, PAST, UPCOMING, milestones, parse_date, status_on

# The seed's table for FY2552, row by row: (when, as the seed writes it), window start, due.
FY2552 = [
    ("briefing", "15 สิงหาคม 2551", date(2008, 8, 15), date(2008, 8, 15)),
    ("framework", "กันยายน 2551", date(2008, 9, 1), date(2008, 9, 30)),
    ("agreements", "ตุลาคม – พฤศจิกายน 2551", date(2008, 10, 1), date(2008, 11, 30)),
    ("kpi_templates", "มีนาคม 2552", date(2009, 3, 1), date(2009, 3, 31)),
    ("sar_6", "เมษายน 2552", date(2009, 4, 1), date(2009, 4, 30)),
    ("meetings_6", "พฤษภาคม 2552", date(2009, 5, 1), date(2009, 5, 31)),
    ("esar_9", "กรกฎาคม 2552", date(2009, 7, 1), date(2009, 7, 31)),
    ("sar_12", "ตุลาคม 2552", date(2009, 10, 1), date(2009, 10, 31)),
    ("round1_results", "ธันวาคม 2552", date(2009, 12, 1), date(2009, 12, 31)),
    ("opdc_round1", "กุมภาพันธ์ 2553", date(2010, 2, 1), date(2010, 2, 28)),
    ("final_results", "มีนาคม 2553", date(2010, 3, 1), date(2010, 3, 31)),
    ("incentives", "เมษายน 2553", date(2010, 4, 1), date(2010, 4, 30)),
    ("final_report", "พฤษภาคม 2553", date(2010, 5, 1), date(2010, 5, 31)),
]


def test_fy2552_milestones_are_the_seed_table():
    got = [(m.key, m.when_th, m.start, m.due) for m in milestones(2552)]
    assert got == FY2552


def test_fy2560_is_fy2552_moved_by_eight_years():
    got = [(m.key, m.start, m.due) for m in milestones(2560)]
    assert got[0] == ("briefing", date(2016, 8, 15), date(2016, 8, 15))
    assert got[2] == ("agreements", date(2016, 10, 1), date(2016, 11, 30))
    assert got[-1] == ("final_report", date(2018, 5, 1), date(2018, 5, 31))
    assert [m.when_th for m in milestones(2560)][-1] == "พฤษภาคม 2561"
    assert [(k, s.replace(year=s.year - 8), d.replace(year=d.year - 8)) for k, s, d in got] == \
        [(k, s, d) for k, _, s, d in FY2552]


def test_february_due_date_follows_leap_years():
    # FY2554 (like FY2552: Feb of B.E. year + 1 = Feb 2555 = Feb 2012, a leap year): due 29 Feb.
    assert [m.due for m in milestones(2554) if m.key == "opdc_round1"] == [date(2012, 2, 29)]


def test_dates_accept_buddhist_era_years():
    assert parse_date("2552-04-30") == date(2009, 4, 30)
    assert parse_date("2009-04-30") == date(2009, 4, 30)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date("30/04/2552")


def test_status_on_a_date_without_a_folder():
    states = {s.milestone.key: s.status for s in status_on(2552, date(2009, 4, 15))}
    assert states["briefing"] == PAST and states["kpi_templates"] == PAST
    assert states["sar_6"] == DUE
    assert states["meetings_6"] == UPCOMING and states["final_report"] == UPCOMING


def test_status_reads_the_folder(tmp_path):
    from test_cycle_fixtures import ministry_folder

    folder = ministry_folder(tmp_path)
    states = {s.milestone.key: s.status for s in status_on(2552, date(2009, 5, 15), folder)}
    assert states["agreements"] == DONE  # both agreements carry signed_on
    assert states["kpi_templates"] == DONE  # no change request pending
    # ddc has no 6-month result for 1.1's second part: the 6-month SAR is overdue.
    assert states["sar_6"] == OVERDUE
    assert states["meetings_6"] == DUE
    assert states["framework"] == PAST  # the folder cannot tell
    assert states["esar_9"] == UPCOMING


def cli():
    from xlkpi.commands import cycle

    app = typer.Typer()
    cycle.register(app)
    return app


def test_calendar_command_json_with_a_buddhist_era_date():
    out = CliRunner().invoke(cli(), ["calendar", "2552", "--on", "2552-04-30", "--json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert rows[4] == {"key": "sar_6", "when_th": "เมษายน 2552", "start": "2009-04-01", "due": "2009-04-30",
                       "th": rows[4]["th"], "en": rows[4]["en"], "status": "due", "evidence": ""}
    bad = CliRunner().invoke(cli(), ["calendar", "2552", "--on", "tomorrow"])
    assert bad.exit_code == 2


def test_status_reads_what_the_folder_holds_not_file_names(tmp_path):
    """A blank SAR Card in sar/ is not a report; approvals and OPDC's results recorded are."""
    from test_cycle_fixtures import DDC, agreement, ministry_folder
    from xlkpi.cycle.approvals import record_step
    from xlkpi.workbook.sar import write_sar

    folder = ministry_folder(tmp_path)
    blank = agreement(DDC)
    for indicator in blank.walk():
        indicator.result = {}
        for part in indicator.parts:
            part.result = {}
    write_sar(blank, folder / "sar" / "ddc.xlsx")  # ddc returned its card with nothing typed in
    (folder / "reports").mkdir()
    (folder / "reports" / "final-report.xlsx").write_bytes(b"not the real thing")
    states = {s.milestone.key: s.status for s in status_on(2552, date(2010, 6, 15), folder)}
    assert states["sar_12"] == OVERDUE  # the fixture's ddc.yaml has results, its SAR Card none
    assert states["round1_results"] == OVERDUE and states["opdc_round1"] == OVERDUE
    assert states["final_report"] == OVERDUE  # a file named final-report.xlsx is not enough
    write_sar(agreement(DDC), folder / "sar" / "ddc.xlsx")  # now with the results
    for n, stage in enumerate(("drafted", "vetted", "approved", "sent")):
        record_step(folder, "round1", stage, f"2552-12-1{n}", "", {})
    (folder / "opdc").mkdir()
    (folder / "opdc" / "results.yaml").write_text('received_on: "2553-02-20"\nministry: {"1.1": 4}\n', encoding="utf-8")
    states = {s.milestone.key: s.status for s in status_on(2552, date(2010, 6, 15), folder)}
    assert states["sar_12"] == DONE and states["round1_results"] == DONE and states["opdc_round1"] == DONE
    assert states["final_results"] == OVERDUE and states["final_report"] == OVERDUE
