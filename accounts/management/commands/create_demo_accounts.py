"""Demo accounts for trying the service locally. Refuses to run with DEBUG off, so a
production database never holds a known password."""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import Role
from audit.context import acting_as
from workstreams.models import Plan, Workstream

DEMO_PASSWORD_SUFFIX = "-demo-only"
ACTOR = "command: create_demo_accounts"
REASON = "Demo account for trying the service locally"

# username, full name, role, workstream codes led
DEMO_ACCOUNTS = [
    ("board", "Bola Member", Role.BOARD_MEMBER, []),
    ("officer", "Olu Officer", Role.OFFICER, []),
    ("admin", "Ada Administrator", Role.ADMINISTRATOR, []),
    ("jc-lead", "Jo Commissioning", Role.WORKSTREAM_LEAD, ["JC"]),
    ("ehc-lead", "Em Plans", Role.WORKSTREAM_LEAD, ["EHC"]),
]


def demo_password(username: str) -> str:
    return f"{username}{DEMO_PASSWORD_SUFFIX}"


class Command(BaseCommand):
    help = "Create the demo accounts (one per role, plus JC and EHC leads). DEBUG only."

    def add_arguments(self, parser):
        parser.add_argument("--plan", default="essex",
                            help="Plan whose workstreams the leads lead.")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local use only: refusing with DEBUG off.")
        # The accounts, their roles and the workstreams they lead name this command as actor.
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
            user.is_staff = role == Role.ADMINISTRATOR
            user.is_superuser = role == Role.ADMINISTRATOR
            user._change_reason = REASON
            user.save()
            user.groups.add(Group.objects.get(name=role))
            if plan is not None:
                for workstream in Workstream.objects.filter(plan=plan, code__in=codes):
                    workstream._change_reason = REASON
                    workstream.leads.add(user)
            self.stdout.write(f"{'created' if created else 'kept'} {username} ({role})")
