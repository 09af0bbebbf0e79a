"""Pages of the plan rendered once for each revision of the data and each day, then read
from the cache: a board member's tenth look at the dashboard costs two small queries, not
twenty, and the board pack of a 6,000-action plan is not drawn again until something changes.

Only what is the same for everyone who may see the page is cached: the sign-out form's CSRF
token, messages and the navigation are drawn for each request by base.html around it."""

import datetime as dt
import functools
import hashlib
import secrets
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from .models import DataRevision

# The databases whose triggers (pagecache.database) keep the revision token up to date.
WATCHING_VENDORS = frozenset({"postgresql", "sqlite"})
# Where the body goes in the page: random, so no text a user typed can be taken for it.
BODY_MARKER = SafeString(f"<!-- page body {secrets.token_hex(16)} -->")
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


@functools.cache
def code_digest() -> str:
    """A digest of this deployment's code, templates and pinned dependencies, so a page
    drawn by the previous release is never served by the next one."""
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", base / "send_wsoa", base / "pyproject.toml"] + [
        Path(config.path) for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(base) and ".venv" not in Path(config.path).parts]
    files = sorted({path for root in roots for path in (
        [root] if root.is_file() else [*root.rglob("*.py"), *root.rglob("*.html")])})
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_key(name: str, revision: str, day: dt.date, vary: tuple) -> str:
    digest = hashlib.sha256(repr((day.isoformat(), vary)).encode()).hexdigest()
    return f"page:{name}:{code_digest()}:{revision}:{digest}"


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


def render_with_cached_body(request: HttpRequest, template: str, context: dict, *,
                            name: str, vary: tuple, body_template: str,
                            build: Callable[[], dict], keep: Iterable[str] = (),
                            share: bool = True, status: int = 200) -> HttpResponse:
    """`template` (the layout, navigation, title and anything of the user's own) drawn for
    this request around a body that is `body_template` rendered with what `build` returns,
    cached when `share` is true. Each name in `keep` (whether the page holds demo data, or a
    form error for the title) is carried from the body's context to the page's.

    With `share` false the body is drawn for this request only: it holds something of the
    user's own, such as a form with their CSRF token. The body is stored compressed and
    spliced into the page as bytes: the board pack of a 6,000-action plan is 8 MB of HTML."""

    def draw() -> tuple[dict, bytes]:
        body_context = build()
        return ({key: body_context[key] for key in keep},
                render_to_string(body_template, body_context, request).encode())

    if share:
        kept, compressed = cached(name, vary, lambda: _compressed(draw()))
        body = zlib.decompress(compressed)
    else:
        kept, body = draw()
    response = render(request, template, {**context, **kept, "body": BODY_MARKER},
                      status=status)
    response.content = response.content.replace(BODY_MARKER.encode(), body, 1)
    return response


def _compressed(drawn: tuple[dict, bytes]) -> tuple[dict, bytes]:
    kept, body = drawn
    return kept, zlib.compress(body)
