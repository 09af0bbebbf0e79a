"""Coordinates for the server-rendered SVG charts; templates only draw what is computed here."""

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .variation import plain_number

WIDTH = 640
HEIGHT = 300
LEFT = 64
RIGHT = 24
TOP = 24
BOTTOM = 48
BAR_HEIGHT = 28
BAR_GAP = 12
BAR_LEFT = 200


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value: str


@dataclass(frozen=True)
class Line:
    y: float
    label: str


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    label: str
    value: str
    text_x: float


def nice_ceiling(value: Decimal) -> Decimal:
    """A round axis maximum at or above `value`: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for step in (1, 2, Decimal("2.5"), 5, 10):
        candidate = Decimal(step).scaleb(exponent)
        if candidate >= value:
            return candidate
    return Decimal(10).scaleb(exponent)


def axis(levels: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """The bottom, top and tick step of a value axis that includes 0 and every level."""
    low = min([Decimal(0), *levels])
    high = max([Decimal(0), *levels])
    if low == 0:
        top = nice_ceiling(high)
        return Decimal(0), top, top / 4
    step = nice_ceiling((high - low) / 4)
    bottom = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    top = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    return bottom, top, step


def _scale(value: Decimal, bottom: Decimal, top: Decimal) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return round(TOP + plot - float((value - bottom) / (top - bottom)) * plot, 1)


def trend_chart(series: list[tuple[str, Decimal]], baseline: Decimal | None,
                target: Decimal | None) -> dict:
    """A line of the whole-area values by period, with the baseline and target as lines."""
    values = [value for _, value in series]
    bottom, top, tick = axis(values + [v for v in (baseline, target) if v is not None])
    plot_width = WIDTH - LEFT - RIGHT
    step = plot_width / max(len(series) - 1, 1)
    points = [Point(x=round(LEFT + (index * step if len(series) > 1 else plot_width / 2), 1),
                    y=_scale(value, bottom, top), label=label, value=plain_number(value))
              for index, (label, value) in enumerate(series)]
    levels = [bottom + tick * i for i in range(int((top - bottom) / tick) + 1)]
    ticks = [Line(y=_scale(level, bottom, top), label=plain_number(level)) for level in levels]
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM, "label_y": HEIGHT - BOTTOM + 20,
        "points": points,
        "polyline": " ".join(f"{point.x},{point.y}" for point in points),
        "baseline": Line(_scale(baseline, bottom, top), plain_number(baseline))
        if baseline is not None else None,
        "target": Line(_scale(target, bottom, top), plain_number(target))
        if target is not None else None,
        "ticks": ticks,
        # Label every period on short series, every other one on long series.
        "label_every": 1 if len(series) <= 10 else 2,
    }


def bar_chart(rows: list[tuple[str, Decimal | None]]) -> dict:
    """Horizontal bars, one per area; an area with no value gets no bar and says so."""
    present = [value for _, value in rows if value is not None]
    top = nice_ceiling(max(present) if present else Decimal(1))
    plot_width = WIDTH - BAR_LEFT - 80
    bars = []
    for index, (label, value) in enumerate(rows):
        # Bars grow from zero; a negative value draws no bar and its figure stays beside it.
        width = (round(float(max(value, 0) / top) * plot_width, 1)
                 if value is not None else 0.0)
        bars.append(Bar(y=TOP + index * (BAR_HEIGHT + BAR_GAP), width=width, label=label,
                        value=plain_number(value) if value is not None else "no value",
                        text_x=round(BAR_LEFT + width + 8, 1)))
    height = TOP + len(rows) * (BAR_HEIGHT + BAR_GAP) + 8
    return {"width": WIDTH, "height": height, "left": BAR_LEFT, "bars": bars,
            "bar_height": BAR_HEIGHT, "label_x": BAR_LEFT - 8,
            "text_dy": BAR_HEIGHT / 2 + 5}
