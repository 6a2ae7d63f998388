"""Terminal tables never cut a number: at 80 and 100 columns the names wrap, every score, weight
and indicator id is printed whole, and Thai combining marks count as zero width (every line of a
table is exactly as wide as its border)."""
import io
import re

import pytest
from rich.cells import cell_len
from rich.console import Console

from xlkpi.demo import ROUNDS, DemoContext, print_summary
from xlkpi.engine import score_agreement
from xlkpi.report_text import fmt, print_score_table
from xlkpi.sample import DEPARTMENTS, sample_ministry

WIDTHS = [80, 100]
BOX = "┏┃┡│└"


@pytest.fixture(scope="module")
def ministry():
    agreements = sample_ministry()
    scores = {(d.slug, r): score_agreement(a, r) for d, a in zip(DEPARTMENTS, agreements) for r in ROUNDS}
    return agreements, scores


def cells(text: str) -> list:
    """The table's lines split into stripped cells (between the vertical rules)."""
    return [[c.strip() for c in re.split(r"[│┃]", line)[1:-1]] for line in text.splitlines()
            if line[:1] in "│┃"]


def assert_no_line_cut(text: str, width: int) -> None:
    table = [line for line in text.splitlines() if line[:1] in BOX]
    assert table
    widths = {cell_len(line) for line in table}
    assert len(widths) == 1 and widths.pop() <= width, sorted({cell_len(line) for line in table})


@pytest.mark.parametrize("width", WIDTHS)
def test_the_demo_summary_prints_every_score_whole(ministry, width):
    agreements, scores = ministry
    printed = io.StringIO()
    context = DemoContext(out=None, console=Console(file=printed, width=width))
    context.agreements, context.scores = agreements, scores
    print_summary(context)
    text = printed.getvalue()
    assert_no_line_cut(text, width)
    numbers = [c for row in cells(text) for c in row[1:] if c]
    for department in DEPARTMENTS:
        for r in ROUNDS:
            assert fmt(scores[department.slug, r].total) in numbers
        for value in scores[department.slug, 12].dimensions.values():
            assert fmt(value) in numbers


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("department", [0, 5])  # 5: the longest Thai name, indicator 15's deep ids
def test_the_score_table_prints_every_id_weight_and_score_whole(ministry, width, department):
    agreements, _ = ministry
    agreement = agreements[department]
    result = score_agreement(agreement, 12)
    printed = io.StringIO()
    print_score_table(agreement, result, console=Console(file=printed, width=width))
    text = printed.getvalue()
    assert_no_line_cut(text, width)
    rows = [row for row in cells(text) if len(row) == 6]
    by_id = {row[0]: row for row in rows if row[0]}
    for s in result.indicators:
        row = by_id[s.id]  # the id whole, never "15.1…"
        assert (row[2], row[3], row[4], row[5]) == (str(s.dimension), f"{s.weight:g}", fmt(s.score),
                                                    fmt(s.weighted))
    assert fmt(result.total) in [row[5] for row in rows]
    assert "…" not in text  # names wrap rather than being cut


def test_thai_combining_marks_are_zero_width():
    # สำ ที่ ปั้ : base consonants plus vowel and tone marks above/below
    assert cell_len("ที่") == 1 and cell_len("ปั้น") == 2 and cell_len("สำนักงาน") == 7
