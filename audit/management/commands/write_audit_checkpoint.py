"""Anchor the audit trail outside the database: check it, then write a signed checkpoint
file. Run on a schedule (see the README's audit section)."""

from django.core.management.base import BaseCommand, CommandError

from audit.checkpoints import CheckpointRefused, write_checkpoint


class Command(BaseCommand):
    help = ("Check the audit trail as verify_audit does and, if it is intact, write a signed "
            "checkpoint (entry count, head hash, time) to AUDIT_CHECKPOINT_DIR.")

    def handle(self, *args, **options):
        try:
            checkpoint = write_checkpoint()
        except CheckpointRefused as refused:
            lines = [f"audit trail failed: {finding}" for finding in refused.report.findings]
            raise CommandError("\n".join([*lines, "no checkpoint written"])) from refused
        self.stdout.write(f"checkpoint written: {checkpoint.source}: {checkpoint.count} "
                          f"entries, head hash {checkpoint.head_hash}")
