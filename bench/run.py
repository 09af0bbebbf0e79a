"""Server time and query count of each page at Essex size and at 100 times that, next to a
minimal view that runs one query (the floor). Each page is measured three ways: with the
page cache off (every view draws the page: what the targets are stated in), drawn (the first
view after a change to the data, which draws the page and stores it) and cached (every later
view until the next change). Run by `make bench`.

Builds its data in a fresh SQLite file and prints a Markdown table for the README; when
DATABASE_URL is set it then does the same in the database that names (PostgreSQL, say),
which it fills: never point it at a database you keep.

The floor is timed between the runs of every page, so a page and the floor it is compared
with are measured in the same minute on the same machine, whatever else the machine does."""

import os
import subprocess
import sys
import tempfile

if __name__ == "__main__" and "BENCH_DATABASE_URL" not in os.environ:
    # Each database is measured by a process of its own, since Django reads its settings once.
    fresh = f"sqlite:///{tempfile.mkdtemp(prefix='send-wsoa-bench-')}/bench.sqlite3"
    urls = [fresh] + ([os.environ["DATABASE_URL"]] if os.environ.get("DATABASE_URL") else [])
    for number, url in enumerate(urls):
        if number:
            print()
        subprocess.run([sys.executable, __file__], check=True,
                       env={**os.environ, "BENCH_DATABASE_URL": url, "DATABASE_URL": url})
    sys.exit(0)

import secrets  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

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

from actions.models import Action  # noqa: E402
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
# Pages and downloads that hold every action of the plan: at 100x their target is a time per
# 1,000 actions, and they are drawn fewer times there so `make bench` stays short.
WHOLE_PLAN = {"plan", "board pack", "actions CSV", "actions Excel"}
SLOW_RUNS = min(RUNS, 7)
SCALES = [("Essex size", "essex-size", 1), ("100x", "essex-100x", 100)]
# The targets, with the page cache off: every page at Essex size within ESSEX_TIMES the
# floor; at 100x, pages showing a bounded number of rows within BOUNDED_TIMES, and the
# whole-plan pages within MS_PER_1000_ACTIONS for each 1,000 actions of the plan.
ESSEX_TIMES = 10
BOUNDED_TIMES = 20
MS_PER_1000_ACTIONS = 60


@login_not_required
def floor(request):
    """The least a page can cost here: the middleware stack and one query."""
    return HttpResponse(str(Plan.objects.count()))


urlpatterns = [path("bench-floor/", floor), path("", include("send_wsoa.urls"))]
FLOOR_URL = "/bench-floor/"


def new_revision() -> None:
    """What any change to the data does: pages cached before it are not served after."""
    DataRevision(pk=1, token=secrets.token_hex(16)).save()


@dataclass
class Figure:
    ms: float
    queries: int


class Timer:
    """Times pages, and the floor once after each page view: the floor's median is of every
    one of those, so it is measured beside the pages throughout the run."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.floor_times: list[float] = []
        self.floor_queries = 0

    def _get(self, url: str) -> tuple[float, int]:
        # The log keeps the last 9,000 queries only, after which it could count none.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = self.client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return elapsed, len(captured)

    def floor_once(self) -> None:
        elapsed, self.floor_queries = self._get(FLOOR_URL)
        self.floor_times.append(elapsed)

    @property
    def floor_ms(self) -> float:
        return statistics.median(self.floor_times) * 1000

    def measure(self, url: str, runs: int, drawn: bool = False) -> Figure:
        self._get(url)  # warm the template and URL caches (and, when cached, the entry)
        times = []
        queries = 0
        for _ in range(runs):
            if drawn:
                new_revision()
            elapsed, queries = self._get(url)
            times.append(elapsed)
            self.floor_once()
        return Figure(statistics.median(times) * 1000, queries)


@dataclass
class Row:
    page: str
    size: str
    actions: int
    off: Figure
    drawn: Figure
    cached: Figure

    @property
    def per_1000_actions(self) -> float | None:
        """Only for whole-plan pages at 100x, where the target is stated that way."""
        if self.page in WHOLE_PLAN and self.size != SCALES[0][0]:
            return self.off.ms / (self.actions / 1000)
        return None

    def verdict(self, floor_ms: float) -> tuple[str, bool]:
        """The page's target with the cache off, and whether it meets it."""
        if self.size == SCALES[0][0]:
            return f"{ESSEX_TIMES}x floor", self.off.ms <= ESSEX_TIMES * floor_ms
        if self.per_1000_actions is not None:
            return (f"{MS_PER_1000_ACTIONS} ms per 1,000 actions",
                    self.per_1000_actions <= MS_PER_1000_ACTIONS)
        return f"{BOUNDED_TIMES}x floor", self.off.ms <= BOUNDED_TIMES * floor_ms


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
    if connection.vendor == "postgresql":
        # The planner's statistics, as autovacuum keeps them for a live database: a table
        # just filled by bulk inserts has none yet.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(user)
    timer = Timer(client)
    rows = []
    with override_settings(ROOT_URLCONF=__name__):
        for _ in range(RUNS):
            timer.floor_once()
        for label, slug, _ in SCALES:
            first_measure = Measure.objects.filter(plan__slug=slug).order_by("pk").first()
            actions = Action.objects.filter(plan__slug=slug).count()
            for page, url in PAGES:
                runs = SLOW_RUNS if page in WHOLE_PLAN and label != SCALES[0][0] else RUNS
                url = url.format(plan=slug, measure=first_measure.pk)
                with override_settings(PAGE_CACHE=False):
                    off = timer.measure(url, runs)
                drawn = timer.measure(url, runs, drawn=True)
                cached = timer.measure(url, RUNS)
                rows.append(Row(page, label, actions, off, drawn, cached))
    print_table(rows, timer)
    print_monitoring_pack(user, today)


# The quarterly monitoring pack of the latest period that has ended, closed first so it is
# read from the plan's history as at the close, as a pack sent to DfE is.
PACK_TARGET_SECONDS = 3


def print_monitoring_pack(user, today) -> None:
    from monitoring.services import monitoring_pack
    from plans.selectors import periods_for_plan
    from plans.services import reporting_period_close

    print(f"\n| Monitoring pack | Size | Actions | Seconds (median of {SLOW_RUNS}) | Queries "
          "| Target | |")
    print("| --- | --- | ---: | ---: | ---: | --- | --- |")
    for label, slug, _ in SCALES:
        plan = Plan.objects.get(slug=slug)
        period = periods_for_plan(plan).filter(end__lt=today).last()
        if not period.is_closed:
            period = reporting_period_close(period=period, user=user)
        times = []
        for _ in range(SLOW_RUNS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                monitoring_pack(plan=plan, period=period, generated_by="bench")
                times.append(time.perf_counter() - started)
        seconds = statistics.median(times)
        actions = Action.objects.filter(plan=plan).count()
        print(f"| {period.financial_quarter} | {label} | {actions:,} | {seconds:.2f} | "
              f"{len(captured)} | {PACK_TARGET_SECONDS} s | "
              f"{'meets' if seconds <= PACK_TARGET_SECONDS else 'misses'} |")


def print_table(rows: list[Row], timer: Timer) -> None:
    floor_ms = timer.floor_ms
    print(f"Database: {connection.vendor}. Median of {RUNS} runs ({SLOW_RUNS} for the pages "
          f"and downloads of the whole plan at 100x, drawn or with the cache off), Django test "
          f"client, signed in as a board member.\n")
    print(f"Floor (a view that runs one query, timed after every page view): {floor_ms:.1f} ms "
          f"(median of {len(timer.floor_times)}), {timer.floor_queries} queries with the "
          f"session and user look-ups.\n")
    print("Targets with the page cache off: every page at Essex size within "
          f"{ESSEX_TIMES}x the floor; at 100x, pages showing a bounded number of rows within "
          f"{BOUNDED_TIMES}x, and pages and downloads of the whole plan within "
          f"{MS_PER_1000_ACTIONS} ms per 1,000 actions.\n")
    print("| Page | Size | Cache off ms | Queries | x floor | ms per 1,000 actions | Target "
          "| Cache off | Drawn ms | Queries | x floor | Cached ms | Queries | x floor |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: "
          "| ---: | ---: |")
    met = 0
    for row in rows:
        target, meets = row.verdict(floor_ms)
        met += meets
        per_1000 = f"{row.per_1000_actions:.1f}" if row.per_1000_actions is not None else ""
        print(f"| {row.page} | {row.size} | {row.off.ms:.1f} | {row.off.queries} | "
              f"{row.off.ms / floor_ms:.1f} | {per_1000} | {target} | "
              f"{'meets' if meets else 'misses'} | "
              f"{row.drawn.ms:.1f} | {row.drawn.queries} | {row.drawn.ms / floor_ms:.1f} | "
              f"{row.cached.ms:.1f} | {row.cached.queries} | {row.cached.ms / floor_ms:.1f} |")
    print(f"\n{met} of {len(rows)} meet their target with the page cache off.")


if __name__ == "__main__":
    main()
