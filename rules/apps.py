from __future__ import annotations

from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = "Coding rules"

    def ready(self) -> None:
        # `import_codes ncci-ptp-practitioner <file>` and the others run on lookup's import machinery.
        from rules.importers import register_importers

        register_importers()
        # Places of service, Modifiers, NCCI edits and Crosswalk on code pages, for members.
        from lookup.sections import register
        from rules.sections import SECTIONS

        for section in SECTIONS:
            register(section)
        # Modifier and place-of-service pages in /sitemap.xml.
        from codeahead.sitemaps import register as register_sitemap
        from rules.sitemaps import RulesSitemap

        register_sitemap("rules", RulesSitemap)
