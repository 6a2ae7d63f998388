"""Frameworks as data and `xlkpi framework check` (DOMAIN §4, §5; seeds 000 §3 and 004).

Every expected weight below is worked out by hand from the seeds: FY2552 fixes
20 (ind. 1) + 10 (ind. 2) + 4 (5.1) + 3 (5.2) + 20 (dim. 4) = 57, so A + B + C = 43.
The sample agreement uses A = 12, B = 18, C = 13:
dim1 = 12 + 30 = 42, dim2 = 18, dim3 = 13 + 7 = 20, dim4 = 20; 42 + 18 = 60 > 20 + 20 = 40.
"""
from __future__ import annotations

import copy
import json

import pytest
import typer
import yaml
from typer.testing import CliRunner

from xlkpi.agreement import parse
from xlkpi.framework import (
    RULES,
    available_frameworks,
    check_agreement,
    load_framework,
    load_framework_for,
    parse_weight,
)

UP5 = [60, 70, 80, 90, 100]


def leaf(id_, weight, **more):
    return {"id": id_, "weight": weight, "thresholds": list(UP5), **more}


def weighted(id_, weight, *part_weights, **more):
    parts = [{"name": f"{id_} KPI {n + 1}", "weight": w, "thresholds": list(UP5)} for n, w in enumerate(part_weights)]
    return {"id": id_, "weight": weight, "kind": "weighted", "parts": parts, **more}


def indicator_15():
    """Indicator 15 of seed 004 for a policy agency: mandatory category 1, voluntary 3."""
    return {
        "id": "15", "dimension": 4, "weight": 20, "report_rounds": [12], "children": [
            {"id": "15.1", "weight": 12, "children": [
                {"id": "15.1.1", "weight": 8, "children": [
                    leaf("15.1.1.1", 4, category=1), leaf("15.1.1.2", 4, category=3)]},
                {"id": "15.1.2", "weight": 2, "children": [
                    weighted("15.1.2.1", 1, 0.5, 0.5, category=1),
                    weighted("15.1.2.2", 1, 0.4, 0.4, 0.2, category=3)]},
                {"id": "15.1.3", "weight": 2, "children": [
                    leaf("15.1.3.1", 1, category=2, granted=True, granted_reason="ผ่านเกณฑ์ในปี 2552 แล้ว"),
                    leaf("15.1.3.2", 1, category=5)]},
            ]},
            # categories not done in FY2553 = {2, 4, 5, 6} → RM2, RM4.1, RM4.2, RM4.3, RM5, RM6
            weighted("15.2", 4, 0.2, 0.2, 0.15, 0.15, 0.15, 0.15),
            {"id": "15.3", "weight": 4, "children": [
                {"id": "15.3.1", "weight": 1, "thresholds": [3, 6, 9, 12, 15]},
                {"id": "15.3.2", "weight": 1, "thresholds": [3, 4, 5, 6, 7]},
                {"id": "15.3.3", "weight": 2, "thresholds": [0, None, 1, None, 2]},
            ]},
        ]}


def sample(**changes):
    """A FY2552 department in a mission group that fits the framework (A = 12, B = 18, C = 13)."""
    data = {
        "fiscal_year": 2552, "ministry": "กระทรวงตัวอย่าง", "department": "กรมตัวอย่าง",
        "department_type": "in_mission_group",
        "split_reasons": "เน้นผลสัมฤทธิ์ตามภารกิจหลัก",
        "pmqa": {
            "agency_type": "policy", "categories_fy2552": [2, 5], "categories_passed_fy2552": [2],
            "mandatory_category": 1, "voluntary_category": 3,
            "plan_kpis": {"15.1.2.1": ["recommended", "recommended"],
                          "15.1.2.2": ["recommended", "recommended", {"type": "custom", "measures": "outcome"}]},
            "rm": ["RM2", "RM4.1", "RM4.2", "RM4.3", "RM5", "RM6"],
        },
        "indicators": [
            {"id": "1", "dimension": 1, "weight": 20, "children": [
                weighted("1.1", 15, 0.6, 0.4), weighted("1.2", 3, 1.0), leaf("1.3", 2)]},
            weighted("2", 10, 1.0, dimension=1),
            leaf("3", 12, dimension=1),
            leaf("4", 18, dimension=2),
            {"id": "5", "dimension": 3, "weight": 20, "children": [
                leaf("5.1", 4), leaf("5.2", 3), leaf("5.4", 13)]},
            indicator_15(),
        ],
    }
    data.update(changes)
    return data


def agreement_of(data):
    agreement, findings = parse(data)
    assert agreement is not None and not [f for f in findings if f.is_error], findings
    return agreement


def composed():
    framework, findings = load_framework("fy2552-pilot-with-pmqa-2553")
    assert framework is not None, findings
    return framework


def check(data, framework=None):
    return check_agreement(agreement_of(data), framework or composed())


def codes(findings, errors_only=True):
    return {f.code for f in findings if f.is_error or not errors_only}


def top(data, indicator_id):
    return next(i for i in data["indicators"] if i["id"] == indicator_id)


def child(parent, indicator_id):
    return next(c for c in parent["children"] if c["id"] == indicator_id)


# --- the seeds' own structures -------------------------------------------------------------

def test_framework_files_are_listed_and_load_without_findings():
    names = available_frameworks()
    assert {"fy2552-pilot-ministry", "fy2553-indicator-15", "fy2552-pilot-with-pmqa-2553"} <= set(names)
    for name in names:
        framework, findings = load_framework(name)
        assert framework is not None and framework.name == name and findings == []


def test_seed000_s3_fixed_parts_are_57_so_abc_is_43():
    framework, _ = load_framework("fy2552-pilot-ministry")
    by_dim = {d.number: d.weight for d in framework.dimensions}
    # A + 30, B, C + 7, 20
    assert (by_dim[1].constant, by_dim[1].variables) == (30, (("A", 1.0),))
    assert (by_dim[2].constant, by_dim[2].variables) == (0, (("B", 1.0),))
    assert (by_dim[3].constant, by_dim[3].variables) == (7, (("C", 1.0),))
    assert (by_dim[4].constant, by_dim[4].variables) == (20, ())
    assert framework.fixed_total == 57 and framework.total - framework.fixed_total == 43
    fixed = {i.id: i.weight.constant for i in framework.walk() if i.weight.is_fixed}
    # 20 + 10 + 4 + 3 + 20 = 57 (5.3 is taken out of C, so not part of the 57)
    assert fixed["1"] + fixed["2"] + fixed["5.1"] + fixed["5.2"] + fixed["6"] == 57
    assert (fixed["1.1"], fixed["1.2"], fixed["1.3"]) == (15, 3, 2)
    assert framework.find("1.2").moves_to == "1.1" and framework.find("1.2").optional
    assert framework.find("5.3").only_if == "governance_pilot" and framework.find("5.3").taken_from == "C"
    # the decision on the ambiguous table: indicator 2 = 10, indicator 3 = A
    assert str(framework.find("2").weight) == "10" and str(framework.find("3").weight) == "A"
    assert framework.not_taken == {"in_mission_group": (), "no_mission_group": ("2",),
                                   "under_minister": ("1", "2")}
    assert [(c.greater, c.than) for c in framework.conditions] == [((1, 2), (3, 4))]
    assert framework.requires_split_reasons


def test_seed004_indicator_15_splits_12_4_4_and_8_2_2():
    framework, _ = load_framework("fy2553-indicator-15")
    weight = {i.id: i.weight.constant for i in framework.walk()}
    assert weight["15"] == 20
    assert (weight["15.1"], weight["15.2"], weight["15.3"]) == (12, 4, 4)
    assert (weight["15.1.1"], weight["15.1.2"], weight["15.1.3"]) == (8, 2, 2)
    assert (weight["15.1.1.1"], weight["15.1.1.2"]) == (4, 4)
    assert (weight["15.1.2.1"], weight["15.1.2.2"], weight["15.1.3.1"], weight["15.1.3.2"]) == (1, 1, 1, 1)
    assert (weight["15.3.1"], weight["15.3.2"], weight["15.3.3"]) == (1, 1, 2)
    # every group's children add up to the group
    for fw in framework.walk():
        if fw.children:
            assert sum(c.weight.constant for c in fw.children) == fw.weight.constant


def test_15_3_3_gapped_levels():
    framework, _ = load_framework("fy2553-indicator-15")
    assert framework.find("15.3.3").thresholds == (0, None, 1, None, 2)
    assert framework.find("15.3.1").thresholds == (3, 6, 9, 12, 15)
    assert framework.find("15.3.2").thresholds == (3, 4, 5, 6, 7)
    assert framework.find("15.1.1.1").thresholds == tuple(UP5)
    assert framework.find("15.1.3.2").thresholds == tuple(UP5)


def test_seed004_pmqa_rules_are_data():
    rules = load_framework("fy2553-indicator-15")[0].pmqa
    assert rules["agency_types"]["policy"]["mandatory_fy2553"] == [1, 4]
    assert rules["agency_types"]["service"]["mandatory_fy2553"] == [1, 6]
    assert (rules["agency_types"]["policy"]["mandatory_fy2552"], rules["agency_types"]["service"]["mandatory_fy2552"]) == (2, 3)
    rm_categories = {rm: info["category"] for rm, info in rules["rm"].items()}
    assert rm_categories == {"RM1": 1, "RM2": 2, "RM3": 3, "RM4.1": 4, "RM4.2": 4, "RM4.3": 4, "RM5": 5, "RM6": 6}


def test_composed_framework_puts_15_in_place_of_6():
    framework = composed()
    assert framework.find("6") is None
    assert framework.find("15").dimension == 4 and framework.find("15").weight.constant == 20
    assert [i.id for i in framework.indicators] == ["1", "2", "3", "4", "5", "15"]
    assert framework.fixed_total == 57 and framework.pmqa is not None


def test_weight_formulas_parse():
    assert parse_weight("A + 30").constant == 30 and parse_weight("A + 30").variables == (("A", 1.0),)
    assert parse_weight(20).is_fixed and parse_weight("C+7").constant == 7
    assert parse_weight("A 30") is None and parse_weight("") is None and parse_weight(True) is None


# --- choosing the framework ---------------------------------------------------------------

def test_fy2552_with_indicator_15_gets_the_composed_framework():
    framework, findings = load_framework_for(agreement_of(sample()))
    assert findings == [] and framework.name == "fy2552-pilot-with-pmqa-2553"


def test_fy2552_with_indicator_6_gets_the_plain_framework():
    data = sample()
    data["indicators"][5] = leaf("6", 20, dimension=4)
    framework, findings = load_framework_for(agreement_of(data))
    assert findings == [] and framework.name == "fy2552-pilot-ministry"
    assert check_agreement(agreement_of(data), framework) == []


def test_framework_named_in_the_agreement_or_override_wins():
    agreement = agreement_of(sample(framework="fy2552-pilot-ministry"))
    assert load_framework_for(agreement)[0].name == "fy2552-pilot-ministry"
    assert load_framework_for(agreement, "fy2553-indicator-15")[0].name == "fy2553-indicator-15"


def test_unknown_framework_and_unknown_year_are_findings():
    framework, findings = load_framework_for(agreement_of(sample(framework="no-such-framework")))
    assert framework is None and codes(findings) == {"FW-UNKNOWN"}
    framework, findings = load_framework_for(agreement_of(sample(fiscal_year=2560)))
    assert framework is None and codes(findings) == {"FW-NO-FRAMEWORK"}


def test_a_frameworks_folder_adds_and_overrides_by_name(tmp_path, monkeypatch):
    shipped = set(available_frameworks())
    assert {"fy2552-pilot-ministry", "fy2553-indicator-15", "fy2552-pilot-with-pmqa-2553"} <= shipped
    (tmp_path / "mine.yaml").write_text("name: mine\nfiscal_years: [2552]\ntotal: 100\n", encoding="utf-8")
    (tmp_path / "fy2553-indicator-15.yaml").write_text(
        "name: fy2553-indicator-15\nfiscal_years: [2599]\ncomponent: true\n", encoding="utf-8")
    monkeypatch.setenv("XLKPI_FRAMEWORKS", str(tmp_path))
    assert set(available_frameworks()) == shipped | {"mine"}
    assert load_framework("mine")[0].fiscal_years == (2552,)
    assert load_framework("fy2553-indicator-15")[0].fiscal_years == (2599,)  # the folder's wins
    # a framework the shipped one extends is still found, next to it
    assert load_framework("fy2552-pilot-with-pmqa-2553")[0] is not None


def test_the_old_variable_name_still_adds_a_folder(tmp_path, monkeypatch):
    (tmp_path / "mine.yaml").write_text("name: mine\nfiscal_years: [2552]\ntotal: 100\n", encoding="utf-8")
    monkeypatch.setenv("XLKPI_TEMPLATES", str(tmp_path))
    assert "mine" in available_frameworks()


def test_a_framework_that_is_nowhere_is_a_finding_that_names_the_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("XLKPI_FRAMEWORKS", str(tmp_path))
    framework, findings = load_framework_for(agreement_of(sample(framework="no-such-framework")))
    assert framework is None and codes(findings) == {"FW-UNKNOWN"}
    assert str(tmp_path) in findings[0].message_en


def test_a_broken_framework_file_is_a_finding(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("dimensions: [{number: 1, weight: 'A plus 30'}]\n", encoding="utf-8")
    framework, findings = load_framework(str(path))
    assert framework is None and codes(findings) == {"FW-FILE"}


# --- the rules: a fitting agreement has none; each broken one gets its code -----------------

def test_sample_agreement_fits_the_composed_framework():
    assert check(sample()) == []


def test_every_rule_is_in_the_registry():
    assert len(RULES) == len(set(RULES)) >= 14


def test_total_must_be_100():
    data = sample()
    top(data, "4")["weight"] = 19  # 42 + 19 + 20 + 20 = 101
    findings = check(data)
    assert "FW-TOTAL" in codes(findings)
    assert any("101" in f.message_en for f in findings if f.code == "FW-TOTAL")


def test_dimension_4_must_be_exactly_20():
    data = sample()
    top(data, "4")["weight"] = 17  # dim2 = 17; an extra dim-4 KPI of 1 makes dim4 = 21, total still 100
    data["indicators"].append(leaf("16", 1, dimension=4))
    findings = check(data)
    assert codes(findings) == {"FW-DIM-SPLIT"}
    assert any("21" in f.message_en and "dimension 4" in f.message_en for f in findings)


def test_every_dimension_must_be_weighted():
    data = sample()
    top(data, "4")["weight"] = 0  # B = 0; A = 12 + 18 = 30 keeps the total 100
    top(data, "3")["weight"] = 30
    findings = check(data)
    assert codes(findings) == {"FW-DIM-SPLIT"}
    assert any("dimension 2" in f.message_en for f in findings)


def test_dim12_must_exceed_dim34():
    data = sample()
    # A = 0, B = 3, C = 40: dim1 + dim2 = 30 + 3 = 33 < dim3 + dim4 = 47 + 20 = 67
    data["indicators"].remove(top(data, "3"))
    top(data, "4")["weight"] = 3
    five = top(data, "5")
    five["weight"] = 47
    child(five, "5.4")["weight"] = 40
    assert codes(check(data)) == {"FW-DIM12-GT-DIM34"}


def test_dim12_equal_to_dim34_is_not_enough():
    data = sample()
    # A = 0, B = 20, C = 23: 30 + 20 = 50 is not greater than 30 + 20 = 50
    data["indicators"].remove(top(data, "3"))
    top(data, "4")["weight"] = 20
    five = top(data, "5")
    five["weight"] = 30
    child(five, "5.4")["weight"] = 23
    assert codes(check(data)) == {"FW-DIM12-GT-DIM34"}


def test_split_reasons_must_be_stated():
    findings = check(sample(split_reasons=""))
    assert codes(findings) == {"FW-REASONS"} and findings[0].cell == "split_reasons"


def test_children_must_add_up_to_the_parent():
    data = sample()
    data["indicators"][0]["weight"] = 21  # 15 + 3 + 2 = 20, not 21
    top(data, "3")["weight"] = 11
    findings = check(data)
    assert "FW-SUBWEIGHTS" in codes(findings)
    assert [f.cell for f in findings if f.code == "FW-SUBWEIGHTS"] == ["indicators[0].children"]


def test_parts_must_sum_to_1():
    data = sample()
    child(data["indicators"][0], "1.1")["parts"][1]["weight"] = 0.3  # 0.6 + 0.3 = 0.9
    findings = check(data)
    assert codes(findings) == {"FW-PARTS-SUM"}
    assert findings[0].cell == "indicators[0].children[0].parts"


def test_parts_summing_to_1_in_floating_point_pass():
    data = sample()
    child(data["indicators"][0], "1.1").update(weighted("1.1", 15, 0.1, 0.2, 0.7))  # 0.1+0.2+0.7 ≠ 1.0 exactly
    assert check(data) == []


def test_fixed_weight_must_match_the_framework():
    data = sample()
    five = top(data, "5")
    child(five, "5.1")["weight"] = 5  # the framework says 4; 5.4 gives up 1 so all totals still fit
    child(five, "5.4")["weight"] = 12
    findings = check(data)
    assert codes(findings) == {"FW-FIXED-WEIGHT"}
    assert findings[0].cell == "indicators[4].children[0].weight"


def test_absent_1_2_moves_its_3_to_1_1():
    data = sample()
    one = data["indicators"][0]
    one["children"] = [c for c in one["children"] if c["id"] != "1.2"]
    child(one, "1.1")["weight"] = 18  # 15 + 3
    assert check(data) == []
    child(one, "1.1")["weight"] = 15
    top(data, "3")["weight"] = 15  # keep the totals at 100 so only the moved weight is wrong
    findings = check(data)
    assert "FW-MOVED-WEIGHT" in codes(findings)
    assert [f.cell for f in findings if f.code == "FW-MOVED-WEIGHT"] == ["indicators[0].children[0].weight"]


def test_not_applicable_1_2_weighs_0_and_goes_to_1_1():
    data = sample()
    one = data["indicators"][0]
    one["children"][1] = {"id": "1.2", "weight": 0, "applicable": False, "moved_to": "1.1"}
    child(one, "1.1")["weight"] = 18
    assert check(data) == []
    one["children"][1]["moved_to"] = "1.3"
    findings = check(data)
    assert codes(findings) == {"FW-MOVED-WEIGHT"} and findings[0].cell == "indicators[0].children[1].moved_to"
    one["children"][1].update(weight=3, moved_to="1.1")
    assert "FW-MOVED-WEIGHT" in codes(check(data))


def test_mandatory_indicator_must_be_there():
    data = sample()
    five = top(data, "5")
    five["children"] = [c for c in five["children"] if c["id"] != "5.2"]
    child(five, "5.4")["weight"] = 16  # 13 + 3
    findings = check(data)
    assert codes(findings) == {"FW-MANDATORY-IND"} and findings[0].indicator == "5.2"


def test_mandatory_indicator_cannot_be_marked_not_applicable():
    data = sample()
    one = data["indicators"][0]
    one["children"][2] = {"id": "1.3", "weight": 0, "applicable": False, "moved_to": "1.1"}
    child(one, "1.1")["weight"] = 17
    assert "FW-MANDATORY-IND" in codes(check(data))


def test_under_minister_does_not_take_1_and_2():
    findings = check(sample(department_type="under_minister"))
    assert {f.indicator for f in findings if f.code == "FW-NOT-TAKEN"} == {"1", "2"}


def test_under_minister_redistributes_30_within_dims_1_to_3():
    data = sample(department_type="under_minister")
    data["indicators"] = data["indicators"][2:]
    top(data, "3")["weight"] = 30  # 12 + 20 of ind. 1 - 2 = 30 left in dim 1
    top(data, "4")["weight"] = 30  # and the other 10 into dim 2, as the ministry sees fit
    # dim1 + dim2 = 60 > dim3 + dim4 = 40, total 30 + 30 + 20 + 20 = 100
    assert check(data) == []


def test_no_mission_group_does_not_take_2():
    findings = check(sample(department_type="no_mission_group"))
    assert {f.indicator for f in findings if f.code == "FW-NOT-TAKEN"} == {"2"}
    data = sample(department_type="no_mission_group")
    data["indicators"].remove(top(data, "2"))
    top(data, "5")["weight"] = 30
    child(top(data, "5"), "5.4")["weight"] = 23
    # the 10 of ind. 2 put in dim 3: dim1 + dim2 = 32 + 18 = 50 is not > dim3 + dim4 = 30 + 20 = 50
    assert codes(check(data)) == {"FW-DIM12-GT-DIM34"}
    child(top(data, "5"), "5.4")["weight"] = 13
    top(data, "5")["weight"] = 20
    top(data, "1")["weight"] = 30  # or into indicator 1 itself: 1.1 = 25
    child(top(data, "1"), "1.1")["weight"] = 25
    assert check(data) == []


def test_governance_roadmap_5_3_only_for_pilots():
    data = sample()
    five = top(data, "5")
    five["children"].insert(2, leaf("5.3", 4))
    child(five, "5.4")["weight"] = 9  # C = 13: 4 of it to 5.3
    findings = check(data)
    assert codes(findings) == {"FW-NOT-TAKEN"} and findings[0].indicator == "5.3"
    assert check(dict(data, governance_pilot=True)) == []
    assert codes(check(sample(governance_pilot=True))) == {"FW-MANDATORY-IND"}


def test_framework_indicator_must_stay_in_its_dimension():
    data = sample()
    child(top(data, "5"), "5.1")["dimension"] = 2  # 5.1 belongs to dimension 3
    findings = check(data)
    assert "FW-DIMENSION" in codes(findings)
    assert [f.cell for f in findings if f.code == "FW-DIMENSION"] == ["indicators[4].children[0].dimension"]


def test_thresholds_fixed_by_the_framework():
    data = sample()
    fifteen = top(data, "15")
    child(child(fifteen, "15.3"), "15.3.3")["thresholds"] = [0, 0.5, 1, 1.5, 2]
    findings = check(data)
    assert codes(findings) == {"FW-THRESHOLDS"} and findings[0].indicator == "15.3.3"


# --- PMQA -----------------------------------------------------------------------------------

def pmqa_sample(**pmqa):
    data = sample()
    data["pmqa"] = dict(data["pmqa"], **pmqa)
    return data


def test_policy_agency_mandatory_category_is_1_or_4():
    findings = check(pmqa_sample(mandatory_category=6))
    assert "FW-PMQA-CATEGORY" in codes(findings)
    assert "pmqa.mandatory_category" in {f.cell for f in findings}


def test_service_agency_may_take_6():
    data = pmqa_sample(agency_type="service", categories_fy2552=[3, 5], mandatory_category=6, voluntary_category=1,
                       categories_passed_fy2552=[3], rm=["RM2", "RM3", "RM4.1", "RM4.2", "RM4.3", "RM5"])  # not done in 2553: 2, 3, 4, 5
    fifteen = top(data, "15")
    one = child(fifteen, "15.1")
    for group, mandatory_id, voluntary_id in (("15.1.1", "15.1.1.1", "15.1.1.2"), ("15.1.2", "15.1.2.1", "15.1.2.2")):
        child(child(one, group), mandatory_id)["category"] = 6
        child(child(one, group), voluntary_id)["category"] = 1
    three = child(one, "15.1.3")
    child(three, "15.1.3.1")["category"] = 3
    assert check(data) == []


def test_voluntary_category_must_not_have_been_done_in_fy2552():
    findings = check(pmqa_sample(voluntary_category=5))  # 5 was done in FY2552
    assert "pmqa.voluntary_category" in {f.cell for f in findings if f.code == "FW-PMQA-CATEGORY"}


def test_sub_indicator_category_must_match_the_choice():
    data = sample()
    fifteen = top(data, "15")
    child(child(child(fifteen, "15.1"), "15.1.1"), "15.1.1.2")["category"] = 4  # voluntary is 3
    findings = check(data)
    assert codes(findings) == {"FW-PMQA-CATEGORY"}
    assert findings[0].cell == "indicators[5].children[0].children[0].children[1].category"


def test_15_1_3_categories_are_the_fy2552_ones():
    data = sample()
    three = child(child(top(data, "15"), "15.1"), "15.1.3")
    child(three, "15.1.3.2")["category"] = 6
    assert codes(check(data)) == {"FW-PMQA-CATEGORY"}
    child(three, "15.1.3.2")["category"] = 2  # same as 15.1.3.1
    assert codes(check(data)) == {"FW-PMQA-CATEGORY"}


def test_plan_kpis_recommended_only_weigh_half_each():
    data = sample()
    child(child(child(top(data, "15"), "15.1"), "15.1.2"), "15.1.2.1").update(
        weighted("15.1.2.1", 1, 0.4, 0.6, category=1))
    findings = check(data)
    assert codes(findings) == {"FW-PMQA-KPI"}
    assert {f.cell for f in findings} == {"indicators[5].children[0].children[1].children[0].parts[0].weight",
                                          "indicators[5].children[0].children[1].children[0].parts[1].weight"}


def test_plan_kpis_with_custom_two_recommended_at_0_4_and_custom_at_most_0_2():
    data = sample()
    plan = child(child(child(top(data, "15"), "15.1"), "15.1.2"), "15.1.2.2")
    plan.update(weighted("15.1.2.2", 1, 0.4, 0.4, 0.1, 0.1, category=3))
    data["pmqa"]["plan_kpis"]["15.1.2.2"] = ["recommended", "recommended",
                                             {"type": "custom", "measures": "outcome"},
                                             {"type": "custom", "measures": "outcome"}]
    assert check(data) == []
    plan.update(weighted("15.1.2.2", 1, 0.35, 0.4, 0.25, category=3))  # custom 0.25 > 0.2, rec 0.35 ≠ 0.4
    data["pmqa"]["plan_kpis"]["15.1.2.2"] = ["recommended", "recommended", {"type": "custom", "measures": "outcome"}]
    findings = [f for f in check(data) if f.code == "FW-PMQA-KPI"]
    assert len(findings) == 2


def test_plan_kpis_at_most_4():
    data = sample()
    child(child(child(top(data, "15"), "15.1"), "15.1.2"), "15.1.2.2").update(
        weighted("15.1.2.2", 1, 0.4, 0.4, 0.1, 0.05, 0.05, category=3))
    data["pmqa"]["plan_kpis"]["15.1.2.2"] = ["recommended", "recommended"] + [
        {"type": "custom", "measures": "outcome"}] * 3
    assert "FW-PMQA-KPI" in codes(check(data))


def test_custom_plan_kpi_must_measure_an_outcome():
    data = sample()
    data["pmqa"]["plan_kpis"]["15.1.2.2"][2] = {"type": "custom", "measures": "activity"}
    assert codes(check(data)) == {"FW-PMQA-KPI"}
    data["pmqa"]["plan_kpis"]["15.1.2.2"][2] = "custom"  # undeclared: a warning to confirm, not an error
    findings = check(data)
    assert codes(findings) == set() and codes(findings, errors_only=False) == {"FW-PMQA-KPI"}


def test_rm_kpis_cover_the_categories_not_done_in_fy2553():
    # mandatory 1 + voluntary 3 done in FY2553 → 2, 4, 5, 6 → RM2, RM4.1–4.3, RM5, RM6
    findings = check(pmqa_sample(rm=["RM1", "RM4.1", "RM4.2", "RM4.3", "RM5", "RM6"]))
    assert codes(findings) == {"FW-PMQA-KPI"}
    assert "RM2" in findings[0].message_en and "RM1" in findings[0].message_en
    data = sample()
    top(data, "15")["children"][1] = weighted("15.2", 4, 0.2, 0.2, 0.2, 0.2, 0.2)  # 5 parts: RM4.3 left out
    data["pmqa"]["rm"] = ["RM2", "RM4.1", "RM4.2", "RM5", "RM6"]
    findings = check(data)
    assert codes(findings) == {"FW-PMQA-KPI"} and "RM4.3" in findings[0].message_en


def test_indicator_15_component_alone_checks_only_indicator_15():
    framework, _ = load_framework("fy2553-indicator-15")
    assert check(sample(split_reasons=""), framework) == []  # no dimension rules in a component
    assert codes(check(pmqa_sample(mandatory_category=6), framework)) == {"FW-PMQA-CATEGORY"}


# --- the command line ---------------------------------------------------------------------------

def cli_app():
    from xlkpi.commands.core import register

    app = typer.Typer()
    register(app)
    return app


def write(tmp_path, data, name="agreement.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_cli_framework_check_exit_0_when_it_fits(tmp_path):
    result = CliRunner().invoke(cli_app(), ["framework", "check", str(write(tmp_path, sample()))])
    assert result.exit_code == 0, result.output
    assert "fy2552-pilot-with-pmqa-2553" in result.output


def test_cli_framework_check_exit_1_with_findings(tmp_path):
    path = write(tmp_path, sample(split_reasons=""))
    result = CliRunner().invoke(cli_app(), ["framework", "check", str(path), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["framework"] == "fy2552-pilot-with-pmqa-2553"
    assert [f["code"] for f in report["findings"]] == ["FW-REASONS"]
    assert report["findings"][0]["file"] == str(path)


def test_cli_framework_check_with_unknown_framework_exits_1(tmp_path):
    path = write(tmp_path, sample())
    result = CliRunner().invoke(cli_app(), ["framework", "check", str(path), "-f", "nope"])
    assert result.exit_code == 1


def test_cli_framework_list(tmp_path):
    result = CliRunner().invoke(cli_app(), ["framework", "list"])
    assert result.exit_code == 0
    assert {line.split("\t")[0] for line in result.output.splitlines()} >= {
        "fy2552-pilot-ministry", "fy2553-indicator-15", "fy2552-pilot-with-pmqa-2553"}


def test_undeclared_plan_kpis_are_read_from_the_weights():
    # 0.4 + 0.4 are the two heaviest → recommended; 0.1 + 0.1 → custom (≤ 0.2): valid, but the
    # custom ones get a warning asking to confirm they are quantitative outcomes
    data = sample()
    child(child(child(top(data, "15"), "15.1"), "15.1.2"), "15.1.2.2").update(
        weighted("15.1.2.2", 1, 0.4, 0.1, 0.4, 0.1, category=3))
    del data["pmqa"]["plan_kpis"]
    findings = check(data)
    assert codes(findings) == set()
    assert [f.cell for f in findings] == ["pmqa.plan_kpis.15.1.2.2[1]", "pmqa.plan_kpis.15.1.2.2[3]"]
    # 0.6 + 0.4 cannot be 2 recommended at 0.5 each
    child(child(child(top(data, "15"), "15.1"), "15.1.2"), "15.1.2.1").update(
        weighted("15.1.2.1", 1, 0.6, 0.4, category=1))
    assert "FW-PMQA-KPI" in codes(check(data))


def test_undeclared_rm_codes_are_read_from_part_names():
    data = sample()
    del data["pmqa"]["rm"]
    rm = top(data, "15")["children"][1]
    for part, code in zip(rm["parts"], ["RM 2", "RM 4.1", "RM 4.2", "RM 4.3", "RM 5", "RM 6"]):
        part["name"] = f"{code} : ตัวชี้วัด"
    assert check(data) == []
    rm["parts"][0]["name"] = "RM 1 : ตัวชี้วัด"  # category 1 was done in FY2553
    assert codes(check(data)) == {"FW-PMQA-KPI"}
    rm["parts"][0]["name"] = "ตัวชี้วัดที่ไม่มีรหัส"
    assert codes(check(data)) == {"FW-PMQA-KPI"}


# --- DOMAIN §6.5 granted, §6.5a reporting schedule (issue 13) -------------------------------

def test_6_5_granted_only_where_the_framework_allows_it():
    data = sample()
    leaf_5_1 = child(top(data, "5"), "5.1")
    leaf_5_1.update(granted=True, granted_reason="ดีอยู่แล้ว")
    findings = [f for f in check(data) if f.code == "FW-GRANTED"]
    assert [(f.indicator, f.cell) for f in findings] == [("5.1", "indicators[4].children[0].granted")]
    assert "framework does not allow" in findings[0].message_en


def test_6_5_granted_15_1_3_only_for_a_category_passed_in_fy2552():
    # 15.1.3.1 is category 2, passed in FY2552: fine.  Mark 15.1.3.2 (category 5, not passed) too.
    data = sample()
    three = child(child(top(data, "15"), "15.1"), "15.1.3")
    child(three, "15.1.3.2").update(granted=True, granted_reason="อ้างว่าผ่านแล้ว")
    findings = [f for f in check(data) if f.code == "FW-GRANTED"]
    assert [f.indicator for f in findings] == ["15.1.3.2"]
    assert "categories_passed_fy2552" in findings[0].message_en
    # and nothing passed at all: the granted 15.1.3.1 is an error too
    data = sample()
    data["pmqa"] = dict(data["pmqa"], categories_passed_fy2552=[])
    assert [f.indicator for f in check(data) if f.code == "FW-GRANTED"] == ["15.1.3.1"]


def test_6_5a_framework_sets_pmqa_to_report_at_12_months_only():
    framework = composed()
    assert framework.find("15").report_rounds == (12,)
    data = sample()
    del top(data, "15")["report_rounds"]  # 15 left at the default 6/9/12
    findings = [f for f in check(data) if f.code == "FW-REPORT-ROUNDS"]
    assert findings and findings[0].indicator == "15" and findings[0].cell == "indicators[5].report_rounds"
    # a part under 15 with a schedule of its own is caught too
    data = sample()
    plan = child(child(child(top(data, "15"), "15.1"), "15.1.2"), "15.1.2.1")
    plan["parts"][0]["report_rounds"] = [6, 12]
    assert [f.indicator for f in check(data) if f.code == "FW-REPORT-ROUNDS"] == ["15.1.2.1"]
