"""The one small-number rule for everything families read: a count from 1 to 4 is shown as
"fewer than 5", and a percentage of fewer than 5 people is not shown at all, so no child or
family can be picked out of a published figure."""

from decimal import Decimal

SMALLEST_SHOWN = 5
FEWER_THAN_5 = "fewer than 5"
PERCENTAGE_NOT_SHOWN = "Not shown: fewer than 5 people answered"


def is_small(count: int | Decimal | None) -> bool:
    return count is not None and 0 < count < SMALLEST_SHOWN


def public_count(count: int | Decimal | None) -> str | None:
    """'fewer than 5' for 1 to 4, the number otherwise ('0', '2,471'); None for no count."""
    if count is None:
        return None
    if is_small(count):
        return FEWER_THAN_5
    return f"{int(count):,}" if Decimal(count) == int(count) else format(
        Decimal(count).normalize(), "f")


def percentage_is_shown(base: int | None) -> bool:
    """A percentage is shown unless it is of fewer than 5 people. With no base given it is
    shown, as the plan published it."""
    return base is None or base >= SMALLEST_SHOWN
