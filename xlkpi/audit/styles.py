"""Cell formats by effect, and strings: what the audit compares of `styles.xml` (canonical
tuples: number format code, font, fill, alignment, protection) and `sharedStrings.xml`."""
from __future__ import annotations


def _bool(value, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "on")


def _float(value, default=None):
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


DEFAULT_INDEXED = {"8": "000000", "9": "FFFFFF", "64": "000000", "65": "FFFFFF"}
THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
               "hlink", "folHlink")  # a colour's theme index -> its slot in the theme's colour scheme
DRAWING_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def theme_colours(root) -> dict:
    """Theme index -> RGB from a theme part (`a:clrScheme`); {} without one."""
    if root is None:
        return {}
    scheme = next(root.iter(DRAWING_NS + "clrScheme"), None)
    if scheme is None:
        scheme = next((e for e in root.iter() if e.tag.endswith("}clrScheme")), None)
    if scheme is None:
        return {}
    slots = {}
    for slot in scheme:
        name = slot.tag.rsplit("}", 1)[-1]
        for colour in slot:
            value = colour.get("val") if colour.tag.endswith("srgbClr") else colour.get("lastClr")
            if value:
                slots[name] = value.upper()[-6:]
    return {str(n): slots[name] for n, name in enumerate(THEME_ORDER) if name in slots}


def _color(element, palette: dict = None) -> str:
    """A colour by effect, as RGB: automatic and the text colour are black; theme and indexed
    colours are resolved through the workbook's own theme and palette (which can be edited)."""
    if element is None:
        return "000000"
    rgb = element.get("rgb")
    if rgb:
        return rgb.upper()[-6:]
    if element.get("auto") in ("1", "true"):
        return "000000"
    palette = palette or {}
    theme = element.get("theme")
    if theme is not None:
        tint = element.get("tint")
        base = palette.get("theme", {}).get(theme) or {"1": "000000", "0": "FFFFFF"}.get(theme, f"theme{theme}")
        return base if not tint or float(tint) == 0 else f"{base}~{float(tint):.3f}"
    indexed = element.get("indexed")
    if indexed is not None:
        return palette.get("indexed", {}).get(indexed) or DEFAULT_INDEXED.get(indexed, f"indexed{indexed}")
    return "000000"


BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
                   11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
                   17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
                   22: "m/d/yy h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
                   40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@"}


class _Ns:
    """Tag names of one dialect (no namespace: openpyxl's elements before they are written)."""

    def __init__(self, main: str):
        self.m = "{%s}" % main if main else ""

    def __call__(self, tag: str) -> str:
        return self.m + tag


def _styles(root, ns, theme: dict = None) -> list:
    """cellXfs as canonical tuples: (number format, font, fill, alignment, protection)."""
    if root is None:
        return [("General", None, ("none",), ("general", "bottom", False, 0, 0, False), (True, False))]
    formats = dict(BUILTIN_FORMATS)
    palette = {"theme": theme or {}, "indexed": {}}
    colors = root.find(ns("colors"))
    indexed = colors.find(ns("indexedColors")) if colors is not None else None
    for n, entry in enumerate(indexed if indexed is not None else ()):
        if entry.get("rgb"):
            palette["indexed"][str(n)] = entry.get("rgb").upper()[-6:]
    numfmts = root.find(ns("numFmts"))
    for nf in (numfmts if numfmts is not None else ()):
        formats[int(nf.get("numFmtId", "0"))] = nf.get("formatCode", "")
    fonts = []
    fonts_el = root.find(ns("fonts"))
    for font in (fonts_el if fonts_el is not None else ()):
        def flag(tag):
            el = font.find(ns(tag))
            return el is not None and _bool(el.get("val"), True)
        name = font.find(ns("name"))
        size = font.find(ns("sz"))
        underline = font.find(ns("u"))
        vert = font.find(ns("vertAlign"))
        fonts.append((name.get("val") if name is not None else None,
                      _float(size.get("val")) if size is not None else None,
                      flag("b"), flag("i"), flag("strike"),
                      None if underline is None or underline.get("val") == "none" else underline.get("val", "single"),
                      _color(font.find(ns("color")), palette),
                      None if vert is None or vert.get("val") == "baseline" else vert.get("val")))
    fills = []
    fills_el = root.find(ns("fills"))
    for fill in (fills_el if fills_el is not None else ()):
        pattern = fill.find(ns("patternFill"))
        if pattern is None:
            fills.append(("gradient",) if fill.find(ns("gradientFill")) is not None else ("none",))
            continue
        kind = pattern.get("patternType", "none" if pattern.find(ns("fgColor")) is None else "solid")
        if kind == "none":
            fills.append(("none",))
        elif kind == "solid":
            fills.append(("solid", _color(pattern.find(ns("fgColor")), palette)))
        else:
            fills.append((kind, _color(pattern.find(ns("fgColor")), palette), _color(pattern.find(ns("bgColor")), palette)))
    out = []
    xfs = root.find(ns("cellXfs"))
    for xf in (xfs if xfs is not None else ()):
        code = formats.get(int(xf.get("numFmtId", "0")), f"#{xf.get('numFmtId')}")
        if code.lower() == "general":
            code = "General"
        font_id, fill_id = int(xf.get("fontId", "0")), int(xf.get("fillId", "0"))
        align = xf.find(ns("alignment"))
        a = align if align is not None else {}
        alignment = ((a.get("horizontal") or "general"), (a.get("vertical") or "bottom"),
                     _bool(a.get("wrapText"), False), int(_float(a.get("indent"), 0)),
                     int(_float(a.get("textRotation"), 0)), _bool(a.get("shrinkToFit"), False))
        prot = xf.find(ns("protection"))
        protection = (_bool(prot.get("locked"), True), _bool(prot.get("hidden"), False)) if prot is not None \
            else (True, False)
        out.append((code, fonts[font_id] if font_id < len(fonts) else None,
                    fills[fill_id] if fill_id < len(fills) else ("none",), alignment, protection))
    return out or [("General", fonts[0] if fonts else None, ("none",), ("general", "bottom", False, 0, 0, False),
                    (True, False))]


def _shared_strings(root, ns) -> list:
    if root is None:
        return []
    si_tag, t_tag, r_tag = ns("si"), ns("t"), ns("r")
    out = []
    for si in root.iter(si_tag):
        parts = []
        for child in si:  # direct <t> and the runs' <t>; phonetic runs (rPh) are not shown
            if child.tag == t_tag:
                parts.append(child.text or "")
            elif child.tag == r_tag:
                parts.extend(t.text or "" for t in child.iter(t_tag))
        out.append("".join(parts))
    return out


