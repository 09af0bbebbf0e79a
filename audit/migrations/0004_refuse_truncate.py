"""Emptying an audit or history table with TRUNCATE is refused like UPDATE and DELETE."""

from django.db import migrations

from audit.database import (
    append_only_tables,
    install_append_only_triggers,
    remove_truncate_triggers,
)


def install(apps, schema_editor):
    install_append_only_triggers(schema_editor.connection, append_only_tables(apps))


def remove(apps, schema_editor):
    remove_truncate_triggers(schema_editor.connection, append_only_tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_plans_own_plan"),
        ("accounts", "0003_account_history_baseline"),
    ]
    operations = [migrations.RunPython(install, remove)]
