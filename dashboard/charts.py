"""Chart geometry computed in Python so templates only draw it: server-rendered SVG that
works without JavaScript, with the same numbers in a table beside it."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from actions.models import Rag
from govuk.charts import FONT_PX, text_width

from .selectors import NOT_REPORTED, RAG_ORDER, RagBar

RAG_FILLS = {
    Rag.BLUE.value: "#1d70b8",
    Rag.GREEN.value: "#00703c",
    Rag.AMBER.value: "#f47738",
    Rag.RED.value: "#ca3535",
    NOT_REPORTED: "#b1b4b6",
}
RAG_WORDS = {**{rag.value: rag.label for rag in Rag}, NOT_REPORTED: "Not reported"}


@dataclass
class Segment:
    rag: str
    word: str
    count: int
    fill: str
    x: float
    y: float
    width: float
    height: float

    @property
    def key(self) -> str:
        """The stylesheet's name for the colour: app-chart__segment--red, --none ..."""
        return self.rag or "none"

    @property
    def label_y(self) -> float:
        """The baseline that centres a number's digits (about 0.7 em tall) in the segment."""
        return round(self.y + self.height / 2 + FONT_PX * 0.35, 1)

    @property
    def shows_label(self) -> bool:
        """Numbers are written inside a segment only when it is tall enough to hold them."""
        return self.height >= FONT_PX + 4


@dataclass
class Bar:
    label: str
    total: int
    counts: list[tuple[str, int]]
    segments: list[Segment]
    label_x: float
    total_y: float


@dataclass
class Tick:
    value: int
    y: float


@dataclass
class LegendItem:
    word: str
    fill: str
    x: float
    key: str


@dataclass
class StackedBarChart:
    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: list[Bar]
    ticks: list[Tick]
    legend: list[LegendItem]
    legend_y: int
    label_y: int
    words: list[str]
    font_size: int = FONT_PX

    @property
    def is_empty(self) -> bool:
        return not self.bars


def nice_maximum(value: int) -> int:
    """A round axis top at or above `value`: 1, 2, 5, 10, 20, 50 ..."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def rag_stacked_bars(bars: Sequence[RagBar], title: str, *, width: int = 680,
                     height: int = 360) -> StackedBarChart:
    """Stacked bars of RAG counts per reporting period, worst (Red) at the top, laid out for
    text at FONT_PX: a long history widens the drawing rather than crowding its labels."""
    top = nice_maximum(max((bar.total for bar in bars), default=0))
    plot_left, plot_top = round(text_width(str(top)) + 14), 16
    slot_needed = max((text_width(bar.period.financial_quarter) for bar in bars), default=0) + 16
    legend_widths = [20 + text_width(RAG_WORDS[rag]) + 24 for rag in RAG_ORDER]
    width = max(width, round(plot_left + 12 + slot_needed * len(bars)),
                round(plot_left + 12 + sum(legend_widths)))
    plot_right = width - 12
    legend_y = height - 14
    plot_bottom = height - 76
    scale = (plot_bottom - plot_top) / top
    slot = (plot_right - plot_left) / max(len(bars), 1)
    bar_width = round(min(slot * 0.6, 64), 1)
    drawn = []
    for index, bar in enumerate(bars):
        x = round(plot_left + slot * index + (slot - bar_width) / 2, 1)
        y = float(plot_bottom)
        segments = []
        for rag in RAG_ORDER:
            count = bar.counts.get(rag, 0)
            if not count:
                continue
            segment_height = round(count * scale, 1)
            y = round(y - segment_height, 1)
            segments.append(Segment(rag=rag, word=RAG_WORDS[rag], count=count,
                                    fill=RAG_FILLS[rag], x=x, y=y, width=bar_width,
                                    height=segment_height))
        drawn.append(Bar(label=bar.period.financial_quarter, total=bar.total,
                         counts=[(RAG_WORDS[rag], bar.counts.get(rag, 0)) for rag in RAG_ORDER],
                         segments=segments, label_x=round(x + bar_width / 2, 1),
                         total_y=round(y - 4, 1)))
    tick_step = max(top // 5, 1)
    ticks = [Tick(value=value, y=round(plot_bottom - value * scale, 1))
             for value in range(0, top + 1, tick_step)]
    legend_x = [plot_left + sum(legend_widths[:index]) for index in range(len(RAG_ORDER))]
    legend = [LegendItem(word=RAG_WORDS[rag], fill=RAG_FILLS[rag], x=round(x, 1),
                         key=rag or "none")
              for x, rag in zip(legend_x, RAG_ORDER, strict=True)]
    if drawn:
        last = drawn[-1]
        summary = ", ".join(f"{count} {word}" for word, count in last.counts)
        description = (f"Stacked bars of action RAG counts at the end of each of "
                       f"{len(drawn)} reporting periods, from {drawn[0].label} to {last.label}. "
                       f"At the end of {last.label}: {summary}.")
    else:
        description = "No reporting period has started yet."
    return StackedBarChart(title=title, description=description, width=width, height=height,
                           plot_left=plot_left, plot_right=plot_right, plot_top=plot_top,
                           plot_bottom=plot_bottom, bars=drawn, ticks=ticks, legend=legend,
                           legend_y=legend_y, label_y=plot_bottom + FONT_PX + 8,
                           words=[RAG_WORDS[rag] for rag in RAG_ORDER])


def rag_chart_svg(chart: StackedBarChart, id: str) -> SafeString:  # noqa: A002
    """The chart's drawing: the SVG its template once drew, written here because a long
    history is hundreds of elements (most of the workstream page's drawing time)."""
    parts = [format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{0}-title '
        '{0}-desc" viewBox="0 0 {1} {2}" width="{1}" height="{2}" font-size="{3}" '
        'class="app-chart__svg" focusable="false">\n'
        '<title id="{0}-title">{4}</title>\n<desc id="{0}-desc">{5}</desc>',
        id, chart.width, chart.height, chart.font_size, chart.title, chart.description)]
    for tick in chart.ticks:
        parts.append(format_html(
            '<line class="app-chart__gridline" x1="{}" x2="{}" y1="{}" y2="{}" '
            'stroke="#cecece"/>\n<text x="{}" y="{}" dy="0.35em" text-anchor="end">{}</text>',
            chart.plot_left, chart.plot_right, tick.y, tick.y, chart.plot_left - 6, tick.y,
            tick.value))
    for bar in chart.bars:
        parts.append("<g>")
        for segment in bar.segments:
            parts.append(format_html(
                '<rect class="app-chart__segment app-chart__segment--{}" x="{}" y="{}" '
                'width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>',
                segment.key, segment.x, segment.y, segment.width, segment.height,
                segment.fill, bar.label, segment.count, segment.word))
            if segment.shows_label:
                dark = " app-chart__value--dark" if segment.key in ("none", "amber") else ""
                parts.append(format_html(
                    '<text class="app-chart__value{}" x="{}" y="{}" text-anchor="middle">{}'
                    "</text>", dark, bar.label_x, segment.label_y, segment.count))
        parts.append(format_html('<text x="{}" y="{}" text-anchor="middle">{}</text></g>',
                                 bar.label_x, chart.label_y, bar.label))
    parts.append(format_html(
        '<line class="app-chart__axis" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#0b0c0c"/>',
        chart.plot_left, chart.plot_right, chart.plot_bottom, chart.plot_bottom))
    for item in chart.legend:
        parts.append(format_html(
            '<rect class="app-chart__swatch--{}" x="{}" y="{}" width="16" height="16" '
            'fill="{}"/>\n<text x="{}" y="{}">{}</text>',
            item.key, item.x, chart.legend_y - 15, item.fill, item.x + 22, chart.legend_y,
            item.word))
    parts.append("</svg>")
    # Every part is format_html's, each value escaped.
    return mark_safe("\n".join(parts))  # noqa: S308
