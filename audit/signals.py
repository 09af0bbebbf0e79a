"""The one place that sees changes made by views, admin, imports and commands alike; the
audit requirement outranks the rule against logic in signals, so each receiver only
hands over to audit.services."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from simple_history.signals import (
    post_create_historical_record,
    pre_create_historical_m2m_records,
    pre_create_historical_record,
)

from . import services


@receiver(pre_create_historical_record, dispatch_uid="audit_history_record_kept")
def history_record_about_to_be_saved(sender, history_instance, **kwargs):
    services.defer_history_record(history_instance)


@receiver(pre_create_historical_m2m_records, dispatch_uid="audit_history_m2m_rows_kept")
def history_m2m_rows_about_to_be_saved(sender, rows, history_instance, **kwargs):
    services.defer_history_m2m_rows(history_instance, rows)


@receiver(post_create_historical_record, dispatch_uid="audit_history_record")
def history_record_created(sender, instance, history_instance, history_user,
                           history_change_reason, **kwargs):
    services.record_history_change(instance=instance, history_instance=history_instance,
                                   history_user=history_user,
                                   history_change_reason=history_change_reason)


@receiver(pre_save, dispatch_uid="audit_batched_save_started")
def tracked_save_starting(sender, instance, raw=False, update_fields=None, **kwargs):
    # A save of named fields is left to simple-history, whose rules for them may differ
    # (an account's sign-in is not kept).
    if not raw and update_fields is None:
        services.take_over_history(instance)


@receiver(post_save, dispatch_uid="audit_batched_save_made")
def tracked_save_made(sender, instance, created, raw=False, **kwargs):
    services.history_taken_over(instance, created)
