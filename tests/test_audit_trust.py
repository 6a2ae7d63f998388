"""The trusted baseline (issue 10, DOMAIN §9 "Trust"): keys, signatures, signed agreement files.

Nothing a workbook says about itself is believed: its hidden copy only when the ministry's
signature over it verifies, its department only as a key to find the signed agreement (no
match is an error, never a fallback), its kind from its sheets.  Without a baseline every
workbook is audited against its own copy and says so: a warning, never status ok.
"""
from __future__ import annotations

import json
import os
import unicodedata

import pytest
from typer.testing import CliRunner

import corpus as c
from xlkpi.agreement import dump
from xlkpi.cli import app
from xlkpi.keys import load_public_key, new_keys, payload, signer, verify
from xlkpi.sample import DEPARTMENTS, sample_ministry
from xlkpi.workbook.layout import META_SHEET, TEMPLATE_FIELDS, template_field_cell, template_sheet
from xlkpi.workbook.template import write_template


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def audit_json(*args) -> dict:
    result = run("audit", *args, "--json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def ministry(tmp_path_factory):
    root = tmp_path_factory.mktemp("trust")
    keys = root / "keys"
    assert run("keys", "new", "--output", keys).exit_code == 0
    agreement = next(a for d, a in zip(DEPARTMENTS, sample_ministry()) if d.slug == "pbri")
    signed = root / "signed"
    signed.mkdir()
    dump(agreement, signed / "pbri.yaml")
    wb = root / "workbooks"
    assert run("workbook", "template", signed / "pbri.yaml", "-o", wb / "pbri-template.xlsx",
               "--sign-key", keys / "signing-key.pem").exit_code == 0
    assert run("workbook", "sar", signed / "pbri.yaml", "-o", wb / "pbri-sar.xlsx",
               "--sign-key", keys / "signing-key.pem").exit_code == 0
    return {"root": root, "keys": keys, "signed": signed, "agreement": agreement, "wb": wb}


def _edited(src, dst, sheet, cell, text):
    """A copy with one cell's text replaced in the package XML (the department's own edit)."""
    files = c.parts(src.read_bytes())
    part = c.sheet_parts(files)[sheet]
    mutated = c.with_cell(files, part, cell, lambda old: c._inline(cell, c._style_attr(old), text))
    dst.write_bytes(mutated)
    return dst


def test_keys_new_writes_a_private_and_a_public_key_and_never_overwrites(tmp_path):
    assert run("keys", "new", "--output", tmp_path / "k").exit_code == 0
    private, public = tmp_path / "k" / "signing-key.pem", tmp_path / "k" / "public-key.pem"
    assert private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert os.stat(private).st_mode & 0o077 == 0  # readable by its owner only
    before = private.read_bytes()
    again = run("keys", "new", "--output", tmp_path / "k")
    assert again.exit_code == 2 and private.read_bytes() == before


def test_a_signature_covers_exactly_the_agreement_text_and_the_layout_version(tmp_path):
    from xlkpi.keys import load_signing_key

    private, public = new_keys(tmp_path)
    sign, key = signer(load_signing_key(private)), load_public_key(public)
    signature = sign("{}", 1)
    assert verify(key, "{}", 1, signature)
    assert not verify(key, "{ }", 1, signature)
    assert not verify(key, "{}", 2, signature)
    assert not verify(key, "{}", 1, signature[:-4] + "AAA=")
    assert not verify(key, "{}", 1, "not base64!")
    assert payload("{}", 1).endswith(b"layout 1\n{}")


def test_a_signed_workbook_verifies_with_the_public_key(ministry):
    out = audit_json(ministry["wb"], "--public-key", ministry["keys"] / "public-key.pem")
    by_name = {os.path.basename(w["file"]): w for w in out["workbooks"]}
    assert {w["baseline"] for w in by_name.values()} == {"signature"}
    assert by_name["pbri-template.xlsx"]["status"] == "ok"
    assert by_name["pbri-template.xlsx"]["department"] == ministry["agreement"].department
    # the SAR Card was never calculated by a spreadsheet: a warning, nothing else
    assert {f["code"] for f in by_name["pbri-sar.xlsx"]["findings"]} == {"WB-NOT-CALCULATED"}
    assert out["summary"]["baseline"] == "signature"


def test_without_a_baseline_every_workbook_says_so_and_none_is_ok(ministry):
    out = audit_json(ministry["wb"])
    for workbook in out["workbooks"]:
        assert workbook["baseline"] == "unverified" and workbook["status"] != "ok"
        assert "WB-BASELINE-UNVERIFIED" in {f["code"] for f in workbook["findings"]}


def test_an_edit_to_the_hidden_copy_and_the_sheet_alike_is_found_by_both_baselines(ministry, tmp_path):
    """The department changes a weight everywhere, hidden copy included: only its own copy
    agrees with it; the signature and the signed agreement do not."""
    import copy

    from xlkpi.audit.ooxml import read_book

    src = ministry["wb"] / "pbri-template.xlsx"
    signature = read_book(src.read_bytes()).sheet(META_SHEET).cells["B5"].value
    changed = copy.deepcopy(ministry["agreement"])
    ind = next(i for i in changed.walk() if i.kind == "threshold" and i.applicable)
    ind.name += " (แก้ไข)"
    forged = tmp_path / "forged"
    # regenerated from the edited agreement, the original signature copied in
    write_template(changed, forged / "pbri-template.xlsx", signer=lambda text, layout: signature)
    own = audit_json(forged)["workbooks"][0]
    assert own["baseline"] == "unverified" and not [f for f in own["findings"] if f["severity"] == "error"]
    signed = audit_json(forged, "--public-key", ministry["keys"] / "public-key.pem")["workbooks"][0]
    assert signed["status"] == "errors" and "WB-SIGNATURE-INVALID" in {f["code"] for f in signed["findings"]}
    filed = audit_json(forged, "--agreement", ministry["signed"])["workbooks"][0]
    assert filed["baseline"] == "agreement" and filed["status"] == "errors"
    cells = {f["cell"] for f in filed["findings"] if f["code"] == "WB-CELL-CHANGED"}
    assert f"{template_sheet(ind.id)}!{template_field_cell('name')}" in cells
    assert f"{META_SHEET}!B4" in cells


def test_a_signature_by_another_key_or_none_at_all_is_an_error(ministry, tmp_path):
    other = tmp_path / "other"
    new_keys(other)
    out = audit_json(ministry["wb"] / "pbri-template.xlsx", "--public-key", other / "public-key.pem")
    assert "WB-SIGNATURE-INVALID" in {f["code"] for f in out["workbooks"][0]["findings"]}
    unsigned = write_template(ministry["agreement"], tmp_path / "unsigned.xlsx")
    out = audit_json(unsigned, "--public-key", ministry["keys"] / "public-key.pem")
    assert out["workbooks"][0]["status"] == "errors"
    assert "WB-SIGNATURE-MISSING" in {f["code"] for f in out["workbooks"][0]["findings"]}


def test_the_layout_version_is_signed(ministry, tmp_path):
    bumped = _edited(ministry["wb"] / "pbri-template.xlsx", tmp_path / "bumped.xlsx", META_SHEET, "B3", "2")
    out = audit_json(bumped, "--public-key", ministry["keys"] / "public-key.pem")
    assert "WB-SIGNATURE-INVALID" in {f["code"] for f in out["workbooks"][0]["findings"]}


def test_workbooks_are_matched_by_the_nfc_department_code_and_never_fall_back(ministry, tmp_path):
    agreement = ministry["agreement"]
    # the signed file spells the code decomposed and padded; the workbook composed
    agreement_file = tmp_path / "signed" / "pbri.yaml"
    agreement_file.parent.mkdir()
    text = (ministry["signed"] / "pbri.yaml").read_text(encoding="utf-8")
    decomposed = unicodedata.normalize("NFD", "MOPH-PBRI-É")
    agreement_file.write_text(text.replace(f"department_code: {agreement.department_code}",
                                           f"department_code: '  {decomposed} '"), encoding="utf-8")
    import copy

    composed = copy.deepcopy(agreement)
    composed.department_code = unicodedata.normalize("NFC", "MOPH-PBRI-É")
    write_template(composed, tmp_path / "wb" / "pbri.xlsx")
    out = audit_json(tmp_path / "wb", "--agreement", agreement_file.parent)
    assert out["workbooks"][0]["baseline"] == "agreement" and out["workbooks"][0]["status"] == "ok"
    # an invisible character in the workbook's code: no signed agreement, an error
    hidden = copy.deepcopy(composed)
    hidden.department_code = "MOPH-PBRI-\u200bÉ"
    write_template(hidden, tmp_path / "wb2" / "pbri.xlsx")
    out = audit_json(tmp_path / "wb2", "--agreement", agreement_file.parent)
    workbook = out["workbooks"][0]
    assert workbook["status"] == "errors" and workbook["baseline"] == "unverified"
    assert "WB-NO-SIGNED-AGREEMENT" in {f["code"] for f in workbook["findings"]}


def test_the_kind_comes_from_the_sheets_not_from_the_hidden_cell(ministry, tmp_path):
    relabelled = _edited(ministry["wb"] / "pbri-sar.xlsx", tmp_path / "relabelled.xlsx", META_SHEET, "B1", "template")
    workbook = audit_json(relabelled, "--agreement", ministry["signed"])["workbooks"][0]
    assert workbook["kind"] == "sar" and workbook["status"] == "errors"
    assert f"{META_SHEET}!B1" in {f["cell"] for f in workbook["findings"] if f["code"] == "WB-CELL-CHANGED"}


def test_bad_key_files_are_usage_errors(ministry, tmp_path):
    (tmp_path / "bad.pem").write_text("not a key")
    assert run("audit", ministry["wb"], "--public-key", tmp_path / "bad.pem").exit_code == 2
    assert run("workbook", "sar", ministry["signed"] / "pbri.yaml", "-o", tmp_path / "x.xlsx",
               "--sign-key", ministry["keys"] / "public-key.pem").exit_code == 2
    assert not (tmp_path / "x.xlsx").exists()


def test_input_fields_of_a_template_may_differ_only_in_value(ministry, tmp_path):
    ind = next(i for i in ministry["agreement"].walk() if i.kind == "threshold" and i.applicable)
    field = next(f for f, _th, _en, is_input in TEMPLATE_FIELDS if is_input)
    edited = _edited(ministry["wb"] / "pbri-template.xlsx", tmp_path / "filled.xlsx", template_sheet(ind.id),
                     template_field_cell(field), "ข้อความที่หน่วยงานกรอกเอง")
    workbook = audit_json(edited, "--agreement", ministry["signed"])["workbooks"][0]
    assert workbook["status"] == "ok", workbook["findings"]


def test_a_workbook_in_thai_and_english_is_compared_with_the_generator_in_that_language(ministry, tmp_path):
    folder = tmp_path / "th-en"
    assert run("workbook", "template", ministry["signed"] / "pbri.yaml", "-o", folder / "pbri.xlsx", "--lang", "th-en",
               "--sign-key", ministry["keys"] / "signing-key.pem").exit_code == 0
    for args in (("--agreement", ministry["signed"]), ("--public-key", ministry["keys"] / "public-key.pem")):
        workbook = audit_json(folder, *args)["workbooks"][0]
        assert workbook["status"] == "ok", workbook["findings"][:3]
    # the language is signed too: claiming another one breaks the signature
    relabelled = _edited(folder / "pbri.xlsx", tmp_path / "th.xlsx", META_SHEET, "B6", "th")
    workbook = audit_json(relabelled, "--public-key", ministry["keys"] / "public-key.pem")["workbooks"][0]
    assert "WB-SIGNATURE-INVALID" in {f["code"] for f in workbook["findings"]}
