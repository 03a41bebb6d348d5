"""The query table on the real ICD-10-CM and HCPCS files, as `make run` loads them.

Reads the one session-wide import of every public code set (the full_data fixture in
tests/conftest.py); skipped where ../shared/data is missing.
"""

from __future__ import annotations

import pytest

from lookup.models import Code
from lookup.search.query import search_codes

pytestmark = [pytest.mark.full_data, pytest.mark.usefixtures("full_data")]


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
        # A bare condition: the code the ICD-10-CM index gives it, the "unspecified" one.
        ("asthma", ["J45.909"]),
        ("astma", ["J45.909"]),
        ("migraine", ["G43.909"]),
        ("migrane", ["G43.909"]),
        ("diabetes", ["E11"]),  # E11 includes "diabetes NOS"
        ("diabetis", ["E11"]),
        ("standard wheelchair", ["K0001"]),
        ("annual wellness visit subsequent", ["G0439"]),
    ],
)
def test_full_code_sets_query_table(db, query, first):
    assert codes(query, len(first)) == first


# Conditions as a chart states them, and the code the ICD-10-CM index gives them: it must be
# among the first three.
COMMON = {
    "hyperlipidemia": "E78.5",
    "anemia": "D64.9",
    "obesity": "E66.9",
    "hypothyroidism": "E03.9",
    "headache": "R51.9",
    "fever": "R50.9",
    "cough": "R05.9",
    "atrial fibrillation": "I48.91",
    "afib": "I48.91",
    "chest pain": "R07.9",
    "low back pain": "M54.50",
    "urinary tract infection": "N39.0",
    "uti": "N39.0",
    "depression": "F32.A",
    "vitamin d deficiency": "E55.9",
    "pneumonia": "J18.9",
    "type 2 diabetes": "E11.9",
    "copd": "J44.9",
    "gerd": "K21.9",
    "gastro-esophageal reflux disease": "K21.9",
    "anxiety": "F41.9",
    "constipation": "K59.00",
    "dizziness": "R42",
    "nausea": "R11.0",
    "acute kidney injury": "N17.9",
    "sepsis": "A41.9",
    "heart failure": "I50.9",
    "chf": "I50.9",
    "dehydration": "E86.0",
    "syncope": "R55",
    "osteoarthritis of knee": "M17.9",
    "insomnia": "G47.00",
}


@pytest.mark.parametrize(("query", "code"), COMMON.items())
def test_common_conditions_find_their_code_in_the_first_three(db, query, code):
    assert code in codes(query, 3)


def test_ranges_list_every_code_in_code_order(db):
    result = search_codes("J1000-J1999", page_size=1000)
    found = list(result.page)

    assert result.range_system.slug == "hcpcs"
    assert "J1100" in [code.code for code in found]
    keys = [code.key for code in found]
    assert keys == sorted(keys) and all("J1000" <= key <= "J1999" for key in keys)
    assert (
        result.count == Code.objects.filter(system__slug="hcpcs", key__gte="J1000", key__lte="J1999").count()
    )


def test_typos_find_the_code(db):
    assert search_codes("diabetis").corrected
    assert "J1100" in codes("dexamethazone", 5)
