from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.actions import expire_jobs


class Command(BaseCommand):
    help = "Expire approved jobs past their date and remind employers of jobs expiring soon (run daily)."

    def handle(self, *args, **options):
        run = expire_jobs()
        self.stdout.write(
            f"{run.expired} jobs expired; {run.reminded} employers reminded "
            f"(jobs expiring within {settings.JOBS_EXPIRY_REMINDER_DAYS} days)."
        )
