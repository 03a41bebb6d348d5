"""CaseConsultant's questions, their threads and status history, and the knowledge base."""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.crypto import salted_hmac

CONSULTANTS_GROUP = "Consultants"


class TrackingCounter(models.Model):
    """The last tracking number given out in a year; raised by one statement (services)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Setting(models.TextChoices):
    """Where the service was given: it changes which code set and guidelines apply."""

    PHYSICIAN_OFFICE = "physician_office", "Physician office"
    INPATIENT = "inpatient", "Hospital inpatient"
    OUTPATIENT = "outpatient", "Hospital outpatient"
    EMERGENCY = "emergency", "Emergency department"
    ASC = "asc", "Ambulatory surgery center"
    OTHER = "other", "Other or not sure"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    CLAIMED = "claimed", "Claimed by a consultant"
    NEEDS_INFORMATION = "needs_information", "Needs information from you"
    MEMBER_REPLIED = "member_replied", "Member replied"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


# Statuses a consultant still has work in; the queue shows these by default.
OPEN_STATUSES = [Status.SUBMITTED, Status.CLAIMED, Status.MEMBER_REPLIED]


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuestionQuerySet:
        """Questions `user` may open: their own, or every one for a consultant."""
        if not user.is_authenticated:
            return self.none()
        if is_consultant(user):
            return self
        return self.filter(member=user)


class Question(models.Model):
    tracking_number = models.CharField(max_length=20, unique=True, help_text="CC-<year>-<sequence>")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions")
    question = models.TextField()
    codes = models.ManyToManyField("lookup.Code", blank=True, related_name="consultant_questions")
    setting = models.CharField(max_length=20, choices=Setting.choices)
    considered = models.TextField("what you already considered", blank=True)
    consent_to_publish = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_questions",
    )
    submitted_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="The response-time target: submitted plus the business days")
    answered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="question_queue"),
            models.Index(fields=["member", "-submitted_at"], name="question_member"),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    def get_absolute_url(self) -> str:
        return reverse("consultant:question", args=[self.tracking_number])

    def reply_token(self) -> str:
        """16 characters of a keyed hash of the question and its member, for its reply address:
        base32 in lower case, so a mail system that lower-cases addresses keeps it valid."""
        digest = salted_hmac(
            "consultant.inbound.reply",
            f"{self.pk}:{self.tracking_number}:{self.member_id}",
            algorithm="sha256",
        ).digest()
        return base64.b32encode(digest[:10]).decode().lower()

    def reply_address(self) -> str | None:
        """Where the member's reply by email goes (consultant/inbound.py reads it back):
        CONSULTANT_REPLY_ADDRESS with "+<tracking number>.<token>"; None when that is not set."""
        configured = settings.CONSULTANT_REPLY_ADDRESS
        if not configured:
            return None
        local, _, domain = configured.rpartition("@")
        return f"{local}+{self.tracking_number}.{self.reply_token()}@{domain}"

    def is_overdue(self, now) -> bool:
        """Past the response-time target while a consultant owes the member an answer."""
        return self.status in OPEN_STATUSES and now > self.due_at


class Entry(models.Model):
    """One message in a question's thread after the question itself."""

    class Kind(models.TextChoices):
        INFORMATION_REQUEST = "information_request", "Asked for more information"
        MEMBER_REPLY = "member_reply", "Member replied"
        ANSWER = "answer", "Answer"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="entries")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    body = models.TextField()
    created_at = models.DateTimeField()
    # A reply that came by email (consultant/inbound.py): its Message-ID, so a provider posting
    # the same email twice adds it once.
    email_message_id = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(
                fields=["email_message_id"],
                condition=~models.Q(email_message_id=""),
                name="entry_email_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.get_kind_display()}"


class StatusChange(models.Model):
    """Who moved a question from one status to another, and when."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.question}: {self.from_status or '-'} -> {self.to_status}"


class Article(models.Model):
    """A public question and answer, rewritten by a consultant without anything personal."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    question = models.TextField()
    answer = models.TextField()
    codes = models.ManyToManyField("lookup.Code", blank=True, related_name="consultant_articles")
    source = models.OneToOneField(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="article"
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("question", weight="B", config="english")
        + SearchVector("answer", weight="C", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-published_at"]
        indexes = [GinIndex(fields=["search_vector"], name="article_search")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultant:article", args=[self.slug])


def is_consultant(user) -> bool:
    """Staff in the Consultants group work the queue and may open every question."""
    if not (user.is_authenticated and user.is_staff):
        return False
    cached = getattr(user, "_is_consultant", None)
    if cached is None:
        cached = user._is_consultant = user.groups.filter(name=CONSULTANTS_GROUP).exists()
    return cached
