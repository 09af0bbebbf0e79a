"""Record, for every plan, the plan as the board left its last meeting. Run it once a day
(cron or the platform's scheduler), after midnight; a meeting's baseline is recorded once,
so later runs leave it as it is."""

import datetime as dt

from django.core.management.base import BaseCommand

from dashboard.services import board_baseline_record
from plans.models import Plan
from send_wsoa.commands import day_argument


class Command(BaseCommand):
    help = ("Record each action's RAG and due date at the end of the board's last meeting "
            "day, which \"since the last board\" compares the plan with.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", type=day_argument,
                            help="Record as if on this day (YYYY-MM-DD).")

    def handle(self, *args, today: dt.date | None = None, **options) -> None:
        recorded = 0
        for plan in Plan.objects.order_by("slug"):
            if board_baseline_record(plan=plan, today=today) is not None:
                recorded += 1
        self.stdout.write(f"{recorded} plan{'s' if recorded != 1 else ''} with a baseline "
                          "of the board's last meeting")
