"""How much a measure varies between areas: the spread (highest minus lowest) and the
ratio (highest / lowest), and the same said in words."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

BREAKDOWN_NAMES = {"ccg": "CCG areas", "quadrant": "quadrants"}


@dataclass(frozen=True)
class AreaValue:
    name: str
    value: Decimal


@dataclass(frozen=True)
class Spread:
    highest: AreaValue
    lowest: AreaValue
    # Areas of the breakdown with no value for the period.
    missing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def difference(self) -> Decimal:
        return self.highest.value - self.lowest.value

    @property
    def ratio(self) -> Decimal | None:
        """Highest / lowest; undefined (None) when the lowest value is 0 or below."""
        if self.lowest.value <= 0:
            return None
        return self.highest.value / self.lowest.value


def spread_of(values: dict[str, Decimal | None]) -> Spread | None:
    """The spread of the areas' values (names in breakdown order); None with fewer than two."""
    present = [AreaValue(name, value) for name, value in values.items() if value is not None]
    if len(present) < 2:
        return None
    highest = max(present, key=lambda item: item.value)
    lowest = min(present, key=lambda item: item.value)
    missing = tuple(name for name, value in values.items() if value is None)
    return Spread(highest=highest, lowest=lowest, missing=missing)


def plain_number(value: Decimal, places: int = 1) -> str:
    """A figure as people write it: 9 rather than 9.0000, 12.5 rather than 12.50."""
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def with_unit(value: Decimal, unit: str, places: int = 1) -> str:
    if unit in ("%", "percent"):
        return f"{plain_number(value, places)}%"
    return f"{plain_number(value, places)} {unit}".rstrip()


def ratio_text(ratio: Decimal | None) -> str:
    return "undefined" if ratio is None else f"{plain_number(ratio)}x"


def spread_sentence(subject: str, spread: Spread | None, unit: str, breakdown: str) -> str:
    """e.g. 'Waiting time varies 3.1x between CCG areas (North East Essex 9 weeks,
    West Essex 28 weeks).'"""
    areas = BREAKDOWN_NAMES.get(breakdown, breakdown)
    if spread is None:
        return f"Fewer than two {areas} have a value, so there is no variation to state."
    low, high = spread.lowest, spread.highest
    pair = f"{low.name} {with_unit(low.value, unit)}, {high.name} {with_unit(high.value, unit)}"
    if spread.difference == 0:
        sentence = (f"{subject} is the same in every area with a value "
                    f"({with_unit(low.value, unit)}).")
    elif spread.ratio is None:
        sentence = (f"{subject} ranges from {with_unit(low.value, unit)} in {low.name} to "
                    f"{with_unit(high.value, unit)} in {high.name} between {areas}, a difference "
                    f"of {with_unit(spread.difference, unit)}; the ratio of highest to lowest "
                    f"cannot be given because the lowest value is "
                    f"{with_unit(low.value, unit)}.")
    else:
        sentence = (f"{subject} varies {ratio_text(spread.ratio)} between {areas} ({pair}), "
                    f"a difference of {with_unit(spread.difference, unit)}.")
    if spread.missing:
        sentence += f" No value for {', '.join(spread.missing)}."
    return sentence


def trend_of_spread(first: Spread | None, latest: Spread | None) -> str:
    """Whether variation between areas has narrowed, judged on highest minus lowest."""
    if first is None or latest is None:
        return "not enough readings"
    if latest.difference < first.difference:
        return "narrowing"
    if latest.difference > first.difference:
        return "widening"
    return "unchanged"
