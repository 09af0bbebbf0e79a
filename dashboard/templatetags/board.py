"""Per-row helpers for the board's long tables (the board pack can list thousands of
actions), shared with the rest of the service. Each table's body is drawn by one tag, in
Python, rather than a template loop: the loop cost about 33 µs a row, most of the board
pack's time at 100 times Essex's size."""

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from django import template
from django.utils.safestring import SafeString, mark_safe

from actions.templatetags.action_links import action_href
from dashboard.charts import rag_chart_svg
from govuk.html import escaped
from govuk.templatetags.govuk import rag, rag_tag, uk_date

register = template.Library()
register.simple_tag(rag_chart_svg, name="rag_chart_svg")
register.filter("rag", rag)
register.filter("action_href", action_href)

ROW = '<tr class="govuk-table__row">'
CELL = '<td class="govuk-table__cell">'


# A ref as plans write them (letters then digits: "JC10") reads the same quoted for a URL
# and escaped for HTML, so its link is written without either, which took most of the
# time of a row.
_plain_ref = re.compile(r"[A-Za-z0-9]+").fullmatch


@lru_cache(maxsize=256)
def _escaped_actions_root(plan_slug: str) -> str:
    return escaped(action_href("", plan_slug)[:-1])


def _link(link_class: str, plan_slug: str, ref: str) -> str:
    if isinstance(ref, str) and _plain_ref(ref):
        return f'<a class="{link_class}" href="{_escaped_actions_root(plan_slug)}{ref}/">{ref}</a>'
    return (f'<a class="{link_class}" href="{escaped(action_href(ref, plan_slug))}">'
            f"{escaped(ref)}</a>")


def _rows(rows: list[str]) -> SafeString:
    # Every value a row shows went through escaped (as conditional_escape), rag_tag or
    # uk_date (which prints only digits and month names).
    return mark_safe("\n".join(rows))  # noqa: S308


@register.simple_tag
def rag_count(cell, actions_url: str, link_class: str = "") -> SafeString:
    """One count of dashboard/_rag_counts.html (a RagCell): a link to the actions list
    showing the actions counted, or 0. A tag rather than an include, which cost more than
    the rest of the table."""
    if not cell.count:
        return mark_safe("0")
    return mark_safe(  # noqa: S308
        f'<a class="{escaped(link_class or "govuk-link")}" '
        f'href="{escaped(actions_url)}?{escaped(cell.query)}">{escaped(cell.count)}'
        f'<span class="govuk-visually-hidden"> {escaped(cell.words)}</span></a>')


@register.simple_tag
def action_rows(actions: Iterable[Mapping], plan_slug: str, link_class: str = "govuk-link",
                with_last_update: bool = False) -> SafeString:
    """The body rows of dashboard/_action_rows.html: each action (a row of printed_rows) as
    ref (a link), title, owner, due date, RAG and, when asked, its last update."""
    link_class = escaped(link_class)
    rows = []
    for action in actions:
        due = action["current_due_date"]
        cells = [
            _link(link_class, plan_slug, action["ref"]),
            escaped(action["title"]),
            escaped(action["owner_name"] or "Not published"),
            uk_date(due) if due else "Not set",
            rag_tag(action["rag"]),
        ]
        if with_last_update:
            last = action["last_update"]
            cells.append(uk_date(last) if last else "No update yet")
        rows.append(f"{ROW}{CELL}{f'</td>{CELL}'.join(cells)}</td></tr>")
    return _rows(rows)


@register.simple_tag
def milestone_rows(milestones: Iterable[Mapping], plan_slug: str,
                   link_class: str = "govuk-link") -> SafeString:
    """The body rows of dashboard/_milestone_rows.html: each milestone (a row of
    printed_milestones) as its action's ref (a link), its title and its due date."""
    link_class = escaped(link_class)
    return _rows([
        f"{ROW}{CELL}{_link(link_class, plan_slug, milestone['action']['ref'])}</td>"
        f"{CELL}{escaped(milestone['title'])}</td>"
        f"{CELL}{uk_date(milestone['due_date'])}</td></tr>"
        for milestone in milestones])


@register.simple_tag
def change_rows(changes: Iterable, kind: str, plan_slug: str,
                link_class: str = "govuk-link") -> SafeString:
    """The body rows of dashboard/_changes.html: each change's action ref (a link) and title,
    then its due dates then and now (kind "due") or its RAG then and now."""
    link_class = escaped(link_class)
    rows = []
    for change in changes:
        if kind == "due":
            then = uk_date(change.due_then) if change.due_then else "Not set"
            now = uk_date(change.due_now) if change.due_now else "Not set"
        else:
            then, now = rag_tag(change.rag_then), rag_tag(change.rag_now)
        rows.append(f"{ROW}{CELL}{_link(link_class, plan_slug, change.ref)}</td>"
                    f"{CELL}{escaped(change.title)}</td>"
                    f"{CELL}{then}</td>{CELL}{now}</td></tr>")
    return _rows(rows)
