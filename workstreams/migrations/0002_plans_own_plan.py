"""Plan, ReportingPeriod and BoardMeeting now live in plans/; their tables stay as they
are, so this changes Django's picture of the models and nothing in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("workstreams", "0001_initial"),
        ("plans", "0001_initial"),
        ("actions", "0003_plans_own_plan"),
        ("audit", "0003_plans_own_plan"),
        ("measures", "0003_plans_own_plan"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='historicalorganisation',
                    name='plan',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan'),
                ),
                migrations.AlterField(
                    model_name='historicalfeedbackpoint',
                    name='plan',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan'),
                ),
                migrations.AlterField(
                    model_name='historicalweakness',
                    name='plan',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan'),
                ),
                migrations.AlterField(
                    model_name='historicalworkstream',
                    name='plan',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan'),
                ),
                migrations.AlterField(
                    model_name='organisation',
                    name='plan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='organisations', to='plans.plan'),
                ),
                migrations.AlterField(
                    model_name='weakness',
                    name='plan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='weaknesses', to='plans.plan'),
                ),
                migrations.AlterField(
                    model_name='feedbackpoint',
                    name='plan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='feedback_points', to='plans.plan'),
                ),
                migrations.AlterField(
                    model_name='area',
                    name='plan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='areas', to='plans.plan'),
                ),
                migrations.AlterField(
                    model_name='workstream',
                    name='plan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='workstreams', to='plans.plan'),
                ),
                migrations.DeleteModel(name='ReportingPeriod'),
                migrations.DeleteModel(name='HistoricalBoardMeeting'),
                migrations.DeleteModel(name='BoardMeeting'),
                migrations.DeleteModel(name='HistoricalPlan'),
                migrations.DeleteModel(name='Plan'),
            ],
        ),
    ]
