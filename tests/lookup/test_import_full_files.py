"""The official files in ../shared/data, imported whole as `make run` loads them: counts,
known codes, and what the order of loading must get right.

All of it reads the one session-wide import (the full_data fixture in tests/conftest.py);
skipped on a machine without the files (the samples in fixtures/import test every format).
"""

from __future__ import annotations

import pytest

from lookup.models import Code, CodeChange, Note
from tests.factories import make_account

pytestmark = [pytest.mark.full_data, pytest.mark.django_db]


def icd(key: str) -> Code:
    return Code.objects.get(system__slug="icd-10-cm", key=key)


@pytest.mark.usefixtures("full_data")
class TestIcd10cm:
    def test_official_counts(self):
        codes = Code.objects.filter(system__slug="icd-10-cm")
        assert codes.filter(kind="chapter", termination_date=None).count() == 22
        assert codes.filter(billable=True).count() == 74_719
        assert codes.filter(termination_date=None).exclude(kind__in=["chapter", "section"]).count() == 98_186

    def test_e11_9_with_its_notes(self, client):
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

    def test_s52_521a_with_its_seventh_character_rules(self, client):
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

    def test_2025_to_2026_change_list(self, full_data, client):
        second = full_data["ICD-10-CM", "2026-04"]
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

    def test_a_code_revised_in_2026_shows_its_history(self, client):
        client.force_login(make_account("history@example.com"))

        html = client.get("/icd-10-cm/L02.212/").content.decode()

        assert "History" in html
        assert "Cutaneous abscess of back [any part, except buttock]" in html  # the 2025 text


def test_hcpcs_full_file(full_data, client):
    summary = full_data["HCPCS Level II", "2026-01"]

    codes = Code.objects.filter(system__slug="hcpcs")
    in_file = codes.filter(hcpcs_detail__isnull=False)
    assert (summary.added, summary.revised, summary.deleted) == (in_file.count(), 0, 0) == (9_006, 0, 0)
    assert in_file.filter(kind="modifier").count() == 383
    assert codes.get(key="J1100").official_description == "Injection, dexamethasone sodium phosphate, 1 mg"
    assert codes.get(key="G0439").official_description.endswith("plan of service (pps), subsequent visit")
    assert codes.get(key="G0439").hcpcs_detail.betos_code == "M5D"
    assert client.get("/hcpcs/J1100/").status_code == 200


def test_dental_codes_come_from_the_fee_schedule_current_and_flagged(full_data, client):
    # CMS's public HCPCS file leaves the ADA's D-codes out; the fee schedule names them.
    dental = Code.objects.filter(system__slug="hcpcs", key__startswith="D", key__regex=r"^D[0-9]{4}$")
    assert dental.count() > 800
    assert set(dental.values_list("text_licence", "termination_date", "title")) == {("ADA", None, "")}
    response = client.get("/hcpcs/D6751/")
    assert response.status_code == 200
    assert "Terminated" not in response.content.decode()


def test_icd10pcs_full_file(full_data, client):
    summary = full_data["ICD-10-PCS", "FY2024"]

    assert summary.added == Code.objects.filter(system__slug="icd-10-pcs", billable=True).count() == 78_603
    assert client.get("/icd-10-pcs/0DTJ4ZZ/").status_code == 200
