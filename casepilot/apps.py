from __future__ import annotations

from django.apps import AppConfig


class CasePilotConfig(AppConfig):
    name = "casepilot"
    verbose_name = "CasePilot assistant"

    def ready(self) -> None:
        # The "Have a question about … Code …?" panel on every code page.
        from casepilot.panel import PANEL
        from lookup.sections import register

        register(PANEL)
        # The guide articles in /sitemap.xml.
        from casepilot.sitemaps import GuideSitemap
        from codeahead.sitemaps import register as register_sitemap

        register_sitemap("guides", GuideSitemap)
