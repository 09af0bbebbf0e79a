"""Record, for every plan, the plan as the board left its last meeting. Run it once a day
(cron or the platform's scheduler), after midnight; a meeting's baseline is recorded once,
so later runs leave it as it is."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from dashboard.services import board_baseline_record
from plans.models import Plan


class Command(BaseCommand):
    help = ("Record each action's RAG and due date at the end of the board's last meeting "
            "day, which \"since the last board\" compares the plan with.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Record as if on this day (YYYY-MM-DD).")

    def handle(self, *args, today: str | None = None, **options) -> None:
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(f"--today must be a date such as 2026-12-07: {error}") from error
        recorded = 0
        for plan in Plan.objects.order_by("slug"):
            if board_baseline_record(plan=plan, today=day) is not None:
                recorded += 1
        self.stdout.write(f"{recorded} plan{'s' if recorded != 1 else ''} with a baseline "
                          "of the board's last meeting")
