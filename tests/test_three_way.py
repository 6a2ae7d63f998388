"""The engine, `formulas` and LibreOffice give the same scores (DOMAIN §6.6: "must agree on
every case, including values that sit exactly on a rounding boundary").

One agreement per short-of-level-1 policy, each with thousands of indicators built so their
scores land on the hard places: interpolated scores with a 5 in the 5th decimal
(thresholds 0/10000/20000/… and results like 12345.5), results exactly at a threshold and a
hair either side, blank levels, lower-is-better, interpolation off, milestones, weighted
parts whose composite ends in 5, groups, not-applicable and granted indicators, and weights
(10, 2.5, …) that put the weighted score on a boundary too.  The real generator
(`build_sar`) writes them; the three round sheets carry different results, so every row is
three cases.  LibreOffice recalculates both workbooks in one headless run, and `formulas`
(with Excel's semantics, each formula shape compiled once: xlkpi.fastcalc) computes every
case too.
"""
from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

from xlkpi.engine import score_agreement
from xlkpi.model import (
    DOWN,
    GROUP,
    MILESTONE,
    ROUNDS,
    THRESHOLD,
    UP,
    WEIGHTED,
    Agreement,
    Indicator,
    Part,
)
from xlkpi.workbook.layout import dimension_name, layout_names, name_for, sar_layout, total_name

WEIGHTS = [10, 20, 30, 2.5, 5, 1, 3, 7, 15, 0.5, 12.5, 0.1]


# --- cases ------------------------------------------------------------------------------

def typed(value):
    """A number as a person can type it into Excel: at most 15 significant digits.

    Excel and LibreOffice keep 15 digits of what is typed, and LibreOffice reads numbers in
    an xlsx to 15 digits too, so a 17-digit double such as 60.009367499999996 (float noise
    of this generator) is not a result anyone can enter; at a rounding boundary its last
    two digits decide the score (found by this test: 7 scores differed by 0.0001).
    """
    return None if value is None else float("%.15g" % value)


def _threshold_set(rng: random.Random, direction: str) -> list:
    """Five thresholds: a 10000 step (scores on x.xxxx5), an awkward step, or blank levels."""
    style = rng.choice(["ten-thousands", "ten-thousands", "awkward", "gapped", "small"])
    if style == "ten-thousands":
        base = rng.choice([0, 10000, -20000])
        values = [base + 10000 * n for n in range(5)]
    elif style == "awkward":
        base, step = rng.choice([60, 0.3, 72.5, -7]), rng.choice([3, 0.7, 6.5, 1 / 3, 0.01])
        values = [base + step * n for n in range(5)]
    elif style == "small":
        values = [0.0001 * n for n in range(1, 6)]
    else:  # 15.3.3-style: levels 2 and/or 4 blank ("–")
        values = [10000 * n for n in range(5)]
    values = [typed(v) for v in values]
    if direction == DOWN:
        values = values[::-1]
    if style == "gapped":
        for level in rng.choice([(2,), (4,), (2, 4), (2, 3, 4), (3,)]):
            values[level - 1] = None
    return values


def _result_for(rng: random.Random, thresholds: list, direction: str):
    """A result on a hard place of these thresholds (or None: not reported this round)."""
    return typed(_raw_result(rng, thresholds, direction))


def _raw_result(rng: random.Random, thresholds: list, direction: str):
    defined = [t for t in thresholds if t is not None]
    span = abs(defined[-1] - defined[0])
    choice = rng.random()
    if choice < 0.05:
        return None
    pick = rng.choice(defined)
    if choice < 0.45:
        # between two thresholds: a result whose interpolated score has a 5 in the 5th decimal
        low, high = sorted(rng.sample(defined, 2)) if len(defined) > 1 else (pick, pick)
        fraction = rng.randrange(0, 10000) / 10000 + 0.00005
        return low + (high - low) * fraction if span < 1 else round(low + (high - low) * fraction, 6)
    if choice < 0.6:
        return pick  # exactly at a threshold
    if choice < 0.8:
        # a hair either side of a threshold
        delta = rng.choice([0.5, 1e-9, 1e-6, 0.00005, span * 0.00005, span * 1e-12])
        return pick + rng.choice([-1, 1]) * delta
    if choice < 0.9:
        # well short of level 1 or beyond level 5
        sign = -1 if direction == DOWN else 1
        edge = defined[0] if rng.random() < 0.5 else defined[-1]
        outward = -sign if edge == defined[0] else sign
        return edge + outward * (span or 1) * rng.choice([0.01, 0.5, 3])
    return defined[0] + (defined[-1] - defined[0]) * rng.random()


class CaseMaker:
    """Indicators of every kind, with results per round on the rounding boundaries."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.n = 0

    def next_id(self, prefix: str = "") -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def threshold(self, dimension: int, weight: float) -> Indicator:
        rng = self.rng
        direction = rng.choice([UP, DOWN])
        thresholds = _threshold_set(rng, direction)
        result = {r: v for r in ROUNDS if (v := _result_for(rng, thresholds, direction)) is not None}
        return Indicator(id=self.next_id("T"), name="threshold", dimension=dimension, weight=weight,
                         kind=THRESHOLD, direction=direction, thresholds=thresholds,
                         interpolate=rng.random() > 0.15, result=result)

    def milestone(self, dimension: int, weight: float) -> Indicator:
        rng = self.rng
        result = {}
        for r in ROUNDS:
            if rng.random() < 0.9:
                result[r] = [rng.random() < 0.75 for _ in range(5)]
        return Indicator(id=self.next_id("M"), name="milestones", dimension=dimension, weight=weight,
                         kind=MILESTONE, milestones=[f"ขั้นตอนที่ {n}" for n in range(1, 6)],
                         result=result)

    def weighted(self, dimension: int, weight: float) -> Indicator:
        rng = self.rng
        weights = rng.choice([[0.5, 0.5], [0.6, 0.4], [0.3, 0.7], [0.15, 0.35, 0.5],
                              [0.25, 0.25, 0.25, 0.25], [0.2, 0.2, 0.6], [1.0], [0.1, 0.9]])
        parts = []
        for w in weights:
            direction = rng.choice([UP, DOWN])
            thresholds = _threshold_set(rng, direction)
            result = {}
            for r in ROUNDS:
                if rng.random() < 0.1:
                    continue  # not reported: the composite is taken over the parts reported
                if rng.random() < 0.5 and thresholds[0] == 0 and direction == UP and thresholds[1] is not None:
                    # a part score of x.xxx1 so that two halves make a composite ending in 5
                    result[r] = 10000 + rng.randrange(0, 30000, 2) + 1
                else:
                    result[r] = _result_for(rng, thresholds, direction)
                if result[r] is None:
                    del result[r]
            parts.append(Part(name="part", weight=w, thresholds=thresholds, direction=direction,
                              interpolate=rng.random() > 0.1, result=result))
        composite = rng.choice([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [2, 2.5, 3, 3.5, 4], [1, None, 3, None, 5]])
        return Indicator(id=self.next_id("W"), name="weighted", dimension=dimension, weight=weight,
                         kind=WEIGHTED, parts=parts, composite_thresholds=composite,
                         interpolate=rng.random() > 0.1)

    def leaf(self, dimension: int, weight: float) -> Indicator:
        kind = self.rng.choices([self.threshold, self.milestone, self.weighted], [6, 1, 2])[0]
        indicator = kind(dimension, weight)
        special = self.rng.random()
        if special < 0.03:
            indicator.applicable = False
            indicator.weight = 0
        elif special < 0.06:
            indicator.granted = True
            indicator.granted_reason = "ผ่านเกณฑ์แล้ว"
            indicator.result = {}
        return indicator

    def group(self, dimension: int) -> Indicator:
        rng = self.rng
        children = [self.leaf(dimension, rng.choice(WEIGHTS)) for _ in range(rng.randint(2, 4))]
        if rng.random() < 0.2:  # a nested group
            inner = [self.leaf(dimension, rng.choice(WEIGHTS)) for _ in range(2)]
            children.append(Indicator(id=self.next_id("G"), name="group", dimension=dimension,
                                      weight=sum(c.weight for c in inner), kind=GROUP, children=inner))
        parent = Indicator(id=self.next_id("G"), name="group", dimension=dimension,
                           weight=sum(c.weight for c in children), kind=GROUP, children=children)
        if rng.random() < 0.05:
            parent.applicable = False
        return parent


def boundary_agreement(seed: int, rows: int, below_level_1: int) -> Agreement:
    """An agreement whose indicators take about `rows` rows of a round sheet."""
    maker = CaseMaker(random.Random(seed))
    indicators: list = []
    placed = 0
    while placed < rows:
        dimension = maker.rng.randint(1, 4)
        if maker.rng.random() < 0.12:
            indicator = maker.group(dimension)
        else:
            indicator = maker.leaf(dimension, maker.rng.choice(WEIGHTS))
        indicators.append(indicator)
        placed += len(sar_layout(Agreement(2552, "", "", indicators=[indicator])).rows)
    return Agreement(fiscal_year=2552, ministry="กระทรวงทดสอบ", department=f"กรมขอบการปัด {below_level_1}",
                     below_level_1=below_level_1, indicators=indicators)


# --- what each side says ------------------------------------------------------------------

def engine_cells(agreement: Agreement) -> dict:
    """(sheet name, defined name) -> the engine's value for every score, weighted score,
    part score, composite and total of every round."""
    from xlkpi.workbook.layout import round_sheet

    out = {}
    for round_ in ROUNDS:
        result = score_agreement(agreement, round_)
        by_id = result.by_id()
        for s in result.indicators:
            out[name_for(s.id, round_, "score")] = s.score
            out[name_for(s.id, round_, "weighted")] = s.weighted
        for ind in agreement.leaves():
            s = by_id[ind.id]
            if ind.kind == WEIGHTED and s.applicable and not s.granted:
                out[name_for(ind.id, round_, "result")] = s.composite  # the composite is shown in K
                for n, part_score in enumerate(s.part_scores):
                    out[name_for(ind.id, round_, "score", n)] = part_score
        for d, value in result.dimensions.items():
            out[dimension_name(int(d), round_)] = value
        out[total_name(round_)] = result.total
    return out


def count_cases(agreement: Agreement) -> int:
    """Indicator rounds compared: every leaf, part and group row of every round sheet."""
    return len(sar_layout(agreement).rows) * len(ROUNDS)


def as_number(value):
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value  # an error or text: never equal to a number
    return float(value)


def disagreements(agreement: Agreement, engine: dict, values: dict, who: str) -> list:
    names = layout_names(sar_layout(agreement))
    out = []
    for name, expected in engine.items():
        sheet, cell = names[name]
        got = as_number(values.get((sheet, cell)))
        if expected is None:
            if got is not None:
                out.append((who, name, f"{sheet}!{cell}", expected, got))
        elif not isinstance(got, float) or f"{got:.4f}" != f"{expected:.4f}" or abs(got - expected) > 1e-9:
            out.append((who, name, f"{sheet}!{cell}", expected, got))
    return out


# --- the tests ------------------------------------------------------------------------------

# Two workbooks (one per short-of-level-1 policy) of this many rows; × 3 rounds ≥ 10,000 cases.
ROWS_PER_POLICY = 1700


@pytest.fixture(scope="module")
def boundary_agreements() -> dict:
    return {policy: boundary_agreement(2552 + policy, ROWS_PER_POLICY, policy) for policy in (1, 0)}


def test_boundary_cases_reach_every_hard_place(boundary_agreements):
    """The generated cases really sit on the places the three must agree on."""
    from xlkpi.rounding import excel_round

    cases = sum(count_cases(a) for a in boundary_agreements.values())
    assert cases >= 10_000
    leaves = [i for a in boundary_agreements.values() for i in a.walk()]
    assert {i.kind for i in leaves} == {THRESHOLD, MILESTONE, WEIGHTED, GROUP}
    assert any(not i.applicable for i in leaves) and any(i.granted for i in leaves)
    assert any(i.direction == DOWN for i in leaves) and any(not i.interpolate for i in leaves)
    assert any(None in i.thresholds for i in leaves)
    # raw interpolated scores with a 5 in the 5th decimal (rounded up by Excel's ROUND)
    halves = exact = 0
    for a in boundary_agreements.values():
        for ind in a.leaves():
            if ind.kind != THRESHOLD or not ind.interpolate:
                continue
            for value in ind.result.values():
                if value in ind.thresholds:
                    exact += 1
                for score in [score_raw(value, ind.thresholds, ind.direction)]:
                    if score is not None and ("%.15g" % score).endswith("5") and \
                            len(("%.15g" % score).split(".")[-1]) == 5:
                        halves += 1
                        assert excel_round(score) > score - 0.00005  # rounded half away from zero
    assert halves >= 500 and exact >= 300


def score_raw(result, thresholds, direction):
    """DOMAIN §6.1 before rounding (None outside the interpolated range)."""
    sign = -1 if direction == DOWN else 1
    defined = [(n + 1, t) for n, t in enumerate(thresholds) if t is not None]
    for (a, ta), (b, tb) in zip(defined, defined[1:]):
        if ta * sign <= result * sign < tb * sign:
            return a + (b - a) * (result - ta) / (tb - ta)
    return None


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_engine_and_libreoffice_agree_on_10000_cases(boundary_agreements, tmp_path):
    from xlkpi.recalc import cached_values, libreoffice_recalc
    from xlkpi.workbook.sar import write_sar

    paths = {policy: write_sar(a, tmp_path / f"boundaries-below-{policy}.xlsx")
             for policy, a in boundary_agreements.items()}
    started = time.perf_counter()
    recalculated = libreoffice_recalc(list(paths.values()), tmp_path / "lo")  # one headless run
    seconds = time.perf_counter() - started
    assert set(recalculated) == set(paths.values())
    found, cases, cells = [], 0, 0
    for policy, agreement in boundary_agreements.items():
        engine = engine_cells(agreement)
        values = cached_values(recalculated[paths[policy]])
        found += disagreements(agreement, engine, values, f"libreoffice, below_level_1={policy}")
        cases += count_cases(agreement)
        cells += len(engine)
    departures = [f for f in found if libreoffice_snaps_to_half(boundary_agreements, f)]
    report = {"cases": cases, "cells": cells, "libreoffice_seconds": round(seconds, 1),
              "disagreements": len(found), "libreoffice_round_departures": departures}
    print(json.dumps(report, ensure_ascii=False))
    assert cases >= 10_000
    assert [f for f in found if f not in departures] == [], found[:20]
    assert len(departures) <= 3  # seen: 1 in 10,200 (L872 of the policy-0 card, round 6)


def libreoffice_snaps_to_half(agreements: dict, finding: tuple) -> bool:
    """A known LibreOffice departure from Excel's ROUND, not an xlkpi error.

    LibreOffice 7.4's ROUND (rtl::math::round, "corrected" mode) rounds a value a few units
    in the 15th significant digit below a half up, as if it were the half:
    3 + (-6.59485 + 6.33333333333333) / (-6.66666666666667 + 6.33333333333333) is
    3.78454999999999 to 15 digits, so Excel and the engine give 3.7845, LibreOffice 3.7846.
    Only a threshold score 0.0001 above the engine's, whose raw value is that close to the
    half, is classed so; everything else must agree.
    """
    who, name, _cell, expected, got = finding
    if not name.endswith("_score") or expected is None or not isinstance(got, float):
        return False
    if abs(got - expected - 0.0001) > 1e-9:
        return False
    for agreement in [agreements[int(who[-1])]]:
        for ind in agreement.leaves():
            for round_ in ROUNDS:
                if ind.kind == THRESHOLD and name == name_for(ind.id, round_, "score") and round_ in ind.result:
                    raw = score_raw(ind.result[round_], ind.thresholds, ind.direction)
                    return raw is not None and abs(raw - (expected + 0.00005)) < 1e-13
    return False


@pytest.mark.xdist_group("formulas")
def test_engine_and_formulas_agree_on_10000_cases(boundary_agreements, tmp_path):
    """`formulas` (with Excel's semantics, each formula shape compiled once) on every case."""
    from xlkpi.recalc import formulas_values
    from xlkpi.workbook.sar import write_sar

    found, cases, seconds, cells = [], 0, 0.0, 0
    for policy, agreement in boundary_agreements.items():
        path = write_sar(agreement, tmp_path / f"boundaries-below-{policy}.xlsx")
        started, timings = time.perf_counter(), {}
        values = formulas_values(path, timings=timings)
        seconds += time.perf_counter() - started
        assert timings["path"] == "fast", timings  # not the cell-by-cell ExcelModel
        engine = engine_cells(agreement)
        found += disagreements(agreement, engine, values, f"formulas, below_level_1={policy}")
        cases += count_cases(agreement)
        cells += len(engine)
    print(json.dumps({"formulas_cases": cases, "cells": cells, "formulas_seconds": round(seconds, 1),
                      "disagreements": len(found)}))
    assert cases >= 10_000
    assert found == [], found[:20]


# --- end to end: the command line, LibreOffice and `xlkpi verify` ---------------------------

E2E_SEEDS = (11, 12, 13)


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_libreoffice_shows_what_xlkpi_score_prints(tmp_path):
    """Generated agreements with results → SAR Card → LibreOffice: every indicator's score and
    weighted score, every dimension and the total equal `xlkpi score --json` to 4 decimals."""
    from typer.testing import CliRunner

    from xlkpi.agreement import dump
    from xlkpi.cli import app
    from xlkpi.recalc import cached_values, libreoffice_recalc
    from xlkpi.sample import random_agreement
    from xlkpi.workbook.layout import round_sheet
    from xlkpi.workbook.sar import write_sar

    runner = CliRunner()
    agreements, paths = {}, {}
    for seed in E2E_SEEDS:
        agreement = random_agreement(random.Random(seed), leaves=30 + seed, rounds=(6, 9, 12))
        dump(agreement, tmp_path / f"agreement{seed}.yaml")
        agreements[seed] = agreement
        paths[seed] = write_sar(agreement, tmp_path / f"sar{seed}.xlsx")
    recalculated = libreoffice_recalc(list(paths.values()), tmp_path / "lo")
    compared = 0
    for seed, agreement in agreements.items():
        values = cached_values(recalculated[paths[seed]])
        names = layout_names(sar_layout(agreement))

        def shown(name):
            return as_number(values.get(names[name]))

        for round_ in ROUNDS:
            run = runner.invoke(app, ["score", str(tmp_path / f"agreement{seed}.yaml"), "--round", str(round_), "--json"])
            assert run.exit_code == 0, run.output
            printed = json.loads(run.stdout)
            for row in printed["indicators"]:
                for field_ in ("score", "weighted"):
                    got, want = shown(name_for(row["id"], round_, field_)), row[field_]
                    assert (got is None) == (want is None), (seed, round_, row["id"], field_, got, want)
                    if want is not None:
                        assert f"{got:.4f}" == f"{want:.4f}", (seed, round_, row["id"], field_)
                    compared += 1
            for d, want in printed["dimensions"].items():
                assert f"{shown(dimension_name(int(d), round_)):.4f}" == f"{want:.4f}"
            assert f"{shown(total_name(round_)):.4f}" == f"{printed['total']:.4f}"
            assert round_sheet(round_) in {sheet for sheet, _ in values}
    assert compared > 3 * 3 * 60


def test_verify_agrees_with_the_engine_and_finds_an_altered_formula(tmp_path):
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from xlkpi.cli import app
    from xlkpi.sample import random_agreement
    from xlkpi.workbook.sar import write_sar

    runner = CliRunner()
    agreement = random_agreement(random.Random(5), leaves=10, rounds=(6, 9, 12))
    path = write_sar(agreement, tmp_path / "sar.xlsx")
    good = runner.invoke(app, ["verify", str(path), "--json"])
    assert good.exit_code == 0, good.output
    [checked] = json.loads(good.stdout)["workbooks"]
    assert checked["status"] == "ok" and checked["differences"] == [] and checked["cells"] > 3 * 10

    # tamper: the 12-month score of the first scored threshold leaf becomes a constant 5
    leaf = next(i for i in agreement.leaves() if i.kind == THRESHOLD and i.applicable and not i.granted
                and 12 in i.result and not i.id.count("."))
    sheet, cell = layout_names(sar_layout(agreement))[name_for(leaf.id, 12, "score")]
    expected = score_agreement(agreement, 12).by_id()[leaf.id].score
    assert expected != 5
    wb = load_workbook(path)
    wb[sheet][cell] = "=5"
    wb.save(tmp_path / "tampered.xlsx")
    bad = runner.invoke(app, ["verify", str(tmp_path / "tampered.xlsx"), "--json"])
    assert bad.exit_code == 1
    cells = {d["cell"] for d in json.loads(bad.stdout)["workbooks"][0]["differences"]}
    assert f"{sheet}!{cell}" in cells


# --- DOMAIN §6.5a: reporting schedules and missing results -----------------------------------
# Separate generator (issue 13): the boundary agreements' indicators, with report_rounds on
# indicators, parts and groups (children inheriting, sometimes overriding), and due results
# removed, so the three must agree on not-due rows (left out of composites, groups and totals)
# and on due-but-missing ones (the floor).

SCHEDULES = ([12], [12], [6, 12], [9, 12], [6], [6, 9])


def scheduled_agreement(seed: int, rows: int, below_level_1: int) -> Agreement:
    """A boundary agreement of about `rows` rows where about a third of the indicators, parts
    and groups report in fewer rounds than 6/9/12 and about a sixth of the due results are
    missing (results for rounds not due are kept: the generator and engine must ignore them)."""
    rng = random.Random(seed * 7 + 1)
    agreement = boundary_agreement(seed, rows, below_level_1)
    agreement.department = f"กรมรอบรายงาน {below_level_1}"

    def schedule(indicator: Indicator) -> None:
        if rng.random() < 0.3:
            indicator.report_rounds = list(rng.choice(SCHEDULES))
        for part in indicator.parts:
            if rng.random() < 0.25:
                part.report_rounds = list(rng.choice(SCHEDULES))
            for round_ in list(part.result):
                if rng.random() < 0.15:
                    del part.result[round_]
        for round_ in list(indicator.result):
            if rng.random() < 0.15:
                del indicator.result[round_]
        for child in indicator.children:
            schedule(child)

    for indicator in agreement.indicators:
        schedule(indicator)
    return agreement


def scheduled_engine_cells(agreement: Agreement) -> dict:
    """`engine_cells`, but a not-due weighted indicator's K shows "not due" (text), not a composite."""
    out = engine_cells(agreement)
    for round_ in ROUNDS:
        by_id = score_agreement(agreement, round_).by_id()
        for ind in agreement.leaves():
            if ind.kind == WEIGHTED and not by_id[ind.id].due:
                out.pop(name_for(ind.id, round_, "result"), None)
    return out


def schedule_counts(agreement: Agreement) -> dict:
    """How many not-due and due-but-missing indicator rounds an agreement holds."""
    counts = {"not_due": 0, "missing": 0, "due_part_missing": 0, "part_not_due": 0}
    for round_ in ROUNDS:
        for s in score_agreement(agreement, round_).indicators:
            if s.is_group or not s.applicable:
                continue
            counts["not_due"] += not s.due
            counts["missing"] += s.missing
            counts["part_not_due"] += s.due and None in s.part_scores
            counts["due_part_missing"] += s.missing and bool(s.part_scores)
    return counts


SCHEDULE_ROWS = 500


@pytest.fixture(scope="module")
def scheduled_agreements() -> dict:
    return {policy: scheduled_agreement(2600 + policy, SCHEDULE_ROWS, policy) for policy in (1, 0)}


def test_schedule_cases_reach_not_due_and_missing_results(scheduled_agreements):
    for agreement in scheduled_agreements.values():
        counts = schedule_counts(agreement)
        assert counts["not_due"] >= 100 and counts["missing"] >= 100, counts
        assert counts["part_not_due"] >= 10 and counts["due_part_missing"] >= 10, counts
        scores = [score_agreement(agreement, r) for r in ROUNDS]
        assert any(s.is_partial for s in scores)
        # groups whose own schedule their children inherit
        assert any(i.is_group and i.report_rounds for i in agreement.walk())


def _coverage_disagreements(agreement: Agreement, values: dict, who: str) -> list:
    """The weight column of every total row states the weight due in the round (DOMAIN §6.5a)."""
    from xlkpi.workbook.layout import Col, round_sheet

    layout = sar_layout(agreement)
    out = []
    for round_ in ROUNDS:
        result = score_agreement(agreement, round_)
        got = as_number(values.get((round_sheet(round_), f"{Col.WEIGHT}{layout.total_row}")))
        if got is None or abs(got - result.covered_weight) > 1e-9:
            out.append((who, f"covered weight r{round_}", result.covered_weight, got))
    return out


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_engine_and_libreoffice_agree_on_not_due_and_missing_results(scheduled_agreements, tmp_path):
    from xlkpi.recalc import cached_values, libreoffice_recalc
    from xlkpi.workbook.sar import write_sar

    paths = {policy: write_sar(a, tmp_path / f"scheduled-below-{policy}.xlsx")
             for policy, a in scheduled_agreements.items()}
    recalculated = libreoffice_recalc(list(paths.values()), tmp_path / "lo")
    assert set(recalculated) == set(paths.values())
    found, cases = [], 0
    for policy, agreement in scheduled_agreements.items():
        values = cached_values(recalculated[paths[policy]])
        found += disagreements(agreement, scheduled_engine_cells(agreement), values,
                               f"libreoffice, below_level_1={policy}")
        found += _coverage_disagreements(agreement, values, f"libreoffice, below_level_1={policy}")
        cases += count_cases(agreement)
    departures = [f for f in found if len(f) == 5 and libreoffice_snaps_to_half(scheduled_agreements, f)]
    print(json.dumps({"schedule_cases": cases, "disagreements": len(found), "departures": departures}))
    assert cases >= 3000
    assert [f for f in found if f not in departures] == [], found[:20]
    assert len(departures) <= 2


@pytest.mark.xdist_group("formulas")
def test_engine_and_formulas_agree_on_not_due_and_missing_results(scheduled_agreements, tmp_path):
    from xlkpi.recalc import formulas_values
    from xlkpi.workbook.sar import write_sar

    found, cases, counts = [], 0, {"not_due": 0, "missing": 0}
    for n, agreement in enumerate(scheduled_agreements.values()):  # every case, as above
        path = write_sar(agreement, tmp_path / f"scheduled{n}.xlsx")
        found += disagreements(agreement, scheduled_engine_cells(agreement), formulas_values(path), "formulas")
        cases += count_cases(agreement)
        for key, value in schedule_counts(agreement).items():
            if key in counts:
                counts[key] += value
    assert cases >= 3000 and counts["not_due"] >= 20 and counts["missing"] >= 20, counts
    assert found == [], found[:20]


def test_verify_agrees_on_a_card_with_schedules_and_missing_results(tmp_path):
    """`xlkpi verify` (the `formulas` package) on a SAR Card with not-due and missing results."""
    from typer.testing import CliRunner

    from xlkpi.cli import app
    from xlkpi.workbook.sar import write_sar

    agreement = scheduled_agreement(2700, 60, 1)
    counts = schedule_counts(agreement)
    assert counts["not_due"] and counts["missing"], counts
    path = write_sar(agreement, tmp_path / "scheduled.xlsx")
    run = CliRunner().invoke(app, ["verify", str(path), "--json"])
    assert run.exit_code == 0, run.output
    (workbook,) = json.loads(run.stdout)["workbooks"]
    assert workbook["differences"] == [], workbook
