from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User
from meter.admin import GrantInline, UnlockInline, UsageInline


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("email", "username", "plan", "is_staff", "date_joined")
    list_filter = ("plan", *DjangoUserAdmin.list_filter)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Plan", {"fields": ("plan",)}),
    )
    inlines = (GrantInline, UsageInline, UnlockInline)
