from __future__ import annotations

from django.contrib import admin

from consultant.models import Article, Entry, Question, StatusChange


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    readonly_fields = ["kind", "author", "body", "created_at"]
    can_delete = False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at"]
    can_delete = False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["tracking_number", "member", "status", "consultant", "submitted_at", "due_at"]
    list_filter = ["status", "setting"]
    search_fields = ["tracking_number", "member__email"]
    raw_id_fields = ["member", "consultant", "codes"]
    # The status changes only on the site's pages (consultant/services.py), where each change
    # is recorded with who and when.
    readonly_fields = ["tracking_number", "status", "submitted_at", "due_at", "answered_at", "updated_at"]
    inlines = [EntryInline, StatusChangeInline]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "published_at", "published_by"]
    search_fields = ["title", "question", "answer"]
    raw_id_fields = ["codes", "source", "published_by"]
    exclude = ["search_vector"]
