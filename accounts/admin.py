"""Accounts: every change (Active, Staff and Superuser status) asks for a reason and is
recorded in the audit trail. Roles are memberships of a plan (Plans > Memberships); groups
and per-user permissions are not offered, so no one's rights change outside them.
Accounts are deactivated rather than deleted, so every change in the trail still names its
person."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import ReasonRequiredAdminMixin

admin.site.unregister(User)
# Groups grant nothing: roles are memberships of a plan.
admin.site.unregister(Group)


@admin.register(User)
class AccountAdmin(ReasonRequiredAdminMixin, SimpleHistoryAdmin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    # Set by Django; editing them here would only add noise to the audit trail.
    readonly_fields = ["last_login", "date_joined"]
    # Rights come from memberships and superuser status alone.
    fieldsets = tuple(
        (name, {**options, "fields": tuple(field for field in options["fields"]
                                           if field not in {"user_permissions", "groups"})})
        for name, options in UserAdmin.fieldsets)
    reason_help_text = ("Recorded in the audit trail with the change: superuser status makes "
                        "the person a site administrator of every plan.")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Untick "Active" instead: the audit trail keeps naming the person.
        return False
