"""Plan, ReportingPeriod and BoardMeeting move here from workstreams/. Their tables keep
their names and rows, so this only tells Django where the models now live."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("workstreams", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='Plan',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('source_document', models.CharField(blank=True, max_length=200)),
                    ('source_passage', models.TextField(blank=True)),
                    ('slug', models.SlugField(unique=True)),
                    ('local_area', models.CharField(max_length=100)),
                    ('title', models.CharField(max_length=300)),
                    ('inspection_start', models.DateField(blank=True, null=True)),
                    ('inspection_end', models.DateField(blank=True, null=True)),
                    ('report_published', models.DateField(blank=True, null=True)),
                    ('statement_submitted', models.DateField(blank=True, null=True)),
                    ('declared_fit_for_purpose', models.DateField(blank=True, null=True)),
                    ('board_signed_off', models.DateField(blank=True, null=True)),
                    ('expected_revisit', models.CharField(blank=True, max_length=200)),
                    ('has_demo_data', models.BooleanField(default=False)),
                ],
                options={
                    'db_table': 'workstreams_plan',
                    'ordering': ['local_area', 'slug'],
                },
            ),
            migrations.CreateModel(
                name='HistoricalPlan',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('source_document', models.CharField(blank=True, max_length=200)),
                    ('source_passage', models.TextField(blank=True)),
                    ('slug', models.SlugField()),
                    ('local_area', models.CharField(max_length=100)),
                    ('title', models.CharField(max_length=300)),
                    ('inspection_start', models.DateField(blank=True, null=True)),
                    ('inspection_end', models.DateField(blank=True, null=True)),
                    ('report_published', models.DateField(blank=True, null=True)),
                    ('statement_submitted', models.DateField(blank=True, null=True)),
                    ('declared_fit_for_purpose', models.DateField(blank=True, null=True)),
                    ('board_signed_off', models.DateField(blank=True, null=True)),
                    ('expected_revisit', models.CharField(blank=True, max_length=200)),
                    ('has_demo_data', models.BooleanField(default=False)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.TextField(null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'workstreams_historicalplan',
                    'verbose_name': 'historical plan',
                    'verbose_name_plural': 'historical plans',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalBoardMeeting',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('date', models.DateField()),
                    ('notes', models.TextField(blank=True)),
                    ('is_demo', models.BooleanField(default=False)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.TextField(null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan')),
                ],
                options={
                    'db_table': 'workstreams_historicalboardmeeting',
                    'verbose_name': 'historical board meeting',
                    'verbose_name_plural': 'historical board meetings',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='BoardMeeting',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('date', models.DateField()),
                    ('notes', models.TextField(blank=True)),
                    ('is_demo', models.BooleanField(default=False)),
                    ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='board_meetings', to='plans.plan')),
                ],
                options={
                    'db_table': 'workstreams_boardmeeting',
                    'ordering': ['plan', '-date'],
                },
            ),
            migrations.CreateModel(
                name='ReportingPeriod',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('label', models.CharField(max_length=20)),
                    ('start', models.DateField()),
                    ('end', models.DateField()),
                    ('frozen_at', models.DateTimeField(blank=True, null=True)),
                    ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='periods', to='plans.plan')),
                ],
                options={
                    'db_table': 'workstreams_reportingperiod',
                    'ordering': ['plan', 'start'],
                },
            ),
            migrations.AddConstraint(
                model_name='boardmeeting',
                constraint=models.UniqueConstraint(fields=('plan', 'date'), name='one_board_meeting_a_day'),
            ),
            migrations.AddConstraint(
                model_name='reportingperiod',
                constraint=models.UniqueConstraint(fields=('plan', 'label'), name='period_label_unique_per_plan'),
            ),
            migrations.AddConstraint(
                model_name='reportingperiod',
                constraint=models.CheckConstraint(condition=models.Q(('end__gte', models.F('start'))), name='period_ends_after_it_starts'),
            ),
            ],
        ),
    ]
