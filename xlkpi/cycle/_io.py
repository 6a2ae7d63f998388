"""Saving what the cycle writes: a temp file beside the target, then renamed into place."""
from __future__ import annotations

from pathlib import Path


def save_workbook(wb, path) -> Path:
    from ..workbook.sar import save_workbook as save

    return save(wb, path)


def save_yaml(data, path) -> Path:
    import yaml

    from ..agreement import write_atomic

    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    write_atomic(path, text.encode("utf-8"))
    return Path(path)


def heading_row(ws, row: int, heads, widths=None) -> None:
    """Bold column headings on the pale-blue fill, Thai first with English beside."""
    from ..workbook.style import HEADER_FILL, fill, font, put_text, thin_border, wrap

    for col, head in enumerate(heads, start=1):
        cell = ws.cell(row=row, column=col)
        put_text(cell, head)
        cell.font = font(bold=True)
        cell.fill = fill(HEADER_FILL)
        cell.border = thin_border()
        cell.alignment = wrap("center", "center")
    if widths:
        from openpyxl.utils import get_column_letter

        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
