"""A test double of desktop Excel as xlwings shows it (App, Book, Sheet, Range), for the tests and
the click benchmark (which runs where there is no Excel).

It enforces what Excel enforces, so code that would fail in Excel fails here:
- a protected sheet refuses values in locked cells, clearing locked cells, formats, renames;
- a workbook with a protected structure refuses new and renamed sheets;
- Unprotect with a wrong password fails (checked against the file's password hash);
- cells read as COM gives them through xlwings: numbers as float, empty and error values
  (#DIV/0!, #N/A…) as None, a block as a list of rows; `.formula` the formula or constant as text.
Every write into a workbook opened from a file is logged in `book.writes`, refused or not.

A book is a plain snapshot (`snapshot.snapshot_of(path)`, through openpyxl; JSON-able), so the
double itself loads nothing heavy.  `snapshot.to_openpyxl(book)` turns a book (e.g. the report)
into a file.
"""
from __future__ import annotations

import re

from .snapshot import COM_ERRORS, _col, _com, _letters, snapshot_of, to_openpyxl  # noqa: F401


class ComError(Exception):
    """What pywin32 raises when Excel refuses a call (pywintypes.com_error)."""


def _cell(address: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", address)
    if not m:
        raise ValueError(address)
    return int(m.group(2)), _col(m.group(1))


# --- the object model ------------------------------------------------------------------------

class _Obj:
    def __init__(self, **attrs):
        self.__dict__.update(attrs)


class App:
    def __init__(self, hwnd: int = 4242):
        self.hwnd = hwnd
        self.books = Books(self)
        self.alerts: list = []
        self.status_history: list = []
        self._status = False
        self.engine = _Obj(name="excel", type="desktop")

    @property
    def status_bar(self):
        return self._status

    @status_bar.setter
    def status_bar(self, value):
        self._status = value
        self.status_history.append(value)

    def alert(self, prompt, title=None, buttons=None, mode=None, callback=None):
        self.alerts.append({"prompt": prompt, "title": title, "mode": mode})
        return "ok"

    def calculate(self):
        for book in self.books:
            book.log("calculate")

    def open(self, snapshot: dict) -> "Book":
        book = Book(self, snapshot)
        self.books.append(book)
        return book


class Books(list):
    def __init__(self, app):
        super().__init__()
        self.app = app

    def add(self) -> "Book":
        book = Book(self.app, {"name": f"Book{len(self) + 1}", "fullname": "", "sheets": [
            {"name": "Sheet1", "state": "visible", "protected": False, "cells": []}]})
        self.append(book)
        return book

    @property
    def active(self):
        return self[-1] if self else None


class Book:
    def __init__(self, app, snapshot: dict):
        self.app = app
        self.name, self.fullname = snapshot["name"], snapshot.get("fullname", "")
        self.structure_locked = snapshot.get("structure_locked", False)
        self.structure_hash = snapshot.get("structure_hash", "")
        self._names = dict(snapshot.get("names", {}))
        self.writes: list = []
        self._sheets = [Sheet(self, s) for s in snapshot["sheets"]]
        self.sheets = Sheets(self)
        self.api = _BookApi(self)

    @property
    def names(self):
        return [_Obj(name=n, refers_to=t) for n, t in self._names.items()]

    def log(self, what: str) -> None:
        if self.fullname:  # a workbook opened from a file: any write is recorded
            self.writes.append(what)

    def activate(self):
        pass


def _check(password_hash: str, password) -> bool:
    from openpyxl.utils.protection import hash_password

    return not password_hash or hash_password(password or "").upper() == password_hash.upper()


class _BookApi:
    def __init__(self, book):
        self._book = book

    @property
    def ProtectStructure(self):
        return self._book.structure_locked

    def Unprotect(self, password=""):
        self._book.log("Unprotect structure")
        if self._book.structure_locked:
            if not _check(self._book.structure_hash, password):
                raise ComError("The password you supplied is not correct.")
            self._book.structure_locked = False


class Sheets:
    def __init__(self, book):
        self.book = book

    def __iter__(self):
        return iter(list(self.book._sheets))

    def __len__(self):
        return len(self.book._sheets)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self.book._sheets[key]
        for sheet in self.book._sheets:
            if sheet.name.lower() == str(key).lower():
                return sheet
        raise KeyError(key)

    def add(self, name=None, before=None, after=None):
        self.book.log(f"add sheet {name}")
        if self.book.structure_locked:
            raise ComError("Workbook is protected and cannot be changed.")
        sheet = Sheet(self.book, {"name": name or f"Sheet{len(self) + 1}", "state": "visible", "cells": []})
        self.book._sheets.append(sheet)
        return sheet


class Sheet:
    def __init__(self, book, snap: dict):
        self.book = book
        self._name = snap["name"]
        self.state = snap.get("state", "visible")
        self.protected = snap.get("protected", False)
        self.password_hash = snap.get("password_hash", "")
        self.format_protected = snap.get("format_protected", True)
        self.cells = {}
        for r, c, value, formula, locked in snap.get("cells", []):
            self.cells[(r, c)] = {"value": value, "formula": formula, "locked": locked}
        self.widths: dict = {}
        self.api = _SheetApi(self)

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        self.book.log(f"rename sheet {self._name}")
        if self.book.structure_locked:
            raise ComError("Workbook is protected and cannot be changed.")
        self._name = value

    @property
    def used_range(self):
        filled = [k for k, v in self.cells.items() if v.get("value") is not None or v.get("formula")]
        if not filled:
            return Range(self, 1, 1, 1, 1)
        rows, cols = [r for r, _ in filled], [c for _, c in filled]
        return Range(self, min(rows), min(cols), max(rows), max(cols))

    def range(self, address: str):
        address = address.replace("$", "")
        first, _, last = address.partition(":")
        if re.fullmatch(r"[A-Z]+", first):  # a whole column, "A:A"
            return Range(self, 1, _col(first), 1, _col(first))
        r1, c1 = _cell(first)
        r2, c2 = _cell(last) if last else (r1, c1)
        return Range(self, r1, c1, r2, c2)

    __getitem__ = range

    def activate(self):
        pass

    def locked(self, r: int, c: int) -> bool:
        return self.cells.get((r, c), {}).get("locked", True)


class _SheetApi:
    def __init__(self, sheet):
        self._sheet = sheet
        self.PageSetup = _Obj()  # what the code sets is kept (to_openpyxl prints with it)

    @property
    def ProtectContents(self):
        return self._sheet.protected

    @property
    def Visible(self):
        return {"visible": -1, "hidden": 0, "veryHidden": 2}[self._sheet.state]

    def Unprotect(self, password=""):
        self._sheet.book.log(f"Unprotect {self._sheet.name}")
        if self._sheet.protected:
            if not _check(self._sheet.password_hash, password):
                raise ComError("The password you supplied is not correct.")
            self._sheet.protected = False


class _Options:
    def __init__(self, rng):
        self._rng = rng

    @property
    def value(self):
        return self._rng._values()


class _Font:
    def __init__(self, rng):
        self.__dict__["_rng"] = rng

    def __setattr__(self, key, value):
        if key not in ("name", "size", "bold"):
            raise AttributeError(key)
        self._rng._format("font")
        for cell in self._rng._cells(create=True):
            cell.setdefault("font", {})[key] = value


class Range:
    def __init__(self, sheet, r1, c1, r2, c2):
        self.sheet, self.r1, self.c1, self.r2, self.c2 = sheet, r1, c1, r2, c2

    row = property(lambda self: self.r1)
    column = property(lambda self: self.c1)

    def _keys(self):
        return [(r, c) for r in range(self.r1, self.r2 + 1) for c in range(self.c1, self.c2 + 1)]

    def _cells(self, create=False):
        cells = self.sheet.cells
        if create:
            return [cells.setdefault(k, {"value": None, "formula": None, "locked": True}) for k in self._keys()]
        return [cells[k] for k in self._keys() if k in cells]

    def _values(self):
        cells = self.sheet.cells
        return [[cells.get((r, c), {}).get("value") for c in range(self.c1, self.c2 + 1)]
                for r in range(self.r1, self.r2 + 1)]

    def options(self, **_):
        return _Options(self)

    @property
    def value(self):
        values = self._values()
        if self.r1 == self.r2 and self.c1 == self.c2:
            return values[0][0]
        return values[0] if self.r1 == self.r2 else values

    @value.setter
    def value(self, value):
        rows = value if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)) else [[value]]
        self.sheet.book.log(f"value {self.sheet.name}!{_letters(self.c1)}{self.r1}")
        for i, row in enumerate(rows):
            for j, _v in enumerate(row):
                self._refuse_locked(self.r1 + i, self.c1 + j)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                cell = self.sheet.cells.setdefault((self.r1 + i, self.c1 + j), {"locked": True})
                if isinstance(v, str) and v.startswith("'"):
                    cell.update(formula=None, value=v[1:])  # Excel: a leading ' makes it text
                elif isinstance(v, str) and v.startswith(("=", "+", "-", "@")) and len(v) > 1:
                    cell.update(formula=v, value=None)  # Excel takes it as a formula
                else:
                    cell.update(formula=None, value=_com(v))

    @property
    def formula(self):
        cells = self.sheet.cells
        rows = []
        for r in range(self.r1, self.r2 + 1):
            row = []
            for c in range(self.c1, self.c2 + 1):
                cell = cells.get((r, c), {})
                v = cell.get("value")
                row.append(cell.get("formula") or ("" if v is None else str(v)))
            rows.append(tuple(row))
        return rows[0][0] if (self.r1, self.c1) == (self.r2, self.c2) else tuple(rows)

    def clear_contents(self):
        self.sheet.book.log(f"clear {self.sheet.name}")
        for (r, c) in self._keys():
            if (r, c) in self.sheet.cells:
                self._refuse_locked(r, c)
        for cell in self._cells():
            cell.update(value=None, formula=None)

    def _refuse_locked(self, r, c):
        if self.sheet.protected and self.sheet.locked(r, c):
            raise ComError("The cell or chart you're trying to change is on a protected sheet.")

    def _format(self, what):
        self.sheet.book.log(f"format {what} {self.sheet.name}")
        if self.sheet.protected and self.sheet.format_protected:
            raise ComError(f"Unable to set the {what} property of the Range class (protected sheet).")

    @property
    def color(self):
        cells = self._cells()
        return cells[0].get("color") if cells else None

    @color.setter
    def color(self, value):
        self._format("color")
        for cell in self._cells(create=True):
            cell["color"] = value

    @property
    def font(self):
        return _Font(self)

    @property
    def wrap_text(self):
        return None

    @wrap_text.setter
    def wrap_text(self, value):
        self._format("wrap_text")
        for cell in self._cells(create=True):
            cell["wrap"] = bool(value)

    @property
    def column_width(self):
        return self.sheet.widths.get(self.c1)

    @column_width.setter
    def column_width(self, value):
        self._format("column_width")
        self.sheet.widths[self.c1] = value
