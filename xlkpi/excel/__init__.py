"""Excel's edge: the ribbon's Score & Audit button and filling results in (xlwings, openpyxl).

* `click` — what the button runs (`xlkpi.main()`): find the clicked workbook, read it without
  changing it (`book.read_book`), audit it, open a report workbook beside it (`report`).
* `filling` — type results from a table into a SAR Card's input cells (`fill`, `fill_file`).
* `replay` — apply xlwings remote-engine actions to a file as Excel would, refusals included.

Importing this package loads none of xlwings, pandas, openpyxl or formulas.
"""
from __future__ import annotations

from .book import ClickError, clicked_name, column_letter, find_book, is_remote, read_book, xlwings
from .book import _column_letter, _xlwings  # noqa: F401  (names used before the split)
from .click import main, score_and_audit
from .filling import FillRefused, Write, fill, fill_file, parse_milestones, plan_fill, read_table, records_from
from .replay import ExcelRefused, apply_actions
from .report import AUDIT_SHEET, REPORT_SHEET, TITLE, report_rows, summary, write_report_book

__all__ = [
    "AUDIT_SHEET", "REPORT_SHEET", "TITLE", "ClickError", "ExcelRefused", "FillRefused", "Write",
    "apply_actions", "clicked_name", "column_letter", "fill", "fill_file", "find_book", "is_remote",
    "main", "parse_milestones", "plan_fill", "read_book", "read_table", "records_from", "report_rows",
    "score_and_audit", "summary", "write_report_book", "xlwings",
]
