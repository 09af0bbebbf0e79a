"""Pages of the plan rendered once for each revision of the data and each day, then read
from the cache: a board member's tenth look at the dashboard costs two small queries, not
twenty, and the board pack of a 6,000-action plan is not drawn again until something changes.

Two layers. A page's body (what is the same for everyone who may see it) is shared by all
readers. The whole page, with the layout, the user's name and navigation, is kept for each
user, with stand-ins for the two values that differ on every response (the CSRF token and
the script nonce), which are put in as the page is sent. Pages showing a message, answering
a form or holding a lead's own forms are drawn around the shared body every time."""

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
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

# The databases whose triggers (pagecache.database) keep the revision token up to date.
WATCHING_VENDORS = frozenset({"postgresql", "sqlite"})
# Where the body goes in the page: random, so no text a user typed can be taken for it.
BODY_MARKER = SafeString(f"<!-- page body {secrets.token_hex(16)} -->")
# Stand-ins for per-response values in a cached page: derived from the secret key, so every
# app server uses the same ones and no user can guess them; their digest is in every key,
# so pages drawn before the key is changed are not served after.
def stand_ins(secret_key: str) -> tuple[str, str, str]:
    """The CSRF token and nonce stand-ins for a secret key, and a digest of the two."""
    csrf = "csrf-" + hashlib.sha256(f"{secret_key}:csrf".encode()).hexdigest()
    nonce = "nonce-" + hashlib.sha256(f"{secret_key}:nonce".encode()).hexdigest()
    return csrf, nonce, hashlib.sha256(f"{csrf}:{nonce}".encode()).hexdigest()[:8]


CSRF_STAND_IN, NONCE_STAND_IN, STAND_INS_DIGEST = stand_ins(settings.SECRET_KEY)
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


def query_vary(request: HttpRequest) -> tuple:
    """The GET parameters, in a fixed order, for pages whose filters, sorting and page
    number come from the query string."""
    return tuple(sorted((name, tuple(values)) for name, values in request.GET.lists()))


@functools.cache
def code_digest() -> str:
    """A digest of this deployment's code, templates, pinned dependencies and static file
    names (a page links its CSS by a name with the file's hash in it), so a page drawn by
    the previous release is never served by the next one."""
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", base / "send_wsoa", base / "pyproject.toml",
             Path(settings.STATIC_ROOT) / "staticfiles.json"] + [
        Path(config.path) for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(base) and ".venv" not in Path(config.path).parts]
    files = sorted({path for root in roots if root.exists() for path in (
        [root] if root.is_file() else [*root.rglob("*.py"), *root.rglob("*.html")])})
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_key(name: str, revision: str, day: dt.date, vary: tuple) -> str:
    digest = hashlib.sha256(repr((day.isoformat(), vary)).encode()).hexdigest()
    return f"page:{name}:{code_digest()}{STAND_INS_DIGEST}:{revision}:{digest}"


def cached(request: HttpRequest, name: str, vary: tuple, build: Callable[[], object]):
    """What `build` returns, from the cache when the data and day are those it was built
    for. The revision and day are those RevisionMiddleware read before this request read
    anything else, so an entry can only hold data as new as its key says, never older."""
    revision = getattr(request, "page_revision", None)
    if revision is None:
        return build()
    key = _cache_key(name, revision, request.page_day, vary)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


def render_with_cached_body(request: HttpRequest, template: str, context: dict, *,
                            name: str, vary: tuple, body_template: str,
                            build: Callable[[], dict], keep: Iterable[str] = (),
                            share: bool = True, status: int = 200,
                            whole_page: bool = True) -> HttpResponse:
    """`template` (the layout, navigation, title and anything of the user's own) drawn
    around a body that is `body_template` rendered with what `build` returns, cached when
    `share` is true. Each name in `keep` (whether the page holds demo data, or a form error
    for the title) is carried from the body's context to the page's.

    With `share` false the body is drawn for this request only: it holds something of the
    user's own, such as a form with their CSRF token. With `whole_page` false the page
    around the body is drawn on every request (it shows the time, say). The body is stored
    compressed and spliced into the page as bytes: the board pack of a 6,000-action plan is
    8 MB of HTML."""

    def draw() -> tuple[dict, bytes]:
        body_context = build()
        # Stand-ins even here: a body must never hold one user's token or nonce.
        return ({key: body_context[key] for key in keep},
                render_to_string(body_template, {**body_context, **_stand_in_context()},
                                 request).encode())

    def shared_body() -> tuple[dict, bytes]:
        kept, compressed = cached(request, name, vary, lambda: _compressed(draw()))
        return kept, zlib.decompress(compressed)

    if not share:
        kept, body = draw()
    elif whole_page and status == 200 and not _has_messages(request):
        def draw_page() -> bytes:
            kept, body = shared_body()
            page = _render_around(request, template,
                                  {**context, **kept, **_stand_in_context()}, body)
            return zlib.compress(page.content)

        # The user's name, roles and address are in the page, so it is kept per user and path.
        page = zlib.decompress(cached(request, f"{name}-page", (
            vary, request.user.pk, request.get_full_path()), draw_page))
        return HttpResponse(_with_this_response_values(request, page))
    else:
        kept, body = shared_body()
    response = _render_around(request, template, {**context, **kept}, body, status)
    response.content = _with_this_response_values(request, response.content)
    return response


def _render_around(request: HttpRequest, template: str, context: dict, body: bytes,
                   status: int = 200) -> HttpResponse:
    response = render(request, template, {**context, "body": BODY_MARKER}, status=status)
    response.content = response.content.replace(BODY_MARKER.encode(), body, 1)
    return response


def _stand_in_context() -> dict:
    return {"csrf_token": CSRF_STAND_IN, "csp_nonce": NONCE_STAND_IN}


def _with_this_response_values(request: HttpRequest, page: bytes) -> bytes:
    page = page.replace(CSRF_STAND_IN.encode(), get_token(request).encode())
    return page.replace(NONCE_STAND_IN.encode(), str(request.csp_nonce).encode())


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and len(storage))


def _compressed(drawn: tuple[dict, bytes]) -> tuple[dict, bytes]:
    kept, body = drawn
    return kept, zlib.compress(body)
