"""Who leads a workstream is now a lead's membership of the plan (plans 0002 copied it
there). The history of the old leads table stays in the database as it was written."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('workstreams', '0003_weakness_carried_from'),
        ('plans', '0002_areas_kinds_memberships'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='workstream',
            name='leads',
        ),
        # Append-only history: the model goes, the table and its rows are kept.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name='HistoricalWorkstream_leads')],
        ),
    ]
