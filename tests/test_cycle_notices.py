"""The round-1 notice (DOMAIN §3 step 7): scores, what may be contested, the deadline."""
from __future__ import annotations

from datetime import date

import typer
from typer.testing import CliRunner

from test_cycle_fixtures import ministry_folder


def cli():
    from xlkpi.commands import cycle

    app = typer.Typer()
    cycle.register(app)
    return app


def test_review_deadline_is_the_day_before_opdc_results_are_due():
    from xlkpi.cycle.notices import review_deadline

    assert review_deadline(2552) == date(2010, 1, 31)  # OPDC's results: February 2553


def test_round1_notice_per_department(tmp_path):
    from openpyxl import load_workbook

    from xlkpi.cycle.approvals import record_step

    folder = ministry_folder(tmp_path)
    for n, stage in enumerate(("drafted", "vetted", "approved")):
        record_step(folder, "round1", stage, f"2552-12-0{n + 1}", f"ครั้งที่ {n + 1}/2552", {})
    out = CliRunner().invoke(cli(), ["notice", "-m", str(folder)])
    assert out.exit_code == 0, out.output
    assert sorted(p.name for p in (folder / "reports").glob("round1-notice-*.xlsx")) == [
        "round1-notice-ddc.xlsx", "round1-notice-fda.xlsx"]
    ws = load_workbook(folder / "reports" / "round1-notice-ddc.xlsx").active
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    joined = "\n".join(texts)
    assert "กรมควบคุมโรค" in joined
    assert "approved by the oversight committee on 2552-12-03 (ครั้งที่ 3/2552)" in joined
    # 5.1 scores 4.5 (86 on 72..88) and the total is 3.8116 (test_cycle_fixtures)
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 7)] for r in range(1, ws.max_row + 1)}
    assert rows["5.1"][3:] == [4.5, 0.9]
    assert 3.8116 in [ws.cell(r, 6).value for r in range(1, ws.max_row + 1)]
    # what may be contested: scored, not granted, not indicators 1 and 2 (OPDC's results)
    contest = next(t for t in texts if t.startswith("ส่วนราชการอาจยืนยันผล"))
    assert contest.endswith(": 3, 5.1, 6")
    assert any("31 มกราคม 2553" in t and "2010-01-31" in t for t in texts)
    assert ws.protection.sheet and int(ws.page_setup.paperSize) == 9
