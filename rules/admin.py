from __future__ import annotations

from django.contrib import admin

from rules.models import EditChange, EditRelease


class ImportedOnly(admin.ModelAdmin):
    """NCCI, MUE and GEM data come from the CMS files only: staff read it here, the importers write it."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EditRelease)
class EditReleaseAdmin(ImportedOnly):
    list_display = ["kind", "version", "date", "source_name", "imported_at"]
    list_filter = ["kind"]


@admin.register(EditChange)
class EditChangeAdmin(ImportedOnly):
    list_display = ["code", "other", "kind", "release", "before", "after"]
    list_filter = ["release", "kind"]
    search_fields = ["code", "other"]
    list_select_related = ["release"]
