"""Shared wording: everyday words after the clinical terms of an official text, and the
plain sentences a code's notes become."""

from __future__ import annotations

import re

from lookup.glossary import Glossary
from lookup.plain_language.facts import NoteFact, sentence

MAX_GLOSSES = 4  # more than this and the sentence stops reading as one
MAX_NOTE_ITEMS = 6
_PARENTHESIS = re.compile(r"\s?\([^()]*\)")


def article(words: str) -> str:
    """ "a" or "an" before words, by their first letter."""
    return "an" if words[:1].lower() in "aeiou" else "a"


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def gloss(text: str, glossary: Glossary, used: set[str], *, limit: int = MAX_GLOSSES) -> str:
    """The text with everyday words in parentheses after its first clinical terms:
    "Torus fracture (buckle fracture) of lower end of right radius (forearm bone on the
    thumb side)". A term is glossed once per paragraph (`used`), never with words the
    text already says."""
    pieces: list[str] = []
    position = 0
    added = 0
    present = _words(text)
    for found in glossary.find(text):
        entry = found.entry
        words = entry.gloss
        term = entry.term.lower()
        if (
            added >= limit
            or term in used
            or any(re.search(rf"\b{re.escape(term)}\b", other) for other in used)
        ):
            continue  # glossed already, or part of a term glossed already ("artery" after "coronary artery")
        if _words(words) <= present | _words(entry.term):
            continue  # the gloss would only repeat what the text says
        # Keep the official parentheses next to their term ("apnea (adult) (pediatric)"):
        # the gloss goes after them.
        end = found.end
        while (following := _PARENTHESIS.match(text, end)) is not None:
            end = following.end()
        if end != found.end and entry.kind == "drugs":
            continue  # "epinephrine (adrenalin)": the official text names the drug already
        pieces.append(text[position:end])
        pieces.append(f" ({words})")
        position = end
        used.add(term)
        present |= _words(words)
        added += 1
    pieces.append(text[position:])
    return "".join(pieces)


def _note_items(notes: list[NoteFact]) -> list[str]:
    """Notes of one kind as phrases: a note ending in ":" introduces the items after it."""
    phrases: list[str] = []
    heading: str | None = None
    items: list[str] = []

    def flush() -> None:
        nonlocal heading, items
        if heading is not None:
            shown = items[:MAX_NOTE_ITEMS]
            more = len(items) - len(shown)
            listed = "; ".join(shown) + (f"; and {more} more" if more else "")
            phrases.append(f"{heading} {listed}".strip() if listed else heading.rstrip(":"))
        else:
            phrases.extend(items)
        heading, items = None, []

    for note in notes:
        text = " ".join(note.text.split())
        if text.endswith(":"):
            flush()
            heading = text
        else:
            items.append(text)
    flush()
    return phrases


def _joined(phrases: list[str]) -> str:
    shown = phrases[:MAX_NOTE_ITEMS]
    more = len(phrases) - len(shown)
    return "; ".join(shown) + (f"; and {more} more listed in the notes" if more else "")


_ADDITIONAL_LEAD = re.compile(
    r"^(?:additional\s+)?code(?:\s*\([^)]*\))?(?:,\s*if applicable,|\s+if applicable)?\s*(?:,\s*)?(?:to identify|for)?\s*",
    re.IGNORECASE,
)


def note_sentences(notes: list[NoteFact], *, this: str) -> list[str]:
    """The coding notes that apply to a code, in plain sentences, the nearest first.

    `this` names the code in the sentences ("this code"). Notes written on an ancestor
    say so: "(a note on E11)".
    """
    by_kind: dict[str, dict[str, list[NoteFact]]] = {}
    for note in notes:
        by_kind.setdefault(note.kind, {}).setdefault(note.owner, []).append(note)

    sentences: list[str] = []

    def each(kind: str, make) -> None:
        for owner, owned in by_kind.get(kind, {}).items():
            phrases = _note_items(owned)
            if phrases:
                sentences.append(make(_joined(phrases), owner))

    def tag(kind: str, owner: str) -> str:
        """The note's kind, and the code it is written on when that is an ancestor."""
        parts = [kind] if kind else []
        if owner != this:
            parts.append(f"a note on {owner}")
        return f" ({', '.join(parts)})" if parts else ""

    each("inclusion_term", lambda text, owner: sentence(f"Also covers{tag('', owner)}: {text}"))
    each(
        "excludes1",
        lambda text, owner: sentence(f"Never code this together with{tag('Excludes1', owner)}: {text}"),
    )
    each(
        "excludes2",
        lambda text, owner: sentence(
            f"Not included here, but may be coded as well when the patient also has{tag('Excludes2', owner)}: "
            f"{text}"
        ),
    )

    def code_first(text: str, owner: str) -> str:
        underlying = re.match(r"^(?:the\s+)?underlying (?:condition|disease),?\s*(?:such as:?)?\s*", text)
        if underlying:
            rest = text[underlying.end() :]
            lead = f"Code the underlying condition first{tag('', owner)}"
            return sentence(f"{lead}, such as: {rest}" if rest else lead)
        return sentence(f"Code first{tag('', owner)}: {text}")

    each("code_first", code_first)

    def additional(text: str, owner: str) -> str:
        rest = _ADDITIONAL_LEAD.sub("", text, count=1).strip().lstrip(":").strip()
        return sentence(f"Also code, where it applies{tag('', owner)}: {rest or text}")

    each("use_additional_code", additional)
    each(
        "code_also",
        lambda text, owner: sentence(f"Code also{tag('', owner)}: {text.lstrip(' ,')}"),
    )
    each("note", lambda text, owner: sentence(f"Coding note{tag('', owner)}: {text}"))
    return sentences
