"""The workbooks as a person sees them: printed by LibreOffice to PDF on A4, Thai text in it.

Also writes docs/sar-card.png and docs/kpi-template.png (one page each) from the sample
ministry's first department, so the documentation shows what the generator really prints.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from xlkpi.recalc import pdf_page_sizes, pdf_to_png, to_pdf
from xlkpi.sample import sample_ministry
from xlkpi.workbook.sar import write_sar
from xlkpi.workbook.template import write_template

DOCS = Path(__file__).resolve().parent.parent / "docs"
A4_PT = (595, 842)  # 210 × 297 mm
PT_PER_MM = 72 / 25.4


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("render")
    agreement = sample_ministry()[0]
    paths = [write_sar(agreement, folder / "sar-card.xlsx"), write_template(agreement, folder / "kpi-template.xlsx")]
    pdfs = {pdf.stem: pdf for pdf in to_pdf(paths, folder / "pdf")}  # one LibreOffice run
    return agreement, pdfs, folder


# pdftotext puts Thai marks above and below the line (ั ิ ี ่ ้ …) where the glyphs sit, not
# always after their consonant; compare without them and without spaces.
THAI_MARKS = dict.fromkeys([0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)])


def squeeze(text: str) -> str:
    return "".join(text.translate(THAI_MARKS).split())


def text_of(pdf: Path) -> str:
    return squeeze(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                                  text=True).stdout)


def found(needle: str, text: str) -> bool:
    return squeeze(needle) in text


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
@pytest.mark.parametrize("name", ["sar-card", "kpi-template"])
def test_every_page_is_a4(printed, name):
    _agreement, pdfs, _ = printed
    sizes = pdf_page_sizes(pdfs[name])
    assert sizes
    for width_mm, height_mm in sizes:
        points = sorted((width_mm * PT_PER_MM, height_mm * PT_PER_MM))
        assert points[0] == pytest.approx(A4_PT[0], abs=2) and points[1] == pytest.approx(A4_PT[1], abs=2)


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_sar_card_prints_thai_headings_department_and_every_indicator(printed):
    agreement, pdfs, _ = printed
    text = text_of(pdfs["sar-card"])
    assert found("ตัวชี้วัด", text) and found("ค่าคะแนนที่ได้", text) and found("weighted", text)
    assert found(agreement.department, text)
    # columns are not cut off: the last printed column (evidence) is on the pages
    assert found("หลักฐานอ้างอิง", text) and found("evidence", text)
    for indicator in agreement.walk():
        assert indicator.id in text
    # the hidden helper columns are not printed
    assert not found("น้ำหนัก×คะแนน", text)


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_kpi_template_prints_one_page_per_indicator_in_thai(printed):
    agreement, pdfs, _ = printed
    text = text_of(pdfs["kpi-template"])
    assert found("เอกสารสรุปรายละเอียดตัวชี้วัด", text) and found("เกณฑ์การให้คะแนน", text)
    assert found(agreement.department, text)
    indicators = sum(1 for _ in agreement.walk())
    assert len(pdf_page_sizes(pdfs["kpi-template"])) >= indicators  # + the cover


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_pages_render_to_png_for_the_docs(printed):
    _agreement, pdfs, folder = printed
    DOCS.mkdir(exist_ok=True)
    # SAR Card: page 2 is the first page of the 6-month sheet (page 1 is the cover);
    # KPI Template: page 3 is indicator 1.1, a weighted indicator with its parts.
    for name, page in (("sar-card", 2), ("kpi-template", 3)):
        pages = pdf_to_png(pdfs[name], folder / "png" / name, dpi=80)
        assert len(pages) == len(pdf_page_sizes(pdfs[name]))
        assert all(p.stat().st_size > 5000 for p in pages)  # not blank pages
        shutil.copyfile(pages[page - 1], DOCS / f"{name}.png")
