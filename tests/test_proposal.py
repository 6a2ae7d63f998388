"""The proposal form, filled as an officer fills it: typed cell by cell into LibreOffice over
UNO, saved by LibreOffice, imported with `xlkpi agreement import`.

The intended agreement is written out here by hand (a department on the FY2552 framework,
DOMAIN §4: A = 23, B = 10, C = 10); what is typed is derived from it by the form's column
order restated below, not by the code under test.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from xlkpi.agreement import load, to_dict
from xlkpi.cli import app
from xlkpi.model import GROUP, MILESTONE, THRESHOLD, WEIGHTED, Agreement, Contact, Indicator, Part

SHEET = "ข้อเสนอตัวชี้วัด"
COVER = "ปก"
# The table's columns as the form prints them (DOMAIN §7 fields, one row per indicator)
COLUMNS = ["id", "name", "unit", "weight", "kind", "direction", "c1", "c2", "c3", "c4", "c5", "b1", "b2", "b3",
           "definition", "formula", "data_source", "owner.name", "owner.phone", "collector.name",
           "collector.phone", "rationale", "conditions", "evaluation", "evidence_expected", "responsible_unit",
           "report_rounds"]
LETTER = {key: get_column_letter(n + 1) for n, key in enumerate(COLUMNS)}  # … "report_rounds": "AA"
KIND_TYPED = {THRESHOLD: "เกณฑ์การให้คะแนน 1–5", MILESTONE: "ระดับขั้นตอนของความสำเร็จ"}  # the form's lists
DIRECTION_TYPED = {"up": "ค่ายิ่งสูงยิ่งดี", "down": "ค่ายิ่งต่ำยิ่งดี"}


def details(n: int) -> dict:
    return dict(
        definition=f"คำอธิบายตัวชี้วัดที่ {n}: วัดผลสำเร็จของงานตามแผนปฏิบัติราชการ",
        formula=f"(ผลงานที่ทำได้ × 100) ÷ เป้าหมาย โดยที่ ผลงาน = จำนวนงานที่แล้วเสร็จ ({n})",
        data_source="รายงานผลการดำเนินงานรายไตรมาส กองแผนงาน", owner=Contact(f"นายสมชาย ใจดี {n}", "0 2590 1000"),
        collector=Contact(f"นางสาวสมหญิง รักงาน {n}", "0 2590 2000"), rationale="เพื่อติดตามผลสัมฤทธิ์ตามแผน",
        conditions="ใช้ข้อมูล ณ วันสิ้นรอบการประเมิน", evaluation="ตรวจสอบเอกสารและสัมภาษณ์ผู้กำกับดูแลตัวชี้วัด",
        evidence_expected="คำสั่งแต่งตั้งคณะทำงาน รายงานการประชุม", responsible_unit="กองแผนงาน",
        baseline={2549: 70 + n, 2550: 75 + n, 2551: 80 + n})


def milestones(n: int) -> list:
    return [f"ขั้นตอนที่ {level} ของตัวชี้วัด {n}: ดำเนินการตามแผนระดับ {level}" for level in range(1, 6)]


def leaf(id_, name, dimension, weight, kind, n, unit="ร้อยละ", direction="up", thresholds=None, parts=None):
    ind = Indicator(id=id_, name=name, dimension=dimension, weight=weight, kind=kind, unit=unit, direction=direction,
                    **details(n))
    if kind == THRESHOLD:
        ind.thresholds = thresholds or [60, 70, 80, 90, 100]
    elif kind == MILESTONE:
        ind.milestones = milestones(n)
    elif kind == WEIGHTED:
        ind.parts = parts
    return ind


def part(name, weight, thresholds, unit="ร้อยละ", direction="up"):
    return Part(name=name, weight=weight, thresholds=thresholds, unit=unit, direction=direction)


N1 = "ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมายตามแผนปฏิบัติราชการของกระทรวง"


def intended() -> Agreement:
    """A whole department's proposal (what the officer means to type)."""
    from xlkpi.framework import load_framework

    framework, _ = load_framework("fy2552-pilot-ministry")
    name = {i.id: i.name_th for i in framework.walk()}
    g1 = [leaf("1.1", name["1.1"], 1, 15, WEIGHTED, 1, unit="ระดับ", parts=[
              part("อัตราความครอบคลุมการได้รับวัคซีน", 0.6, [80, 85, 90, 95, 100]),
              part("ระยะเวลาเฉลี่ยในการสอบสวนโรค", 0.4, [10, 8, 6, 4, 2], unit="วัน", direction="down")]),
          leaf("1.2", name["1.2"], 1, 3, WEIGHTED, 2, unit="ระดับ", parts=[
              part("ร้อยละของโครงการร่วมที่แล้วเสร็จ", 1, [60, 70, 80, 90, 100])]),
          leaf("1.3", name["1.3"], 1, 2, MILESTONE, 3, unit="ระดับ")]
    g3 = [leaf("3.1", "ร้อยละของผู้ป่วยที่ได้รับการรักษาตามมาตรฐาน", 1, 12, THRESHOLD, 4),
          leaf("3.2", "ระดับความสำเร็จของการพัฒนาระบบเฝ้าระวังโรค", 1, 11, MILESTONE, 5, unit="ระดับ")]
    g4 = [leaf("4.1", "ร้อยละความพึงพอใจของผู้รับบริการ", 2, 6, THRESHOLD, 6, thresholds=[70, 75, 80, 85, 90]),
          leaf("4.2", "ระยะเวลาเฉลี่ยในการให้บริการ", 2, 4, THRESHOLD, 7, unit="นาที", direction="down",
               thresholds=[30, 25, None, 15, 10])]
    g5 = [leaf("5.1", name["5.1"], 3, 4, THRESHOLD, 8, thresholds=[72, 76, 80, 84, 88]),
          leaf("5.2", name["5.2"], 3, 3, MILESTONE, 9, unit="ระดับ"),
          leaf("5.4", "ร้อยละของการลดต้นทุนต่อหน่วยผลผลิต", 3, 6, THRESHOLD, 10, thresholds=[1, 2, 3, 4, 5]),
          leaf("5.5", "ระดับความสำเร็จของการลดขั้นตอนการปฏิบัติงาน", 3, 4, MILESTONE, 11, unit="ระดับ")]
    # DOMAIN §6.5a: an annual indicator, one reported at 9 and 12, a part reported at 6 and 12
    g3[1].report_rounds, g4[0].report_rounds, g1[0].parts[1].report_rounds = [12], [9, 12], [6, 12]
    indicators = [
        Indicator(id="1", name=name["1"], dimension=1, weight=20, kind=GROUP, children=g1),
        leaf("2", name["2"], 1, 10, WEIGHTED, 12, unit="ระดับ", parts=[
            part("ร้อยละของเป้าหมายกลุ่มภารกิจที่บรรลุ", 0.5, [60, 70, 80, 90, 100]),
            part("จำนวนเครือข่ายที่เข้าร่วม", 0.5, [5, 10, 15, 20, 25], unit="เครือข่าย")]),
        Indicator(id="3", name=name["3"], dimension=1, weight=23, kind=GROUP, children=g3),
        Indicator(id="4", name=name["4"], dimension=2, weight=10, kind=GROUP, children=g4),
        Indicator(id="5", name=name["5"], dimension=3, weight=17, kind=GROUP, children=g5),
        leaf("6", name["6"], 4, 20, MILESTONE, 13, unit="ระดับ"),
    ]
    return Agreement(fiscal_year=2552, ministry="กระทรวงสาธารณสุข", department="กรมควบคุมโรค",
                     department_type="in_mission_group", mission_group="กลุ่มภารกิจด้านพัฒนาการสาธารณสุข",
                     framework="fy2552-pilot-ministry", indicators=indicators,
                     split_reasons="ให้น้ำหนักมิติประสิทธิผลมากที่สุดตามยุทธศาสตร์กระทรวง")


def typed_cells(agreement: Agreement, form: Path) -> list:
    """(sheet, cell, what the officer types) for every value of the proposal, found by the
    indicator id printed in column A of the form (parts: "1.1 (1)", …)."""
    ws = load_workbook(form)[SHEET]
    row_of = {str(ws[f"A{r}"].value): r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value}
    cells = [(COVER, "B3", agreement.ministry), (COVER, "B4", agreement.department),
             (COVER, "B5", agreement.mission_group), (COVER, "B9", agreement.split_reasons)]
    fixed = {"1", "1.1", "1.2", "1.3", "2", "3", "4", "5", "5.1", "5.2", "6"}  # DOMAIN §4's, locked

    def put(row, key, value):
        if value is not None and value != "":
            cells.append((SHEET, f"{LETTER[key]}{row}", value))

    for ind in agreement.walk():
        if ind.kind == GROUP:
            continue
        r = row_of[ind.id]
        if ind.id not in fixed:
            put(r, "name", ind.name)
            put(r, "weight", ind.weight)
            put(r, "kind", KIND_TYPED[ind.kind])
        put(r, "unit", ind.unit)
        if ind.kind in (THRESHOLD, MILESTONE):
            put(r, "direction", DIRECTION_TYPED[ind.direction])
            for key, value in zip(["c1", "c2", "c3", "c4", "c5"], ind.thresholds or ind.milestones):
                put(r, key, value)
        for n, p in enumerate(ind.parts):
            pr = row_of[f"{ind.id} ({n + 1})"]
            put(pr, "name", p.name)
            put(pr, "unit", p.unit)
            put(pr, "weight", p.weight)
            put(pr, "direction", DIRECTION_TYPED[p.direction])
            for key, value in zip(["c1", "c2", "c3", "c4", "c5"], p.thresholds):
                put(pr, key, value)
            if p.report_rounds:  # as the officer types it: "6, 12", or 12 (a number to the sheet)
                put(pr, "report_rounds", ", ".join(map(str, p.report_rounds)))
        if ind.report_rounds:
            put(r, "report_rounds", ", ".join(map(str, ind.report_rounds)))
        for key, year in zip(["b1", "b2", "b3"], (2549, 2550, 2551)):
            put(r, key, ind.baseline.get(year))
        for key in ("definition", "formula", "data_source", "rationale", "conditions", "evaluation",
                    "evidence_expected", "responsible_unit"):
            put(r, key, getattr(ind, key))
        for who in ("owner", "collector"):
            put(r, f"{who}.name", getattr(ind, who).name)
            put(r, f"{who}.phone", getattr(ind, who).phone)
    return cells


# Types each value into its cell the way the input line does (XCell.setFormula: "85" becomes
# a number, Thai text stays text), then saves as .xlsx with LibreOffice's own filter.
UNO_TYPIST = r'''
import json, sys, time
import uno
from com.sun.star.beans import PropertyValue

def props(**kw):
    out = []
    for k, v in kw.items():
        p = PropertyValue(); p.Name = k; p.Value = v; out.append(p)
    return tuple(out)

pipe = sys.argv[1]
job = json.load(sys.stdin)
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
deadline = time.time() + 120
while True:
    try:
        ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        break
    except Exception:
        if time.time() > deadline:
            raise
        time.sleep(0.1)
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["src"]), "_blank", 0, props(Hidden=True))
try:
    for sheet, ref, text in job["cells"]:
        doc.Sheets.getByName(sheet).getCellRangeByName(ref).setFormula(text)
    doc.calculateAll()
    doc.storeToURL(uno.systemPathToFileUrl(job["dst"]), props(FilterName="Calc MS Excel 2007 XML", Overwrite=True))
    print("saved")
finally:
    doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
'''


def type_into(form: Path, cells: list, out: Path) -> Path:
    """Type `cells` into `form` in a headless LibreOffice and save as `out`."""
    from xlkpi.recalc import SOFFICE, UNO_PYTHON, _private_profile

    work = Path(tempfile.mkdtemp(prefix="xlkpi-typist-"))
    pipe = "xlkpi_typist_" + uuid.uuid4().hex
    office = subprocess.Popen(
        [SOFFICE, f"-env:UserInstallation={_private_profile(work / 'profile')}", "--headless", "--invisible",
         "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        job = {"src": str(form.resolve()), "dst": str(out.resolve()),
               "cells": [[s, c, v if isinstance(v, str) else f"{v:g}"] for s, c, v in cells]}
        done = subprocess.run([UNO_PYTHON, "-c", UNO_TYPIST, pipe], input=json.dumps(job), capture_output=True,
                              text=True, timeout=300)
        assert "saved" in done.stdout, done.stderr[-2000:]
    finally:
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(office.pid, 9)  # only the soffice this test started
            office.wait()
        shutil.rmtree(work, ignore_errors=True)
    return out


def run(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def form(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("proposal")
    code, output = run("workbook", "proposal", "fy2552-pilot-ministry", "-o", folder / "proposal.xlsx")
    assert code == 0, output
    return folder / "proposal.xlsx"


def test_blank_form_locks_the_framework_and_opens_the_departments_rows(form):
    ws = load_workbook(form)[SHEET]
    row_of = {str(ws[f"A{r}"].value): r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value}
    # DOMAIN §4: fixed names and weights prefilled and locked
    assert ws[f"B{row_of['5.1']}"].value == "ร้อยละของอัตราการเบิกจ่ายเงินงบประมาณรายจ่ายลงทุน"
    assert ws[f"D{row_of['5.1']}"].value == 4 and ws[f"D{row_of['5.1']}"].protection.locked
    assert ws[f"B{row_of['6']}"].protection.locked and ws[f"D{row_of['6']}"].value == 20
    # the department's own rows under 3, 4, 5: name, weight and kind unlocked, ids locked;
    # 5.3 is the framework's governance indicator, so the department's start at 5.4
    for id_ in ("3.1", "3.10", "4.1", "4.10", "5.4", "5.13"):
        r = row_of[id_]
        assert ws[f"A{r}"].protection.locked
        assert not any(ws[f"{c}{r}"].protection.locked for c in "BCDEFGHIJK"), id_
        assert ws[f"B{r}"].fill.fgColor.rgb[-6:] == "FFF2CC"
    assert "5.3" not in row_of
    assert ws.protection.sheet


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_typed_through_libreoffice_the_proposal_imports_as_the_intended_agreement(form, tmp_path):
    want = intended()
    filled = type_into(form, typed_cells(want, form), tmp_path / "filled.xlsx")
    code, output = run("agreement", "import", filled, "-o", tmp_path / "agreement.yaml")
    assert code == 0, output
    got, findings = load(tmp_path / "agreement.yaml")
    assert got is not None and not [f for f in findings if f.is_error], findings
    assert to_dict(got) == to_dict(want)


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_mistakes_typed_into_the_form_come_back_as_findings(form, tmp_path):
    want = intended()
    cells = typed_cells(want, form)
    row_of = {}
    ws = load_workbook(form)[SHEET]
    for r in range(1, ws.max_row + 1):
        row_of[str(ws[f"A{r}"].value)] = r
    r31, r41, r32, r42 = row_of["3.1"], row_of["4.1"], row_of["3.2"], row_of["4.2"]
    wrong = {
        (SHEET, f"D{r41}"): "หก",  # a weight in words
        (SHEET, f"E{r42}"): "อื่น ๆ",  # a kind not in the list
        (SHEET, f"H{r31}"): 50,  # thresholds 60, 50, 80, …: not monotonic
        (SHEET, f"{LETTER['report_rounds']}{r41}"): "6, 9",  # no round 12
    }
    typed = [(s, c, wrong.get((s, c), v)) for s, c, v in cells if (s, c) != (SHEET, f"J{r32}")]  # milestone 4 left out
    filled = type_into(form, typed, tmp_path / "mistakes.xlsx")
    code, output = run("agreement", "import", filled, "-o", tmp_path / "agreement.yaml", "--json")
    assert code == 1
    assert not (tmp_path / "agreement.yaml").exists()
    found = {(f["code"], f["sheet"], f["cell"]) for f in json.loads(output)["findings"]}
    assert ("PROP-NOT-NUMBER", SHEET, f"D{r41}") in found
    assert ("PROP-KIND", SHEET, f"E{r42}") in found
    assert ("PROP-ROUNDS", SHEET, f"{LETTER['report_rounds']}{r41}") in found
    assert ("PROP-MILESTONE-BLANK", SHEET, f"J{r32}") in found
    assert ("TPL-THRESHOLD-ORDER", SHEET, f"G{r31}") in found
    # 4.1's weight unread: the framework check finds the total short of 100, on the total cell
    assert any(code == "FW-TOTAL" and sheet == SHEET for code, sheet, _cell in found)
    assert all(f["file"] == str(filled) for f in json.loads(output)["findings"])


def test_a_blank_locked_field_is_the_secretariats_to_fix_not_the_departments(tmp_path):
    """A KPI Template whose agreement lacks a unit: the unit cell is locked, so the audit must
    not ask the department to fill it (TPL-REQUIRED-BLANK) but the secretariat."""
    from xlkpi.audit import audit_file
    from xlkpi.sample import sample_ministry
    from xlkpi.workbook.layout import template_field_cell, template_sheet
    from xlkpi.workbook.template import write_template

    agreement = sample_ministry()[0]
    leaf = next(i for i in agreement.walk() if i.kind == THRESHOLD)
    leaf.unit = ""
    leaf.data_source = ""  # an input cell the department fills
    path = write_template(agreement, tmp_path / "template.xlsx")
    ws = load_workbook(path)[template_sheet(leaf.id)]
    unit, source = template_field_cell("unit"), template_field_cell("data_source")
    assert ws[unit].protection.locked and not ws[source].protection.locked
    findings = {(f.code, f.sheet, f.cell) for f in audit_file(path).findings}
    assert ("TPL-AGREEMENT-BLANK", template_sheet(leaf.id), unit) in findings
    assert ("TPL-REQUIRED-BLANK", template_sheet(leaf.id), unit) not in findings
    assert ("TPL-REQUIRED-BLANK", template_sheet(leaf.id), source) in findings


def test_a_signed_agreement_comes_back_unchanged_through_its_proposal_form(tmp_path):
    """Given an agreement, the form is prefilled with it (for revision); imported untouched,
    it is the same agreement (results aside: a proposal comes before signing)."""
    from xlkpi.agreement import dump
    from xlkpi.workbook.blanks import sample_blank

    signed = sample_blank()
    dump(signed, tmp_path / "signed.yaml")
    code, output = run("workbook", "proposal", tmp_path / "signed.yaml", "-o", tmp_path / "revise.xlsx")
    assert code == 0, output
    ws = load_workbook(tmp_path / "revise.xlsx")[SHEET]
    row_of = {str(ws[f"A{r}"].value): r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value}
    assert ws[f"B{row_of['3.1']}"].value == next(i.name for i in signed.walk() if i.id == "3.1")
    assert not ws[f"B{row_of['3.1']}"].protection.locked  # the department's own KPI: editable
    assert ws[f"B{row_of['5.1']}"].protection.locked  # the framework's: locked
    code, output = run("agreement", "import", tmp_path / "revise.xlsx", "-o", tmp_path / "back.yaml")
    assert code == 0, output
    back, _findings = load(tmp_path / "back.yaml")
    assert to_dict(back) == to_dict(signed)


def test_english_beside_the_thai_only_when_asked(tmp_path):
    from xlkpi.workbook.blanks import sample_blank
    from xlkpi.workbook.layout import template_field_row, template_sheet
    from xlkpi.workbook.template import write_template

    agreement = sample_blank()
    sheet = template_sheet(agreement.indicators[0].id)
    row = template_field_row("definition")
    thai = load_workbook(write_template(agreement, tmp_path / "th.xlsx"))[sheet][f"A{row}"].value
    both = load_workbook(write_template(agreement, tmp_path / "th-en.xlsx", lang="th-en"))[sheet][f"A{row}"].value
    assert thai == "คำอธิบาย"
    assert both == "คำอธิบาย\n(definition)"
    from xlkpi.agreement import dump

    dump(agreement, tmp_path / "x.yaml")
    code, output = run("workbook", "template", tmp_path / "x.yaml", "-o", tmp_path / "x.xlsx", "--lang", "en")
    assert code == 2 and "--lang" in output and not (tmp_path / "x.xlsx").exists()


def test_the_blank_kpi_template_asks_only_for_cells_a_department_can_fill():
    from pathlib import Path

    from xlkpi.audit import audit_file

    path = Path(__file__).resolve().parent.parent / "workbooks" / "fy2552-kpi-template.xlsx"
    wb = load_workbook(path)
    asks = [f for f in audit_file(path).findings if f.code == "TPL-REQUIRED-BLANK"]
    assert asks  # the descriptive fields are still to be filled
    assert [(f.sheet, f.cell) for f in asks if wb[f.sheet][f.cell].protection.locked] == []
