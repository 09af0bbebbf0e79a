"""A first history row for each account that existed before account changes were recorded,
so its first recorded change shows only what changed, not every field as new."""

from django.db import migrations
from django.utils import timezone

REASON = "Account as it stood when changes to accounts began to be recorded"


def record_baseline(apps, schema_editor):
    User = apps.get_model("auth", "User")
    HistoricalUser = apps.get_model("accounts", "HistoricalUser")
    db = schema_editor.connection.alias
    names = [field.attname for field in HistoricalUser._meta.fields
             if not field.name.startswith("history_")]
    recorded = HistoricalUser.objects.using(db).values("id")
    now = timezone.now()
    HistoricalUser.objects.using(db).bulk_create([
        HistoricalUser(**{name: getattr(user, name) for name in names}, history_date=now,
                       history_type="+", history_change_reason=REASON)
        for user in User.objects.using(db).exclude(pk__in=recorded).order_by("pk")])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_account_history")]
    operations = [migrations.RunPython(record_baseline, migrations.RunPython.noop)]
