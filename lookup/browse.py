"""Browsing a code set by hierarchy and by range: open to everyone, never a page view."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Left

from lookup.code_ranges import named_range, named_ranges
from lookup.models import Code, CodeSystem, normalize_code

COUNT_CACHE_SECONDS = 600
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
    low, high = normalize_code(match.group(1)), normalize_code(match.group(2))
    if low > high:
        raise BadRange(f"The range {low}-{high} runs backwards: try {high}-{low}.")
    return low, high


def with_counts(codes: list[Code]) -> list[Code]:
    """Give each code `code_count` (codes under it) and `billable_count`, in one query.

    The recursive walk over a big chapter takes tens of milliseconds, so counts are cached
    for a few minutes; they change only when a release is imported.
    """
    if not codes:
        return codes
    cache_key = "browse:counts:" + ",".join(str(code.pk) for code in codes)
    counts = caches["local"].get(cache_key)
    if counts is None:
        table = Code._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH RECURSIVE tree(root, id, billable) AS (
                    SELECT id, id, false FROM {table} WHERE id = ANY(%s)
                    UNION ALL
                    SELECT tree.root, c.id, c.billable FROM {table} c JOIN tree ON c.parent_id = tree.id
                )
                SELECT root, count(*) - 1, count(*) FILTER (WHERE billable) FROM tree GROUP BY root
                """,
                [[code.pk for code in codes]],
            )
            counts = {root: (total, billable) for root, total, billable in cursor.fetchall()}
        caches["local"].set(cache_key, counts, COUNT_CACHE_SECONDS)
    for code in codes:
        code.code_count, code.billable_count = counts.get(code.pk, (0, 0))
    return codes


def children_of(system: CodeSystem, parent: Code | None) -> list[Code]:
    # A chapter or section a later release renamed stays for its links, off the lists.
    children = list(
        system.codes.filter(parent=parent)
        .exclude(kind__in=[Code.Kind.CHAPTER, Code.Kind.SECTION], termination_date__isnull=False)
        .order_by("sort_order")
    )
    for child in children:
        child.system = system
    return with_counts(children)


def first_character_groups(system: CodeSystem) -> list[CodeGroup]:
    """For a code set without chapters (HCPCS, CPT, PCS as published): its codes under their
    named sections (HCPCS Level II's, CPT ranges under our names, PCS sections), else by
    first character."""
    cache_key = f"browse:groups:{system.pk}"
    groups = caches["local"].get(cache_key)
    if groups is None and named_ranges(system.slug):
        groups = _named_groups(system)
        caches["local"].set(cache_key, groups, COUNT_CACHE_SECONDS)
    if groups is None:
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
        groups = [CodeGroup(r["low"], r["high"], r["count"], r["billable_count"]) for r in rows]
        caches["local"].set(cache_key, groups, COUNT_CACHE_SECONDS)
    return groups


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
    return system.codes.filter(kind__in=[Code.Kind.CHAPTER, Code.Kind.SECTION]).exists()
