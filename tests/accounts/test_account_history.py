import importlib

from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection

from audit.models import AuditEntry

baseline = importlib.import_module("accounts.migrations.0003_account_history_baseline")


def test_first_change_to_an_account_older_than_its_history_shows_only_what_changed(db):
    person = User(username="old-timer", first_name="Olu", last_name="Day")
    person.skip_history_when_saving = True
    person.save()
    del person.skip_history_when_saving
    editor = type("SchemaEditor", (), {"connection": connection})()

    baseline.record_baseline(apps, editor)
    baseline.record_baseline(apps, editor)
    person.is_superuser = True
    person._change_reason = "Taking over as administrator"
    person.save()

    assert person.history.count() == 2
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.object_kind, entry.object_label) == ("account", "O. Day")
    assert entry.changes == {"Superuser status": ["No", "Yes"]}
    assert entry.reason == "Taking over as administrator"
