"""Excel's ROUND, the one rounding every part of xlkpi uses.

Excel rounds half away from zero, and it does so on the value's 15-significant-digit
decimal form, not on the binary double: ROUND(2.675, 2) is 2.68 although the double
nearest 2.675 is 2.67499999999999982236431605997495353221893310546875.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DECIMALS = 4  # every score, weighted score and total is kept to 4 decimals (DOMAIN §6)


def excel_round(value: float, digits: int = DECIMALS) -> float:
    """ROUND(value, digits) as Excel computes it."""
    if value == 0 or value != value or value in (float("inf"), float("-inf")):
        return value + 0.0  # -0.0 is shown as 0, like every other zero
    digits = int(digits)  # Excel truncates a fractional num_digits toward zero
    # '%.15g' is the 15-significant-digit form Excel shows and rounds; ROUND_HALF_UP in
    # decimal rounds half away from zero for negative numbers too.
    shown = Decimal("%.15g" % value)
    if shown.as_tuple().exponent >= -digits:
        # Nothing to round (e.g. ROUND(1E+20, 10)); quantize would need more than the
        # decimal context's 28 digits and raise InvalidOperation.
        return float(shown) + 0.0
    rounded = shown.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return float(rounded) + 0.0  # + 0.0 turns -0.0 into 0.0, as Excel shows it
