"""python manage.py delete_abandoned_uploads [--hours 24]

Deletes plan workbooks kept for a preview that was never confirmed. A new preview does so
too; run this daily from cron so a quiet site keeps none either."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from imports.services import KEPT_UPLOAD_MAX_AGE, delete_abandoned_uploads


class Command(BaseCommand):
    help = "Delete uploaded plan workbooks whose preview was not confirmed within --hours."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int,
                            default=int(KEPT_UPLOAD_MAX_AGE.total_seconds() // 3600),
                            help="Age in hours after which a kept upload is deleted "
                                 "(default: %(default)s).")

    def handle(self, *args, **options):
        hours = options["hours"]
        if not 1 <= hours <= 24 * 365:
            raise CommandError("--hours must be between 1 and 8760")
        deleted = delete_abandoned_uploads(max_age=dt.timedelta(hours=hours))
        self.stdout.write(f"Deleted {len(deleted)} abandoned upload"
                          f"{'s' if len(deleted) != 1 else ''} older than {hours} hours")
