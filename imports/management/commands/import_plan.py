"""python manage.py import_plan FILE.xlsx --new-plan "Norfolk" [--kind wsoa] [--dry-run]
python manage.py import_plan FILE.xlsx --plan essex [--dry-run]

Checks the whole workbook, prints every problem (sheet, row, column, value) or what would
be created and changed, and writes it all in one transaction unless --dry-run. Exit status
2 when the file is refused (not a workbook, empty, too big), 1 when it has problems."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from imports.services import Prepared, apply_import, prepare_new_plan, prepare_returns
from plans.models import Plan

REFUSED = 2


class Command(BaseCommand):
    help = "Import a plan workbook: a new plan (--new-plan NAME) or returns (--plan SLUG)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx workbook.")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--new-plan", metavar="NAME",
                            help="Create a plan for this local area from the workbook.")
        target.add_argument("--plan", metavar="SLUG",
                            help="Import returns into this plan (rows matched by ref).")
        parser.add_argument("--slug", default="", help="The new plan's web address "
                                                       "(default: from its name).")
        parser.add_argument("--kind", default=Plan.Kind.WSOA, choices=Plan.Kind.values,
                            help="The new plan's kind.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check and show what would change; write nothing.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}", returncode=REFUSED)
        today = timezone.localdate()
        try:
            with path.open("rb") as file:
                file.size = path.stat().st_size
                if options["new_plan"] is not None:
                    prepared = prepare_new_plan(
                        file=file, file_name=path.name, name=options["new_plan"],
                        slug=options["slug"], kind=options["kind"], today=today)
                else:
                    plan = Plan.objects.filter(slug=options["plan"]).first()
                    if plan is None:
                        raise CommandError(f"No plan with the web address {options['plan']!r}")
                    prepared = prepare_returns(plan=plan, file=file, file_name=path.name,
                                               today=today)
        except ValidationError as error:
            raise CommandError(f"{path.name}: {' '.join(error.messages)}",
                               returncode=REFUSED) from None
        self._report(prepared)
        if not prepared.is_valid:
            raise CommandError(f"{path.name}: {len(prepared.problems)} problem(s); nothing "
                               "was imported")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
            return
        plan = apply_import(prepared)
        self.stdout.write(self.style.SUCCESS(
            f"Imported {path.name} into {plan.local_area} ({plan.slug}): "
            f"{prepared.change_count} change(s) to {len(prepared.actions)} action(s)"))

    def _report(self, prepared: Prepared) -> None:
        for note in prepared.notes:
            self.stdout.write(f"Note: {note}")
        for line in prepared.problem_lines:
            self.stderr.write(line)
        if not prepared.is_valid:
            return
        if prepared.plan is None:
            self.stdout.write(f"New plan: {prepared.new_plan_name}")
            self.stdout.write("Workstreams: " + "; ".join(prepared.new_workstreams))
        if prepared.new_organisations:
            self.stdout.write("New organisations: " + "; ".join(prepared.new_organisations))
        for action in prepared.actions:
            self.stdout.write(f"{action.ref}{' (new)' if action.is_new else ''}: "
                              f"{action.title}")
            for change in action.changes:
                old = f"{change.old} -> " if change.old else ""
                self.stdout.write(f"  {change.field}: {old}{change.new}")
        if prepared.unchanged:
            self.stdout.write(f"{prepared.unchanged} action(s) unchanged")
