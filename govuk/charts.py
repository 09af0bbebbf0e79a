"""What every server-rendered chart shares.

A chart is drawn at its natural size, one unit of its viewBox to one CSS pixel, and never
scaled to fit the screen: an SVG scaled down to a 320 px screen drew its 16 px labels about
7 px tall. Its text is at least GOV.UK body size (19 px from 641 px wide, 16 px below), and
a chart wider than the screen scrolls sideways inside its own focusable region, never the
page; the same numbers are in a table beside it."""

# Body text size from 641 px wide, and larger than body text below that.
FONT_PX = 19

# Helvetica and Arial average about half an em a character; 0.6 leaves room for capitals.
_EM_PER_CHARACTER = 0.6


def text_width(text: str, font_px: int = FONT_PX) -> float:
    """A generous estimate of how wide `text` is drawn, to lay labels out without overlap."""
    return round(len(text) * font_px * _EM_PER_CHARACTER, 1)
