"""Every change of a job's state, each a function in one transaction with its emails.

The life cycle (python.org's jobs app is the model): draft -> review -> approved | rejected;
approved -> expired (by `expire_jobs`, renewable) | removed. A verified employer's job is
approved when submitted; an unverified employer's always waits for a moderator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from codeahead import emails
from jobs.models import Employer, Job

S = Job.Status


class NotAllowed(Exception):
    """The job is not in a state where this can happen (say, approving a draft)."""


class RateLimited(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _expiry(now: datetime) -> datetime:
    return now + timedelta(days=settings.JOBS_EXPIRE_DAYS)


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _email_employer(name: str, job: Job, **context) -> None:
    emails.send(
        name,
        to=[job.employer.contact_email],
        context={
            "job": job,
            "employer": job.employer,
            "job_url": _site_url(job.get_absolute_url()),
            "dashboard_url": _site_url(reverse("jobs:dashboard")),
            **context,
        },
    )


def post_job(*, job: Job, employer: Employer, client: str, now: datetime | None = None) -> Job:
    """Save a new draft, unless the account or the client address posted too many today.

    The employer's row is locked and the address holds an advisory lock while counting, so two
    posts at once cannot both slip under a limit."""
    now = now or timezone.now()
    since = now - timedelta(days=1)
    with transaction.atomic():
        Employer.objects.select_for_update().filter(pk=employer.pk).get()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"jobs-post:{client}"])
        per_account = settings.JOBS_POSTS_PER_DAY_PER_ACCOUNT
        if (
            per_account
            and Job.objects.filter(employer=employer, created_at__gte=since).count() >= per_account
        ):
            raise RateLimited(f"You can post {per_account} jobs a day. Please try again tomorrow.")
        per_address = settings.JOBS_POSTS_PER_DAY_PER_ADDRESS
        if (
            per_address
            and Job.objects.filter(created_from=client, created_at__gte=since).count() >= per_address
        ):
            raise RateLimited("Too many jobs were posted from your address today. Please try again tomorrow.")
        job.employer = employer
        job.created_from = client
        job.status = S.DRAFT
        job.save()
    return job


def edit_job(*, job: Job) -> Job:
    """Save an employer's edit. A public job goes back to draft: every change is reviewed
    before the public sees it (no bait and switch after approval)."""
    if not job.is_editable:
        raise NotAllowed("A removed job cannot be edited.")
    if job.status in (S.APPROVED, S.REVIEW, S.REJECTED, S.EXPIRED):
        job.status = S.DRAFT
    job.save()
    return job


def submit_job(*, job: Job, now: datetime | None = None) -> Job:
    """The employer sends a draft (or a rejected job, edited) for review; a verified employer's
    job is approved at once."""
    now = now or timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().select_related("employer").get(pk=job.pk)
        if job.status not in (S.DRAFT, S.REJECTED):
            raise NotAllowed("Only a draft can be submitted.")
        job.submitted_at = now
        job.rejection_reason = ""
        if job.employer.is_verified:
            _approve(job, moderator=None, now=now)
        else:
            job.status = S.REVIEW
            job.save()
            _email_moderators(job)
    return job


def _email_moderators(job: Job) -> None:
    """Tell the moderators' inbox (JOBS_MODERATION_EMAIL, if set) that a job waits for them."""
    if settings.JOBS_MODERATION_EMAIL:
        emails.send(
            "job_submitted",
            to=settings.JOBS_MODERATION_EMAIL,
            context={
                "job": job,
                "employer": job.employer,
                "review_url": _site_url(reverse("jobs:moderate_job", args=[job.pk])),
            },
        )


def _approve(job: Job, *, moderator, now: datetime) -> None:
    job.status = S.APPROVED
    job.approved_at = now
    job.expires_at = _expiry(now)
    job.expiry_reminder_sent_at = None
    job.reviewed_by = moderator
    job.save()
    _email_employer("job_approved", job)


def approve_job(*, job: Job, moderator, now: datetime | None = None) -> Job:
    with transaction.atomic():
        job = Job.objects.select_for_update().select_related("employer").get(pk=job.pk)
        if job.status != S.REVIEW:
            raise NotAllowed("Only a job in review can be approved.")
        _approve(job, moderator=moderator, now=now or timezone.now())
    return job


def reject_job(*, job: Job, moderator, reason: str) -> Job:
    with transaction.atomic():
        job = Job.objects.select_for_update().select_related("employer").get(pk=job.pk)
        if job.status != S.REVIEW:
            raise NotAllowed("Only a job in review can be rejected.")
        job.status = S.REJECTED
        job.rejection_reason = reason
        job.reviewed_by = moderator
        job.save()
        _email_employer("job_rejected", job, reason=reason)
    return job


def remove_job(*, job: Job, by) -> Job:
    """Taken down for good, by its employer or a moderator."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        job.status = S.REMOVED
        job.reviewed_by = by if by.pk != job.employer.user_id else job.reviewed_by
        job.save()
    return job


def renew_job(*, job: Job, now: datetime | None = None) -> Job:
    """Another JOBS_EXPIRE_DAYS from now for an approved or expired job. An expired job of an
    unverified employer goes through review again."""
    now = now or timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().select_related("employer").get(pk=job.pk)
        if not job.is_renewable:
            raise NotAllowed("Only an approved or expired job can be renewed.")
        if job.has_expired and not job.employer.is_verified:
            job.status = S.REVIEW
            job.submitted_at = now
            _email_moderators(job)
        else:
            job.status = S.APPROVED
            job.expires_at = _expiry(now)
            job.expiry_reminder_sent_at = None
        job.save()
    return job


def verify_employer(*, employer: Employer, moderator, now: datetime | None = None) -> Employer:
    Employer.objects.filter(pk=employer.pk).update(verified_at=now or timezone.now(), verified_by=moderator)
    employer.refresh_from_db()
    return employer


@dataclass
class ExpiryRun:
    expired: int
    reminded: int


def expire_jobs(*, now: datetime | None = None) -> ExpiryRun:
    """Mark approved jobs past their date expired, and remind employers of jobs expiring within
    JOBS_EXPIRY_REMINDER_DAYS. Each reminder is claimed by one conditional UPDATE, so two runs
    at once send it once."""
    now = now or timezone.now()
    expired = Job.objects.filter(status=S.APPROVED, expires_at__lte=now).update(
        status=S.EXPIRED, updated_at=now
    )
    reminded = 0
    days = settings.JOBS_EXPIRY_REMINDER_DAYS
    due = Job.objects.expiring_within(days, now).filter(expiry_reminder_sent_at__isnull=True)
    for job_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            claimed = Job.objects.filter(pk=job_id, expiry_reminder_sent_at__isnull=True).update(
                expiry_reminder_sent_at=now
            )
            if claimed:
                job = Job.objects.select_related("employer").get(pk=job_id)
                _email_employer(
                    "job_expiring", job, renew_url=_site_url(reverse("jobs:renew", args=[job.pk]))
                )
                reminded += 1
    return ExpiryRun(expired=expired, reminded=reminded)
