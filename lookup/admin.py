from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lookup.models import Code, CodeSystem, Note, Release, normalize_code


@admin.register(CodeSystem)
class CodeSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "publisher", "text_licence", "position"]


class NoteInline(admin.TabularInline):
    model = Note
    extra = 0
    fields = ["position", "kind", "label", "text"]


@admin.register(Code)
class CodeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "system", "kind", "billable", "title", "has_plain_description"]
    list_filter = ["system", "kind", "billable", "featured", "official_edited"]
    search_fields = ["key", "code", "title", "official_description", "plain_description"]
    list_select_related = ["system"]
    raw_id_fields = ["parent"]
    readonly_fields = ["official_edited"]
    fieldsets = [
        (None, {"fields": ["system", "code", "key", "kind", "parent", "billable", "featured", "sort_order"]}),
        (
            "Descriptions",
            {
                "fields": [
                    "title",
                    "official_description",
                    "official_edited",
                    "text_licence",
                    "plain_description",
                ]
            },
        ),
        ("Dates", {"fields": ["effective_date", "termination_date"]}),
    ]
    inlines = [NoteInline]
    history_list_display = ["title"]

    @admin.display(boolean=True, description="Plain language")
    def has_plain_description(self, obj: Code) -> bool:
        return bool(obj.plain_description)

    def get_search_results(self, request, queryset, search_term):
        # A code typed as `e11.9` finds E11.9 through its lookup key as well.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = normalize_code(search_term)
        if key:
            results |= queryset.filter(key=key)
        return results, may_have_duplicates

    def save_model(self, request, obj: Code, form, change: bool) -> None:
        if change and not obj.history.exists():
            # Imports write in bulk, without history: keep the text as it stood before
            # this first edit, so the history shows both before and after.
            Code.history.bulk_history_create(
                [Code.objects.get(pk=obj.pk)], default_change_reason="As imported, before the first edit"
            )
        # An official text that staff changed must survive the next import.
        if change and "official_description" in form.changed_data:
            obj.official_edited = True
        super().save_model(request, obj, form, change)


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    # Releases are written by import_codes only; the admin shows them.
    list_display = ["system", "version", "date", "imported_at"]
    list_filter = ["system"]
    readonly_fields = ["system", "version", "date", "imported_at", "summary"]

    def has_add_permission(self, request) -> bool:
        return False
