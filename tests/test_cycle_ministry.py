"""ministry.yaml and the committee rules of DOMAIN §1 (seed 000 §4, ชุดที่ 2 and 3)."""
from __future__ import annotations

import copy

import yaml

from xlkpi.cycle.ministry import check_committees, load_settings, parse_settings, save_settings

GOOD = {
    "ministry": "กระทรวงสาธารณสุข",
    "fiscal_year": 2552,
    "password": "secret",
    "committees": {
        "oversight": [
            {"role": "chair", "name": "นายประธาน", "position": "ปลัดกระทรวงสาธารณสุข"},
            {"name": "นายรอง", "position": "รองปลัดกระทรวงหัวหน้ากลุ่มภารกิจด้านพัฒนาการสาธารณสุข"},
            {"name": "ศ.อิสระ", "position": "ผู้ทรงคุณวุฒิ", "independent": True},
            {"name": "ผู้แทน ก.พ.ร.", "position": "ผู้แทนสำนักงาน ก.พ.ร.", "opdc_nominee": True},
            {"role": "secretary", "name": "ผอ.แผน", "position": "ผู้อำนวยการสำนักนโยบายและยุทธศาสตร์"},
        ],
        "negotiation": [
            {"role": "chair", "name": "นายประธาน", "position": "ปลัดกระทรวงสาธารณสุข"},
            {"name": "นายรอง", "position": "รองปลัดกระทรวงหัวหน้ากลุ่มภารกิจ"},
            {"name": "นางผู้ตรวจ", "position": "ผู้ตรวจราชการกระทรวง"},
            {"name": "ศ.อิสระ", "position": "ผู้ทรงคุณวุฒิ", "independent": True},
            {"name": "ดร.กพร", "position": "กรรมการเจรจา ก.พ.ร.", "independent": True, "opdc_nominee": True},
            {"role": "adviser", "name": "ประธาน ค.ต.ป.", "position": "ค.ต.ป."},
        ],
        "working_group": [{"name": f"คณะทำงาน {i}", "ps_office": i < 3} for i in range(6)],
    },
    "officials": {"permanent_secretary": {"name": "นายปลัด", "position": "ปลัดกระทรวงสาธารณสุข"}},
    "incentives": {"pool": 1000000},
}


def codes(settings_data):
    settings, findings = parse_settings(settings_data)
    assert not [f for f in findings if f.is_error], findings
    return sorted(f.code for f in check_committees(settings))


def test_a_committee_as_the_seed_describes_passes():
    # 5 voting members (the ค.ต.ป. adviser is not counted), chaired by the PS,
    # 2 independent, 1 OPDC nominee; working group of 6 with 3 from the PS office.
    assert codes(GOOD) == []


def test_negotiation_committee_of_four_and_of_eight_is_too_small_and_too_large():
    small = copy.deepcopy(GOOD)
    del small["committees"]["negotiation"][2]  # 4 voting members
    assert codes(small) == ["COM-NEG-SIZE"]
    large = copy.deepcopy(GOOD)
    large["committees"]["negotiation"] += [{"name": f"รอง {i}", "position": "รองปลัดกระทรวง"} for i in range(3)]
    assert codes(large) == ["COM-NEG-SIZE"]  # 8 voting members


def test_chair_must_be_the_permanent_secretary_or_a_deputy_cco():
    data = copy.deepcopy(GOOD)
    data["committees"]["negotiation"][0]["position"] = "อธิบดีกรมควบคุมโรค"
    assert codes(data) == ["COM-NEG-CHAIR-POSITION"]
    data["committees"]["negotiation"][0]["position"] = "รองปลัดกระทรวง ผู้อำนวยการบริหารการเปลี่ยนแปลง (CCO)"
    assert codes(data) == []


def test_no_independent_member_and_two_opdc_nominees_are_both_reported():
    data = copy.deepcopy(GOOD)
    for member in data["committees"]["negotiation"]:
        member["independent"] = False
    data["committees"]["negotiation"][1]["opdc_nominee"] = True
    assert codes(data) == ["COM-NEG-INDEPENDENT", "COM-NEG-OPDC"]


def test_working_group_needs_five_and_at_most_five_from_the_ps_office():
    data = copy.deepcopy(GOOD)
    data["committees"]["working_group"] = [{"name": f"ค{i}", "ps_office": True} for i in range(4)]
    assert codes(data) == ["COM-WG-SIZE"]
    data["committees"]["working_group"] = [{"name": f"ค{i}", "ps_office": i < 6} for i in range(8)]
    assert codes(data) == ["COM-WG-PS-OFFICE"]  # 6 of 8 from the PS office


def test_bad_settings_are_findings_with_field_paths_not_exceptions():
    data = copy.deepcopy(GOOD)
    data["fiscal_year"] = 2009
    data["committees"]["negotiation"][3]["independent"] = "maybe"
    data["incentives"]["pool"] = 12.5
    settings, findings = parse_settings(data)
    assert {(f.code, f.cell) for f in findings} == {
        ("MIN-YEAR", "fiscal_year"),
        ("MIN-FIELD", "committees.negotiation[3].independent"),
        ("MIN-POOL", "incentives.pool"),
    }
    assert load_settings("/nonexistent/folder")[1][0].code == "MIN-READ"


def test_settings_round_trip_through_the_folder(tmp_path):
    settings, _ = parse_settings(GOOD)
    save_settings(settings, tmp_path)
    again, findings = load_settings(tmp_path)
    assert findings == [] and again == settings
    assert yaml.safe_load((tmp_path / "ministry.yaml").read_text(encoding="utf-8"))["password"] == "secret"


def test_oversight_committee_composition_domain_1():
    """ชุดที่ 1: chaired by the PS or the deputy PS/CCO; deputy PSs as members; independent
    experts; an OPDC representative."""
    data = copy.deepcopy(GOOD)
    del data["committees"]["oversight"]
    assert codes(data) == ["COM-OVS-MISSING"]
    data = copy.deepcopy(GOOD)
    data["committees"]["oversight"][0]["position"] = "อธิบดีกรมการแพทย์"
    data["committees"]["oversight"][1]["position"] = "ผู้ตรวจราชการกระทรวง"  # no deputy PS left
    data["committees"]["oversight"][2]["independent"] = False
    data["committees"]["oversight"][3]["opdc_nominee"] = False
    assert codes(data) == ["COM-OVS-CHAIR-POSITION", "COM-OVS-DEPUTIES", "COM-OVS-INDEPENDENT", "COM-OVS-OPDC"]
    data = copy.deepcopy(GOOD)
    data["committees"]["oversight"][1]["role"] = "chair"
    assert codes(data) == ["COM-OVS-CHAIR", "COM-OVS-DEPUTIES"]
