import secrets

from django.core.management import call_command
from django.db import migrations, models


def create_cache_table_and_revision(apps, schema_editor):
    # The cache lives in the database, like sessions, so every app server shares it.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)
    apps.get_model("pagecache", "DataRevision").objects.using(
        schema_editor.connection.alias).create(pk=1, token=secrets.token_hex(16))


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='DataRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(create_cache_table_and_revision, migrations.RunPython.noop),
    ]
