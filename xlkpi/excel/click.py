"""The ribbon's Score & Audit button: what `xlkpi.main()` does when the add-in runs it.

The add-in's VBA starts `python -B -c "import xlkpi;xlkpi.main('<hex name>')" --from_xl=1
--app=... --hwnd=<Excel's window>`.  `main` finds that workbook in that Excel, reads it (no
write, no recalculation), audits it, opens a new report workbook beside it and says the result
in a message box.  Whatever goes wrong — no workbook, not an xlkpi workbook, Excel not
reachable, anything unexpected — ends in a Thai/English message box, never a traceback; the
traceback of an unexpected error goes to `%TEMP%/xlkpi-click.log` for whoever supports the
secretary.  The status bar says what it is doing.
"""
from __future__ import annotations

import os
import sys
import tempfile
from typing import Optional

from .book import ClickError, clicked_name, find_book, is_book, is_remote, read_book
from .report import TITLE, summary, write_report_book

LOG_NAME = "xlkpi-click.log"
#: How the process finds its Excel: replaced by tests and the benchmark with a test double.
connect = None


def _status(app, th: str, en: str) -> None:
    try:
        app.status_bar = f"xlkpi: {th} — {en}"
    except Exception:
        pass


def _clear_status(app) -> None:
    try:
        app.status_bar = False
    except Exception:
        pass


def score_and_audit(book, signed=None, round_: Optional[int] = None, alert: bool = True):
    """Read, audit and report on an open workbook; returns the AuditResult.

    The workbook is only read.  In desktop Excel the report is a new workbook; xlwings'
    remote engine has one workbook only, so there the summary message is the report.
    """
    from ..audit import audit_data

    app = book.app
    _status(app, "กำลังอ่านสมุดงาน", "reading the workbook")
    data = read_book(book)
    _status(app, "กำลังตรวจ", "auditing")
    result = audit_data(data, signed, round_)
    if result.kind is None:
        raise ClickError(f"'{book.name}' ไม่ใช่สมุดงานที่ xlkpi สร้าง (ไม่มีสำเนาคำรับรองที่ซ่อนไว้) จึงตรวจไม่ได้",
                         f"'{book.name}' is not a workbook xlkpi generated (no hidden agreement copy); nothing to audit")
    if not is_remote(book):
        _status(app, "กำลังเขียนรายงานในสมุดงานใหม่", "writing the report into a new workbook")
        write_report_book(app, book, data, result)
    _clear_status(app)
    if alert:
        text = summary(result)
        if not is_remote(book):
            text += "\nรายงานอยู่ในสมุดงานใหม่ที่เปิดขึ้น — the report is in the new workbook."
        app.alert(text, title=TITLE, mode="critical" if result.errors else "info")
    return result


def main(book=None, argv=None):
    """What the button runs.  `book`: the workbook name as UTF-16 hex (from the add-in's VBA),
    an xlwings Book, or None (then RunPython's `--wb=` names it).  Returns the AuditResult,
    or None when the click ended in an error message."""
    argv = sys.argv if argv is None else argv
    app = None
    try:
        if is_book(book):
            target = book
            app = book.app
        else:
            app = (connect or _desktop_app)(argv)
            _status(app, "กำลังหาสมุดงาน", "finding the workbook")
            target = find_book(app, clicked_name(book, argv))
        return score_and_audit(target)
    except ClickError as problem:
        _tell(app, problem.th, problem.en)
    except Exception as problem:  # anything unexpected: a message, and the details in a log file
        log = _log_traceback()
        _tell(app, f"เกิดข้อผิดพลาดที่ไม่คาดคิด ({type(problem).__name__}) รายละเอียดอยู่ที่ {log}",
              f"Unexpected error ({type(problem).__name__}: {problem}); details in {log}")
    finally:
        if app is not None:
            _clear_status(app)
    return None


def _desktop_app(argv):
    from .book import desktop_app

    return desktop_app(argv)


def _log_traceback() -> str:
    import traceback

    path = os.path.join(tempfile.gettempdir(), LOG_NAME)
    try:
        with open(path, "a", encoding="utf-8") as f:
            traceback.print_exc(file=f)
    except OSError:
        return "(no log)"
    return path


def _tell(app, th: str, en: str) -> None:
    """A message box in Excel; without an Excel to ask, the system's (Windows) or stderr."""
    text = f"{th}\n\n{en}"
    if app is not None:
        try:
            app.alert(text, title=TITLE, mode="critical")
            return
        except Exception:
            pass
    if sys.platform.startswith("win"):
        try:
            import ctypes

            ctypes.windll.user32.MessageBoxW(0, text, TITLE, 0x30 | 0x40000)  # warning, topmost
            return
        except Exception:
            pass
    if sys.stderr is not None:  # pythonw.exe has none
        print(text, file=sys.stderr)
