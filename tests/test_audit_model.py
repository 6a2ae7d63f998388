"""The audit's canonical model: the generator's workbook in memory equals its saved file read
back, and formulas compare as formulas (shared ones expanded, spellings canonical)."""
from __future__ import annotations

import io
import random

import pytest

from xlkpi.audit.formulas import canonical, shift
from xlkpi.audit.inmemory import book_from_openpyxl, book_from_recording
from xlkpi.audit.recording import RecordingWorkbook
from xlkpi.audit.ooxml import read_book
from xlkpi.bench import good_agreement
from xlkpi.sample import sample_ministry
from xlkpi.workbook.sar import build_sar
from xlkpi.workbook.template import build_template

SHEET_FIELDS = ("name", "state", "cells", "merges", "rows", "cols", "format", "protection", "validations",
                "conditional", "hyperlinks", "printing", "objects", "max_row", "max_col")


def _resolved(book):
    """Each sheet's fields with cell styles replaced by the style tuples they index."""
    out = []
    for sheet in book.sheets:
        fields = {f: getattr(sheet, f) for f in SHEET_FIELDS}
        fields["cells"] = {ref: (c.value, c.formula, book.styles[c.style]) for ref, c in sheet.cells.items()}
        out.append(fields)
    return out, book.names, book.structure_locked


@pytest.mark.parametrize("build, agreement", [
    (build_sar, good_agreement(random.Random(3), 12)),
    (build_sar, sample_ministry()[0]),
    (build_template, sample_ministry()[9]),
    (build_template, good_agreement(random.Random(5), 8)),
])
def test_the_model_in_memory_is_the_saved_file_read_back(build, agreement):
    wb = build(agreement)
    in_memory = _resolved(book_from_openpyxl(wb))
    buffer = io.BytesIO()
    wb.save(buffer)
    saved = _resolved(read_book(buffer.getvalue()))
    assert in_memory[1:] == saved[1:]
    for mine, theirs in zip(in_memory[0], saved[0]):
        for field in SHEET_FIELDS:
            assert mine[field] == theirs[field], (mine["name"], field)


def _signer(text, layout):
    """Ed25519 signs deterministically: the same text gives the same signature both times."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from xlkpi.keys import signer

    key = _KEY.setdefault("key", Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
    return signer(key)(text, layout)


_KEY: dict = {}


def _agreements():
    """Varied agreements: random ones of every shape the sample generator makes (groups,
    weighted parts, milestones, not-applicable and granted indicators, report rounds), with and
    without results, and the sample ministry's."""
    ministry = sample_ministry()
    cases = [ministry[0], ministry[4], ministry[9]]
    for seed in range(6):
        agreement = good_agreement(random.Random(100 + seed), 6 + 7 * seed)
        cases.append(agreement)
    return cases


@pytest.mark.parametrize("build", [build_sar, build_template])
@pytest.mark.parametrize("lang", ["th", "th-en"])
def test_the_recording_the_audit_builds_is_the_openpyxl_workbook(build, lang):
    """The audit's expected model comes from the generator writing into a RecordingWorkbook:
    the same canonical model as the generator's openpyxl workbook, cell by cell and setting by
    setting (and that one is the saved file's, by the test above)."""
    for n, agreement in enumerate(_agreements()):
        signer = _signer if n % 2 else None
        from_openpyxl = _resolved(book_from_openpyxl(build(agreement, lang=lang, signer=signer)))
        recorded = _resolved(book_from_recording(build(agreement, lang=lang, signer=signer,
                                                       workbook=RecordingWorkbook())))
        assert recorded[1:] == from_openpyxl[1:], agreement.department
        assert [s["name"] for s in recorded[0]] == [s["name"] for s in from_openpyxl[0]]
        for mine, theirs in zip(recorded[0], from_openpyxl[0]):
            for field in SHEET_FIELDS:
                assert mine[field] == theirs[field], (agreement.department, mine["name"], field)


def test_formulas_compare_without_dollars_xlfn_spaces_or_case_but_strings_exact():
    assert canonical("=ROUND( $D$6*L6/100 ,4)") == canonical("round(D6*L6/100,4)")
    assert canonical("=_xlfn.IFS(A1>0,1)") == canonical("IFS(A1>0,1)")
    assert canonical('=IF(F8<>"ผ่าน",0,1)') != canonical('=IF(F8<>"ผ่าน ",0,1)')
    assert canonical('=IF(A1="a",1)') != canonical('=IF(A1="A",1)')
    assert canonical("='SAR 6 เดือน'!M21") == canonical("'SAR 6 เดือน'!$M$21")


def test_shared_formulas_shift_relative_references_only():
    assert shift("IF(ISNUMBER(L6),ROUND(D6*L6/100,4),\"\")", 2, 0) == "IF(ISNUMBER(L8),ROUND(D8*L8/100,4),\"\")"
    assert shift("$D$3+K6*P6", 1, 0) == "$D$3+K7*P7"
    assert shift("SUM(A1:B2)+'S 1'!C3+LOG10(A1)", 1, 1) == "SUM(B2:C3)+'S 1'!D4+LOG10(B2)"
    assert shift('IF(A1="B2",1)', 1, 0) == 'IF(A2="B2",1)'
    assert shift("A1", -1, 0) == "#REF!"


def test_a_recording_follows_openpyxl_where_the_generator_does_not_go_today():
    """What openpyxl does that the generator happens not to use yet: a merge empties the cells
    it covers, a General number format alone leaves an empty cell unstyled, a quote prefix alone
    styles it, a hyperlink gives an empty cell its target as value."""
    from openpyxl import Workbook

    from xlkpi.workbook import style

    def write(wb):
        ws = wb.active
        ws["C3"] = "under the merge"
        ws["C3"].font = style.font(bold=True)
        ws.merge_cells("B3:D4")
        ws["E5"].number_format = "General"
        ws["F6"].quotePrefix = True
        ws["G7"].hyperlink = "#'Sheet'!A1"
        ws.cell(row=8, column=2, value="=A1+1").number_format = "0.0000"
        return wb

    recorded = _resolved(book_from_recording(write(RecordingWorkbook())))
    real = _resolved(book_from_openpyxl(write(Workbook())))
    assert recorded == real
    cells = real[0][0]["cells"]
    assert "C3" not in cells and "E5" not in cells and "F6" in cells
    assert cells["G7"][0] == "#'Sheet'!A1" and cells["B8"][1] == "A1+1"


def test_a_recording_binds_values_as_openpyxl_does():
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    values = ["=A1", "=", "#N/A", "#DIV/0!", "text", "x" * 40000, 3, 2.5, True, None, "-1"]
    real, recorded = Workbook().active, RecordingWorkbook().active
    for n, value in enumerate(values, start=1):
        real.cell(row=n, column=1).value = value
        recorded.cell(row=n, column=1).value = value
        a, b = real.cell(row=n, column=1), recorded.cell(row=n, column=1)
        assert (a.value, a.data_type) == (b.value, b.data_type), value
    for ws in (real, recorded):
        with pytest.raises(IllegalCharacterError):
            ws.cell(row=99, column=1).value = "bad \x01 text"


@pytest.mark.parametrize("build, agreement, results_in_copy", [
    (build_sar, good_agreement(random.Random(7), 14), False),
    (build_sar, good_agreement(random.Random(8), 9), True),
    (build_sar, sample_ministry()[0], False),
    (build_template, sample_ministry()[9], False),
    (build_template, good_agreement(random.Random(9), 6), True),
])
def test_the_trusted_agreement_copied_is_the_hidden_copy_read_back(build, agreement, results_in_copy):
    """The audit copies the trusted agreement instead of parsing the trusted view's hidden copy
    again (`agreement_from_trusted`): the same agreement, field for field and type for type,
    and the same findings, whatever the officer typed."""
    import json

    from xlkpi.agreement import to_dict
    from xlkpi.audit import _meta, structural_kind
    from xlkpi.audit.expected import TrustedView, expected_model
    from xlkpi.audit.reader import data_from_book
    from xlkpi.workbook.layout import Col, round_sheet
    from xlkpi.workbook.readback import agreement_from_trusted, agreement_from_workbook

    buffer = io.BytesIO()
    build(agreement).save(buffer)
    data = data_from_book(read_book(buffer.getvalue()), "card.xlsx")
    kind = structural_kind(data.sheetnames)
    # an unverified copy may carry results of its own: the generator's copy never does
    text = json.dumps(to_dict(agreement), ensure_ascii=False) if results_in_copy else _meta(data.values)[1]
    expected, findings = expected_model(text, kind)
    assert expected is not None and findings == []
    some_input = next(ref for (sheet, ref), spec in expected.inputs.items()
                      if sheet == expected.sheetnames[1] and (kind != "sar" or ref.startswith(Col.RESULT)))
    data.values[(expected.sheetnames[1], some_input)] = "ห้าสิบ"  # text where a number belongs
    view = TrustedView(expected, data.values)
    parsed, parsed_findings, parsed_kind = agreement_from_workbook(view, "card.xlsx")
    copied, copied_findings = agreement_from_trusted(expected.agreement, view, kind, "card.xlsx")
    assert parsed_kind == kind
    assert repr(copied) == repr(parsed)
    assert copied_findings == parsed_findings
    if kind == "sar":
        assert parsed_findings and parsed_findings[0].code == "SAR-RESULT-NOT-NUMBER"
        assert round_sheet(6) in expected.sheetnames
        assert any(ind.result for ind in copied.walk()) or any(p.result for ind in copied.walk() for p in ind.parts)
