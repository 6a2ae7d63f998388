"""The agreement file (DOMAIN §10): loading, defaults, validation findings, saving."""
from __future__ import annotations

import json
import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlkpi.agreement import dump, dumps, load, parse, read_text, write_atomic
from xlkpi.model import Agreement, Contact, Indicator, Part

from examples import SECTION_10

# DOMAIN §10's example, with texts in place of its `...` milestone placeholders.

THAI = range(0x0E00, 0x0E80)


def has_thai(text: str) -> bool:
    return any(ord(c) in THAI for c in text)


def minimal(**changes) -> dict:
    data = {"fiscal_year": 2552, "ministry": "กระทรวง", "department": "กรม",
            "indicators": [{"id": "1", "dimension": 1, "weight": 100, "thresholds": [60, 70, 80, 90, 100]}]}
    data.update(changes)
    return data


def indicator(**fields) -> dict:
    data = {"id": "1", "dimension": 1, "weight": 100, "thresholds": [60, 70, 80, 90, 100]}
    data.update(fields)
    return data


# --- the §10 example ----------------------------------------------------------------

def test_10_example_loads_without_findings(tmp_path):
    path = tmp_path / "agreement.yaml"
    path.write_text(SECTION_10, encoding="utf-8")
    agreement, findings = load(path)
    assert findings == []
    assert agreement.fiscal_year == 2552
    assert agreement.department == "กรมควบคุมโรค"
    assert agreement.department_type == "in_mission_group"
    assert agreement.below_level_1 == 1
    assert [i.id for i in agreement.walk()] == ["1", "1.1", "1.2", "1.3", "5.1", "15.1.3"]
    one = agreement.find("1")
    assert one.kind == "group" and one.weight == 20
    part_a, part_b = agreement.find("1.1").parts
    assert (part_a.weight, part_a.unit, part_a.thresholds) == (0.6, "%", [80, 85, 90, 95, 100])
    assert part_a.result == {6: 70, 9: 88, 12: 93.5}
    assert (part_b.direction, part_b.result) == ("down", {12: 5})
    na = agreement.find("1.2")
    assert (na.applicable, na.moved_to, na.weight) == (False, "1.1", 0)
    milestone = agreement.find("1.3")
    assert milestone.kind == "milestone"
    assert milestone.milestones[2] == "เปิดศูนย์บริการร่วม"
    assert milestone.result == {12: [True, True, True, False, False]}
    granted = agreement.find("15.1.3")
    assert granted.granted and granted.granted_reason == "ผ่านเกณฑ์ในปีงบประมาณ พ.ศ. 2552 แล้ว"


def test_10_children_inherit_dimension():
    agreement, _ = read_text(SECTION_10, "a.yaml")
    assert [agreement.find(i).dimension for i in ("1.1", "1.2", "1.3")] == [1, 1, 1]
    assert agreement.find("5.1").dimension == 3
    # a child may still say its own dimension
    data = minimal(indicators=[{"id": "1", "dimension": 1, "weight": 100, "children": [
        indicator(id="1.1", dimension=2, weight=60), {"id": "1.2", "weight": 40, "thresholds": [1, 2, 3, 4, 5]}]}])
    agreement, findings = parse(data)
    assert findings == []
    assert agreement.find("1.1").dimension == 2
    assert agreement.find("1.2").dimension == 1


def test_10_defaults_kind_threshold_and_direction_up():
    agreement, _ = read_text(SECTION_10, "a.yaml")
    five_one = agreement.find("5.1")
    assert five_one.kind == "threshold"
    assert five_one.direction == "up"
    assert five_one.interpolate is True
    assert agreement.find("1.1").parts[0].direction == "up"
    # a weighted indicator's composite criterion defaults to 1/2/3/4/5 (DOMAIN §6.3)
    assert agreement.find("1.1").composite_thresholds == [1, 2, 3, 4, 5]
    # below_level_1 and department_type default when left out
    agreement, findings = parse(minimal())
    assert findings == []
    assert agreement.below_level_1 == 1
    assert agreement.department_type == "in_mission_group"


def test_10_null_thresholds_are_blank_levels():
    agreement, findings = parse(minimal(indicators=[indicator(thresholds=[0, None, 1, None, 2])]))
    assert findings == []
    assert agreement.find("1").thresholds == [0, None, 1, None, 2]
    # "–" as written on paper is a blank level too
    agreement, findings = read_text(
        'fiscal_year: 2553\nministry: ก\ndepartment: ข\nindicators:\n'
        '  - {id: "15.3.3", dimension: 4, weight: 2, thresholds: [0, "–", 1, "–", 2]}\n', "a.yaml")
    assert findings == []
    assert agreement.find("15.3.3").thresholds == [0, None, 1, None, 2]


def test_10_json_loads_like_yaml(tmp_path):
    data = yaml.safe_load(SECTION_10)
    path = tmp_path / "agreement.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    from_json, findings = load(path)
    assert findings == []
    from_yaml, _ = read_text(SECTION_10, "a.yaml")
    # JSON keys are strings ("6"); rounds still come back as numbers
    assert from_json.find("1.1").parts[0].result == {6: 70, 9: 88, 12: 93.5}
    assert from_json == from_yaml


# --- validation: findings with file and field path, never an exception -------------------

BAD = [
    # (what, data, code, field path)
    ("missing fiscal_year", {k: v for k, v in minimal().items() if k != "fiscal_year"},
     "AGR-REQUIRED", "fiscal_year"),
    ("missing ministry", {k: v for k, v in minimal().items() if k != "ministry"}, "AGR-REQUIRED", "ministry"),
    ("missing department", minimal(department=""), "AGR-REQUIRED", "department"),
    ("missing indicators", {k: v for k, v in minimal().items() if k != "indicators"},
     "AGR-REQUIRED", "indicators"),
    ("fiscal year in CE", minimal(fiscal_year=2009), "AGR-YEAR", "fiscal_year"),
    ("fiscal year not a number", minimal(fiscal_year="ปีนี้"), "AGR-NUMBER", "fiscal_year"),
    ("below_level_1 not 0 or 1", minimal(below_level_1=2), "AGR-FIELD", "below_level_1"),
    ("bad department type", minimal(department_type="ministry"), "AGR-FIELD", "department_type"),
    ("indicators not a list", minimal(indicators={"id": "1"}), "AGR-FIELD", "indicators"),
    ("indicator not a mapping", minimal(indicators=["1"]), "AGR-FIELD", "indicators[0]"),
    ("missing id", minimal(indicators=[indicator(id=None)]), "AGR-ID", "indicators[0].id"),
    ("missing dimension", minimal(indicators=[{"id": "1", "weight": 100, "thresholds": [1, 2, 3, 4, 5]}]),
     "AGR-DIMENSION", "indicators[0].dimension"),
    ("dimension 5", minimal(indicators=[indicator(dimension=5)]), "AGR-DIMENSION", "indicators[0].dimension"),
    ("weight not a number", minimal(indicators=[indicator(weight="ยี่สิบ")]), "AGR-NUMBER",
     "indicators[0].weight"),
    ("weight blank", minimal(indicators=[indicator(weight=None)]), "AGR-NUMBER", "indicators[0].weight"),
    ("bad kind", minimal(indicators=[indicator(kind="average")]), "AGR-FIELD", "indicators[0].kind"),
    ("bad direction", minimal(indicators=[indicator(direction="sideways")]), "AGR-FIELD",
     "indicators[0].direction"),
    ("applicable not a boolean", minimal(indicators=[indicator(applicable="maybe")]), "AGR-FIELD",
     "indicators[0].applicable"),
    ("name is a list", minimal(indicators=[indicator(name=["a"])]), "AGR-FIELD", "indicators[0].name"),
    ("four thresholds", minimal(indicators=[indicator(thresholds=[1, 2, 3, 4])]), "AGR-THRESHOLDS",
     "indicators[0].thresholds"),
    ("thresholds missing", minimal(indicators=[{"id": "1", "dimension": 1, "weight": 100}]),
     "AGR-THRESHOLDS", "indicators[0].thresholds"),
    ("threshold not a number", minimal(indicators=[indicator(thresholds=[1, 2, "สาม", 4, 5])]),
     "AGR-NUMBER", "indicators[0].thresholds[2]"),
    ("T1 blank", minimal(indicators=[indicator(thresholds=[None, 2, 3, 4, 5])]), "AGR-THRESHOLD-ENDS",
     "indicators[0].thresholds"),
    ("T5 blank", minimal(indicators=[indicator(thresholds=[1, 2, 3, 4, None])]), "AGR-THRESHOLD-ENDS",
     "indicators[0].thresholds"),
    ("not increasing", minimal(indicators=[indicator(thresholds=[60, 70, 70, 90, 100])]),
     "AGR-THRESHOLD-ORDER", "indicators[0].thresholds"),
    ("decreasing but direction up", minimal(indicators=[indicator(thresholds=[10, 8, 6, 4, 2])]),
     "AGR-THRESHOLD-ORDER", "indicators[0].thresholds"),
    ("increasing but direction down",
     minimal(indicators=[indicator(direction="down", thresholds=[60, 70, 80, 90, 100])]),
     "AGR-THRESHOLD-ORDER", "indicators[0].thresholds"),
    ("not monotonic across a blank", minimal(indicators=[indicator(thresholds=[0, None, 3, None, 2])]),
     "AGR-THRESHOLD-ORDER", "indicators[0].thresholds"),
    ("round 7", minimal(indicators=[indicator(result={7: 80})]), "AGR-ROUND", "indicators[0].result.7"),
    ("round not a number", minimal(indicators=[indicator(result={"สิ้นปี": 80})]), "AGR-ROUND",
     "indicators[0].result.สิ้นปี"),
    ("result not a number", minimal(indicators=[indicator(result={12: "ดีมาก"})]), "AGR-NUMBER",
     "indicators[0].result.12"),
    ("result not by round", minimal(indicators=[indicator(result=85)]), "AGR-RESULT", "indicators[0].result"),
    ("milestones missing", minimal(indicators=[indicator(kind="milestone", thresholds=None)]),
     "AGR-MILESTONES", "indicators[0].milestones"),
    ("milestone result not 5 values",
     minimal(indicators=[indicator(kind="milestone", milestones=list("กขคงจ"), result={12: [True]})]),
     "AGR-RESULT", "indicators[0].result.12"),
    ("weighted without parts", minimal(indicators=[indicator(kind="weighted")]), "AGR-PARTS",
     "indicators[0].parts"),
    ("part weight not a number",
     minimal(indicators=[indicator(kind="weighted", parts=[{"name": "ก", "weight": "x", "thresholds": [1, 2, 3, 4, 5]}])]),
     "AGR-NUMBER", "indicators[0].parts[0].weight"),
    ("group without children", minimal(indicators=[indicator(kind="group")]), "AGR-CHILDREN",
     "indicators[0].children"),
    ("nested child thresholds", minimal(indicators=[{"id": "1", "dimension": 1, "weight": 100, "children": [
        indicator(id="1.1", weight=50),
        {"id": "1.2", "weight": 50, "children": [indicator(id="1.2.1", weight=50, thresholds=[5, 4, 3, 2, 1])]},
    ]}]), "AGR-THRESHOLD-ORDER", "indicators[0].children[1].children[0].thresholds"),
    ("duplicate id", minimal(indicators=[indicator(weight=50), {"id": "2", "dimension": 1, "weight": 50,
                                                               "children": [indicator(id="1", weight=50)]}]),
     "AGR-DUPLICATE-ID", "indicators[1].children[0].id"),
    ("baseline not by year", minimal(indicators=[indicator(baseline=[80, 85])]), "AGR-FIELD",
     "indicators[0].baseline"),
    ("baseline year not a number", minimal(indicators=[indicator(baseline={"ปีที่แล้ว": 80})]),
     "AGR-NUMBER", "indicators[0].baseline.ปีที่แล้ว"),
    ("staff not a number", minimal(staff="หลายคน"), "AGR-NUMBER", "staff"),
    ("not a mapping at all", ["fiscal_year"], "AGR-FORMAT", ""),
]


@pytest.mark.parametrize("what, data, code, path", BAD, ids=[b[0] for b in BAD])
def test_10_invalid_content_is_a_finding_with_its_field_path(what, data, code, path):
    agreement, findings = parse(data, "กรม.yaml")  # must not raise
    matching = [f for f in findings if f.code == code and f.cell == path]
    assert matching, [(f.code, f.cell) for f in findings]
    finding = matching[0]
    assert finding.severity == "error"
    assert finding.file == "กรม.yaml"
    assert has_thai(finding.message_th)
    assert finding.message_en and not has_thai(finding.message_en.split("'")[0])


@pytest.mark.parametrize("what, data, code, path", BAD, ids=[b[0] for b in BAD])
def test_10_invalid_content_never_raises_through_load(tmp_path, what, data, code, path):
    for suffix, text in ((".yaml", yaml.safe_dump(data, allow_unicode=True)),
                         (".json", json.dumps(data, ensure_ascii=False))):
        file = tmp_path / f"agreement{suffix}"
        file.write_text(text, encoding="utf-8")
        _, findings = load(file)
        assert any(f.code == code and f.file == str(file) for f in findings)


@pytest.mark.parametrize("where, data, path", [
    ("top level", minimal(colour="แดง"), "colour"),
    ("indicator", minimal(indicators=[indicator(colour="แดง")]), "indicators[0].colour"),
    ("nested child", minimal(indicators=[{"id": "1", "dimension": 1, "weight": 100, "children": [
        indicator(id="1.1", treshold=[1, 2, 3, 4, 5])]}]), "indicators[0].children[0].treshold"),
    ("part", minimal(indicators=[indicator(kind="weighted", parts=[
        {"name": "ก", "weight": 1, "thresholds": [1, 2, 3, 4, 5], "colour": "แดง"}])]),
     "indicators[0].parts[0].colour"),
])
def test_10_unknown_field_is_a_warning(where, data, path):
    agreement, findings = parse(data, "a.yaml")
    assert agreement is not None
    assert [(f.code, f.severity, f.cell) for f in findings] == [("AGR-UNKNOWN-FIELD", "warning", path)]
    assert has_thai(findings[0].message_th) and "is ignored" in findings[0].message_en


@pytest.mark.parametrize("name, text, line", [
    ("a.yaml", "fiscal_year: 2552\nindicators: [\n", None),
    ("a.yaml", "fiscal_year: 2552\n  ministry: ก\n department: ข\n", 2),
    ("a.yaml", "indicators:\n  - {id: \"1\", weight: 5\n", None),
    ("a.json", '{"fiscal_year": 2552,\n "ministry": }', 2),
    ("a.json", "{", 1),
])
def test_10_syntax_errors_are_findings(tmp_path, name, text, line):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    agreement, findings = load(path)
    assert agreement is None
    assert [f.code for f in findings] == ["AGR-SYNTAX"]
    assert findings[0].file == str(path)
    assert findings[0].cell.startswith("line ")
    if line is not None:
        assert findings[0].cell == f"line {line}"
    assert has_thai(findings[0].message_th) and findings[0].message_en


def test_10_unreadable_files_are_findings(tmp_path):
    missing = tmp_path / "missing.yaml"
    agreement, findings = load(missing)
    assert agreement is None and [f.code for f in findings] == ["AGR-READ"]
    assert findings[0].file == str(missing)
    binary = tmp_path / "tis620.yaml"
    binary.write_bytes("กรม".encode("tis-620"))  # not UTF-8
    agreement, findings = load(binary)
    assert agreement is None and [f.code for f in findings] == ["AGR-READ"]
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    agreement, findings = load(empty)
    assert agreement is None and [f.code for f in findings] == ["AGR-FORMAT"]


def test_10_a_bom_is_fine(tmp_path):
    # Notepad on Windows saves UTF-8 with a byte-order mark
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SECTION_10.encode("utf-8"))
    agreement, findings = load(path)
    assert findings == [] and agreement.fiscal_year == 2552


# --- saving ---------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_10_save_load_round_trip(tmp_path, suffix):
    original, _ = read_text(SECTION_10, "a.yaml")
    path = tmp_path / f"saved{suffix}"
    dump(original, path)
    again, findings = load(path)
    assert findings == []
    assert again == original
    # saving again gives the same bytes: the canonical form is stable for diffs
    second = tmp_path / f"again{suffix}"
    dump(again, second)
    assert second.read_bytes() == path.read_bytes()


def test_10_saved_yaml_keeps_blank_levels_and_thai():
    agreement, _ = parse(minimal(indicators=[indicator(name="ความครบถ้วน", thresholds=[0, None, 1, None, 2])]))
    text = dumps(agreement)
    assert "ความครบถ้วน" in text  # Thai written as Thai, not \u escapes
    assert "[0, null, 1, null, 2]" in text


def test_write_atomic_leaves_no_temp_file(tmp_path):
    target = tmp_path / "out" / "agreement.yaml"
    write_atomic(target, "ก".encode("utf-8"))
    assert target.read_bytes() == "ก".encode("utf-8")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert os.listdir(target.parent) == ["agreement.yaml"]


def test_write_atomic_failure_keeps_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "agreement.yaml"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # the write fails half-way
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["agreement.yaml"]


# --- round trip over generated agreements ----------------------------------------------

texts = st.text(alphabet="กขคงจฉ ัาิ่้ abcXYZ019-=+@:#'\"{}[],.&*!|>%\\", max_size=10)
numbers = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
rounds = st.sampled_from([6, 9, 12])


@st.composite
def threshold_lists(draw, direction="up"):
    start = draw(numbers)
    steps = draw(st.lists(st.floats(0.01, 1000), min_size=4, max_size=4))
    values = [start]
    for step in steps:
        values.append(values[-1] + step)
    if len(set(values)) < 5:  # a step lost to float precision
        values = [start, start + 1, start + 2, start + 3, start + 4]
    blanks = draw(st.lists(st.booleans(), min_size=3, max_size=3))
    out = [values[0]] + [None if b else v for b, v in zip(blanks, values[1:4])] + [values[4]]
    return out if direction == "up" else [None if t is None else -t for t in out]


@st.composite
def parts(draw):
    direction = draw(st.sampled_from(["up", "down"]))
    return Part(name=draw(texts), weight=draw(st.floats(0, 1)), thresholds=draw(threshold_lists(direction)),
                unit=draw(texts), direction=direction, interpolate=draw(st.booleans()),
                result=draw(st.dictionaries(rounds, numbers)))


@st.composite
def indicators(draw, ids, dimension=None, depth=0):
    ids.append(len(ids))
    id_ = "i%d" % len(ids)
    dimension = dimension or draw(st.sampled_from([1, 2, 3, 4]))
    kind = draw(st.sampled_from(["threshold", "milestone", "weighted", "group"] if depth < 2
                                else ["threshold", "milestone", "weighted"]))
    direction = draw(st.sampled_from(["up", "down"]))
    item = Indicator(
        id=id_, name=draw(texts), dimension=dimension, weight=draw(st.floats(0, 100)), kind=kind,
        unit=draw(texts), direction=direction, interpolate=draw(st.booleans()),
        applicable=draw(st.booleans()), moved_to=draw(texts), granted=draw(st.booleans()),
        granted_reason=draw(texts), definition=draw(texts), formula=draw(texts),
        baseline=draw(st.dictionaries(st.integers(2540, 2560), numbers, max_size=3)),
        owner=Contact(draw(texts), draw(texts)), explanation=draw(st.dictionaries(rounds, texts)),
        category=draw(st.none() | st.integers(1, 7)),
    )
    if kind == "threshold":
        item.thresholds = draw(threshold_lists(direction))
        item.result = draw(st.dictionaries(rounds, numbers))
    elif kind == "milestone":
        item.milestones = draw(st.lists(texts, min_size=5, max_size=5))
        item.result = draw(st.dictionaries(rounds, st.lists(st.booleans(), min_size=5, max_size=5)))
    elif kind == "weighted":
        item.parts = draw(st.lists(parts(), min_size=1, max_size=3))
        if draw(st.booleans()):
            item.composite_thresholds = draw(threshold_lists("up"))
    else:
        # children usually share the parent's dimension, sometimes state their own
        child_dimension = st.sampled_from([dimension, dimension, 1, 2, 3, 4])
        item.children = [draw(indicators(ids, draw(child_dimension), depth + 1))
                         for _ in range(draw(st.integers(1, 3)))]
    return item


@st.composite
def agreements(draw):
    ids: list = []
    return Agreement(
        fiscal_year=draw(st.integers(2500, 2700)), ministry=draw(texts.filter(bool)),
        department=draw(texts.filter(bool)),
        department_type=draw(st.sampled_from(["in_mission_group", "no_mission_group", "under_minister"])),
        below_level_1=draw(st.sampled_from([0, 1])),
        indicators=[draw(indicators(ids)) for _ in range(draw(st.integers(1, 4)))],
        framework=draw(texts), split_reasons=draw(texts), governance_pilot=draw(st.booleans()),
        version=draw(texts), staff=draw(st.integers(0, 5000)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agreements(), st.sampled_from(["yaml", "json"]))
def test_10_round_trip_of_generated_agreements(agreement, fmt):
    text = dumps(agreement, fmt)
    again, findings = read_text(text, f"a.{fmt}")
    assert [f for f in findings if f.is_error] == []
    assert again == agreement
