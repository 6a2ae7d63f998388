"""How long a ribbon click takes: `import xlkpi` plus `xlkpi.excel.main()` in a fresh process.

`measure_click()` generates a SAR Card of 40 leaf indicators, turns it into the payload an
xlwings client sends, and times (CPU, `time.process_time()`) a new Python process that imports
xlkpi and runs Score & Audit on that book through xlwings' remote engine — what a click costs
apart from Excel's own COM calls.  `make bench` (xlkpi/bench.py) calls it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BUDGET_SECONDS = 0.5

CHILD = r"""
import json, sys, time
t0 = time.process_time()
import xlkpi
t_import = time.process_time() - t0
import xlkpi.excel as excel
xw = excel._xlwings()
payload = json.load(open(sys.argv[1], encoding="utf-8"))
t1 = time.process_time()
book = xw.Book(json=payload)
result = excel.main(book)
t_main = time.process_time() - t1
heavy = [m for m in ("pandas", "numpy", "openpyxl", "formulas") if m in sys.modules]
print(json.dumps({"import_seconds": t_import, "main_seconds": t_main,
                  "cpu_seconds": time.process_time() - t0, "heavy_modules": heavy,
                  "findings": len(result.findings), "actions": len(book.json()["actions"])}))
"""


def click_payload(leaves: int = 40, seed: int = 2552) -> dict:
    """The xlwings client payload of a generated SAR Card with `leaves` leaf indicators.

    The values are the engine's (what Excel would have cached after calculating).
    """
    import random

    import xlwings as xw

    from .audit.reader import read_workbook_data
    from .sample import random_agreement
    from .verify import expected_values
    from .workbook.sar import write_sar

    agreement = random_agreement(random.Random(seed), leaves, rounds=(6, 9, 12))
    with tempfile.TemporaryDirectory() as folder:
        data, _ = read_workbook_data(write_sar(agreement, Path(folder) / "bench.xlsx"))
    for name, value in expected_values(agreement).items():  # stored values = the engine's
        if name in data.names and value is not None:
            data.values[data.names[name]] = value
    sheets = []
    for sheet in data.sheetnames:
        cells = {}
        for (s, cell), value in data.values.items():
            if s == sheet:
                letters = "".join(c for c in cell if c.isalpha())
                column = 0
                for ch in letters:
                    column = column * 26 + ord(ch) - 64
                cells[(int(cell[len(letters):]), column)] = value
        rows = max((r for r, _ in cells), default=0)
        cols = max((c for _, c in cells), default=0)
        values = [["" for _ in range(cols)] for _ in range(rows)] or [[]]
        for (r, c), value in cells.items():
            values[r - 1][c - 1] = value
        sheets.append({"name": sheet, "values": values, "pictures": [], "tables": []})
    names = [{"name": n, "sheet_index": data.sheetnames.index(s), "address": c, "scope_sheet_name": None,
              "scope_sheet_index": None, "book_scope": True} for n, (s, c) in sorted(data.names.items())]
    return {"client": "Microsoft Office Scripts", "version": xw.__version__,
            "book": {"name": "bench.xlsx", "active_sheet_index": 0, "selection": "A1"},
            "names": names, "sheets": sheets}


def measure_click(leaves: int = 40, repeat: int = 3, python: str = sys.executable) -> dict:
    """CPU seconds of `import xlkpi` + `main(book)` in a fresh process (the best of `repeat`).

    Returns {"cpu_seconds", "import_seconds", "main_seconds", "budget_seconds", "within_budget",
    "heavy_modules", "findings", "actions", "leaves"}.
    """
    payload = click_payload(leaves)
    env = dict(os.environ)
    env.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "payload.json"
        path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        runs = []
        for _ in range(max(1, repeat)):
            out = subprocess.run([python, "-c", CHILD, str(path)], capture_output=True, text=True, env=env,
                                 check=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["cpu_seconds"])
    return {**best, "budget_seconds": BUDGET_SECONDS, "within_budget": best["cpu_seconds"] <= BUDGET_SECONDS,
            "leaves": leaves}


if __name__ == "__main__":
    print(json.dumps(measure_click(), indent=2))
