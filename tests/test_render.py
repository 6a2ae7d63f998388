"""The workbooks as a person sees them: printed by LibreOffice to PDF on A4, Thai text in it.

The pages the documentation shows (docs/sar-card.png, docs/kpi-template.png) are rendered here
into a temporary folder by the same code as `python -m xlkpi.docs_images` (`make docs`), the only
thing that writes docs/.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from xlkpi.docs_images import PAGES, render_pages, write_docs_images
from xlkpi.recalc import pdf_page_sizes
from xlkpi.sample import sample_ministry

DOCS = Path(__file__).resolve().parent.parent / "docs"
A4_PT = (595, 842)  # 210 × 297 mm
PT_PER_MM = 72 / 25.4


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("render")
    rendered = render_pages(folder)
    pdfs = {name: pdf for name, (pdf, _pages) in rendered.items()}
    return sample_ministry()[0], pdfs, rendered


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
    _agreement, pdfs, rendered = printed
    for name, page in PAGES:
        pages = rendered[name][1]
        assert len(pages) == len(pdf_page_sizes(pdfs[name])) >= page
        assert all(p.stat().st_size > 5000 for p in pages)  # not blank pages


def test_the_docs_images_command_writes_only_where_it_is_told(tmp_path, monkeypatch):
    # write_docs_images is what `python -m xlkpi.docs_images -o FOLDER` runs; rendering is
    # covered above, so here it is replaced by two small PNGs to keep this test fast.
    import xlkpi.docs_images as docs_images

    def fake_render(folder):
        out = {}
        for name, _page in PAGES:
            pages = [folder / f"{name}-{n}.png" for n in (1, 2, 3)]
            for n, page_file in enumerate(pages, 1):
                page_file.write_bytes(f"{name} page {n}".encode())
            out[name] = (folder / f"{name}.pdf", pages)
        return out

    before = {p: p.stat().st_mtime_ns for p in DOCS.glob("*.png")}
    monkeypatch.setattr(docs_images, "render_pages", fake_render)
    written = docs_images.write_docs_images(tmp_path / "docs")
    assert sorted(p.name for p in written) == sorted(f"{name}.png" for name, _ in PAGES)
    for name, page in PAGES:
        assert (tmp_path / "docs" / f"{name}.png").read_bytes() == f"{name} page {page}".encode()
    assert {p: p.stat().st_mtime_ns for p in DOCS.glob("*.png")} == before
