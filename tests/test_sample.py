"""The built-in sample ministry, its listed mistakes, random agreements and the demo."""
from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

from xlkpi.agreement import dumps, load, parse, read_text, to_dict
from xlkpi.model import DOWN, GROUP, MILESTONE, THRESHOLD, WEIGHTED
from xlkpi.sample import (
    DEPARTMENTS,
    FISCAL_YEAR,
    GRANTED_REASON,
    SAMPLE_MISTAKES,
    field_value,
    ministry_settings,
    random_agreement,
    sample_ministry,
    write_sample,
)

SAMPLE = list(zip(DEPARTMENTS, sample_ministry()))
BY_SLUG = {d.slug: a for d, a in SAMPLE}

REQUIRED_TEXT = ("name", "unit", "definition", "formula", "data_source", "rationale", "conditions",
                 "evaluation", "evidence_expected")


# --- reference checks, written from DOMAIN §9 independently of xlkpi.sample ------------

def dimension_totals(agreement) -> dict:
    return {d: sum(leaf.weight for leaf in agreement.leaves() if leaf.dimension == d) for d in (1, 2, 3, 4)}


def steps_even(thresholds) -> bool:
    defined = [(level, t) for level, t in enumerate(thresholds, start=1) if t is not None]
    per_level = [(tb - ta) / (b - a) for (a, ta), (b, tb) in zip(defined, defined[1:])]
    return all(abs(s - per_level[0]) <= 1e-9 * max(1, abs(per_level[0])) for s in per_level)


def texts(indicator):
    yield from (getattr(indicator, name) for name in REQUIRED_TEXT + ("granted_reason",))
    yield from (indicator.owner.name, indicator.owner.phone, indicator.collector.name, indicator.collector.phone)
    yield from indicator.milestones
    yield from indicator.explanation.values()
    yield from indicator.evidence.values()
    yield from (p.name for p in indicator.parts)


def reported_at_12(indicator) -> bool:
    if indicator.kind == WEIGHTED:
        return any(12 in p.result for p in indicator.parts)
    return 12 in indicator.result


def problems(agreement) -> set:
    """(indicator id, finding code) for every problem of the kinds SAMPLE_MISTAKES uses."""
    found = set()
    totals = dimension_totals(agreement)
    if not totals[1] + totals[2] > totals[3] + totals[4]:
        found.add(("", "FW-DIM12-GT-DIM34"))
    for indicator in agreement.walk():
        if any(isinstance(t, str) and t and t[0] in "=+-@" for t in texts(indicator)):
            found.add((indicator.id, "WB-FORMULA-INJECTION"))
        if not indicator.applicable:
            continue
        contacts = (indicator.owner.name, indicator.owner.phone, indicator.collector.name, indicator.collector.phone)
        if any(not getattr(indicator, name).strip() for name in REQUIRED_TEXT) or not all(c.strip() for c in contacts):
            found.add((indicator.id, "TPL-REQUIRED-BLANK"))
        if indicator.kind == THRESHOLD and not steps_even(indicator.thresholds):
            found.add((indicator.id, "TPL-UNEVEN-STEPS"))
        for part in indicator.parts:
            if not steps_even(part.thresholds):
                found.add((indicator.id, "TPL-UNEVEN-STEPS"))
        last_year = indicator.baseline.get(agreement.fiscal_year - 1)
        if indicator.kind == THRESHOLD and not indicator.granted and last_year is not None:
            t3 = indicator.thresholds[2]
            easier = last_year <= t3 if indicator.direction == DOWN else last_year >= t3
            if t3 is not None and easier:
                found.add((indicator.id, "TPL-TARGET-EASIER"))
        if indicator.kind == GROUP or indicator.granted:
            continue
        if indicator.kind == WEIGHTED:
            missing = any(12 not in p.result for p in indicator.parts)
        else:
            missing = 12 not in indicator.result
        if missing:
            found.add((indicator.id, "SAR-RESULT-MISSING"))
        if reported_at_12(indicator) and not indicator.evidence.get(12, "").strip():
            found.add((indicator.id, "SAR-EVIDENCE-MISSING"))
    return found


def assert_weights_add_up(agreement) -> None:
    assert sum(leaf.weight for leaf in agreement.leaves()) == pytest.approx(100, abs=1e-9)
    for indicator in agreement.walk():
        if indicator.kind == GROUP:
            assert sum(c.weight for c in indicator.children) == pytest.approx(indicator.weight, abs=1e-9), indicator.id
        if indicator.kind == WEIGHTED:
            assert sum(p.weight for p in indicator.parts) == pytest.approx(1, abs=1e-9), indicator.id
        for value in [indicator.weight] + [p.weight for p in indicator.parts]:
            assert round(value, 2) == pytest.approx(value, abs=1e-12), indicator.id  # at most 2 decimals


# --- the sample ministry ---------------------------------------------------------------

@pytest.mark.parametrize("slug", [d.slug for d in DEPARTMENTS])
def test_sample_agreement_parses_without_findings(slug):
    agreement, findings = parse(to_dict(BY_SLUG[slug]), slug)
    assert agreement is not None
    assert findings == []


@pytest.mark.parametrize("slug", [d.slug for d in DEPARTMENTS])
def test_sample_agreement_round_trips_through_yaml(slug):
    agreement, findings = read_text(dumps(BY_SLUG[slug]), f"{slug}.yaml")
    assert findings == []
    assert agreement == BY_SLUG[slug]


def test_write_sample_writes_one_loadable_yaml_per_department(tmp_path):
    paths = write_sample(tmp_path)
    assert [p.name for p in paths] == [f"{d.slug}.yaml" for d in DEPARTMENTS]
    for path, (department, expected) in zip(paths, SAMPLE):
        assert path.name.isascii()
        agreement, findings = load(path)
        assert findings == []
        assert agreement == expected


def test_sample_is_deterministic():
    assert sample_ministry() == [a for _, a in SAMPLE]


@pytest.mark.parametrize("slug", [d.slug for d in DEPARTMENTS])
def test_sample_weights_add_up(slug):
    assert_weights_add_up(BY_SLUG[slug])


def test_dimension_condition_fails_only_where_listed():
    listed = {m.department for m in SAMPLE_MISTAKES if m.code == "FW-DIM12-GT-DIM34"}
    failing = set()
    for department, agreement in SAMPLE:
        totals = dimension_totals(agreement)
        if not totals[1] + totals[2] > totals[3] + totals[4]:
            failing.add(department.slug)
    assert failing == listed and len(listed) == 1


def test_dimensions_follow_the_fy2552_pilot_framework():
    """DOMAIN §4: dim1 = A + 30, dim2 = B, dim3 = C + 7, dim4 = 20 with A + B + C = 43."""
    for department, agreement in SAMPLE:
        assert department.a + department.b + department.c == 43
        totals = dimension_totals(agreement)
        assert totals[4] == pytest.approx(20)
        # Indicators 1 (20) and 2 (10) a department lacks are redistributed within dims 1–3.
        own = {"in_mission_group": 30, "no_mission_group": 20, "under_minister": 0}[department.type]
        extra_a, extra_b, extra_c = department.extra
        assert extra_a + extra_b + extra_c == 30 - own
        assert totals[1] == pytest.approx(department.a + extra_a + own)
        assert totals[2] == pytest.approx(department.b + extra_b)
        assert totals[3] == pytest.approx(department.c + extra_c + 7)
        assert agreement.split_reasons.strip()
        assert agreement.fiscal_year == FISCAL_YEAR and agreement.staff > 0


def test_every_department_type_at_least_twice_with_its_indicators_1_and_2():
    types = [a.department_type for _, a in SAMPLE]
    assert len(SAMPLE) == 10
    for kind in ("in_mission_group", "no_mission_group", "under_minister"):
        assert types.count(kind) >= 2
    for department, agreement in SAMPLE:
        top = [i.id for i in agreement.indicators]
        assert ("1" in top) == (agreement.department_type != "under_minister")
        assert ("2" in top) == (agreement.department_type == "in_mission_group")
        assert bool(agreement.mission_group) == (agreement.department_type == "in_mission_group")
        if "1" in top:
            assert agreement.find("1").weight == 20 and agreement.find("1.3").weight == 2
            one_two = agreement.find("1.2")
            if one_two.applicable:
                assert agreement.find("1.1").weight == 15 and one_two.weight == 3
            else:
                assert (one_two.moved_to, one_two.weight, agreement.find("1.1").weight) == ("1.1", 0, 18)
        if "2" in top:
            assert agreement.find("2").weight == 10
        assert agreement.find("5.1").weight == 4 and agreement.find("5.2").weight == 3
        assert (agreement.find("5.3") is not None) == agreement.governance_pilot
        assert 25 <= sum(1 for _ in agreement.leaves()) <= 40


def test_both_variants_of_indicator_1_2_appear():
    states = {a.find("1.2").applicable for _, a in SAMPLE if a.find("1.2")}
    assert states == {True, False}


def test_indicator_15_has_the_fy2553_structure():
    expected = {"15": 20, "15.1": 12, "15.1.1": 8, "15.1.1.1": 4, "15.1.1.2": 4, "15.1.2": 2,
                "15.1.2.1": 1, "15.1.2.2": 1, "15.1.3": 2, "15.1.3.1": 1, "15.1.3.2": 1, "15.2": 4,
                "15.3": 4, "15.3.1": 1, "15.3.2": 1, "15.3.3": 2}
    for _, agreement in SAMPLE:
        fifteen = agreement.find("15")
        assert {i.id: i.weight for i in fifteen.walk()} == expected
        assert fifteen.dimension == 4
        assert agreement.find("15.1.1.1").thresholds == [60, 70, 80, 90, 100]
        assert agreement.find("15.3.1").thresholds == [3, 6, 9, 12, 15]
        assert agreement.find("15.3.2").thresholds == [3, 4, 5, 6, 7]
        assert agreement.find("15.3.3").thresholds == [0, None, 1, None, 2]
        granted = [agreement.find(f"15.1.3.{n}") for n in (1, 2)]
        assert sum(i.granted for i in granted) == 1
        assert all(i.granted_reason == GRANTED_REASON for i in granted if i.granted)
        for plan in ("15.1.2.1", "15.1.2.2"):
            assert [p.weight for p in agreement.find(plan).parts] in ([0.5, 0.5], [0.4, 0.4, 0.1, 0.1])


def test_pmqa_choices_follow_the_rules_of_domain_5():
    for _, agreement in SAMPLE:
        pmqa = agreement.pmqa
        allowed = {"policy": {1, 4}, "service": {1, 6}}[pmqa["agency_type"]]
        assert pmqa["mandatory_category"] in allowed
        assert pmqa["voluntary_category"] not in pmqa["categories_fy2552"]
        assert pmqa["voluntary_category"] != pmqa["mandatory_category"]
        assert agreement.find("15.1.1.1").category == pmqa["mandatory_category"]
        assert agreement.find("15.1.1.2").category == pmqa["voluntary_category"]
        # 15.2: one RM KPI per category not done this year, three for category 4.
        not_done = {1, 2, 3, 4, 5, 6} - {pmqa["mandatory_category"], pmqa["voluntary_category"]}
        rm_parts = agreement.find("15.2").parts
        assert len(rm_parts) == len(not_done) + (2 if 4 in not_done else 0)
        assert all(p.name.startswith("RM") for p in rm_parts)


def test_every_indicator_kind_is_in_the_sample():
    leaves = [i for _, a in SAMPLE for i in a.walk()]
    assert any(i.kind == THRESHOLD and i.direction == DOWN for i in leaves)
    assert any(i.kind == THRESHOLD and i.direction != DOWN for i in leaves)
    assert any(i.kind == THRESHOLD and None in i.thresholds for i in leaves)
    assert any(i.kind == THRESHOLD and not i.interpolate for i in leaves)
    assert any(i.kind == MILESTONE for i in leaves)
    assert {len(i.parts) for i in leaves if i.kind == WEIGHTED} >= {2, 3, 4}
    assert any(i.kind == GROUP and any(c.kind == GROUP for c in i.children) for i in leaves)
    assert any(not i.applicable and i.moved_to for i in leaves)
    assert any(i.granted for i in leaves)
    assert any(set(i.result) == {12} for i in leaves) and any(set(i.result) == {6, 9, 12} for i in leaves)


@pytest.mark.parametrize("mistake", SAMPLE_MISTAKES, ids=lambda m: f"{m.department}-{m.indicator}-{m.code}")
def test_listed_mistake_is_in_the_data(mistake):
    agreement = BY_SLUG[mistake.department]
    assert mistake.what_th and mistake.what_en and mistake.severity in ("error", "warning")
    if mistake.code == "FW-DIM12-GT-DIM34":
        totals = dimension_totals(agreement)
        assert totals[1] + totals[2] <= totals[3] + totals[4]
        return
    indicator = agreement.find(mistake.indicator)
    value = field_value(indicator, mistake.field)
    if mistake.code == "TPL-REQUIRED-BLANK":
        assert value == ""
    elif mistake.code == "WB-FORMULA-INJECTION":
        assert value.startswith("=")
    elif mistake.code == "TPL-UNEVEN-STEPS":
        assert not steps_even(value)
    elif mistake.code == "TPL-TARGET-EASIER":
        t3 = indicator.thresholds[2]
        assert (value < t3) if indicator.direction == DOWN else (value > t3)
    elif mistake.code in ("SAR-RESULT-MISSING", "SAR-EVIDENCE-MISSING"):
        assert value is None
        if mistake.code == "SAR-EVIDENCE-MISSING":
            assert 12 in indicator.result
    else:
        pytest.fail(f"unknown mistake code {mistake.code}")
    assert (mistake.indicator, mistake.code) in problems(agreement)


def test_sample_is_clean_apart_from_the_listed_mistakes():
    found = {(slug, ident, code) for slug, agreement in BY_SLUG.items() for ident, code in problems(agreement)}
    listed = {(m.department, m.indicator, m.code) for m in SAMPLE_MISTAKES}
    assert found == listed
    assert 6 <= len(SAMPLE_MISTAKES) <= 10


def test_ministry_settings_name_the_ministry_and_every_department_file():
    settings = ministry_settings()
    assert settings["ministry"] == "กระทรวงสาธารณสุข" and settings["fiscal_year"] == 2553
    assert settings["workbook_password"] == "xlkpi"
    assert [d["file"] for d in settings["departments"]] == [f"{d.slug}.yaml" for d in DEPARTMENTS]


# --- random agreements ----------------------------------------------------------------

@pytest.mark.parametrize("leaves", [4, 9, 40, 150])
def test_random_agreements_are_valid(leaves):
    for seed in range(60):
        agreement = random_agreement(random.Random(seed), leaves)
        assert sum(1 for _ in agreement.leaves()) == leaves
        parsed, findings = parse(to_dict(agreement))
        assert findings == [] and parsed == agreement, seed
        assert_weights_add_up(agreement)
        totals = dimension_totals(agreement)
        assert totals[1] + totals[2] > totals[3] + totals[4]
        assert all(totals[d] > 0 for d in totals)
        for indicator in agreement.walk():
            if not indicator.applicable:
                heir = agreement.find(indicator.moved_to)
                assert indicator.weight == 0 and heir is not None and heir.applicable


def test_random_agreements_round_trip_through_yaml():
    for seed in range(5):
        agreement = random_agreement(random.Random(seed), 40)
        parsed, findings = read_text(dumps(agreement), "random.yaml")
        assert findings == [] and parsed == agreement


def test_random_agreement_is_deterministic_given_the_rng():
    assert random_agreement(random.Random(7), 40) == random_agreement(random.Random(7), 40)
    assert random_agreement(random.Random(7), 40) != random_agreement(random.Random(8), 40)


def test_random_agreements_cover_every_kind():
    seen = set()
    for seed in range(40):
        agreement = random_agreement(random.Random(seed), 40)
        seen.add(("below_level_1", agreement.below_level_1))
        for i in agreement.walk():
            seen.add(i.kind)
            if i.kind == THRESHOLD:
                seen.add(("direction", i.direction))
                seen.add(("blank", None in i.thresholds))
                seen.add(("interpolate", i.interpolate))
            if i.kind == WEIGHTED:
                seen.add(("parts", len(i.parts)))
            if i.kind == GROUP and any(c.kind == GROUP for c in i.children):
                seen.add("nested")
            if not i.applicable:
                seen.add("not applicable")
            if i.granted:
                seen.add("granted")
            seen.add(("rounds", tuple(sorted(i.result))))
    expected = {THRESHOLD, MILESTONE, WEIGHTED, GROUP, "nested", "not applicable", "granted",
                ("direction", "up"), ("direction", "down"), ("blank", True), ("interpolate", False),
                ("parts", 2), ("parts", 3), ("parts", 4), ("below_level_1", 0), ("below_level_1", 1),
                ("rounds", (12,)), ("rounds", (6, 9, 12))}
    assert expected <= seen


# --- the demo -----------------------------------------------------------------------------

def test_run_demo_writes_what_it_says(tmp_path):
    from rich.console import Console

    from xlkpi.demo import run_demo

    printed = io.StringIO()
    out = tmp_path / "demo"
    assert run_demo(out, console=Console(file=printed, width=200)) == 0
    text = printed.getvalue()
    listed = [line.strip() for line in text.splitlines() if line.strip().startswith(str(out))]
    assert len(listed) >= 3 and all(Path(p).exists() for p in listed)
    assert sorted(p.name for p in (out / "agreements").iterdir()) == sorted(f"{d.slug}.yaml" for d in DEPARTMENTS)
    scores = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    assert {(s["slug"], s["round"]) for s in scores} == {(d.slug, r) for d in DEPARTMENTS for r in (6, 9, 12)}
    assert all(1 <= s["total"] <= 5 for s in scores if s["round"] == 12)
    for department, _ in SAMPLE:
        assert department.name in text or department.name[:20] in text


def test_one_fiscal_year_whose_indicator_15_texts_agree_with_it():
    """Issue 13: FY2553 throughout — the framework named, baselines of 2550–2552, PMQA's
    past year 2552 (15.1.3) and next year's plans 2554 (15.3.3), signed in Oct–Nov 2552."""
    from xlkpi.framework import check_agreement, load_framework_for

    assert FISCAL_YEAR == 2553
    for _, agreement in SAMPLE:
        assert agreement.fiscal_year == 2553 and agreement.framework == "fy2553-pilot-with-pmqa"
        assert agreement.signed_on == "2009-11-13"  # 13 Nov 2552, in FY2553's Oct–Nov window
        years = {y for i in agreement.walk() for y in i.baseline}
        assert years <= {2550, 2551, 2552}
        fifteen = agreement.find("15")
        assert fifteen.report_rounds == [12]
        assert "2552" in agreement.find("15.1.3").name and "2554" in agreement.find("15.3.3").name
        framework, findings = load_framework_for(agreement)
        assert framework.name == "fy2553-pilot-with-pmqa" and findings == []
        codes = {f.code for f in check_agreement(agreement, framework) if f.is_error}
        assert codes <= {"FW-DIM12-GT-DIM34"}  # dtam's deliberate mistake only


def test_issue_13_ddc_1_1_missing_part_counts_at_the_floor():
    """ddc's 1.1 has a deliberate missing 12-month part: it scored 3.741 averaged over the parts
    reported, and must score with that part at 1 (DOMAIN §6.5a) — 3.1928 — never higher."""
    from decimal import ROUND_HALF_UP, Decimal

    from xlkpi.engine import score_agreement

    ddc = BY_SLUG["ddc"]
    parts = ddc.find("1.1").parts
    scored = score_agreement(ddc, 12).by_id()["1.1"]
    missing = [n for n, p in enumerate(parts) if 12 not in p.result]
    assert missing == [1] and scored.part_scores[1] == 1.0 and scored.missing
    weights = [Decimal(repr(p.weight)) for p in parts]
    scores = [Decimal(repr(s)) for s in scored.part_scores]
    with_floor = sum(w * s for w, s in zip(weights, scores)) / sum(weights)
    reported = [n for n in range(len(parts)) if n not in missing]
    left_out = sum(weights[n] * scores[n] for n in reported) / sum(weights[n] for n in reported)
    assert scored.composite == float(with_floor.quantize(Decimal("0.0001"), ROUND_HALF_UP)) == 3.1928
    assert float(left_out.quantize(Decimal("0.001"), ROUND_HALF_UP)) == 3.741  # the issue's figure
