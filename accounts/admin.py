"""Accounts: every change (roles, Active, Staff and Superuser status) asks for a reason and
is recorded in the audit trail; per-user permissions are not offered, roles are groups.
Accounts are deactivated rather than deleted, so every change in the trail still names its
person."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import ReasonRequiredAdminMixin

admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(ReasonRequiredAdminMixin, SimpleHistoryAdmin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    # Set by Django; editing them here would only add noise to the audit trail.
    readonly_fields = ["last_login", "date_joined"]
    # Roles are the groups and superuser status; per-user permissions are left out so that
    # no one's rights change outside them (and outside the audit trail).
    fieldsets = tuple(
        (name, {**options, "fields": tuple(field for field in options["fields"]
                                           if field != "user_permissions")})
        for name, options in UserAdmin.fieldsets)
    reason_help_text = ("Recorded in the audit trail with the change: superuser status makes "
                        "the person an administrator.")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Untick "Active" instead: the audit trail keeps naming the person.
        return False
