"""Lookup's public pages for the sitemap index (codeahead/sitemaps.py): every code page,
every browse page, and the home, code-system and release pages.

About 190,000 code pages: each file is one query of plain tuples (values_list, no model
instances), the release that last changed each code in the same statement, and its URL
built from the code system's slug without a reverse() per row. A code page itself shows
the code's descriptions to a guest; what is locked stays on the page, never in the sitemap.
"""

from __future__ import annotations

from datetime import date

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, Min, OuterRef, Subquery
from django.urls import reverse
from django.utils.functional import cached_property

from lookup.browse import HEADER_KINDS
from lookup.models import Code, CodeChange, CodeSystem, Release


class _CodeSystemsMixin:
    @cached_property
    def slugs(self) -> dict[int, str]:
        return dict(CodeSystem.objects.values_list("id", "slug"))

    @cached_property
    def first_releases(self) -> dict[int, date]:
        """Each system's first release: the date of a code no later release changed."""
        return dict(Release.objects.values_list("system_id").annotate(first=Min("date")).order_by())


class CodeSitemap(_CodeSystemsMixin, Sitemap):
    """Every code page, in code-set order: (system id, code, date of the last release that changed it)."""

    limit = 50_000

    def items(self):
        last_change = (
            CodeChange.objects.filter(code=OuterRef("pk"))
            .order_by("-release__date")
            .values("release__date")[:1]
        )
        return (
            Code.objects.order_by("system_id", "sort_order", "id")
            .annotate(changed=Subquery(last_change))
            .values_list("system_id", "code", "changed")
        )

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
        return (
            Code.objects.filter(Exists(Code.objects.filter(parent_id=OuterRef("pk"))))
            # A chapter or section a later release renamed is kept for its links, off the lists.
            .exclude(kind__in=HEADER_KINDS, termination_date__isnull=False)
            .order_by("system_id", "sort_order", "id")
            .values_list("system_id", "code")
        )

    def location(self, item: tuple[int, str]) -> str:
        system_id, code = item
        return f"/{self.slugs[system_id]}/browse/{code}/"

    def lastmod(self, item: tuple[int, str]) -> date | None:
        return self.first_releases.get(item[0])


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
