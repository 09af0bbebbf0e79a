"""Loading the whole DfE SEN2 file (every figure column, for every area and year) with
load_statistics, then loading it again (which changes nothing), and drawing the Essex
statistics page with all of it loaded. Run by `make bench` after bench/run.py.

Builds its data in a fresh SQLite file; when DATABASE_URL is set it then does the same in
the database that names, which it fills: never point it at a database you keep."""

import os
import subprocess
import sys
import tempfile

if __name__ == "__main__" and "BENCH_DATABASE_URL" not in os.environ:
    # Each database is measured by a process of its own, since Django reads its settings once.
    fresh = f"sqlite:///{tempfile.mkdtemp(prefix='send-wsoa-bench-')}/bench.sqlite3"
    urls = [fresh] + ([os.environ["DATABASE_URL"]] if os.environ.get("DATABASE_URL") else [])
    for url in urls:
        subprocess.run([sys.executable, __file__], check=True,
                       env={**os.environ, "BENCH_DATABASE_URL": url, "DATABASE_URL": url})
    sys.exit(0)

import csv  # noqa: E402
import io  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_wsoa.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from area_statistics.models import StatisticValue  # noqa: E402
from area_statistics.reading import EES_GEOGRAPHY  # noqa: E402

SEN2 = ROOT / "fixtures" / "published" / "dfe_ehc_plans_sen2_2014_2022.csv"


def columns() -> list[str]:
    with SEN2.open(encoding="utf-8") as file:
        return [name for name in next(csv.reader(file)) if name not in EES_GEOGRAPHY]


def load_all(figures: list[str]) -> float:
    started = time.perf_counter()
    for column in figures:
        # "rate": any figure of 0 or more, so every column of the file loads as published.
        call_command("load_statistics", str(SEN2), "--indicator", column, "--name", column,
                     "--unit", "rate", stdout=io.StringIO())
    return time.perf_counter() - started


@override_settings(ALLOWED_HOSTS=["testserver"], PAGE_CACHE=False)
def page_ms() -> tuple[float, int]:
    client = Client()
    client.force_login(User.objects.get(username="bench-statistics"))
    client.get("/essex/statistics/")
    times = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get("/essex/statistics/")
            times.append(time.perf_counter() - started)
        assert response.status_code == 200
    return sorted(times)[2] * 1000, len(captured)


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_essex_plan", verbosity=0, stdout=io.StringIO())
    User.objects.create_superuser("bench-statistics", password=None)
    figures = columns()
    first = load_all(figures)
    values = StatisticValue.objects.count()
    again = load_all(figures)
    ms, queries = page_ms()
    print(f"Database: {connection.vendor}. The whole SEN2 file, {len(figures)} figure columns, "
          f"{values:,} values: loaded in {first:.1f} s, loaded again (nothing changes) in "
          f"{again:.1f} s; the Essex statistics page with all of it: {ms:.0f} ms, "
          f"{queries} queries.")


if __name__ == "__main__":
    main()
