"""Saving what the cycle writes: a temp file beside the target, then renamed into place."""
from __future__ import annotations

from pathlib import Path


def save_workbook(wb, path) -> Path:
    from ..workbook.measure import fit_workbook
    from ..workbook.sar import save_workbook as save

    fit_workbook(wb)  # every row as tall as its text needs, by the font's metrics
    return save(wb, path)


def save_yaml(data, path) -> Path:
    import yaml

    from ..agreement import write_atomic

    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    write_atomic(path, text.encode("utf-8"))
    return Path(path)


def load_record(path, from_dict, code: str):
    """A YAML record (change or review request) through `from_dict(data, source)`;
    a file that cannot be read is a finding with `code`, never an exception."""
    import yaml

    from ..findings import error

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except Exception as exc:
        return None, [error(code, f"อ่านคำขอไม่ได้: {exc}", f"cannot read the request: {exc}", file=str(path))]
    return from_dict(data, str(path))


def load_records(folder, subfolder: str, load, department=None):
    """Every record in <folder>/<subfolder>/*.yaml (of one department when given), by number."""
    records, findings = [], []
    for path in sorted((Path(folder) / subfolder).glob("*.yaml")):
        record, more = load(path)
        findings += more
        if record and (department is None or record.department == department):
            records.append(record)
    records.sort(key=lambda r: (r.department, r.number))
    return records, findings


def save_record(record, path=None) -> Path:
    """Save a record's to_dict() as YAML (at its own path by default) and remember where."""
    path = Path(path or record.path)
    save_yaml(record.to_dict(), path)
    record.path = path
    return path


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
