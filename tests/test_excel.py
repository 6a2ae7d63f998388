"""Score & Audit and `fill` through xlwings' remote engine (`xw.Book(json=...)`), and
`apply_actions`, which replays the engine's actions on a file as Excel would, refusals included.

A SAR Card is generated, recalculated by LibreOffice, given deliberate mistakes, and sent as the
payload an xlwings client sends.  The click reads it and sends nothing back but its message (the
desktop path, with its report workbook, is tested in test_excel_click.py).
"""
from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

from xlkpi import excel  # noqa: E402
from xlkpi.audit.reader import read_workbook_data  # noqa: E402
from xlkpi.engine import score_agreement  # noqa: E402
from xlkpi.model import MILESTONE, THRESHOLD, WEIGHTED  # noqa: E402
from xlkpi.sample import sample_ministry  # noqa: E402
from xlkpi.workbook.layout import (  # noqa: E402
    MET,
    NOT_MET,
    Col,
    input_columns,
    name_for,
    round_sheet,
    sar_layout,
)
from xlkpi.workbook.sar import write_sar  # noqa: E402

SAR12 = round_sheet(12)


# --- support: the payload an xlwings client sends, and cached-value edits -------------------

def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def payload_from(data, base=None, name="SAR.xlsx") -> dict:
    """The JSON an xlwings client (Office Scripts / Office.js) sends for a workbook.

    `data` is WorkbookData (cached values); `base` a WorkbookData whose values win for the
    sheets it has (Excel's state after a run: the original cells plus what the run wrote).
    """
    import xlwings as xw

    sheets = []
    for sheet in data.sheetnames:
        source = base if base is not None and sheet in base.sheetnames else data
        cells = {cell: v for (s, cell), v in source.values.items() if s == sheet}
        rows = cols = 0
        parsed = {}
        for cell, value in cells.items():
            letters = "".join(c for c in cell if c.isalpha())
            r, c = int(cell[len(letters):]), _column_number(letters)
            parsed[(r, c)] = value
            rows, cols = max(rows, r), max(cols, c)
        values = [["" for _ in range(cols)] for _ in range(rows)] or [[]]
        for (r, c), value in parsed.items():
            values[r - 1][c - 1] = value
        sheets.append({"name": sheet, "values": values, "pictures": [], "tables": []})
    names = []
    for defined, (sheet, cell) in sorted(data.names.items()):
        names.append({"name": defined, "sheet_index": data.sheetnames.index(sheet), "address": cell,
                      "scope_sheet_name": None, "scope_sheet_index": None, "book_scope": True})
    return {"client": "Microsoft Office Scripts", "version": xw.__version__,
            "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
            "names": names, "sheets": sheets}


def remote_book(payload):
    import xlwings as xw

    return xw.Book(json=copy.deepcopy(payload))


def edit_cached_value(path: Path, sheet: str, cell: str, value: float) -> None:
    """Change the value a spreadsheet stored for a formula cell, as a tamperer would."""
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    data, _ = read_workbook_data(path)
    part = f"xl/worksheets/sheet{data.sheetnames.index(sheet) + 1}.xml"
    xml = parts[part].decode()
    pattern = re.compile(rf'(<c r="{cell}"[^>]*>.*?<v>)([^<]*)(</v>)', re.S)
    assert pattern.search(xml), f"{sheet}!{cell} has no stored value"
    parts[part] = pattern.sub(lambda m: m.group(1) + repr(value) + m.group(3), xml, count=1).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, content in parts.items():
            archive.writestr(n, content)


def cells_of(path) -> dict:
    """(sheet, cell) -> (value or formula, fill colour) of every cell of a file (openpyxl)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                colour = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type else None
                if cell.value is not None or colour:
                    out[(ws.title, cell.coordinate)] = (cell.value, colour[-6:] if isinstance(colour, str) else colour)
    return out, wb.sheetnames


def input_cells(agreement) -> list:
    layout = sar_layout(agreement)
    return [(round_sheet(r), row.cell(c)) for r in (6, 9, 12) for row in layout.rows for c in input_columns(row)]


# --- the agreement and its deliberate mistakes ----------------------------------------------

def _agreement():
    agreement = sample_ministry()[0]
    for ind in agreement.leaves():  # every input of the 12-month round reported, with evidence
        if ind.kind == THRESHOLD and ind.applicable and not ind.granted:
            ind.result.setdefault(12, ind.thresholds[2] if ind.thresholds[2] is not None else ind.thresholds[0])
        if ind.kind == MILESTONE and ind.applicable and not ind.granted:
            ind.result.setdefault(12, [True, True, True, False, False])
        if ind.kind == WEIGHTED:
            for part in ind.parts:
                part.result.setdefault(12, part.thresholds[0])
        ind.evidence.setdefault(12, "รายงานประจำปี")
    return agreement


def _threshold_ids(agreement, n):
    return [i.id for i in agreement.leaves() if i.kind == THRESHOLD and i.applicable and not i.granted][:n]


@pytest.fixture(scope="module")
def card(tmp_path_factory):
    """(agreement as the workbook shows it, recalculated file with mistakes, mistake cells)."""
    from openpyxl import load_workbook

    from xlkpi.recalc import libreoffice_recalc

    folder = tmp_path_factory.mktemp("card")
    agreement = _agreement()
    tampered_id, blank_id, text_id = _threshold_ids(agreement, 3)
    generated = write_sar(agreement, folder / "generated.xlsx")
    layout = sar_layout(agreement)
    wb = load_workbook(generated)
    blank_cell = layout.indicator_row(blank_id).cell(Col.RESULT)
    text_cell = layout.indicator_row(text_id).cell(Col.RESULT)
    wb[SAR12][blank_cell] = None  # an officer left the 12-month result blank
    wb[SAR12][text_cell] = "ประมาณ 80"  # and typed text where a number belongs
    wb.save(folder / "mistakes.xlsx")
    recalculated = libreoffice_recalc([folder / "mistakes.xlsx"], folder / "recalc")[folder / "mistakes.xlsx"]
    score_cell = layout.indicator_row(tampered_id).cell(Col.SCORE)
    edit_cached_value(recalculated, SAR12, score_cell, 4.9876)  # a stored score edited by hand
    shown = copy.deepcopy(agreement)
    shown.find(blank_id).result.pop(12)
    shown.find(text_id).result.pop(12)
    mistakes = {"SAR-STORED-DIFFERS": score_cell, "SAR-RESULT-MISSING": blank_cell,
                "SAR-RESULT-NOT-NUMBER": text_cell}
    return shown, recalculated, mistakes


def _run(path):
    data, findings = read_workbook_data(path)
    assert not findings
    payload = payload_from(data)
    book = remote_book(payload)
    result = excel.main(book)
    return result, book.json()["actions"], data


# --- Score & Audit on the remote engine: it reads, and writes nothing -------------------------


@pytest.mark.libreoffice
def test_remote_engine_reads_what_the_file_reader_reads(card):
    """The click's reader over the remote engine gives the audit the file reader's values."""
    _shown, path, _mistakes = card
    data, _ = read_workbook_data(path)
    remote = excel.read_book(remote_book(payload_from(data)))
    assert remote.sheetnames == data.sheetnames
    assert remote.names == data.names
    assert remote.values == data.values
    assert remote.formulas is None and remote.protected is None  # the remote engine has neither


@pytest.mark.libreoffice
def test_remote_click_on_a_tampered_card_sends_only_its_message(card):
    _shown, path, mistakes = card
    result, actions, _ = _run(path)
    found = {(f.code, f.cell) for f in result.findings if f.sheet == SAR12}
    assert {(code, cell) for code, cell in mistakes.items()} <= found
    assert [a["func"] for a in actions] == ["alert"]  # no sheet, value, colour: the card is untouched
    assert "errors" in actions[0]["args"][0]


@pytest.mark.libreoffice
def test_a_clean_card_reports_no_errors_and_remote_protection_is_unknown(tmp_path):
    from xlkpi.recalc import libreoffice_recalc

    agreement = _agreement()
    path = write_sar(agreement, tmp_path / "clean.xlsx")
    recalculated = libreoffice_recalc([path], tmp_path / "recalc")[path]
    result, actions, _ = _run(recalculated)
    assert result.errors == 0, [str(f) for f in result.findings if f.is_error]
    assert not [f for f in result.findings if f.code == "WB-PROTECTION-REMOVED"]
    assert [a["func"] for a in actions] == ["alert"]
    assert result.total_recomputed == score_agreement(agreement, 12).total


def test_a_workbook_xlkpi_did_not_write_gets_a_message_only():
    import xlwings as xw

    payload = {"client": "Microsoft Office Scripts", "version": xw.__version__,
               "book": {"name": "other.xlsx", "active_sheet_index": 0, "selection": "A1"},
               "names": [], "sheets": [{"name": "Sheet1", "values": [["x", 1]], "pictures": [], "tables": []}]}
    book = remote_book(payload)
    assert excel.main(book) is None
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]
    assert "not a workbook xlkpi generated" in actions[0]["args"][0]


# --- apply_actions refuses what Excel refuses ------------------------------------------------

def _action(func, sheet_position=0, cell=(0, 0), args=None, values=None):
    action = {"func": func, "args": args or [], "sheet_position": sheet_position,
              "start_row": cell[0], "start_column": cell[1], "row_count": 1, "column_count": 1}
    if values is not None:
        action["values"] = values
    return action


@pytest.mark.parametrize("action", [
    _action("setValues", values=[["x"]]),
    _action("rangeClearContents"),
    _action("setRangeColor", args=["#F8CBAD"]),
    _action("addHyperlink", args=["#A1", "A1"]),
    _action("addSheet", sheet_position=None, args=[1, "ผลการตรวจ"]),
    _action("setSheetName", args=["อื่น"]),
], ids=lambda a: a["func"])
def test_apply_actions_refuses_what_excel_refuses(blank_card, tmp_path, action):
    _agreement_, path = blank_card
    before = path.read_bytes()
    with pytest.raises(excel.ExcelRefused):
        excel.apply_actions(path, [action], out=tmp_path / "never.xlsx")
    assert not (tmp_path / "never.xlsx").exists() and path.read_bytes() == before


def test_apply_actions_takes_an_input_cell_of_a_protected_sheet(blank_card, tmp_path):
    agreement, path = blank_card
    from openpyxl import load_workbook

    threshold = _ids(agreement)[0]
    row = sar_layout(agreement).indicator_row(threshold.id)
    cell = row.cell(Col.RESULT)
    letters = "".join(c for c in cell if c.isalpha())
    position = load_workbook(path).sheetnames.index(SAR12)
    out = tmp_path / "typed.xlsx"
    excel.apply_actions(path, [_action("setValues", position, (int(cell[len(letters):]) - 1, _column_number(letters) - 1),
                                       values=[[42]])], out=out)
    assert load_workbook(out)[SAR12][cell].value == 42


# --- fill ---------------------------------------------------------------------------------

@pytest.fixture
def blank_card(tmp_path):
    agreement = sample_ministry()[0]
    for ind in agreement.walk():
        ind.result.clear()
        ind.explanation.clear()
        ind.evidence.clear()
        for part in ind.parts:
            part.result.clear()
    return agreement, write_sar(agreement, tmp_path / "blank.xlsx")


def _ids(agreement):
    threshold = next(i for i in agreement.leaves() if i.kind == THRESHOLD and i.applicable and not i.granted)
    milestone = next(i for i in agreement.leaves() if i.kind == MILESTONE and i.applicable and not i.granted)
    weighted = next(i for i in agreement.leaves() if i.kind == WEIGHTED and i.applicable and len(i.parts) >= 2)
    group = next(i for i in agreement.walk() if i.kind == "group")
    return threshold, milestone, weighted, group


def _good_rows(agreement):
    threshold, milestone, weighted, _ = _ids(agreement)
    return [
        {"id": threshold.id, "round": 12, "result": "85.5", "explanation": "ผลดีขึ้น", "evidence": "=รายงาน"},
        {"id": milestone.id, "round": 12, "milestones": "ผ่าน,ผ่าน,ผ่าน,ไม่ผ่าน,ไม่ผ่าน"},
        {"id": weighted.id, "round": 12, "part": 2, "result": 70},
    ]


def test_fill_file_writes_through_defined_names(blank_card, tmp_path):
    from openpyxl import load_workbook

    agreement, path = blank_card
    threshold, milestone, weighted, _ = _ids(agreement)
    out = tmp_path / "filled.xlsx"
    writes = excel.fill_file(path, _good_rows(agreement), out=out)
    wb = load_workbook(out)

    def at(name):
        sheet, cell = wb.defined_names[name].attr_text.replace("$", "").rsplit("!", 1)
        return wb[sheet.strip("'")][cell]

    assert at(name_for(threshold.id, 12, "result")).value == 85.5
    assert at(name_for(threshold.id, 12, "explanation")).value == "ผลดีขึ้น"
    assert at(name_for(threshold.id, 12, "evidence")).value == "=รายงาน"
    assert at(name_for(threshold.id, 12, "evidence")).data_type == "s"  # stays text
    assert [at(name_for(milestone.id, 12, f"m{n}")).value for n in range(1, 6)] == [MET, MET, MET, NOT_MET, NOT_MET]
    assert at(name_for(weighted.id, 12, "result", 1)).value == 70
    assert at(name_for(threshold.id, 12, "score")).value.startswith("=")  # formulas kept
    assert len(writes) == 3 + 5 + 1


def test_fill_file_reads_back_into_the_engine(blank_card, tmp_path):
    from xlkpi.workbook.readback import read_agreement

    agreement, path = blank_card
    threshold, milestone, weighted, _ = _ids(agreement)
    out = tmp_path / "filled.xlsx"
    excel.fill_file(path, _good_rows(agreement), out=out)
    back, _ = read_agreement(out)
    assert back.find(threshold.id).result[12] == 85.5
    assert back.find(milestone.id).result[12] == [True, True, True, False, False]
    assert back.find(weighted.id).parts[1].result[12] == 70


REFUSALS = [
    ({"id": "99.9", "round": 12, "result": 1}, "no indicator 99.9"),
    ("threshold", {"round": 7, "result": 1}, "round 7 is not 6, 9 or 12"),
    ("threshold", {"round": 12, "result": "เยอะ"}, "is not a number"),
    ("group", {"round": 12, "result": 3}, "is locked"),
    ("milestone", {"round": 12, "milestones": "1,1,x"}, "cannot be read"),
    ("milestone", {"round": 12, "result": 3}, "use the milestones column"),
    ("weighted", {"round": 12, "result": 3}, "give the part"),
    ("weighted", {"round": 12, "part": 9, "result": 3}, "has no part 9"),
    ("threshold", {"round": 12, "part": 1, "result": 3}, "has no parts"),
]


@pytest.mark.parametrize("case", REFUSALS, ids=[c[-1] for c in REFUSALS])
def test_fill_refuses_and_writes_nothing(blank_card, tmp_path, case):
    agreement, path = blank_card
    kinds = dict(zip(("threshold", "milestone", "weighted", "group"), _ids(agreement)))
    row = dict(case[0]) if len(case) == 2 else {"id": kinds[case[0]].id, **case[1]}
    rows = _good_rows(agreement) + [row]
    before = path.read_bytes()
    with pytest.raises(excel.FillRefused) as refused:
        excel.fill_file(path, rows, out=tmp_path / "never.xlsx")
    assert not (tmp_path / "never.xlsx").exists()
    assert path.read_bytes() == before
    text = str(refused.value)
    assert case[-1] in text and f"row {len(rows) + 1} of input" in text and f"แถว {len(rows) + 1}" in text


def test_fill_refuses_a_granted_or_na_result(tmp_path):
    agreement = sample_ministry()[0]
    target = next(i for i in agreement.leaves() if i.kind == THRESHOLD)
    target.granted, target.granted_reason = True, "ผ่านแล้ว"
    path = write_sar(agreement, tmp_path / "granted.xlsx")
    with pytest.raises(excel.FillRefused, match="granted"):
        excel.fill_file(path, [{"id": target.id, "round": 12, "result": 5}])


def test_fill_round_option(blank_card, tmp_path):
    agreement, path = blank_card
    threshold = _ids(agreement)[0]
    writes = excel.fill_file(path, [{"id": threshold.id, "result": 3}], round_=9, out=tmp_path / "r9.xlsx")
    assert [w.name for w in writes] == [name_for(threshold.id, 9, "result")]
    with pytest.raises(excel.FillRefused, match="not the round being filled"):
        excel.fill_file(path, [{"id": threshold.id, "round": 12, "result": 3}], round_=9)


def test_fill_remote_book_sends_only_input_cells(blank_card):
    agreement, path = blank_card
    data, _ = read_workbook_data(path)
    book = remote_book(payload_from(data))
    writes = excel.fill(book, _good_rows(agreement))
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["setValues"] * len(writes)
    inputs = set(input_cells(agreement))
    for a in actions:
        sheet = data.sheetnames[a["sheet_position"]]
        cell = f"{excel.column_letter(a['start_column'] + 1)}{a['start_row'] + 1}"
        assert (sheet, cell) in inputs
    values = [a["values"][0][0] for a in actions]
    assert values[0] == 85.5 and "'=รายงาน" in values


def test_fill_remote_book_refusal_sends_nothing(blank_card):
    agreement, path = blank_card
    data, _ = read_workbook_data(path)
    book = remote_book(payload_from(data))
    with pytest.raises(excel.FillRefused):
        excel.fill(book, _good_rows(agreement) + [{"id": "nope", "round": 12, "result": 1}])
    assert book.json()["actions"] == []


def test_fill_cli(blank_card, tmp_path):
    agreement, path = blank_card
    threshold = _ids(agreement)[0]
    good = tmp_path / "good.csv"
    good.write_text(f"id,round,result\n{threshold.id},12,77\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"id,round,result\n{threshold.id},12,77\n{threshold.id},12,abc\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    run = [sys.executable, "-m", "xlkpi.cli", "fill", str(path), "--from"]
    ok = subprocess.run(run + [str(good), "-o", str(out)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    from xlkpi.workbook.readback import read_agreement

    assert read_agreement(out)[0].find(threshold.id).result[12] == 77
    refused = subprocess.run(run + [str(bad), "-o", str(tmp_path / "no.xlsx")], capture_output=True, text=True)
    assert refused.returncode == 1
    assert "row 3 of bad.csv" in refused.stdout + refused.stderr
    assert not (tmp_path / "no.xlsx").exists()


# --- a light, fast click -----------------------------------------------------------------------

def test_import_xlkpi_is_light():
    code = ("import sys, xlkpi; heavy = [m for m in ('pandas', 'openpyxl', 'xlwings', 'formulas', 'numpy') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_click_path_needs_no_pandas_openpyxl_or_formulas():
    from xlkpi.bench_click import measure_click

    measured = measure_click(leaves=40, repeat=1)
    assert measured["heavy_modules"] == []
    assert measured["writes"] == [] and measured["report_books"] == 1
    assert measured["xlkpi_seconds"] <= measured["xlkpi_budget"]
    assert measured["click_seconds"] <= measured["click_budget"]
