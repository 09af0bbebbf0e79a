"""Walk the audit trail's hash chain and hold it to the latest checkpoint and to any
checkpoint copied from a pack; say whether it is intact, or name how it fails."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.checkpoints import parse_expected, verify_trail


class Command(BaseCommand):
    help = ("Check every audit entry against its hash and the entry before it, and the trail "
            "against the latest checkpoint file and any --expect COUNT:HASH. Fails (exit "
            "status 1) naming a broken chain, truncation, a missing tail, a recomputed chain "
            "or a forged checkpoint.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect", action="append", default=[], metavar="COUNT:HASH",
            help="a checkpoint copied from a board or monitoring pack; may be repeated")

    def handle(self, *args, **options):
        try:
            expected = [parse_expected(text) for text in options["expect"]]
        except ValueError as error:
            raise CommandError(f"--expect {error}") from error
        try:
            report = verify_trail(expected)
        except OSError as error:
            raise CommandError(f"cannot read the checkpoints in "
                               f"{settings.AUDIT_CHECKPOINT_DIR}: {error}") from error
        if not report.intact:
            lines = [f"audit trail failed: {finding}" for finding in report.findings]
            raise CommandError("\n".join(lines))
        self.stdout.write(f"audit trail intact: {report.count} entries, head hash "
                          f"{report.head_hash or 'none'}")
        for checkpoint in report.checked_against:
            made = (f", made {checkpoint.made_at:%Y-%m-%d %H:%M:%S %Z}"
                    if checkpoint.made_at else "")
            self.stdout.write(f"holds checkpoint {checkpoint.source}{made}: "
                              f"{checkpoint.count} entries, head hash {checkpoint.head_hash}")
        if not any(checkpoint.made_at for checkpoint in report.checked_against):
            self.stdout.write(f"no checkpoint file in {settings.AUDIT_CHECKPOINT_DIR}: write "
                              f"one with `python manage.py write_audit_checkpoint`")
