from django.apps import AppConfig
from django.db.models.signals import post_migrate


def protect_history_tables(sender, using="default", **kwargs) -> None:
    """Tracked models added after the audit migration get the append-only trigger too."""
    from django.apps import apps
    from django.db import connections

    from .database import append_only_tables, install_append_only_triggers

    connection = connections[using]
    # After migrating backwards some models' tables no longer exist.
    existing = set(connection.introspection.table_names())
    install_append_only_triggers(connection, [table for table in append_only_tables(apps)
                                              if table in existing])


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from . import signals  # noqa: F401

        post_migrate.connect(protect_history_tables, sender=self,
                             dispatch_uid="audit_protect_history_tables")
