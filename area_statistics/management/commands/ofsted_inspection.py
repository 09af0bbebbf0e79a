"""The Ofsted file's facts of an area's SEND inspection, shown for a person to confirm, then
recorded for a plan, used to create one, or (with --revisit) to record the revisit's
judgements and close the plan to monitoring.

    python manage.py ofsted_inspection E10000012
    python manage.py ofsted_inspection E10000012 --plan essex --revisit --confirm --reason "..."
    python manage.py ofsted_inspection E06000055 --new-plan bedford --title "..." --confirm \\
        --reason "..."
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from area_statistics.ofsted import ofsted_facts
from area_statistics.reading import FileRefused
from area_statistics.services import inspection_record, plan_create_from_ofsted, revisit_record
from audit.context import acting_as
from plans.models import Plan


class Command(BaseCommand):
    help = ("Show an area's facts from Ofsted's file of area SEND inspections; with --confirm, "
            "record them for a plan (--plan) or create a plan from them (--new-plan).")

    def add_arguments(self, parser):
        parser.add_argument("ons_code", help="The local authority's ONS code, such as E10000012.")
        parser.add_argument("--plan", help="Record the facts for this existing plan (slug).")
        parser.add_argument("--new-plan", help="Create a plan with this slug from the facts.")
        parser.add_argument("--title", default="", help="The new plan's title.")
        parser.add_argument("--revisit", action="store_true",
                            help="Also record the revisit's judgement on each weakness and "
                                 "close the plan to monitoring.")
        parser.add_argument("--confirm", action="store_true",
                            help="The facts shown are right: record them.")
        parser.add_argument("--reason", default="", help="Why, for the audit trail.")

    def handle(self, *args, **options):
        try:
            facts = ofsted_facts(options["ons_code"])
        except FileRefused as refused:
            raise CommandError("\n".join(refused.problems)) from None
        for line in facts.lines():
            self.stdout.write(line)
        if not (options["plan"] or options["new_plan"]):
            return
        if not options["confirm"]:
            self.stdout.write("Nothing recorded: check the facts above, then run again with "
                              "--confirm.")
            return
        reason = options["reason"] or "Confirmed from Ofsted's file of area SEND inspections"
        try:
            with acting_as("command: ofsted_inspection"), transaction.atomic():
                if options["new_plan"]:
                    if not options["title"]:
                        raise CommandError("Give the new plan's title with --title")
                    plan = plan_create_from_ofsted(slug=options["new_plan"],
                                                   title=options["title"], facts=facts,
                                                   user=None, reason=reason)
                else:
                    plan = Plan.objects.filter(slug=options["plan"]).first()
                    if plan is None:
                        raise CommandError(f"No plan {options['plan']!r}")
                    if not plan.is_closed:
                        inspection_record(plan=plan, facts=facts, user=None, reason=reason)
                if options["revisit"] and not plan.is_closed:
                    revisit_record(plan=plan, user=None, reason=reason)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Recorded for {plan.local_area}: {plan.get_status_display().lower()}")
