from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meter.services import usage_prune


class Command(BaseCommand):
    help = "Delete meter usage (code page views, questions; accounts, guests, addresses) older than a number of days."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.QUOTA_USAGE_KEEP_DAYS,
            help="Keep this many days (default QUOTA_USAGE_KEEP_DAYS, %(default)s)",
        )

    def handle(self, *args, days: int, **options) -> None:
        if days < 1:
            raise CommandError("--days must be at least 1")
        deleted = usage_prune(older_than_days=days, now=timezone.now())
        self.stdout.write(
            f"Deleted {deleted['usage']} usage rows, {deleted['unlocks']} unlocked items and "
            f"{deleted['address']} guest address rows older than {days} days."
        )
