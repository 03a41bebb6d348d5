from __future__ import annotations

from django.contrib import admin

from casepilot.models import Conversation, Exchange, GuideArticle
from codeahead.history import ChangeReasonForm, ReadableHistoryAdmin


class GuideArticleForm(ChangeReasonForm):
    class Meta:
        model = GuideArticle
        fields = "__all__"


@admin.register(GuideArticle)
class GuideArticleAdmin(ReadableHistoryAdmin):
    form = GuideArticleForm
    list_display = ["title", "slug", "published", "updated_at"]
    list_filter = ["published"]
    search_fields = ["title", "summary", "body", "keywords"]
    prepopulated_fields = {"slug": ["title"]}


class ExchangeInline(admin.TabularInline):
    model = Exchange
    extra = 0
    can_delete = False
    fields = [
        "question",
        "kind",
        "tools_used",
        "used_model",
        "helpful",
        "rating_comment",
        "duration_ms",
        "created_at",
    ]
    readonly_fields = fields


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "focus", "updated_at"]
    search_fields = ["title", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["user", "title", "focus", "created_at", "updated_at"]
    inlines = [ExchangeInline]


@admin.register(Exchange)
class ExchangeAdmin(admin.ModelAdmin):
    """What members asked, what they were shown, the tools used and how they rated it."""

    list_display = [
        "question_start",
        "kind",
        "helpful",
        "used_model",
        "tools",
        "duration_ms",
        "user",
        "created_at",
    ]
    list_filter = ["kind", "helpful", "used_model", "created_at"]
    search_fields = ["question", "answer_text", "rating_comment", "user__email"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "conversation",
        "user",
        "question",
        "kind",
        "answer_text",
        "tools_used",
        "used_model",
        "duration_ms",
        "created_at",
        "helpful",
        "rating_comment",
        "rated_at",
    ]
    exclude = ["answer"]

    @admin.display(description="question")
    def question_start(self, obj: Exchange) -> str:
        return obj.question[:80]

    @admin.display(description="tools used")
    def tools(self, obj: Exchange) -> str:
        return ", ".join(obj.tools_used)

    def has_add_permission(self, request) -> bool:
        return False
