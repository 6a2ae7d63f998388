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
