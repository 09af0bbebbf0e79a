from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from monitoring.services import monitoring_pack
from plans.models import Plan
from plans.selectors import period_for_plan_or_404


class Command(BaseCommand):
    help = ("Write a reporting period's DfE / NHS England monitoring pack: "
            "export_monitoring_pack --plan essex --period 2020-21-Q3 -o pack.xlsx")

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="The plan's address, such as essex")
        parser.add_argument("--period", required=True,
                            help="The financial quarter, such as 2020-21-Q3")
        parser.add_argument("-o", "--output", required=True, help="The .xlsx file to write")

    def handle(self, *args, plan: str, period: str, output: str, **options):
        found = Plan.objects.select_related("local_area").filter(slug=plan).first()
        if found is None:
            raise CommandError(f"No plan has the address “{plan}”")
        try:
            chosen = period_for_plan_or_404(found, period)
        except Http404:
            raise CommandError(f"The {found.local_area} plan has no reporting period "
                               f"“{period}”: give a financial quarter such as 2020-21-Q3") from None
        _, content = monitoring_pack(plan=found, period=chosen,
                                     generated_by="export_monitoring_pack command")
        Path(output).write_bytes(content)
        state = "closed" if chosen.is_closed else "open: figures as they are now"
        self.stdout.write(f"Wrote {output}: {chosen.name} ({state})")
