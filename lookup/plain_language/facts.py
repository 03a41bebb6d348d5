"""What the generator may read about a code: its official text and what the code set states
around it (hierarchy, notes, neighbouring codes), gathered without the ORM so 190,000 codes
fit in memory at once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(slots=True)
class Node:
    code: str
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class NoteFact:
    owner: str  # the code the note is written on
    kind: str
    label: str
    text: str


@dataclass(slots=True)
class Facts:
    system: str  # slug: icd-10-cm, icd-10-pcs, hcpcs
    code: str
    key: str
    kind: str
    text: str  # the official description, else the title
    billable: bool = False
    lineage: list[Node] = field(default_factory=list)  # ancestors, top first
    notes: list[NoteFact] = field(default_factory=list)  # the code's own and its ancestors', nearest first
    sibling_texts: list[str] = field(default_factory=list)  # codes with the same parent
    billable_below: int = 0  # billable codes under this one
    chapter_number: int | None = None
    # ICD-10-PCS: official titles of the codes in the same table (same first three characters)
    table: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class PlainText:
    description: str  # what the code is, in everyday words (search indexes it)
    notes: str = ""  # where it sits and how to code it (shown beside it, not indexed)


def sentence(text: str) -> str:
    text = " ".join(text.split()).strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!" else f"{text}."


_RANGE_IN_TITLE = re.compile(r"\s*\([A-Z][0-9A-Z.]{1,7}(?:-[A-Z0-9.]{2,8})?\)\s*$")


def without_range(title: str) -> str:
    """A chapter or block title without its trailing code range: "Diabetes mellitus (E08-E13)"."""
    return _RANGE_IN_TITLE.sub("", title)
