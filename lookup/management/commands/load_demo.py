from __future__ import annotations

from django.core.management.base import BaseCommand

from lookup.demo import load_demo_codes
from lookup.models import Code


class Command(BaseCommand):
    help = "Load the demo codes (with our plain-language descriptions) into an empty database."

    def handle(self, *args, **options) -> None:
        # Only into an empty code table: reloading would overwrite staff edits.
        if Code.objects.filter(plain_description__gt="").exists():
            self.stdout.write("Demo codes already present; nothing loaded.")
            return
        self.stdout.write(f"Loaded {load_demo_codes()} demo codes.")
