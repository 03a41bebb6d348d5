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

        # The fee schedule's locality form offers our places of service and links the modifiers
        # it names; billing cannot import rules (rules reads billing's fee schedule), so it takes
        # them through its hooks (billing/hooks.py).
        from billing.hooks import register_modifier_pages, register_places
        from rules.modifiers import page_url
        from rules.places import all_places

        register_places(all_places)
        register_modifier_pages(page_url)
