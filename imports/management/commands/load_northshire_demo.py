"""Loads the fictional Northshire plan through the importer, as a council would: the plan
workbook (fixtures/northshire_plan.xlsx), then a returns workbook for each quarter up to
today's. The plan is marked as demo data, so every page of it says so. Running it again
changes nothing once the plan exists."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from audit.context import acting_as
from imports.northshire import FIRST_UPDATE, NAME, SLUG, WORKBOOK, quarters_since, write_returns
from imports.services import apply_import, prepare_new_plan, prepare_returns
from plans.models import Plan

REASON = "Fictional demo plan for trying the service"


def _open(path: Path):
    file = path.open("rb")
    file.size = path.stat().st_size
    return file


class Command(BaseCommand):
    help = ("Load the fictional Northshire plan through the importer, with a returns "
            "workbook for each quarter up to today's. DEBUG or not, it is marked as demo data.")

    def handle(self, *args, **options):
        if Plan.objects.filter(slug=SLUG).exists():
            self.stdout.write(f"{NAME}: kept as it is")
            return
        today = timezone.localdate()
        with acting_as("command: load_northshire_demo"), transaction.atomic():
            with _open(WORKBOOK) as file:
                prepared = prepare_new_plan(file=file, file_name=WORKBOOK.name, name=NAME,
                                            slug=SLUG, today=today)
            if not prepared.is_valid:
                raise CommandError("\n".join(prepared.problem_lines))
            plan = apply_import(prepared)
            plan.has_demo_data = True
            plan._change_reason = REASON
            plan.save()
            with tempfile.TemporaryDirectory() as folder:
                for label, start, _ in quarters_since(FIRST_UPDATE, today):
                    path = write_returns(Path(folder) / f"northshire-returns-{label}.xlsx",
                                         plan=plan, label=label, start=start, today=today)
                    with _open(path) as file:
                        returns = prepare_returns(plan=plan, file=file, file_name=path.name,
                                                  today=today)
                    if not returns.is_valid:
                        raise CommandError("\n".join(returns.problem_lines))
                    apply_import(returns)
                    self.stdout.write(f"{path.name}: {returns.change_count} changes")
        self.stdout.write(f"{NAME}: {plan.actions.count()} actions loaded (fictional)")
