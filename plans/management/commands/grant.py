"""Give a person a role in a plan, as the admin site's Memberships page does, with the
change and its reason in the audit trail."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from audit.context import acting_as
from plans.services import membership_grant
from workstreams.models import Workstream

from ._memberships import ROLES, add_common_arguments, user_and_plan


class Command(BaseCommand):
    help = ("Give USERNAME a role (board, lead, officer, admin or adviser) in a plan; a lead "
            "names the workstreams they lead with --workstream.")

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument("--workstream", action="append", default=[], metavar="CODE",
                            help="A workstream a lead leads, such as JC (repeat for more).")
        parser.add_argument("--reason", default="Granted with the grant command",
                            help="Why, for the audit trail.")

    def handle(self, *args, **options):
        user, plan = user_and_plan(options)
        codes = [code.upper() for code in options["workstream"]]
        workstreams = list(Workstream.objects.filter(plan=plan, code__in=codes))
        missing = sorted(set(codes) - {w.code for w in workstreams})
        if missing:
            raise CommandError(f"{plan.slug} has no workstream {', '.join(missing)}.")
        role = ROLES[options["role"]]
        try:
            with acting_as("command: grant"):
                _, changed = membership_grant(user=user, plan=plan, role=role,
                                              workstreams=workstreams, reason=options["reason"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        led = f" leading {', '.join(codes)}" if codes else ""
        if changed:
            self.stdout.write(f"{user.username} is now {role.label.lower()}{led} in {plan.slug}.")
        else:
            self.stdout.write(f"{user.username} was already {role.label.lower()}{led} in "
                              f"{plan.slug}: nothing changed.")
