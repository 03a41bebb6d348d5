"""The official files in ../shared/data, imported whole: counts and known codes.

Skipped on a machine without them (the samples in fixtures/import test every format).
"""

from __future__ import annotations

import pytest
from django.db import transaction

from lookup.models import Code, CodeChange, Note
from tests.factories import make_account
from tests.lookup.importing import SHARED, import_file

CM_2025 = SHARED / "cdc/icd10cm/icd10cm-tabular-April-2025.xml.gz"
CM_2026 = SHARED / "cdc/icd10cm/icd10cm-tabular-April-2026.xml.gz"
HCPCS = SHARED / "cms/hcpcs/january-2026-alpha-numeric-hcpcs-file.zip"
PCS = SHARED / "cms/icd10pcs/icd10pcs-codes-2024.txt.gz"


def needs(*paths):
    missing = [str(p) for p in paths if not p.exists()]
    return pytest.mark.skipif(
        bool(missing), reason=f"official file not on this machine: {', '.join(missing)}"
    )


@pytest.fixture(scope="module")
def icd10cm_2025_then_2026(django_db_setup, django_db_blocker):
    """Both ICD-10-CM years imported once for this module, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        summaries = (import_file("icd-10-cm", CM_2025), import_file("icd-10-cm", CM_2026))
        yield summaries
        transaction.set_rollback(True)


def icd(key: str) -> Code:
    return Code.objects.get(system__slug="icd-10-cm", key=key)


@needs(CM_2025, CM_2026)
@pytest.mark.django_db
class TestIcd10cm:
    def test_official_counts(self, icd10cm_2025_then_2026):
        codes = Code.objects.filter(system__slug="icd-10-cm")
        assert codes.filter(kind="chapter", termination_date=None).count() == 22
        assert codes.filter(billable=True).count() == 74_719
        assert codes.filter(termination_date=None).exclude(kind__in=["chapter", "section"]).count() == 98_186

    def test_e11_9_with_its_notes(self, icd10cm_2025_then_2026, client):
        e119 = icd("E119")
        assert (e119.billable, e119.parent.code, e119.parent.parent.code) == (True, "E11", "E08-E13")
        assert list(e119.notes.values_list("kind", "text")) == [
            ("excludes1", "type 2 diabetes mellitus, without complications in remission (E11.A)")
        ]
        e11 = set(Note.objects.filter(code__key="E11").values_list("kind", flat=True))
        assert e11 >= {"includes", "use_additional_code", "excludes1"}
        client.force_login(make_account("full@example.com"))
        html = client.get("/icd-10-cm/E11.9/").content.decode()
        assert "type 2 diabetes mellitus, without complications in remission (E11.A)" in html

    def test_s52_521a_with_its_seventh_character_rules(self, icd10cm_2025_then_2026, client):
        code = icd("S52521A")
        assert code.billable and code.parent.key == "S52521"
        assert code.official_description == (
            "Torus fracture of lower end of right radius, initial encounter for closed fracture"
        )
        labels = Note.objects.filter(code__key="S5252", kind="seven_chr_def").values_list("label", flat=True)
        assert list(labels) == list("ADGKPS")
        assert not Code.objects.filter(key="S52521B").exists()  # S52's open-fracture B is not for torus
        assert Code.objects.filter(key="S061X7A").exists() and not Code.objects.filter(key="S061X7D").exists()
        client.force_login(make_account("s52@example.com"))
        html = client.get("/icd-10-cm/S52.521A/").content.decode()
        assert 'Applies from <a href="/icd-10-cm/S52.52/">S52.52</a>' in html
        assert "<dt>P</dt><dd>subsequent encounter for fracture with malunion</dd>" in html

    def test_2025_to_2026_change_list(self, icd10cm_2025_then_2026, client):
        first, second = icd10cm_2025_then_2026
        changes = CodeChange.objects.filter(release__version="2026-04")
        assert (second.added, second.revised, second.deleted) == (
            changes.filter(kind="added").count(),
            changes.filter(kind="revised").count(),
            changes.filter(kind="deleted").count(),
        )
        assert second.added > 400 and second.revised > 20 and second.deleted > 10
        assert changes.get(code__key="E11A").kind == "added"
        revised = changes.get(code__key="L02212")
        assert revised.old_text == "Cutaneous abscess of back [any part, except buttock]"
        assert revised.new_text == "Cutaneous abscess of back [any part, except buttock and flank]"
        assert changes.get(code__key="T7807XA").kind == "deleted"
        assert icd("T7807XA").termination_date.isoformat() == "2026-04-01"
        pages = -(-changes.count() // 100)
        html = client.get("/icd-10-cm/changes/2026-04/?page=2").content.decode()
        assert f"Page 2 of {pages}" in html and 'rel="next"' in html


@needs(HCPCS)
@pytest.mark.django_db
def test_hcpcs_full_file():
    summary = import_file("hcpcs", HCPCS)

    codes = Code.objects.filter(system__slug="hcpcs")
    assert summary.added == codes.count() == 9_006
    assert codes.filter(kind="modifier").count() == 383
    assert codes.get(key="J1100").official_description == "Injection, dexamethasone sodium phosphate, 1 mg"
    assert codes.get(key="G0439").official_description.endswith("plan of service (pps), subsequent visit")
    assert codes.get(key="G0439").hcpcs_detail.betos_code == "M5D"


@needs(PCS)
@pytest.mark.django_db
def test_icd10pcs_full_file():
    summary = import_file("icd-10-pcs", PCS)

    assert summary.added == Code.objects.filter(system__slug="icd-10-pcs", billable=True).count() == 78_603
