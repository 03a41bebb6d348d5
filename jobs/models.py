"""The job board: employers, their jobs and its life cycle, and job seekers' saved searches.

A job's life: draft -> in review -> approved (public until `expires_at`) or rejected (with a
reason); approved jobs become expired (renewable) or removed. State changes live in
jobs/actions.py; the queryset below says which jobs the public sees.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from jobs.choices import (
    HOURS_PER_YEAR,
    US_STATES,
    Credential,
    EmploymentType,
    Experience,
    PayPeriod,
    Specialty,
    WorkSetting,
)

SEARCH_CONFIG = "english"
TITLE_MAX = 120
TEXT_MAX = 10_000
# /jobs/<id>/<these>/ are actions on a job (jobs/urls.py), never a job's slug.
ACTION_PATHS = {"edit", "submit", "renew", "remove"}  # characters of description or requirements


class Employer(models.Model):
    """An organisation posting jobs, run by one account. Staff verify it before its jobs
    may skip review."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer")
    organisation = models.CharField(max_length=200)
    website = models.URLField(max_length=300)
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField(help_text="Where we write about this employer's jobs")
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation"]

    def __str__(self) -> str:
        return self.organisation

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class JobQuerySet(models.QuerySet):
    def open(self, now=None) -> JobQuerySet:
        """What the public sees: approved and not yet expired, whether or not expire_jobs ran."""
        return self.filter(status=Job.Status.APPROVED, expires_at__gt=now or timezone.now())

    def for_employer(self, user) -> JobQuerySet:
        """The jobs this account may touch: its own employer's, nobody else's."""
        return self.filter(employer__user=user) if user.is_authenticated else self.none()

    def expiring_within(self, days: int, now=None) -> JobQuerySet:
        now = now or timezone.now()
        return self.open(now).filter(expires_at__lte=now + timezone.timedelta(days=days))


def _annual(field: str) -> Case:
    """Pay as a year's worth, so hourly and yearly jobs sort and filter together."""
    return Case(
        When(salary_period=PayPeriod.HOUR, then=F(field) * HOURS_PER_YEAR),
        default=F(field),
        output_field=models.DecimalField(max_digits=12, decimal_places=2),
    )


class Job(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        EXPIRED = "expired", "Expired"
        REMOVED = "removed", "Removed"

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="jobs")
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(help_text="Markdown: paragraphs, lists, bold, italic, links")
    requirements = models.TextField(blank=True, help_text="Markdown, as the description")
    credentials = ArrayField(
        models.CharField(max_length=12, choices=Credential.choices),
        default=list,
        blank=True,
        help_text="Credentials the employer accepts; any one of them qualifies",
    )
    setting = models.CharField(max_length=10, choices=WorkSetting.choices)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(
        max_length=2,
        blank=True,
        help_text="Two-letter US state; for remote jobs, where applicants must live (blank: anywhere in the US)",
    )
    employment_type = models.CharField(max_length=12, choices=EmploymentType.choices)
    experience = models.CharField(max_length=10, choices=Experience.choices)
    specialty = models.CharField(max_length=20, choices=Specialty.choices)
    salary_min = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    salary_max = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    salary_period = models.CharField(max_length=4, choices=PayPeriod.choices)
    apply_url = models.URLField(max_length=500, blank=True)
    apply_email = models.EmailField(blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    rejection_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True, help_text="datePosted")
    expires_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expiry_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_from = models.CharField(
        max_length=64, blank=True, help_text="Keyed hash of the client address that posted it (rate limit)"
    )

    annual_salary_min = models.GeneratedField(
        expression=_annual("salary_min"),
        output_field=models.DecimalField(max_digits=12, decimal_places=2),
        db_persist=True,
    )
    annual_salary_max = models.GeneratedField(
        expression=_annual("salary_max"),
        output_field=models.DecimalField(max_digits=12, decimal_places=2),
        db_persist=True,
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", config=SEARCH_CONFIG, weight="A")
        + SearchVector("requirements", "city", config=SEARCH_CONFIG, weight="B")
        + SearchVector("description", config=SEARCH_CONFIG, weight="C"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_at", "-id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="job_search_vector"),
            GinIndex(fields=["credentials"], name="job_credentials"),
            models.Index(fields=["status", "expires_at"], name="job_open"),
            # The list's default order: the newest open jobs are read first, not sorted.
            models.Index(fields=["status", "-approved_at", "-id"], name="job_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(salary_min__lte=F("salary_max")), name="job_salary_range"),
        ]
        permissions = [("moderate_job", "Can moderate jobs and verify employers")]

    def __str__(self) -> str:
        return self.title

    @property
    def slug(self) -> str:
        slug = slugify(self.title)[:80].strip("-") or "job"
        return f"{slug}-job" if slug in ACTION_PATHS else slug

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk, self.slug])

    def is_open(self, now=None) -> bool:
        return (
            self.status == self.Status.APPROVED
            and self.expires_at is not None
            and self.expires_at > (now or timezone.now())
        )

    @property
    def has_expired(self) -> bool:
        return self.status == self.Status.EXPIRED or (
            self.status == self.Status.APPROVED
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.REMOVED

    @property
    def is_renewable(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.EXPIRED)

    def get_state_display_name(self) -> str:
        return dict(US_STATES).get(self.state, self.state)

    def credential_labels(self) -> list[str]:
        labels = dict(Credential.choices)
        return [labels.get(value, value) for value in self.credentials]

    def location_label(self) -> str:
        place = ", ".join(part for part in (self.city, self.state) if part)
        if self.setting == WorkSetting.REMOTE:
            return f"Remote ({place})" if place else "Remote (US)"
        return f"{self.get_setting_display()}: {place}" if place else self.get_setting_display()


class SavedSearch(models.Model):
    """A job seeker's search, re-run for email digests."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_job_searches"
    )
    name = models.CharField(max_length=120)
    query = models.TextField(
        blank=True, help_text="The search's address query string, canonical (jobs.search)"
    )
    frequency = models.CharField(max_length=6, choices=Frequency.choices, default=Frequency.DAILY)
    alerts_on = models.BooleanField(
        default=True, help_text="Off once the reader unsubscribed from its emails"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "saved searches"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("jobs:list") + (f"?{self.query}" if self.query else "")


class SentJobAlert(models.Model):
    """A job sent to an account in a digest: never sent to it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="+")
    saved_search = models.ForeignKey(SavedSearch, null=True, on_delete=models.SET_NULL, related_name="sent")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "job"], name="job_alert_once")]
