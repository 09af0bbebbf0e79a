"""Accounts: role changes ask for a reason and are recorded in the audit trail. Accounts
are deactivated rather than deleted, so every change in the trail still names its person."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest

from audit.admin import ReasonRequiredAdminMixin

admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(ReasonRequiredAdminMixin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    reason_help_text = "Recorded in the audit trail when the account's roles change."

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Untick "Active" instead: the audit trail keeps naming the person.
        return False
