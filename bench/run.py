"""Server time and query count of each page at Essex size and at 100 times that, next to a
minimal view that runs one query (the floor). Each page is measured twice: drawn (the first
view after a change to the data, which draws the page and stores it) and cached (every
later view until the next change). Run by `make bench`.

Builds its data in a fresh SQLite file (or the database DATABASE_URL names, which it fills:
never point it at a database you keep) and prints a Markdown table for the README."""

import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_wsoa.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='send-wsoa-bench-')}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.auth.decorators import login_not_required  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.data import build_plan  # noqa: E402
from measures.models import Measure  # noqa: E402
from pagecache.models import DataRevision  # noqa: E402
from plans.models import Membership, Plan  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
# Each address is in the plan measured: {plan} is its slug.
PAGES = [
    ("dashboard", "/{plan}/"),
    ("workstream", "/{plan}/workstreams/JC/"),
    ("actions list", "/{plan}/actions/"),
    ("actions CSV", "/{plan}/actions/export.csv"),
    ("actions Excel", "/{plan}/actions/export.xlsx"),
    ("action detail", "/{plan}/actions/JC1/"),
    ("measures list", "/{plan}/measures/"),
    # Measure ids differ between the plans, so {measure} is each plan's first measure.
    ("measure", "/{plan}/measures/{measure}/"),
    ("measure variation", "/{plan}/measures/variation/"),
    ("board pack", "/{plan}/board-pack/"),
    ("plan", "/{plan}/plan/"),
]
# Pages that take seconds at 100x, measured fewer times there so `make bench` stays short.
SLOW_AT_100X = {"board pack", "actions CSV", "actions Excel"}
SLOW_RUNS = min(RUNS, 5)
SCALES = [("Essex size", "essex-size", 1), ("100x", "essex-100x", 100)]


@login_not_required
def floor(request):
    """The least a page can cost here: the middleware stack and one query."""
    return HttpResponse(str(Plan.objects.count()))


urlpatterns = [path("bench-floor/", floor), path("", include("send_wsoa.urls"))]


def new_revision() -> None:
    """What any change to the data does: pages cached before it are not served after."""
    DataRevision(pk=1, token=secrets.token_hex(16)).save()


def measure(client: Client, url: str, runs: int, drawn: bool = False) -> tuple[float, int]:
    client.get(url)  # warm the template and URL caches
    times = []
    queries = 0
    for _ in range(runs):
        if drawn:
            new_revision()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries = len(captured)
    return statistics.median(times) * 1000, queries


def main() -> None:
    call_command("migrate", verbosity=0)
    from tests.factories import UserFactory

    today = timezone.localdate()
    user = UserFactory(username="bench-board-member")
    for _, slug, scale in SCALES:
        if not Plan.objects.filter(slug=slug).exists():
            started = time.perf_counter()
            build_plan(slug=slug, scale=scale, today=today)
            print(f"built {slug} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        Membership.objects.get_or_create(user=user, plan=Plan.objects.get(slug=slug),
                                         role=Membership.Role.BOARD)
    client = Client()
    client.force_login(user)
    rows = []
    with override_settings(ROOT_URLCONF=__name__):
        floor_ms, floor_queries = measure(client, "/bench-floor/", RUNS)
        for label, slug, _ in SCALES:
            first_measure = Measure.objects.filter(plan__slug=slug).order_by("pk").first()
            for page, url in PAGES:
                runs = SLOW_RUNS if page in SLOW_AT_100X and slug.endswith("100x") else RUNS
                url = url.format(plan=slug, measure=first_measure.pk)
                drawn_ms, drawn_queries = measure(client, url, runs, drawn=True)
                cached_ms, cached_queries = measure(client, url, RUNS)
                rows.append((page, label, drawn_ms, drawn_queries, drawn_ms / floor_ms,
                             cached_ms, cached_queries, cached_ms / floor_ms))
    vendor = connection.vendor
    print(f"Database: {vendor}. Median of {RUNS} runs ({SLOW_RUNS} for drawing the board pack "
          f"and the downloads at 100x), "
          f"Django test client, signed in as a board member.\n")
    print(f"Floor (a view that runs one query): {floor_ms:.1f} ms, "
          f"{floor_queries} queries with the session and user look-ups.\n")
    print("| Page | Size | Drawn ms | Queries | x floor | Cached ms | Queries | x floor |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for page, label, *figures in rows:
        drawn_ms, drawn_queries, drawn_ratio, cached_ms, cached_queries, cached_ratio = figures
        print(f"| {page} | {label} | {drawn_ms:.1f} | {drawn_queries} | {drawn_ratio:.1f} | "
              f"{cached_ms:.1f} | {cached_queries} | {cached_ratio:.1f} |")

if __name__ == "__main__":
    main()
