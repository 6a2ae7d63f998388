"""The look every workbook xlkpi writes shares: Thai font, A4 printing, input cells.

TH Sarabun New is the Thai government's standard font; where it is not installed (Linux),
fontconfig maps it to its metric-compatible clone Laksaman from fonts-thai-tlwg.
"""
from __future__ import annotations

from functools import lru_cache

# The style objects below are built once and shared: openpyxl never changes a style object
# it is given (a cell's style is replaced, not edited), and building them is most of the cost
# of writing a cell.
FONT_NAME = "TH Sarabun New"
FONT_SIZE = 16  # official Thai documents: TH Sarabun New 16 pt body, headings bold
TITLE_SIZE = 18
LANGS = ("th", "th-en")  # on paper: Thai only (official forms), or English beside the Thai
DEFAULT_LANG = "th"
FOOTER = "หน้า &P/&N"  # "page x/y"
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
               "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
INPUT_FILL = "FFF2CC"  # pale yellow: cells an officer types into
HEADER_FILL = "D9E1F2"  # pale blue: column headings
TOTAL_FILL = "E2EFDA"  # pale green: totals
NOT_DUE_FILL = "D9D9D9"  # grey: an indicator that does not report in this round (DOMAIN §6.5a)
PROBLEM_FILL = "F8CBAD"  # salmon: cells an audit marks
DEFAULT_PASSWORD = "xlkpi"  # documented default; a ministry sets its own (--password)


@lru_cache(maxsize=256)
def font(bold: bool = False, size: int = FONT_SIZE, color: str | None = None, italic: bool = False,
         underline: str | None = None):
    from openpyxl.styles import Font

    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, color=color, underline=underline)


@lru_cache(maxsize=256)
def fill(color: str):
    from openpyxl.styles import PatternFill

    return PatternFill("solid", start_color=color, end_color=color)


@lru_cache(maxsize=256)
def thin_border():
    from openpyxl.styles import Border, Side

    side = Side(style="thin", color="808080")
    return Border(left=side, right=side, top=side, bottom=side)


@lru_cache(maxsize=256)
def wrap(horizontal: str = "left", vertical: str = "top"):
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=True, horizontal=horizontal, vertical=vertical)


def label(th: str, en: str = "", lang: str = DEFAULT_LANG, sep: str = " ") -> str:
    """A label as printed: Thai only, or with the English beside it (``--lang th-en``)."""
    if lang == "th-en" and en:
        return f"{th}{sep}({en})"
    return th


def thai_date(value) -> str:
    """A date as Thai official documents write it: "30 เมษายน 2552" (Buddhist Era).

    Takes a `datetime.date` or an ISO text "2009-04-30"; other text is returned as given."""
    import datetime

    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        return "" if value is None else str(value)
    return f"{value.day} {THAI_MONTHS[value.month - 1]} {value.year + 543}"


@lru_cache(maxsize=256)
def top(horizontal: str | None = None):
    """Unwrapped, at the top of the cell: beside wrapped text in a tall row."""
    from openpyxl.styles import Alignment

    return Alignment(horizontal=horizontal, vertical="top")


def setup_a4(ws, landscape: bool = False, title_rows: str | None = None, fit_height: bool = False,
             fit_width: bool = True, footer: bool = True) -> None:
    """Print on A4 with official margins (inches) and a "หน้า x/y" footer; fitted to the page
    width when asked (wide tables), else printed at 100 % so 16 pt stays 16 pt."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if fit_width or fit_height:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1 if fit_width else 0
        ws.page_setup.fitToHeight = 1 if fit_height else 0
    ws.page_margins.left = 0.75
    ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.page_margins.header = 0.3
    ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    if footer:
        ws.oddFooter.center.text = FOOTER
        ws.oddFooter.center.font = f"{FONT_NAME},Regular"
        ws.oddFooter.center.size = 14


def default_font(wb) -> None:
    """Make TH Sarabun New the workbook's default (Normal style) font."""
    from openpyxl.styles import Font

    wb._fonts[0] = Font(name=FONT_NAME, size=FONT_SIZE)  # index 0 is the Normal style's font
    for style in wb._named_styles:
        if style.name == "Normal":
            style.font = Font(name=FONT_NAME, size=FONT_SIZE)


def protect(ws, password: str = DEFAULT_PASSWORD) -> None:
    """Sheet protection on; officers may still select, format nothing, insert nothing."""
    ws.protection.sheet = True
    ws.protection.password = password
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


FORMULA_STARTS = ("=", "+", "-", "@")


def put_text(cell, value) -> None:
    """Write text that stays text: never run as a formula, whatever its first character.

    openpyxl turns a string starting with "=" into a formula; Excel and LibreOffice would
    run "+", "-" and "@" ones when an officer edits the cell.  The string type plus
    Excel's quote prefix (the leading apostrophe officers type) keeps it inert.
    """
    text = "" if value is None else str(value)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
