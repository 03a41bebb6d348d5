"""ICD-10-CM: a diagnosis code's title, the axes its characters encode (side, encounter,
trimester, intent), where it sits in the tabular list, and its notes, in plain words."""

from __future__ import annotations

import functools
import re

from lookup.glossary import Glossary
from lookup.plain_language.facts import Facts, NoteFact, PlainText, sentence, without_range
from lookup.plain_language.wording import gloss, note_sentences

_SIDE = re.compile(r"\b(right|left|bilateral)\b", re.IGNORECASE)
_SWAP = {"right": "left", "left": "right"}
_TRIMESTER = re.compile(r"\b(first|second|third|unspecified) trimester\b", re.IGNORECASE)
_INTENTS = (
    "accidental (unintentional)",
    "intentional self-harm",
    "assault",
    "undetermined",
)
_EFFECT = re.compile(r"^(adverse effect of|underdosing of|poisoning by|toxic effect of)\b", re.IGNORECASE)
# Notes that govern every code below them: a category's and subcategories' (a block's and a
# chapter's notes are broad and are shown on the page).
_NOTE_OWNERS = ("category", "subcategory", "code")


def _usage(glossary: Glossary, words: str) -> str | None:
    entry = glossary.get(words, "usage")
    return entry.gloss if entry else None


def _seventh_character(facts: Facts) -> tuple[str, str] | None:
    """(character, meaning) of the code's own seventh character, from the nearest definition."""
    if len(facts.key) != 7 or facts.kind != "code":
        return None
    definitions = [note for note in facts.notes if note.kind == "seven_chr_def"]
    if not definitions:
        return None
    nearest = definitions[0].owner
    for note in definitions:
        if note.owner == nearest and note.label == facts.key[-1]:
            return note.label, note.text
    return None


def _encounter_words(glossary: Glossary, meaning: str) -> str | None:
    """Everyday words for a seventh character's meaning: the exact glossary entry, else the
    longest entry it starts with ("initial encounter for open fracture type I or II")."""
    words = meaning.lower()
    while words:
        found = _usage(glossary, words)
        if found:
            return found
        words = words.rpartition(" ")[0]
    return None


def _side(facts: Facts, text: str) -> str | None:
    """The side a code names, where the code set has the same code for the other side:
    "left" in "Left ventricular failure" is no laterality."""
    found = _SIDE.findall(text)
    if len({word.lower() for word in found}) != 1:
        return None
    word = found[0].lower()
    if word == "bilateral":
        return "both sides"
    mirrored = re.sub(rf"\b{word}\b", _SWAP[word], text.lower())
    if any(mirrored == sibling.lower() for sibling in facts.sibling_texts):
        return f"the {word} side"
    return None


def _base_text(facts: Facts, seventh: tuple[str, str] | None) -> str:
    text = facts.text
    if seventh and text.lower().endswith(seventh[1].lower()):
        text = text[: -len(seventh[1])].rstrip(", ")
    return text


def _where(facts: Facts) -> str:
    category = next((node for node in reversed(facts.lineage) if node.kind == "category"), None)
    block = next((node for node in reversed(facts.lineage) if node.kind == "section"), None)
    chapter = next((node for node in facts.lineage if node.kind == "chapter"), None)
    places = []
    if category and category.code != facts.code:
        places.append(f"category {category.code} ({category.text})")
    if block:
        start, _, end = block.code.partition("-")
        span = start if start == end else block.code
        places.append(f"the block {without_range(block.text)} ({span})")
    if chapter:
        number = f" {facts.chapter_number}" if facts.chapter_number else ""
        places.append(f"chapter{number}, {without_range(chapter.text)}")
    return sentence("It sits in " + ", in ".join(places)) if places else ""


def describe(facts: Facts, glossary: Glossary) -> PlainText:
    used: set[str] = set()
    if facts.kind == "chapter":
        start, _, end = facts.code.partition("-")
        number = (
            f"Chapter {facts.chapter_number} of ICD-10-CM"
            if facts.chapter_number
            else "A chapter of ICD-10-CM"
        )
        lead = f"{number}: {gloss(without_range(facts.text), glossary, used)}"
        return PlainText(
            description=sentence(lead),
            notes=" ".join(
                [sentence(f"It covers the codes from {start} to {end}"), *_notes(facts, glossary)]
            ),
        )
    if facts.kind == "section":
        start, _, end = facts.code.partition("-")
        lead = f"A block of codes: {gloss(without_range(facts.text), glossary, used)}"
        return PlainText(
            description=sentence(lead),
            notes=" ".join(
                part
                for part in [
                    sentence(f"It runs from {start} to {end}"),
                    _where(facts),
                    *_notes(facts, glossary),
                ]
                if part
            ),
        )

    seventh = _seventh_character(facts)
    base = _base_text(facts, seventh)
    described = [sentence(gloss(base, glossary, used))]

    side = _side(facts, base)
    if side:
        described.append(sentence(f"It is for {side}"))
    trimester = _TRIMESTER.search(base)
    if trimester:
        words = trimester.group(0).lower()
        meaning = _usage(glossary, words)
        described.append(sentence(f"Stage of pregnancy: {words}" + (f", the {meaning}" if meaning else "")))
    effect = _EFFECT.match(base)
    if effect:
        for intent in _INTENTS:
            if intent in base.lower():
                meaning = _usage(glossary, intent)
                described.append(sentence(f"How it happened: {meaning or intent}"))
                break
        meaning = _usage(glossary, effect.group(1))
        if meaning and effect.group(1).lower() not in ("poisoning by", "toxic effect of"):
            described.append(sentence(f"It records {meaning}"))
    if seventh:
        character, meaning = seventh
        everyday = _encounter_words(glossary, meaning)
        text = f"The 7th character {character} means {meaning}"
        described.append(sentence(f"{text}: {everyday}" if everyday else text))
        if "X" in facts.key[3:6]:
            described.append(
                sentence("The X in the code is a placeholder that keeps the 7th character in 7th place")
            )

    context: list[str] = []
    if not facts.billable and facts.billable_below:
        many = (
            f"one of the {facts.billable_below} billable codes"
            if facts.billable_below > 1
            else "the billable code"
        )
        context.append(sentence(f"It is not billable on its own: a claim uses {many} under it"))
    context.append(_where(facts))
    context.extend(_notes(facts, glossary))
    return PlainText(description=" ".join(described), notes=" ".join(part for part in context if part))


def _notes(facts: Facts, glossary: Glossary) -> list[str]:
    owners = {facts.code: facts.kind} | {node.code: node.kind for node in facts.lineage}
    # A chapter's and a block's notes are their own; a code's include its category's.
    kinds = _NOTE_OWNERS if facts.kind not in ("chapter", "section") else ()
    applying = [
        note
        for note in facts.notes
        if note.kind not in ("seven_chr_def", "seven_chr_note", "includes")
        and (note.owner == facts.code or owners.get(note.owner) in kinds)
        # Inclusion terms name what one code covers; a parent's do not all fit each child.
        and (note.kind != "inclusion_term" or note.owner == facts.code)
    ]
    # Codes under one category share its notes: their sentences are written once.
    this = facts.code if any(note.owner == facts.code for note in applying) else ""
    return list(_note_sentences(tuple(applying), this))


@functools.lru_cache(maxsize=20_000)
def _note_sentences(notes: tuple[NoteFact, ...], this: str) -> tuple[str, ...]:
    return tuple(note_sentences(list(notes), this=this))
