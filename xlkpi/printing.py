"""Printed forms checked from the PDF LibreOffice prints: words that overlap, words off the page.

`pdftotext -bbox` gives every word with its box.  A form prints legibly when no two words of
different lines overlap (a cell's clipped text is still drawn under the next row, so clipping
shows up here too) and no word runs off the page.  `python -m xlkpi.printing OUT/` prints
every form of the sample ministry and reports these counts and the cells whose text does not
fit by the font's metrics (`xlkpi.workbook.measure`).
"""
from __future__ import annotations

import html
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

OVERLAP_PT = 1.0  # boxes must share more than this in both directions to count


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class PrintedPdf:
    words: list
    pages: list  # (width, height) in points


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')


def read_pdf(pdf) -> PrintedPdf:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    words, pages = [], []
    for chunk in out.split("<page ")[1:]:
        size = _PAGE.match("<page " + chunk)
        pages.append((float(size.group(1)), float(size.group(2))))
        for m in _WORD.finditer(chunk):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            words.append(Word(len(pages), x0, y0, x1, y1, html.unescape(m.group(5))))
    return PrintedPdf(words, pages)


def _same_line(a: Word, b: Word) -> bool:
    middle_a, middle_b = (a.y0 + a.y1) / 2, (b.y0 + b.y1) / 2
    return abs(middle_a - middle_b) < 0.25 * min(a.y1 - a.y0, b.y1 - b.y0)


def overlapping_words(printed: PrintedPdf) -> list[tuple]:
    """Pairs of words of different lines whose boxes overlap."""
    pairs = []
    by_page: dict = {}
    for word in printed.words:
        by_page.setdefault(word.page, []).append(word)
    for words in by_page.values():
        words.sort(key=lambda w: w.y0)
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b.y0 >= a.y1 - OVERLAP_PT:
                    break
                if min(a.x1, b.x1) - max(a.x0, b.x0) > OVERLAP_PT and not _same_line(a, b):
                    pairs.append((a, b))
    return pairs


def off_page(printed: PrintedPdf) -> list[Word]:
    """Words that run beyond the edges of their page."""
    out = []
    for word in printed.words:
        width, height = printed.pages[word.page - 1]
        if word.x0 < 0 or word.y0 < 0 or word.x1 > width + 0.5 or word.y1 > height + 0.5:
            out.append(word)
    return out


# pdftotext puts Thai marks above and below the line where the glyphs sit, not always after
# their consonant: compare text without them and without spaces.
_THAI_MARKS = dict.fromkeys([0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)])


def squeeze(text: str) -> str:
    return "".join(str(text).translate(_THAI_MARKS).split())


def plain_text(pdf) -> str:
    return squeeze(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                                  text=True).stdout)


# --- the forms of the sample ministry, printed -------------------------------------------

def sample_forms(folder: Path, cycle: bool = True) -> dict:
    """Write every printed form of the sample ministry into `folder`: name -> xlsx."""
    from .sample import sample_ministry
    from .workbook.blanks import fy2552_blank
    from .workbook.sar import write_sar
    from .workbook.template import write_template

    folder.mkdir(parents=True, exist_ok=True)
    agreement = sample_ministry()[0]
    forms = {
        "kpi-template": write_template(agreement, folder / "kpi-template.xlsx"),
        "sar-card": write_sar(agreement, folder / "sar-card.xlsx"),
        "fy2552-kpi-template": write_template(fy2552_blank(), folder / "fy2552-kpi-template.xlsx"),
        "fy2552-sar-card": write_sar(fy2552_blank(), folder / "fy2552-sar-card.xlsx"),
    }
    from .framework import load_framework
    from .workbook.proposal import draft_from_framework, write_proposal

    framework, _findings = load_framework("fy2552-pilot-ministry")
    draft, open_ids = draft_from_framework(framework)
    forms["proposal"] = write_proposal(draft, folder / "proposal.xlsx", open_ids)
    forms["audit-report"] = _audit_report(folder)
    if cycle:
        forms.update(cycle_forms(folder / "cycle"))
    return forms


def cycle_forms(folder: Path) -> dict:
    """The agreement cycle's documents for the sample ministry (xlkpi.cycle): name -> xlsx."""
    from .cycle.demo_steps import run_cycle
    from .sample import sample_ministry

    written = {Path(p).stem: Path(p) for _label, p in run_cycle(sample_ministry(), folder)
               if str(p).endswith(".xlsx")}
    wanted = {"agreement-document": "agreement-d01", "change-analysis": "change-d01-1", "progress": "progress",
              "final-report": "final-report"}
    return {name: written[stem] for name, stem in wanted.items() if stem in written}


def _audit_report(folder: Path) -> Path:
    """The KPI Audit Report of three sample departments' KPI Templates and SAR Cards."""
    from .audit import audit_file
    from .audit.report import write_audit_report
    from .sample import sample_ministry
    from .workbook.sar import write_sar
    from .workbook.template import write_template

    agreements = sample_ministry()[:3]
    signed = {a.department: a for a in agreements}
    files = []
    for n, agreement in enumerate(agreements):
        files.append(write_template(agreement, folder / "audited" / f"kpi-template-{n}.xlsx"))
        files.append(write_sar(agreement, folder / "audited" / f"sar-card-{n}.xlsx"))
    results = [audit_file(path, signed) for path in files]
    return write_audit_report(results, folder / "audit-report.xlsx")


def check_forms(forms: dict, folder: Path) -> dict:
    """name -> counts (clipped cells, overlapping word pairs, words off the page, pages)."""
    from .recalc import to_pdf
    from .workbook.measure import workbook_clipped

    pdfs = {pdf.stem: pdf for pdf in to_pdf(list(forms.values()), folder / "pdf")}
    out = {}
    for name, path in forms.items():
        printed = read_pdf(pdfs[Path(path).stem])
        out[name] = {"clipped": len(workbook_clipped(path)), "overlaps": len(overlapping_words(printed)),
                     "off_page": len(off_page(printed)), "pages": len(printed.pages),
                     "pdf": pdfs[Path(path).stem]}
    return out


def page_with(pdf, needle: str) -> int:
    """The first page (1-based) whose text contains `needle`; 1 when none does."""
    pages = len(read_pdf(pdf).pages)
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-raw", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              check=True, capture_output=True, text=True).stdout
        if squeeze(needle) in squeeze(text):
            return page
    return 1


def main(argv: list) -> int:
    """python -m xlkpi.printing [WORK_FOLDER]: print every form, count what does not fit.
    (The pictures in docs/ come from python -m xlkpi.docs_images.)"""
    folder = Path(argv[0] if argv else "print-check")
    results = check_forms(sample_forms(folder / "forms"), folder)
    print(f"{'form':24} {'clipped':>8} {'overlaps':>9} {'off page':>9} {'pages':>6}")
    for name, counts in results.items():
        print(f"{name:24} {counts['clipped']:8} {counts['overlaps']:9} {counts['off_page']:9} {counts['pages']:6}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
