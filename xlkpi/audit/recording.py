"""A workbook that only records what the generator writes: the audit's expected model, fast.

The audit compares every workbook with what the generator writes for its trusted agreement
(`expected`).  Running the generator against real openpyxl objects for that spends most of
the audit's time in openpyxl's bookkeeping for a file that is never saved: every style
object hashed into the workbook's style tables, every cell address parsed, every defined
name validated.  `RecordingWorkbook` is the part of openpyxl's interface the generator uses
(`build_sar`, `build_template`, `workbook.style`, `measure.fit_rows`), backed by plain
records: cells are openpyxl `Cell`s (so values bind exactly as openpyxl binds them) whose
styles are kept as the objects assigned; a sheet's other settings (page setup, columns,
protection, validations …) live on a real openpyxl `Worksheet` that is never part of a
workbook.  `inmemory.book_from_recording` turns it into the canonical model.

The generator itself does not change: it writes to whichever workbook it is given.  A test
holds the canonical model of a recording equal to the one of openpyxl's workbook for the
same agreement (SAR Card and KPI Template, both languages, signed or not).
"""
from __future__ import annotations

import re
from types import SimpleNamespace

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import DEFAULT_FONT, Alignment, Protection
from openpyxl.styles.borders import DEFAULT_BORDER
from openpyxl.styles.fills import DEFAULT_EMPTY_FILL
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.cell_range import CellRange

_DEFAULT_ALIGNMENT = Alignment()
_DEFAULT_PROTECTION = Protection()
_SIMPLE = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")
_COORDINATES: dict = {}  # "B12" -> (12, 2); the generator's addresses, a few thousand at most
_MAX_COORDINATES = 200_000


UNSTYLED = (None, None, None, None, None, "General", False, False)


class RecordingCell(Cell):
    """An openpyxl cell whose style is the objects assigned to it, not indexes into tables.

    `_style` is one tuple (font, fill, border, alignment, protection, number format, quote
    prefix, styled): the generator copies a finished style from cell to cell as it does with
    openpyxl's StyleArray, and the canonical model reads each distinct tuple once."""

    __slots__ = ("_parts",)

    def __init__(self, worksheet, row: int, column: int):
        # what Cell.__init__ sets, without the StyleArray a recording does not use
        self.parent, self.row, self.column = worksheet, row, column
        self._value = self._hyperlink = self._comment = None
        self.data_type = "n"
        self._parts = UNSTYLED

    @property
    def _style(self):
        return self._parts

    @_style.setter
    def _style(self, value):
        if isinstance(value, tuple):  # not the StyleArray StyleableObject starts with
            self._parts = value

    def _set(self, index: int, value, styled: bool = True) -> None:
        parts = list(self._parts)
        parts[index] = value
        if styled:
            parts[7] = True
        self._parts = tuple(parts)

    @property
    def value(self):
        return self._value

    @value.setter
    def value(self, value):
        # openpyxl's binding (Cell._bind_value), without its detours for the common values
        kind = type(value)
        if kind is str and len(value) <= 32767 and ILLEGAL_CHARACTERS_RE.search(value) is None:
            self._value = value
            self.data_type = "f" if len(value) > 1 and value[0] == "=" else "e" if value in ERROR_CODES else "s"
        elif kind is int or kind is float:
            self._value, self.data_type = value, "n"
        else:
            self._bind_value(value)

    @property
    def has_style(self) -> bool:
        return self._parts[7]

    @property
    def font(self):
        font = self._parts[0]
        return font if font is not None else self.parent.parent._fonts[0]

    @font.setter
    def font(self, value):
        self._set(0, value)

    @property
    def fill(self):
        return self._parts[1] if self._parts[1] is not None else DEFAULT_EMPTY_FILL

    @fill.setter
    def fill(self, value):
        self._set(1, value)

    @property
    def border(self):
        return self._parts[2] if self._parts[2] is not None else DEFAULT_BORDER

    @border.setter
    def border(self, value):
        self._set(2, value)

    @property
    def alignment(self):
        return self._parts[3] if self._parts[3] is not None else _DEFAULT_ALIGNMENT

    @alignment.setter
    def alignment(self, value):
        self._set(3, value)

    @property
    def protection(self):
        return self._parts[4] if self._parts[4] is not None else _DEFAULT_PROTECTION

    @protection.setter
    def protection(self, value):
        self._set(4, value)

    @property
    def number_format(self):
        return self._parts[5]

    @number_format.setter
    def number_format(self, value):
        # openpyxl's built-in format 0 (General) leaves a cell unstyled
        self._set(5, value, value.lower() != "general")

    @property
    def quotePrefix(self):
        return self._parts[6]

    @quotePrefix.setter
    def quotePrefix(self, value):
        self._set(6, bool(value), bool(value))


class _Rows(dict):
    """Row dimensions: created on first use, as openpyxl's are."""

    def __missing__(self, row):
        dimension = self[row] = SimpleNamespace(height=None, hidden=False)
        return dimension


# A sheet's settings other than cells are kept by a real openpyxl Worksheet (page setup,
# columns, protection, validations, print titles …): read the same way as openpyxl's own.
_SETTINGS = frozenset({
    "title", "sheet_state", "page_setup", "print_options", "page_margins", "sheet_properties", "oddFooter",
    "evenFooter", "firstFooter", "oddHeader", "HeaderFooter", "protection", "print_title_rows",
    "print_title_cols", "print_titles", "print_area", "freeze_panes", "column_dimensions", "sheet_format",
    "views", "data_validations", "conditional_formatting", "add_data_validation", "PAPERSIZE_A4",
    "defined_names", "_images", "_charts", "sheet_view",
})


class RecordingSheet:
    def __init__(self, parent: "RecordingWorkbook", title: str):
        from openpyxl.worksheet.worksheet import Worksheet

        object.__setattr__(self, "parent", parent)
        object.__setattr__(self, "settings", Worksheet(parent, title=title))  # titles kept unique as openpyxl does
        object.__setattr__(self, "_cells", {})
        object.__setattr__(self, "row_dimensions", _Rows())
        object.__setattr__(self, "merged_cells", SimpleNamespace(ranges=[]))
        object.__setattr__(self, "encoding", "utf-8")

    def __getattr__(self, name):
        if name in _SETTINGS:
            return getattr(self.settings, name)
        raise AttributeError(name)

    def __setattr__(self, name, value):
        if name in _SETTINGS:
            setattr(self.settings, name, value)
        else:
            object.__setattr__(self, name, value)

    def cell(self, row: int, column: int, value=None):
        cells = self._cells
        cell = cells.get((row, column))
        if cell is None:
            cell = cells[(row, column)] = RecordingCell(self, row, column)
        if value is not None:
            cell.value = value
        return cell

    def __getitem__(self, ref: str):
        place = _COORDINATES.get(ref)
        if place is None:
            if not (isinstance(ref, str) and _SIMPLE.fullmatch(ref)):
                raise KeyError(f"a recording addresses single cells only, not {ref!r}")
            place = coordinate_to_tuple(ref)
            if len(_COORDINATES) < _MAX_COORDINATES:
                _COORDINATES[ref] = place
        return self.cell(*place)

    def __setitem__(self, ref: str, value) -> None:
        self[ref].value = value

    def share_row(self, source: "RecordingSheet", row: int, columns) -> None:
        """`sar_sheet._copy_row` for a recording: the earlier sheet's cells themselves (a recording is
        read, never edited, once written), and the row's height."""
        for column in columns:
            cell = source._cells.get((row, column))
            if cell is not None:
                self._cells[(row, column)] = cell
        if row in source.row_dimensions and source.row_dimensions[row].height is not None:
            self.row_dimensions[row].height = source.row_dimensions[row].height

    def merge_cells(self, range_string=None, start_row=None, start_column=None, end_row=None, end_column=None):
        merged = CellRange(range_string=range_string, min_col=start_column, min_row=start_row,
                           max_col=end_column, max_row=end_row)
        self.merged_cells.ranges.append(merged)
        # openpyxl empties every cell under a merge but the top-left one
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                if (row, column) != (merged.min_row, merged.min_col) and (row, column) in self._cells:
                    self._cells[(row, column)] = RecordingCell(self, row, column)


class RecordingWorkbook:
    """`openpyxl.Workbook()` for the generator, recording instead of building a package."""

    def __init__(self):
        from openpyxl.workbook.protection import DocumentSecurity

        self._fonts = [DEFAULT_FONT]
        self._named_styles = [SimpleNamespace(name="Normal", font=DEFAULT_FONT)]
        self.loaded_theme = None
        self.security = DocumentSecurity()
        self.defined_names: dict = {}  # name -> target text (finish_workbook's `record_names`)
        self.worksheets: list = []
        self.worksheets.append(RecordingSheet(self, "Sheet"))

    @property
    def sheetnames(self) -> list:
        return [ws.title for ws in self.worksheets]

    @property
    def active(self):
        return self.worksheets[0]

    def create_sheet(self, title: str):
        sheet = RecordingSheet(self, title)
        self.worksheets.append(sheet)
        return sheet

    def record_names(self, targets: dict) -> None:
        """The workbook's defined names as text (no openpyxl DefinedName to build)."""
        self.defined_names.update(targets)

    def release(self) -> None:
        """Let go of what was recorded once its model is made.  Sheets and cells point back at
        their workbook: without this, every recording is a cycle of some 9,000 objects that
        only the garbage collector frees (a batch holds the collector off while it audits)."""
        for sheet in self.worksheets:
            sheet._cells.clear()
            object.__setattr__(sheet, "settings", None)
        self.worksheets.clear()


def default_style(wb) -> tuple:
    """What an unstyled cell shows: (font, fill, alignment, protection), the font the
    workbook's Normal font at the time (`style.default_font` replaces it at the end)."""
    return wb._fonts[0], DEFAULT_EMPTY_FILL, _DEFAULT_ALIGNMENT, _DEFAULT_PROTECTION
