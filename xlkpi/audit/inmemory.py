"""The canonical model of a workbook the generator has built but not written (openpyxl objects).

`book_from_openpyxl(wb)` gives the `ooxml.Book` that `ooxml.read_book` would give for the
saved file, without writing and re-reading it: the cells straight from openpyxl's cells (as
its writer would write them), every other part of a sheet from the same elements openpyxl's
writer sends (`to_tree()`), read by the same code as a file's (`sheet_xml._parse_setting`).
A test holds the two paths equal for the SAR Card and the KPI Template.
"""
from __future__ import annotations

from .ooxml import Book, Cell, Sheet, canonical_reference, column_letters
from .sheet_xml import _finish_sheet, _hyperlink, _parse_setting
from .styles import BUILTIN_FORMATS, _bool, _color, _float, _Ns

_BARE = _Ns("")


class _Colour:
    """An openpyxl Color seen through the reader's `_color` (which reads XML attributes)."""

    def __init__(self, color):
        self.attrs = {}
        if color is not None:
            kind = getattr(color, "type", None)
            value = getattr(color, kind, None) if kind else None
            if kind == "rgb" and isinstance(value, str):
                self.attrs["rgb"] = value
            elif kind == "theme":
                self.attrs["theme"] = str(value)
                if color.tint:
                    self.attrs["tint"] = str(color.tint)
            elif kind == "indexed":
                self.attrs["indexed"] = str(value)
            elif kind == "auto" and value:
                self.attrs["auto"] = "1"

    def get(self, key, default=None):
        return self.attrs.get(key, default)


_PALETTES: dict = {}


def _palette(wb) -> dict:
    """The theme colours of the theme openpyxl writes (its own default unless one was loaded)."""
    theme = wb.loaded_theme
    if theme not in _PALETTES:
        if len(_PALETTES) > 8:
            _PALETTES.clear()
        _PALETTES[theme] = _read_palette(theme)
    return _PALETTES[theme]


def _read_palette(loaded_theme) -> dict:
    from xml.etree import ElementTree as ET

    from openpyxl.writer.theme import theme_xml

    from .styles import theme_colours

    return {"theme": theme_colours(ET.fromstring(loaded_theme or theme_xml)), "indexed": {}}


def _style(wb, array, palette: dict) -> tuple:
    numfmt_id = array.numFmtId
    code = BUILTIN_FORMATS.get(numfmt_id) if numfmt_id < 164 else wb._number_formats[numfmt_id - 164]
    code = code if code is not None else f"#{numfmt_id}"
    return canonical_style(code, wb._fonts[array.fontId], wb._fills[array.fillId], wb._alignments[array.alignmentId],
                           wb._protections[array.protectionId], palette)


def canonical_style(code: str, font, fill, a, p, palette: dict) -> tuple:
    """A style by effect, from openpyxl's style objects (the reader's tuple for the same XML)."""
    if code.lower() == "general":
        code = "General"
    underline = font.u
    font_key = (font.name, float(font.sz) if font.sz is not None else None, bool(font.b), bool(font.i),
                bool(font.strike), None if underline in (None, "none") else underline,
                _color(_Colour(font.color) if font.color is not None else None, palette),
                None if font.vertAlign in (None, "baseline") else font.vertAlign)
    kind = getattr(fill, "patternType", None)
    if kind is None and getattr(fill, "fgColor", None) is not None and getattr(fill, "tagname", "") == "patternFill":
        kind = "none"
    if getattr(fill, "tagname", "") == "gradientFill":
        fill_key = ("gradient",)
    elif kind in (None, "none"):
        fill_key = ("none",)
    elif kind == "solid":
        fill_key = ("solid", _color(_Colour(fill.fgColor), palette))
    else:
        fill_key = (kind, _color(_Colour(fill.fgColor), palette), _color(_Colour(fill.bgColor), palette))
    alignment = (a.horizontal or "general", a.vertical or "bottom", bool(a.wrap_text), int(a.indent or 0),
                 int(a.text_rotation or 0), bool(a.shrink_to_fit))
    protection = (True if p.locked is None else bool(p.locked), bool(p.hidden))
    return (code, font_key, fill_key, alignment, protection)


def book_from_openpyxl(wb) -> Book:
    """The canonical model of an openpyxl Workbook (styles through its style tables)."""
    styles: list = []
    index: dict = {}
    palette = _palette(wb)

    def style_of(array) -> int:
        key = tuple(array) if array is not None else (0,) * 9
        if array is None:
            array = wb._cell_styles[0]
        found = index.get(key)
        if found is None:
            found = index[key] = len(styles)
            styles.append(_style(wb, array, palette))
        return found

    style_of(wb._cell_styles[0])
    return _book(wb, styles, style_of, lambda dimension: dict(dimension))


def book_from_recording(wb) -> Book:
    """The canonical model of a `recording.RecordingWorkbook` (styles as the objects assigned)."""
    from .recording import UNSTYLED, default_style

    styles: list = []
    index: dict = {}
    by_tuple: dict = {}  # id of a cell's style tuple -> index (cells share the tuples they copy)
    palette = _palette(wb)
    defaults = default_style(wb)

    def style_of(parts) -> int:
        found = by_tuple.get(id(parts))
        if found is not None:
            return found
        font, fill, _border, alignment, protection, code = parts[:6]
        key = (id(font), id(fill), id(alignment), id(protection), code)  # the cells hold the objects
        found = index.get(key)
        if found is None:
            found = index[key] = len(styles)
            styles.append(canonical_style(code, font or defaults[0], fill or defaults[1], alignment or defaults[2],
                                          protection or defaults[3], palette))
        by_tuple[id(parts)] = found
        return found

    style_of(UNSTYLED)  # index 0: what a cell without a style shows
    return _book(wb, styles, style_of, _recorded_row)


def _recorded_row(dimension) -> dict:
    attrs = {}
    if dimension.height is not None:
        attrs["ht"] = dimension.height
    if dimension.hidden:
        attrs["hidden"] = "1"
    return attrs


def _book(wb, styles: list, style_of, row_attrs) -> Book:
    security = wb.security
    locked = security is not None and (security.lockStructure is None or bool(security.lockStructure))
    book = Book([], styles, {}, locked, [])
    columns: dict = {}
    done: dict = {}  # id of a cell several sheets share (a recording's copied rows) -> its model
    for sheet_index, ws in enumerate(wb.worksheets):
        sheet = Sheet(ws.title, ws.sheet_state)
        book.sheets.append(sheet)
        cells = sheet.cells
        last_row = last_col = 0
        for (r, c), cell in ws._cells.items():
            link = cell.hyperlink
            model = done.get(id(cell))
            if model is None:
                model = _cell_model(cell, style_of)
                if model is None:
                    continue
                if link is None:
                    done[id(cell)] = model
            letters = columns.get(c)
            if letters is None:
                letters = columns[c] = column_letters(c)
            ref = f"{letters}{r}"
            cells[ref] = model
            if c > last_col:
                last_col = c
            if r > last_row and (model.value is not None or model.formula is not None):
                last_row = r
            if link is not None:
                sheet.hyperlinks[ref] = _hyperlink(link.target or "", link.location)
        for r, dimension in ws.row_dimensions.items():
            attrs = row_attrs(dimension)
            height, hidden = _float(attrs.get("ht")), _bool(attrs.get("hidden"), False)
            if height is not None or hidden:
                sheet.rows[r] = (height, hidden)
        _settings(ws, sheet)
        _finish_sheet(sheet, last_row, last_col)
        for name, defined in getattr(ws, "defined_names", {}).items():
            book.names[(name.lower(), sheet_index)] = canonical_reference(defined.attr_text or "")
        if ws.print_titles:
            book.names[("_xlnm.print_titles", sheet_index)] = canonical_reference(ws.print_titles)
        if ws.print_area:
            book.names[("_xlnm.print_area", sheet_index)] = canonical_reference(ws.print_area)
    for name, defined in wb.defined_names.items():
        text = defined if isinstance(defined, str) else defined.attr_text
        book.names[(name.lower(), None)] = canonical_reference(text or "")
    return book


def _cell_model(cell, style_of):
    """A written cell as the reader reads it from the saved file; None for one not saved."""
    value = cell._value
    if value is None and not cell.has_style and cell._comment is None:
        return None
    kind, formula = cell.data_type, None
    if kind == "f":
        formula, value = str(value)[1:], None
    elif kind == "n" and value is not None:
        value = float(value)
    elif kind == "b":
        value = bool(value)
    elif kind == "e":
        value = ("#ERR", str(value))
    if value == "":
        value = None
    return Cell(value, formula, style_of(cell._style), "str" if kind == "f" else kind)


def _settings(ws, sheet: Sheet) -> None:
    """A sheet's settings other than its cells, from the elements openpyxl's writer sends."""
    parts = [ws.sheet_properties, ws.sheet_format, ws.views, ws.column_dimensions,
             ws.protection if ws.protection else None,
             ws.data_validations if ws.data_validations.dataValidation else None,
             ws.print_options, ws.page_margins, ws.page_setup, ws.HeaderFooter]
    for part in parts:
        element = part.to_tree() if part is not None else None
        if element is not None:
            _parse_setting(sheet, element, element.tag, _BARE, {})
    if ws.merged_cells.ranges:
        sheet.merges = frozenset(str(rng) for rng in ws.merged_cells.ranges)
    for formatting in ws.conditional_formatting:
        rules = tuple((rule.type, rule.operator, str(rule.dxfId) if rule.dxfId is not None else None, rule.text,
                       tuple(_formula(f) for f in rule.formula)) for rule in formatting.rules)
        sheet.conditional = sheet.conditional | {(str(formatting.sqref), rules)}
    if getattr(ws, "_images", None) or getattr(ws, "_charts", None):
        sheet.objects.append("drawing")


def _formula(text) -> str:
    from .sheet_xml import _formula_text

    class _Text:
        def __init__(self, value):
            self.text = value

    return _formula_text(_Text(str(text)))
