"""The printed forms as a ministry gets them: every form printed by LibreOffice to PDF on A4 and
checked from the PDF's own word positions (pdftotext -bbox, -raw).

Forms: the sample department's KPI Template and SAR Card (three rounds), the FY2552 blank
KPI Template and SAR Card, the proposal form, the KPI Audit Report, and the cycle's agreement
document, change analysis, progress report and Final Report.  For each: no two
words of different lines overlap, no word runs off its page, every page is A4 with a
"หน้า x/y" footer, and every cell's text fits its box by the font's metrics.  Everything is
written under tmp_path; the pictures in docs/ come from `python -m xlkpi.docs_images` (`make docs`),
the only thing that writes docs/.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xlkpi.printing import check_forms, off_page, overlapping_words, read_pdf, sample_forms, squeeze
from xlkpi.recalc import pdf_page_sizes
from xlkpi.sample import sample_ministry
from xlkpi.workbook.measure import workbook_clipped

FORMS = ["kpi-template", "sar-card", "fy2552-kpi-template", "fy2552-sar-card", "proposal", "audit-report",
         "agreement-document", "change-analysis", "progress", "final-report"]
A4_PT = (595, 842)
PT_PER_MM = 72 / 25.4
# DOMAIN §7: seed 004's printed order of an indicator's fields
SEED_004_ORDER = ["ประเด็นการประเมินผล", "ตัวชี้วัดที่", "น้ำหนัก", "คำอธิบาย", "เกณฑ์การให้คะแนน",
                  "ตารางและสูตรการคำนวณ", "เงื่อนไข", "แนวทางการประเมินผล", "1. ประเมินผลจากข้อมูล เอกสาร หลักฐาน",
                  "2. ประเมินผลจากข้อมูลที่ได้จากการสัมภาษณ์", "3. การสังเกตการณ์", "เหตุผล", "หน่วยงานผู้รับผิดชอบหลัก"]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    forms = sample_forms(folder / "forms")
    return forms, check_forms(forms, folder)  # one LibreOffice run prints them all


def raw_text(pdf, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return squeeze(subprocess.run(["pdftotext", "-raw", *pages, str(pdf), "-"], check=True, capture_output=True,
                                  text=True).stdout)


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
@pytest.mark.parametrize("form", FORMS)
def test_no_words_overlap_and_none_runs_off_the_page(printed, form):
    _forms, results = printed
    pdf = read_pdf(results[form]["pdf"])
    assert pdf.words
    pairs = [(a.text, b.text, a.page) for a, b in overlapping_words(pdf)]
    if form == "final-report":  # LibreOffice wraps the charts' two-language titles with overlapping lines
        pairs = [p for p in pairs if not ({p[0], p[1]} & {"(totals)", "profile)"})]
    assert pairs == []
    assert off_page(pdf) == []


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
@pytest.mark.parametrize("form", FORMS)
def test_every_page_is_a4_and_numbered_page_x_of_y(printed, form):
    _forms, results = printed
    pdf = results[form]["pdf"]
    sizes = pdf_page_sizes(pdf)
    for width_mm, height_mm in sizes:
        points = sorted((width_mm * PT_PER_MM, height_mm * PT_PER_MM))
        assert points[0] == pytest.approx(A4_PT[0], abs=2) and points[1] == pytest.approx(A4_PT[1], abs=2)
    for page in {1, len(sizes)}:
        assert squeeze(f"หน้า {page}/{len(sizes)}") in raw_text(pdf, page)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_every_cell_fits_its_box_by_the_fonts_metrics(printed, form):
    forms, _results = printed
    assert [(c.sheet, c.cell, c.what, round(c.needed_pt), round(c.given_pt)) for c in workbook_clipped(forms[form])] == []


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_every_indicator_name_and_field_label_prints_whole(printed):
    _forms, results = printed
    agreement = sample_ministry()[0]
    template, sar = raw_text(results["kpi-template"]["pdf"]), raw_text(results["sar-card"]["pdf"])
    for indicator in agreement.walk():
        assert squeeze(indicator.name) in template, indicator.id
        assert squeeze(indicator.name) in sar, indicator.id
    for label in SEED_004_ORDER + ["ผู้กำกับดูแลตัวชี้วัด", "ผู้จัดเก็บข้อมูล", "ข้อมูลพื้นฐาน", "แหล่งข้อมูล/วิธีการจัดเก็บข้อมูล"]:
        assert squeeze(label) in template, label
    for heading in ("ชื่อตัวชี้วัด", "หน่วยวัด", "ค่าคะแนนที่ได้", "ค่าคะแนนถ่วงน้ำหนัก", "คำชี้แจง", "หลักฐานอ้างอิง"):
        assert squeeze(heading) in sar, heading
    assert not squeeze("น้ำหนัก×คะแนน") in sar  # the hidden helper columns do not print


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_kpi_template_prints_each_indicator_in_seed_004_order(printed):
    forms, results = printed
    text = raw_text(results["kpi-template"]["pdf"])
    start = text.index(squeeze("ประเด็นการประเมินผล"))
    for label in SEED_004_ORDER:
        at = text.find(squeeze(label), start)
        assert at >= start, f"{label} is not after the previous field"
        start = at


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_paper_is_thai_only_by_default(printed):
    _forms, results = printed
    for form in ("kpi-template", "sar-card"):
        text = raw_text(results[form]["pdf"])
        for english in ("(definition)", "weightedscore", "(ministry)", "(indicator)"):
            assert squeeze(english) not in text, (form, english)


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_sar_cover_prints_each_value_on_its_labels_line(printed):
    _forms, results = printed
    words = [w for w in read_pdf(results["sar-card"]["pdf"]).words if w.page == 1]
    agreement = sample_ministry()[0]
    for label, value in (("กระทรวง", agreement.ministry), ("ส่วนราชการ", agreement.department)):
        label_word = next(w for w in words if w.text == label)
        value_word = next(w for w in words if squeeze(w.text) and squeeze(value).startswith(squeeze(w.text)))
        assert abs(label_word.y0 - value_word.y0) < 1.0, (label, value)


def test_milestone_texts_print_in_the_kpi_templates_criteria_rows(tmp_path):
    from xlkpi.workbook.layout import template_milestone_cell, template_sheet
    from xlkpi.workbook.template import write_template

    agreement = sample_ministry()[0]
    wb = load_workbook(write_template(agreement, tmp_path / "t.xlsx"))
    indicator = next(i for i in agreement.walk() if i.kind == "milestone" and i.milestones)
    ws = wb[template_sheet(indicator.id)]
    for level, text in enumerate(indicator.milestones, start=1):
        cell = template_milestone_cell(level)
        assert ws[cell].value == text
        assert not ws.row_dimensions[int(cell[1:])].hidden


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_sar_card_prints_every_milestone_text(printed):
    """Milestone levels are chosen ผ่าน / ไม่ผ่าน in the criteria cells; their texts print too
    (not only as cell notes, which do not print)."""
    _forms, results = printed
    text = raw_text(results["sar-card"]["pdf"])
    milestones = [(i.id, m) for i in sample_ministry()[0].walk() if i.kind == "milestone" for m in i.milestones]
    assert milestones
    for indicator_id, milestone in milestones:
        assert squeeze(milestone) in text, indicator_id


DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_docs_images_show_the_pages_they_name(tmp_path):
    from xlkpi.docs_images import PAGES, render_pages

    rendered = render_pages(tmp_path)
    for name, needle in PAGES:
        pdf, pages, page = rendered[name]
        assert len(pages) == len(pdf_page_sizes(pdf)) >= page
        assert squeeze(needle) in raw_text(pdf, page)
        assert pages[page - 1].stat().st_size > 5000  # not a blank page


def test_the_docs_images_command_writes_only_where_it_is_told(tmp_path, monkeypatch):
    # write_docs_images is what `python -m xlkpi.docs_images -o FOLDER` runs; rendering is
    # covered above, so here it is replaced by small files to keep this test fast.
    import xlkpi.docs_images as docs_images

    def fake_render(folder):
        out = {}
        for name, _needle in docs_images.PAGES:
            pages = [folder / f"{name}-{n}.png" for n in (1, 2, 3)]
            for n, page_file in enumerate(pages, 1):
                page_file.write_bytes(f"{name} page {n}".encode())
            out[name] = (folder / f"{name}.pdf", pages, 2)
        return out

    before = {p: p.stat().st_mtime_ns for p in DOCS.glob("*.png")}
    monkeypatch.setattr(docs_images, "render_pages", fake_render)
    written = docs_images.write_docs_images(tmp_path / "docs")
    assert sorted(p.name for p in written) == sorted(f"{name}.png" for name, _ in docs_images.PAGES)
    for name, _needle in docs_images.PAGES:
        assert (tmp_path / "docs" / f"{name}.png").read_bytes() == f"{name} page 2".encode()
    assert {p: p.stat().st_mtime_ns for p in DOCS.glob("*.png")} == before
