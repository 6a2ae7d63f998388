"""xlwings at the edge: loading it lightly, finding the clicked workbook, reading a book.

`read_book` turns an open workbook into the audit's `WorkbookData` through the object model
(values as Excel returns them; formulas and protection where the engine has them) and writes
nothing.  `clicked_book` finds the workbook the ribbon button was clicked on: its name comes
from the add-in's VBA as UTF-16 hex (`xlkpi.main('<hex>')`), or, from a plain xlwings
RunPython, from `--wb=`; the Excel instance from `--hwnd=` (Windows).
"""
from __future__ import annotations

import sys
from typing import Optional

from ..workbook.layout import column_letter


class ClickError(Exception):
    """A reason the click cannot go on, said in Thai and English (shown in a message box)."""

    def __init__(self, th: str, en: str):
        super().__init__(en)
        self.th, self.en = th, en


def xlwings():
    """xlwings, without letting it import pandas and numpy on a ribbon click.

    xlwings imports pandas and numpy when they are installed (about 0.5 s of CPU) only to
    register converters the button never uses.  In a fresh process (the click), both are
    hidden while xlwings loads; a process that already has xlwings or pandas is left alone.
    """
    if "xlwings" in sys.modules or "pandas" in sys.modules or "numpy" in sys.modules:
        import xlwings

        return xlwings
    sys.modules["pandas"] = None  # `import pandas` raises ImportError: xlwings skips it
    sys.modules["numpy"] = None
    try:
        import xlwings
    finally:
        del sys.modules["pandas"], sys.modules["numpy"]
    return xlwings


_xlwings = xlwings  # the name used before the package split


def is_remote(book) -> bool:
    """True for xlwings' remote engine (xw.Book(json=...)): no COM, actions replayed by a client."""
    try:
        return book.app.engine.name == "remote"
    except Exception:
        return False


def is_book(value) -> bool:
    return hasattr(value, "sheets") and hasattr(value, "app")


# --- which workbook was clicked ------------------------------------------------------------

def _arg(argv, key: str) -> Optional[str]:
    for arg in argv:
        if isinstance(arg, str) and arg.startswith(f"--{key}="):
            return arg.split("=", 1)[1].strip().strip('"')
    return None


def clicked_name(book_hex: Optional[str], argv) -> str:
    """The clicked workbook's name: the VBA's hex argument, else RunPython's --wb=."""
    from ..addin import from_hex_text

    if book_hex:
        try:
            name = from_hex_text(book_hex)
        except (ValueError, UnicodeDecodeError):
            raise ClickError("ชื่อสมุดงานที่ได้รับจาก Excel อ่านไม่ได้", f"the workbook name Excel sent is unreadable: {book_hex[:40]!r}")
    else:
        name = _arg(argv, "wb") or ""
    if not name or any(ord(c) < 32 for c in name) or len(name) > 255:
        raise ClickError("ไม่มีสมุดงานที่จะตรวจ: เปิดสมุดงานแล้วกดปุ่มอีกครั้ง",
                         "no workbook to audit: open the workbook and click the button again")
    return name


def desktop_app(argv):
    """The Excel that ran the button: by --hwnd on Windows, the running Excel on macOS."""
    if sys.platform.startswith("win"):
        hwnd = _arg(argv, "hwnd")
        if not hwnd or not hwnd.isdigit():
            raise ClickError("Excel ไม่ได้ส่งหมายเลขหน้าต่าง (--hwnd)", "Excel sent no window number (--hwnd)")
        xw = xlwings()
        import xlwings._xlwindows as xlwin

        return xw.App(impl=xlwin.App(xl=int(hwnd)))
    if sys.platform == "darwin":
        return xlwings().apps.active
    raise ClickError("ปุ่มนี้ใช้ได้กับ Excel บน Windows และ macOS", "the button works with Excel on Windows and macOS")


def find_book(app, name: str):
    """The open workbook called `name` in `app` (names compared as Excel does, ignoring case)."""
    for book in app.books:
        if book.name.lower() == name.lower():
            return book
    raise ClickError(f"ไม่พบสมุดงาน '{name}' ที่เปิดอยู่ใน Excel", f"the workbook '{name}' is not open in this Excel")


# --- reading a book ----------------------------------------------------------------------

_column_letter = column_letter  # the name used before the split


def _block(rng):
    value = rng.options(ndim=2).value
    return value or []


def read_book(book, exclude=()):
    """The book as the audit's `WorkbookData` (values; formulas and protection when live).

    Only reads: no recalculation, no selection, no write, so the workbook stays as it was sent.
    """
    from ..audit.reader import WorkbookData, _parse_name_target

    remote = is_remote(book)
    data = WorkbookData(book.name, [], {}, None if remote else {},
                        protected=None if remote else {}, structure_locked=None)
    for sheet in book.sheets:
        name = sheet.name
        if name in exclude:
            continue
        data.sheetnames.append(name)
        rng = sheet.used_range
        top, left = rng.row, rng.column
        last = 0
        for r, row in enumerate(_block(rng), start=top):
            for c, value in enumerate(row, start=left):
                if value is None or value == "":
                    continue
                if isinstance(value, float) and value.is_integer() and not remote:
                    value = int(value)  # COM gives every number as a float
                data.values[(name, f"{column_letter(c)}{r}")] = value
                last = r
        data.max_row[name] = last
        if not remote:
            try:  # live Excel: formulas and protection are there to read
                formulas = rng.formula
                formulas = formulas if isinstance(formulas, (list, tuple)) else ((formulas,),)
                for r, row in enumerate(formulas, start=top):
                    for c, text in enumerate(row, start=left):
                        if isinstance(text, str) and text.startswith("="):
                            data.formulas[(name, f"{column_letter(c)}{r}")] = text
            except Exception:
                data.formulas = None
            try:
                data.protected[name] = bool(sheet.api.ProtectContents)
                data.hidden[name] = {-1: "visible", 0: "hidden", 2: "veryHidden"}.get(sheet.api.Visible, "visible")
            except Exception:
                data.protected = None
    if not remote:
        try:
            data.structure_locked = bool(book.api.ProtectStructure)
        except Exception:
            data.structure_locked = None
    for item in book.names:
        try:
            target = _parse_name_target(str(item.refers_to).lstrip("="))
        except Exception:
            continue
        if target:
            data.names[item.name] = target
    return data
