from __future__ import annotations

from django.core.management.base import BaseCommand

from billing.importing import import_fee_schedule


class Command(BaseCommand):
    help = (
        "Import one year of the Medicare Physician Fee Schedule from the CMS RVU zip (RVU25A.zip) "
        "or its PPRRVU csv. Temporary: becomes `import_codes pfs` once the shared importer lands."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="RVU2xA.zip or PPRRVU2x_JAN.csv")

    def handle(self, *args, path: str, **options) -> None:
        progress = None
        if self.stdout.isatty():

            def progress(done: int, total: int) -> None:
                self.stdout.write(f"\r  {done:,}/{total:,} rows", ending="")
                if done == total:
                    self.stdout.write("")

        summary = import_fee_schedule(path=path, progress=progress)
        self.stdout.write(str(summary))
