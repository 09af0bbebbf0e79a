"""Checks that a page's charts read at a glance: each SVG is drawn at its natural size (one
viewBox unit to one CSS pixel, so nothing scales its text down on a narrow screen) and all
its text is at least GOV.UK body size."""

import re
import xml.etree.ElementTree as ET

# GOV.UK body text from 641 px wide (16 px below that).
BODY_TEXT_PX = 19
SVG = "{http://www.w3.org/2000/svg}"


def svgs_of(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, re.S)]


def _font_px(element: ET.Element, inherited: float | None) -> float | None:
    size = element.get("font-size")
    style = re.search(r"font-size:\s*([^;]+)", element.get("style", ""))
    size = style.group(1).strip() if style else size
    if size is None:
        return inherited
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(px)?", size)
    assert match, f"font-size {size!r} is not in CSS pixels"
    return float(match.group(1))


def _text_sizes(element: ET.Element, inherited: float | None = None):
    size = _font_px(element, inherited)
    if element.tag == f"{SVG}text":
        yield (element.text or "").strip(), size
    for child in element:
        yield from _text_sizes(child, size)


def assert_chart_reads_at_body_size(svg: ET.Element) -> None:
    _, _, width, height = (float(n) for n in svg.get("viewBox").split())
    assert (svg.get("width"), svg.get("height")) == (f"{width:g}", f"{height:g}"), (
        "the chart should be drawn at its viewBox size, not scaled to fit")
    texts = list(_text_sizes(svg))
    assert texts, "the chart has no text"
    for text, size in texts:
        assert size is not None and size >= BODY_TEXT_PX, f"{text!r} is drawn at {size} px"


def assert_charts_scroll_in_their_own_region(html: str) -> None:
    """Each chart sits in a focusable region with a name, so a chart wider than the screen
    scrolls inside it (by keyboard too) rather than the page."""
    charts = re.findall(r"<svg\b", html)
    regions = re.findall(r'<div class="app-chart__scroll" role="region" aria-label="[^"]+" '
                         r'tabindex="0">\s*<svg\b', html)
    assert charts and len(regions) == len(charts)
