"""Send the reminders due today. Run it once a day (cron or the platform's scheduler); a
second run on the same day sends nothing twice."""

import datetime as dt

from django.core.management.base import BaseCommand

from reminders.services import send_reminders
from send_wsoa.commands import day_argument


class Command(BaseCommand):
    help = "Email each lead what they still owe before a deadline (once per reminder)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", type=day_argument,
                            help="Send as if on this day (YYYY-MM-DD).")

    def handle(self, *args, today: dt.date | None = None, **options) -> None:
        sent = send_reminders(today=today)
        self.stdout.write(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent")
