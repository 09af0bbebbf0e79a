"""Accounts are Django's own users. Their changes (creation, Active, Staff and Superuser
status, names) are kept like plan data's, so they reach the audit trail through the same
simple-history signal. Roles are memberships of a plan (plans.models.Membership)."""

from django.contrib.auth.models import User
from simple_history import register
from simple_history.models import HistoricalRecords

# Saved on their own when someone signs in (and a password hash is upgraded); not kept.
SIGN_IN_FIELDS = frozenset({"last_login", "password"})


class AccountHistory(HistoricalRecords):
    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        # A row per sign-in would say nothing the trail keeps: both fields are excluded.
        if not created and update_fields and set(update_fields) <= SIGN_IN_FIELDS:
            return
        super().post_save(instance, created, using=using, **kwargs)


register(User, app="accounts", records_class=AccountHistory,
         excluded_fields=["password", "last_login"])
