"""`xlkpi demo` checks itself: a deliberate mistake not found, or a finding nobody put in the
sample, makes it exit 1 (the full run, with LibreOffice, is in test_wheel.py and test_sample.py)."""
import io

import pytest
from rich.console import Console

from xlkpi import demo
from xlkpi.findings import error
from xlkpi.sample import SAMPLE_MISTAKES


def run_with(monkeypatch, tmp_path, rows, unexpected):
    def step(context):
        demo.note_detection(context, rows, unexpected)
        return []

    monkeypatch.setattr(demo, "STEPS", [step])
    printed = io.StringIO()
    code = demo.run_demo(tmp_path, console=Console(file=printed, width=120))
    return code, printed.getvalue()


def test_every_mistake_found_and_nothing_else_exits_0(monkeypatch, tmp_path):
    code, text = run_with(monkeypatch, tmp_path, [(m, True) for m in SAMPLE_MISTAKES], [])
    assert code == 0 and "demo failed" not in text


@pytest.mark.parametrize("missing", [0, len(SAMPLE_MISTAKES) - 1])
def test_a_mistake_not_found_exits_1(monkeypatch, tmp_path, missing):
    rows = [(m, n != missing) for n, m in enumerate(SAMPLE_MISTAKES)]
    code, text = run_with(monkeypatch, tmp_path, rows, [])
    assert code == 1 and "1 deliberate mistakes not found" in text


def test_an_unexpected_finding_exits_1(monkeypatch, tmp_path):
    stray = ("x.xlsx", error("TPL-SOMETHING", "ผิด", "wrong"))
    code, text = run_with(monkeypatch, tmp_path, [(m, True) for m in SAMPLE_MISTAKES], [stray])
    assert code == 1 and "1 unexpected findings" in text
