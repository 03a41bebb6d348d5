"""The glossary as search reads it: the words people type, mapped to the code sets' words.

`expansions(words)` finds, in a query's words, the phrases the glossary knows ("heart
attack", "pink eye", "dm2", "laparoscopic appendectomy") and what the code sets call them;
search then matches either. `known_words()` are words the spelling corrector must leave
alone ("shingles" is no typo of "singles").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from lookup.glossary import GLOSSED_KINDS, Entry, entries

_WORD = re.compile(r"[a-z0-9]+")
_PARENTHESIS = re.compile(r"\([^()]*\)")
MAX_ALTERNATIVES = 4


def words_of(text: str) -> tuple[str, ...]:
    """Lower-case words without accents, as search splits a query."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return tuple(_WORD.findall(folded))


@dataclass(frozen=True, slots=True)
class Expansion:
    start: int  # index of the phrase's first word in the query's words
    end: int  # one past its last
    phrase: str  # as the reader typed it
    alternatives: tuple[tuple[str, ...], ...]  # the code sets' words for it
    entry: Entry

    @property
    def also_known_as(self) -> str:
        """The code sets' words, for "also known as ..." beside a result."""
        return " ".join(self.alternatives[0])


@functools.cache
def _phrases() -> dict[tuple[str, ...], tuple[tuple[tuple[str, ...], ...], Entry]]:
    """Each phrase people type (as words) -> the code sets' words for it, and its entry."""
    found: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    sources: dict[tuple[str, ...], Entry] = {}

    def add(phrase: str, meaning: str, entry: Entry) -> None:
        key, words = words_of(phrase), words_of(_PARENTHESIS.sub(" ", meaning))
        # "diabetes" for diabetes mellitus says nothing the code sets' own words do not.
        if key and words and not set(key) <= set(words):
            alternatives = found.setdefault(key, [])
            if words not in alternatives:
                alternatives.append(words)
            sources.setdefault(key, entry)

    # Explicit search mappings first, then abbreviations, then the glossary read backwards.
    for entry in entries():
        if entry.kind == "search":
            for meaning in entry.also_known_as:
                add(entry.term, meaning, entry)
    for entry in entries():
        if entry.kind == "abbreviations" and len(words_of(entry.term)) == 1 and len(entry.term) >= 2:
            add(entry.term, entry.also_known_as[0], entry)
    for entry in entries():
        if entry.kind in GLOSSED_KINDS:
            for everyday in entry.also_known_as:
                add(everyday, entry.term, entry)
    return {key: (tuple(value[:MAX_ALTERNATIVES]), sources[key]) for key, value in found.items()}


@functools.cache
def _longest() -> int:
    return max(len(key) for key in _phrases())


def expansions(words: list[str] | tuple[str, ...]) -> list[Expansion]:
    """The glossary's phrases in a query's words, longest first, left to right, not overlapping."""
    phrases = _phrases()
    found: list[Expansion] = []
    index = 0
    while index < len(words):
        for size in range(min(_longest(), len(words) - index), 0, -1):
            key = tuple(words[index : index + size])
            if key in phrases:
                alternatives, entry = phrases[key]
                found.append(Expansion(index, index + size, " ".join(key), alternatives, entry))
                index += size
                break
        else:
            index += 1
    return found


def is_glossary_phrase(text: str) -> bool:
    """The whole text is one phrase the glossary knows ("dm2", "heart attack")."""
    words = words_of(text)
    return bool(words) and words in _phrases()


@functools.cache
def known_words() -> frozenset[str]:
    """Every word on either side of the glossary: real words, never "corrected"."""
    known: set[str] = set()
    for entry in entries():
        known.update(words_of(entry.term))
        known.update(words_of(entry.plain))
    return frozenset(word for word in known if word.isalpha())
