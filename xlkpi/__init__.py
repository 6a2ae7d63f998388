"""xlkpi: the Thai government performance-agreement cycle (คำรับรองการปฏิบัติราชการ) in Excel.

Importing xlkpi is kept light (a ribbon click starts a Python process): pandas, openpyxl,
xlwings and `formulas` are imported only by the modules that use them.
"""
__version__ = "0.1.0"


def main(book=None):
    """What the Excel ribbon's Score & Audit button runs: `xlkpi.main('<workbook name as hex>')`
    (see xlkpi.excel.click)."""
    from .excel.click import main as _main

    return _main(book)
