"""The checks that the agreement loader, the framework check and the audit share, each
implemented once (STYLE "one home per concept").  Pure functions over numbers; each caller turns
a failed check into its own finding, located in its own terms (a field path, a framework rule,
a workbook cell).

- threshold ends and order (DOMAIN §6.1): levels 1 and 5 given, the given levels strictly
  increasing (direction up) or decreasing (down), evenly stepped or not;
- weight sums (DOMAIN §6.3, §6.4): top-level and leaf weights to 100, a group's children to the
  group's weight, a weighted indicator's parts to ΣWi = 1 — all with one tolerance.
"""
from __future__ import annotations

from typing import Optional, Sequence

from .glossary import Direction

#: The one tolerance for every weight sum: weights are typed by people (33.33 + 33.33 + 33.34,
#: 0.1 + 0.2 = 0.3) and summed in floating point.
WEIGHT_TOLERANCE = 1e-6

LEVELS = 5


def sums_to(values: Sequence[float], expected: float) -> bool:
    """Σ values equals `expected` within WEIGHT_TOLERANCE."""
    return abs(sum(values) - expected) <= WEIGHT_TOLERANCE


def thresholds_have_ends(thresholds: Sequence[Optional[float]]) -> bool:
    """Five levels, with levels 1 and 5 given (the others may be blank)."""
    return len(thresholds) == LEVELS and thresholds[0] is not None and thresholds[-1] is not None


def _defined(thresholds: Sequence[Optional[float]]) -> list:
    return [(level, t) for level, t in enumerate(thresholds, start=1) if t is not None]


def _steps(thresholds: Sequence[Optional[float]]) -> list:
    """The change per level between consecutive given levels."""
    defined = _defined(thresholds)
    return [(b - a) / (lb - la) for (la, a), (lb, b) in zip(defined, defined[1:])]


def threshold_direction(thresholds: Sequence[Optional[float]]) -> Optional[str]:
    """"up" when the given levels strictly increase, "down" when they strictly decrease, None
    when they do neither (fewer than two given levels count as neither)."""
    steps = _steps(thresholds)
    if steps and all(s > 0 for s in steps):
        return Direction.UP.value
    if steps and all(s < 0 for s in steps):
        return Direction.DOWN.value
    return None


def thresholds_in_order(thresholds: Sequence[Optional[float]], direction: str) -> bool:
    """The given levels go strictly the way `direction` says."""
    return threshold_direction(thresholds) == direction


def steps_are_even(thresholds: Sequence[Optional[float]]) -> bool:
    """The same change per level everywhere (relative tolerance 1e-9)."""
    sizes = [abs(s) for s in _steps(thresholds)]
    return not sizes or max(sizes) - min(sizes) <= 1e-9 * max(sizes)
