"""Signatories by department type (DOMAIN §3 table, seed 000 §1.5.3) and the printable คำรับรอง."""
from __future__ import annotations

import pytest

from test_cycle_fixtures import DDC, FDA, agreement
from xlkpi.cycle.ministry import Official, Settings
from xlkpi.cycle.signing import signatories, thai_period, write_agreement_document


def offices(level):
    return [(s.side, s.office) for s in signatories(level)]


def test_signatories_per_level_as_in_the_seed_table():
    assert offices("ministry") == [("principal", "prime_minister"), ("party", "minister")]
    assert offices("mission_group") == [("principal", "minister"), ("principal", "permanent_secretary"),
                                        ("party", "group_deputy_ps")]
    assert offices("in_mission_group") == [("principal", "permanent_secretary"),
                                           ("principal", "group_deputy_ps"), ("party", "department_head")]
    assert offices("no_mission_group") == [("principal", "permanent_secretary"), ("principal", "deputy_ps"),
                                           ("party", "department_head")]
    assert offices("under_minister") == [("principal", "minister"), ("principal", "permanent_secretary"),
                                         ("party", "department_head")]
    assert [s.title_th for s in signatories("in_mission_group")] == [
        "ปลัดกระทรวง", "รองปลัดกระทรวงหัวหน้ากลุ่มภารกิจ", "หัวหน้าส่วนราชการ"]
    with pytest.raises(ValueError):
        signatories("province")


SETTINGS = Settings(
    ministry="กระทรวงสาธารณสุข", fiscal_year=2552, password="pw",
    officials={"permanent_secretary": Official("นายปลัด สาธารณสุข", "ปลัดกระทรวงสาธารณสุข"),
               "minister": Official("นายรัฐมนตรี", "รัฐมนตรีว่าการกระทรวงสาธารณสุข")},
    mission_groups={"กลุ่มภารกิจด้านพัฒนาการสาธารณสุข": Official("นางรองปลัด", "รองปลัดกระทรวงสาธารณสุข")},
    department_heads={"กรมควบคุมโรค": Official("นายอธิบดี", "อธิบดีกรมควบคุมโรค")},
)


def test_names_come_from_the_settings_for_the_departments_mission_group():
    got = [(s.office, s.name, s.position) for s in
           signatories("in_mission_group", SETTINGS, "กรมควบคุมโรค", "กลุ่มภารกิจด้านพัฒนาการสาธารณสุข")]
    assert got == [("permanent_secretary", "นายปลัด สาธารณสุข", "ปลัดกระทรวงสาธารณสุข"),
                   ("group_deputy_ps", "นางรองปลัด", "รองปลัดกระทรวงสาธารณสุข"),
                   ("department_head", "นายอธิบดี", "อธิบดีกรมควบคุมโรค")]
    # Unknown names stay blank for the pen, the position falls back to the title.
    unknown = signatories("no_mission_group", SETTINGS, "กรมอื่น")
    assert [(s.name, s.position) for s in unknown][1:] == [("", "รองปลัดกระทรวง"), ("", "หัวหน้าส่วนราชการ")]


def test_period_in_thai_dates():
    assert thai_period(2552) == "1 ตุลาคม 2551 ถึง 30 กันยายน 2552"


def test_agreement_document_contents(tmp_path):
    from openpyxl import load_workbook

    path = write_agreement_document(agreement(DDC), SETTINGS, tmp_path / "ddc.xlsx")
    ws = load_workbook(path).active
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    joined = "\n".join(texts)
    assert "คำรับรองการปฏิบัติราชการ" in texts[0]
    assert "1 ตุลาคม 2551 ถึง 30 กันยายน 2552" in joined
    assert "(นายปลัด สาธารณสุข)" in texts and "(นายอธิบดี)" in texts and "(นางรองปลัด)" in texts
    rows = {ws.cell(row=r, column=1).value: [ws.cell(row=r, column=c).value for c in range(2, 10)]
            for r in range(11, ws.max_row + 1) if ws.cell(row=r, column=1).value}
    assert rows["5.1"][2:] == [20, "72", "76", "80", "84", "88"]
    assert rows["1.3"][3] == "ขั้นตอนที่ 1: แต่งตั้งคณะทำงาน"
    total_row = next(r for r in range(11, ws.max_row + 1) if ws.cell(row=r, column=2).value == "รวม (total)")
    assert ws.cell(row=total_row, column=4).value == 100
    assert ws.protection.sheet is True
    assert int(ws.page_setup.paperSize) == 9  # A4 and ws.page_setup.orientation == "portrait"
    assert ws["A1"].font.name == "TH Sarabun New"


def test_under_the_minister_document_is_signed_by_the_minister(tmp_path):
    from openpyxl import load_workbook

    path = write_agreement_document(agreement(FDA), SETTINGS, tmp_path / "fda.xlsx")
    texts = [str(c.value) for row in load_workbook(path).active.iter_rows() for c in row if c.value]
    assert "(นายรัฐมนตรี)" in texts and "รัฐมนตรีว่าการกระทรวงสาธารณสุข" in texts
    assert not any("รองปลัดกระทรวงหัวหน้ากลุ่มภารกิจ" in t for t in texts)


# --- the signing gate (issue 13) ------------------------------------------------------------

def _sign(*args):
    from typer.testing import CliRunner

    from xlkpi.cli import app

    return CliRunner().invoke(app, ["sign", *[str(a) for a in args]])


def test_sign_refuses_an_agreement_that_fails_its_framework(tmp_path):
    """The README's own example (DOMAIN §10) weighs 25, not 100: exit 1 with the findings,
    and no document is written."""
    from examples import SECTION_10

    source = tmp_path / "ddc.yaml"
    source.write_text(SECTION_10, encoding="utf-8")
    run = _sign(source, "-o", tmp_path / "ddc.xlsx")
    assert run.exit_code == 1
    assert "FW-TOTAL" in run.stderr and "--override-reason" in run.stderr
    assert not (tmp_path / "ddc.xlsx").exists()


def test_sign_with_an_override_reason_prints_it_and_keeps_it(tmp_path):
    import yaml
    from openpyxl import load_workbook

    from examples import SECTION_10

    source = tmp_path / "ddc.yaml"
    source.write_text(SECTION_10, encoding="utf-8")
    reason = "ตัวอย่างในคู่มือ ลงนามเพื่อสาธิตเท่านั้น"
    run = _sign(source, "-o", tmp_path / "ddc.xlsx", "--override-reason", reason)
    assert run.exit_code == 0, run.output
    wb = load_workbook(tmp_path / "ddc.xlsx")
    texts = [str(c.value) for row in wb.active.iter_rows() for c in row if c.value]
    note = next(t for t in texts if t.startswith("หมายเหตุ"))
    assert reason in note and "FW-TOTAL" in note
    assert wb.properties.description == f"override: {reason}"
    kept = yaml.safe_load((tmp_path / "ddc.xlsx.override.yaml").read_text(encoding="utf-8"))
    assert kept["reason"] == reason and "FW-TOTAL" in {f["code"] for f in kept["findings"]}


def test_sign_an_agreement_that_fits_needs_no_reason(tmp_path):
    from xlkpi.agreement import dump
    from xlkpi.sample import DEPARTMENTS, sample_ministry

    agreement = next(a for d, a in zip(DEPARTMENTS, sample_ministry()) if d.slug == "ddc")
    dump(agreement, tmp_path / "ddc.yaml")
    run = _sign(tmp_path / "ddc.yaml", "-o", tmp_path / "ddc.xlsx")
    assert run.exit_code == 0, run.output
    assert (tmp_path / "ddc.xlsx").exists() and not (tmp_path / "ddc.xlsx.override.yaml").exists()


def test_the_office_of_the_permanent_secretary_signs_with_the_minister(tmp_path):
    """Not the PS on both sides: the Minister receives, the PS signs as head of the office."""
    from openpyxl import load_workbook

    from xlkpi.cycle.signing import signing_level
    from xlkpi.sample import DEPARTMENTS, sample_ministry

    ops = next(a for d, a in zip(DEPARTMENTS, sample_ministry()) if d.slug == "ops")
    assert signing_level(ops) == "ps_office"
    assert offices("ps_office") == [("principal", "minister"), ("party", "permanent_secretary")]
    path = write_agreement_document(ops, SETTINGS, tmp_path / "ops.xlsx")
    texts = [str(c.value) for row in load_workbook(path).active.iter_rows() for c in row if c.value]
    assert texts.count("(นายปลัด สาธารณสุข)") == 1 and "(นายรัฐมนตรี)" in texts


def test_the_document_states_an_indicators_reporting_rounds(tmp_path):
    from openpyxl import load_workbook

    from xlkpi.sample import DEPARTMENTS, sample_ministry

    ddc = next(a for d, a in zip(DEPARTMENTS, sample_ministry()) if d.slug == "ddc")
    path = write_agreement_document(ddc, SETTINGS, tmp_path / "ddc.xlsx")
    ws = load_workbook(path).active
    rows = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(11, ws.max_row + 1)}
    assert rows["15"].endswith("[รายงานผลรอบ 12 เดือน — reports at 12 months]")
    assert "รายงานผลรอบ" not in rows["15.1"]  # inherited from 15, said once
