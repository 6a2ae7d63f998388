"""`xlkpi score`: one JSON object with --json, exit codes 0 / 1 / 2."""
from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from examples import SECTION_10


# DOMAIN §10's example, with texts in place of its `...` milestone placeholders.


def make_app() -> typer.Typer:
    """The real command line; if another area's module is missing, core alone."""
    try:
        from xlkpi.cli import app
    except ImportError:  # an area module still being written elsewhere
        from xlkpi.commands import core

        app = typer.Typer()
        core.register(app)
    return app


@pytest.fixture(scope="module")
def app():
    return make_app()


@pytest.fixture
def section_10(tmp_path):
    path = tmp_path / "agreement.yaml"
    path.write_text(SECTION_10, encoding="utf-8")
    return path


def run(app, *args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_score_json_is_one_object_scored_by_hand(app, section_10):
    result = run(app, "score", section_10, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # the whole of stdout is one JSON object
    assert set(data) == {"department", "round", "total", "dimensions", "indicators",
                         "covered_weight", "full_weight", "not_due", "missing"}
    assert (data["covered_weight"], data["full_weight"], data["not_due"], data["missing"]) == (25, 25, [], [])
    assert data["department"] == "กรมควบคุมโรค"
    assert data["round"] == 12
    # Round 12 by hand (DOMAIN §6):
    # 1.1 part A 93.5 on 80..100 → 3 + 3.5/5 = 3.7; part B 5 on 10..2 down → 3.5
    #     composite 0.6 × 3.7 + 0.4 × 3.5 = 2.22 + 1.4 = 3.62; weighted 18 × 3.62 / 100 = 0.6516
    # 1.2 not applicable → null
    # 1.3 milestones 1–3 met → 3; weighted 2 × 3 / 100 = 0.06
    # 1   (18 × 3.62 + 2 × 3) / 20 = 71.16 / 20 = 3.558; weighted 0.6516 + 0.06 = 0.7116
    # 5.1 86 on 72/76/80/84/88 → 4 + 2/4 = 4.5; weighted 4 × 4.5 / 100 = 0.18
    # 15.1.3 granted → 5; weighted 1 × 5 / 100 = 0.05
    assert data["indicators"] == [
        {"id": "1", "score": 3.558, "weighted": 0.7116},
        {"id": "1.1", "score": 3.62, "weighted": 0.6516},
        {"id": "1.2", "score": None, "weighted": None},
        {"id": "1.3", "score": 3.0, "weighted": 0.06},
        {"id": "5.1", "score": 4.5, "weighted": 0.18},
        {"id": "15.1.3", "score": 5.0, "weighted": 0.05},
    ]
    assert data["dimensions"] == {"1": 0.7116, "2": 0.0, "3": 0.18, "4": 0.05}
    assert data["total"] == 0.9416  # 0.6516 + 0.06 + 0.18 + 0.05


def test_score_json_round_6(app, section_10):
    result = run(app, "score", section_10, "--round", 6, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["round"] == 6
    scores = {i["id"]: (i["score"], i["weighted"]) for i in data["indicators"]}
    # DOMAIN §6.5a: every indicator of §10 reports in every round (no report_rounds), so a
    # 6-month result that is missing scores the floor, 1.
    # 1.1: part A 70 < 80 → 1, part B missing → 1; composite 1; weighted 18 × 1 / 100 = 0.18
    # 1.3 and 5.1 missing → 1; weighted 2 × 1 / 100 = 0.02 and 4 × 1 / 100 = 0.04
    # 1 = (18 × 1 + 2 × 1) / 20 = 1, weighted 0.18 + 0.02 = 0.2; 15.1.3 granted → 5 in every round
    assert scores == {"1": (1.0, 0.2), "1.1": (1.0, 0.18), "1.2": (None, None),
                      "1.3": (1.0, 0.02), "5.1": (1.0, 0.04), "15.1.3": (5.0, 0.05)}
    assert data["total"] == 0.29  # 0.18 + 0.02 + 0.04 + 0.05
    assert data["missing"] == ["1.1", "1.3", "5.1"] and data["not_due"] == []


def test_score_table_for_people(app, section_10):
    result = run(app, "score", section_10, "-r", 12)
    assert result.exit_code == 0, result.output
    assert "กรมควบคุมโรค" in result.stdout
    assert "3.5580" in result.stdout  # indicator 1's score, 4 decimals (DOMAIN §6)


def test_score_table_shows_the_total_to_4_decimals(app, section_10):
    result = run(app, "score", section_10)
    assert result.exit_code == 0
    assert "0.9416" in result.stdout


def test_score_warnings_keep_stdout_one_json_object(app, tmp_path):
    path = tmp_path / "warn.yaml"
    path.write_text(SECTION_10 + "colour: แดง\n", encoding="utf-8")
    result = run(app, "score", path, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["total"] == 0.9416
    assert "AGR-UNKNOWN-FIELD" in result.stderr


@pytest.mark.parametrize("name, text, code", [
    ("bad.yaml", SECTION_10.replace("[72, 76, 80, 84, 88]", "[72, 76, 70, 84, 88]"), "AGR-THRESHOLD-ORDER"),
    ("bad.yaml", "fiscal_year: 2552\nindicators: [\n", "AGR-SYNTAX"),
    ("bad.json", '{"fiscal_year": 2552', "AGR-SYNTAX"),
    ("bad.yaml", SECTION_10.replace("result: {12: 86}", "result: {7: 86}"), "AGR-ROUND"),
])
def test_score_agreement_with_errors_exits_1_with_findings(app, tmp_path, name, text, code):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = run(app, "score", path, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert code in [f["code"] for f in data["findings"]]
    assert all(f["file"] == str(path) for f in data["findings"])
    # without --json the findings go to stderr, Thai and English
    result = run(app, "score", path)
    assert result.exit_code == 1
    assert code in result.stderr


@pytest.mark.parametrize("args", [
    ["--round", "7"],
    ["--round", "0"],
    ["--round", "สิบสอง"],
    ["--no-such-option"],
])
def test_score_bad_invocation_exits_2(app, section_10, args):
    result = run(app, "score", section_10, "--json", *args)
    assert result.exit_code == 2
    assert result.stdout == ""  # nothing that a caller could take for a result


def test_score_missing_file_exits_2(app, tmp_path):
    result = run(app, "score", tmp_path / "missing.yaml", "--json")
    assert result.exit_code == 2
    assert "missing.yaml" in result.stderr


def test_score_without_a_file_exits_2(app):
    assert run(app, "score").exit_code == 2
