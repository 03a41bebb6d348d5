from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from lookup.models import Code

DEMO_FIXTURE = "fixtures/demo_codes.json"


class Command(BaseCommand):
    help = "Load the demo codes (with our plain-language descriptions) into an empty database."

    def handle(self, *args, **options) -> None:
        # Only into an empty code table: reloading would overwrite staff edits.
        if Code.objects.filter(plain_description__gt="").exists():
            self.stdout.write("Demo codes already present; nothing loaded.")
            return
        call_command("loaddata", DEMO_FIXTURE, verbosity=0)
        self.stdout.write(f"Loaded {Code.objects.count()} demo codes.")
