"""Escaping for HTML built in Python, once per row of a long table."""

from html import escape


def escaped(value) -> str:
    """What django.utils.html.conditional_escape gives (HTML that is already safe as it is,
    anything else as escaped text) as a plain string, to be joined into a row that is then
    marked safe once: conditional_escape's lazy-string wrapper and a SafeString per value
    cost most of the time of drawing thousands of rows."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))
