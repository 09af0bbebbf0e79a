"""Take a role in a plan away from a person, with the change and its reason in the audit
trail. Revoking a role the person does not hold says so and succeeds."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from audit.context import acting_as
from plans.services import membership_revoke

from ._memberships import ROLES, add_common_arguments, user_and_plan


class Command(BaseCommand):
    help = "Take a role (board, lead, officer, admin or adviser) in a plan away from USERNAME."

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument("--reason", default="Revoked with the revoke command",
                            help="Why, for the audit trail.")

    def handle(self, *args, **options):
        user, plan = user_and_plan(options)
        role = ROLES[options["role"]]
        try:
            with acting_as("command: revoke"):
                revoked = membership_revoke(user=user, plan=plan, role=role,
                                            reason=options["reason"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if revoked:
            self.stdout.write(f"{user.username} is no longer {role.label.lower()} in {plan.slug}.")
        else:
            self.stdout.write(f"{user.username} does not hold the role {role.label.lower()} in "
                              f"{plan.slug}: nothing to revoke.")
