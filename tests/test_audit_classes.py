"""The corpus by class (issue 10): every kind of edit, generated over the cells of several
agreements' workbooks, is an error; every legitimate way of writing the same workbook is not.

The good workbooks are generated and saved by LibreOffice (stored values, LibreOffice's own
spelling of everything).  `corpus.classes` makes the mutants in the package's XML: locked
constants, formulas, stored values, the officer's inputs, formats by effect, rows, columns,
merges, sheets, protection, defined names, validations, conditional formats, hyperlinks,
objects, print settings and the container.  Large classes are sampled (seeded); the counts
per class are printed (`pytest -s`) and asserted: all detected.
"""
from __future__ import annotations

import random
from collections import Counter

import pytest

import corpus as c
from xlkpi.audit import Trust, audit_book, department_key
from xlkpi.audit.expected import expected_model
from xlkpi.audit.ooxml import BadPackage, read_book
from xlkpi.audit.rewrite import REWRITES
from xlkpi.recalc import libreoffice_recalc
from xlkpi.sample import DEPARTMENTS, sample_ministry
from xlkpi.workbook.layout import KIND_SAR, KIND_TEMPLATE
from xlkpi.workbook.sar import meta_text, write_sar
from xlkpi.workbook.template import write_template

pytestmark = [pytest.mark.libreoffice, pytest.mark.xdist_group("libreoffice")]

SEEDS = (3, 17, 29)  # three random agreements of every indicator kind


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    root = tmp_path_factory.mktemp("classes")
    raw = root / "raw"
    raw.mkdir()
    agreements, paths = [], []
    for seed in SEEDS:
        agreement = c.corpus_agreement(seed, leaves=10)
        agreement.department_code = f"TEST-{seed}"
        agreements.append((agreement, KIND_SAR))
        paths.append(write_sar(agreement, raw / f"sar-{seed}.xlsx"))
    template = next(a for d, a in zip(DEPARTMENTS, sample_ministry()) if d.slug == "pbri")
    agreements.append((template, KIND_TEMPLATE))
    paths.append(write_template(template, raw / "template-pbri.xlsx"))
    calculated = libreoffice_recalc(paths, root / "calculated")
    trust = Trust({department_key(a.department_code): a for a, _k in agreements}, None, True)
    return [(calculated[p].read_bytes(), agreement, kind, calculated[p].name)
            for p, (agreement, kind) in zip(paths, agreements)], trust


def _audit(data: bytes, name: str, trust):
    try:
        return audit_book(read_book(data), name, trust, 12)
    except BadPackage as exc:
        return exc


def _detected(result) -> bool:
    return isinstance(result, BadPackage) or result.status in ("errors", "unreadable")


def test_the_good_workbooks_and_every_legitimate_rewrite_of_them_audit_clean(good):
    workbooks, trust = good
    for data, _agreement, _kind, name in workbooks:
        variants = {"as LibreOffice saved it": data, **{k: f(data) for k, f in REWRITES.items()}}
        combined = data
        for rewrite in REWRITES.values():
            combined = rewrite(combined)
        variants["all rewrites at once"] = combined
        for label, variant in variants.items():
            result = _audit(variant, name, trust)
            assert not isinstance(result, BadPackage), (name, label, result)
            assert result.baseline == "agreement", (name, label)
            errors = [str(f) for f in result.findings if f.is_error]
            # the sample template has no deliberate mistakes; the SAR Cards are complete
            assert errors == [], (name, label, errors[:5])
            assert result.status == "ok", (name, label, [str(f) for f in result.findings][:5])


def test_every_mutant_of_every_class_is_an_error(good):
    workbooks, trust = good
    counts: Counter = Counter()
    found: Counter = Counter()
    located: Counter = Counter()
    missed = []
    for n, (data, agreement, kind, name) in enumerate(workbooks):
        expected, _ = expected_model(meta_text(agreement), kind)
        for klass, mutants in c.classes(data, expected.inputs, random.Random(n), limit=20).items():
            for sheet, cell, mutant in mutants:
                counts[klass] += 1
                result = _audit(mutant, name, trust)
                if _detected(result):
                    found[klass] += 1
                    if isinstance(result, BadPackage) or not cell or any(
                            f.is_error and f.cell == cell and (not sheet or f.sheet in (sheet, None))
                            for f in result.findings):
                        located[klass] += 1
                else:
                    missed.append((klass, name, sheet, cell))
    print("\nclass                 mutants  detected  at the cell")
    for klass in sorted(counts):
        print(f"{klass:20s} {counts[klass]:8d} {found[klass]:9d} {located[klass]:12d}")
    print(f"{'total':20s} {sum(counts.values()):8d} {sum(found.values()):9d} {sum(located.values()):12d}")
    assert len(counts) >= 15 and all(counts[k] >= 3 for k in counts), counts
    assert missed == [], missed[:20]
