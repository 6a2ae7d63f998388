"""Text measured with the real font: row heights and column widths for every printed form.

A cell's text is laid out with the glyph advances of the font file fontconfig resolves for
"TH Sarabun New" (Laksaman from fonts-thai-tlwg, its metric clone, where the Windows font is
not installed), read with Pillow.  Thai vowels and tone marks above and below the line take
no width.  Wrapped lines break at spaces and, inside a Thai run, between character clusters
(LibreOffice and Excel break Thai at dictionary word boundaries, which can only need more
room: sizing keeps a margin for it, see `WORD_BREAK_SLACK`).

Units: points for heights and widths, Excel's character units for column widths.  The
column unit is the widest digit of the workbook's default font (what Excel and LibreOffice
both use to turn `<col width>` into a length).

Use: write a sheet with openpyxl, then `fit_rows(ws)` gives every row the height its
wrapped text needs; `width_for(texts)` gives a column the width its longest unwrapped text
needs; `clipped_cells(ws)` lists the cells whose text does not fit (the print test's check).
"""
from __future__ import annotations

import math
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

FAMILY = "TH Sarabun New"
DEFAULT_SIZE = 16  # the Normal style's size: the unit of column widths
CELL_PADDING_PT = 4.0  # left + right text margins of a cell (about 2 pt each side)
ROW_PADDING_PT = 3.0  # top + bottom
WORD_BREAK_SLACK = 0.9  # size rows for 90 % of the width: dictionary breaks waste some of it
DEFAULT_ROW_HEIGHT = 15.0  # openpyxl's sheet default when a row has no height
LEADING_VOWELS = set("เแโใไ")  # written before the consonant they follow in speech
#: Thai above/below vowels, tone marks and signs: no advance of their own
THAI_MARKS = {chr(c) for c in (0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F))}
#: (regular, bold) tried when fontconfig is missing: Debian/Ubuntu fonts-thai-tlwg, then Windows
FALLBACK_FILES = (("/usr/share/fonts/truetype/tlwg/Laksaman.ttf", "/usr/share/fonts/truetype/tlwg/Laksaman-Bold.ttf"),
                  ("C:/Windows/Fonts/THSarabunNew.ttf", "C:/Windows/Fonts/THSarabunNew Bold.ttf"))


@lru_cache(maxsize=4)
def font_file(bold: bool = False) -> str:
    """The file the system uses for TH Sarabun New (regular or bold)."""
    if shutil.which("fc-match"):
        pattern = FAMILY + (":bold" if bold else "")
        found = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True,
                               check=False).stdout.strip()
        if found and Path(found).exists():
            return found
    for regular, bold_file in FALLBACK_FILES:
        path = Path(bold_file if bold else regular)
        if path.exists():
            return str(path)
    raise FileNotFoundError("no font for TH Sarabun New: install fonts-thai-tlwg or TH Sarabun New")


@lru_cache(maxsize=8)
def _font(bold: bool):
    from PIL import ImageFont

    # one size, scaled: advances are linear in the size (no hinting at 1000 units)
    return ImageFont.truetype(font_file(bold), 1000)


@lru_cache(maxsize=4096)
def _advance(text: str, bold: bool) -> float:
    return _font(bold).getlength(text) if text else 0.0


def text_width(text: str, size: float = DEFAULT_SIZE, bold: bool = False) -> float:
    """Width of one line of text in points."""
    return _advance(text, bold) * size / 1000


def line_height(size: float = DEFAULT_SIZE, bold: bool = False) -> float:
    """Distance between two wrapped lines in points: the font's ascent + descent."""
    ascent, descent = _font(bold).getmetrics()
    return (ascent + descent) * size / 1000


@lru_cache(maxsize=4)
def digit_width(size: float = DEFAULT_SIZE) -> float:
    """Excel's column-width unit for a default font of `size` points, in points."""
    return max(text_width(d, size) for d in "0123456789")


def column_points(width: Optional[float], default_size: float = DEFAULT_SIZE) -> float:
    """A column of `width` character units, in points (openpyxl's default width is 13)."""
    return (13.0 if width is None else width) * digit_width(default_size)


def column_units(points: float, default_size: float = DEFAULT_SIZE) -> float:
    return points / digit_width(default_size)


def clusters(text: str) -> list[str]:
    """Thai text split where a line may break without tearing a syllable's marks off."""
    out: list[str] = []
    for ch in text:
        if out and (ch in THAI_MARKS or ch == "ำ" or (out[-1] and out[-1][-1] in LEADING_VOWELS)):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _pieces(paragraph: str) -> list[str]:
    """Breakable pieces: words at spaces (space kept at the end), Thai runs by cluster."""
    pieces: list[str] = []
    for word in paragraph.split(" "):
        if any("\u0e00" <= ch <= "\u0e7f" for ch in word):
            parts = clusters(word)
        else:
            parts = [word] if word else []
        if not parts:
            parts = [""]
        pieces.extend(parts[:-1])
        pieces.append(parts[-1] + " ")
    if pieces:
        pieces[-1] = pieces[-1][:-1]
    return [p for p in pieces if p]


def wrap(text: str, width_pt: float, size: float = DEFAULT_SIZE, bold: bool = False) -> list[str]:
    """The lines `text` takes in a wrapped cell `width_pt` wide (text area, no padding).

    A line's width is the sum of its pieces' advances (each measured once and cached):
    Thai fonts do not kern across the cluster boundaries where lines may break."""
    lines: list[str] = []
    scale = size / 1000
    space = _advance(" ", bold) * scale
    for paragraph in str(text).split("\n"):
        line, width = "", 0.0
        for piece in _pieces(paragraph):
            trailing = piece.endswith(" ")
            body = piece.rstrip(" ")
            piece_width = _advance(body, bold) * scale
            if line and width + piece_width > width_pt:
                lines.append(line.rstrip(" "))
                line, width = "", 0.0
            line += piece
            width += piece_width + (space if trailing else 0.0)
        lines.append(line.rstrip(" "))
    return lines


def lines_needed(text, width_pt: float, size: float = DEFAULT_SIZE, bold: bool = False) -> int:
    if text is None or text == "":
        return 0
    return _line_count(str(text), float(width_pt), float(size), bool(bold))


@lru_cache(maxsize=4096)
def _line_count(text: str, width_pt: float, size: float, bold: bool) -> int:
    # the same texts come back in every round's sheet and every workbook: measured once
    return len(wrap(text, width_pt, size, bold))


@lru_cache(maxsize=1024)
def height_for(lines: int, size: float = DEFAULT_SIZE, bold: bool = False) -> float:
    """Row height in points for `lines` lines of text (at least one)."""
    return math.ceil(max(1, lines) * line_height(size, bold) + ROW_PADDING_PT)


def width_for(texts: Iterable, size: float = DEFAULT_SIZE, bold: bool = False, minimum: float = 4,
              maximum: float = 80) -> float:
    """Column width (character units) for its longest line of unwrapped text."""
    widest = max((text_width(line, size, bold) for t in texts if t is not None
                  for line in str(t).split("\n")), default=0.0)
    return round(min(maximum, max(minimum, column_units(widest + CELL_PADDING_PT) + 0.5)), 1)


# --- openpyxl worksheets ---------------------------------------------------------------

@dataclass(slots=True)
class CellBox:
    """A cell (or merged range) as printed: its text, font and the room it has."""

    ref: str
    text: str
    size: float
    bold: bool
    wrapped: bool
    width_pt: float  # text area
    height_pt: float  # the rows it spans
    first_row: int
    rows: int


def _display(cell) -> str:
    value = cell.value
    if isinstance(value, float):
        return display_text(value, False, cell.number_format)
    return display_text(value, cell.data_type == "f")


def display_text(value, formula: bool = False, number_format: Optional[str] = None) -> str:
    """What a cell shows, as far as its height is concerned."""
    if value is None:
        return ""
    if formula and isinstance(value, str) and value.startswith("="):
        return "0"  # a formula: its value is unknown here; it needs at least one line
    if isinstance(value, float):
        fmt = number_format or "General"
        if fmt.startswith("0.") and set(fmt[2:]) == {"0"}:
            return f"{value:.{len(fmt) - 2}f}"
        return f"{value:g}"
    return str(value)


def text_area(width: Optional[float], default_size: float = DEFAULT_SIZE) -> float:
    """The points a single cell of a column `width` units wide gives its text."""
    return max(1.0, column_points(width, default_size) - CELL_PADDING_PT)


def text_height(text: str, size: float, bold: bool, wrapped: bool, width_pt: float,
                slack: float = WORD_BREAK_SLACK) -> float:
    """The row height one cell's text needs: its lines, wrapped to `width_pt` when wrapped."""
    lines = lines_needed(text, width_pt * slack, size, bold) if wrapped else text.count("\n") + 1
    return height_for(lines, size, bold)


def _merged_spans(ws) -> dict:
    spans = {}
    for merged in ws.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = (merged.max_row, merged.max_col)
    return spans


def _row_height(ws, row: int) -> float:
    height = ws.row_dimensions[row].height if row in ws.row_dimensions else None
    if height is None:
        height = ws.sheet_format.defaultRowHeight or DEFAULT_ROW_HEIGHT
    return float(height)


def _col_points(ws, col: int, default_size: float) -> float:
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(col)
    dims = ws.column_dimensions
    if letter in dims and (dims[letter].width or dims[letter].hidden):
        dim = dims[letter]
        return 0.0 if dim.hidden else column_points(dim.width, default_size)
    # a file openpyxl read groups equal neighbouring columns (min..max) under the first letter
    for dim in dims.values():
        if dim.min and dim.max and dim.min <= col <= dim.max:
            return 0.0 if dim.hidden else column_points(dim.width or None, default_size)
    return column_points(None, default_size)


def cell_boxes(ws, default_size: float = DEFAULT_SIZE) -> Iterable[CellBox]:
    """Every non-empty visible cell of a sheet with the room it has to print in."""
    for cell, text, size, bold, wrapped, width, height, row, rows in _boxes(ws, default_size):
        yield CellBox(cell.coordinate, text, size, bold, wrapped, width, height, row, rows)


def _boxes(ws, default_size: float, wanted: Optional[set] = None) -> Iterable[tuple]:
    """`cell_boxes` as plain tuples (cell, text, size, bold, wrapped, width, height, first row,
    rows): what `fit_rows` reads for every cell of every sheet the generator writes."""
    spans = _merged_spans(ws)
    widths: dict = {}
    heights: dict = {}  # rows' heights do not change while the boxes are read

    def col_points(c: int) -> float:
        if c not in widths:
            widths[c] = _col_points(ws, c, default_size)
        return widths[c]

    def row_points(r: int) -> float:
        if r not in heights:
            heights[r] = _row_height(ws, r)
        return heights[r]

    covered = set()
    for (r0, c0), (r1, c1) in spans.items():
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    dims = ws.row_dimensions
    hidden_rows = {r for r, dim in dims.items() if dim.hidden}
    # the cells that exist, in reading order (iter_rows would create every empty one of the grid)
    cells = ws._cells.items() if wanted is None else [item for item in ws._cells.items() if item[0][0] in wanted]
    for (row, column), cell in sorted(cells):
        if cell._value is None or (row, column) in covered or row in hidden_rows:
            continue
        span = spans.get((row, column))
        if span is None:
            r1, width = row, col_points(column)
            if width == 0:  # a hidden column
                continue
            height = row_points(row)
        else:
            r1, c1 = span
            width = sum(col_points(c) for c in range(column, c1 + 1))
            if width == 0:
                continue
            height = sum(row_points(r) for r in range(row, r1 + 1))
        text = _display(cell)
        if not text:
            continue
        font = cell.font
        yield (cell, text, float(font.sz or default_size), bool(font.b), bool(cell.alignment.wrap_text),
               max(1.0, width - CELL_PADDING_PT), height, row, r1 - row + 1)


def _default_size(ws) -> float:
    try:
        return float(ws.parent._fonts[0].sz or DEFAULT_SIZE)
    except (AttributeError, IndexError, TypeError):
        return DEFAULT_SIZE


def fit_rows(ws, rows: Optional[Iterable[int]] = None, minimum: float = 0.0, slack: float = WORD_BREAK_SLACK,
             default_size: float = DEFAULT_SIZE, grow_only: bool = False) -> None:
    """Give each row the height its tallest cell's text needs (merged cells spread over
    their rows' share).  Rows without text keep their height.  `default_size`: the size of
    the workbook's Normal font once saved (the unit of column widths; `style.default_font`)."""
    wanted = set(rows) if rows is not None else None
    need: dict[int, float] = {}
    for _cell, text, size, bold, wrapped, width_pt, _height, first_row, spanned in _boxes(ws, default_size, wanted):
        height = text_height(text, size, bold, wrapped, width_pt, slack)
        if spanned > 1:
            height -= sum(_row_height(ws, r) for r in range(first_row + 1, first_row + spanned))
        need[first_row] = max(need.get(first_row, 0.0), height)
    for row, height in need.items():
        current = ws.row_dimensions[row].height if grow_only else None
        ws.row_dimensions[row].height = max(minimum, height, current or 0.0)


def fit_workbook(wb, grow_only: bool = True) -> None:
    """`fit_rows` on every visible sheet: rows only ever grow to what their text needs, so a
    writer's deliberate heights stay unless the text does not fit them."""
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            fit_rows(ws, grow_only=grow_only)


@dataclass
class Clipped:
    sheet: str
    cell: str
    text: str
    needed_pt: float
    given_pt: float
    what: str  # "height" (wrapped text needs more lines) or "width" (a line is too long)


def clipped_cells(ws, printed_only: bool = True) -> list[Clipped]:
    """Cells whose text does not fit their box by the font's metrics (no slack).

    A wrapped cell is clipped when its lines need more height than its rows give; an
    unwrapped one when its longest line is wider than the cell and the next cell to the
    right is not empty (Excel and LibreOffice let text run into an empty neighbour)."""
    default_size = _default_size(ws)
    area = _print_area(ws) if printed_only else None
    out = []
    for box in cell_boxes(ws, default_size):
        if area and not (area[0] <= box.first_row <= area[1]):
            continue
        if box.wrapped:
            needed = height_for(lines_needed(box.text, box.width_pt, box.size, box.bold), box.size, box.bold)
            if needed > box.height_pt + 0.5:
                out.append(Clipped(ws.title, box.ref, box.text, needed, box.height_pt, "height"))
            continue
        lines = box.text.split("\n")
        height = height_for(len(lines), box.size, box.bold)
        if height > box.height_pt + 0.5 and len(lines) > 1:
            out.append(Clipped(ws.title, box.ref, box.text, height, box.height_pt, "height"))
        widest = max(text_width(line, box.size, box.bold) for line in lines)
        if widest > box.width_pt + 0.5 and not _right_neighbour_empty(ws, box.ref):
            out.append(Clipped(ws.title, box.ref, box.text, widest, box.width_pt, "width"))
    return out


def _right_neighbour_empty(ws, ref: str) -> bool:
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    letters, row = coordinate_from_string(ref)
    col = column_index_from_string(letters)
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col == col:
            col = merged.max_col
            break
    neighbour = ws.cell(row=row, column=col + 1)
    return neighbour.value in (None, "")


def _print_area(ws) -> Optional[tuple]:
    import re

    area = ws.print_area
    if not area:
        return None
    text = area[0] if isinstance(area, (list, tuple)) else str(area)
    rows = re.findall(r"\$?[A-Z]+\$?(\d+)", text)
    return (int(rows[0]), int(rows[-1])) if len(rows) >= 2 else None


def workbook_clipped(path, sheets: Optional[Iterable[str]] = None) -> list[Clipped]:
    """`clipped_cells` of every visible sheet of a workbook file."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible" or (sheets is not None and ws.title not in sheets):
            continue
        out.extend(clipped_cells(ws))
    return out
