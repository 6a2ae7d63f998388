"""The bad-workbook corpus (issue 4): each tampering is found with its code at its cell, none
stops the batch (CLI and process pool), good workbooks have no errors, macros are found and
never run, and the audited files are byte-identical afterwards.  The generated corpus by
class (issue 10) is test_audit_classes.py."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import corpus as c
from xlkpi.agreement import dump
from xlkpi.audit import audit_file
from xlkpi.audit.batch import audit_many, collect
from xlkpi.cli import app
from xlkpi.recalc import libreoffice_recalc
from xlkpi.sample import DEPARTMENTS, sample_ministry
from xlkpi.workbook.layout import Col, round_sheet, sar_layout
from xlkpi.workbook.sar import write_sar
from xlkpi.workbook.template import write_template

pytestmark = [pytest.mark.libreoffice, pytest.mark.xdist_group("libreoffice")]

INJECTION = '=HYPERLINK("http://evil.example","คลิก")'


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Good workbooks calculated by LibreOffice, and a folder of mutated copies."""
    root = tmp_path_factory.mktemp("corpus")
    agreement = c.corpus_agreement()
    # The template of the sample department without planted mistakes fits the framework.
    template_agreement = next(a for d, a in zip(DEPARTMENTS, sample_ministry()) if d.slug == "pbri")
    raw = root / "raw"
    raw.mkdir()
    calculated = libreoffice_recalc([write_sar(agreement, raw / "good-sar.xlsx"),
                                     write_template(template_agreement, raw / "good-template.xlsx")], root / "good")
    good_sar, good_template = calculated[raw / "good-sar.xlsx"], calculated[raw / "good-template.xlsx"]
    signed = root / "signed"  # the ministry's signed agreements, one file per department
    signed.mkdir()
    dump(agreement, signed / "sar-department.yaml")
    dump(template_agreement, signed / "template-department.yaml")
    bad = root / "bad"
    bad.mkdir()
    layout = sar_layout(agreement)
    row = c.first_threshold_row(agreement)
    r = row.row
    second = layout.rows[1].row
    sheet = c.SAR_SHEET
    mutations = [
        c.Mutation("formula-constant", "WB-FORMULA-REPLACED", sheet, f"{Col.SCORE}{r}",
                   c.formula_to_constant(good_sar, bad / "formula-constant.xlsx", f"{Col.SCORE}{r}")),
        c.Mutation("cached-score", "SAR-STORED-DIFFERS", sheet, f"{Col.SCORE}{r}",
                   c.cached_value(good_sar, bad / "cached-score.xlsx", f"{Col.SCORE}{r}")),
        c.Mutation("cached-weighted", "SAR-STORED-DIFFERS", sheet, f"{Col.WEIGHTED}{r}",
                   c.cached_value(good_sar, bad / "cached-weighted.xlsx", f"{Col.WEIGHTED}{r}", "0.9999")),
        c.Mutation("cached-total", "SAR-STORED-DIFFERS", sheet, f"{Col.WEIGHTED}{layout.total_row}",
                   c.cached_value(good_sar, bad / "cached-total.xlsx", f"{Col.WEIGHTED}{layout.total_row}", "4.9")),
        c.Mutation("weight", "WB-CELL-CHANGED", sheet, f"{Col.WEIGHT}{r}",
                   c.constant_value(good_sar, bad / "weight.xlsx", f"{Col.WEIGHT}{r}", "99")),
        c.Mutation("threshold", "WB-CELL-CHANGED", sheet, f"{Col.CRITERIA[0]}{r}",
                   c.constant_value(good_sar, bad / "threshold.xlsx", f"{Col.CRITERIA[0]}{r}", "-12345")),
        c.Mutation("protection", "WB-PROTECTION-REMOVED", sheet, "",
                   c.strip_protection(good_sar, bad / "protection.xlsx")),
        c.Mutation("text-result", "SAR-RESULT-NOT-NUMBER", sheet, f"{Col.RESULT}{r}",
                   c.text_in_cell(good_sar, bad / "text-result.xlsx", f"{Col.RESULT}{r}", "ประมาณ 80")),
        c.Mutation("injection", "WB-FORMULA-INJECTION", sheet, f"{Col.EXPLANATION}{r}",
                   c.text_in_cell(good_sar, bad / "injection.xlsx", f"{Col.EXPLANATION}{r}", INJECTION)),
        c.Mutation("rows-inserted", "WB-CELL-CHANGED", sheet, f"{Col.ID}{second}",
                   c.insert_rows(good_sar, bad / "rows-inserted.xlsx", second)),
        c.Mutation("sheet-deleted", "WB-SHEET-DELETED", round_sheet(6), "",
                   c.delete_sheet(good_sar, bad / "sheet-deleted.xlsx", round_sheet(6))),
        c.Mutation("truncated", "WB-CORRUPT", "", "", c.truncate(good_sar, bad / "truncated.xlsx")),
        c.Mutation("renamed-pdf", "WB-NOT-EXCEL", "", "", c.fake_pdf(bad / "renamed-pdf.xlsx")),
        c.Mutation("encrypted", "WB-ENCRYPTED", "", "", c.encrypt(good_sar, bad / "encrypted.xlsx")),
        c.Mutation("not-excel", "WB-NOT-EXCEL", "", "", c.not_excel(bad / "not-excel.xlsx")),
        c.Mutation("zip-bomb", "WB-ZIP-BOMB", "", "", c.zip_bomb(bad / "zip-bomb.xlsx")),
    ]
    for name, path in (("good-sar", good_sar), ("good-template", good_template)):
        c.copy(path, bad / f"{name}.xlsx")
    hashes = {p: c.digest(p) for p in bad.iterdir()}
    return {"root": root, "bad": bad, "good_sar": good_sar, "good_template": good_template, "signed": signed,
            "mutations": mutations, "hashes": hashes, "agreement": agreement}


def _codes_at(result) -> set:
    return {(f.code, f.sheet, f.cell) for f in result.findings}


def test_good_workbooks_have_no_errors(corpus):
    for path in (corpus["good_sar"], corpus["good_template"]):
        result = audit_file(path)
        assert result.readable and result.kind in ("sar", "template")
        assert [f for f in result.findings if f.is_error] == [], path
    sar = audit_file(corpus["good_sar"])
    assert sar.total_stored == pytest.approx(sar.total_recomputed, abs=1e-9)


@pytest.mark.parametrize("name", ["formula-constant", "cached-score", "cached-weighted", "cached-total", "weight",
                                  "threshold", "protection", "text-result", "injection", "rows-inserted",
                                  "sheet-deleted", "truncated", "renamed-pdf", "encrypted", "not-excel", "zip-bomb"])
def test_each_mutation_is_found_at_its_cell(corpus, name):
    mutation = next(m for m in corpus["mutations"] if m.name == name)
    result = audit_file(mutation.path)
    found = [f for f in result.findings if f.code == mutation.code]
    assert found, f"{name}: {mutation.code} not in {[f.code for f in result.findings]}"
    assert any(f.is_error for f in found)
    if mutation.cell:
        assert (mutation.code, mutation.sheet, mutation.cell) in _codes_at(result), [str(f) for f in found]
    elif mutation.sheet:
        assert any(f.sheet == mutation.sheet for f in found)
    else:
        assert not result.readable and result.status == "unreadable"


def test_agreement_weight_differs_from_the_signed_file(corpus, tmp_path):
    """--agreement with another weight: the untouched workbook now disagrees at that cell."""
    agreement = corpus["agreement"]
    row = c.first_threshold_row(agreement)
    signed = c.corpus_agreement()
    signed.find(row.indicator.id).weight += 1
    dump(signed, tmp_path / "signed.yaml")
    result = CliRunner().invoke(app, ["audit", str(corpus["good_sar"]), "--json",
                                      "--agreement", str(tmp_path / "signed.yaml")])
    findings = json.loads(result.stdout)["workbooks"][0]["findings"]
    assert {"code": "WB-CELL-CHANGED", "cell": f"{c.SAR_SHEET}!{Col.WEIGHT}{row.row}"}.items() <= \
        next(f for f in findings if f["cell"] == f"{c.SAR_SHEET}!{Col.WEIGHT}{row.row}").items()


def test_cli_batch_finds_everything_and_changes_nothing(corpus, tmp_path):
    report = tmp_path / "report.xlsx"
    result = CliRunner().invoke(app, ["audit", str(corpus["bad"]), "--json", "--report", str(report),
                                      "--agreement", str(corpus["signed"]), "-j", "2"])
    assert result.exit_code == 1, result.output  # findings, not a crash
    out = json.loads(result.stdout)
    by_file = {Path(w["file"]).name: w for w in out["workbooks"]}
    assert len(by_file) == len(corpus["mutations"]) + 2
    for mutation in corpus["mutations"]:
        codes = {f["code"] for f in by_file[mutation.path.name]["findings"]}
        assert mutation.code in codes, (mutation.name, codes)
    assert by_file["good-sar.xlsx"]["status"] in ("ok", "warnings")
    assert by_file["good-template.xlsx"]["status"] in ("ok", "warnings")
    assert {w["baseline"] for w in out["workbooks"] if w["kind"]} == {"agreement"}
    assert "AUDIT-RULE-FAILED" not in out["summary"]["findings_by_code"]
    # The audited files are byte-identical afterwards.
    assert {p: c.digest(p) for p in corpus["bad"].iterdir()} == corpus["hashes"]
    # The report's copy of the injection finding stays text (never a formula).
    wb = load_workbook(report)
    texts = [cell for ws in wb.worksheets[1:] for line in ws.iter_rows() for cell in line
             if isinstance(cell.value, str) and "evil.example" in cell.value]
    assert texts and all(cell.data_type == "s" for cell in texts)
    # Each finding links to its file and cell (target = the file's URI, location = the cell).
    links = [cell.hyperlink for ws in wb.worksheets[1:] for line in ws.iter_rows() for cell in line if cell.hyperlink]
    cached = next(m for m in corpus["mutations"] if m.name == "cached-score")
    assert any(h.target == cached.path.resolve().as_uri() and h.location == f"'{cached.sheet}'!{cached.cell}"
               for h in links)
    with zipfile.ZipFile(report) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        formulas = [f for n in sheets for f in re.findall(r"<f[^>]*>(.*?)</f>", z.read(n).decode("utf-8"), re.S)]
        assert formulas and not any("evil.example" in f for f in formulas)


def test_process_pool_batch_never_stops(corpus):
    paths = collect([corpus["bad"]])
    results = list(audit_many(paths, {}, None, workers=2))
    assert [r.file for r in results] == [str(p) for p in paths]
    unreadable = {Path(r.file).name for r in results if r.status == "unreadable"}
    assert unreadable == {"truncated.xlsx", "renamed-pdf.xlsx", "encrypted.xlsx", "not-excel.xlsx", "zip-bomb.xlsx"}
    assert {p: c.digest(p) for p in corpus["bad"].iterdir()} == corpus["hashes"]


def test_xlsm_macros_are_found_read_as_data_and_never_run(corpus, tmp_path):
    xlsm = c.with_macros(corpus["good_sar"], tmp_path / "with-macros.xlsm")
    before = c.digest(xlsm)
    result = audit_file(xlsm)
    assert result.kind == "sar" and {f.code for f in result.findings if f.is_error} == {"WB-MACROS"}
    assert not (tmp_path / "macro-ran.txt").exists()
    assert c.digest(xlsm) == before
    with zipfile.ZipFile(xlsm) as z:
        assert "xl/vbaProject.bin" in z.namelist()
    assert xlsm in collect([tmp_path])
