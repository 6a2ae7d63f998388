"""The built-in sample ministry (กระทรวงตัวอย่าง) and a random-agreement generator.

The package: `data` (the tables and the deliberate mistakes), `builder` (the agreements,
`sample_ministry`, `write_sample`), `generator` (`random_agreement`).

`sample_ministry()` builds ten departments of กระทรวงสาธารณสุข for one fiscal year, FY2553,
each a complete agreement following `templates/fy2553-pilot-with-pmqa.yaml`: the
pilot-ministry structure of seed 000 (DOMAIN §4) with dimension 4 the FY2553 indicator 15 of
seed 004 (DOMAIN §5), so indicator 15's texts agree with the year (FY2552 is the past year
whose PMQA categories 15.1.3 revisits; the development plans of 15.3.3 are for FY2554).
Indicator 15 reports at 12 months only, as the framework says (DOMAIN §6.5a).  The agreements are generated, deterministically,
from the tables of Thai KPI material below, so the demo, the workbook generator and the
audits all work on the same realistic data.

The sample is clean except for the deliberate mistakes listed in `SAMPLE_MISTAKES`, which
the audits must find.  Each names the finding code it should trigger:

=========================  ========  =================================================
code                       severity  what is wrong
=========================  ========  =================================================
TPL-REQUIRED-BLANK         error     a required KPI Template field is blank
TPL-UNEVEN-STEPS           warning   thresholds do not step evenly (per level, blank
                                     levels counted)
TPL-TARGET-EASIER          warning   the level-3 threshold is easier than last year's
                                     actual result (baseline of fiscal_year - 1)
WB-FORMULA-INJECTION       error     a text field starts with "=", "+", "-" or "@"
SAR-RESULT-MISSING         error     no 12-month result for an applicable, non-granted
                                     indicator (or one of its parts)
SAR-EVIDENCE-MISSING       warning   a 12-month result is reported with no evidence text
FW-DIM12-GT-DIM34          error     dimension 1 + 2 is not greater than dimension 3 + 4
=========================  ========  =================================================

What "clean" means for the sample, so the audit can be checked against it:
- Required KPI Template fields (every applicable indicator, parents included): name, unit,
  definition, formula, data_source, owner name and phone, collector name and phone,
  rationale, conditions, evaluation, evidence_expected.  `baseline` holds numbers for
  2550–2552 on threshold indicators; milestone indicators hold the level reached; weighted
  and group indicators (new composites in FY2553), granted ones and 15.3.x (new in the
  cycle) hold none.
- Thresholds step evenly per level; level 3 is harder than the 2552 baseline.
- Every applicable, non-granted leaf (and every part) has a 12-month result, and every
  reported result has explanation and evidence texts for its round.

`random_agreement(rng)` makes valid agreements of any size with every indicator kind, for
the benchmark and for round-trip tests; they do not follow the framework's numbering.
"""
from __future__ import annotations

from .builder import field_value, ministry_settings, sample_ministry, write_sample
from .data import *  # noqa: F401,F403 — the tables, constants and SAMPLE_MISTAKES
from .data import DEPARTMENTS, FISCAL_YEAR, GRANTED_REASON, MINISTRY, SAMPLE_MISTAKES, SampleDepartment, SampleMistake
from .generator import random_agreement

__all__ = ["DEPARTMENTS", "FISCAL_YEAR", "GRANTED_REASON", "MINISTRY", "SAMPLE_MISTAKES", "SampleDepartment",
           "SampleMistake", "field_value", "ministry_settings", "random_agreement", "sample_ministry", "write_sample"]
