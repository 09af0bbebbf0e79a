"""Pages of the plan rendered once for each revision of the data and each day, then read
from the cache: a board member's tenth look at the dashboard costs two small queries, not
twenty, and the board pack of a 6,000-action plan is not drawn again until something changes.

Only what is the same for everyone who may see the page is cached: the sign-out form's CSRF
token, messages and the navigation are drawn for each request by base.html around it."""

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from .models import DataRevision

# The databases whose triggers (pagecache.database) keep the revision token up to date.
WATCHING_VENDORS = frozenset({"postgresql", "sqlite"})
# Overdue actions and the current reporting period change at midnight, so a day in the
# key; entries left behind by older tokens and days expire after this long.
TIMEOUT = 2 * 24 * 60 * 60


def current_revision() -> str | None:
    """The data's revision token, or None when pages must not be cached (turned off, a
    database without the triggers, or a table emptied since)."""
    if not settings.PAGE_CACHE or connection.vendor not in WATCHING_VENDORS:
        return None
    return DataRevision.objects.filter(pk=1).values_list("token", flat=True).first()


def query_vary(request: HttpRequest) -> tuple:
    """The GET parameters, in a fixed order, for pages whose filters, sorting and page
    number come from the query string."""
    return tuple(sorted((name, tuple(values)) for name, values in request.GET.lists()))


def _cache_key(name: str, revision: str, day: dt.date, vary: tuple) -> str:
    digest = hashlib.sha256(repr((day.isoformat(), vary)).encode()).hexdigest()
    return f"page:{name}:{revision}:{digest}"


def cached(name: str, vary: tuple, build: Callable[[], object]):
    """What `build` returns, from the cache when the data and day are those it was built
    for. The revision is read before `build` reads the data, so an entry can only hold
    data as new as its token says, never older."""
    revision = current_revision()
    if revision is None:
        return build()
    key = _cache_key(name, revision, timezone.localdate(), vary)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


def cached_body(request: HttpRequest, *, name: str, vary: tuple, template: str,
                build: Callable[[], dict], keep: Iterable[str] = (),
                share: bool = True) -> dict:
    """Context for a page drawn around a cached body: "body" is `template` rendered with what
    `build` returns, and each name in `keep` (a title's words, whether the page holds demo
    data) is carried from that context for the page around it. With `share` false the body
    is drawn for this request only (it holds something of the user's own, such as a form's
    CSRF token)."""

    def render_body() -> dict:
        context = build()
        return {**{name: context[name] for name in keep},
                "body": render_to_string(template, context, request)}

    stored = cached(name, vary, render_body) if share else render_body()
    return {**stored, "body": mark_safe(stored["body"])}  # noqa: S308 (rendered, so escaped)
