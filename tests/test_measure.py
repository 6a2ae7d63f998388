"""The layout helper's measurements against LibreOffice's own print of the same cell.

One wrapped Thai cell 30 character units wide, printed at 100 %: the distance between its
printed lines is `line_height`, the next column starts `column_points(30)` to the right, and
the lines LibreOffice breaks the text into fit the width `wrap` measured them against.
"""
from __future__ import annotations

import pytest

from xlkpi.printing import read_pdf
from xlkpi.recalc import to_pdf
from xlkpi.workbook import measure, style

TEXT = ("ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมายตามแผนปฏิบัติราชการของกระทรวง "
        "ระดับความสำเร็จของการพัฒนาศูนย์บริการร่วม")


def test_thai_marks_above_and_below_take_no_width():
    assert measure.text_width("กิ่") == pytest.approx(measure.text_width("ก"))
    assert measure.text_width("ปู่") == pytest.approx(measure.text_width("ป"))
    assert measure.text_width("กข") > measure.text_width("ก")


def test_wrap_keeps_marks_with_their_consonant_and_every_line_fits():
    width = measure.column_points(12) - measure.CELL_PADDING_PT
    lines = measure.wrap(TEXT, width)
    assert "".join(lines).replace(" ", "") == TEXT.replace(" ", "")
    assert len(lines) > 2
    for line in lines:
        assert measure.text_width(line) <= width + 0.01
        assert line[0] not in measure.THAI_MARKS  # no line starts with a mark torn off its consonant


def test_row_height_grows_with_the_lines_it_holds():
    assert measure.height_for(3) > measure.height_for(2) > measure.height_for(1)
    assert measure.height_for(2) == pytest.approx(2 * measure.line_height() + measure.ROW_PADDING_PT, abs=1)


def test_dates_are_written_the_thai_official_way():
    import datetime

    assert style.thai_date("2009-04-30") == "30 เมษายน 2552"
    assert style.thai_date(datetime.date(2008, 10, 1)) == "1 ตุลาคม 2551"
    assert style.thai_date("ไม่ระบุ") == "ไม่ระบุ"


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_measurements_match_what_libreoffice_prints(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    style.default_font(wb)
    ws.column_dimensions["A"].width = 30
    ws["A1"] = TEXT
    ws["A1"].font = style.font()
    ws["A1"].alignment = style.wrap()
    ws.row_dimensions[1].height = 300
    ws["B2"] = "X"
    ws["B2"].font = style.font()
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    path = tmp_path / "one-cell.xlsx"
    wb.save(path)
    words = read_pdf(to_pdf([path], tmp_path)[0]).words
    tops = sorted({round(w.y0, 1) for w in words if w.text != "X"})
    pitches = [b - a for a, b in zip(tops, tops[1:])]
    assert pitches and all(p == pytest.approx(measure.line_height(), abs=0.5) for p in pitches)
    first_x = min(w.x0 for w in words if w.text != "X")
    x_of_b = next(w.x0 for w in words if w.text == "X")
    assert x_of_b - first_x == pytest.approx(measure.column_points(30), abs=1.5)
    # LibreOffice breaks Thai at dictionary words: never fewer lines than `wrap` measures
    assert len(tops) >= len(measure.wrap(TEXT, measure.column_points(30) - measure.CELL_PADDING_PT))
    assert len(tops) <= len(measure.wrap(TEXT, (measure.column_points(30) - measure.CELL_PADDING_PT)
                                         * measure.WORD_BREAK_SLACK))


@pytest.mark.parametrize("lang", ["th", "th-en"])
def test_the_sar_cards_indicator_rows_have_the_heights_fit_rows_gives(lang):
    """The SAR Card writer measures each indicator row as it writes it (and `fit_rows` only
    the other rows): every row ends with the height `fit_rows` gives the finished sheet."""
    import random

    from xlkpi.bench import good_agreement
    from xlkpi.model import ROUNDS
    from xlkpi.sample import sample_ministry
    from xlkpi.workbook.layout import round_sheet
    from xlkpi.workbook.sar import build_sar

    agreements = [good_agreement(random.Random(seed), 5 + 9 * seed) for seed in range(4)] + sample_ministry()[:3]
    checked = 0
    for agreement in agreements:
        wb = build_sar(agreement, lang=lang)
        for round_ in ROUNDS:
            ws = wb[round_sheet(round_)]
            written = {r: d.height for r, d in ws.row_dimensions.items()}
            measure.fit_rows(ws)
            assert {r: d.height for r, d in ws.row_dimensions.items()} == written, (agreement.department, round_)
            checked += len(written)
    assert checked > 500
