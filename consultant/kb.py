"""The public knowledge base: answered questions a consultant rewrote and published."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet
from django.utils.text import Truncator

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


_WORD = re.compile(r"[a-z0-9]+")
_COMMON = frozenset(
    [
        "what",
        "which",
        "when",
        "where",
        "does",
        "should",
        "could",
        "would",
        "have",
        "with",
        "from",
        "that",
        "this",
        "code",
        "codes",
        "coding",
        "about",
        "there",
        "their",
        "they",
        "them",
        "your",
        "into",
        "than",
        "then",
        "also",
        "only",
        "just",
        "like",
        "same",
    ]
)


def casepilot_facts(question: str, *, limit: int = 2) -> list:
    """Published answers to a question like this one, as CasePilot facts citing their pages: an
    article matches when at least half the question's words (and two or more) are in its title or
    question. Registered with CasePilot from ConsultantConfig.ready()."""
    from casepilot.facts import Fact, Source

    words = list(
        dict.fromkeys(w for w in _WORD.findall(question.lower()[:500]) if len(w) > 3 and w not in _COMMON)
    )
    if len(words) < 2:
        return []
    query = SearchQuery(" | ".join(words[:20]), search_type="raw", config="english")
    candidates = (
        Article.objects.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .only("slug", "title", "question", "answer", "published_at")
        .order_by("-rank", "-published_at")[:5]
    )
    facts = []
    for article in candidates:
        text = f"{article.title} {article.question}".lower()
        shared = sum(1 for word in words if word[:5] in text)
        if shared >= 2 and shared * 2 >= len(words):
            facts.append(
                Fact(
                    f"Our coding experts answered a question like this: “{article.title}”",
                    Source(
                        url=article.get_absolute_url(),
                        label=f"Knowledge base: {article.title}",
                        release=f"CaseConsultant, published {article.published_at:%Y-%m-%d}",
                    ),
                    details=[Truncator(article.answer).words(40)],
                )
            )
        if len(facts) >= limit:
            break
    return facts
