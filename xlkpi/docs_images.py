"""The documentation's pictures of what the generator prints: `python -m xlkpi.docs_images`
(or `make docs`) rewrites docs/sar-card.png and docs/kpi-template.png from the sample ministry's
first department, printed by LibreOffice on A4.  Tests call `render_pages` into a temporary
folder; only this command writes docs/."""
from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

#: (name, page): SAR Card page 2 is the first page of the 6-month sheet (page 1 is the cover);
#: KPI Template page 3 is indicator 1.1, a weighted indicator with its parts.
PAGES = (("sar-card", 2), ("kpi-template", 3))
DPI = 80


def render_pages(folder: Path) -> dict:
    """Print the sample's first SAR Card and KPI Template to PDF and PNG in `folder`:
    {name: (pdf, [page PNGs in order])}."""
    from .recalc import pdf_to_png, to_pdf
    from .sample import sample_ministry
    from .workbook.sar import write_sar
    from .workbook.template import write_template

    folder = Path(folder)
    agreement = sample_ministry()[0]
    paths = [write_sar(agreement, folder / "sar-card.xlsx"), write_template(agreement, folder / "kpi-template.xlsx")]
    pdfs = {pdf.stem: pdf for pdf in to_pdf(paths, folder / "pdf")}  # one LibreOffice run
    return {name: (pdfs[name], pdf_to_png(pdfs[name], folder / "png" / name, dpi=DPI)) for name, _ in PAGES}


def write_docs_images(docs: Path) -> list:
    """Render and copy the chosen page of each into `docs` (written whole, then renamed)."""
    docs = Path(docs)
    docs.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="xlkpi-docs-") as work:
        rendered = render_pages(Path(work))
        for name, page in PAGES:
            target = docs / f"{name}.png"
            partial = target.with_suffix(".png.part")
            shutil.copyfile(rendered[name][1][page - 1], partial)
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
