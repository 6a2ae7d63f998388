"""Change requests: field-by-field diff, the analysis workbook, decisions, the baseline."""
from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from test_cycle_fixtures import DDC, agreement, ministry_folder
from xlkpi.agreement import dump
from xlkpi.cycle.changes import (
    ADDED, CHANGED, REMOVED, Change, apply_changes, baseline_for, decide, diff_agreements, load_request,
    new_request, save_request, write_change_analysis,
)


def proposed():
    """ddc with: 5.1 thresholds lowered, 3 weight 40→38 and 6 weight 20→22, 1.1's second part
    renamed, 1.3 removed, a new 5.2 added."""
    new = agreement(DDC)
    new.find("5.1").thresholds = [70, 74, 78, 82, 86]
    new.find("3").weight = 38
    new.find("6").weight = 22
    new.find("1.1").parts[1].name = "ระยะเวลาเฉลี่ยในการสอบสวนโรค (วันทำการ)"
    group = new.find("1")
    group.children = [c for c in group.children if c.id != "1.3"]
    new.indicators.insert(3, agreement("""\
fiscal_year: 2552
ministry: x
department: y
indicators:
  - {id: "5.2", name: ความสำเร็จของมาตรการประหยัดพลังงาน, dimension: 3, weight: 0, thresholds: [1, 2, 3, 4, 5]}
""").indicators[0])
    return new


def test_diff_lists_each_changed_field_with_old_and_new():
    changes = diff_agreements(agreement(DDC), proposed())
    got = {(c.indicator, c.field, c.kind): (c.old, c.new) for c in changes}
    assert got[("5.1", "thresholds", CHANGED)] == ([72, 76, 80, 84, 88], [70, 74, 78, 82, 86])
    assert got[("3", "weight", CHANGED)] == (40, 38)
    assert got[("6", "weight", CHANGED)] == (20, 22)
    assert got[("1.1", "parts[1].name", CHANGED)] == ("ระยะเวลาเฉลี่ยในการสอบสวนโรค",
                                                       "ระยะเวลาเฉลี่ยในการสอบสวนโรค (วันทำการ)")
    assert got[("1.3", "", REMOVED)][0]["milestones"][0] == "แต่งตั้งคณะทำงาน"
    assert got[("5.2", "", ADDED)][1]["name"] == "ความสำเร็จของมาตรการประหยัดพลังงาน"
    assert len(changes) == 6
    # Results are reports, not terms: a new result is no change.
    reported = agreement(DDC)
    reported.find("3").result[12] = 99
    assert diff_agreements(agreement(DDC), reported) == []


def test_applying_the_diff_gives_the_new_terms_and_keeps_the_results():
    old, new = agreement(DDC), proposed()
    applied, findings = apply_changes(old, diff_agreements(old, new))
    assert findings == []
    assert diff_agreements(applied, new) == []
    assert applied.find("3").result == {6: 70, 9: 80, 12: 85}
    assert [i.id for i in applied.indicators] == ["1", "3", "5.1", "5.2", "6"]


def test_approved_change_becomes_the_baseline_and_rejected_does_not(tmp_path):
    folder = ministry_folder(tmp_path)
    weight = [Change("3", "weight", CHANGED, 40, 38), Change("6", "weight", CHANGED, 20, 22)]
    thresholds = [Change("5.1", "thresholds", CHANGED, [72, 76, 80, 84, 88], [70, 74, 78, 82, 86])]
    first = new_request(folder, "ddc", weight, "ปรับน้ำหนัก", "2552-01-10")
    second = new_request(folder, "ddc", thresholds, "ปรับเกณฑ์", "2552-01-12")
    assert (first.number, second.number) == (1, 2)
    assert (folder / "changes" / "ddc-2.yaml").exists()
    base, _ = baseline_for(folder, "ddc")
    assert base.find("3").weight == 40  # pending: nothing applies yet
    save_request(decide(first, True, "2552-02-01", "อนุมัติตามเสนอ"))
    save_request(decide(second, False, "2552-02-01", "เกณฑ์เดิมเหมาะสม"))
    again, findings = load_request(folder / "changes" / "ddc-1.yaml")
    assert findings == [] and (again.decision, again.decided_on, again.note) == ("approved", "2552-02-01",
                                                                                  "อนุมัติตามเสนอ")
    base, findings = baseline_for(folder, "ddc")
    assert findings == []
    assert (base.find("3").weight, base.find("6").weight) == (38, 22)
    assert base.find("5.1").thresholds == [72, 76, 80, 84, 88]  # rejected: unchanged


def test_analysis_workbook_has_one_row_per_change(tmp_path):
    from openpyxl import load_workbook

    old = agreement(DDC)
    changes = diff_agreements(old, proposed())
    path = write_change_analysis(changes, tmp_path / "analysis.xlsx", old=old)
    ws = load_workbook(path).active
    header = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "ตัวชี้วัด\nindicator")
    rows = [[ws.cell(row=r, column=c).value for c in range(1, 7)] for r in range(header + 1, ws.max_row + 1)]
    assert len(rows) == 6
    assert ["5.1", "ร้อยละการเบิกจ่ายงบลงทุน", "เกณฑ์การให้คะแนน (thresholds)", "เปลี่ยน (changed)",
            "72, 76, 80, 84, 88", "70, 74, 78, 82, 86"] in rows
    assert int(ws.page_setup.paperSize) == 9  # A4


def cli():
    from xlkpi.commands import cycle

    app = typer.Typer()
    cycle.register(app)
    return app


def test_change_commands_diff_and_decide(tmp_path):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    dump(agreement(DDC), old)
    dump(proposed(), new)
    out = CliRunner().invoke(cli(), ["change", "diff", str(old), str(new), "-o", str(tmp_path / "a.xlsx"), "--json"])
    assert out.exit_code == 0, out.output
    assert len(json.loads(out.stdout)["changes"]) == 6 and (tmp_path / "a.xlsx").exists()

    folder = ministry_folder(tmp_path / "m")
    out = CliRunner().invoke(cli(), ["change", "request", "-m", str(folder), "ddc", str(new), "--reason", "ปรับ"])
    assert out.exit_code == 0, out.output
    out = CliRunner().invoke(cli(), ["change", "decide", str(folder / "changes" / "ddc-1.yaml"), "--approved",
                                     "--date", "2552-02-01", "--note", "ok"])
    assert out.exit_code == 0, out.output
    base, _ = baseline_for(folder, "ddc")
    assert base.find("5.1").thresholds == [70, 74, 78, 82, 86] and base.find("1.3") is None
    missing = CliRunner().invoke(cli(), ["change", "diff", str(old), str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2
