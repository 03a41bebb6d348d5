"""What ICD-10-CM's Excludes1, Excludes2, code-first and use-additional-code notes say about
two codes reported together.

A note names the codes it means in parentheses: "type 1 diabetes mellitus (E10.-)",
"(O10-O11, O13-O16)", "(N18.1-N18.6)", "(I10)". A code matches a reference that starts its
key (E10.- and E10 both mean every code under E10) or falls inside a range. A code inherits
the notes of every code above it: E11.9 carries E11's Excludes1 notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lookup.models import Code, Note, normalize_code

PAIR_NOTE_KINDS = [
    Note.Kind.EXCLUDES1,
    Note.Kind.EXCLUDES2,
    Note.Kind.CODE_FIRST,
    Note.Kind.USE_ADDITIONAL_CODE,
    Note.Kind.CODE_ALSO,
]
_PARENTHESES = re.compile(r"\(([^()]*)\)")
# A trailing dash ("E10.-", "O24.4-") means "and every code under it"; a dash before a code is a range.
_REF = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?(?:-(?!\s*[A-Z0-9]))?"
_REFERENCE = re.compile(rf"({_REF})(?:\s*-\s*({_REF}))?")

VERDICT_NOT_TOGETHER = "not together"
VERDICT_ALLOWED = "allowed"


def _key(reference: str) -> str:
    return normalize_code(reference.rstrip("-").rstrip("."))


def references(text: str) -> list[tuple[str, str]]:
    """(from key, to key) for each code or range a note names; a single code gives (key, key)."""
    found = []
    for group in _PARENTHESES.findall(text):
        for start, end in _REFERENCE.findall(group):
            first = _key(start)
            found.append((first, _key(end) if end else first))
    return found


def names(note_text: str, key: str) -> bool:
    """Whether a note's references take in the code with this key."""
    return any(key[: len(start)] >= start and key[: len(end)] <= end for start, end in references(note_text))


@dataclass
class NoteFinding:
    kind: str  # a Note.Kind value
    kind_label: str
    code: str  # the code whose notes say it (as published: E11.9)
    other: str  # the code the note names
    note: str  # the note's text (public domain ICD-10-CM text)
    at: str  # where the note is written: the code itself or the ancestor it is inherited from
    inherited: bool
    says: str  # what it means for the pair, in our words
    verdict: str  # VERDICT_NOT_TOGETHER or VERDICT_ALLOWED


def _meaning(kind: str, code: str, other: str) -> tuple[str, str]:
    if kind == Note.Kind.EXCLUDES1:
        return (
            f"Excludes1: {code} and {other} are not coded together; the two conditions exclude each other. "
            "(The guidelines allow one exception: when the two conditions are unrelated to each other.)",
            VERDICT_NOT_TOGETHER,
        )
    if kind == Note.Kind.EXCLUDES2:
        return (
            f"Excludes2: {other} is not part of {code}, but a patient may have both; code both when both are present.",
            VERDICT_ALLOWED,
        )
    if kind == Note.Kind.CODE_FIRST:
        return f"Code first: list {other} before {code}.", VERDICT_ALLOWED
    if kind == Note.Kind.USE_ADDITIONAL_CODE:
        return f"Use additional code: list {code} first, then {other}.", VERDICT_ALLOWED
    return "Code also: both may be reported; the order depends on the circumstances of the encounter.", (
        VERDICT_ALLOWED
    )


class Lineages:
    """The pair-relevant notes of some ICD-10-CM codes and of everything above them, in two queries
    per code and one for the notes."""

    def __init__(self, codes: list[Code]) -> None:
        self.chains: dict[int, list[Code]] = {}
        for code in codes:
            self.chains[code.pk] = [code, *reversed(Code.objects.ancestors_of(code))]
        ids = {c.pk for chain in self.chains.values() for c in chain}
        self.notes: dict[int, list[Note]] = {}
        for note in Note.objects.filter(code_id__in=ids, kind__in=PAIR_NOTE_KINDS).order_by("position"):
            self.notes.setdefault(note.code_id, []).append(note)

    def findings(self, code: Code, other_key: str, other_label: str) -> list[NoteFinding]:
        """What the notes of `code` (its own and inherited, nearest first) say about the other code."""
        found = []
        for owner in self.chains.get(code.pk, []):
            for note in self.notes.get(owner.pk, []):
                if not names(note.text, other_key):
                    continue
                says, verdict = _meaning(note.kind, code.code, other_label)
                found.append(
                    NoteFinding(
                        kind=note.kind,
                        kind_label=Note.Kind(note.kind).label,
                        code=code.code,
                        other=other_label,
                        note=note.text,
                        at=owner.code,
                        inherited=owner.pk != code.pk,
                        says=says,
                        verdict=verdict,
                    )
                )
        return found
