"""The glossary is reviewed data: its files must keep their shape."""

from __future__ import annotations

from collections import Counter

import pytest

from lookup.glossary import (
    GLOSSARY_DIR,
    GLOSSED_KINDS,
    STRUCTURE_FILE,
    entries,
    glossary,
    pcs_structure,
    read_entries,
)


def test_glossary_has_at_least_1500_entries_each_with_both_sides():
    found = entries()
    assert len(found) >= 1500
    for entry in found:
        assert entry.term.strip() and entry.gloss, entry
        assert "\t" not in entry.term + entry.plain, entry


@pytest.mark.parametrize(
    "path", sorted(p for p in GLOSSARY_DIR.glob("*.tsv") if p.name != STRUCTURE_FILE), ids=str
)
def test_no_term_twice_in_a_file(path):
    terms = Counter(entry.term.lower() for entry in read_entries(path))
    assert [term for term, count in terms.items() if count > 1] == []


def test_a_glossed_term_means_one_thing():
    """Terms written into texts (anatomy, conditions...) appear in one file only."""
    terms = Counter(entry.term.lower() for entry in entries() if entry.kind in GLOSSED_KINDS)
    assert [term for term, count in terms.items() if count > 1] == []


def test_the_kinds_coders_need_are_there():
    kinds = Counter(entry.kind for entry in entries())
    for kind in (
        "anatomy",
        "conditions",
        "procedures",
        "usage",
        "abbreviations",
        "pcs",
        "drugs",
        "equipment",
    ):
        assert kinds[kind] >= 20, kind
    words = glossary()
    # Abbreviations coders write, laterality and encounter words, PCS approaches
    for term, kind in [
        ("inj", "abbreviations"),
        ("w/", "abbreviations"),
        ("w/o", "abbreviations"),
        ("ea", "abbreviations"),
        ("mg", "abbreviations"),
        ("supp", "abbreviations"),
        ("copd", "abbreviations"),
        ("bilateral", "usage"),
        ("initial encounter", "usage"),
        ("sequela", "usage"),
        ("first trimester", "usage"),
        ("resection", "pcs"),
        ("percutaneous endoscopic", "pcs"),
    ]:
        assert words.get(term, kind) is not None, term


def test_parentheses_in_plain_words_are_balanced():
    """A gloss is written inside parentheses: an unbalanced one would break the sentence."""
    for entry in entries():
        for words in entry.also_known_as:
            assert words.count("(") == words.count(")"), entry


def test_a_gloss_holds_no_parentheses_of_its_own():
    """The generator writes a gloss inside parentheses after its term: "femur (thigh bone)"."""
    for entry in entries():
        if entry.kind in GLOSSED_KINDS:
            assert "(" not in entry.gloss and ")" not in entry.gloss, entry


def test_pcs_sections_and_the_medical_and_surgical_body_systems_are_named():
    names = pcs_structure()
    assert {key for key in names if len(key) == 1} == set("0123456789BCDFGHX")
    assert names["0D"].name == "Gastrointestinal System"
    assert all(f"0{system}" in names for system in "0123456789BCDFGHJKLMNPQRSTUVWXY")


def test_finding_terms_takes_the_longest_and_whole_words():
    found = [
        item.entry.term for item in glossary().find("Acute myocardial infarction of the radius; radiusx")
    ]
    assert found == ["acute myocardial infarction", "radius"]
