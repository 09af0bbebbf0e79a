"""Foreign keys now name plans.Plan and plans.ReportingPeriod: the same tables as
before, so the database is unchanged."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("measures", "0002_reading_unit"),
        ("plans", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='historicalmeasure',
                    name='plan',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan'),
                ),
                migrations.AlterField(
                    model_name='historicalmeasurereading',
                    name='period',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.reportingperiod'),
                ),
                migrations.AlterField(
                    model_name='historicaloutcome',
                    name='plan',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan'),
                ),
                migrations.AlterField(
                    model_name='measure',
                    name='plan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='measures', to='plans.plan'),
                ),
                migrations.AlterField(
                    model_name='measurereading',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='readings', to='plans.reportingperiod'),
                ),
                migrations.AlterField(
                    model_name='outcome',
                    name='plan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outcomes', to='plans.plan'),
                ),
            ],
        ),
    ]
