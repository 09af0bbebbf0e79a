"""A middleware the test settings put round every request: a GET or HEAD that writes to the
database fails the test that made it. Only the page cache's own table may be written, which
holds drawn pages and no data. So every page any test loads is checked, not just a list."""

import re
from collections.abc import Callable

from django.db import connections
from django.http import HttpRequest, HttpResponse

ALLOWED_TABLES = frozenset({"pagecache_entries"})


class GetRequestWroteError(AssertionError):
    pass


def _table(sql: str) -> str | None:
    match = re.match(r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)"
                     r"\s+[\"`]?(\w+)", sql, re.IGNORECASE)
    return match.group(1) if match else None


def _refuse_writes(execute, sql, params, many, context):
    table = _table(sql)
    if table is not None and table not in ALLOWED_TABLES:
        raise GetRequestWroteError(f"a GET request wrote to {table}: {sql[:200]}")
    return execute(sql, params, many, context)


class NoWritesOnGetMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with connections["default"].execute_wrapper(_refuse_writes):
            return self.get_response(request)
