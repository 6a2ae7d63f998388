"""Review requests, round-1 vs final scores, progress by round, the ministry results."""
from __future__ import annotations

import json

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
    out = run(cli(), ["incentives", "--ministry", str(folder), "--json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)["rows"]
    # equal weights 120 : 120 of 999 baht → 499.5 each → 500 to the first (order), 499 to the second
    assert [r["amount"] for r in rows] == [500, 499]
