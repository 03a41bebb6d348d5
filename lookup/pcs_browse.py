"""ICD-10-PCS browsed as its tables are laid out: section (the first character), body system
(the second), root operation (the third), then the codes of that table.

Everything comes from the loaded codes: the counts are grouped by key prefix, the section
and body system names are the code set's own (lookup/glossary/pcs_structure.tsv, as the PCS
character explanation uses), and a table's root operation is read from its codes' titles
(lookup.plain_language.icd10pcs.PcsTable). Kept per process until an import (lookup/cache.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import Collate, Left, RowNumber

from lookup.browse import AFTER_KEY, COUNT_CACHE_SECONDS
from lookup.cache import kept
from lookup.glossary import glossary, pcs_structure
from lookup.models import Code, CodeSystem
from lookup.plain_language.icd10pcs import AXES, PcsTable

PCS = "icd-10-pcs"
# Titles read per table and body part to name a table's root operation: the most common
# first words win, and a few titles of each body part say it as surely as thousands (and
# more surely than many titles of one body part, whose shared words include the body part).
TITLES_PER_BODY_PART = 3
# What each level lists, by prefix length: sections, body systems, root operations, codes.
_LEVEL_AXES = {0: "section", 1: "body system", 2: "root operation"}


@dataclass(frozen=True)
class PcsLevel:
    """A section, body system or table (root operation) of ICD-10-PCS, with its codes' counts."""

    prefix: str  # "0", "0D", "0DT"
    name: str  # "Medical and Surgical", "Gastrointestinal System", "Resection"; "" if unknown
    plain: str  # our everyday words for it, "" where we have none
    count: int = 0
    billable_count: int = 0

    @property
    def axis(self) -> str:
        """What this level's character is called in its section's tables ("type" in Imaging)."""
        return axis_name(self.prefix[:1], len(self.prefix) - 1)


def axis_name(section: str, index: int) -> str:
    return AXES.get(section, tuple(_LEVEL_AXES.values()))[index] if index < 3 else "code"


def axis_count(axis: str, count: int) -> str:
    """ "3 root operations", "1 body system", "2 modalities"."""
    if count == 1:
        return f"1 {axis}"
    return f"{count:,} {axis[:-1] + 'ies' if axis.endswith('y') else axis + 's'}"


def is_table_prefix(system: CodeSystem, key: str) -> bool:
    """Whether a browse address names a PCS section, body system or table rather than a code."""
    return system.slug == PCS and 1 <= len(key) <= 3 and key.isalnum()


def _codes_under(system: CodeSystem, prefix: str) -> QuerySet[Code]:
    codes = system.codes.filter(kind=Code.Kind.CODE)
    if not prefix:
        return codes
    # Byte order, as the code_key_c index is: a range scan rather than a LIKE.
    return codes.annotate(key_c=Collate("key", "C")).filter(key_c__gte=prefix, key_c__lt=prefix + AFTER_KEY)


def table_codes(system: CodeSystem, prefix: str) -> QuerySet[Code]:
    """The codes of one table (three characters), in code order."""
    return _codes_under(system, prefix).order_by(Collate("key", "C"))


def root_operations(system: CodeSystem, body_system: str) -> dict[str, str]:
    """{table prefix: root operation} for the tables of a body system ("0D"), in one query."""

    def read() -> dict[str, str]:
        rows = (
            _codes_under(system, body_system)
            .annotate(
                table=Left("key", 3),
                nth=Window(RowNumber(), partition_by=[Left("key", 4)], order_by=F("key").asc()),
            )
            .filter(nth__lte=TITLES_PER_BODY_PART)
            .values_list("table", "key", "official_description")
        )
        titles: dict[str, dict[str, str]] = {}
        for prefix, key, title in rows:
            if title:
                titles.setdefault(prefix, {})[key] = title
        return {prefix: _root_operation(PcsTable(found)) for prefix, found in titles.items()}

    return kept(f"pcs:roots:{system.pk}:{body_system}", read, COUNT_CACHE_SECONDS)


def _root_operation(table: PcsTable) -> str:
    """The table's root operation from its titles, cut back to the root operation our PCS
    glossary knows where the titles share more words: the titles of a table with one body
    part all say "Bypass Trachea to ...", "Detachment at ...", "Map Conduction Mechanism"."""
    name = table.root_operation()
    words = name.split()
    known = glossary().by_kind.get("pcs", {})
    for size in range(len(words) - 1, 0, -1):
        if " ".join(words[:size]).lower() in known:
            return " ".join(words[:size])
    return name


def describe(system: CodeSystem, prefix: str) -> PcsLevel:
    """The name and everyday words of a section, body system or table (no counts)."""
    if len(prefix) <= 2:
        found = pcs_structure().get(prefix)
        return PcsLevel(prefix, found.name if found else "", found.plain if found else "")
    name = root_operations(system, prefix[:2]).get(prefix, "")
    return PcsLevel(prefix, name, _everyday(name))


def _everyday(root_operation: str) -> str:
    """Our glossary's words for a root operation (its PCS meaning first), "" where it has none."""
    if not root_operation:
        return ""
    words = glossary()
    entry = words.get(root_operation, "pcs") or words.get(root_operation)
    return entry.gloss if entry and entry.gloss.lower() != root_operation.lower() else ""


def children(system: CodeSystem, prefix: str) -> list[PcsLevel]:
    """The sections (prefix ""), body systems (a section) or tables (a body system) under
    `prefix`, each with how many codes it holds: one grouped query, and one for the names of
    a body system's tables."""

    def count() -> list[tuple[str, int, int]]:
        rows = (
            _codes_under(system, prefix)
            .annotate(group=Left("key", len(prefix) + 1))
            .values("group")
            .annotate(count=Count("pk"), billable_count=Count("pk", filter=Q(billable=True)))
            .order_by("group")
        )
        return [(row["group"], row["count"], row["billable_count"]) for row in rows]

    counted = kept(f"pcs:counts:{system.pk}:{prefix}", count, COUNT_CACHE_SECONDS)
    if len(prefix) == 2:
        roots = root_operations(system, prefix)
        return [
            PcsLevel(group, roots.get(group, ""), _everyday(roots.get(group, "")), total, billable)
            for group, total, billable in counted
        ]
    structure = pcs_structure()
    return [
        PcsLevel(
            group,
            structure[group].name if group in structure else "",
            structure[group].plain if group in structure else "",
            total,
            billable,
        )
        for group, total, billable in counted
    ]


def trail(system: CodeSystem, prefix: str) -> list[PcsLevel]:
    """The levels above and including `prefix`, for breadcrumbs: "0", "0D", "0DT"."""
    return [describe(system, prefix[:size]) for size in range(1, len(prefix) + 1)]
