"""Saved searches and their email digests.

`send_job_alerts` runs from cron (daily is enough; weekly searches wait their week). Each due
search is claimed by one compare-and-swap UPDATE of `last_sent_at`, so two runs at once send it
once; the jobs sent are recorded (`SentJobAlert`, one row per account and job), so no account
is ever sent the same job twice, whichever of its searches found it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from codeahead import emails
from jobs.models import SavedSearch, SentJobAlert
from jobs.search import canonical_query, form_from_query, search_jobs

UNSUBSCRIBE_SALT = "jobs.saved-search.unsubscribe"
JOBS_PER_DIGEST = 20
# A little slack, so a cron run a few minutes early still finds yesterday's search due.
DUE_AFTER = {
    SavedSearch.Frequency.DAILY: timedelta(hours=20),
    SavedSearch.Frequency.WEEKLY: timedelta(days=6, hours=20),
}


class TooManySavedSearches(Exception):
    pass


def save_search(*, user, name: str, query: str, frequency: str) -> SavedSearch:
    """Save a search (its filters in canonical form), at most JOBS_SAVED_SEARCHES_MAX each.
    The account's row is locked while counting, so two saves at once cannot pass the limit."""
    limit = settings.JOBS_SAVED_SEARCHES_MAX
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).get()
        if SavedSearch.objects.filter(user=user).count() >= limit:
            raise TooManySavedSearches(f"You can keep {limit} saved searches. Delete one to save another.")
        return SavedSearch.objects.create(
            user=user, name=name, query=canonical_query(form_from_query(query).filters()), frequency=frequency
        )


def unsubscribe_token(search: SavedSearch) -> str:
    return signing.dumps(search.pk, salt=UNSUBSCRIBE_SALT)


def search_for_token(token: str) -> SavedSearch | None:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return SavedSearch.objects.filter(pk=pk).first() if isinstance(pk, int) else None


@dataclass
class AlertRun:
    searches: int = 0
    emails: int = 0
    jobs: int = 0


def send_job_alerts(*, now: datetime | None = None) -> AlertRun:
    now = now or timezone.now()
    run = AlertRun()
    due = Q()
    for frequency, after in DUE_AFTER.items():
        due |= Q(frequency=frequency) & (Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - after))
    for search in SavedSearch.objects.filter(due, alerts_on=True).select_related("user"):
        with transaction.atomic():
            claimed = SavedSearch.objects.filter(pk=search.pk, last_sent_at=search.last_sent_at).update(
                last_sent_at=now
            )
            if not claimed:
                continue  # another run has it
            run.searches += 1
            sent = _send_digest(search, now=now)
            run.jobs += sent
            run.emails += 1 if sent else 0
    return run


def _send_digest(search: SavedSearch, *, now: datetime) -> int:
    """Email the open jobs of this search the account was never sent; how many."""
    if not search.user.is_active or not search.user.email:
        return 0
    sent = SentJobAlert.objects.filter(user=search.user).values("job_id")
    jobs = list(search_jobs(form_from_query(search.query).filters()).exclude(pk__in=sent)[:JOBS_PER_DIGEST])
    if not jobs:
        return 0
    SentJobAlert.objects.bulk_create(
        [SentJobAlert(user=search.user, job=job, saved_search=search, sent_at=now) for job in jobs],
        ignore_conflicts=True,
    )
    site = settings.SITE_URL.rstrip("/")
    emails.send(
        "job_alert",
        to=[search.user.email],
        context={
            "search": search,
            "jobs": [(job, site + job.get_absolute_url()) for job in jobs],
            "search_url": site + search.get_absolute_url(),
            "unsubscribe_url": site + reverse("jobs:unsubscribe", args=[unsubscribe_token(search)]),
        },
    )
    return len(jobs)
