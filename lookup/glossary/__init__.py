"""Our medical glossary: clinical terms and coders' abbreviations beside everyday words.

The data is ours, reviewed like code: one tab-separated file per kind of entry in this
folder (`anatomy.tsv`, `conditions.tsv`, ...), two columns, `term<TAB>plain words`. The
plain side's first alternative (before any ";") is the short gloss the plain-language
generator writes after a term; the others are more words people use for it (search reads
them all). `#` starts a comment line. `pcs_structure.tsv` names ICD-10-PCS sections and
body systems (`prefix<TAB>name<TAB>plain words`); it is read by `pcs_structure()`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

GLOSSARY_DIR = Path(__file__).resolve().parent
STRUCTURE_FILE = "pcs_structure.tsv"
# The kinds whose terms the generator glosses where they appear in a code's text.
GLOSSED_KINDS = ("anatomy", "conditions", "procedures", "drugs", "equipment")


class GlossaryError(ValueError):
    """A glossary file line that is not `term<TAB>plain words`."""


@dataclass(frozen=True, slots=True)
class Entry:
    term: str
    plain: str
    kind: str  # the file it comes from: anatomy, conditions, abbreviations...

    @property
    def gloss(self) -> str:
        """The short everyday words written after the term."""
        return self.plain.split(";")[0].strip()

    @property
    def also_known_as(self) -> list[str]:
        return [words.strip() for words in self.plain.split(";") if words.strip()]


def _data_lines(path: Path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.startswith("#"):
            yield number, line


def read_entries(path: Path) -> list[Entry]:
    entries = []
    for number, line in _data_lines(path):
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise GlossaryError(f"{path.name} line {number}: expected `term<TAB>plain words`: {line!r}")
        entries.append(Entry(term=parts[0].strip(), plain=parts[1].strip(), kind=path.stem))
    return entries


@functools.cache
def entries() -> tuple[Entry, ...]:
    """Every glossary entry, in file order (files by name)."""
    found: list[Entry] = []
    for path in sorted(GLOSSARY_DIR.glob("*.tsv")):
        if path.name != STRUCTURE_FILE:
            found.extend(read_entries(path))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class StructureName:
    name: str
    plain: str


@functools.cache
def pcs_structure() -> dict[str, StructureName]:
    """ICD-10-PCS section (one character) and body system (two) names, by code prefix."""
    names = {}
    path = GLOSSARY_DIR / STRUCTURE_FILE
    for number, line in _data_lines(path):
        parts = line.split("\t")
        if len(parts) != 3 or not all(part.strip() for part in parts):
            raise GlossaryError(f"{path.name} line {number}: expected `prefix<TAB>name<TAB>plain words`")
        names[parts[0].strip()] = StructureName(parts[1].strip(), parts[2].strip())
    return names


@dataclass(frozen=True, slots=True)
class Found:
    start: int
    end: int
    entry: Entry


_WORD = re.compile(r"[A-Za-z0-9][\w'\-]*")


def _key(text: str) -> str:
    return " ".join(text.lower().split())


class Glossary:
    """Looks terms up and finds them in running text (longest term first, whole words).

    Finding compares runs of words with a dictionary of terms rather than running one
    regular expression of some 2,000 alternatives: 190,000 codes are glossed in seconds.
    """

    def __init__(self, items: tuple[Entry, ...]) -> None:
        self.by_kind: dict[str, dict[str, Entry]] = {}
        self.by_term: dict[str, Entry] = {}
        for entry in items:
            self.by_kind.setdefault(entry.kind, {}).setdefault(_key(entry.term), entry)
            self.by_term.setdefault(_key(entry.term), entry)
        self._glossed = {
            term: entry for kind in GLOSSED_KINDS for term, entry in self.by_kind.get(kind, {}).items()
        }
        self._longest = max(len(_WORD.findall(term)) for term in self._glossed)
        # Most words start no term: looking at the first word alone skips them at once.
        self._first_words = {_WORD.match(term).group(0) for term in self._glossed if _WORD.match(term)}

    def get(self, term: str, kind: str | None = None) -> Entry | None:
        """The entry for a term, of one kind (file) if given."""
        if kind is not None:
            return self.by_kind.get(kind, {}).get(_key(term))
        return self.by_term.get(_key(term))

    def find(self, text: str) -> list[Found]:
        """The glossed terms in a text, left to right, not overlapping."""
        words = [(match.start(), match.end()) for match in _WORD.finditer(text)]
        found: list[Found] = []
        index = 0
        lowered = text.lower()
        while index < len(words):
            start = words[index][0]
            if lowered[start : words[index][1]] not in self._first_words:
                index += 1
                continue
            for size in range(min(self._longest, len(words) - index), 0, -1):
                end = words[index + size - 1][1]
                key = lowered[start:end]
                if "  " in key or "\n" in key:
                    key = _key(key)
                if key in self._glossed:
                    found.append(Found(start, end, self._glossed[key]))
                    index += size
                    break
            else:
                index += 1
        return found


@functools.cache
def glossary() -> Glossary:
    return Glossary(entries())
