"""The glossary as search reads it: what people type, and the code sets' words for it."""

from __future__ import annotations

import pytest

from lookup.glossary.search_terms import expansions, known_words, words_of


@pytest.mark.parametrize(
    ("query", "phrase", "means"),
    [
        ("heart attack", "heart attack", "myocardial infarction"),
        ("high blood pressure", "high blood pressure", "hypertension"),
        ("pink eye", "pink eye", "conjunctivitis"),
        ("shingles", "shingles", "zoster"),
        ("dm2", "dm2", "type 2 diabetes mellitus"),
        ("T2DM", "t2dm", "type 2 diabetes mellitus"),
        ("copd", "copd", "chronic obstructive pulmonary disease"),
        ("osa", "osa", "obstructive sleep apnea"),
        ("strep throat", "strep throat", "streptococcal pharyngitis"),
        ("ESRD", "esrd", "end stage renal disease"),
        ("adhd", "adhd", "attention deficit hyperactivity disorder"),
        ("laparoscopic appendectomy", "appendectomy", "resection of appendix"),
        ("laparoscopic appendectomy", "laparoscopic", "percutaneous endoscopic"),
        ("cellulitis left leg", "leg", "lower limb"),
        ("buckle fracture", "buckle fracture", "torus fracture"),
        ("A-fib", "a fib", "atrial fibrillation"),
        ("swimmer's ear", "swimmer s ear", "otitis externa"),
    ],
)
def test_what_people_type_maps_to_the_code_sets_words(query, phrase, means):
    found = {expansion.phrase: expansion for expansion in expansions(words_of(query))}
    assert phrase in found, found
    assert means.split() in [list(words) for words in found[phrase].alternatives]


def test_longest_phrase_wins_and_words_the_glossary_lacks_stay():
    found = expansions(words_of("acute heart attack with fever"))
    assert [(expansion.phrase, expansion.start, expansion.end) for expansion in found] == [
        ("heart attack", 1, 3)
    ]


def test_glossary_words_are_never_typos():
    words = known_words()
    for word in ("shingles", "appendectomy", "conjunctivitis", "laparoscopic", "strep"):
        assert word in words
