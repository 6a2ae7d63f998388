"""`xlkpi addin install` / `uninstall`: the add-in for this user, no administrator rights.

Install builds `xlkpi.xlam` with this Python recorded in its VBA (INTERPRETER_WIN: pythonw.exe
beside sys.executable on Windows, so no console window; INTERPRETER_MAC elsewhere), writes the
same into the user's settings file `%USERPROFILE%\\.xlwings\\xlwings.conf` with
ADD_WORKBOOK_TO_PYTHONPATH "false" (in the ANSI code page, which is what VBA's `Input #`
reads), copies the add-in into the user's XLSTART folder and keeps a receipt (what was
written, the xlwings and xlkpi versions, the values it replaced) beside the settings file.
Uninstall removes the add-in and puts the settings it changed back, using that receipt.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

SETTINGS_KEYS = ("INTERPRETER_WIN", "INTERPRETER_MAC", "ADD_WORKBOOK_TO_PYTHONPATH")
RECEIPT = "xlkpi-addin.json"


class InstallError(Exception):
    def __init__(self, th: str, en: str):
        super().__init__(en)
        self.th, self.en = th, en


def interpreter(executable: str = sys.executable, windows: Optional[bool] = None) -> str:
    """The Python the add-in should start: pythonw.exe beside python.exe on Windows."""
    windows = os.name == "nt" if windows is None else windows
    path = os.path.abspath(executable)
    if windows:
        candidate = os.path.join(os.path.dirname(path), "pythonw.exe")
        if os.path.exists(candidate):
            return candidate
    return path


def default_xlstart() -> Optional[Path]:
    """The user's Excel startup folder (no administrator rights needed to write there)."""
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "Microsoft" / "Excel" / "XLSTART"
    if sys.platform == "darwin":
        return Path.home() / "Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel"
    return None


def settings_file() -> Path:
    """The user's xlwings settings file, where the add-in's VBA looks (Environ USERPROFILE / HOME)."""
    if os.name == "nt":
        return Path(os.environ.get("USERPROFILE") or Path.home()) / ".xlwings" / "xlwings.conf"
    if sys.platform == "darwin":  # Excel's sandbox home, which VBA's Environ("HOME") gives
        return Path.home() / "Library/Containers/com.microsoft.Excel/Data/.xlwings/xlwings.conf"
    return Path.home() / ".xlwings" / "xlwings.conf"


def settings_encoding() -> str:
    """VBA's `Open … For Input` reads the system's ANSI code page on Windows."""
    return "mbcs" if os.name == "nt" else "utf-8"


def read_settings(path: Path, encoding: Optional[str] = None) -> list:
    """[(KEY, value)] of a file of "KEY","value" lines (VBA Write # format), in order."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding=encoding or settings_encoding(), errors="replace").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith('"') and '","' in line and line.endswith('"'):
            key, value = line[1:-1].split('","', 1)
        else:
            key, _, value = line.partition(",")
            key, value = key.strip('"'), value.strip().strip('"')
        out.append((key, value))
    return out


def write_settings(path: Path, items: list, encoding: Optional[str] = None) -> None:
    """Write "KEY","value" lines with CRLF, through a temporary file renamed into place."""
    encoding = encoding or settings_encoding()
    text = "".join(f'"{k}","{v}"\r\n' for k, v in items)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(text.encode(encoding))
    partial.replace(path)


def _update(items: list, changes: dict) -> list:
    seen, out = set(), []
    for key, value in items:
        upper = key.upper()
        if upper in changes:
            if changes[upper] is not None and upper not in seen:
                out.append((upper, changes[upper]))
            seen.add(upper)
        else:
            out.append((key, value))
    out += [(k, v) for k, v in changes.items() if v is not None and k not in seen]
    return out


def install(xlstart: Optional[Path] = None, executable: str = sys.executable, settings: Optional[Path] = None) -> dict:
    """Build and install the add-in for this user; returns the receipt."""
    from importlib.metadata import version

    from . import __version__
    from .addin import build_addin

    xlstart = Path(xlstart) if xlstart else default_xlstart()
    if xlstart is None:
        raise InstallError("ไม่รู้จักโฟลเดอร์ XLSTART ของระบบนี้: ระบุด้วย --xlstart",
                           "no Excel startup folder on this system: give one with --xlstart")
    settings = Path(settings) if settings else settings_file()
    python = interpreter(executable)
    mac = sys.platform == "darwin"
    changes = {"INTERPRETER_MAC" if mac else "INTERPRETER_WIN": python, "ADD_WORKBOOK_TO_PYTHONPATH": "false"}
    encoding = settings_encoding()
    try:
        python.encode(encoding)
    except UnicodeEncodeError:  # the add-in holds it (as hex); the file cannot
        changes.pop("INTERPRETER_MAC" if mac else "INTERPRETER_WIN")
    before = dict((k.upper(), v) for k, v in read_settings(settings, encoding))
    try:
        xlstart.mkdir(parents=True, exist_ok=True)
        addin = build_addin(xlstart, interpreter_win="" if mac else python, interpreter_mac=python if mac else "")
    except PermissionError as problem:
        raise InstallError(f"เขียน {xlstart} ไม่ได้: ปิด Excel แล้วลองใหม่",
                           f"cannot write into {xlstart} ({problem.strerror}): quit Excel and try again")
    write_settings(settings, _update(read_settings(settings, encoding), changes), encoding)
    receipt = {"addin": str(addin), "interpreter": python, "settings_file": str(settings),
               "settings_written": changes, "settings_before": {k: before.get(k) for k in changes},
               "xlwings_version": version("xlwings"), "xlkpi_version": __version__}
    (settings.parent / RECEIPT).write_text(json.dumps(receipt, ensure_ascii=False, indent=2), encoding="utf-8")
    return receipt


def uninstall(xlstart: Optional[Path] = None, settings: Optional[Path] = None) -> list:
    """Remove the add-in and give back the settings install changed; returns what was removed."""
    from .addin import ADDIN_FILENAME

    settings = Path(settings) if settings else settings_file()
    receipt_path = settings.parent / RECEIPT
    receipt = json.loads(receipt_path.read_text(encoding="utf-8")) if receipt_path.exists() else {}
    targets = []
    if xlstart or default_xlstart():
        targets.append(Path(xlstart or default_xlstart()) / ADDIN_FILENAME)
    if receipt.get("addin"):
        targets.append(Path(receipt["addin"]))
    removed = []
    for path in dict.fromkeys(targets):
        if path.exists():
            try:
                path.unlink()
            except PermissionError as problem:
                raise InstallError(f"ลบ {path} ไม่ได้: ปิด Excel แล้วลองใหม่",
                                   f"cannot remove {path} ({problem.strerror}): quit Excel and try again")
            removed.append(str(path))
    if receipt:
        encoding = settings_encoding()
        items = read_settings(settings, encoding)
        now = dict((k.upper(), v) for k, v in items)
        # only what still holds the value install wrote goes back (a later edit is the user's)
        changes = {k: receipt["settings_before"].get(k) for k, v in receipt["settings_written"].items()
                   if now.get(k) == v}
        if changes:
            write_settings(settings, _update(items, changes), encoding)
            removed.append(str(settings))
        receipt_path.unlink()
    return removed
