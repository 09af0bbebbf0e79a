"""Walk the audit trail's hash chain and say whether it is intact."""

from django.core.management.base import BaseCommand, CommandError

from audit.services import verify_chain


class Command(BaseCommand):
    help = "Check every audit entry against its hash and the entry before it."

    def handle(self, *args, **options):
        checked, first_break = verify_chain()
        if first_break is not None:
            raise CommandError(f"audit trail broken at entry {first_break.sequence}: "
                               f"{first_break.problem}")
        self.stdout.write(f"audit trail intact: {checked} entries")
