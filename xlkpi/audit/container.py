"""The package as a container: what must not be in a workbook, found before anything is parsed.

Duplicate entries (also differing only in case), entries outside the package, VBA projects and
macro sheets (also in a file named .xlsx), external links and data connections, embedded
objects, and XML declaring a DTD or entities — each an error finding; nothing is run.
"""
from __future__ import annotations

import re
import zipfile

from ..findings import Finding, error

_ENTITY = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
_MACRO_TYPES = ("vbaproject", "macrosheet", "intlmacrosheet", "dialogsheet", "macroenabled", "vbadata")
_EXTERNAL_TYPES = ("externallink", "connections", "querytable", "externallinkpath")
_EMBED_TYPES = ("oleobject", "package", "control", "activex", "embeddings", "activexcontrolbinary")


def _decoded(data: bytes) -> bytes:
    """The part as UTF-8 bytes whatever its declared encoding (UTF-16 hides nothing)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace").encode("utf-8")
    if data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return data.decode("utf-16-le" if data[0] == 0x3C else "utf-16-be", "replace").encode("utf-8")
    return data


def declares_entities(data: bytes) -> bool:
    data = _decoded(data)
    return b"<!" in data and _ENTITY.search(data) is not None  # the pattern needs "<!": a cheap pre-test


def _bad(code, th, en, part=""):
    return error(code, th, en, cell=part or None)


def container_findings(archive: zipfile.ZipFile, content_types: bytes) -> list[Finding]:
    """Findings about the package itself (each an error); never raises."""
    out = []
    names = [i.filename for i in archive.infolist()]
    seen = {}
    for name in names:
        key = name.lower()
        if key in seen:
            out.append(_bad("WB-ZIP-DUPLICATE", f"มีส่วนประกอบชื่อซ้ำกันในไฟล์: {name}",
                            f"the package holds two entries named {name}", name))
        seen[key] = name
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or "\\" in name or re.match(r"^[A-Za-z]:", name):
            out.append(_bad("WB-ZIP-PATH", f"ส่วนประกอบชี้ออกนอกแพ็กเกจ: {name}",
                            f"an entry points outside the package: {name}", name))
    lowered = content_types.lower()
    for name in names:
        low = name.lower()
        if low.endswith("vbaproject.bin") or low.endswith("vbadata.xml") or "/macrosheets/" in low or "/dialogsheets/" in low:
            out.append(_bad("WB-MACROS", f"มีมาโคร (VBA หรือ macro sheet): {name}",
                            f"the package holds macros (VBA or a macro sheet): {name}", name))
        elif low.startswith("xl/externallinks/") or low.endswith("connections.xml") or "/querytables/" in low:
            out.append(_bad("WB-EXTERNAL-LINK", f"มีการเชื่อมโยงข้อมูลภายนอก: {name}",
                            f"the package links to external data: {name}", name))
        elif "/embeddings/" in low or "/activex/" in low or "/ctrlprops/" in low or "/richdata/" in low:
            out.append(_bad("WB-EMBEDDED-OBJECT", f"มีวัตถุฝังตัว: {name}", f"the package embeds an object: {name}", name))
    if any(t.encode() in lowered for t in ("vbaproject", "macrosheet", "macroenabled", "dialogsheet")) and \
            not any(f.code == "WB-MACROS" for f in out):
        out.append(_bad("WB-MACROS", "ชนิดเนื้อหาระบุว่ามีมาโคร", "the content types declare macros", "[Content_Types].xml"))
    return out


