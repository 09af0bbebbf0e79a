"""The one place that sees changes made by views, admin, imports and commands alike; the
audit requirement outranks the rule against logic in signals, so each receiver only
hands over to audit.services."""

from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from . import services


@receiver(post_create_historical_record, dispatch_uid="audit_history_record")
def history_record_created(sender, instance, history_instance, history_user,
                           history_change_reason, **kwargs):
    services.record_history_change(instance=instance, history_instance=history_instance,
                                   history_user=history_user,
                                   history_change_reason=history_change_reason)
