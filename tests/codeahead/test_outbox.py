"""The outbox: emails are rows first; the worker sends them, and a mail server that is down
delays them and loses none."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from codeahead import outbox
from codeahead.models import OutboundEmail
from tests.conftest import subprocess_database_url
from tests.factories import make_account
from tests.smtp_server import SMTPServer, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_settings(settings):
    """Django's SMTP backend pointed at a local port where nothing listens yet."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_OUTBOX_RETRY_SECONDS, settings.EMAIL_OUTBOX_MAX_RETRY_SECONDS = 60, 3600
    return settings


def queue_three(now):
    for number in range(1, 4):
        outbox.enqueue(
            name="test/notice",
            to=[f"member{number}@example.org"],
            subject=f"Answer {number} is ready",
            text=f"Hello {number}.\n.\nA line that is only a dot, above.",
            html=f"<p>Hello {number}.</p>",
            reply_to=["consultants@example.org"],
            now=now,
        )


def test_a_refusing_mail_server_delays_every_email_and_the_recovered_one_gets_each_once(smtp_settings):
    start = timezone.now()
    queue_three(start)

    refused = outbox.deliver_due(now=start)

    assert (refused.sent, refused.retrying, refused.gave_up) == (0, 3, 0)
    for email in OutboundEmail.objects.all():
        assert email.status == "pending" and email.attempts == 1
        assert "ConnectionRefusedError" in email.last_error
        assert email.next_attempt_at == start + timedelta(seconds=60)
    # Not due again before its wait is over, even with the server back.
    with SMTPServer(smtp_settings.EMAIL_PORT) as server:
        assert not outbox.deliver_due(now=start + timedelta(seconds=30))
        assert server.received == []

        recovered = outbox.deliver_due(now=start + timedelta(seconds=61))
        again = outbox.deliver_due(now=start + timedelta(hours=1))

    assert (recovered.sent, recovered.retrying) == (3, 0) and not again
    assert sorted(message["To"] for message in server.received) == [
        "member1@example.org",
        "member2@example.org",
        "member3@example.org",
    ]
    first = next(m for m in server.received if m["To"] == "member1@example.org")
    assert first["Subject"] == "Answer 1 is ready" and first["Reply-To"] == "consultants@example.org"
    assert first.get_body("plain").get_content().replace("\r\n", "\n").startswith("Hello 1.\n.\nA line")
    assert first.get_body("html").get_content().strip() == "<p>Hello 1.</p>"
    sent = OutboundEmail.objects.get(to=["member1@example.org"])
    assert sent.status == "sent" and sent.attempts == 2 and sent.last_error == ""
    assert sent.sent_at == start + timedelta(seconds=61)


def test_the_wait_doubles_after_each_failure_up_to_its_cap(settings):
    settings.EMAIL_OUTBOX_RETRY_SECONDS, settings.EMAIL_OUTBOX_MAX_RETRY_SECONDS = 60, 600

    waits = [outbox.retry_delay(attempts).total_seconds() for attempts in range(1, 7)]

    assert waits == [60, 120, 240, 480, 600, 600]


def test_after_the_last_attempt_it_gives_up_says_so_in_the_admin_and_can_be_sent_again(
    smtp_settings, admin_client
):
    smtp_settings.EMAIL_OUTBOX_MAX_ATTEMPTS = 3
    now = timezone.now()
    outbox.enqueue(name="test/notice", to=["member@example.org"], subject="Hello", text="Hi", now=now)

    outcomes = []
    for _ in range(3):
        outcomes.append(outbox.deliver_due(now=now))
        now += timedelta(hours=2)
    email = OutboundEmail.objects.get()

    assert [(d.retrying, d.gave_up) for d in outcomes] == [(1, 0), (1, 0), (0, 1)]
    assert email.status == "failed" and email.attempts == 3
    assert not outbox.deliver_due(now=now + timedelta(days=7))
    page = admin_client.get("/admin/codeahead/outboundemail/").content.decode()
    assert "Gave up after 3 attempts: ConnectionRefusedError" in page

    admin_client.post(
        "/admin/codeahead/outboundemail/", {"action": "send_again", "_selected_action": [email.pk]}
    )
    with SMTPServer(smtp_settings.EMAIL_PORT) as server:
        call_command("send_emails", "--once")

    assert [m["To"] for m in server.received] == ["member@example.org"]
    assert OutboundEmail.objects.get().status == "sent"


def test_sent_emails_are_forgotten_after_the_keep_days_and_the_others_stay(settings):
    settings.EMAIL_OUTBOX_KEEP_DAYS = 90
    now = timezone.now()
    for days, status in [(100, "sent"), (100, "failed"), (100, "pending"), (10, "sent")]:
        email = outbox.enqueue(name="test/notice", to=["m@example.org"], subject=status, text="Hi", now=now)
        OutboundEmail.objects.filter(pk=email.pk).update(status=status, created_at=now - timedelta(days=days))

    assert outbox.prune(now=now) == 1
    assert sorted(OutboundEmail.objects.values_list("status", flat=True)) == ["failed", "pending", "sent"]


def test_an_email_is_written_only_if_its_cause_is_saved():
    with pytest.raises(RuntimeError), transaction.atomic():
        make_account("member@example.org")
        outbox.enqueue(name="test/notice", to=["member@example.org"], subject="Welcome", text="Hi")
        raise RuntimeError("the sign-up failed after the email was queued")

    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_email_once():
    now = timezone.now()
    for number in range(20):
        outbox.enqueue(name="test/notice", to=[f"m{number}@example.org"], subject="Hi", text="Hi", now=now)
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            outbox.deliver_due()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"m{number}@example.org" for number in range(20))
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {("sent", 1)}


def wait_for(condition, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_the_running_worker_waits_out_a_stopped_mail_server_and_stops_cleanly(smtp_settings):
    """`manage.py send_emails` as make run starts it: the server is down, then comes back."""
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": subprocess_database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_settings.EMAIL_PORT),
        "EMAIL_USE_TLS": "0",
        "EMAIL_OUTBOX_RETRY_SECONDS": "1",
        "EMAIL_OUTBOX_MAX_RETRY_SECONDS": "1",
    }
    queue_three(timezone.now())
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "send_emails", "--interval", "0.2"],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(lambda: OutboundEmail.objects.filter(attempts__gte=2).count() == 3)
        assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"pending"}
        with SMTPServer(smtp_settings.EMAIL_PORT) as server:
            wait_for(lambda: OutboundEmail.objects.filter(status="sent").count() == 3)
            received = sorted(message["To"] for message in server.received)
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)

    assert worker.returncode == 0, output
    assert received == ["member1@example.org", "member2@example.org", "member3@example.org"]
    assert "Outbox: sent 0, to retry 3, gave up 0" in output and "Outbox: sent 3" in output
