"""A small line chart of an indicator over time for the area, its region and England,
computed here so the template only draws it (the measures' trend chart's layout: natural
size, body-size text, the same figures in a table beside it)."""

from dataclasses import dataclass
from decimal import Decimal

from govuk.charts import FONT_PX, text_width
from measures.charts import axis
from measures.variation import plain_number

HEIGHT = 260
TOP = 24
BOTTOM = 48
LEFT = 64
RIGHT = 24
MIN_PLOT = 360
# Told apart by dash pattern and marker as well as colour.
STYLES = {
    "area": ("#1d70b8", "", "circle"),
    "region": ("#6f72af", "2 4", "square"),
    "england": ("#0b0c0c", "8 4", "diamond"),
}


@dataclass(frozen=True)
class Mark:
    x: float
    y: float

    @property
    def corner(self) -> tuple[float, float]:
        """The top left of a square marker centred on the point."""
        return round(self.x - 4, 1), round(self.y - 4, 1)


@dataclass(frozen=True)
class Series:
    key: str
    name: str
    colour: str
    dash: str
    marker: str
    marks: list[Mark]

    @property
    def polyline(self) -> str:
        return " ".join(f"{mark.x},{mark.y}" for mark in self.marks)


def line_chart(periods: list[str], series: list[tuple[str, str, list[Decimal | None]]]) -> dict:
    """`series` as (key, name, one value or None per period); a gap where a value is None."""
    levels = [v for _, _, values in series for v in values if v is not None]
    bottom, top, tick = axis(levels or [Decimal(1)])
    steps = int((top - bottom) / tick)
    ticks = [bottom + tick * i for i in range(steps + 1)]
    tick_labels = [plain_number(level) for level in ticks]
    left = max(LEFT, round(max(text_width(label) for label in tick_labels) + 16))
    label_width = max((text_width(label) for label in periods), default=0)
    every = 1 if len(periods) <= 6 else 2
    plot = max(MIN_PLOT, round((label_width + 16) / every * max(len(periods) - 1, 1)))
    right = max(RIGHT, round(label_width / 2 + 4))
    step = plot / max(len(periods) - 1, 1)
    span = float(top - bottom) or 1.0

    def y(value: Decimal) -> float:
        inner = HEIGHT - TOP - BOTTOM
        return round(TOP + inner - float(value - bottom) / span * inner, 1)

    def x(index: int) -> float:
        return round(left + (index * step if len(periods) > 1 else plot / 2), 1)

    drawn = []
    for key, name, values in series:
        colour, dash, marker = STYLES[key]
        marks = [Mark(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        if marks:
            drawn.append(Series(key, name, colour, dash, marker, marks))
    return {
        "width": left + plot + right, "height": HEIGHT, "left": left, "right": left + plot,
        "bottom": HEIGHT - BOTTOM, "label_y": HEIGHT - BOTTOM + FONT_PX + 6,
        "font_size": FONT_PX,
        "ticks": [{"y": y(level), "label": label} for level, label in zip(
            ticks, tick_labels, strict=True)],
        "labels": [{"x": x(i), "text": label} for i, label in enumerate(periods)
                   if i % every == 0],
        "series": drawn,
    }
