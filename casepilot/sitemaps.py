"""CasePilot's published guide articles for the sitemap index (codeahead/sitemaps.py)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from casepilot.models import GuideArticle


class GuideSitemap(Sitemap):
    def items(self):
        return GuideArticle.objects.filter(published=True).order_by("slug").only("slug", "updated_at")

    def lastmod(self, article: GuideArticle):
        return article.updated_at
