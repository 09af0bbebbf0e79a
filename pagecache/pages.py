"""Pages of a plan whose body is drawn once for each revision of the data and each day,
then read from the cache: a board member's tenth look at the dashboard does not draw it
again, and the board pack of a 6,000-action plan is not drawn until something changes.

Only a page's body is cached: what is the same for everyone of the plan with the same
rights. The layout around it (the user's name, the navigation, the CSRF token and script
nonce) is drawn on every request, so nothing of one person's own is ever stored. Bodies
holding a person's own forms are not cached at all. Every key is made here, from the
request, the plan and the reader's rights, so no view decides what a page varies by."""

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
from django.utils.safestring import SafeString

from plans.models import Plan
from plans.permissions import rights

# The databases whose triggers (pagecache.database) keep the revision token up to date.
WATCHING_VENDORS = frozenset({"postgresql", "sqlite"})
# Where the body goes in the layout: random, so no text a user typed can be taken for it.
BODY_MARKER = SafeString(f"<!-- page body {secrets.token_hex(16)} -->")
# Overdue actions and the current reporting period change at midnight, so a day in the
# key; entries left behind by older tokens and days expire after this long.
TIMEOUT = 2 * 24 * 60 * 60


def current_revision() -> str | None:
    """The data's revision token, or None when pages must not be cached (turned off, a
    database without the triggers, or a table emptied since)."""
    if not settings.PAGE_CACHE or connection.vendor not in WATCHING_VENDORS:
        return None
    # Plain SQL: read on every page, and the ORM would take longer to build it than to run it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM pagecache_datarevision WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


@functools.cache
def code_digest() -> str:
    """A digest of this deployment's code, templates, pinned dependencies, static file
    names and secret key, so a page drawn by the previous release is never served by the
    next one."""
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", base / "send_wsoa", base / "pyproject.toml",
             Path(settings.STATIC_ROOT) / "staticfiles.json"] + [
        Path(config.path) for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(base) and ".venv" not in Path(config.path).parts]
    files = sorted({path for root in roots if root.exists() for path in (
        [root] if root.is_file() else [*root.rglob("*.py"), *root.rglob("*.html")])})
    digest = hashlib.sha256(settings.SECRET_KEY.encode())
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(request: HttpRequest, plan: Plan, revision: str, day: dt.date) -> str:
    """The one place a key is made: the page's address with its query string (filters,
    sorting, page number), the plan, the reader's rights in it, the day and the data's
    revision."""
    vary = repr((request.get_full_path(), plan.pk, rights(request.user, plan).key,
                 day.isoformat()))
    return f"page:{code_digest()}:{revision}:{hashlib.sha256(vary.encode()).hexdigest()}"


def cached(request: HttpRequest, plan: Plan, build: Callable[[], object]):
    """What `build` returns for this page, from the cache when the data and day are those
    it was built for. The revision and day are those RevisionMiddleware read before this
    request read anything else, so an entry can only hold data as new as its key says."""
    revision = getattr(request, "page_revision", None)
    if revision is None:
        return build()
    key = cache_key(request, plan, revision, request.page_day)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


def render_page(request: HttpRequest, plan: Plan, template: str, context: dict, *,
                body_template: str, build: Callable[[], dict], keep: Iterable[str] = (),
                cache_body: bool = True, status: int = 200) -> HttpResponse:
    """`template` (the layout, title and anything of the user's own) drawn around a body
    that is `body_template` rendered with what `build` returns. The body is cached unless
    `cache_body` is false (it holds the user's own forms) or the page answers a form with
    errors. Each name in `keep` (whether the page holds demo data, say) is carried from the
    body's context to the page's. Bodies are stored compressed: the board pack of a
    6,000-action plan is 8 MB of HTML."""
    keep = tuple(keep)

    def draw() -> tuple[dict, bytes]:
        body_context = build()
        return ({name: body_context[name] for name in keep},
                render_to_string(body_template, body_context, request).encode())

    # Compressed only to be stored: with no revision to key it by, the body is not stored.
    if cache_body and status == 200 and getattr(request, "page_revision", None) is not None:
        kept, compressed = cached(request, plan, lambda: _compressed(draw()))
        body = zlib.decompress(compressed)
    else:
        kept, body = draw()
    # The layout is drawn around a marker and the body put in as bytes: the board pack's
    # 8 MB is then never decoded, passed through the template engine and encoded again.
    response = render(request, template, {**context, **kept, "body": BODY_MARKER},
                      status=status)
    response.content = response.content.replace(BODY_MARKER.encode(), body, 1)
    return response


# zlib's fastest level: on the 7 MB board pack of a 6,000-action plan it takes 14 ms, not
# the default level's 32 ms, for a body a third larger (323 kB, not 237 kB).
COMPRESSION_LEVEL = 1


def _compressed(drawn: tuple[dict, bytes]) -> tuple[dict, bytes]:
    kept, body = drawn
    return kept, zlib.compress(body, COMPRESSION_LEVEL)
