from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone

from accounts import quota
from accounts.models import GuestAddressUsage, PageViewUnlock, PageViewUsage, User


class ThisPeriodInline(admin.TabularInline):
    """Read-only records of the current quota period only."""

    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(period=quota.period_start(timezone.now()))

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PageViewUsageInline(ThisPeriodInline):
    model = PageViewUsage
    fk_name = "user"
    fields = ("period", "used", "updated_at")
    readonly_fields = fields
    verbose_name_plural = "Code page views used this period"


class PageViewUnlockInline(ThisPeriodInline):
    model = PageViewUnlock
    fields = ("code", "created_at")
    readonly_fields = fields
    verbose_name_plural = "Codes unlocked this period"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("code__system").order_by("created_at")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("email", "username", "plan", "extra_views", "is_staff", "date_joined")
    list_filter = ("plan", *DjangoUserAdmin.list_filter)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Code page views", {"fields": ("plan", "extra_views")}),
    )
    inlines = (PageViewUsageInline, PageViewUnlockInline)


@admin.register(PageViewUsage)
class PageViewUsageAdmin(admin.ModelAdmin):
    list_display = ("subject", "period", "used", "user", "carried_to", "updated_at")
    list_filter = ("period",)
    search_fields = ("subject", "user__email")
    raw_id_fields = ("user", "carried_to")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(GuestAddressUsage)
class GuestAddressUsageAdmin(admin.ModelAdmin):
    list_display = ("address_hash", "day", "used")
    list_filter = ("day",)

    def has_add_permission(self, request) -> bool:
        return False
