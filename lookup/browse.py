"""Browsing a code set by hierarchy and by range: open to everyone, never a page view."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import Collate, Left

from lookup.cache import kept
from lookup.code_ranges import named_range, named_ranges
from lookup.models import MAX_HIERARCHY_DEPTH, Code, CodeSystem, normalize_code

COUNT_CACHE_SECONDS = 600
# Chapters and sections: the headings of a code set, listed by browse, not among its codes.
HEADER_KINDS = (Code.Kind.CHAPTER, Code.Kind.SECTION)
# Ends a key prefix in C order: every key character sorts below "~".
AFTER_KEY = "~"
_SPAN = re.compile(r"([A-Z0-9][A-Z0-9.]{0,8})-([A-Z0-9][A-Z0-9.]{0,8})", re.IGNORECASE)


class BadRange(ValueError):
    pass


@dataclass
class CodeGroup:
    """A run of codes of a flat code set, such as the HCPCS J codes."""

    low: str
    high: str
    count: int
    billable_count: int
    name: str = ""  # the section or our own range name, where the code set has one

    @property
    def span(self) -> str:
        return f"{self.low}-{self.high}"


def parse_span(span: str) -> tuple[str, str]:
    """`77261-77799` -> ("77261", "77799"); BadRange with a message otherwise."""
    match = _SPAN.fullmatch(span.strip())
    if not match:
        raise BadRange("A range is two codes joined by a hyphen, such as 77261-77799.")
    return range_keys(match.group(1), match.group(2))


def range_keys(low: str, high: str) -> tuple[str, str]:
    """The lookup keys of a range's two ends, however typed; BadRange if it runs backwards."""
    low_key, high_key = normalize_code(low), normalize_code(high)
    if low_key > high_key:
        raise BadRange(f"The range {low}-{high} runs backwards: try {high}-{low}.")
    return low_key, high_key


def range_codes(system: CodeSystem, low_key: str, high_key: str) -> QuerySet[Code]:
    """Every code of `system` from `low_key` to `high_key` and the codes under it, in code order.

    The range page and a range search both list this.
    """
    return (
        system.codes.annotate(key_c=Collate("key", "C"))
        .filter(key_c__gte=low_key, key_c__lt=high_key + AFTER_KEY)
        .exclude(kind__in=HEADER_KINDS)
        .order_by("key_c")
    )


def range_header(system: CodeSystem, low_key: str, high_key: str) -> Code | None:
    """The chapter or section whose code is the range itself (`E08-E13`), if there is one."""
    return system.codes.filter(key=f"{low_key}-{high_key}").first()


def with_counts(codes: list[Code]) -> list[Code]:
    """Give each code `code_count` (codes under it) and `billable_count`, in one query.

    The recursive walk over a big chapter takes tens of milliseconds, so counts are kept
    until a release is imported (lookup/cache.py).
    """
    if not codes:
        return codes

    def count() -> dict[int, tuple[int, int]]:
        table = Code._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH RECURSIVE tree(root, id, billable, depth) AS (
                    SELECT id, id, false, 0 FROM {table} WHERE id = ANY(%s)
                    UNION ALL
                    SELECT tree.root, c.id, c.billable, tree.depth + 1
                    FROM {table} c JOIN tree ON c.parent_id = tree.id
                    WHERE tree.depth < %s
                ) CYCLE id SET looped USING path
                SELECT root, count(*) - 1, count(*) FILTER (WHERE billable) FROM tree
                WHERE NOT looped GROUP BY root
                """,
                [[code.pk for code in codes], MAX_HIERARCHY_DEPTH],
            )
            return {root: (total, billable) for root, total, billable in cursor.fetchall()}

    counts = kept("browse:counts:" + ",".join(str(code.pk) for code in codes), count, COUNT_CACHE_SECONDS)
    for code in codes:
        code.code_count, code.billable_count = counts.get(code.pk, (0, 0))
    return codes


def children_of(system: CodeSystem, parent: Code | None) -> list[Code]:
    # A chapter or section a later release renamed stays for its links, off the lists.
    children = list(
        system.codes.filter(parent=parent)
        .exclude(kind__in=HEADER_KINDS, termination_date__isnull=False)
        .order_by("sort_order")
    )
    for child in children:
        child.system = system
    return with_counts(children)


def first_character_groups(system: CodeSystem) -> list[CodeGroup]:
    """For a code set without chapters (HCPCS, CPT, PCS as published): its codes under their
    named sections (HCPCS Level II's, CPT ranges under our names, PCS sections), else by
    first character."""

    def group() -> list[CodeGroup]:
        if named_ranges(system.slug):
            return _named_groups(system)
        rows = (
            system.codes.filter(parent=None)
            .exclude(kind=Code.Kind.MODIFIER)
            .annotate(first=Left("key", 1))
            .values("first")
            .annotate(
                low=Min("key"),
                high=Max("key"),
                count=Count("pk"),
                billable_count=Count("pk", filter=Q(billable=True)),
            )
            .order_by("first")
        )
        return [CodeGroup(r["low"], r["high"], r["count"], r["billable_count"]) for r in rows]

    return kept(f"browse:groups:{system.pk}", group, COUNT_CACHE_SECONDS)


def systems_with_counts() -> list[CodeSystem]:
    """The code systems that hold codes, each with `code_count` (codes and modifiers), for the
    home page. A system with none (no file loaded yet) is left out rather than shown as 0."""

    def count() -> list[CodeSystem]:
        systems = CodeSystem.objects.annotate(
            code_count=Count("codes", filter=Q(codes__kind__in=[Code.Kind.CODE, Code.Kind.MODIFIER]))
        ).order_by("position")
        return [system for system in systems if system.code_count]

    return kept("home:systems", count, COUNT_CACHE_SECONDS)


def _named_groups(system: CodeSystem) -> list[CodeGroup]:
    """The codes of each named range that has any, in code order; codes outside every named
    range keep their first-character group."""
    rows = system.codes.filter(parent=None).exclude(kind=Code.Kind.MODIFIER).values_list("key", "billable")
    groups: dict[str, CodeGroup] = {}
    for key, billable in rows.order_by("key"):
        found = named_range(system.slug, key)
        label = found.title if found else ""
        bucket = found.first if found else key[:1]
        group = groups.get(bucket)
        if group is None:
            group = groups[bucket] = CodeGroup(key, key, 0, 0, label)
        group.high = key
        group.count += 1
        group.billable_count += billable
    return sorted(groups.values(), key=lambda group: group.low)


def has_hierarchy(system: CodeSystem) -> bool:
    return system.codes.filter(kind__in=HEADER_KINDS).exists()
