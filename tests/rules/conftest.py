from __future__ import annotations

import pytest
from django.conf import settings

from lookup.importing import find_importer, run_import
from lookup.models import Code, CodeSystem, Note
from tests.factories import make_account

SAMPLES = settings.BASE_DIR / "fixtures" / "import"
PTP_PRACTITIONER = SAMPLES / "ccipra-v320r0-f1.txt"  # with its part f2 beside it
PTP_OUTPATIENT = SAMPLES / "ccioph-v320r0-f1.txt"
MUE_PRACTITIONER = SAMPLES / "MCR_MUE_PractitionerServices_Eff_01-01-2026.csv"
MUE_OUTPATIENT = SAMPLES / "MCR_MUE_OutpatientHospitalServices_Eff_01-01-2026.txt"
MUE_DME = SAMPLES / "MCR_MUE_DMESupplierServices_Eff_01-01-2026.csv"
GEM_FILES = [
    SAMPLES / name for name in ("2018_I9gem.txt", "2018_I10gem.txt", "gem_i9pcs.txt", "gem_pcsi9.txt")
]


def load(importer: str, path, **options):
    return run_import(importer=find_importer(importer), location=str(path), **options)


def load_ncci_samples() -> None:
    load("ncci-ptp-practitioner", PTP_PRACTITIONER)
    load("ncci-ptp-outpatient", PTP_OUTPATIENT)
    load("ncci-mue-practitioner", MUE_PRACTITIONER)
    load("ncci-mue-outpatient", MUE_OUTPATIENT)
    load("ncci-mue-dme", MUE_DME)


@pytest.fixture
def fees(demo_codes):
    """The CY2024 and CY2025 fee-schedule samples over the demo codes."""
    from tests.billing.conftest import SAMPLE_2024, SAMPLE_2025, import_fee_schedule

    import_fee_schedule(path=SAMPLE_2024)
    import_fee_schedule(path=SAMPLE_2025)


@pytest.fixture
def ncci(demo_codes):
    """The sample PTP and MUE files loaded, over the demo codes."""
    load_ncci_samples()


def add_type_1_diabetes() -> Code:
    """E10 and E10.9 under the demo's E08-E13 block, with E10's real Excludes1 note on type 2."""
    system = CodeSystem.objects.get(slug="icd-10-cm")
    block = Code.objects.get(system=system, key="E08-E13")
    e11 = Code.objects.get(system=system, key="E11")
    e10 = Code.objects.create(
        system=system, code="E10", key="E10", kind=Code.Kind.CATEGORY, title="Type 1 diabetes mellitus",
        official_description="Type 1 diabetes mellitus", parent=block, sort_order=e11.sort_order - 2,
    )  # fmt: skip
    Note.objects.create(
        code=e10, kind=Note.Kind.EXCLUDES1, text="type 2 diabetes mellitus (E11.-)", position=1
    )
    return Code.objects.create(
        system=system, code="E10.9", key="E109", kind=Code.Kind.CODE, billable=True,
        title="Type 1 diabetes mellitus without complications",
        official_description="Type 1 diabetes mellitus without complications", parent=e10,
        sort_order=e11.sort_order - 1,
    )  # fmt: skip


@pytest.fixture
def type_1_diabetes(demo_codes):
    return add_type_1_diabetes()


@pytest.fixture
def member(db, client):
    user = make_account("coder@example.com", verified=True)
    client.force_login(user)
    return user
