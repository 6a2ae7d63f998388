"""The documentation's pictures of what the generator prints: `python -m xlkpi.docs_images`
(or `make docs`) rewrites docs/kpi-template.png, docs/sar-card.png, docs/proposal.png and
docs/audit-report.png from the sample ministry, printed by LibreOffice on A4.  Tests call
`render_pages` into a temporary folder; only this command writes docs/."""
from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

#: (form, text on the page shown): indicator 1.1's first page (a weighted indicator), the
#: 6-month sheet's first page, the proposal table, the audit report's summary
PAGES = (("kpi-template", "ตัวชี้วัดที่ 1.1"), ("sar-card", "ค่าคะแนนถ่วงน้ำหนัก"),
         ("proposal", "ข้อเสนอตัวชี้วัดของส่วนราชการ"), ("audit-report", "รายงานผลการตรวจสอบตัวชี้วัด"))
DPI = 80


def render_pages(folder: Path) -> dict:
    """Print the forms to PDF and PNG in `folder`: {name: (pdf, [page PNGs in order], page shown)}."""
    from .printing import page_with, sample_forms
    from .recalc import pdf_to_png, to_pdf

    folder = Path(folder)
    forms = sample_forms(folder / "forms", cycle=False)
    paths = [forms[name] for name, _ in PAGES]
    pdfs = {pdf.stem: pdf for pdf in to_pdf(paths, folder / "pdf")}  # one LibreOffice run
    out = {}
    for name, needle in PAGES:
        pdf = pdfs[Path(forms[name]).stem]
        out[name] = (pdf, pdf_to_png(pdf, folder / "png" / name, dpi=DPI), page_with(pdf, needle))
    return out


def write_docs_images(docs: Path) -> list:
    """Render and copy the chosen page of each into `docs` (written whole, then renamed)."""
    docs = Path(docs)
    docs.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="xlkpi-docs-") as work:
        rendered = render_pages(Path(work))
        for name, _needle in PAGES:
            _pdf, pages, page = rendered[name]
            target = docs / f"{name}.png"
            partial = target.with_suffix(".png.part")
            shutil.copyfile(pages[page - 1], partial)
            partial.replace(target)
            written.append(target)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m xlkpi.docs_images", description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=Path("docs"), help="folder to write the PNGs to")
    for path in write_docs_images(parser.parse_args(argv).output):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
