"""The audit (DOMAIN §9): KPI Template and SAR Card checks, one workbook or a ministry's batch.

Trust (DOMAIN §9): nothing a workbook says about itself is believed.  `audit_file` reads the
package into one canonical model (`ooxml`), picks the trusted baseline — the signed agreement
file matched by department code (`"agreement"`), else the hidden copy when the ministry's
signature over it verifies (`"signature"`), else the hidden copy, said so with a warning
(`"unverified"`) — has the generator write the workbook for that agreement in memory
(`expected`) and compares the two (`whitelist`): everything but the officer's input cells
must be exactly the generator's, inputs may differ only in value.  The content rules of
`rules.RULES` (missing results, stored scores, template fields …) then run on a trusted view:
the generator's cells plus the file's inputs.  Audited files are opened read-only and never
modified; nothing in them is run.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Optional

from ..findings import error, warning
from ..model import ROUNDS, Agreement

BASELINE_AGREEMENT = "agreement"
BASELINE_SIGNATURE = "signature"
BASELINE_UNVERIFIED = "unverified"
STATUS_OK = "ok"
STATUS_WARNINGS = "warnings"
STATUS_ERRORS = "errors"
STATUS_UNREADABLE = "unreadable"


@dataclass
class AuditResult:
    file: str
    kind: Optional[str] = None
    department: str = ""
    ministry: str = ""
    round: Optional[int] = None
    total_stored: object = None
    total_recomputed: Optional[float] = None
    dimensions: dict = field(default_factory=dict)  # "1".."4" -> recomputed
    indicators: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    readable: bool = True
    scores: dict = field(default_factory=dict)  # SAR Card: round -> DepartmentScore recomputed
    baseline: str = BASELINE_UNVERIFIED

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if not f.is_error)

    @property
    def status(self) -> str:
        if not self.readable:
            return STATUS_UNREADABLE
        return STATUS_ERRORS if self.errors else STATUS_WARNINGS if self.warnings else STATUS_OK

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "kind": self.kind,
            "department": self.department,
            "round": self.round,
            "baseline": self.baseline,
            "status": self.status,
            "total": {"stored": self.total_stored, "recomputed": self.total_recomputed},
            "dimensions": self.dimensions,
            "indicators": self.indicators,
            "findings": [
                {"code": f.code, "severity": f.severity, "sheet": f.sheet,
                 "cell": f"{f.sheet}!{f.cell}" if f.sheet and f.cell else f.cell,
                 "indicator": f.indicator, "message_th": f.message_th, "message_en": f.message_en}
                for f in self.findings
            ],
        }


def latest_reported_round(agreement: Agreement) -> int:
    """The round under audit when none is named: the latest with any result, else 12."""
    reported = 6
    for ind in agreement.walk():
        for values in [ind.result] + [p.result for p in ind.parts]:
            if values:
                reported = max(reported, max(values))
    return reported


def department_key(text) -> str:
    """How workbooks are matched to signed agreements: the department code, NFC, stripped."""
    return unicodedata.normalize("NFC", str(text or "")).strip()


_KEYS: dict = {}


@dataclass
class Trust:
    """What the auditor trusts: signed agreements by department code, and/or the public key."""

    agreements: dict = field(default_factory=dict)  # department_key -> Agreement
    public_key_pem: Optional[bytes] = None  # PEM bytes: a Trust crosses process boundaries
    agreements_given: bool = False

    @property
    def public_key(self):
        if self.public_key_pem is None:
            return None
        key = _KEYS.get(self.public_key_pem)
        if key is None:
            from cryptography.hazmat.primitives.serialization import load_pem_public_key

            key = _KEYS[self.public_key_pem] = load_pem_public_key(self.public_key_pem)
        return key

    @classmethod
    def of(cls, signed) -> "Trust":
        """From what callers used to pass: None, one Agreement, or a dict of them."""
        if isinstance(signed, Trust):
            return signed
        if isinstance(signed, Agreement):
            return cls({department_key(signed.department_code or signed.department): signed}, None, True)
        if isinstance(signed, dict) and signed:
            return cls({department_key(getattr(a, "department_code", "") or k): a for k, a in signed.items()}, None, True)
        return cls()


def _meta(values: dict):
    """(kind, agreement text, layout version, signature, language) as the hidden sheet claims them."""
    from ..workbook.layout import META_SHEET
    from ..workbook.layout import column_letter as _column_letter

    chunks, column = [], 2
    while isinstance(value := values.get((META_SHEET, f"{_column_letter(column)}4")), str) and value:
        chunks.append(value)
        column += 1
    layout = values.get((META_SHEET, "B3"))
    if isinstance(layout, float) and layout.is_integer():
        layout = int(layout)
    lang = values.get((META_SHEET, "B6"))
    return values.get((META_SHEET, "B1")), "".join(chunks), layout, values.get((META_SHEET, "B5")), lang


def structural_kind(sheetnames: list) -> Optional[str]:
    """The kind from the sheets present (round sheets make a SAR Card), not from a cell."""
    from ..workbook.layout import KIND_SAR, KIND_TEMPLATE, round_sheet

    if any(round_sheet(r) in sheetnames for r in ROUNDS):
        return KIND_SAR
    if any(name.startswith("KPI ") for name in sheetnames):
        return KIND_TEMPLATE
    return None


def workbook_lang(values: dict) -> str:
    """The language the workbook was written in (th / th-en): which of the generator's
    spellings to compare with; anything else is the default, and then every label differs."""
    from ..workbook.layout import META_SHEET
    from ..workbook.style import DEFAULT_LANG, LANGS

    lang = values.get((META_SHEET, "B6"))
    return lang if lang in LANGS else DEFAULT_LANG


def choose_baseline(values: dict, sheetnames: list, trust: Trust, file: str):
    """(agreement text, kind, baseline, findings): the trusted agreement for one workbook."""
    import json

    from ..keys import verify
    from ..workbook.layout import LAYOUT_VERSION, META_SHEET
    from ..workbook.sar import meta_text

    _claimed_kind, text, layout, signature, lang = _meta(values)
    kind = structural_kind(sheetnames)
    findings = []
    if kind is None or not text:
        return None, kind, BASELINE_UNVERIFIED, [error(
            "WB-NOT-XLKPI", "ไม่ใช่สมุดงานที่ xlkpi สร้าง (ไม่พบข้อมูลกำกับหรือแผ่นงานของรอบ/ตัวชี้วัด)",
            "not a workbook xlkpi generated (no hidden agreement copy, or no round or indicator sheets)", file=file)]
    if trust.agreements_given:
        try:
            claimed = json.loads(text)
            code = claimed.get("department_code") or claimed.get("department") if isinstance(claimed, dict) else ""
        except ValueError:
            code = ""
        signed = trust.agreements.get(department_key(code))
        if signed is not None:
            return meta_text(signed), kind, BASELINE_AGREEMENT, findings
        findings.append(error("WB-NO-SIGNED-AGREEMENT",
                              f"ไม่พบคำรับรองที่ลงนามของส่วนราชการรหัส {code!r} ในคำรับรองที่ให้มา จึงตรวจเทียบกับสำเนาในสมุดงานเท่านั้น",
                              f"no signed agreement matches department code {code!r}; only the workbook's own copy was checked",
                              sheet=META_SHEET, cell="B4", file=file))
    elif trust.public_key is not None:
        if not signature:
            findings.append(error("WB-SIGNATURE-MISSING", "สมุดงานไม่มีลายมือชื่อดิจิทัลของกระทรวง",
                                  "the workbook carries no signature of the ministry", sheet=META_SHEET, cell="B5", file=file))
        elif layout != LAYOUT_VERSION or not verify(trust.public_key, text, f"{layout} {lang}", signature):
            findings.append(error("WB-SIGNATURE-INVALID",
                                  "ลายมือชื่อดิจิทัลไม่ถูกต้อง: คำรับรองหรือรุ่นของแบบฟอร์มในสมุดงานไม่ใช่ที่กระทรวงลงนาม",
                                  "the signature does not verify: the agreement or layout in the workbook is not what the ministry signed",
                                  sheet=META_SHEET, cell="B5", file=file))
        else:
            return text, kind, BASELINE_SIGNATURE, findings
    else:
        findings.append(warning("WB-BASELINE-UNVERIFIED",
                                "ตรวจเทียบกับสำเนาคำรับรองในสมุดงานเอง ซึ่งยังไม่ได้ยืนยัน (ใช้ --agreement หรือ --public-key)",
                                "checked against the workbook's own, unverified copy of the agreement (use --agreement or --public-key)",
                                sheet=META_SHEET, file=file))
    return text, kind, BASELINE_UNVERIFIED, findings


def audit_book(book, file: str, signed=None, round_: Optional[int] = None) -> AuditResult:
    """Audit one workbook's canonical model (`ooxml.Book`) against its trusted baseline."""
    from .expected import FREE_CELLS, TrustedView, expected_model
    from .reader import data_from_book
    from .whitelist import compare

    trust = Trust.of(signed)
    data = data_from_book(book, file)
    result = AuditResult(file, findings=[f.located(file=file) for f in book.findings])
    text, kind, result.baseline, findings = choose_baseline(data.values, data.sheetnames, trust, file)
    result.kind = kind
    result.findings.extend(findings)
    if text is None:
        return result
    expected, findings = expected_model(text, kind, workbook_lang(data.values))
    result.findings.extend(f.located(file=file) for f in findings)
    if expected is None:
        return result
    result.findings.extend(f.located(file=file) for f in compare(expected.book, book, expected.inputs, FREE_CELLS))
    view = TrustedView(expected, data.values)
    return _run_rules(result, data, view, expected, kind, round_)


def _cover_totals(expected, layout) -> dict:
    """round -> the cover cell whose formula shows that round's total (found in the generator's)."""
    from ..workbook.layout import COVER_SHEET, Col, quoted, round_sheet
    from .formulas import canonical

    wanted = {canonical(f"{quoted(round_sheet(r))}!{Col.WEIGHTED}{layout.total_row}"): r for r in ROUNDS}
    cover = expected.book.sheet(COVER_SHEET) if expected.book is not None else None
    return {wanted[canonical(c.formula)]: ref for ref, c in (cover.cells.items() if cover else ())
            if c.formula and canonical(c.formula) in wanted}


def _run_rules(result: AuditResult, data, view, expected, kind: str, round_) -> AuditResult:
    from ..engine import score_agreement
    from ..workbook.layout import KIND_SAR, Col, ref, sar_layout
    from ..workbook.readback import agreement_from_trusted, agreement_from_workbook
    from .expected import TrustedView
    from .rules import RULES, AuditContext, round_sheet

    trusted = expected.agreement
    if isinstance(view, TrustedView):  # its hidden copy is the generator's for `trusted`
        agreement, findings = agreement_from_trusted(trusted, view, kind, data.file)
    else:
        agreement, findings, _kind = agreement_from_workbook(view, data.file)
    # the input checks already hold every input to its type: keep the read-back's other findings
    result.findings.extend(f for f in findings if f.code != "SAR-RESULT-NOT-NUMBER" or expected.book is None)
    if agreement is None:
        return result
    result.department, result.ministry = trusted.department, trusted.ministry
    audited_round = round_ or latest_reported_round(agreement)
    layout = sar_layout(trusted) if kind == KIND_SAR else None
    scores = {r: score_agreement(agreement, r) for r in ROUNDS} if kind == KIND_SAR else {}
    ctx = AuditContext(data, view, kind, agreement, trusted, audited_round, layout, scores,
                       _cover_totals(expected, layout) if layout else {})
    for kinds, check in RULES:
        if kind in kinds:
            try:
                result.findings.extend(ctx.at(f) for f in check(ctx))
            except Exception as exc:  # a rule's bug must not hide the other rules' findings
                result.findings.append(error("AUDIT-RULE-FAILED", f"กฎ {check.__name__} ทำงานผิดพลาด: {exc!r}",
                                             f"rule {check.__name__} failed: {exc!r}", file=data.file))
    if kind == KIND_SAR:
        sheet = round_sheet(audited_round)
        score = scores[audited_round]
        result.round = audited_round
        result.total_recomputed = score.total
        result.total_stored = data.get(sheet, f"{Col.WEIGHTED}{layout.total_row}")
        result.dimensions = score.dimensions
        result.scores = scores
        for s in score.indicators:
            row = layout.indicator_row(s.id)
            result.indicators.append({
                "id": s.id,
                "cells": {name: ref(sheet, row.cell(column)) for name, column in
                          (("weight", Col.WEIGHT), ("result", Col.RESULT), ("score", Col.SCORE), ("weighted", Col.WEIGHTED))},
                "stored": {"score": data.get(sheet, row.cell(Col.SCORE)), "weighted": data.get(sheet, row.cell(Col.WEIGHTED))},
                "recomputed": {"score": s.score, "weighted": s.weighted},
            })
    return result


def audit_data(data, signed=None, round_: Optional[int] = None) -> AuditResult:
    """Audit cell values alone (a live Excel book through xlwings): no package to compare.

    With a signed agreement, the non-input cells are compared by value (and by formula when
    the book gives them) with the generator's.  Without one — the officer's Score & Audit
    click — the book's own copy is the (unverified) baseline and no workbook is generated:
    the content rules and the input checks run on the book as it is, in a fraction of a second.
    """
    from .expected import FREE_CELLS, TrustedView, expected_model, light_expected
    from .whitelist import check_input, compare_values, light_checks

    trust = Trust.of(signed)
    result = AuditResult(data.file)
    text, kind, result.baseline, findings = choose_baseline(data.values, data.sheetnames, trust, data.file)
    result.kind = kind
    result.findings.extend(findings)
    if text is None:
        return result
    if result.baseline == BASELINE_UNVERIFIED and not trust.agreements_given and trust.public_key_pem is None:
        expected, findings = light_expected(text, kind)
        result.findings.extend(f.located(file=data.file) for f in findings)
        if expected is None:
            return result
        for (sheet, cell), spec in expected.inputs.items():
            if (sheet, cell) in data.values or data.formula(sheet, cell):
                from .ooxml import Cell

                found = Cell(data.values.get((sheet, cell)), (data.formula(sheet, cell) or "").lstrip("=") or None)
                result.findings.extend(f.located(file=data.file) for f in check_input(sheet, cell, spec, found))
        result.findings.extend(f.located(file=data.file) for f in light_checks(data, expected.agreement, kind))
        return _dedupe(_run_rules(result, data, data, expected, kind, round_))
    expected, findings = expected_model(text, kind, workbook_lang(data.values))
    result.findings.extend(f.located(file=data.file) for f in findings)
    if expected is None:
        return result
    result.findings.extend(f.located(file=data.file) for f in compare_values(expected, data, FREE_CELLS))
    return _run_rules(result, data, TrustedView(expected, data.values), expected, kind, round_)


def _dedupe(result: AuditResult) -> AuditResult:
    seen, kept = set(), []
    for f in result.findings:
        key = (f.code, f.sheet, f.cell)
        if key not in seen:
            seen.add(key)
            kept.append(f)
    result.findings = kept
    return result


def audit_file(path, signed=None, round_: Optional[int] = None) -> AuditResult:
    """Audit a workbook file; a file that cannot be read is a result with findings, not an error."""
    from ..workbook.readback import check_container
    from .ooxml import BadPackage, read_book

    parts = {}  # the XML parts check_container decompresses, so that read_book does not again
    findings = check_container(path, parts)
    if findings:
        return AuditResult(str(path), findings=findings, readable=False)
    try:
        book = read_book(path, parts)
    except BadPackage as exc:
        return AuditResult(str(path), findings=[error(exc.code, exc.th, exc.en, file=str(path))], readable=False)
    del parts
    if not book.sheets:
        return AuditResult(str(path), findings=[f.located(file=str(path)) for f in book.findings], readable=False)
    try:
        return audit_book(book, str(path), signed, round_)
    except Exception as exc:  # last line of defence: a batch never stops for one file
        return AuditResult(str(path), findings=[error("WB-UNREADABLE", f"ตรวจไฟล์ไม่ได้: {exc!r}",
                                                      f"cannot audit the file: {exc!r}", file=str(path))],
                           readable=False)
