from __future__ import annotations

from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from meter import services
from meter.models import AddressUsage, Grant, Unlock, Usage


def this_period() -> Q:
    """Each resource's rows of its current period."""
    now = timezone.now()
    periods = [
        Q(resource=resource, period=services.period_start(now, services.rule(resource).period))
        for resource in settings.METER_RULES
    ]
    return reduce(or_, periods, Q(pk__in=[]))


# Inlines for the account's admin page (accounts.admin.UserAdmin shows them).


class ThisPeriodInline(admin.TabularInline):
    """Read-only records of the current periods only."""

    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(this_period())

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class UsageInline(ThisPeriodInline):
    model = Usage
    fk_name = "user"
    fields = ("resource", "period", "used", "updated_at")
    readonly_fields = fields
    verbose_name_plural = "Uses this period (code page views, questions)"


class UnlockInline(ThisPeriodInline):
    model = Unlock
    fields = ("resource", "what", "created_at")
    readonly_fields = fields
    verbose_name_plural = "Unlocked this period (code pages)"

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("created_at")

    @admin.display(description="item")
    def what(self, unlock: Unlock) -> str:
        return services.item_labels(unlock.resource, [unlock.item])[unlock.item]


class GrantInline(admin.TabularInline):
    model = Grant
    extra = 0
    fields = ("resource", "extra")
    verbose_name_plural = "More uses granted by staff, every period"


@admin.register(Usage)
class UsageAdmin(admin.ModelAdmin):
    list_display = ("reader", "resource", "period", "used", "user", "carried_to", "updated_at")
    list_filter = ("resource", "period")
    search_fields = ("reader", "user__email")
    raw_id_fields = ("user", "carried_to")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AddressUsage)
class AddressUsageAdmin(admin.ModelAdmin):
    list_display = ("address_hash", "resource", "day", "used")
    list_filter = ("resource", "day")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ("user", "resource", "extra")
    list_filter = ("resource",)
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
