"""The Excel formulas of the SAR Card: DOMAIN §6 written once, for every spreadsheet.

Only functions that Excel, LibreOffice and the `formulas` package evaluate alike are used
(IF, AND, OR, ISNUMBER, CHOOSE, SUM, ROUND).  The arithmetic is in the same order as
`xlkpi.engine`, so all of them agree before rounding; ROUND then works on the
15-significant-digit form in each of them.  The audit compares a workbook's formulas with
these (normalised), so a tampered formula is found whatever the protection says.
"""
from __future__ import annotations

from functools import lru_cache

from ..model import GROUP, MILESTONE, WEIGHTED
from .layout import BELOW_LEVEL_1_CELL, MET, Col, Row

BELOW = "$" + BELOW_LEVEL_1_CELL[0] + "$" + BELOW_LEVEL_1_CELL[1:]


@lru_cache(maxsize=4096)  # a row's formulas: the same in every workbook with that row
def level_reached(r: int) -> str:
    """Highest level whose defined threshold the result reaches (0 = short of level 1).

    A row with formulas is due in its round (DOMAIN §6.5a), so a blank result is a missing
    one: level 0, scored at the floor like a result short of level 1.
    """
    k, p = f"{Col.RESULT}{r}", f"{Col.SIGN}{r}"
    expr = "0"
    for level, column in enumerate(Col.CRITERIA, start=1):
        t = f"{column}{r}"
        expr = f"IF(AND(ISNUMBER({t}),{k}*{p}>={t}*{p}),{level},{expr})"
    return f"=IF(ISNUMBER({k}),{expr},0)"


@lru_cache(maxsize=4096)
def next_level(r: int) -> str:
    """The first level above the one reached that has a threshold (level 5 always has)."""
    level = f"{Col.LEVEL}{r}"
    expr = "5"
    for n in (4, 3, 2):
        expr = f"IF(AND({level}<{n},ISNUMBER({Col.CRITERIA[n - 1]}{r})),{n},{expr})"
    return f"=IF({level}=\"\",\"\",{expr})"


@lru_cache(maxsize=4096)
def threshold_score(r: int) -> str:
    """DOMAIN §6.1: L + (N − L) × (R − T_L) / (T_N − T_L), rounded; 5 at the top."""
    k, lv, nx, q = (f"{c}{r}" for c in (Col.RESULT, Col.LEVEL, Col.NEXT_LEVEL, Col.INTERPOLATE))
    thresholds = ",".join(f"{c}{r}" for c in Col.CRITERIA)
    t_low, t_high = f"CHOOSE({lv},{thresholds})", f"CHOOSE({nx},{thresholds})"
    return (f"=IF({lv}=\"\",\"\",IF({lv}=0,{BELOW},IF(OR({lv}=5,{q}=0),{lv},"
            f"ROUND({lv}+({nx}-{lv})*({k}-{t_low})/({t_high}-{t_low}),4))))")


@lru_cache(maxsize=4096)
def milestones_reached(r: int) -> str:
    """DOMAIN §6.2: the highest L such that milestones 1..L are all met (none ticked: 0,
    a due result missing, scored at the floor — DOMAIN §6.5a)."""
    cells = [f"{c}{r}" for c in Col.CRITERIA]
    expr = "5"
    for level in (4, 3, 2, 1, 0):
        expr = f"IF({cells[level]}<>\"{MET}\",{level},{expr})"
    return f"={expr}"


@lru_cache(maxsize=4096)
def milestone_score(r: int) -> str:
    k = f"{Col.RESULT}{r}"
    return f"=IF({k}=\"\",\"\",IF({k}=0,{BELOW},{k}))"


def weighted_mean(rows: list, r_kind: str) -> str:
    """Σ(w × s) / Σw over the rows that have a score (helpers T and U), rounded."""
    products = ",".join(f"{Col.PRODUCT}{x}" for x in rows)
    weights = ",".join(f"{Col.SCORED_WEIGHT}{x}" for x in rows)
    return f"=IF(SUM({weights})=0,\"\",ROUND(SUM({products})/SUM({weights}),4))"


@lru_cache(maxsize=4096)
def leaf_weighted(r: int) -> str:
    """DOMAIN §6.6: weight% × score / 100, rounded."""
    return f"=IF(ISNUMBER({Col.SCORE}{r}),ROUND({Col.WEIGHT}{r}*{Col.SCORE}{r}/100,4),\"\")"


def group_weighted(rows: list) -> str:
    """DOMAIN §6.4: a parent's weighted score is the sum of its children's."""
    cells = ",".join(f"{Col.WEIGHTED}{x}" for x in rows)
    return f"=IF(SUM({','.join(f'{Col.SCORED_WEIGHT}{x}' for x in rows)})=0,\"\",ROUND(SUM({cells}),4))"


@lru_cache(maxsize=4096)
def product(r: int) -> str:
    return f"=IF(ISNUMBER({Col.SCORE}{r}),{Col.WEIGHT}{r}*{Col.SCORE}{r},\"\")"


@lru_cache(maxsize=4096)
def scored_weight(r: int) -> str:
    return f"=IF(ISNUMBER({Col.SCORE}{r}),{Col.WEIGHT}{r},\"\")"


MAX_ARGUMENTS = 255  # Excel's (and LibreOffice's) limit on a function's arguments


def total(rows: list) -> str:
    cells = [f"{Col.WEIGHTED}{x}" for x in rows]
    if len(cells) > MAX_ARGUMENTS:
        # more leaves than SUM takes (LibreOffice showed #N/A): a SUM of SUMs of 255 each
        cells = [f"SUM({','.join(cells[n:n + MAX_ARGUMENTS])})" for n in range(0, len(cells), MAX_ARGUMENTS)]
    return f"=ROUND(SUM({','.join(cells)}),4)" if rows else "=0"


def row_formulas(row: Row, round_: int) -> dict:
    """Column -> formula for every computed cell of a row in a round's sheet; none for a row
    not due in the round (DOMAIN §6.5a), which its group, composite and totals leave out."""
    ind = row.indicator
    r = row.row
    if not row.applicable or not row.due(round_):
        return {}
    helpers = {Col.PRODUCT: product(r), Col.SCORED_WEIGHT: scored_weight(r)}
    if ind.granted and not row.is_part:
        return {Col.SCORE: "=5", Col.WEIGHTED: leaf_weighted(r), **helpers}
    if row.is_part:
        return {Col.LEVEL: level_reached(r), Col.NEXT_LEVEL: next_level(r),
                Col.SCORE: threshold_score(r), **helpers}
    if ind.kind == GROUP:
        return {Col.SCORE: weighted_mean(row.children_rows, "group"),
                Col.WEIGHTED: group_weighted(row.children_rows), **helpers}
    if ind.kind == MILESTONE:
        return {Col.RESULT: milestones_reached(r), Col.SCORE: milestone_score(r),
                Col.WEIGHTED: leaf_weighted(r), **helpers}
    formulas = {Col.LEVEL: level_reached(r), Col.NEXT_LEVEL: next_level(r),
                Col.SCORE: threshold_score(r), Col.WEIGHTED: leaf_weighted(r), **helpers}
    if ind.kind == WEIGHTED:
        formulas[Col.RESULT] = weighted_mean(row.part_rows, "parts")
    return formulas


def normalise(formula) -> str:
    """A formula in a form two spreadsheets' spellings of it compare equal in."""
    text = str(formula or "").strip()
    text = text.replace("_xlfn.", "").replace("$", "").replace(" ", "")
    return text.upper()
