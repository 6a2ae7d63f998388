"""`xlkpi verify PATH...` over files and folders, and `xlkpi audit --formulas`.

A folder holds good SAR Cards, one whose score formula was replaced by a constant, a KPI
Template and a file that is not a workbook: every file gets its own line in the JSON
report, the batch runs in worker processes and never stops for one file, and the exit code
says whether anything differs.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xlkpi.cli import app
from xlkpi.engine import score_agreement
from xlkpi.model import THRESHOLD
from xlkpi.workbook.layout import layout_names, name_for, sar_layout

runner = CliRunner()


def _agreement(seed: int, leaves: int = 6):
    from xlkpi.sample import random_agreement

    return random_agreement(random.Random(seed), leaves, rounds=(6, 9, 12))


def tamper(path: Path, agreement, out: Path) -> str:
    """The 12-month score of a scored threshold leaf becomes a constant; returns its cell."""
    from openpyxl import load_workbook

    leaf = next(i for i in agreement.leaves() if i.kind == THRESHOLD and i.applicable and not i.granted
                and 12 in i.result)
    sheet, cell = layout_names(sar_layout(agreement))[name_for(leaf.id, 12, "score")]
    wrong = 5 if score_agreement(agreement, 12).by_id()[leaf.id].score != 5 else 4
    wb = load_workbook(path)
    wb[sheet][cell] = f"={wrong}"
    wb.save(out)
    return f"{sheet}!{cell}"


@pytest.fixture(scope="module")
def ministry(tmp_path_factory) -> dict:
    from xlkpi.workbook.sar import write_sar
    from xlkpi.workbook.template import write_template

    folder = tmp_path_factory.mktemp("ministry")
    (folder / "sub").mkdir()
    good = [write_sar(_agreement(seed), folder / f"good{seed}.xlsx") for seed in (21, 22)]
    agreement = _agreement(23)
    source = write_sar(agreement, tmp_path_factory.mktemp("src") / "sar.xlsx")
    tampered = folder / "sub" / "tampered.xlsx"
    cell = tamper(source, agreement, tampered)
    template = write_template(_agreement(24), folder / "template.xlsx")
    broken = folder / "sub" / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    (folder / "~$good21.xlsx").write_bytes(b"lock file")  # Excel's lock file: skipped
    return {"folder": folder, "good": good, "tampered": tampered, "cell": cell,
            "template": Path(template), "broken": broken}


def test_verify_a_folder_in_parallel(ministry):
    run = runner.invoke(app, ["verify", str(ministry["folder"]), "--json", "--workers", "2"])
    assert run.exit_code == 1, run.output
    report = json.loads(run.stdout)
    by_file = {Path(w["file"]).name: w for w in report["workbooks"]}
    assert list(by_file) == ["good21.xlsx", "good22.xlsx", "broken.xlsx", "tampered.xlsx", "template.xlsx"]
    assert by_file["good21.xlsx"]["status"] == by_file["good22.xlsx"]["status"] == "ok"
    assert by_file["good21.xlsx"]["differences"] == [] and by_file["good21.xlsx"]["cells"] > 30
    assert by_file["tampered.xlsx"]["status"] == "errors"
    cells = [d["cell"] for d in by_file["tampered.xlsx"]["differences"]]
    # the score, then what it flows into (weighted score, dimension, total) of that round only
    assert cells[0] == ministry["cell"] and all(c.startswith("SAR 12") for c in cells)
    assert [f["code"] for f in by_file["template.xlsx"]["findings"]] == ["VERIFY-NOT-SAR"]
    assert by_file["broken.xlsx"]["status"] == "unreadable"
    assert report["summary"]["workbooks"] == 5
    assert report["summary"]["by_status"] == {"ok": 2, "unreadable": 1, "errors": 2}
    assert report["summary"]["findings_by_code"]["VERIFY-DIFF"] == len(cells)
    assert report["summary"]["cells"] == sum(w["cells"] for w in report["workbooks"])


def test_verify_files_named(ministry):
    good = runner.invoke(app, ["verify", *map(str, ministry["good"])])
    assert good.exit_code == 0, good.output
    assert "verified 2 workbooks" in good.stdout
    assert good.stdout.count("agree with the engine") == 2
    missing = runner.invoke(app, ["verify", str(ministry["folder"] / "nowhere.xlsx")])
    assert missing.exit_code == 2


def test_audit_with_formulas_adds_the_recalculation(ministry):
    plain = runner.invoke(app, ["audit", str(ministry["tampered"]), *map(str, ministry["good"]), "--json"])
    both = runner.invoke(app, ["audit", str(ministry["tampered"]), *map(str, ministry["good"]), "--json",
                               "--formulas"])
    plain, both = json.loads(plain.stdout), json.loads(both.stdout)

    def verify_findings(report, name):
        [wb] = [w for w in report["workbooks"] if Path(w["file"]).name == name]
        return [(f["code"], f["cell"]) for f in wb["findings"] if f["code"].startswith("VERIFY-")]

    assert verify_findings(plain, "tampered.xlsx") == []
    found = verify_findings(both, "tampered.xlsx")
    assert found[0] == ("VERIFY-DIFF", ministry["cell"]) and {code for code, _ in found} == {"VERIFY-DIFF"}
    for good in ministry["good"]:
        assert verify_findings(both, good.name) == []
    assert both["summary"]["findings_by_code"]["VERIFY-DIFF"] == len(found)


def _outcome(result) -> tuple:
    comparisons, findings = result
    return ([(c.name, c.sheet, c.cell, repr(c.engine), type(c.workbook).__name__, repr(c.workbook))
             for c in comparisons], [f.to_dict() for f in findings])


def _typed(source: Path, out: Path, agreement, values: list, date_format: bool = False) -> Path:
    """`source` with the results of threshold leaves typed as `values`, in turn (every other
    one in a date format, if `date_format`)."""
    from openpyxl import load_workbook

    names = layout_names(sar_layout(agreement))
    wb = load_workbook(source)
    leaves = [i for i in agreement.leaves() if i.kind == THRESHOLD and i.applicable and not i.granted]
    for n, leaf in enumerate(leaves):
        key = name_for(leaf.id, 12, "result")
        if key in names:
            sheet, cell = names[key]
            wb[sheet][cell] = values[n % len(values)]
            if date_format and n % 2:
                wb[sheet][cell].number_format = "d mmm yyyy"
    wb.save(out)
    return out


def test_read_once_gives_what_openpyxl_gives(ministry, tmp_path):
    """`xlkpi verify` reads a card once with the audit's reader; its comparisons and findings
    are those of the card opened by openpyxl, on varied cards (every indicator kind, groups,
    one to three rounds, rows not due), a tampered card, a template, results typed as text;
    a card with a result in a date format is read with openpyxl."""
    from xlkpi import verify
    from xlkpi.fastcalc.book import Reread
    from xlkpi.sample import random_agreement, sample_ministry
    from xlkpi.workbook.sar import write_sar

    cards = [*ministry["good"], ministry["tampered"], ministry["template"]]
    for n, (seed, leaves, rounds) in enumerate([(31, 10, (6,)), (32, 14, (6, 12)), (33, 24, (6, 9, 12))]):
        cards.append(write_sar(random_agreement(random.Random(seed), leaves, rounds=rounds), tmp_path / f"r{n}.xlsx"))
    cards.append(write_sar(sample_ministry()[3], tmp_path / "sample.xlsx"))
    agreement = _agreement(34, 12)
    source = write_sar(agreement, tmp_path / "typed-source.xlsx")
    cards.append(_typed(source, tmp_path / "text.xlsx", agreement, ["85", 70, "=1/0", 90.5, "ไม่มี"]))
    dated = _typed(source, tmp_path / "dated.xlsx", agreement, [45000.0, 45001.0], True)
    for card in cards:
        read_once = _outcome(verify._verify_read_once(Path(card)))  # the audit's reader takes it
        assert read_once == _outcome(verify._verify_openpyxl(card)), card
        assert _outcome(verify.verify_file(card)) == read_once
    assert any(f["code"] == "SAR-RESULT-NOT-NUMBER" for f in _outcome(verify.verify_file(cards[-1]))[1])
    with pytest.raises(Reread, match="a date"):
        verify._verify_read_once(dated)
    assert _outcome(verify.verify_file(dated)) == _outcome(verify._verify_openpyxl(dated))
    assert any(f["code"] == "SAR-RESULT-NOT-NUMBER" for f in _outcome(verify.verify_file(dated))[1])


def _job_and_process(job):
    import os

    return job, os.getpid()


def test_parallel_map_runs_the_first_job_here_then_the_rest_in_workers():
    """The first job warms this process, which the workers start as copies of; the results
    come in the jobs' order, and garbage collection is back to normal afterwards."""
    import gc
    import os

    from xlkpi.batch import parallel_map

    results = list(parallel_map(_job_and_process, list(range(9)), workers=2))
    assert [job for job, _ in results] == list(range(9))
    assert results[0][1] == os.getpid()
    assert all(pid != os.getpid() for _, pid in results[1:])
    assert gc.get_freeze_count() == 0
    assert {pid for _, pid in parallel_map(_job_and_process, [1, 2, 3], workers=2)} == {os.getpid()}


def test_read_once_on_the_audit_corpus_mutations(tmp_path):
    """The audit corpus's hand edits of a card's XML (tests/corpus.py) — a formula made a
    constant, weights and thresholds changed (a 17-digit one, a whole one written "80.0"),
    text and formula injections, rows inserted, a sheet deleted, macros, an array formula,
    broken files: `verify_file` gives what the card opened by openpyxl gives."""
    import corpus as c

    from xlkpi import verify
    from xlkpi.workbook.layout import Col, round_sheet
    from xlkpi.workbook.readback import check_container
    from xlkpi.workbook.sar import write_sar

    agreement = c.corpus_agreement()
    good = write_sar(agreement, tmp_path / "good.xlsx")
    r = c.first_threshold_row(agreement).row
    second = sar_layout(agreement).rows[1].row
    out = tmp_path / "bad"
    out.mkdir()
    files = [
        good,
        c.formula_to_constant(good, out / "formula-constant.xlsx", f"{Col.SCORE}{r}"),
        c.constant_value(good, out / "weight.xlsx", f"{Col.WEIGHT}{r}", "99"),
        c.constant_value(good, out / "threshold.xlsx", f"{Col.CRITERIA[0]}{r}", "-12345"),
        c.constant_value(good, out / "long.xlsx", f"{Col.CRITERIA[0]}{r}", "12345678901234567"),
        c.constant_value(good, out / "point-zero.xlsx", f"{Col.CRITERIA[0]}{r}", "80.0"),
        c.strip_protection(good, out / "protection.xlsx"),
        c.text_in_cell(good, out / "text-result.xlsx", f"{Col.RESULT}{r}", "ประมาณ 80"),
        c.text_in_cell(good, out / "injection.xlsx", f"{Col.EXPLANATION}{r}", '=HYPERLINK("http://x.example","x")'),
        c.insert_rows(good, out / "rows-inserted.xlsx", second),
        c.delete_sheet(good, out / "sheet-deleted.xlsx", round_sheet(6)),
        c.truncate(good, out / "truncated.xlsx"),
        c.not_excel(out / "not-excel.xlsx"),
        c.with_macros(good, out / "macros.xlsm"),
        # an array formula, which the audit's reader does not tell apart: the same scores
        c.edit_sheet_xml(good, out / "array.xlsx", c.SAR_SHEET, lambda t: c.replace_cell(
            t, f"{Col.SCORE}{r}", lambda x: x.replace("<f>", f'<f t="array" ref="{Col.SCORE}{r}">'))),
    ]
    codes = set()
    for path in files:
        found = check_container(path)
        openpyxl_way = ([], found) if found else verify._verify_openpyxl(path)
        outcome = _outcome(verify.verify_file(path))
        assert outcome == _outcome(openpyxl_way), path.name
        codes |= {f["code"] for f in outcome[1]}
    assert {"VERIFY-DIFF", "SAR-RESULT-NOT-NUMBER", "WB-CORRUPT", "WB-NOT-EXCEL"} <= codes
