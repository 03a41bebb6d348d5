"""`load_public_data` (make run): every public code set in order, then nothing the second time.

Run on the small samples laid out as the shared data folder is; the full files are loaded
by the session-wide `full_data` fixture (tests/conftest.py).
"""

from __future__ import annotations

import gzip
import shutil
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command

from lookup.models import Code, CodeChange, Release
from tests.billing.conftest import sample_zip
from tests.lookup.importing import SAMPLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("code_systems")]


def gzipped(source, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as raw, gzip.open(target, "wb") as out:
        shutil.copyfileobj(raw, out)


def shared_folder(tmp_path, *, only_icd10cm_2026=False):
    """The samples under the names and folders of ../shared/data."""
    data = tmp_path / "data"
    cm = data / "cdc" / "icd10cm"
    gzipped(SAMPLES / "icd10cm-tabular-sample-April-2026.xml", cm / "icd10cm-tabular-April-2026.xml.gz")
    if only_icd10cm_2026:
        return data
    gzipped(SAMPLES / "icd10cm-tabular-sample-April-2025.xml", cm / "icd10cm-tabular-April-2025.xml.gz")
    hcpcs = data / "cms" / "hcpcs"
    hcpcs.mkdir(parents=True)
    lines = (SAMPLES / "HCPC2026_JAN_ANWEB_sample.txt").read_text().splitlines()
    with zipfile.ZipFile(hcpcs / "january-2026-alpha-numeric-hcpcs-file.zip", "w") as archive:
        # As CMS publishes it: without the ADA's dental codes.
        public = "\n".join(line for line in lines if not line.startswith("D")) + "\n"
        archive.writestr("HCPC2026_JAN_ANWEB_01122026.txt", public)
    gzipped(
        SAMPLES / "icd10pcs_codes_2024_sample.txt", data / "cms" / "icd10pcs" / "icd10pcs-codes-2024.txt.gz"
    )
    rvu = data / "cms" / "rvu"
    rvu.mkdir(parents=True)
    for year in ("24", "25"):
        shutil.move(sample_zip(tmp_path, year), rvu / f"RVU{year}A.zip")
    return data


def load(data) -> list[str]:
    out = StringIO()
    call_command("load_public_data", "--data", str(data), stdout=out)
    return out.getvalue().splitlines()


def test_every_public_code_set_loads_in_order_then_is_skipped(tmp_path):
    data = shared_folder(tmp_path)

    first = [line for line in load(data) if not line.startswith("  ")]

    assert [line.split(":")[0] for line in first] == [
        "ICD-10-CM 2025-04",
        "ICD-10-CM 2026-04",
        "HCPCS Level II 2026-01",
        "ICD-10-PCS FY2024",
        "Medicare PFS 2024-01 (CY2024, RVU24A)",
        "Medicare PFS 2025-01 (CY2025, RVU25A)",
    ]
    # The 2026 ICD-10-CM release recorded its changes against 2025: History has them.
    assert CodeChange.objects.filter(release__version="2026-04").exists()
    # HCPCS before the fee schedule: its codes keep their text, D-codes are not "terminated".
    assert Code.objects.get(system__slug="hcpcs", key="J1100").official_description.startswith("Injection")
    dental = Code.objects.get(system__slug="hcpcs", key="D0120")
    assert (dental.billable, dental.termination_date) == (True, None)
    releases = Release.objects.count()

    second = load(data)

    assert second == [
        "ICD-10-CM April 2025 (2025-04) is loaded already.",
        "ICD-10-CM April 2026 (2026-04) is loaded already.",
        "HCPCS January 2026 (2026-01) is loaded already.",
        "ICD-10-PCS FY2024 (FY2024) is loaded already.",
        "Medicare fee schedule CY2024 (2024-01) is loaded already.",
        "Medicare fee schedule CY2025 (2025-01) is loaded already.",
    ]
    assert Release.objects.count() == releases


def test_missing_files_are_named_in_one_line_with_the_command(tmp_path):
    data = shared_folder(tmp_path, only_icd10cm_2026=True)

    lines = load(data)

    assert lines[0].startswith("ICD-10-CM 2026-04: added ")
    assert lines[1:] == [
        f"Not loaded, no file in {data}: ICD-10-CM April 2025, HCPCS January 2026, ICD-10-PCS FY2024, "
        "Medicare fee schedule CY2024, Medicare fee schedule CY2025. Put the public files there "
        "(see README, Loading code sets) and run `.venv/bin/python manage.py load_public_data "
        "--data DIR`, or load one with `manage.py import_codes <system> <file>`."
    ]
