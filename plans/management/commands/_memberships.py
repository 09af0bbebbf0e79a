"""What `grant` and `revoke` share: the roles by their short names, and finding the
person and the plan or saying plainly which is missing."""

from django.contrib.auth.models import User
from django.core.management.base import CommandError

from plans.models import Membership, Plan

ROLES = {"board": Membership.Role.BOARD, "lead": Membership.Role.LEAD,
         "officer": Membership.Role.OFFICER, "admin": Membership.Role.ADMIN,
         "adviser": Membership.Role.ADVISER}


def add_common_arguments(parser) -> None:
    parser.add_argument("username")
    parser.add_argument("role", choices=sorted(ROLES))
    parser.add_argument("--plan", required=True, help="The plan's slug, such as essex.")


def user_and_plan(options: dict) -> tuple[User, Plan]:
    user = User.objects.filter(username=options["username"]).first()
    if user is None:
        raise CommandError(f"No account with the username {options['username']!r}.")
    plan = Plan.objects.filter(slug=options["plan"]).first()
    if plan is None:
        raise CommandError(f"No plan with the slug {options['plan']!r}.")
    return user, plan
