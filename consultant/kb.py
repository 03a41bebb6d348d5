"""The public knowledge base: answered questions a consultant rewrote and published."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet

from consultant.models import Article
from lookup.models import normalize_code


def articles_for_code(system_slug: str, code_key: str, *, limit: int = 5) -> list[Article]:
    """The published answers that name a code (by its system's slug and lookup key), newest
    first: what a code page links to."""
    return list(
        Article.objects.filter(codes__system__slug=system_slug, codes__key=code_key)
        .only("slug", "title", "published_at")
        .order_by("-published_at")[:limit]
    )


def search(text: str) -> QuerySet[Article]:
    """Articles matching words (ranked), or naming a code typed in any spelling."""
    text = text.strip()
    if not text:
        return Article.objects.all()
    query = SearchQuery(text, search_type="websearch", config="english")
    key = normalize_code(text)
    by_code = Q(codes__key=key) if key and len(key) <= 20 else Q(pk__in=[])
    return (
        Article.objects.filter(Q(search_vector=query) | by_code)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-published_at")
        .distinct()
    )
