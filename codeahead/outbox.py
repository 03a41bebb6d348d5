"""The email outbox: every email is a row first, and a worker sends it.

enqueue() writes the row in the caller's transaction, so an email exists exactly when the
change that caused it was saved. `manage.py send_emails` calls deliver_due(): it claims one
due row at a time with SELECT ... FOR UPDATE SKIP LOCKED (several workers never send the same
row), sends it through Django's email backend (settings.EMAIL_BACKEND: SMTP, or a hosted
provider through django-anymail), and records the attempt. A failure waits
EMAIL_OUTBOX_RETRY_SECONDS, doubling each time up to EMAIL_OUTBOX_MAX_RETRY_SECONDS; after
EMAIL_OUTBOX_MAX_ATTEMPTS the row is marked "gave up" and kept, for staff to send again from
the admin. A worker killed while sending leaves its row waiting (its transaction rolls back):
that email may go out twice, never zero times.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from codeahead.models import OutboundEmail

logger = logging.getLogger(__name__)


def enqueue(
    *,
    name: str,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    reply_to: list[str] | None = None,
    from_email: str | None = None,
    now: datetime | None = None,
) -> OutboundEmail:
    """Write one email to the outbox (in the caller's transaction); the worker sends it."""
    now = now or timezone.now()
    return OutboundEmail.objects.create(
        name=name,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to or []),
        subject=subject,
        text_body=text,
        html_body=html,
        created_at=now,
        next_attempt_at=now,
    )


def enqueue_message(message: EmailMessage, *, name: str) -> OutboundEmail:
    """Write an already rendered message (allauth's) to the outbox, its HTML part included."""
    html = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    return enqueue(
        name=name,
        to=message.to,
        subject=message.subject,
        text=message.body,
        html=html,
        reply_to=message.reply_to,
        from_email=message.from_email,
    )


def retry_delay(attempts: int) -> timedelta:
    """How long a row waits after its `attempts`-th failure: doubling, capped."""
    seconds = settings.EMAIL_OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.EMAIL_OUTBOX_MAX_RETRY_SECONDS))


@dataclass
class Delivery:
    """What one pass of the worker did."""

    sent: int = 0
    retrying: int = 0
    gave_up: int = 0

    def __bool__(self) -> bool:
        return bool(self.sent or self.retrying or self.gave_up)

    def __str__(self) -> str:
        return f"sent {self.sent}, to retry {self.retrying}, gave up {self.gave_up}"


def deliver_due(*, now: datetime | None = None, limit: int = 100) -> Delivery:
    """Send the waiting emails that are due, one claimed row (one transaction) at a time."""
    delivery = Delivery()
    connection = get_connection()
    for _ in range(limit):
        moment = now or timezone.now()
        with transaction.atomic():
            email = (
                OutboundEmail.objects.select_for_update(skip_locked=True)
                .filter(status=OutboundEmail.Status.PENDING, next_attempt_at__lte=moment)
                .order_by("next_attempt_at", "id")
                .first()
            )
            if email is None:
                break
            _attempt(email, connection=connection, now=moment, delivery=delivery)
    return delivery


def _attempt(email: OutboundEmail, *, connection, now: datetime, delivery: Delivery) -> None:
    email.attempts += 1
    email.last_attempt_at = now
    try:
        connection.send_messages([as_message(email)])
    except Exception as error:  # any backend's failure (SMTP, a provider's API): keep the row
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        if email.attempts >= settings.EMAIL_OUTBOX_MAX_ATTEMPTS:
            email.status = OutboundEmail.Status.FAILED
            delivery.gave_up += 1
            logger.error("Gave up on email %s to %s: %s", email.pk, email.to, email.last_error)
        else:
            email.next_attempt_at = now + retry_delay(email.attempts)
            delivery.retrying += 1
            logger.warning("Email %s not sent (attempt %s): %s", email.pk, email.attempts, email.last_error)
    else:
        email.status = OutboundEmail.Status.SENT
        email.sent_at = now
        email.last_error = ""
        delivery.sent += 1
    email.save()


def as_message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=email.from_email,
        to=email.to,
        reply_to=email.reply_to or None,
        headers={"X-CodeAhead-Outbox": str(email.pk)},
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    return message


def prune(*, now: datetime | None = None) -> int:
    """Forget sent emails older than EMAIL_OUTBOX_KEEP_DAYS (waiting and given-up ones stay)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EMAIL_OUTBOX_KEEP_DAYS)
    deleted, _ = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENT, created_at__lt=cutoff
    ).delete()
    return deleted


def send_again(queryset) -> int:
    """Staff's "send again" for rows that gave up: waiting once more, attempts from zero."""
    return queryset.exclude(status=OutboundEmail.Status.SENT).update(
        status=OutboundEmail.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
