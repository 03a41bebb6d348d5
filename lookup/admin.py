from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import CharField, Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.html import format_html

from codeahead.history import ChangeReasonForm, ReadableHistoryAdmin
from lookup.code_shapes import shape_problem
from lookup.models import Code, CodeSystem, GeneratedTextToReview, Note, PlainText, Release, normalize_code
from lookup.plain_language.review import publish_reviewed
from meter.models import Unlock


@admin.register(CodeSystem)
class CodeSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "publisher", "text_licence", "position"]


class NoteInline(admin.StackedInline):
    # Stacked: a tabular row of four fields with a long text pushed the page to 1650 px.
    model = Note
    extra = 0
    fields = [("kind", "label", "position"), "text"]


class CodeForm(ChangeReasonForm):
    mark_reviewed = forms.BooleanField(
        required=False,
        label="Publish the generated text as reviewed",
        help_text="Tick after reading the generated text: it becomes this code's text, marked reviewed.",
    )

    class Meta:
        model = Code
        fields = "__all__"
        widgets = {"title": forms.TextInput(attrs={"class": "vTextField wide-field"})}

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
class CodeAdmin(ReadableHistoryAdmin):
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

    class Media:
        css = {"all": ["admin/css/codeahead.css"]}

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


def unlock_counts():
    """How many readers opened each code's page (one meter unlock per reader and period)."""
    return Coalesce(
        Subquery(
            Unlock.objects.filter(resource="code_page", item=Cast(OuterRef("code_id"), CharField()))
            .values("item")
            .annotate(n=Count("*"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


class ChapterFilter(admin.SimpleListFilter):
    """Codes of one chapter: between the chapter and the next one in the code set's order."""

    title = "chapter"
    parameter_name = "chapter"

    def lookups(self, request, model_admin):
        chapters = (
            Code.objects.filter(kind=Code.Kind.CHAPTER)
            .select_related("system")
            .order_by("system", "sort_order")
        )
        system = request.GET.get("code__system__id__exact")
        if system:
            chapters = chapters.filter(system_id=system)
        return [(str(c.pk), f"{c.system.name} {c.code}: {c.display_title[:60]}") for c in chapters]

    def queryset(self, request, queryset):
        chapter = Code.objects.filter(kind=Code.Kind.CHAPTER, pk=self.value() or 0).first()
        if chapter is None:
            return queryset
        following = (
            Code.objects.filter(
                system_id=chapter.system_id, kind=Code.Kind.CHAPTER, sort_order__gt=chapter.sort_order
            )
            .order_by("sort_order")
            .values_list("sort_order", flat=True)
            .first()
        )
        inside = Q(code__system_id=chapter.system_id, code__sort_order__gte=chapter.sort_order)
        if following is not None:
            inside &= Q(code__sort_order__lt=following)
        return queryset.filter(inside)


class ViewsFilter(admin.SimpleListFilter):
    title = "page views"
    parameter_name = "views"
    BANDS = {"0": (0, 0), "1-9": (1, 9), "10-99": (10, 99), "100+": (100, None)}

    def lookups(self, request, model_admin):
        return [
            ("0", "Never opened"),
            ("1-9", "1 to 9 readers"),
            ("10-99", "10 to 99"),
            ("100+", "100 or more"),
        ]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value() or "")
        if band is None:
            return queryset
        low, high = band
        queryset = queryset.filter(views__gte=low)
        return queryset.filter(views__lte=high) if high is not None else queryset


class ReviewForm(forms.ModelForm):
    change_reason = forms.CharField(
        max_length=100,
        initial="Generated text reviewed",
        label="Reason for this change",
        help_text="Saving publishes the text, as edited here, as the code's reviewed text.",
    )

    class Meta:
        model = GeneratedTextToReview
        fields = ["description", "notes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}),
            "notes": forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"}),
        }


@admin.register(GeneratedTextToReview)
class ReviewQueueAdmin(admin.ModelAdmin):
    """Editors read the generated text beside the official one, fix it and publish it."""

    form = ReviewForm
    list_display = ["code_name", "system_name", "official_text", "description", "views"]
    list_filter = [("code__system", admin.RelatedOnlyFieldListFilter), ChapterFilter, ViewsFilter]
    search_fields = ["code__key", "code__code", "description"]
    actions = ["mark_reviewed"]
    fields = ["code_link", "official_text", "description", "notes", "change_reason"]
    readonly_fields = ["code_link", "official_text"]

    class Media:
        css = {"all": ["admin/css/codeahead.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(code__plain_description="")
            .select_related("code__system")
            .annotate(views=unlock_counts())
            .order_by("-views", "code__system__position", "code__sort_order")  # the most read first
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Saving publishes the text and takes it off the queue: there is nothing to go on editing.
        extra_context = {**(extra_context or {}), "show_save_and_continue": False}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="code", ordering="code__sort_order")
    def code_name(self, obj: PlainText) -> str:
        return obj.code.code  # the list links it to the review page

    @admin.display(description="code page")
    def code_link(self, obj: PlainText):
        return format_html('<a href="{}">{}</a>', obj.code.get_absolute_url(), obj.code.code)

    @admin.display(description="code set", ordering="code__system__position")
    def system_name(self, obj: PlainText) -> str:
        return obj.code.system.name

    @admin.display(description="official text")
    def official_text(self, obj: PlainText) -> str:
        # A licensed text (CPT, CDT) shows only where the operator holds the licence.
        if obj.code.official_text_visible:
            return obj.code.official_description
        return f"Not shown: {obj.code.text_licence} licence" if obj.code.text_licence else "—"

    @admin.display(description="page views", ordering="views")
    def views(self, obj: PlainText) -> int:
        return obj.views

    def save_model(self, request, obj: PlainText, form, change: bool) -> None:
        obj.save()
        publish_reviewed(code=obj.code, reason=form.cleaned_data["change_reason"])

    @admin.action(description="Mark reviewed: publish the selected generated texts", permissions=["change"])
    def mark_reviewed(self, request, queryset) -> None:
        published = sum(
            publish_reviewed(code=text.code, reason="Marked reviewed in the queue") for text in queryset
        )
        self.message_user(request, f"{published} generated texts published as reviewed.", messages.SUCCESS)
