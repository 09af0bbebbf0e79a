"""Coordinates for the server-rendered SVG charts; templates only draw what is computed here.
Charts are drawn at their natural size with text at FONT_PX (see govuk/charts.py), so each
is laid out for the width of its labels and widens rather than crowding them."""

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from govuk.charts import FONT_PX, text_width

from .variation import plain_number

WIDTH = 640
HEIGHT = 300
LEFT = 64
RIGHT = 24
TOP = 24
BOTTOM = 48
BAR_HEIGHT = 32
BAR_GAP = 12
BAR_LEFT = 200
BAR_PLOT = 320
# A line's label sits this far above it, or (its baseline) this far below it.
ABOVE = -6
BELOW = FONT_PX + 2


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


def _line_label_offsets(ys: list[float]) -> list[float]:
    """Where the labels of the baseline and target lines go (dy from each line): the upper
    line's above it and the lower line's below it, so close lines do not write over each
    other; a label that would leave the plot goes to the other side of its line."""
    plot_bottom = HEIGHT - BOTTOM
    upper = ys.index(min(ys)) if ys else None
    offsets = []
    for index, y in enumerate(ys):
        offset = ABOVE if index == upper else BELOW
        if offset == ABOVE and y + ABOVE - FONT_PX * 0.75 < 0:
            offset = BELOW
        elif offset == BELOW and y + BELOW > plot_bottom:
            offset = ABOVE
        offsets.append(offset)
    return offsets


def trend_chart(series: list[tuple[str, Decimal]], baseline: Decimal | None,
                target: Decimal | None) -> dict:
    """A line of the whole-area values by period, with the baseline and target as lines."""
    values = [value for _, value in series]
    bottom, top, tick = axis(values + [v for v in (baseline, target) if v is not None])
    levels = [bottom + tick * i for i in range(int((top - bottom) / tick) + 1)]
    tick_labels = [plain_number(level) for level in levels]
    line_labels = [f"{word} {plain_number(value)}" for word, value
                   in (("Baseline", baseline), ("Target", target)) if value is not None]
    # Label every period on short series, every other one on long series.
    label_every = 1 if len(series) <= 10 else 2
    label_width = max((text_width(label) for label, _ in series), default=0)
    left = max(LEFT, round(max(text_width(label) for label in tick_labels) + 16))
    right = max(RIGHT, round(label_width / 2 + 4))
    # Labelled periods are at least a label and a gap apart; the lines' labels fit inside.
    step = (label_width + 16) / label_every
    plot_width = max(WIDTH - LEFT - RIGHT, round(step * max(len(series) - 1, 0)),
                     round(max((text_width(label) for label in line_labels), default=0) + 8))
    width = left + plot_width + right
    step = plot_width / max(len(series) - 1, 1)
    points = [Point(x=round(left + (index * step if len(series) > 1 else plot_width / 2), 1),
                    y=_scale(value, bottom, top), label=label, value=plain_number(value))
              for index, (label, value) in enumerate(series)]
    ticks = [Line(y=_scale(level, bottom, top), label=label)
             for level, label in zip(levels, tick_labels, strict=True)]
    lines = {name: Line(_scale(value, bottom, top), plain_number(value))
             for name, value in (("baseline", baseline), ("target", target))
             if value is not None}
    offsets = dict(zip(lines, _line_label_offsets([line.y for line in lines.values()]),
                       strict=True))
    return {
        "width": width, "height": HEIGHT, "left": left, "right": left + plot_width,
        "bottom": HEIGHT - BOTTOM, "label_y": HEIGHT - BOTTOM + FONT_PX + 6,
        "font_size": FONT_PX,
        "points": points,
        "polyline": " ".join(f"{point.x},{point.y}" for point in points),
        "baseline": lines.get("baseline"), "target": lines.get("target"),
        "baseline_dy": offsets.get("baseline"), "target_dy": offsets.get("target"),
        "ticks": ticks,
        "label_every": label_every,
    }


def bar_chart(rows: list[tuple[str, Decimal | None]]) -> dict:
    """Horizontal bars, one per area; an area with no value gets no bar and says so."""
    present = [value for _, value in rows if value is not None]
    top = nice_ceiling(max(present) if present else Decimal(1))
    texts = [plain_number(value) if value is not None else "no value" for _, value in rows]
    bar_left = max(BAR_LEFT, round(max((text_width(label) for label, _ in rows), default=0)
                                   + 16))
    bars = []
    for index, ((label, value), text) in enumerate(zip(rows, texts, strict=True)):
        # Bars grow from zero; a negative value draws no bar and its figure stays beside it.
        width = (round(float(max(value, 0) / top) * BAR_PLOT, 1)
                 if value is not None else 0.0)
        bars.append(Bar(y=TOP + index * (BAR_HEIGHT + BAR_GAP), width=width, label=label,
                        value=text, text_x=round(bar_left + width + 8, 1)))
    height = TOP + len(rows) * (BAR_HEIGHT + BAR_GAP) + 8
    width = max(WIDTH, round(bar_left + BAR_PLOT + 8
                             + max((text_width(text) for text in texts), default=0) + 8))
    return {"width": width, "height": height, "left": bar_left, "bars": bars,
            "bar_height": BAR_HEIGHT, "label_x": bar_left - 8,
            "text_dy": round(BAR_HEIGHT / 2 + FONT_PX * 0.35, 1), "font_size": FONT_PX}
