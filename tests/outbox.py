"""Reading what the site emailed: the outbox worker runs, then the test mail backend holds it."""

from __future__ import annotations

from django.core import mail
from django.core.management import call_command


def sent_emails() -> list[mail.EmailMessage]:
    """Run `manage.py send_emails --once` and return every message the mail backend received."""
    call_command("send_emails", "--once")
    return mail.outbox
