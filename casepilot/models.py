"""CasePilot's own rows: the guide articles we write, and members' conversations with their ratings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class GuideArticle(models.Model):
    """A coding guideline in our own words, edited by staff; the assistant cites it."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="One or two sentences: the answer CasePilot gives first")
    body = models.TextField(help_text="Paragraphs separated by a blank line; our own words only")
    keywords = models.CharField(
        max_length=500, help_text="Comma separated phrases a question about this article may use"
    )
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("casepilot:guide", args=[self.slug])

    def keyword_list(self) -> list[str]:
        return [word.strip().lower() for word in self.keywords.split(",") if word.strip()]

    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]


class Conversation(models.Model):
    """A member's questions in order; the code in focus carries follow-ups ("and with 26?")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    title = models.CharField(max_length=200)
    focus = models.CharField(max_length=40, blank=True, help_text="system:key of the code in focus")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("casepilot:conversation", args=[self.pk])


class Exchange(models.Model):
    """One question and the answer shown for it, with the tools used and the member's rating."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="exchanges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.TextField()
    kind = models.CharField(max_length=30, help_text="The kind of question the answerer recognised")
    answer = models.JSONField(help_text="The checked answer as shown: headline, facts, citations, flags")
    answer_text = models.TextField(help_text="The answer as plain text, for reading in the admin")
    tools_used = models.JSONField(default=list)
    used_model = models.BooleanField(default=False, help_text="A language model composed the summary")
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    helpful = models.BooleanField(null=True, blank=True, help_text="The member's rating; empty if not rated")
    rating_comment = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["conversation", "created_at", "pk"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return self.question[:80]
