from __future__ import annotations

from django.core.management.base import BaseCommand

from jobs.alerts import send_job_alerts


class Command(BaseCommand):
    help = (
        "Email each due saved search (daily or weekly) the open jobs its account was never sent (run daily)."
    )

    def handle(self, *args, **options):
        run = send_job_alerts()
        self.stdout.write(f"{run.searches} searches due; {run.emails} digests sent with {run.jobs} jobs.")
