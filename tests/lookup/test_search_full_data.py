"""The query table on the real ICD-10-CM and HCPCS files, imported with the project's importer.

Skipped where ../shared/data is missing or the importer is not there yet; runs in a
minute or two where both are.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command, get_commands

from lookup.models import Code
from lookup.search import search_codes

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
ICD_10_CM = DATA / "cdc" / "icd10cm" / "icd10cm-tabular-April-2026.xml.gz"
HCPCS = DATA / "cms" / "hcpcs" / "january-2026-alpha-numeric-hcpcs-file.zip"

pytestmark = [
    pytest.mark.skipif(
        not (ICD_10_CM.exists() and HCPCS.exists()), reason=f"the official files are not at {DATA}"
    ),
    pytest.mark.skipif(
        "import_codes" not in get_commands(), reason="no import_codes command (the importer) in this branch"
    ),
]


@pytest.fixture(scope="module")
def full_codes(django_db_setup, django_db_blocker):
    """ICD-10-CM April 2026 and HCPCS January 2026, imported once for the module."""
    with django_db_blocker.unblock():
        call_command("import_codes", "icd-10-cm", str(ICD_10_CM), verbosity=0)
        call_command("import_codes", "hcpcs", str(HCPCS), verbosity=0)
        yield
        Code.objects.filter(system__slug__in=["icd-10-cm", "hcpcs"]).delete()


def codes(query: str, count: int, **filters) -> list[str]:
    return [code.code for code in list(search_codes(query, **filters).page)[:count]]


# What a coder types, and the codes the official code sets say must come first.
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("E11.9", ["E11.9"]),
        ("e119", ["E11.9"]),
        ("E11 9", ["E11.9"]),
        ("I10", ["I10"]),
        ("j1100", ["J1100", "J11.00"]),
        ("J11.00", ["J11.00"]),
        ("s52.521a", ["S52.521A"]),
        ("E11", ["E11", "E11.0", "E11.00", "E11.01"]),
        ("S52.5", ["S52.5", "S52.50", "S52.501"]),
        ("J11", ["J11", "J11.0", "J11.00"]),
        ("E08-E13", ["E08", "E08.0", "E08.00"]),
        ("type 2 diabetes without complications", ["E11.9"]),
        ("type 2 diabetes mellitus without complications", ["E11.9"]),
        ("dexamethasone injection", ["J1100"]),
        ("dexamethazone injection", ["J1100"]),
        ("essential hypertension", ["I10"]),
        ("hypertension", ["I10"]),
        ("hypertensoin", ["I10"]),
        ("high blood pressure", ["I10"]),
        ("asthma", ["J45"]),
        ("astma", ["J45"]),
        ("migraine", ["G43"]),
        ("migrane", ["G43"]),
        ("gastro-esophageal reflux disease", ["K21"]),
        ("gerd", ["K21"]),
        ("standard wheelchair", ["K0001"]),
        ("annual wellness visit subsequent", ["G0439"]),
    ],
)
def test_full_code_sets_query_table(full_codes, db, query, first):
    assert codes(query, len(first)) == first


def test_ranges_list_every_code_in_code_order(full_codes, db):
    result = search_codes("J1000-J1999", page_size=1000)
    found = list(result.page)

    assert result.range_system.slug == "hcpcs"
    assert "J1100" in [code.code for code in found]
    keys = [code.key for code in found]
    assert keys == sorted(keys) and all("J1000" <= key <= "J1999" for key in keys)
    assert (
        result.count == Code.objects.filter(system__slug="hcpcs", key__gte="J1000", key__lte="J1999").count()
    )


def test_typos_find_the_code(full_codes, db):
    diabetes = search_codes("diabetis")
    assert diabetes.corrected
    assert any(code.code.startswith(("E10", "E11", "E13", "E08")) for code in list(diabetes.page)[:5])
    assert "J1100" in codes("dexamethazone", 5)
