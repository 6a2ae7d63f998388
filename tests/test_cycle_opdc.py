"""OPDC's ministry- and mission-group-level results (DOMAIN §3): recorded with the date
received, taken by indicators 1 and 2 of each department, shown with their source."""
from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from test_cycle_fixtures import ministry_folder

OPDC = """\
received_on: "2553-02-20"
reference: ที่ นร 1200/99
ministry:
  "1.1": 4.5
  "1.3": 2
mission_groups:
  กลุ่มภารกิจด้านพัฒนาการสาธารณสุข: {"2": 3}
"""


def cli():
    from xlkpi.commands import cycle

    app = typer.Typer()
    cycle.register(app)
    return app


def run(*args):
    return CliRunner().invoke(cli(), [str(a) for a in args])


def test_opdc_results_are_recorded_and_taken_by_indicator_1(tmp_path):
    from openpyxl import load_workbook

    from xlkpi.cycle.results import ministry_results

    folder = ministry_folder(tmp_path / "m")
    source = tmp_path / "opdc.yaml"
    source.write_text(OPDC, encoding="utf-8")
    out = run("opdc-results", source, "-m", folder)
    assert out.exit_code == 0, out.output
    assert (folder / "opdc" / "results.yaml").exists()
    results, _, findings = ministry_results(folder)
    by_stem = {r.stem: r for r in results}
    ddc = by_stem["ddc"]
    # round 1 keeps the department's own 1.1 (3.62) and 1.3 (3); final takes OPDC's:
    # 1.1 = 4.5 → 18 × 4.5 / 100 = 0.81; 1.3 = 2 → 2 × 2 / 100 = 0.04; indicator 1 weighted 0.85
    # (was 0.7116), score (18 × 4.5 + 2 × 2) / 20 = 85 / 20 = 4.25
    # total 3.8116 − 0.7116 + 0.85 = 3.95.  The mission group's "2" is not in ddc's agreement.
    assert ddc.round1.by_id()["1.1"].score == 3.62
    final = ddc.final.by_id()
    assert (final["1.1"].score, final["1.3"].score, final["1"].score, final["1"].weighted) == (4.5, 2.0, 4.25, 0.85)
    assert ddc.final.total == 3.95
    assert "2553-02-20" in ddc.sources["1.1"] and "OPDC" in ddc.sources["1.1"]
    # fda is under the Minister: it has no indicator 1 and takes nothing
    assert by_stem["fda"].final.total == by_stem["fda"].round1.total and by_stem["fda"].sources == {}
    # the Final Report shows where the score came from
    report = tmp_path / "final.xlsx"
    assert run("report", "final", "-m", folder, "-o", report).exit_code == 0
    ws = load_workbook(report)["e-SAR"]
    notes = {(ws.cell(r, 1).value, ws.cell(r, 2).value): ws.cell(r, 9).value for r in range(5, ws.max_row + 1)}
    assert "สำนักงาน ก.พ.ร." in notes[("กรมควบคุมโรค", "1.1")] and "2553-02-20" in notes[("กรมควบคุมโรค", "1.1")]


def test_opdc_results_must_be_for_indicators_1_and_2_with_scores_and_a_date(tmp_path):
    folder = ministry_folder(tmp_path / "m")
    source = tmp_path / "opdc.yaml"
    source.write_text('ministry: {"3": 4, "1.1": 7}\nmission_groups: {ก: {"1.1": 3}}\n', encoding="utf-8")
    out = run("opdc-results", source, "-m", folder)
    assert out.exit_code == 1
    for code, cell in (("OPDC-INDICATOR", "ministry.3"), ("OPDC-SCORE", "ministry.1.1"),
                       ("OPDC-INDICATOR", "mission_groups.ก.1.1"), ("OPDC-DATE", "received_on")):
        assert code in out.stderr and cell in out.stderr, (code, out.stderr)
    assert not (folder / "opdc").exists()
    # the date can come from the command line; a group score for a group indicator is refused
    source.write_text('ministry: {"1": 4}\n', encoding="utf-8")
    out = run("opdc-results", source, "-m", folder, "--received", "2553-02-20")
    assert out.exit_code == 1 and "OPDC-INDICATOR" in out.stderr and "sub-indicators" in out.stderr
    source.write_text('ministry: {"1.1": 4}\n', encoding="utf-8")
    out = run("opdc-results", source, "-m", folder, "--received", "2553-02-20")
    assert out.exit_code == 0, out.output
    assert "2553-02-20" in (folder / "opdc" / "results.yaml").read_text(encoding="utf-8")
    assert run("opdc-results", tmp_path / "none.yaml", "-m", folder).exit_code == 2
