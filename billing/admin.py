from __future__ import annotations

from django.contrib import admin

from billing.models import FeeSchedule, FeeScheduleItem, Locality


class ImportedOnly(admin.ModelAdmin):
    """Fee-schedule data comes from the CMS files only: staff read it here, the importer writes it."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FeeSchedule)
class FeeScheduleAdmin(ImportedOnly):
    list_display = ["year", "release", "released_on", "conversion_factor", "source_name"]


@admin.register(FeeScheduleItem)
class FeeScheduleItemAdmin(ImportedOnly):
    list_display = ["hcpcs", "modifier", "schedule", "status", "pctc", "total_nonfacility", "total_facility"]
    list_filter = ["schedule", "status", "pctc", "modifier"]
    search_fields = ["hcpcs"]
    list_select_related = ["schedule"]
    raw_id_fields = ["code"]


@admin.register(Locality)
class LocalityAdmin(ImportedOnly):
    list_display = ["state", "name", "mac", "number", "schedule", "work_gpci", "pe_gpci", "mp_gpci"]
    list_filter = ["schedule", "state"]
    search_fields = ["name", "counties"]
