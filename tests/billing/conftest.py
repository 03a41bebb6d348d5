from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from billing.importing import FeeScheduleSummary
from lookup.importing import find_importer, run_import
from tests.conftest import SHARED_DATA

# Small cuts of the real CMS files (same layout, CPT descriptor text blanked out).
SAMPLE = settings.BASE_DIR / "fixtures" / "billing"
SAMPLE_2024 = SAMPLE / "rvu24" / "PPRRVU24_JAN.csv"
SAMPLE_2025 = SAMPLE / "rvu25" / "PPRRVU25_JAN.csv"
# The full public files, where this machine has them.
SHARED_RVU = SHARED_DATA / "cms" / "rvu"


def import_fee_schedule(*, path: Path, allow_deletions: bool = False) -> FeeScheduleSummary:
    """`import_codes pfs <path>` as the framework runs it, summary and all."""
    return run_import(importer=find_importer("pfs"), location=str(path), allow_deletions=allow_deletions)


def sample_zip(tmp_path: Path, year: str = "25") -> Path:
    """The sample packed like the CMS release zip (RVU25A.zip)."""
    path = tmp_path / f"RVU{year}A.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for member in (SAMPLE / f"rvu{year}").iterdir():
            archive.write(member, member.name)
    return path


@pytest.fixture
def fee_schedules(demo_codes):
    """Both sample years imported, with their localities, over the demo codes."""
    import_fee_schedule(path=SAMPLE_2024)
    import_fee_schedule(path=SAMPLE_2025)


@pytest.fixture
def fee_schedules_live(demo_codes_live):
    """Both sample years, committed, for a live server and a browser."""
    import_fee_schedule(path=SAMPLE_2024)
    import_fee_schedule(path=SAMPLE_2025)
