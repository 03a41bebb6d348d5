"""Misspelt words corrected from the vocabulary of the code sets (lookup_searchword, kept
by the triggers in index.py), by trigram similarity as pg_trgm measures it."""

from __future__ import annotations

import math

from django.contrib.postgres.search import TrigramDistance

from lookup.models import SearchWord

# How alike (trigram similarity) a known word must be to stand in for a misspelt one.
MIN_SIMILARITY = 0.3


def corrections(words: list[str], *, last_is_prefix: bool) -> dict[str, list[str]]:
    """For each word the vocabulary lacks, the known words it was probably meant to be.

    A word with no close match maps to [] and is dropped: it could only make the search fail.
    """
    # Words under 5 letters have too many near neighbours ("gerd" is not "german").
    candidates = [w for w in words if w.isalpha() and len(w) >= 5]
    if not candidates:
        return {}
    known = set(SearchWord.objects.filter(word__in=candidates).values_list("word", flat=True))
    fixes: dict[str, list[str]] = {}
    for index, word in enumerate(candidates):
        if word in known:
            continue
        is_last = word == words[-1] and index == len(candidates) - 1
        if is_last and last_is_prefix and SearchWord.objects.filter(word__startswith=word).exists():
            continue  # still being typed: the prefix search finds it
        similar = _similar_words(word)
        # Between close spellings, the word the code sets use more is the likelier meaning:
        # "fractrue" is "fracture", not the rare abbreviation "fract".
        scored = sorted(((sim + 0.05 * math.log(1 + uses), w) for w, sim, uses in similar), reverse=True)
        fixes[word] = [w for score, w in scored[:3] if score >= scored[0][0] - 0.05] if scored else []
    return fixes


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity() for one lower-case word each: shared trigrams over all trigrams."""
    ours, theirs = _trigrams(a), _trigrams(b)
    return len(ours & theirs) / len(ours | theirs)


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _similar_words(word: str) -> list[tuple[str, float, int]]:
    """Known words that look like `word`: (word, trigram similarity, uses), most alike first.

    Most typos keep the first letter and about the length: those few hundred words come
    from the primary key's order and are compared here, in a millisecond. Otherwise the
    trigram index finds the nearest words.
    """
    initial = word[0]
    alike = [
        (known, trigram_similarity(known, word), uses)
        for known, uses in SearchWord.objects.filter(
            word__gte=initial, word__lt=chr(ord(initial) + 1)
        ).values_list("word", "uses")
        if abs(len(known) - len(word)) <= 2
    ]
    found = sorted((item for item in alike if item[1] >= MIN_SIMILARITY), key=lambda i: (-i[1], -i[2]))[:8]
    if found:
        return found
    nearest = (
        SearchWord.objects.annotate(distance=TrigramDistance("word", word))
        .order_by("distance")
        .values_list("word", "distance", "uses")[:8]
    )
    return [(w, 1 - distance, uses) for w, distance, uses in nearest if distance <= 1 - MIN_SIMILARITY]
