from django.db import migrations

# An action's due date as it stood on a day is one seek in this index (the dashboard's
# "since the last board" asks it of every action). Declared in SQL because the historical
# model's options are built by django-simple-history, which has no setting for an index.
INDEX = "action_history_as_of_idx"


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0004_progress_update_covering_indexes'),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON actions_historicalaction "
            "(id, history_date, history_id, current_due_date)",
            reverse_sql=f"DROP INDEX {INDEX}",
        ),
    ]
