"""Lookup's public pages for the sitemap index (codeahead/sitemaps.py): every code page,
every browse page, and the home, code-system and release pages.

About 190,000 code pages, so a file of 50,000 is two queries of plain tuples (values_list,
no model instances): its codes, as a range of ids (IdRanges; an OFFSET over the code-set
order made PostgreSQL sort the whole table for every file), then the release that last
changed each of them. URLs are built from the code system's slug, with no reverse() per
row. A code page shows its descriptions to a guest; what is locked stays on the page,
never in a sitemap.
"""

from __future__ import annotations

from datetime import date

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, Min, OuterRef, Subquery
from django.urls import reverse
from django.utils.functional import cached_property

from lookup.browse import HEADER_KINDS
from lookup.models import Code, CodeChange, CodeSystem, Release


class IdRanges:
    """A queryset as the sitemap paginator slices it: each slice one index range scan from
    the id at its start (found on the primary key's index), instead of an OFFSET. `finish`
    may complete a slice's rows with one more query over the same range of ids."""

    def __init__(self, queryset, *, finish=None) -> None:
        self.queryset = queryset.order_by("id")
        self.finish = finish

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[0 : self.count()])

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice) or index.step is not None or index.stop is None:
            raise TypeError("IdRanges takes a slice [start:stop], as the paginator asks")
        start, stop = index.start or 0, index.stop
        first_id = self.queryset.values_list("id", flat=True)[start : start + 1]
        rows = list(self.queryset.filter(id__gte=Subquery(first_id))[: stop - start])
        return self.finish(rows) if self.finish and rows else rows


class _CodeSystemsMixin:
    """Code sets' slugs and first releases, read once per file; URLs without Django's
    per-item attribute look-ups, which cost more than the query for 50,000 rows."""

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        prefix = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        urls = [
            {"location": prefix + self.location(item), "lastmod": self.lastmod(item)}
            for item in self.paginator.page(page).object_list
        ]
        dates = [url["lastmod"] for url in urls]
        if dates and all(dates):
            self.latest_lastmod = max(dates)  # as Django's: the file's Last-Modified
        return urls

    @cached_property
    def slugs(self) -> dict[int, str]:
        return dict(CodeSystem.objects.values_list("id", "slug"))

    @cached_property
    def first_releases(self) -> dict[int, date]:
        """Each system's first release: the date of a code no later release changed."""
        return dict(Release.objects.values_list("system_id").annotate(first=Min("date")).order_by())


class CodeSitemap(_CodeSystemsMixin, Sitemap):
    """Every code page, from rows of (system id, code, date of the last release that changed it)."""

    limit = 50_000

    def items(self):
        return IdRanges(Code.objects.values_list("id", "system_id", "code"), finish=self.with_changes)

    @staticmethod
    def with_changes(rows: list[tuple[int, int, str]]) -> list[tuple[int, str, date | None]]:
        """The rows with the date of the last release that changed each code, in one query
        over their range of ids (a correlated subquery per row made PostgreSQL JIT-compile it)."""
        changed = dict(
            CodeChange.objects.filter(code_id__gte=rows[0][0], code_id__lte=rows[-1][0])
            .values_list("code_id")
            .annotate(latest=Max("release__date"))
            .order_by()
        )
        return [(system_id, code, changed.get(pk)) for pk, system_id, code in rows]

    def location(self, item: tuple[int, str, date | None]) -> str:
        system_id, code, _ = item
        return f"/{self.slugs[system_id]}/{code}/"

    def lastmod(self, item: tuple[int, str, date | None]) -> date | None:
        system_id, _, changed = item
        return changed or self.first_releases.get(system_id)

    def get_latest_lastmod(self) -> date | None:
        # Django's default would read every item; two aggregates say the same.
        latest_change = CodeChange.objects.aggregate(latest=Max("release__date"))["latest"]
        return max([*self.first_releases.values(), *([latest_change] if latest_change else [])], default=None)


class BrowseSitemap(_CodeSystemsMixin, Sitemap):
    """The browse page of every code with codes under it (chapters, sections, categories)."""

    limit = 50_000

    def items(self):
        return IdRanges(
            Code.objects.filter(Exists(Code.objects.filter(parent_id=OuterRef("pk"))))
            # A chapter or section a later release renamed is kept for its links, off the lists.
            .exclude(kind__in=HEADER_KINDS, termination_date__isnull=False)
            .values_list("system_id", "code")
        )

    def location(self, item: tuple[int, str]) -> str:
        system_id, code = item
        return f"/{self.slugs[system_id]}/browse/{code}/"

    def lastmod(self, item: tuple[int, str]) -> date | None:
        return self.first_releases.get(item[0])

    def get_latest_lastmod(self) -> date | None:
        return max(self.first_releases.values(), default=None)  # Django's default reads every item


class LookupPagesSitemap(Sitemap):
    """The home page, each code system's page and each release's list of changes."""

    def items(self) -> list[str]:
        pages = [reverse("lookup:home")]
        for system in CodeSystem.objects.order_by("position"):
            pages.append(system.get_absolute_url())
            for release in system.releases.order_by("date"):
                pages.append(reverse("lookup:changes", args=[system.slug, release.version]))
        return pages

    def location(self, item: str) -> str:
        return item
