"""Numbers as people write them: digits 0-9, an optional sign, commas only between groups of
three and one decimal point. "1,,0", "12,34", full-width "１２" and "1e5" are refused rather
than read as something the person may not have meant."""

import re
from decimal import Decimal

WRITTEN = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+", re.ASCII)
# Said after the field's or cell's name: "value must be written ...".
HOW_TO_WRITE = ("must be written as a number, in the digits 0 to 9, such as 1234 or 1,234.5 "
                "(commas only between thousands)")


def written_number(text: str) -> Decimal:
    """The number `text` states, or ValueError(HOW_TO_WRITE)."""
    text = text.strip()
    if not WRITTEN.fullmatch(text):
        raise ValueError(HOW_TO_WRITE)
    return Decimal(text.replace(",", ""))
