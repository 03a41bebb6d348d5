"""The site app's own tables: the email outbox."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models


class OutboundEmail(models.Model):
    """One email the site sends, written in the same transaction as the change that caused it.

    `manage.py send_emails` delivers it (codeahead/outbox.py): a mail server that is down only
    delays the row, retried with growing waits, until settings.EMAIL_OUTBOX_MAX_ATTEMPTS.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up"

    name = models.CharField(
        max_length=100, help_text="The template that made it, such as consultant/received"
    )
    from_email = models.CharField(max_length=300)
    to = ArrayField(models.CharField(max_length=320))
    reply_to = ArrayField(models.CharField(max_length=320), default=list, blank=True)
    subject = models.CharField(max_length=300)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(help_text="Not tried again before this")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "outgoing email"
        indexes = [
            # The worker's one question: which waiting emails are due?
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["-created_at"], name="outbox_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {', '.join(self.to)}"
