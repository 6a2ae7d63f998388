"""Issue 4, "done when": `xlkpi audit` on the sample ministry's folder finds every deliberate
mistake (xlkpi.sample.SAMPLE_MISTAKES) and nothing else.

The folder is what a secretariat holds: every department's KPI Template, and its SAR Card as
the officer's spreadsheet saved it (LibreOffice computes and stores the values here).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xlkpi.cli import app
from xlkpi.demo import DemoContext, write_agreements, write_workbooks
from xlkpi.sample import DEPARTMENTS, SAMPLE_MISTAKES

pytestmark = [pytest.mark.libreoffice, pytest.mark.xdist_group("libreoffice")]


@pytest.fixture(scope="module")
def ministry(tmp_path_factory) -> Path:
    from rich.console import Console

    out = tmp_path_factory.mktemp("ministry")
    context = DemoContext(out=out, console=Console(quiet=True))
    write_agreements(context)
    write_workbooks(context)
    return out


def test_audit_finds_every_deliberate_mistake_and_nothing_else(ministry):
    result = CliRunner().invoke(app, ["audit", str(ministry / "workbooks"), "--agreement",
                                      str(ministry / "agreements"), "--json"])
    assert result.exit_code == 1, result.output  # the sample has error-level mistakes
    data = json.loads(result.stdout)
    slug = {d.name: d.slug for d in DEPARTMENTS}
    found = sorted((slug[w["department"]], f["indicator"], f["code"], f["severity"])
                   for w in data["workbooks"] for f in w["findings"])
    expected = sorted((m.department, m.indicator, m.code, m.severity) for m in SAMPLE_MISTAKES)
    assert found == expected
    assert data["summary"]["workbooks"] == 2 * len(DEPARTMENTS)


def test_every_sar_card_stores_the_engines_totals(ministry):
    """LibreOffice's stored totals are the engine's to 4 decimals for every department."""
    result = CliRunner().invoke(app, ["audit", str(ministry / "workbooks" / "sar-cards"), "--json"])
    data = json.loads(result.stdout)
    assert len(data["workbooks"]) == len(DEPARTMENTS)
    for workbook in data["workbooks"]:
        assert workbook["total"]["stored"] == pytest.approx(workbook["total"]["recomputed"], abs=5e-5)
        assert not [f for f in workbook["findings"] if f["code"] == "SAR-STORED-DIFFERS"]


def test_audit_leaves_the_folder_byte_identical(ministry):
    import hashlib

    def digest():
        return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((ministry / "workbooks").rglob("*.xlsx"))}

    before = digest()
    CliRunner().invoke(app, ["audit", str(ministry / "workbooks"), "--quiet"])
    assert digest() == before
