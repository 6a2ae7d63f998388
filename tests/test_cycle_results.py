"""Review requests, round-1 vs final scores, progress by round, the ministry results."""
from __future__ import annotations

import json

import pytest

import typer
from typer.testing import CliRunner

from test_cycle_fixtures import DDC, FDA, agreement, ministry_folder
from xlkpi.cycle.progress import missing_results, progress
from xlkpi.cycle.results import compute_results, ministry_results, ranks
from xlkpi.cycle.reviews import (
    ReviewRequest, apply_reviews, decide_review, load_reviews, new_review, review_findings, save_review,
)


def test_progress_by_round_lists_what_is_missing():
    ddc, fda = agreement(DDC), agreement(FDA)
    # ddc round 6: 1.1's second part has no 6-month result; 1.2 is n/a and not asked for.
    assert missing_results(ddc, 6) == ["1.1 / ระยะเวลาเฉลี่ยในการสอบสวนโรค"]
    # round 9: that part again, and 5.1 (reported at 6 and 12 only).
    assert missing_results(ddc, 9) == ["1.1 / ระยะเวลาเฉลี่ยในการสอบสวนโรค", "5.1"]
    assert missing_results(ddc, 12) == []
    table = progress([ddc, fda])
    assert (table["กรมควบคุมโรค"][6].reported, table["กรมควบคุมโรค"][6].needed) == (5, 6)
    assert table["สำนักงานคณะกรรมการอาหารและยา"][9].status == "none"
    assert table["สำนักงานคณะกรรมการอาหารและยา"][12].status == "complete"


def test_an_approved_result_review_is_rescored():
    ddc = agreement(DDC)
    # 5.1 result 86 → 4.5 (weighted 0.9); the committee accepts 88 → 5 (weighted 1.0).
    review = ReviewRequest("ddc", 1, "5.1", "ตัวเลขเบิกจ่ายปิดบัญชีแล้ว", requested_result=88)
    decide_review(review, True, "2553-01-15")
    final = apply_reviews(ddc, [review])
    assert final.by_id()["5.1"].score == 5.0 and final.by_id()["5.1"].weighted == 1.0
    assert final.total == 3.9116 and final.dimensions["3"] == 1.0
    assert ddc.find("5.1").result[12] == 86  # the agreement itself is not touched


def test_a_decided_score_overrides_and_groups_are_recomputed():
    ddc = agreement(DDC)
    # 1.3 milestone scored 3; the committee decides 4: weighted 2 × 4 / 100 = 0.08;
    # group 1: weighted 0.6516 + 0.08 = 0.7316, score (18 × 3.62 + 2 × 4) / 20 = 3.658.
    review = decide_review(ReviewRequest("ddc", 1, "1.3", "หลักฐานขั้นที่ 4 ส่งภายหลัง"), True, "2553-01-15",
                           decided_score=4)
    final = apply_reviews(ddc, [review])
    assert final.by_id()["1"].weighted == 0.7316 and final.by_id()["1"].score == 3.658
    assert final.total == 3.8316


def test_rejected_and_pending_reviews_change_nothing():
    ddc = agreement(DDC)
    rejected = decide_review(ReviewRequest("ddc", 1, "3", "x", requested_result=100), False, "2553-01-15")
    pending = ReviewRequest("ddc", 2, "3", "y", requested_result=100)
    assert apply_reviews(ddc, [rejected, pending]).total == 3.8116


def test_a_review_of_an_unknown_indicator_is_a_finding():
    review = decide_review(ReviewRequest("ddc", 1, "9.9", "x", requested_result=1), True, "2553-01-15")
    assert [f.code for f in review_findings(agreement(DDC), [review])] == ["REV-INDICATOR"]


def test_ranks_share_places_on_equal_totals():
    assert ranks([4.8, 3.8116, 4.8, 2.0]) == [1, 3, 1, 4]


def test_ministry_results_round1_vs_final_and_incentives(tmp_path):
    folder = ministry_folder(tmp_path)
    (folder / "ministry.yaml").write_text("ministry: กระทรวงสาธารณสุข\nfiscal_year: 2552\n"
                                          "incentives: {pool: 1000000}\n", encoding="utf-8")
    review = new_review(folder, "ddc", "5.1", "ปิดบัญชีแล้ว", requested_result=88, submitted_on="2552-12-20")
    save_review(decide_review(review, True, "2553-01-15", "เห็นชอบ"))
    loaded, findings = load_reviews(folder)
    assert findings == [] and loaded[0].decision == "approved" and loaded[0].requested_result == 88
    results, allocation, findings = ministry_results(folder)
    assert findings == []
    got = {r.stem: (r.round1.total, r.final.total, r.rank, r.rank_round1) for r in results}
    assert got == {"ddc": (3.8116, 3.9116, 2, 2), "fda": (4.8, 4.8, 1, 1)}
    # ddc 3.9116 → ดี 1.0 × 120; fda 4.8 → ดีเด่น 1.5 × 80: equal weights, 500,000 each.
    assert [(r.department, r.amount) for r in allocation.rows] == [("กรมควบคุมโรค", 500_000),
                                                                    ("สำนักงานคณะกรรมการอาหารและยา", 500_000)]


def cli():
    from xlkpi.commands import cycle

    app = typer.Typer()
    cycle.register(app)
    return app


def test_review_progress_and_incentive_commands(tmp_path):
    folder = ministry_folder(tmp_path)
    (folder / "ministry.yaml").write_text("ministry: ก\nfiscal_year: 2552\nincentives: {pool: 999}\n", encoding="utf-8")
    run = CliRunner().invoke
    out = run(cli(), ["review", "add", "-m", str(folder), "fda", "3", "--reason", "ขอทบทวน", "--result", "95"])
    assert out.exit_code == 0, out.output
    out = run(cli(), ["review", "decide", str(folder / "reviews" / "fda-1.yaml"), "--rejected", "--date",
                      "2553-01-15"])
    assert out.exit_code == 0, out.output
    out = run(cli(), ["progress", "-m", str(folder), "--json", "-o", str(tmp_path / "progress.xlsx")])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["กรมควบคุมโรค"]["9"]["missing"] == ["1.1 / ระยะเวลาเฉลี่ยในการสอบสวนโรค", "5.1"]
    assert (tmp_path / "progress.xlsx").exists()
    for round_, stages in (("1", ("drafted", "vetted", "approved", "sent")),
                           ("final", ("drafted", "vetted", "approved", "sent", "certified"))):
        for stage in stages:
            out = run(cli(), ["approve", stage, "-m", str(folder), "--round", round_, "--date", "2553-03-01"])
            assert out.exit_code == 0, out.output
    out = run(cli(), ["incentives", "--ministry", str(folder), "--json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)["rows"]
    # equal weights 120 : 120 of 999 baht → 499.5 each → 500 to the first (order), 499 to the second
    assert [r["amount"] for r in rows] == [500, 499]


@pytest.mark.parametrize("args, code", [
    (["nobody", "3"], "REV-DEPARTMENT"),   # no agreements/nobody.yaml
    (["fda", "9.9"], "REV-INDICATOR"),     # not in fda's agreement
    (["ddc", "1"], "REV-INDICATOR"),       # a group: its score comes from its children
    (["ddc", "1.2"], "REV-INDICATOR"),     # not applicable
])
def test_review_add_refuses_what_cannot_be_reviewed(tmp_path, args, code):
    folder = ministry_folder(tmp_path)
    out = CliRunner().invoke(cli(), ["review", "add", "-m", str(folder), *args, "--reason", "ขอทบทวน"])
    assert out.exit_code == 1
    assert code in out.stderr
    assert not (folder / "reviews").exists() or not list((folder / "reviews").glob("*.yaml"))


def test_review_add_refuses_a_round_the_indicator_does_not_report_in(tmp_path):
    folder = ministry_folder(tmp_path)
    text = (folder / "agreements" / "fda.yaml").read_text(encoding="utf-8")
    text = text.replace('thresholds: [1, 2, 3, 4, 5], result: {6: 2, 12: 4.5}}',
                        'thresholds: [1, 2, 3, 4, 5], report_rounds: [12], result: {12: 4.5}}')
    (folder / "agreements" / "fda.yaml").write_text(text, encoding="utf-8")
    out = CliRunner().invoke(cli(), ["review", "add", "-m", str(folder), "fda", "6", "--round", "6", "--reason", "x"])
    assert out.exit_code == 1 and "REV-ROUND" in out.stderr and "6-month" in out.stderr
    out = CliRunner().invoke(cli(), ["review", "add", "-m", str(folder), "fda", "6", "--round", "12", "--reason", "x"])
    assert out.exit_code == 0, out.output


def test_progress_counts_only_results_due_and_shows_scores_and_approvals(tmp_path):
    folder = ministry_folder(tmp_path)
    text = (folder / "agreements" / "ddc.yaml").read_text(encoding="utf-8")
    # ddc's PMQA (6) reports at 12 only: its 6- and 9-month results are not due
    text = text.replace('thresholds: [1, 2, 3, 4, 5], result: {6: 2, 9: 3, 12: 4}}',
                        'thresholds: [1, 2, 3, 4, 5], report_rounds: [12], result: {12: 4}}')
    (folder / "agreements" / "ddc.yaml").write_text(text, encoding="utf-8")
    out = CliRunner().invoke(cli(), ["progress", "-m", str(folder), "--json", "-o", str(tmp_path / "p.xlsx")])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    ddc6 = data["กรมควบคุมโรค"]["6"]
    # due at 6: 1.1's two parts, 1.3, 3, 5.1 = 5 results; part 2 of 1.1 missing
    assert (ddc6["needed"], ddc6["missing"]) == (5, ["1.1 / ระยะเวลาเฉลี่ยในการสอบสวนโรค"])
    # round 6 by hand: 1.1 = 0.6 × 1 (70 < 80) + 0.4 × 1 (missing) = 1 → 0.18; 1.3 level 1 → 0.02;
    # 3: 70 → 2 → 0.8; 5.1: 40 < 72 → 1 → 0.2; 6 not due.  0.18 + 0.02 + 0.8 + 0.2 = 1.2 on 80
    assert (ddc6["total"], ddc6["covered_weight"]) == (1.2, 80)
    assert data["approvals"] == {"round1": "not yet drafted", "final": "not yet drafted"}
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "p.xlsx")["คะแนน"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=5)]
    assert rows[0][:4] == ["กรมควบคุมโรค", 6, 1.2, "80 ของ 100 (of)"]


def test_review_add_writes_the_working_groups_analysis(tmp_path):
    from openpyxl import load_workbook

    folder = ministry_folder(tmp_path)
    out = CliRunner().invoke(cli(), ["review", "add", "-m", str(folder), "ddc", "5.1", "--reason", "ปิดบัญชีแล้ว",
                                     "--result", "88", "--date", "2552-12-20"])
    assert out.exit_code == 0, out.output
    ws = load_workbook(folder / "reports" / "review-ddc-1.xlsx").active
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(5, ws.max_row + 1)}
    # 5.1 (20): reported 86 → 4.5; asked 88 → 5 (level 5); total 3.8116 + 20 × 0.5 / 100 = 3.9116
    assert values["ผลที่รายงาน (result reported)"] == "86"
    assert values["คะแนนเดิม (score now)"] == "4.5000"
    assert values["คะแนนหากเห็นชอบตามคำขอ (score if granted as asked)"] == "5.0000"
    assert values["คะแนนรวมเดิม → หากเห็นชอบ (department total now → if granted)"] == "3.8116 → 3.9116 (+0.1000)"
    assert ws.cell(ws.max_row, 2).protection.locked is False  # the working group writes its comment here


def test_a_review_that_changes_the_framework_waits_for_the_oversight_committee(tmp_path):
    folder = ministry_folder(tmp_path)
    run = CliRunner().invoke
    out = run(cli(), ["review", "add", "-m", str(folder), "ddc", "5.1", "--reason", "ขอเปลี่ยนเกณฑ์ของกระทรวง",
                      "--result", "88", "--changes-framework"])
    assert out.exit_code == 0 and "oversight" in out.stdout
    request = folder / "reviews" / "ddc-1.yaml"
    assert run(cli(), ["review", "decide", str(request), "--approved", "--date", "2553-01-15"]).exit_code == 0
    results, _, findings = ministry_results(folder)
    ddc = next(r for r in results if r.stem == "ddc")
    assert ddc.final.total == 3.8116  # approved by the negotiation committee only: not applied
    assert "REV-OVERSIGHT-PENDING" in [f.code for f in findings]
    out = run(cli(), ["review", "oversight", str(request), "--approved", "--date", "2553-01-25", "--ref", "1/2553"])
    assert out.exit_code == 0, out.output
    results, _, findings = ministry_results(folder)
    assert next(r for r in results if r.stem == "ddc").final.total == 3.9116
    assert "REV-OVERSIGHT-PENDING" not in [f.code for f in findings]
    # a request that does not change the framework is not the oversight committee's to decide
    run(cli(), ["review", "add", "-m", str(folder), "fda", "3", "--reason", "x", "--result", "95"])
    out = run(cli(), ["review", "oversight", str(folder / "reviews" / "fda-1.yaml"), "--approved", "--date", "2553-01-25"])
    assert out.exit_code == 1 and "REV-NOT-FRAMEWORK" in out.stderr


def test_review_add_with_a_round_that_is_not_6_9_or_12_is_a_bad_invocation(tmp_path):
    folder = ministry_folder(tmp_path)
    out = CliRunner().invoke(cli(), ["review", "add", "-m", str(folder), "fda", "3", "-r", "7", "--reason", "x"])
    assert out.exit_code == 2
