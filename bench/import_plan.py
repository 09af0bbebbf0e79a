"""Time to import a 1,000-row plan workbook: read and checked (the preview), then written
(all in one transaction), as a new plan and as a quarter's returns changing every action's
RAG. Target: under 5 seconds for each import, checked and written. Run by `make bench`.

Uses a fresh SQLite file and then, when DATABASE_URL is set, that database too (it adds
plans to it: never point it at a database you keep)."""

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

import datetime as dt  # noqa: E402
import io  # noqa: E402
import secrets  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_wsoa.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from imports.services import apply_import, prepare_new_plan, prepare_returns  # noqa: E402

ROWS = 1_000
RUNS = 3
TARGET_SECONDS = 5
CODES = ["JC", "EHC", "LO", "HL", "ID", "OV", "PA", "CP", "SB", "WF"]


class Upload(io.BytesIO):
    def __init__(self, content: bytes):
        super().__init__(content)
        self.size = len(content)


def _workbook(rows: list[list]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Action plan")
    sheet.append(["Bench area: Written Statement of Action"])
    sheet.append([])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_rows(today: dt.date) -> list[list]:
    rows = [["Ref", "Action", "Workstream", "Owner", "Lead agency", "Sponsoring director",
             "Action lead", "Delivery team", "Partners", "Start date", "Due date", "RAG",
             "Progress update", "Date of update", "Success criteria"]]
    for number in range(ROWS):
        code = CODES[number % len(CODES)]
        rows.append([f"{code}{number // len(CODES) + 1}",
                     f"Action {number}: improve the local offer for families " * 3, code,
                     "Bench County Council", f"Agency {number % 7}",
                     "Sam Patel, Director of Education", f"Lead {number % 40}, Head of SEND",
                     f"Team {number % 12}", "NHS Bench ICB; Bench Parent Carer Forum",
                     dt.date(2025, 4, 1), dt.date(2027, 3, 31), "Amber",
                     "Work is under way; one milestone slipped.", today, "Waits fall"])
    return rows


def returns_rows(today: dt.date) -> list[list]:
    rows = [["Ref", "RAG", "Progress update", "Date of update"]]
    for number in range(ROWS):
        code = CODES[number % len(CODES)]
        rows.append([f"{code}{number // len(CODES) + 1}", "Green",
                     "Milestones for the quarter met.", today])
    return rows


def timed(step):
    started = time.perf_counter()
    result = step()
    return result, time.perf_counter() - started


def main() -> None:
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    plan_bytes, returns_bytes = _workbook(plan_rows(today)), _workbook(returns_rows(today))
    results = {key: [] for key in ("new check", "new write", "returns check",
                                   "returns write")}
    for _ in range(RUNS):
        slug = f"bench-{secrets.token_hex(3)}"
        prepared, seconds = timed(lambda slug=slug: prepare_new_plan(
            file=Upload(plan_bytes), file_name="bench.xlsx", name=slug, slug=slug,
            today=today))
        assert prepared.is_valid, prepared.problem_lines[:5]
        results["new check"].append(seconds)
        plan, seconds = timed(lambda prepared=prepared: apply_import(prepared))
        results["new write"].append(seconds)
        prepared, seconds = timed(lambda plan=plan: prepare_returns(
            plan=plan, file=Upload(returns_bytes), file_name="returns.xlsx", today=today))
        assert prepared.is_valid, prepared.problem_lines[:5]
        results["returns check"].append(seconds)
        _, seconds = timed(lambda prepared=prepared: apply_import(prepared))
        results["returns write"].append(seconds)
    median = {key: statistics.median(times) for key, times in results.items()}
    print(f"Database: {connection.vendor}. Importing a {ROWS:,}-row workbook, median of "
          f"{RUNS} runs; target under {TARGET_SECONDS} s checked and written.\n")
    print("| Import | Check and preview s | Write s | Total s | Target |")
    print("| --- | ---: | ---: | ---: | --- |")
    for label, key in (("New plan (1,000 actions, 1,000 progress updates)", "new"),
                       ("Returns (1,000 RAG changes)", "returns")):
        total = median[f"{key} check"] + median[f"{key} write"]
        print(f"| {label} | {median[f'{key} check']:.1f} | {median[f'{key} write']:.1f} | "
              f"{total:.1f} | {'meets' if total < TARGET_SECONDS else 'misses'} |")


if __name__ == "__main__":
    main()
