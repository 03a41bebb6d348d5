"""Modifier and place-of-service pages for the sitemap index (codeahead/sitemaps.py): public pages."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from rules.modifiers import all_modifiers
from rules.places import PLACES


class RulesSitemap(Sitemap):
    def items(self) -> list[str]:
        return [
            reverse("rules:modifiers"),
            *(modifier.url for modifier in all_modifiers()),
            reverse("rules:pos_list"),
            *(reverse("rules:pos", args=[code]) for code in PLACES),
        ]

    def location(self, item: str) -> str:
        return item
