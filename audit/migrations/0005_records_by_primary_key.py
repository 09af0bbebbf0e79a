"""An action's History tab finds the entries of its records by primary key, not by ref."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_refuse_truncate'),
        ('plans', '0003_source_documents'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['object_kind', 'object_id', 'sequence'], name='audit_audit_object__80a531_idx'),
        ),
    ]
