from django.apps import AppConfig
from django.db.models.signals import post_migrate


def watch_tables(sender, using="default", **kwargs) -> None:
    """Tables added or rebuilt by a migration (SQLite rebuilds a table to alter it, which
    drops its triggers) get the revision triggers again."""
    from django.apps import apps
    from django.db import connections

    from .database import install_revision_triggers, watched_tables

    connection = connections[using]
    existing = set(connection.introspection.table_names())
    install_revision_triggers(connection, {table: columns for table, columns
                                           in watched_tables(apps, connection).items()
                                           if table in existing})


class PagecacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        post_migrate.connect(watch_tables, sender=self, dispatch_uid="pagecache_watch_tables")
