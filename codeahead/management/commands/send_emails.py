"""The outbox worker: `manage.py send_emails` sends waiting emails until stopped.

Run one beside the web server (`make run` does); more than one is safe, each row is claimed
by one worker (codeahead/outbox.py). `--once` sends what is due and exits (tests, cron).
"""

from __future__ import annotations

import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from codeahead import outbox


class Command(BaseCommand):
    help = "Send the emails waiting in the outbox, retrying failures with growing waits."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Send what is due, then exit")
        parser.add_argument(
            "--interval",
            type=float,
            default=settings.EMAIL_OUTBOX_POLL_SECONDS,
            help="Seconds between looks at the outbox (default: EMAIL_OUTBOX_POLL_SECONDS)",
        )

    def handle(self, *, once: bool, interval: float, **options) -> None:
        if once:
            self.report(outbox.deliver_due())
            outbox.prune()
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Sending emails from the outbox every {interval:g} s (Ctrl-C stops)")
        pruned_at = 0.0
        while not stop.is_set():
            # A database restarted meanwhile: drop the dead connection, try again next round.
            close_old_connections()
            try:
                self.report(outbox.deliver_due())
                if time.monotonic() - pruned_at > 3600:
                    outbox.prune()
                    pruned_at = time.monotonic()
            except DatabaseError as error:
                self.stderr.write(f"Database unavailable, trying again: {error}")
            stop.wait(interval)

    def report(self, delivery: outbox.Delivery) -> None:
        if delivery:
            self.stdout.write(f"Outbox: {delivery}")
