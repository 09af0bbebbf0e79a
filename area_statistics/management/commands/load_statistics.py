"""python manage.py load_statistics FILE --indicator COLUMN --name "..." --unit percent ..."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from area_statistics.models import Indicator
from area_statistics.reading import LAYOUTS, FileRefused, parse_where
from area_statistics.services import statistics_load
from audit.context import acting_as


class Command(BaseCommand):
    help = ("Load one figure of a published statistics file (the Explore Education Statistics "
            "open-data layout, or NHS England's community health waiting lists) for every "
            "area and period it gives. All or nothing; loading the same file again changes "
            "nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--indicator", required=True,
                            help="The file's column, such as no_exc_20week_rate.")
        parser.add_argument("--name", required=True, help="What the figure is, in words.")
        parser.add_argument("--unit", required=True, choices=Indicator.Unit.values)
        parser.add_argument("--better", choices=["higher", "lower"], default="")
        parser.add_argument("--where", action="append", default=[], metavar="COLUMN=VALUE",
                            help="Choose the rows of one breakdown; repeat for several columns.")
        parser.add_argument("--layout", choices=LAYOUTS, default="ees")
        parser.add_argument("--publisher", default="",
                            help="Who publishes the file, when it is not one the product ships.")
        parser.add_argument("--title", default="", help="The publication's title.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check the file and say what would change, saving nothing.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            with acting_as("command: load_statistics"):
                result = statistics_load(
                    path=path, indicator=options["indicator"], name=options["name"],
                    unit=options["unit"], better=options["better"],
                    where=parse_where(options["where"]), layout=options["layout"],
                    publisher=options["publisher"], title=options["title"],
                    dry_run=options["dry_run"])
        except FileRefused as refused:
            raise CommandError(f"{path.name} was not loaded; nothing was saved:\n"
                               + "\n".join(refused.problems)) from None
        self.stdout.write(f"{path.name}, {options['indicator']}: {result.summary()}"
                          + (" (dry run: nothing saved)" if options["dry_run"] else ""))
