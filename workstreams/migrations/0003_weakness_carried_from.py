import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workstreams', '0002_plans_own_plan'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalweakness',
            name='carried_from',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='workstreams.weakness'),
        ),
        migrations.AddField(
            model_name='weakness',
            name='carried_from',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='carried_into', to='workstreams.weakness'),
        ),
    ]
