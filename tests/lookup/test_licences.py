"""The one licence rule (CodeSystem.text_licence_for), as every importer applies it."""

from __future__ import annotations

import pytest

from lookup.models import Code, CodeSystem
from tests.lookup.importing import SAMPLES, import_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("system", "key", "licence"),
    [
        ("cpt", "99213", "AMA"),
        ("cpt", "0001F", "AMA"),
        ("hcpcs", "D0120", "ADA"),  # dental: the American Dental Association's text
        ("hcpcs", "J1100", ""),
        ("hcpcs", "DA", ""),  # a modifier, not a dental code
        ("icd-10-cm", "D500", ""),  # ICD-10-CM's D chapter is public domain
        ("icd-10-pcs", "0DTJ4ZZ", ""),
    ],
)
def test_who_owns_a_codes_text(system, key, licence):
    assert CodeSystem.objects.get(slug=system).text_licence_for(key) == licence


def test_every_importer_flags_rows_by_the_rule():
    import_file("hcpcs", SAMPLES / "HCPC2026_JAN_ANWEB_sample.txt")
    import_file("cpt", SAMPLES / "cpt-2026-sample.tsv")
    import_file("icd-10-cm", SAMPLES / "icd10cm-tabular-sample-April-2026.xml")

    for code in Code.objects.select_related("system"):
        assert code.text_licence == code.system.text_licence_for(code.key), code
    assert Code.objects.get(system__slug="hcpcs", key="D9999").text_licence == "ADA"
    assert set(Code.objects.filter(system__slug="cpt").values_list("text_licence", flat=True)) == {"AMA"}
