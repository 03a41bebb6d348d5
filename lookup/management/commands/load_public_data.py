"""`manage.py load_public_data [--data DIR]`: every public code set, in order (make run)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from lookup.importing import Progress
from lookup.public_data import DEFAULT_DATA_DIR, load_public_data


class Command(BaseCommand):
    help = (
        "Import ICD-10-CM (April 2025 and 2026), HCPCS, ICD-10-PCS and the Medicare fee schedules "
        "from the shared data folder, skipping releases already loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data",
            type=Path,
            default=DEFAULT_DATA_DIR,
            help=f"the public files' folder ({DEFAULT_DATA_DIR})",
        )
        parser.add_argument(
            "--ncci",
            type=Path,
            metavar="DIR",
            help="a folder of CMS files you downloaded: NCCI PTP edits (ccipra-/ccioph-v320r0-f1.txt), "
            "MUEs (MCR_MUE_..._Eff_01-01-2026.csv) and the 2018 GEMs; loaded after the code sets if new",
        )

    def handle(self, *args, **options) -> None:
        load_public_data(
            data_dir=options["data"],
            say=self.stdout.write,
            progress=Progress(sys.stderr),
            ncci_dir=options["ncci"],
        )
