"""The public knowledge base for the sitemap index (codeahead/sitemaps.py); questions never."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from consultant.models import Article


class KnowledgeBaseSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Article.objects.order_by("-published_at", "-id").only("slug", "published_at")

    def lastmod(self, article: Article):
        return article.published_at
