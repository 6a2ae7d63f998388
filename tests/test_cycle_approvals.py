"""Approvals of round-1 and final scores (DOMAIN §3 steps 7 and 9): in order only, each
with a date and a reference; incentives from certified scores only."""
from __future__ import annotations

import typer
import yaml
from typer.testing import CliRunner

from test_cycle_fixtures import ministry_folder

ROUND1 = ("drafted", "vetted", "approved", "sent")
FINAL = ("drafted", "vetted", "approved", "sent", "certified", "announced")


def cli():
    from xlkpi.commands import cycle

    app = typer.Typer()
    cycle.register(app)
    return app


def approve(folder, stage, round_, date="2553-01-10", ref="ประชุมครั้งที่ 1/2553"):
    return CliRunner().invoke(cli(), ["approve", stage, "-m", str(folder), "--round", round_, "--date", date, "--ref", ref])


def folder_with_pool(tmp_path):
    folder = ministry_folder(tmp_path)
    (folder / "ministry.yaml").write_text("ministry: ก\nfiscal_year: 2552\nincentives: {pool: 1000}\n", encoding="utf-8")
    return folder


def test_stages_in_order_only_with_dates_and_references(tmp_path):
    folder = folder_with_pool(tmp_path)
    out = approve(folder, "vetted", "1")  # nothing drafted yet
    assert out.exit_code == 1 and "APR-ORDER" in out.stderr and "drafted" in out.stderr
    assert approve(folder, "drafted", "final").exit_code == 1  # round 1 not sent yet
    for n, stage in enumerate(ROUND1):
        out = approve(folder, stage, "1", date=f"2552-12-{10 + n}", ref=f"ref {stage}")
        assert out.exit_code == 0, out.output
    assert approve(folder, "sent", "1").exit_code == 1  # every round-1 stage recorded
    # a date before the previous step's is refused
    out = approve(folder, "drafted", "final", date="2552-12-01")
    assert out.exit_code == 1 and "APR-DATE" in out.stderr
    assert approve(folder, "certified", "final").exit_code == 1
    data = yaml.safe_load((folder / "approvals.yaml").read_text(encoding="utf-8"))
    assert [(s["stage"], s["date"], s["ref"]) for s in data["round1"]] == [
        (stage, f"2552-12-{10 + n}", f"ref {stage}") for n, stage in enumerate(ROUND1)]
    # each step keeps the totals it concerned (fixture: ddc 3.8116, fda 4.8)
    assert data["round1"][0]["totals"] == {"ddc": 3.8116, "fda": 4.8}
    assert data["final"] == []
    assert approve(folder, "bogus", "1").exit_code == 1
    assert approve(folder, "drafted", "2").exit_code == 2


def test_incentives_only_from_certified_scores(tmp_path):
    folder = folder_with_pool(tmp_path)
    run = CliRunner().invoke
    out = run(cli(), ["incentives", "-m", str(folder)])
    assert out.exit_code == 1 and "APR-NOT-CERTIFIED" in out.stderr
    for stage in ROUND1:
        assert approve(folder, stage, "1").exit_code == 0
    for stage in FINAL[:5]:
        assert approve(folder, stage, "final").exit_code == 0
    out = run(cli(), ["incentives", "-m", str(folder), "--json"])
    assert out.exit_code == 0, out.output
    # a review decided after certification changes a final score: no longer the certified one
    from xlkpi.cycle.reviews import decide_review, new_review, save_review

    review = new_review(folder, "ddc", "5.1", "ปิดบัญชีแล้ว", requested_result=88, submitted_on="2553-03-20")
    save_review(decide_review(review, True, "2553-03-25", "เห็นชอบ"))
    out = run(cli(), ["incentives", "-m", str(folder)])
    assert out.exit_code == 1 and "APR-CHANGED" in out.stderr and "ddc" in out.stderr


def test_approval_state_text():
    from xlkpi.cycle.approvals import FINAL as FINAL_KEY, Step, state_text

    assert state_text({}, FINAL_KEY) == ("ยังไม่มีการพิจารณา", "not yet drafted")
    th, en = state_text({FINAL_KEY: [Step("drafted", "2553-03-01"), Step("vetted", "2553-03-05", "ครั้งที่ 2/2553")]},
                        FINAL_KEY)
    assert en == "vetted by the negotiation committee on 2553-03-05 (ครั้งที่ 2/2553)" and "2553-03-05" in th
