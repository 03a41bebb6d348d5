from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from lookup.code_shapes import shape_problem
from lookup.models import Code, CodeSystem, Note, PlainText, Release, normalize_code
from lookup.plain_language.review import publish_reviewed


@admin.register(CodeSystem)
class CodeSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "publisher", "text_licence", "position"]


class NoteInline(admin.TabularInline):
    model = Note
    extra = 0
    fields = ["position", "kind", "label", "text"]


class CodeForm(forms.ModelForm):
    mark_reviewed = forms.BooleanField(
        required=False,
        label="Publish the generated text as reviewed",
        help_text="Tick after reading the generated text: it becomes this code's text, marked reviewed.",
    )

    class Meta:
        model = Code
        fields = "__all__"

    def clean(self) -> dict:
        """The code written as its code set writes it; the lookup key derived from it, unique.

        A code of any other shape ("E11/9", "A 1") could not be put in a page's address:
        every page linking to it would fail. It is a form error instead.
        """
        cleaned = super().clean()
        code = cleaned.get("code", "").strip().upper()
        system = self.instance.system if self.instance.pk else cleaned.get("system")
        if not code or system is None:
            return cleaned
        cleaned["code"] = code
        problem = shape_problem(system_slug=system.slug, kind=cleaned.get("kind", ""), code=code)
        if problem:
            self.add_error("code", problem)
            return cleaned
        key = normalize_code(code)
        if Code.objects.filter(system=system, key=key).exclude(pk=self.instance.pk).exists():
            self.add_error("code", f"{system.name} already has the code {code} (lookup key {key}).")
            return cleaned
        self.instance.key = key
        return cleaned


@admin.register(Code)
class CodeAdmin(SimpleHistoryAdmin):
    form = CodeForm
    list_display = ["code", "system", "kind", "billable", "title", "plain_state"]
    list_filter = ["system", "kind", "billable", "featured", "official_edited", "plain_source"]
    actions = ["publish_generated_texts"]
    search_fields = ["key", "code", "title", "official_description", "plain_description"]
    list_select_related = ["system"]
    raw_id_fields = ["parent"]
    readonly_fields = ["official_edited", "generated_text_to_review", "plain_source", "plain_reviewed_at"]
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
                ]
            },
        ),
        (
            "Plain language",
            {
                "fields": [
                    "plain_description",
                    "plain_notes",
                    "plain_source",
                    "plain_reviewed_at",
                    "generated_text_to_review",
                    "mark_reviewed",
                ],
                "description": "Our own words. A code with no text of its own shows the generated text, "
                "labelled as not yet reviewed; writing a text here makes it our coding team's.",
            },
        ),
        ("Dates", {"fields": ["effective_date", "termination_date"]}),
    ]
    inlines = [NoteInline]
    history_list_display = ["title", "plain_source"]

    @admin.display(description="Plain language")
    def plain_state(self, obj: Code) -> str:
        if obj.plain_description:
            return obj.get_plain_source_display() if obj.plain_source else "Written by our coding team"
        return "Generated, not reviewed" if PlainText.objects.filter(code=obj).exists() else "None"

    @admin.display(description="Generated text (not yet reviewed)")
    def generated_text_to_review(self, obj: Code) -> str:
        generated = PlainText.objects.filter(code=obj).first() if obj.pk else None
        if generated is None:
            return "None"
        return format_html("<p>{}</p><p>{}</p>", generated.description, generated.notes)

    @admin.action(description="Publish the generated texts of the selected codes as reviewed")
    def publish_generated_texts(self, request, queryset) -> None:
        published = sum(publish_reviewed(code=code) for code in queryset.filter(plain_description=""))
        self.message_user(request, f"{published} generated texts published as reviewed.", messages.SUCCESS)

    def get_search_results(self, request, queryset, search_term):
        # A code typed as `e11.9` finds E11.9 through its lookup key as well.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = normalize_code(search_term)
        if key:
            results |= queryset.filter(key=key)
        return results, may_have_duplicates

    def get_readonly_fields(self, request, obj: Code | None = None) -> list[str]:
        # The key is derived from the code; an import finds a code by its system and key, and
        # the sort order is the publisher's: staff edit neither, nor move a code to another set.
        fields = [*self.readonly_fields, "key"]
        return [*fields, "system", "sort_order"] if obj is not None else fields

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
        if "plain_description" in form.changed_data:
            # Words staff write are our coding team's; clearing them shows the generated text again.
            obj.plain_source = Code.PlainSource.TEAM if obj.plain_description else Code.PlainSource.NONE
            obj.plain_reviewed_at = None
        super().save_model(request, obj, form, change)
        wants_review = form.cleaned_data.get("mark_reviewed") and not obj.plain_description
        if wants_review and not publish_reviewed(code=obj):
            self.message_user(request, "This code has no generated text to review.", messages.WARNING)


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    # Releases are written by import_codes only; the admin shows them.
    list_display = ["system", "version", "date", "imported_at"]
    list_filter = ["system"]
    readonly_fields = ["system", "version", "date", "imported_at", "summary"]

    def has_add_permission(self, request) -> bool:
        return False
