"""Send the reminders due today. Run it once a day (cron or the platform's scheduler); a
second run on the same day sends nothing twice."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from reminders.services import send_reminders


class Command(BaseCommand):
    help = "Email each lead what they still owe before a deadline (once per reminder)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Send as if on this day (YYYY-MM-DD).")

    def handle(self, *args, today: str | None = None, **options) -> None:
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(f"--today must be a date such as 2026-12-07: {error}") from error
        sent = send_reminders(today=day)
        self.stdout.write(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent")
