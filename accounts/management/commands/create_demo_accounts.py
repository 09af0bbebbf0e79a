"""Demo accounts for trying the service locally. Refuses to run with DEBUG off, so a
production database never holds a known password."""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from audit.context import acting_as
from plans.models import Membership, Plan
from plans.services import membership_grant
from workstreams.models import Workstream

DEMO_PASSWORD_SUFFIX = "-demo-only"
ACTOR = "command: create_demo_accounts"
REASON = "Demo account for trying the service locally"
Role = Membership.Role

# username, full name, role in each plan, workstream codes led
DEMO_ACCOUNTS = [
    ("board", "Bola Member", Role.BOARD, []),
    ("officer", "Olu Officer", Role.OFFICER, []),
    ("admin", "Ada Administrator", Role.ADMIN, []),
    ("jc-lead", "Jo Commissioning", Role.LEAD, ["JC"]),
    ("ehc-lead", "Em Plans", Role.LEAD, ["EHC"]),
]


def demo_password(username: str) -> str:
    return f"{username}{DEMO_PASSWORD_SUFFIX}"


class Command(BaseCommand):
    help = ("Create the demo accounts (one per role, plus JC and EHC leads) with their roles "
            "in the plan named. DEBUG only.")

    def add_arguments(self, parser):
        parser.add_argument("--plan", default="essex", help="The plan the accounts hold roles in.")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local use only: refusing with DEBUG off.")
        # The accounts and their roles name this command as actor.
        with acting_as(ACTOR), transaction.atomic():
            self._create(Plan.objects.filter(slug=options["plan"]).first())

    def _create(self, plan: Plan | None) -> None:
        for username, full_name, role, codes in DEMO_ACCOUNTS:
            first, last = full_name.split(" ", 1)
            user = User.objects.filter(username=username).first()
            created = user is None
            if created:
                user = User(username=username, first_name=first, last_name=last)
                user.set_password(demo_password(username))
            # The demo administrator is also the site administrator, who manages accounts.
            user.is_staff = role == Role.ADMIN
            user.is_superuser = role == Role.ADMIN
            user._change_reason = REASON
            user.save()
            if plan is not None:
                led = list(Workstream.objects.filter(plan=plan, code__in=codes))
                if len(led) == len(codes):
                    membership_grant(user=user, plan=plan, role=role, reason=REASON,
                                     workstreams=led)
            label = Role(role).label
            self.stdout.write(f"{'created' if created else 'kept'} {username} ({label})")
