"""Search by the words people use, on the real code sets: lay terms, abbreviations, PCS
procedure names, laterality; the spelling corrector leaves known words alone.

Reads the one session-wide import of every public code set (the full_data fixture);
skipped where ../shared/data is missing.
"""

from __future__ import annotations

import pytest

from lookup.search.query import search_codes

pytestmark = [pytest.mark.full_data, pytest.mark.usefixtures("full_data")]


def first(query: str, count: int = 1) -> list[str]:
    return [code.code for code in list(search_codes(query).page)[:count]]


# What a patient or a coder types, and where the first result must be: an exact code, or
# the category ("I21" means the first result is I21 or a code under it).
LAY_QUERIES = [
    ("heart attack", "I21"),
    ("high blood pressure", "I10"),
    ("pink eye", "H10"),
    ("shingles", "B02"),
    ("t2dm", "E11"),
    ("DM2 without complications", "E11.9"),
    ("t1dm", "E10"),
    ("copd", "J44"),
    ("osa", "G47.33"),
    ("laparoscopic appendectomy", "0DTJ4ZZ"),
    ("open appendectomy", "0DTJ0ZZ"),
    ("strep throat", "J02.0"),
    ("esrd", "N18.6"),
    ("adhd", "F90"),
    ("cellulitis left leg", "L03.116"),
    ("cellulitis right leg", "L03.115"),
    ("kidney stones", "N20"),
    ("gallstone pancreatitis", "K85.1"),
    ("piles", "K64"),
    ("bedsore", "L89"),
    ("hay fever", "J30"),
    ("hives", "L50"),
    ("nosebleed", "R04.0"),
    ("athlete's foot", "B35.3"),
    ("tennis elbow", "M77.1"),
    ("frozen shoulder", "M75.0"),
    ("whooping cough", "A37"),
    ("lockjaw", "A35"),
    ("fainting", "R55"),
    ("afib", "I48"),
    ("chf", "I50"),
    ("uti", "N39.0"),
    ("dvt", "I82"),
    ("mi", "I21"),
    ("chickenpox", "B01"),
    ("mono", "B27"),
    ("swimmer's ear", "H60"),
    ("lazy eye", "H53.0"),
    ("ptsd", "F43.1"),
    ("cholecystectomy", "0FT4"),
    ("tonsillectomy", "0CTP"),
    ("oxygen concentrator", "E139"),
    ("sleep apnoea", "G47.3"),
    ("buckle fracture of lower end of right radius initial", "S52.521A"),
    ("dm2", "E11"),
]


@pytest.mark.parametrize(("query", "expected"), LAY_QUERIES, ids=[query for query, _ in LAY_QUERIES])
def test_lay_terms_find_the_code_first(query, expected):
    found = first(query)
    assert found and found[0].startswith(expected), (query, first(query, 5))


def test_the_table_has_at_least_40_queries():
    assert len(LAY_QUERIES) >= 40


@pytest.mark.parametrize("query", ["shingles", "appendectomy", "pink eye", "laparoscopic appendectomy"])
def test_words_the_glossary_knows_are_never_corrected(query):
    assert search_codes(query).corrected == ""


def test_a_correction_says_so_and_the_count_is_the_corrected_search(client):
    html = client.get("/search", {"q": "dexamethazone injection"}).content.decode()
    assert "Showing results for <strong>dexamethasone injection</strong>" in html
    assert (
        'href="/search?q=dexamethazone%20injection&amp;spell=0">Search instead for dexamethazone injection</a>'
        in html
    )
    exact = client.get("/search", {"q": "dexamethazone injection", "spell": "0"}).content.decode()
    assert "Showing results for" not in exact


def test_a_result_found_through_the_glossary_says_why(client):
    html = client.get("/search", {"q": "heart attack"}).content.decode()
    assert "“heart attack” is also searched as <strong>myocardial infarction</strong>" in html
    assert '<span class="matched-as">also known as heart attack</span>' in html
