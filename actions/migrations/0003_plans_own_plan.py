"""Foreign keys now name plans.Plan and plans.ReportingPeriod: the same tables as
before, so the database is unchanged."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("actions", "0002_initial"),
        ("plans", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='action',
                    name='plan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='plans.plan'),
                ),
                migrations.AlterField(
                    model_name='historicalaction',
                    name='plan',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan'),
                ),
                migrations.AlterField(
                    model_name='historicalprogressupdate',
                    name='period',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.reportingperiod'),
                ),
                migrations.AlterField(
                    model_name='progressupdate',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='progress_updates', to='plans.reportingperiod'),
                ),
            ],
        ),
    ]
