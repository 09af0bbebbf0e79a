"""Make a plan's reporting periods ahead of need, so no page ever has to: run it when a
plan's end date moves, or quarterly (cron) for a plan whose end is open."""


from django.core.management.base import BaseCommand, CommandError

from audit.context import acting_as
from plans.models import Plan
from plans.services import reporting_periods_extend
from send_wsoa.commands import day_argument


class Command(BaseCommand):
    help = "Create the reporting periods of a plan's span (or through a date) that are missing."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="The plan's slug, such as essex.")
        parser.add_argument("--through", type=day_argument,
                            help="Last day to cover, as 2027-03-31 (default: the plan's end, "
                                 "or today while its end is open).")

    def handle(self, *args, **options):
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"No plan with the slug {options['plan']!r}.")
        before = plan.periods.count()
        with acting_as("command: extend_reporting_periods"):
            periods = reporting_periods_extend(plan=plan, through=options["through"])
        added = plan.periods.count() - before
        last = periods[-1].financial_quarter if periods else "none"
        self.stdout.write(f"{plan.slug}: {added} reporting period{'s' if added != 1 else ''} "
                          f"added; the last is {last}.")
