"""The full CMS relative value files: every row parsed, and the 2025 release as `make run`
loads it (the session-wide full_data import, after the code sets)."""

from __future__ import annotations

import csv
import zipfile
from decimal import Decimal

import pytest
from django.db.models import F

from billing.importing import parse_pprrvu
from billing.models import FeeScheduleItem
from lookup.models import Code
from tests.billing.conftest import SHARED_RVU

pytestmark = pytest.mark.full_data


def full_file_rows(name: str) -> tuple[str, list[list[str]]]:
    with zipfile.ZipFile(SHARED_RVU / name) as archive:
        member = next(n for n in archive.namelist() if n.upper().startswith("PPRRVU") and n.endswith(".csv"))
        text = archive.read(member).decode("cp1252")
    return text, [r for r in csv.reader(text.splitlines()) if r and len(r[0]) == 5 and r[0] != "HCPCS"]


@pytest.mark.skipif(not (SHARED_RVU / "RVU25A.zip").exists(), reason=f"no CMS RVU files in {SHARED_RVU}")
@pytest.mark.parametrize(("name", "year"), [("RVU24A.zip", 2024), ("RVU25A.zip", 2024 + 1)])
def test_full_release_files_parse_every_row(name, year):
    text, expected = full_file_rows(name)

    parsed = parse_pprrvu(text, name=name)

    assert parsed.year == year
    assert [(r["hcpcs"], r["modifier"]) for r in parsed.rows] == [(r[0], r[1]) for r in expected]
    assert len(parsed.rows) > 18_000
    # No CPT descriptor leaves the parser: only public HCPCS short text is kept.
    assert all(row["short_text"] == "" for row in parsed.rows if row["hcpcs"][0].isdigit())


@pytest.mark.django_db
def test_full_2025_release_imports_every_row_and_locality(full_data):
    text, expected = full_file_rows("RVU25A.zip")
    descriptors = {r[2].strip() for r in expected if r[0][0].isdigit() and r[2].strip()}

    summary = full_data["Medicare PFS", "2025-01"]

    items = FeeScheduleItem.objects.filter(schedule__year=2025)
    assert summary.added == len(expected) == items.count()
    assert summary.localities.added == 109
    # Not one CPT descriptor of the file reached the code table.
    assert not Code.objects.filter(system__slug="cpt", title__in=descriptors).exists()
    # Every fee-schedule row hangs on the code it names.
    assert not FeeScheduleItem.objects.exclude(code__key=F("hcpcs")).exists()
    # 77307: 8.76 x 32.3465 = 283.355340 -> $283.36 (see test_payments.py for both years).
    assert items.get(hcpcs="77307", modifier="").national_nonfacility == Decimal("283.36")
