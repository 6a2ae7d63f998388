"""The Final Report workbook: its numbers, and that LibreOffice opens and renders it."""
from __future__ import annotations

import shutil
import subprocess
import uuid

import pytest

from test_cycle_fixtures import ministry_folder
from xlkpi.cycle.final_report import write_final_report
from xlkpi.cycle.results import ministry_results
from xlkpi.cycle.reviews import ReviewRequest, decide_review, save_review


def report(tmp_path):
    folder = ministry_folder(tmp_path / "m")
    (folder / "ministry.yaml").write_text("ministry: กระทรวงสาธารณสุข\nfiscal_year: 2552\n"
                                          "incentives: {pool: 1000000}\n", encoding="utf-8")
    review = decide_review(ReviewRequest("ddc", 1, "5.1", "ปิดบัญชีแล้ว", requested_result=88), True, "2553-01-15")
    save_review(review, folder / "reviews" / "ddc-1.yaml")
    results, allocation, findings = ministry_results(folder)
    assert findings == []
    return write_final_report(results, allocation, tmp_path / "final-report.xlsx")


def test_final_report_sheets_and_numbers(tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(report(tmp_path))
    assert wb.sheetnames == ["สรุปผล", "e-SAR", "ทบทวน", "สิ่งจูงใจ", "ข้อเสนอ"]
    summary = wb["สรุปผล"]
    rows = [[summary.cell(row=r, column=c).value for c in range(1, 11)] for r in (5, 6)]
    # rank 1 fda: dims 3.0 / 0 / 0 / 1.8, total 4.8; rank 2 ddc: 2.1116 / 0 / 1.0 / 0.8 = 3.9116 after review
    assert rows[0] == [1, "สำนักงานคณะกรรมการอาหารและยา", 3.0, 0.0, 0.0, 1.8, 4.8, 4.8, 0.0, 1]
    assert rows[1] == [2, "กรมควบคุมโรค", 2.1116, 0.0, 1.0, 0.8, 3.9116, 3.8116, 0.1, 2]
    assert len(summary._charts) == 2
    esar = wb["e-SAR"]
    by_key = {(esar.cell(row=r, column=1).value, esar.cell(row=r, column=2).value):
              [esar.cell(row=r, column=c).value for c in (5, 6, 7, 8, 9)] for r in range(5, esar.max_row + 1)}
    assert by_key[("กรมควบคุมโรค", "5.1")] == [20, "88 (เดิม 86)", 5.0, 1.0, "ทบทวนแล้ว (reviewed) — คำขอที่ 1"]
    assert by_key[("กรมควบคุมโรค", "1.1")] == [18, "93.5; 5", 3.62, 0.6516, None]
    assert by_key[("สำนักงานคณะกรรมการอาหารและยา", "3")] == [60, "100", 5.0, 3.0, None]
    money = wb["สิ่งจูงใจ"]
    amounts = [money.cell(row=r, column=8).value for r in range(5, 9)]
    assert amounts == [500_000, 500_000, 1_000_000, 1_000_000]  # two rows, total, pool
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert summary["A1"].font.name == "TH Sarabun New"


@pytest.mark.libreoffice
def test_final_report_renders_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    path = report(tmp_path)
    profile = f"file:///tmp/lo-profile-cycle-{uuid.uuid4().hex}"
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, timeout=180, capture_output=True)
    pdf = tmp_path / "final-report.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    pngs = sorted(tmp_path.glob("page*.png"))
    assert pngs and pngs[0].stat().st_size > 5_000
    text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Final Report" in text and "4.8000" in text and "3.9116" in text
    shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)


def test_final_report_states_approvals_and_carries_the_working_groups_proposals(tmp_path):
    """DOMAIN §3: the Final Report goes to OPDC with the working group's proposals and the
    approval statement; the allocation is a draft until OPDC certifies the final scores."""
    from openpyxl import load_workbook

    from xlkpi.cycle.approvals import record_step
    from xlkpi.cycle.final_report import final_report_inputs

    folder = ministry_folder(tmp_path / "m")
    (folder / "ministry.yaml").write_text("ministry: ก\nfiscal_year: 2552\nincentives: {pool: 1000}\n", encoding="utf-8")
    (folder / "proposals.txt").write_text("ควรกำหนดตัวชี้วัดร่วมระหว่างกรม\n\nควรรายงานผลรายไตรมาส", encoding="utf-8")
    results, allocation, _ = ministry_results(folder)
    steps = [("round1", "drafted", "2552-12-01"), ("round1", "vetted", "2552-12-05"), ("round1", "approved", "2552-12-10"),
             ("round1", "sent", "2552-12-15"), ("final", "drafted", "2553-03-01"), ("final", "vetted", "2553-03-05"),
             ("final", "approved", "2553-03-10")]
    for key, stage, date in steps:
        assert record_step(folder, key, stage, date, f"ครั้งที่ {stage}", {})[0] is not None
    path = write_final_report(results, allocation, tmp_path / "draft.xlsx", **final_report_inputs(folder))
    wb = load_workbook(path)
    texts = [str(c.value) for row in wb["ข้อเสนอ"].iter_rows() for c in row if c.value]
    assert "ควรกำหนดตัวชี้วัดร่วมระหว่างกรม" in texts and "ควรรายงานผลรายไตรมาส" in texts
    assert any("approved by the oversight committee on 2553-03-10" in t for t in texts)
    assert any("not yet certified by OPDC" in t for t in texts)
    assert "DRAFT" in wb["สิ่งจูงใจ"]["A3"].value
    record_step(folder, "final", "sent", "2553-03-12", "หนังสือ", {})
    record_step(folder, "final", "certified", "2553-03-20", "หนังสือ ก.พ.ร.", {})
    wb = load_workbook(write_final_report(results, allocation, tmp_path / "certified.xlsx", **final_report_inputs(folder)))
    texts = [str(c.value) for row in wb["ข้อเสนอ"].iter_rows() for c in row if c.value]
    assert any("and OPDC certified them" in t for t in texts) and "certified" in wb["สิ่งจูงใจ"]["A3"].value
