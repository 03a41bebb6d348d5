from __future__ import annotations

import pytest

from lookup.models import Code, Release
from tests.lookup.importing import SAMPLES, import_codes

pytestmark = pytest.mark.django_db


def pcs(key: str) -> Code:
    return Code.objects.get(system__slug="icd-10-pcs", key=key)


def test_code_list_format():
    output = import_codes("icd-10-pcs", SAMPLES / "icd10pcs_codes_2024_sample.txt")

    assert "ICD-10-PCS FY2024: added 18" in output
    code = pcs("0016070")
    assert code.official_description == (
        "Bypass Cerebral Ventricle to Nasopharynx with Autologous Tissue Substitute, Open Approach"
    )
    assert (code.kind, code.billable, code.parent) == ("code", True, None)
    assert str(Release.objects.get(system__slug="icd-10-pcs").date) == "2023-10-01"


def test_order_file_format_with_table_headers():
    import_codes("icd-10-pcs", SAMPLES / "icd10pcs_order_2024_sample.txt")

    table = pcs("0KX")
    assert (table.kind, table.billable, table.title) == ("category", False, "Muscles, Transfer")
    code = pcs("0KX00ZZ")
    assert (code.parent, code.billable, code.official_description) == (
        table,
        True,
        "Transfer Head Muscle, Open Approach",
    )
    assert list(Code.objects.filter(system__slug="icd-10-pcs").values_list("key", flat=True)[:2]) == [
        "001",
        "0016070",
    ]
