from django.db import migrations

from audit.database import (
    append_only_tables,
    install_append_only_triggers,
    remove_append_only_triggers,
)


def install(apps, schema_editor):
    install_append_only_triggers(schema_editor.connection, append_only_tables(apps))


def remove(apps, schema_editor):
    remove_append_only_triggers(schema_editor.connection, append_only_tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("workstreams", "0001_initial"),
        ("actions", "0002_initial"),
        ("measures", "0001_initial"),
    ]
    operations = [migrations.RunPython(install, remove)]
