"""`manage.py import_codes <system> <file or URL>`: load one release of a code set."""

from __future__ import annotations

import datetime
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lookup.importing import IMPORTERS, Progress, already_loaded, find_importer, run_import


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date must look like 2026-04-01, not {text!r}") from None


class Command(BaseCommand):
    help = "Import one release of a code set from the publisher's file (a path or an http(s) URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        formats = "; ".join(f"{name}: {importer.help}" for name, importer in sorted(IMPORTERS.items()))
        parser.add_argument("system", help=f"what the file holds. {formats}")
        parser.add_argument("location", help="the file's path, or an http(s) URL to download first")
        parser.add_argument("--release", default="", help="release label (default: from the file)")
        parser.add_argument("--date", type=_date, help="release date YYYY-MM-DD (default: from the file)")
        parser.add_argument(
            "--if-new",
            action="store_true",
            help="do nothing when the release the file's name gives is loaded already (for make run)",
        )
        parser.add_argument(
            "--allow-deletions",
            action="store_true",
            help="let a release delete more than IMPORT_MAX_DELETION_SHARE of what is loaded",
        )

    def handle(self, *args, **options) -> None:
        importer = find_importer(options["system"])
        if options["if_new"]:
            label = already_loaded(
                importer=importer, location=options["location"], version=options["release"]
            )
            if label:
                self.stdout.write(f"{options['system']} {label} is loaded already; nothing to do.")
                return
        try:
            summary = run_import(
                importer=importer,
                location=options["location"],
                version=options["release"],
                date=options["date"],
                progress=Progress(sys.stderr),
                allow_deletions=options["allow_deletions"],
            )
        except KeyboardInterrupt:
            raise CommandError("interrupted: the import was rolled back, nothing changed") from None
        for line in summary.lines():
            self.stdout.write(line)
